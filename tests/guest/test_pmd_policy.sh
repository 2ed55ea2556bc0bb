#!/bin/bash
# net_vfnic_vf under the PF's policy, seen with stock testpmd on two VFs:
# - spoof checking: io forwarding in loop topology (a port sends back out what it received)
#   makes each VF send frames whose source MAC is the other VF's: with spoofchk on the device
#   drops them, and the tx_spoof_dropped xstat and TX-errors count them;
# - MAC filter add, VLAN filter add, RSS hash configuration go through the mailbox and are
#   accepted on ports with two queue pairs (RSS mode); per-queue xstats are listed.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pf_lib.sh"
. "$(dirname "$0")/pmd_lib.sh"

pmd_setup 2
for i in 0 1; do ip link set "$PFDEV" vf "$i" trust on spoofchk on; done
tp_start -a "${VF_BDF[0]}" -a "${VF_BDF[1]}" -- --port-topology=loop --rxq=2 --txq=2

# xstat NAME: the value of xstat NAME in $OUT ('show port xstats N').
xstat() { awk -v n="$1:" '$1 == n { print $2; exit }' <<<"$OUT"; }

# 1. spoof checking
tp set fwd io
tp set eth-peer 0 "${VF_MAC[1]}"
tp set eth-peer 1 "${VF_MAC[0]}"
tp start tx_first
sleep 3
tp stop
tp show port xstats 0
spoof0=$(xstat tx_spoof_dropped) q0=$(xstat rx_q0_packets)
tp show port xstats 1
spoof1=$(xstat tx_spoof_dropped)
log "tx_spoof_dropped: port 0 $spoof0, port 1 $spoof1; port 0 rx_q0_packets $q0"
[ -n "$q0" ] || fail "xstats: expected rx_q0_packets in show port xstats 0, seen:
$OUT"
((spoof0 + spoof1 > 0)) || fail "spoof checking: expected forwarded frames (foreign source MAC) dropped and counted in tx_spoof_dropped, seen port 0 $spoof0, port 1 $spoof1"
((spoof0 >= 32 && spoof1 >= 32)) || fail "spoof checking: expected each port's forwarded tx_first burst (32 frames) dropped, seen port 0 $spoof0, port 1 $spoof1"
tp show port stats all
expect_eq "port 0 TX-errors (= its spoof drops)" "$spoof0" "$(port_stat 0 TX-errors)"
expect_eq "port 1 TX-errors (= its spoof drops)" "$spoof1" "$(port_stat 1 TX-errors)"

# 2. filters and RSS through the mailbox
tp mac_addr add 0 02:00:00:00:33:01
[[ $OUT != *"error"* && $OUT != *"Invalid"* ]] || fail "mac_addr add: expected success, seen: $OUT"
tp port stop 0
tp vlan set filter on 0
tp rx_vlan add 10 0
[[ $OUT != *"rror"* ]] || fail "rx_vlan add 10 0: expected success, seen: $OUT"
tp port start 0
tp port config all rss ip
[[ $OUT != *"rror"* ]] || fail "port config all rss ip: expected success, seen: $OUT"
tp show port 0 rss-hash
expect_match "RSS hash types" "ipv4" "$OUT"
tp_quit
no_kernel_complaints
log PASS
