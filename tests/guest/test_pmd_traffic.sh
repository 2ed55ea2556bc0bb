#!/bin/bash
# net_vfnic_vf traffic through the device's switch, stock dpdk-testpmd only:
# 1. txonly on VF 0 (one testpmd) to VF 1's MAC (set eth-peer), rxonly on VF 1 (another
#    testpmd); VF 0's rate limited by the PF (max_tx_rate) so that nothing is lost: what VF 0
#    sent, VF 1 received, packet for packet, and the device counted no drop.
# 2. io forwarding between the two VFs in one testpmd (both trusted, so promiscuous mode is
#    granted; spoof checking off, although the paired topology sends each frame out of the VF
#    whose MAC is its source: test_pmd_policy.sh covers spoofing): a tx_first burst keeps
#    circulating, both ports receive and transmit.
# 3. per-queue start/stop: VF 1's rx queue deferred (configured, not started with the port)
#    receives nothing from VF 0's txonly until it is started, nothing while stopped, and again
#    once restarted; VF 0's tx queue stopped sends nothing, restarted sends again.
# 4. unthrottled txonly on VF 0 and the Tx-pps testpmd reports, for the record.
# The card polls the tx tails the PMD keeps in memory (poll-us): after the first doorbell of a
# burst the PMD stops ringing, so all of the above also checks that no frame is lost or stuck
# when the device stops polling and asks for doorbells again (hardware.md section 5). The other
# PMD tests run with the default, a doorbell for every burst.
# run-in-guest: vfnic-opts poll-us=500
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pf_lib.sh"
. "$(dirname "$0")/pmd_lib.sh"

pmd_setup 2
RATE=${PMD_TEST_RATE:-1}	# Mbit/s: ~2 kpps of 64-byte frames

# --- 1. txonly -> rxonly ---------------------------------------------------------------------------
ip link set "$PFDEV" vf 0 max_tx_rate "$RATE"
# the largest ring the device allows: the receiver's vCPU may stall for a second or more on a
# loaded machine, and a full ring is a miss
TPI=1 tp_start -a "${VF_BDF[1]}" -- --rxd=4096
TPI=1 tp set fwd rxonly
TPI=1 tp start
TPI=0 tp_start -a "${VF_BDF[0]}" --
tp set fwd txonly
tp set eth-peer 0 "${VF_MAC[1]}"
tp start
sleep 5
tp stop
sleep 1
tp show port stats 0
tx=$(port_stat 0 TX-packets) txerr=$(port_stat 0 TX-errors)
log "VF 0: TX-packets $tx TX-errors $txerr"
TPI=1 tp stop
TPI=1 tp show port stats 0
rx=$(TPI=1 port_stat 0 RX-packets) rxmiss=$(TPI=1 port_stat 0 RX-missed)
log "VF 1: RX-packets $rx RX-missed $rxmiss"
((tx > 1000)) || fail "VF 0 txonly at $RATE Mbit/s for 5 s: expected more than 1000 packets sent, seen $tx"
expect_eq "VF 1 RX-packets (= VF 0 TX-packets)" "$tx" "$rx"
expect_eq "VF 1 RX-missed" 0 "$rxmiss"
expect_eq "VF 0 TX-errors" 0 "$txerr"
TPI=1 tp_quit
TPI=0 tp_quit
ip link set "$PFDEV" vf 0 max_tx_rate 0

# --- 2. io forwarding ------------------------------------------------------------------------------
for i in 0 1; do
	ip link set "$PFDEV" vf "$i" trust on spoofchk off
done
tp_start -a "${VF_BDF[0]}" -a "${VF_BDF[1]}" --
tp show port info 0
expect_match "promiscuous mode of a trusted VF" "Promiscuous mode: enabled" "$OUT"
tp set fwd io
tp set eth-peer 0 "${VF_MAC[1]}"
tp set eth-peer 1 "${VF_MAC[0]}"
tp start tx_first
sleep 5
tp show port stats all
log "io forwarding:"; sed 's/^/    /' <<<"$OUT"
for p in 0 1; do
	rx=$(port_stat $p RX-packets) tx=$(port_stat $p TX-packets)
	((rx > 1000 && tx > 1000)) || fail "io forwarding, port $p: expected more than 1000 packets each way, seen RX $rx TX $tx"
