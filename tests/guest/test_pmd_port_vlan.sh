#!/bin/bash
# A port VLAN set on the PF (ip link set PF vf 0 vlan 100), seen from both sides of the card:
# frames VF 0 sends untagged (stock testpmd, txonly to a MAC outside the card) leave on the
# uplink tagged 100, captured outside the card; frames tagged 100 in the switch (from the PF's
# VLAN 100 interface) reach VF 0 untagged, while the PF's untagged frames do not reach it.
# run-in-guest: uplink-dump
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pf_lib.sh"
. "$(dirname "$0")/pmd_lib.sh"

PCAP=/scratch/uplink.pcap
OUTSIDE=02:aa:bb:cc:dd:ee

# uplink_frames SRC: "VID COUNT" lines of frames with source MAC SRC in the uplink capture
# (VID "-" for untagged, "qinq" for 802.1ad outer tags).
uplink_frames() {
	python3 - "$PCAP" "$1" <<'PY'
import struct, sys, collections
data = open(sys.argv[1], 'rb').read()
src = bytes.fromhex(sys.argv[2].replace(':', ''))
off, seen = 24, collections.Counter()
while off + 16 <= len(data):
    caplen = struct.unpack_from('<I', data, off + 8)[0]
    f = data[off + 16:off + 16 + caplen]
    off += 16 + caplen
    if f[6:12] != src:
        continue
    tpid = f[12:14]
    seen[str(struct.unpack('>H', f[14:16])[0] & 0xfff) if tpid == b'\x81\x00'
         else 'qinq' if tpid == b'\x88\xa8' else '-'] += 1
for vid, n in sorted(seen.items()):
    print(vid, n)
PY
}

pmd_setup 1
ip link set "$PFDEV" vf 0 vlan 100 max_tx_rate 1
tp_start -a "${VF_BDF[0]}" --

# --- VF 0 -> uplink: tagged by the device -------------------------------------------------------------
tp set fwd txonly
tp set eth-peer 0 "$OUTSIDE"
tp start
sleep 2
tp stop
tp show port stats 0
sent=$(port_stat 0 TX-packets)
sync
seen=$(uplink_frames "${VF_MAC[0]}")
log "VF 0 sent $sent frames; on the uplink by VLAN: $(xargs <<<"$seen")"
((sent > 100)) || fail "txonly at 1 Mbit/s for 2 s: expected more than 100 frames sent, seen $sent"
expect_eq "VF 0's frames on the uplink" "100 $sent" "$seen"

# --- switch -> VF 0: the port VLAN's frames arrive untagged, others not at all --------------------------
tp set fwd rxonly
tp set verbose 1
tp start
ip link add link "$PFDEV" name "$PFDEV.100" type vlan id 100
ip addr add 10.100.0.1/24 dev "$PFDEV.100"
ip link set "$PFDEV.100" up
ip addr add 10.0.0.1/24 dev "$PFDEV"
arping -c 3 -w 5 -I "$PFDEV" 10.0.0.2 >/dev/null 2>&1 || true
arping -c 3 -w 5 -I "$PFDEV.100" 10.100.0.2 >/dev/null 2>&1 || true
sleep 1
tp stop
PFMAC=$(cat "/sys/class/net/$PFDEV/address")
arp=$(grep -i "src=$PFMAC" <<<"$(cat "$TP_OUT")" | grep -c 'type=0x0806' || true)
log "VF 0 received $arp ARP frames from the PF"
expect_eq "ARP frames of VLAN 100 at VF 0 (the untagged ones must not arrive)" 3 "$arp"
tagged=$(grep -i "src=$PFMAC" "$TP_OUT" | grep -c 'VLAN tci\|type=0x8100' || true)
expect_eq "frames at VF 0 still carrying the port VLAN" 0 "$tagged"

tp_quit
ip link del "$PFDEV.100"
ip link set "$PFDEV" vf 0 vlan 0 max_tx_rate 0
no_kernel_complaints
log PASS
