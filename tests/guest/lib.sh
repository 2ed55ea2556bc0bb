# shellcheck shell=bash
# Helpers for in-guest tests (tests/guest/test_*.sh), sourced:
#   . "$(dirname "$0")/lib.sh"
# Every failure names what was expected and what was seen, and exits non-zero.
# Constants come from include/vfnic_hw.h (hw_const), never restated here.

VFSTACK_TOP=${VFSTACK_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
TEST_NAME=${0##*/}
TEST_NAME=${TEST_NAME%.sh}

log() { echo "[$TEST_NAME ${SECONDS}s] $*"; }
fail() {
	echo "[$TEST_NAME] FAIL: $*" >&2
	exit 1
}

# expect_eq WHAT EXPECTED SEEN
expect_eq() {
	[ "$2" = "$3" ] || fail "$1: expected '$2', seen '$3'"
}

# expect_match WHAT REGEX TEXT: TEXT must contain a line matching the extended REGEX.
expect_match() {
	grep -qE -- "$2" <<<"$3" || fail "$1: expected a line matching /$2/, seen:
$(sed 's/^/    /' <<<"$3")"
}

# hw_const NAME: the value of '#define NAME value' in include/vfnic_hw.h; other constants it
# refers to are substituted and an arithmetic value is printed in decimal.
hw_const() {
	local v id
	v=$(awk -v n="$1" '$1 == "#define" && $2 == n { $1 = $2 = ""; sub(/\/\*.*/, ""); gsub(/^ +| +$/, ""); print; exit }' \
		"$VFSTACK_TOP/include/vfnic_hw.h")
	[ -n "$v" ] || fail "hw_const: $1 not defined in include/vfnic_hw.h"
	while [[ $v =~ (VFNIC_[A-Z0-9_]+) ]]; do
		id=${BASH_REMATCH[1]}
		v=${v//"$id"/$(hw_const "$id")}
	done
	if [[ $v =~ ^[-0-9a-fA-Fx()+*/\<\>|\&\ ]+$ ]]; then echo $((v)); else echo "$v"; fi
}

# In the emulated host every fork+exec of a /usr binary costs ~40 ms (~85 ms as $(cat ...)):
# the helpers below read sysfs with bash builtins, so loops over 64 VFs stay fast.

# sysfs_get FILE: the first line of FILE.
sysfs_get() {
	local v
	read -r v <"$1" || [ -n "$v" ] || fail "cannot read $1"
	echo "$v"
}

# pci_find VENDOR DEVICE: the BDFs (0000:01:00.0 form) of every function with these ids,
# e.g. pci_find 1af4 10f0.
pci_find() {
	local d v i
	for d in /sys/bus/pci/devices/*; do
		read -r v <"$d/vendor" && read -r i <"$d/device" &&
			[ "$v" = "0x$1" ] && [ "$i" = "0x$2" ] && echo "${d##*/}"
	done
	return 0
}

# pci_slot_name DIR: the BDF of the PCI function at sysfs DIR (which may be a link such as
# .../virtfn3), from its uevent.
pci_slot_name() {
	local k v
	while IFS="=" read -r k v; do
		[ "$k" = PCI_SLOT_NAME ] && { echo "$v"; return 0; }
	done <"$1/uevent"
	fail "$1: expected PCI_SLOT_NAME in uevent, seen none"
}

# vfnic_pf_bdf: the BDF of the one vfnic PF; fails unless exactly one is present.
vfnic_pf_bdf() {
	local v d found
	v=$(printf %04x "$(hw_const VFNIC_PCI_VENDOR_ID)")
	d=$(printf %04x "$(hw_const VFNIC_PCI_DEVICE_ID_PF)")
	found=$(pci_find "$v" "$d")
	[ "$(wc -w <<<"$found")" = 1 ] || fail "vfnic PF: expected one $v:$d function, seen '${found//$'\n'/ }'; lspci -nn:
$(lspci -nn)"
	echo "$found"
}

# wait_for SECONDS WHAT COMMAND...: poll COMMAND every 0.1 s until it succeeds; fail after
# SECONDS, naming WHAT.
wait_for() {
	local limit=$1 what=$2 start=$SECONDS
	shift 2
	until "$@"; do
		((SECONDS - start < limit)) || fail "timed out after ${limit}s waiting for $what"
		sleep 0.1
	done
}

# bind_driver BDF DRIVER: bind the function to DRIVER (unbinding any other) the way an admin
# would: driver_override then drivers_probe.
bind_driver() {
	local dev=/sys/bus/pci/devices/$1 cur
	echo "$2" >"$dev/driver_override"
	if [ -e "$dev/driver" ]; then
		cur=$(basename "$(readlink "$dev/driver")")
		[ "$cur" = "$2" ] && return 0
		echo "$1" >"$dev/driver/unbind"
	fi
	echo "$1" >/sys/bus/pci/drivers_probe
	cur=$( [ -e "$dev/driver" ] && basename "$(readlink "$dev/driver")")
	expect_eq "$1 driver" "$2" "${cur:-none}"
}
