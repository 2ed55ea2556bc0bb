#!/usr/bin/env bash
# make demo: boot the emulated host with a vfnic card and walk the SR-IOV
# path in it (scripts/demo-guest.sh), printing what a user would look at.
set -euo pipefail
. "$(dirname "$0")/common.sh"

step "booting the emulated host (L1) with a vfnic card; the demo runs inside it"
exec "$VFSTACK_TOP/tests/guest/run-in-guest" "$VFSTACK_TOP/scripts/demo-guest.sh"
