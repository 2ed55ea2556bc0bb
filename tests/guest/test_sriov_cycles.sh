#!/bin/bash
# sriov_numvfs 64 -> 0, repeated with vfnic_pf bound, leaks nothing and never hangs:
# - every cycle (enable 64 VFs, wait for all 64 to appear, disable, wait for all to go) finishes
#   within CYCLE_LIMIT (180) seconds (a hung enable or disable is a failure naming the cycle);
# - the slab caches hold no more objects after the cycles than before them: /proc/slabinfo is
#   read after shrinking every cache (so per-CPU partial slabs are flushed), once after a warm-up
#   cycle (sysfs, kernfs and the PCI core keep some caches of their own the first time) and once
#   after the measured cycles. A leak of one object per VF per cycle would grow a cache by
#   64 x CYCLES objects; the tolerance per cache is four slabs' worth of objects, at least 64:
#   per vCPU the active slab, which shrinking cannot flush, and one slab of whatever else ran
#   (a 50-cycle run saw kmalloc-96 grow by 3.2 slabs while 24 cycles with no other activity left
#   it unchanged to the object). A cache over the tolerance is a leak only if another CYCLES
#   cycles grow it past the tolerance again: a leak repeats, a one-off fill does not (a fresh-clone
#   CI run failed the single comparison at 5 cycles). docs/security.md section 4 says what that
#   catches at 5 and 100.
# - no kernel warning, and the PF works afterwards (4 VFs, one negotiates through the mailbox).
# CYCLES is the first argument (default $VFSTACK_SRIOV_CYCLES, else 5: what fits make test's time
# budget); `make stress` runs 100. docs/security.md section 4 has the numbers.
# shellcheck disable=SC2119 # load_pf takes optional module parameters
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pf_lib.sh"

CYCLES=${1:-${VFSTACK_SRIOV_CYCLES:-5}}
# A hang never ends; a cycle on a loaded machine took up to 66 s (load average 28), so the bound
# is generous.
CYCLE_LIMIT=180
NVF=$(hw_const VFNIC_MAX_VFS)

# slab_snapshot: "cache active_objs objs_per_slab" per cache, after shrinking every cache.
slab_snapshot() {
	local f
	sync
	echo 3 >/proc/sys/vm/drop_caches
	for f in /sys/kernel/slab/*/shrink; do echo 1 >"$f" 2>/dev/null || true; done
	awk 'NR > 2 { print $1, $2, $5 }' /proc/slabinfo | sort
}

# cycle N: one 64 -> 0 round trip, bounded in time.
cycle() {
	local start=$SECONDS
	echo "$NVF" >"$PFDIR/sriov_numvfs" || fail "cycle $1: echo $NVF > sriov_numvfs refused; dmesg:
$(dmesg_tail)"
	wait_for "$CYCLE_LIMIT" "cycle $1: VF $((NVF - 1)) to appear" test -e "$PFDIR/virtfn$((NVF - 1))"
	echo 0 >"$PFDIR/sriov_numvfs" || fail "cycle $1: echo 0 > sriov_numvfs refused; dmesg:
$(dmesg_tail)"
	wait_for "$CYCLE_LIMIT" "cycle $1: the VFs to go" test ! -e "$PFDIR/virtfn0"
	expect_eq "cycle $1: sriov_numvfs" 0 "$(sysfs_get "$PFDIR/sriov_numvfs")"
	(( SECONDS - start <= CYCLE_LIMIT )) || fail "cycle $1: expected at most ${CYCLE_LIMIT}s, took $((SECONDS - start))s"
	CYCLE_TIME[$1]=$((SECONDS - start))
}

load_pf
ip link set "$PFDEV" up
cycle 0
before=$(slab_snapshot)
t0=$SECONDS
for ((c = 1; c <= CYCLES; c++)); do
	cycle "$c"
	((c % 10)) || log "cycle $c done (${CYCLE_TIME[c]}s)"
done
elapsed=$((SECONDS - t0))
after=$(slab_snapshot)
max=0
for ((c = 1; c <= CYCLES; c++)); do ((CYCLE_TIME[c] > max)) && max=${CYCLE_TIME[c]}; done
log "$CYCLES cycles of $NVF VFs in ${elapsed}s (slowest ${max}s, warm-up cycle ${CYCLE_TIME[0]}s)"

# compare BEFORE AFTER: "cache before after delta verdict" per cache; LEAK where the growth
# exceeds four slabs' worth of objects (at least 64).
compare() {
	join <(echo "$1") <(echo "$2") |
		awk '{ d = $4 - $2; tol = 4 * $5; if (tol < 64) tol = 64
			printf "%s %d %d %d %s\n", $1, $2, $4, d, (d > tol ? "LEAK" : "ok") }'
}
report=$(compare "$before" "$after")
log "slab caches that changed most (cache before after delta):"
sort -k4,4nr <<<"$report" | head -n 8 | sed 's/^/    /'
suspects=$(awk '$5 == "LEAK" { print $1 }' <<<"$report")
if [ -n "$suspects" ]; then
	# Growth from a leak repeats with every cycle; growth from whatever else ran meanwhile (a
	# one-off cache fill, a slab opened by the shell) does not. So a suspect is a leak only if
	# the same number of cycles again grows it past the tolerance again.
	log "over the tolerance: ${suspects//$'\n'/ }; running $CYCLES more cycles to confirm"
	for ((c = CYCLES + 1; c <= 2 * CYCLES; c++)); do cycle "$c"; done
	again=$(compare "$after" "$(slab_snapshot)")
	leaks=$(for s in $suspects; do grep "^$s .* LEAK$" <<<"$again" || true; done)
	[ -z "$leaks" ] || fail "slab objects after $CYCLES cycles and again after $CYCLES more: expected each cache within four slabs (>= 64 objects) of its count before, seen growing in both rounds (cache before after delta; first round above):
$leaks"
	log "not confirmed: the suspects did not grow again (cache before after delta):"
	for s in $suspects; do grep "^$s " <<<"$again" | sed 's/^/    /'; done
fi
slab_kb() { awk '$1 == "Slab:" { print $2 }' /proc/meminfo; }
log "Slab in /proc/meminfo after: $(slab_kb) kB"

# The PF still does its job.
set_numvfs 4
modprobe vfio-pci
VF=$(vf_bdf 0)
bind_driver "$VF" vfio-pci
out=$("$VFCLIENT" "$VF" negotiate get-link 2>&1) || fail "vfclient on VF 0 after the cycles: expected success, seen:
$out"
expect_match "VF 0 link after the cycles" '^link up=1 ' "$out"
echo "$VF" >/sys/bus/pci/drivers/vfio-pci/unbind
set_numvfs 0
unload_pf
no_kernel_complaints
log "PASS"
