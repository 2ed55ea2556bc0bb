#!/bin/bash
# The guest half of test_vfctl_reboot.host.sh: "first" installs the boot unit and applies the
# example, keeping what the VFs look like in the persistent /var/lib/vfstack; "second" (a fresh
# boot) runs the unit's ExecStart= and compares.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pf_lib.sh"
. "$(dirname "$0")/vfctl_lib.sh"

P=/var/lib/vfstack
STATE=$P
UNIT=$P/unit/vfctl.service
mountpoint -q "$P" || fail "$P: expected the persistent state share (VFSTACK_GUEST_STATE), seen no mount"

case ${1:-} in
first)
	vfctl_setup
	cp "$CONF" "$P/vfctl.yaml"
	ok "install-unit" install-unit --unit-dir "$P/unit" "$P/vfctl.yaml"
	log "$out:
$(cat "$UNIT")"
	expect_match "unit ordering" "^After=sys-subsystem-net-devices-$PFDEV.device$" "$(cat "$UNIT")"
	ok "apply" apply "$P/vfctl.yaml"
	check_example "boot 1"
	vf_table >"$P/expect.vfs"
	vf_drivers >"$P/expect.drivers"
	no_kernel_complaints
	log "PASS (boot 1); the VFs stay for the power-off"
	;;
second)
	load_pf # at boot the PF's driver is loaded by udev; the unit waits for its netdev
	expect_eq "sriov_numvfs after the reboot" 0 "$(sysfs_get "$PFDIR/sriov_numvfs")"
	[ -s "$P/state.json" ] || fail "state: expected $P/state.json from boot 1, seen none"
	[ -f "$UNIT" ] || fail "unit: expected $UNIT from boot 1, seen none"
	cmd=$(sed -n 's/^ExecStart=//p' "$UNIT")
	[ -n "$cmd" ] || fail "unit: expected an ExecStart= line in $UNIT, seen none"
	log "running the unit's ExecStart: $cmd"
	read -ra argv <<<"$cmd"
	start=$SECONDS
	out=$("${argv[@]}" 2>&1) || fail "ExecStart $cmd: expected success, seen: $out"
	log "boot-time apply took $((SECONDS - start))s:
$out"
	check_example "boot 2, after the unit's command"
	expect_eq "VF table after the reboot" "$(cat "$P/expect.vfs")" "$(vf_table)"
	expect_eq "VF drivers after the reboot" "$(cat "$P/expect.drivers")" "$(vf_drivers)"
	out=$("${argv[@]}" 2>&1) || fail "ExecStart again: expected success, seen: $out"
	expect_eq "the unit's command run again" "nothing to change" "$out"
	ok "release" release "$PFDEV" 6
	ok "destroy" destroy "$PFDEV"
	unload_pf
	no_kernel_complaints
	log "PASS (boot 2)"
	;;
*) fail "usage: $0 first|second" ;;
esac
