#!/bin/bash
# net_vfnic_vf offloads end to end through the device's switch, stock dpdk-testpmd on two VFs
# (VF 0 sends txonly, rate-limited by the PF so nothing is lost; VF 1 receives rxonly with
# verbose output, so each frame's mbuf is seen as the PMD built it):
# 1. VLAN insert on tx (tx_vlan set) and VLAN strip + VLAN filter on rx: VF 1, untrusted, gets
#    the tagged frames only after rx_vlan add, untagged, with the TCI and the stripped flag;
# 2. jumbo frames: MTU 9000, four-segment tx mbufs (set txpkts) into one frame, received as a
#    multi-segment mbuf chain with scattered rx (2 KiB buffers);
# 3. RSS: many flows (--txonly-multi-flow) spread over VF 1's two rx queues, hash in the mbuf.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pf_lib.sh"
. "$(dirname "$0")/pmd_lib.sh"

pmd_setup 2
ip link set "$PFDEV" mtu 9000
ip link set "$PFDEV" vf 0 spoofchk off max_tx_rate 1

# xstat NAME: the value of xstat NAME in $OUT ('show port xstats N').
xstat() { awk -v n="$1:" '$1 == n { print $2; exit }' <<<"$OUT"; }

# burst SECONDS: VF 0 sends for that long, then both sides stop; the receiver's verbose
# output since it started is in $RX.
burst() {
	local off
	off=$(stat -c %s "$S/tp1.out")
	TPI=1 tp start
	tp start
	sleep "$1"
	tp stop
	sleep 1
	TPI=1 tp stop
	# only VF 0's frames: the PF's own netdev may broadcast meanwhile
	RX=$(tail -c +"$((off + 1))" "$S/tp1.out" | grep -A1 "src=${VF_MAC[0]^^}" || true)
}

TPI=1 tp_start -a "${VF_BDF[1]}" -- --rxq=2 --txq=2 --enable-scatter --max-pkt-len=9018 \
	--rss-udp
TPI=1 tp set fwd rxonly
TPI=1 tp set verbose 1
TPI=1 tp port stop 0
TPI=1 tp vlan set strip on 0
TPI=1 tp vlan set filter on 0
TPI=1 tp port start 0
tp_start -a "${VF_BDF[0]}" -- --max-pkt-len=9018 --txonly-multi-flow
tp set fwd txonly
tp set eth-peer 0 "${VF_MAC[1]}"
tp port stop 0
tp port config 0 tx_offload vlan_insert on
tp port config 0 tx_offload multi_segs on
tp tx_vlan set 0 100
tp port start 0

# --- 1. VLAN insert, filter, strip ------------------------------------------------------------------
burst 1
grep -q 'src=' <<<"$RX" && fail "VLAN filter: expected no frame of VLAN 100 before rx_vlan add, seen:
$(grep -m3 'src=' <<<"$RX")"
TPI=1 tp rx_vlan add 100 0
burst 2
n=$(grep -c 'src=' <<<"$RX" || true)
((n > 10)) || fail "VLAN 100 after rx_vlan add: expected frames at VF 1, seen $n"
expect_eq "frames without the stripped TCI 0x64" 0 "$(grep 'src=' <<<"$RX" | grep -vc 'VLAN tci=0x64' || true)"
grep -q 'RTE_MBUF_F_RX_VLAN_STRIPPED' <<<"$RX" || fail "VLAN strip: expected RTE_MBUF_F_RX_VLAN_STRIPPED in ol_flags, seen:
$(grep -m2 -A2 'src=' <<<"$RX")"
grep 'src=' <<<"$RX" | grep -q 'type=0x8100' && fail "VLAN strip: a frame still carries its 802.1Q header"
log "VLAN: $n frames of VLAN 100 received stripped"

# --- 3. RSS over two queues (the same traffic) ------------------------------------------------------
for q in 0 1; do
	c=$(grep -c "RSS queue=0x$q" <<<"$RX" || true)
	((c > 0)) || fail "RSS: expected frames on queue $q of VF 1 for many flows, seen none"
	log "RSS: $c frames on queue $q"
done
grep -q 'RSS hash=0x[0-9a-f]*[1-9a-f]' <<<"$RX" || fail "RSS: expected a hash in the mbuf, seen none"
TPI=1 tp show port xstats 0
q0=$(xstat rx_q0_packets) q1=$(xstat rx_q1_packets)
((q0 > 0 && q1 > 0)) || fail "RSS: expected both queues' xstats to count, seen rx_q0_packets $q0, rx_q1_packets $q1"

# --- 2. jumbo, multi-segment both ways --------------------------------------------------------------
tp tx_vlan reset 0
tp set txpkts 2000,2000,2000,2000
burst 2
n=$(grep -c 'length=8000 - nb_segs=4' <<<"$RX" || true)
((n > 0)) || fail "jumbo: expected 8000-byte frames in 4 rx segments at VF 1, seen:
$(grep -m3 'src=' <<<"$RX")"
expect_eq "frames of another length or segmentation" 0 \
	"$(grep 'src=' <<<"$RX" | grep -vc 'length=8000 - nb_segs=4' || true)"
log "jumbo: $n frames of 8000 bytes in 4 segments"

tp_quit
TPI=1 tp_quit
ip link set "$PFDEV" vf 0 max_tx_rate 0
no_kernel_complaints
log PASS
