#!/usr/bin/env bash
# make demo: boot the emulated host (L1) with a vfnic card and walk the whole SR-IOV path in it
# (scripts/demo-guest.sh): vfnic_pf, vfctl apply, a VM (L2) with a VF assigned by vfctl, stock
# dpdk-testpmd with net_vfnic_vf in L2 and in L1 exchanging packets through the card's switch.
set -euo pipefail
. "$(dirname "$0")/common.sh"

start=$SECONDS
step "$(date +%T) booting the emulated host (L1) with a vfnic card; the demo runs inside it"
# L2 boots under TCG inside TCG: minutes on a busy machine
rc=0
VFSTACK_GUEST_TIMEOUT=${VFSTACK_GUEST_TIMEOUT:-1500} \
	"$VFSTACK_TOP/tests/guest/run-in-guest" "$VFSTACK_TOP/scripts/demo-guest.sh" || rc=$?
if [ "$rc" != 0 ]; then
	die "make demo failed (status $rc) after $((SECONDS - start))s; the logs are in build/guest-logs/demo-guest.*"
fi
step "$(date +%T) make demo done in $((SECONDS - start))s"
