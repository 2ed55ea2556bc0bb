#!/usr/bin/env bash
# vfctl across a reboot of the emulated host, run on this machine (run-all runs *.host.sh here):
# two boots with the same state directory, shared into the guest at /var/lib/vfstack
# (run-in-guest's VFSTACK_GUEST_STATE). Boot 1 installs the boot unit with vfctl install-unit and
# applies the example; boot 2 starts with no VFs, runs the unit's ExecStart= as read from the
# installed unit file (the guest has no systemd: busybox init), and checks that the VF count,
# every attribute and every binding are back. systemd-analyze verify checks the unit the guest
# installed, with its guest paths mapped to this machine's.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
TEST_NAME=test_vfctl_reboot
fail() {
	echo "[$TEST_NAME] FAIL: $*" >&2
	exit 1
}

STATE=$(mktemp -d "${TMPDIR:-/tmp}/vfctl-reboot.XXXX")
trap 'rm -rf "$STATE"' EXIT
export VFSTACK_GUEST_STATE=$STATE

"$HERE/run-in-guest" "$HERE/vfctl_reboot_guest.sh" first || fail "boot 1: exit status $?"
unit=$STATE/unit/vfctl.service
[ -f "$unit" ] || fail "boot 1: expected the unit at $unit, seen none"
[ -L "$STATE/unit/multi-user.target.wants/vfctl.service" ] ||
	fail "boot 1: expected the unit enabled (multi-user.target.wants/vfctl.service), seen no link"
# the guest sees the repository at /vfstack and the state at /var/lib/vfstack
sed -e "s|/vfstack/|$TOP/|g" -e "s|/var/lib/vfstack|$STATE|g" "$unit" >"$STATE/vfctl.service"
out=$(systemd-analyze verify "$STATE/vfctl.service" 2>&1) ||
	fail "systemd-analyze verify of the unit installed in the guest: expected success, seen: $out"
echo "[$TEST_NAME] systemd-analyze verify: ok"

"$HERE/run-in-guest" "$HERE/vfctl_reboot_guest.sh" second || fail "boot 2: exit status $?"
echo "[$TEST_NAME] PASS"
