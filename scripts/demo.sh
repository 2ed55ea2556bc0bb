#!/usr/bin/env bash
# make demo: boot the emulated host (L1) with a vfnic card and walk the whole SR-IOV path in
# it (scripts/demo-guest.sh): vfnic_pf, vfctl apply of docs/examples/vfctl.yaml, a VM (L2)
# inside it with a VF assigned by vfctl assign, dpdk-testpmd with net_vfnic_vf in L2 and in L1.
set -euo pipefail
. "$(dirname "$0")/common.sh"

# L2 boots under TCG inside TCG: minutes on a busy machine
export VFSTACK_GUEST_TIMEOUT=${VFSTACK_GUEST_TIMEOUT:-1800}
step "booting the emulated host (L1) with a vfnic card; the demo runs inside it"
start=$SECONDS
rc=0
"$VFSTACK_TOP/tests/guest/run-in-guest" "$VFSTACK_TOP/scripts/demo-guest.sh" || rc=$?
if [ "$rc" != 0 ]; then
	printf '\033[1;31mmake demo FAILED\033[0m (status %s after %ss): the FAIL line above says which step\n' \
		"$rc" "$((SECONDS - start))" >&2
	echo "and what was expected; the guest's logs are kept under build/guest-logs/" >&2
	exit "$rc"
fi
step "make demo passed in $((SECONDS - start))s"
