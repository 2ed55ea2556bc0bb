#!/bin/bash
# net_vfnic_vf rx queue interrupts (intr_conf.rxq), as l3fwd-power uses them:
# tests/apps/vf_rx_intr adds queue 0's event to its epoll set (rte_eth_dev_rx_intr_ctl_q) and
# arms it; nothing wakes it in a second with nothing sent; the card's traffic generator then
# sends 100 frames to the VF, which wake it through QP_INT's MSI-X vector 1 and its vfio
# eventfd, and rx_burst takes them; 10 frames that came while it was disarmed wake it at once
# when it arms again (the device fires only for new frames: the driver signals those waiting).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pf_lib.sh"
. "$(dirname "$0")/pmd_lib.sh"

pmd_setup 1
APP=$VFSTACK_TOP/build/apps/vf_rx_intr
TG=/sys/kernel/debug/vfnic_pf/$PF/tgen
[ -x "$APP" ] || fail "expected $APP (make -C tests/apps), seen none"
[ -d "$TG" ] || fail "debugfs: expected $TG, seen $(ls /sys/kernel/debug/vfnic_pf 2>&1)"
timeout 90 "$APP" -d "$PMD_SO" -l 0 -n 1 --file-prefix "vfnic$$-ri" --iova-mode=va \
	-a "${VF_BDF[0]}" -- 30 >"$S/ri.out" 2>&1 &
pid=$!
wait_for 60 "vf_rx_intr to arm the queue's interrupt" grep -q '^waiting' "$S/ri.out"
# tgen_send N: N frames from the card's generator to VF 0
tgen_send() {
	local kv
	wait_for 10 "the generator to be idle" grep -qx 0 "$TG/enable"
	for kv in "len 60" "dst ${VF_MAC[0]}" "count $1" "enable 1"; do
		echo "${kv#* }" >"$TG/${kv%% *}" || fail "echo ${kv#* } > tgen/${kv%% *}: failed"
	done
}
tgen_send 100
wait_for 60 "vf_rx_intr to take them and disarm" grep -q '^disarmed' "$S/ri.out"
tgen_send 10
rc=0
wait "$pid" || rc=$?
cp "$S/ri.out" "${VFSTACK_SCRATCH:-/tmp}/vf_rx_intr.out" 2>/dev/null || true
out=$(cat "$S/ri.out")
log "vf_rx_intr: $(grep -E '^(quiet|woken|no wake|armed)' <<<"$out" | xargs)"
expect_match "no wake-up while nothing arrives" "^quiet: 0 wake-ups in 1 s$" "$out"
expect_match "frames wake the app" "^woken: [1-9][0-9]* frames$" "$out"
expect_match "frames waiting when armed wake it at once" "^armed with [1-9][0-9]* waiting: 1 wake-ups$" "$out"
expect_eq "vf_rx_intr exit status" 0 "$rc"
no_kernel_complaints
log PASS
