#!/bin/bash
# vfctl readiness with a PF whose VFs come up slowly: vfnic_pf's vf_ready_delay_ms=D refuses
# ndo_get_vf_config / ndo_set_vf_* of VF i with EAGAIN until (i + 1) * D / 8 ms after the VFs are
# enabled, as i40e and ice do while they set a VF up (IFLA_NUM_VF already counts it, the VF table
# lacks it). D is 20 s where the test must act before the VFs are ready (a loaded machine can
# take seconds to fork ip), 4 s where vfctl waits for them. Stock ip shows the race; vfctl apply
# with a 1 s bound fails naming the VF it waited for and rolls back; with the default bound it
# waits and loses nothing: every attribute and binding of the example reads back from
# ip -d link show and sysfs.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pf_lib.sh"
. "$(dirname "$0")/vfctl_lib.sh"

DELAY=4000
SLOW=20000
vfctl_setup
echo "$SLOW" >/sys/module/vfnic_pf/parameters/vf_ready_delay_ms

# --- the race, with stock tools: the VFs exist but the PF refuses to configure them yet --------------
set_numvfs 8
if err=$(ip link set "$PFDEV" vf 7 mac 02:00:00:00:07:07 2>&1); then
	fail "ip link set vf 7 right after enabling the VFs: expected EAGAIN, seen success"
fi
expect_match "ip link set vf 7 right after enabling" 'Resource temporarily unavailable' "$err"
n=$(ip -d link show "$PFDEV" | grep -cE '^ +vf [0-9]+ ' || true)
[ "$n" -lt 8 ] || fail "VF table right after enabling: expected fewer than 8 VFs listed, seen $n"
log "right after enabling: ip link set vf 7 refused ($err), $n of 8 VFs in the VF table"
set_numvfs 0

# --- too short a bound: a clear error naming the VF, and the change rolled back ------------------------
VFCTL_ARGS=(--timeout 1)
refused "apply with a 1 s bound" "timed out after 1000 ms waiting for VF [0-7] in $PFDEV's netlink VF table" apply "$CONF"
expect_eq "sriov_numvfs after the timed-out apply" 0 "$(sysfs_get "$PFDIR/sriov_numvfs")"
expect_eq "sriov_drivers_autoprobe after the timed-out apply" 1 "$(sysfs_get "$PFDIR/sriov_drivers_autoprobe")"

# --- the default bound: apply waits, then configures everything ----------------------------------------
echo "$DELAY" >/sys/module/vfnic_pf/parameters/vf_ready_delay_ms
VFCTL_ARGS=()
start=$SECONDS
ok "apply with the default bound" apply "$CONF"
log "apply took $((SECONDS - start))s:
$out"
ms=$(sed -n 's/.*: 8 VFs ready after \([0-9]*\) ms$/\1/p' <<<"$out")
[ -n "$ms" ] || fail "apply output: expected '8 VFs ready after N ms', seen: $out"
# VF 7 is ready DELAY ms after the VFs were enabled; an apply that did not wait would not be here
((ms >= DELAY / 2)) || fail "readiness wait: expected about ${DELAY} ms (VF 7's delay), seen ${ms} ms"
check_example "apply on the slow PF"
ok "second apply" apply "$CONF"
expect_eq "second apply on the slow PF" "nothing to change" "$out"

ok "release" release "$PFDEV" 6
ok "destroy" destroy "$PFDEV"
unload_pf
no_kernel_complaints
log "PASS"