done
tp stop
tp_quit

# --- 3. per-queue start/stop -----------------------------------------------------------------------
for i in 0 1; do
	ip link set "$PFDEV" vf "$i" trust off spoofchk on
done
ip link set "$PFDEV" vf 0 max_tx_rate "$RATE"
TPI=1 tp_start -a "${VF_BDF[1]}" --
TPI=1 tp port stop 0
TPI=1 tp port 0 rxq 0 deferred_start on
TPI=1 tp port start 0
expect_match "VF 1 starts with a deferred rx queue" "Port 0: ${VF_MAC[1]^^}" "$OUT"
TPI=1 tp show rxq info 0 0
expect_match "VF 1 rxq 0 info: deferred" "RX deferred start: on" "$OUT"
expect_match "VF 1 rxq 0 info: not started" "Rx queue state: stopped" "$OUT"
TPI=1 tp set fwd rxonly
TPI=1 tp start
TPI=0 tp_start -a "${VF_BDF[0]}" --
tp set fwd txonly
tp set eth-peer 0 "${VF_MAC[1]}"
tp start
# rx_stat, tx_stat: VF 1's RX-packets, VF 0's TX-packets now
rx_stat() { TPI=1 tp show port stats 0; TPI=1 port_stat 0 RX-packets; }
tx_stat() { tp show port stats 0; port_stat 0 TX-packets; }
# TPI=i queue_op CMD...: a queue start or stop in testpmd i, with its forwarding stopped around
# it (the lcore must not run a burst on a queue being changed; a restart also re-reads which
# queues run)
queue_op() { tp stop; tp "$@"; tp start; }
sleep 2
expect_eq "VF 1 RX-packets, its rx queue deferred" 0 "$(rx_stat)"
TPI=1 queue_op port 0 rxq 0 start
TPI=1 tp show rxq info 0 0
expect_match "VF 1 rxq 0 info once started" "Rx queue state: started" "$OUT"
sleep 2
a=$(rx_stat)
((a > 0)) || fail "VF 1 rx queue started: expected RX-packets > 0, seen $a"
TPI=1 queue_op port 0 rxq 0 stop
a=$(rx_stat)
sleep 2
expect_eq "VF 1 RX-packets while its rx queue is stopped" "$a" "$(rx_stat)"
TPI=1 queue_op port 0 rxq 0 start
sleep 2
b=$(rx_stat)
((b > a)) || fail "VF 1 rx queue restarted: expected RX-packets above $a, seen $b"
queue_op port 0 txq 0 stop
a=$(tx_stat)
sleep 2
expect_eq "VF 0 TX-packets while its tx queue is stopped" "$a" "$(tx_stat)"
queue_op port 0 txq 0 start
sleep 2
b=$(tx_stat)
((b > a)) || fail "VF 0 tx queue restarted: expected TX-packets above $a, seen $b"
# the port restarts after the queue ops: dev_stop disabled every queue in the PF, so CONFIG_QUEUES
# is taken again
TPI=1 tp stop
TPI=1 tp port stop 0
TPI=1 tp port start 0
expect_match "VF 1 restarts after its queue ops" "Port 0: ${VF_MAC[1]^^}" "$OUT"
tp stop
TPI=1 tp_quit
TPI=0 tp_quit
ip link set "$PFDEV" vf 0 max_tx_rate 0

# --- 4. unthrottled txonly, for the record ----------------------------------------------------------
tp_start -a "${VF_BDF[0]}" --
tp set fwd txonly
tp set eth-peer 0 "${VF_MAC[1]}"
tp start
sleep 2
tp show port stats 0
sleep 5
tp show port stats 0
log "txonly unthrottled over 5 s: $(grep -E 'Tx-pps' <<<"$OUT" | xargs)"
tp stop
tp_quit
no_kernel_complaints
log PASS
