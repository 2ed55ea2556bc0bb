# Helpers for the vfnic_pf tests (tests/guest/test_pf_*.sh), sourced after lib.sh:
#   . "$(dirname "$0")/lib.sh"; . "$(dirname "$0")/pf_lib.sh"
# The module is the one built by `make -C pf_driver` in the shared repository.

PF_KO=$VFSTACK_TOP/build/pf_driver/vfnic_pf.ko
VFCLIENT=$VFSTACK_TOP/build/vfclient/vfclient

dmesg_tail() { dmesg | tail -n "${1:-25}" | sed 's/^/    /'; }
# dmesg_has REGEX: the kernel log has a line matching REGEX now. For wait_for, which runs its
# command again and again: a <(dmesg) there is read once, and every later try sees it empty.
# grep reads it all (no -q): under pipefail, dmesg killed by SIGPIPE would fail a match.
dmesg_has() { dmesg | grep -E -- "$1" >/dev/null; }

# The PF's counters, and conditions on them that wait_for can poll (it runs its command anew
# each time; a "$(...)" in its arguments would be read once, before the first poll).
pfstat() { sysfs_get "/sys/class/net/$PFDEV/statistics/$1"; }
ethstat() { ethtool -S "$PFDEV" | awk -v n="$1:" '$1 == n { print $2 }'; }
pf_rx_at_least() { [ "$(pfstat rx_packets)" -ge "$1" ]; }
flrs_at_least() { [ "$(ethstat vf_flrs)" -ge "$1" ]; }

# load_pf [PARAM=VALUE...]: insmod vfnic_pf, wait for it to bind the PF and make its netdev;
# sets PF (BDF), PFDIR (sysfs) and PFDEV (netdev name).
load_pf() {
	[ -f "$PF_KO" ] || fail "module: expected $PF_KO (make -C pf_driver), seen none"
	PF=$(vfnic_pf_bdf)
	PFDIR=/sys/bus/pci/devices/$PF
	insmod "$PF_KO" "$@" || fail "insmod $PF_KO: expected success, seen failure; dmesg:
$(dmesg_tail)"
	wait_for 10 "vfnic_pf to bind $PF" test -e "$PFDIR/net"
	PFDEV=$(ls "$PFDIR/net" | head -n 1)
	expect_eq "$PF driver" vfnic_pf "$(basename "$(readlink "$PFDIR/driver")")"
}

unload_pf() {
	rmmod vfnic_pf || fail "rmmod vfnic_pf: expected success, seen failure; dmesg:
$(dmesg_tail)"
}

# set_numvfs N: echo N > sriov_numvfs, failing with dmesg if refused.
set_numvfs() {
	echo "$1" >"$PFDIR/sriov_numvfs" || fail "echo $1 > sriov_numvfs: expected success, seen refusal; dmesg:
$(dmesg_tail)"
	expect_eq "sriov_numvfs after echo $1" "$1" "$(cat "$PFDIR/sriov_numvfs")"
}

# vf_bdf N: the BDF of VF N of the PF.
vf_bdf() { basename "$(readlink "$PFDIR/virtfn$1")"; }

# vf_line N: the 'vf N ...' line of ip link show PF (one line per VF with -o).
vf_line() { ip -d link show "$PFDEV" | grep -E "^ +vf $1 " || true; }

# no_kernel_complaints: dmesg has no oops, warning splat or lockdep report.
no_kernel_complaints() {
	local bad
	bad=$(dmesg | grep -E 'BUG:|WARNING:|Oops|Call Trace|INFO: task .* blocked|unreferenced object' || true)
	[ -z "$bad" ] || fail "kernel log: expected no BUG/WARNING/Oops, seen:
$bad
$(dmesg_tail 60)"
}
