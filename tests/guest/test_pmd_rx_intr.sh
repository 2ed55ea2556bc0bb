#!/bin/bash
# net_vfnic_vf rx queue interrupts (intr_conf.rxq), as l3fwd-power uses them:
# tests/apps/vf_rx_intr adds queue 0's event to its epoll set (rte_eth_dev_rx_intr_ctl_q) and
# arms it; nothing wakes it in a second with nothing sent; the card's traffic generator then
# sends 100 frames to the VF, which wake it through QP_INT's MSI-X vector 1 and its vfio
# eventfd, and rx_burst takes them.
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
for kv in "len 60" "dst ${VF_MAC[0]}" "count 100" "enable 1"; do
	echo "${kv#* }" >"$TG/${kv%% *}" || fail "echo ${kv#* } > tgen/${kv%% *}: failed"
done
rc=0
wait "$pid" || rc=$?
cp "$S/ri.out" "${VFSTACK_SCRATCH:-/tmp}/vf_rx_intr.out" 2>/dev/null || true
out=$(cat "$S/ri.out")
log "vf_rx_intr: $(grep -E '^(quiet|woken|no wake)' <<<"$out" | xargs)"
expect_match "no wake-up while nothing arrives" "^quiet: 0 wake-ups in 1 s$" "$out"
expect_match "frames wake the app" "^woken: [1-9][0-9]* frames$" "$out"
expect_eq "vf_rx_intr exit status" 0 "$rc"
no_kernel_complaints
log PASS
