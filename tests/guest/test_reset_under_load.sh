#!/bin/bash
# Resets while stock testpmd forwards on other VFs (io forwarding between VF 0 and VF 1, a
# tx_first burst circulating through the switch at whatever rate the machine gives):
# 1. 10 FLRs each of VF 2 and VF 3 (echo 1 > .../reset, the way vfio-pci and a hypervisor reset
#    an assigned function): the PF counts every one, VF 0 and VF 1 keep forwarding (their counters
#    advance across the FLRs, and they count no rx or tx error), and VF 2 and VF 3 come back usable
#    (negotiate, send frames that reach the PF);
# 2. a PF reset (ethtool --reset PF all) under the same load: testpmd gets the reset event on both
#    ports, a port reset re-negotiates, forwarding resumes (counters advance again), the PF's own
#    netdev gets its carrier back and receives, and VF 2 negotiates again.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pf_lib.sh"
. "$(dirname "$0")/pmd_lib.sh"

FLRS=10
pmd_setup 4
for i in 0 1; do ip link set "$PFDEV" vf "$i" trust on spoofchk off; done
ethstat() { ethtool -S "$PFDEV" | awk -v n="$1:" '$1 == n { print $2 }'; }
pfstat() { sysfs_get "/sys/class/net/$PFDEV/statistics/$1"; }
pf_rx_at_least() { [ "$(pfstat rx_packets)" -ge "$1" ]; }
flrs_at_least() { [ "$(ethstat vf_flrs)" -ge "$1" ]; }
carrier_up() { [ "$(sysfs_get "/sys/class/net/$PFDEV/carrier")" = 1 ]; }

# rx_total: RX-packets of port 0 + port 1, from a fresh 'show port stats all'.
rx_total() {
	tp show port stats all
	echo $(($(port_stat 0 RX-packets) + $(port_stat 1 RX-packets)))
}
# advancing WHAT: the forwarded count grows within 20 s.
advancing() {
	local a b start=$SECONDS
	a=$(rx_total)
	while :; do
		sleep 1
		b=$(rx_total)
		((b > a)) && { log "$1: forwarding ($a -> $b)"; return 0; }
		((SECONDS - start < 20)) || fail "$1: expected VF 0 and VF 1 to keep forwarding, seen RX-packets stay at $a; testpmd:
$(tail -n 30 "$TP_OUT")"
	done
}
# vf_usable N: VF N negotiates and its 10 frames reach the PF netdev.
vf_usable() {
	local rx0 out
	rx0=$(pfstat rx_packets)
	out=$("$VFCLIENT" "${VF_BDF[$1]}" negotiate config-queues send-frame 10 own get-link 2>&1) ||
		fail "VF $1 after the resets: expected vfclient to succeed, seen:
$out"
	expect_match "VF $1 link" '^link up=1 ' "$out"
	wait_for 10 "VF $1's 10 frames on $PFDEV" pf_rx_at_least $((rx0 + 10))
}

sysctl -qw "net.ipv6.conf.$PFDEV.disable_ipv6=1" 2>/dev/null || true
tp_start -a "${VF_BDF[0]}" -a "${VF_BDF[1]}" --
tp set fwd io
tp set eth-peer 0 "${VF_MAC[1]}"
tp set eth-peer 1 "${VF_MAC[0]}"
tp start tx_first 8
advancing "before the resets"

# --- 1. VF FLR under load ---------------------------------------------------------------------
flr0=$(ethstat vf_flrs)
for ((k = 0; k < FLRS; k++)); do
	echo 1 >"/sys/bus/pci/devices/${VF_BDF[2]}/reset" || fail "FLR $k of VF 2: expected success"
	echo 1 >"/sys/bus/pci/devices/${VF_BDF[3]}/reset" || fail "FLR $k of VF 3: expected success"
done
wait_for 20 "vf_flrs to count $((2 * FLRS)) FLRs" flrs_at_least $((flr0 + 2 * FLRS))
expect_eq "vf_flrs" $((flr0 + 2 * FLRS)) "$(ethstat vf_flrs)"
advancing "after $((2 * FLRS)) FLRs of VF 2 and VF 3"
tp show port stats all
for p in 0 1; do
	expect_eq "port $p RX-errors after the FLRs" 0 "$(port_stat "$p" RX-errors)"
	expect_eq "port $p TX-errors after the FLRs" 0 "$(port_stat "$p" TX-errors)"
done
vf_usable 2
vf_usable 3

# --- 2. PF reset under load -------------------------------------------------------------------
resets0=$(ethstat pf_resets)
ethtool --reset "$PFDEV" all >/dev/null 2>&1 || ethtool --reset "$PFDEV" all
expect_eq "pf_resets" $((resets0 + 1)) "$(ethstat pf_resets)"
for p in 0 1; do
	wait_for 20 "testpmd's reset event on port $p" grep -q "Port $p: reset event" "$TP_OUT"
done
wait_for 20 "$PFDEV carrier after the PF reset" carrier_up
tp stop
tp port stop all
tp port reset all
tp port start all
tp start tx_first 8
advancing "after the PF reset and a port reset"
vf_usable 2

tp stop
tp_quit
for i in 0 1 2 3; do echo "${VF_BDF[i]}" >/sys/bus/pci/drivers/vfio-pci/unbind; done
set_numvfs 0
unload_pf
no_kernel_complaints
log "PASS"
