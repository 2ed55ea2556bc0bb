# shellcheck shell=bash
# Helpers for the vfctl tests (tests/guest/test_vfctl_*.sh), sourced after lib.sh and
# pf_lib.sh. vfctl_setup loads vfnic_pf and points CONF at the example configuration with the
# PF's real name; VFCTL_ARGS adds options to every vfctl run.

VFCTL=$VFSTACK_TOP/build/provisioner/vfctl
CONF=$VFSTACK_TOP/docs/examples/vfctl.yaml
STATE=/scratch/vfstack-state
VFCTL_ARGS=()

# shellcheck disable=SC2119 # load_pf takes optional module parameters
vfctl_setup() {
	[ -x "$VFCTL" ] || fail "vfctl: expected $VFCTL (make -C provisioner), seen none"
	load_pf
	ip link set "$PFDEV" up
	if [ "$PFDEV" != eth0 ]; then # the example names the PF eth0
		sed "s/pf: eth0/pf: $PFDEV/" "$CONF" >/scratch/vfctl.yaml
		CONF=/scratch/vfctl.yaml
	fi
}

vfctl() { "$VFCTL" --state-dir "$STATE" "${VFCTL_ARGS[@]}" "$@"; }

# ok WHAT ARGS...: vfctl ARGS must succeed; its output is in $out.
ok() {
	local what=$1
	shift
	out=$(vfctl "$@" 2>&1) || fail "vfctl $* ($what): expected success, seen: $out
$(dmesg_tail 5)"
}

# refused WHAT REGEX ARGS...: vfctl ARGS must fail with a message matching REGEX.
refused() {
	local what=$1 re=$2
	shift 2
	if out=$(vfctl "$@" 2>&1); then
		fail "vfctl $* ($what): expected an error, seen success: $out"
	fi
	expect_match "vfctl $* ($what) error" "$re" "$out"
	log "refused as expected: $out"
}

# check_example WHAT: the VFs have what docs/examples/vfctl.yaml says, as sriov_numvfs, stock
# ip -d link show and the drivers in sysfs show it (autoprobe off: VFs without a driver stay
# unbound).
check_example() {
	local what=$1 i d
	expect_eq "$what: sriov_numvfs" 8 "$(sysfs_get "$PFDIR/sriov_numvfs")"
	expect_eq "$what: sriov_drivers_autoprobe" 0 "$(sysfs_get "$PFDIR/sriov_drivers_autoprobe")"
	for i in 0 1 2 3 4 5 6 7; do
		expect_match "$what: vf $i MAC" "vf $i .*link/ether 02:00:00:00:01:0$i" "$(vf_line $i)"
	done
	expect_match "$what: vf 0 VLAN" 'vlan 100, qos 2' "$(vf_line 0)"
	expect_match "$what: vf 1 rate" 'max_tx_rate 100Mbps' "$(vf_line 1)"
	expect_match "$what: vf 2 802.1ad VLAN" 'vlan 200, vlan protocol 802.1ad' "$(vf_line 2)"
	expect_match "$what: vf 3 spoofchk and trust" 'spoof checking off, link-state auto, trust on' "$(vf_line 3)"
	expect_match "$what: vf 4 link state" 'link-state enable' "$(vf_line 4)"
	expect_match "$what: vf 5 defaults" 'spoof checking on, link-state auto, trust off' "$(vf_line 5)"
	for i in 6 7; do
		d=$(vf_bdf $i)
		expect_eq "$what: vf $i ($d) driver" vfio-pci "$(basename "$(readlink "/sys/bus/pci/devices/$d/driver")")"
		expect_eq "$what: vf $i ($d) driver_override" vfio-pci "$(sysfs_get "/sys/bus/pci/devices/$d/driver_override")"
	done
	for i in 0 5; do
		d=$(vf_bdf $i)
		[ ! -e "/sys/bus/pci/devices/$d/driver" ] ||
			fail "$what: vf $i ($d): expected no driver (autoprobe off), seen $(readlink "/sys/bus/pci/devices/$d/driver")"
	done
}

# vf_table: the PF's VF lines of ip -d link show; vf_drivers: "index:driver " for VFs 0-7.
vf_table() { ip -d link show "$PFDEV" | grep -E '^ +vf '; }
vf_drivers() {
	local i d r=
	for i in 0 1 2 3 4 5 6 7; do
		d=/sys/bus/pci/devices/$(vf_bdf $i)/driver
		r+="$i:"
		if [ -e "$d" ]; then r+=$(basename "$(readlink "$d")"); fi
		r+=" "
	done
	echo "$r"
}
