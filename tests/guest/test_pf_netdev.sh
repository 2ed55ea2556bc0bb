#!/bin/bash
# The PF netdev of vfnic_pf with stock tools: it comes up with carrier and the MAC of FN_MAC;
# ethtool -i/-S/-d/-g/-G and the link report work; it transmits to the uplink (ARP), receives
# what a VF sends through the switch (frames from the test VF client), changes MTU within
# 68..9000, and survives a PF reset (ethtool --reset) with the link back up.
# shellcheck disable=SC2119 # load_pf takes optional module parameters
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pf_lib.sh"

load_pf
ip link set "$PFDEV" up
wait_for 10 "carrier on $PFDEV" grep -qx 1 "/sys/class/net/$PFDEV/carrier"
expect_match "$PFDEV is up" 'state UP' "$(ip link show "$PFDEV")"

# --- ethtool -i, link ---------------------------------------------------------------------------------
info=$(ethtool -i "$PFDEV")
expect_match "ethtool -i driver" '^driver: vfnic_pf$' "$info"
expect_match "ethtool -i bus-info" "^bus-info: $PF\$" "$info"
expect_match "ethtool -i firmware-version" '^firmware-version: hw 1\.0 mbx 1\.0$' "$info"
expect_match "ethtool -i supports register dump" '^supports-register-dump: yes$' "$info"
link=$(ethtool "$PFDEV")
expect_match "ethtool speed" 'Speed: 10000Mb/s' "$link"
expect_match "ethtool link" 'Link detected: yes' "$link"

# --- rings ----------------------------------------------------------------------------------------------
rings=$(ethtool -g "$PFDEV")
expect_match "ethtool -g maximum" "$(printf 'RX:\t+%s' "$(hw_const VFNIC_Q_LEN_MAX)")" "$rings"
expect_eq "ethtool -g current rx" 256 "$(awk '/Current hardware settings/ { c = 1 } c && /^RX:/ { print $2; exit }' <<<"$rings")"
ethtool -G "$PFDEV" rx 512 tx 128 || fail "ethtool -G rx 512 tx 128: expected success, seen failure"
rings=$(ethtool -g "$PFDEV")
expect_eq "rx ring after -G" 512 "$(awk '/Current hardware settings/ { c = 1 } c && /^RX:/ { print $2; exit }' <<<"$rings")"
expect_eq "tx ring after -G" 128 "$(awk '/Current hardware settings/ { c = 1 } c && /^TX:/ { print $2; exit }' <<<"$rings")"
if ethtool -G "$PFDEV" rx 100 2>/dev/null; then fail "ethtool -G rx 100: expected an error (not a power of 2), seen success"; fi
wait_for 10 "carrier after -G" grep -qx 1 "/sys/class/net/$PFDEV/carrier"

# --- register dump: GLB_VERSION is in it ----------------------------------------------------------
ethtool -d "$PFDEV" raw on >"$VFSTACK_SCRATCH/regs.bin" || fail "ethtool -d: expected a dump, seen failure"
size=$(stat -c %s "$VFSTACK_SCRATCH/regs.bin")
# function block, PF queue pairs, RSS, counters, globals, PF admin block: at least the queues
min=$(($(hw_const VFNIC_PF_MAX_QP) * $(hw_const VFNIC_QP_STRIDE)))
[ "$size" -gt "$min" ] || fail "ethtool -d size: expected more than $min bytes, seen $size"
words=$(od -An -v -tx4 "$VFSTACK_SCRATCH/regs.bin" | tr -s ' \n' '\n\n')
expect_match "GLB_VERSION in the register dump" "^$(printf %08x "$(hw_const VFNIC_VERSION)")\$" "$words"
expect_match "ethtool -d (hex)" '^0x0000:' "$(ethtool -d "$PFDEV")"

# --- transmit: ARP for an address nobody has goes out to the uplink --------------------------------------
ip addr add 192.0.2.1/24 dev "$PFDEV"
tx0=$(pfstat tx_packets) up0=$(ethstat uplink_tx_packets)
ping -c 3 -i 0.3 -W 1 192.0.2.2 >/dev/null 2>&1 || true
tx1=$(pfstat tx_packets) up1=$(ethstat uplink_tx_packets)
((tx1 > tx0)) || fail "tx_packets after ARP: expected more than $tx0, seen $tx1"
((up1 > up0)) || fail "uplink_tx_packets after ARP: expected more than $up0, seen $up1"
expect_match "ethtool -S has per-queue counters" '^ +tx_q0_packets: [1-9]' "$(ethtool -S "$PFDEV")"

# --- receive: a VF's broadcast frames reach the PF through the switch -------------------------------------
if [ -x "$VFCLIENT" ]; then
	set_numvfs 1
	modprobe vfio-pci
	bind_driver "$(vf_bdf 0)" vfio-pci
	rx0=$(pfstat rx_packets)
	out=$("$VFCLIENT" "$(vf_bdf 0)" negotiate config-queues send-frame 5 2>&1) || fail "vfclient send-frame: expected success, seen:
$out"
	wait_for 5 "5 frames from VF 0 on $PFDEV" pf_rx_at_least $((rx0 + 5))
	expect_match "VF 0 tx in ip -s link" 'TX: bytes' "$(ip -s link show "$PFDEV")"
	vf_bdf 0 >/sys/bus/pci/drivers/vfio-pci/unbind
	set_numvfs 0
	log "received $(($(pfstat rx_packets) - rx0)) frames from VF 0"
else
	log "SKIP receive check: no $VFCLIENT (make -C tests/vfclient)"
fi

# --- MTU ------------------------------------------------------------------------------------------------
ip link set "$PFDEV" mtu 9000 || fail "mtu 9000: expected success, seen failure"
expect_match "mtu 9000" 'mtu 9000' "$(ip link show "$PFDEV")"
if ip link set "$PFDEV" mtu 9001 2>/dev/null; then fail "mtu 9001: expected an error, seen success"; fi
ip link set "$PFDEV" mtu 1500

# --- PF reset ---------------------------------------------------------------------------------------------
ethtool --reset "$PFDEV" all >/dev/null || fail "ethtool --reset all: expected success, seen failure"
expect_eq "pf_resets after ethtool --reset" 1 "$(ethstat pf_resets)"
wait_for 10 "carrier after the reset" grep -qx 1 "/sys/class/net/$PFDEV/carrier"
ping -c 1 -W 1 192.0.2.2 >/dev/null 2>&1 || true
((tx1 < $(pfstat tx_packets))) || fail "tx_packets after the reset: expected more than $tx1, seen $(pfstat tx_packets)"

ip link set "$PFDEV" down
unload_pf
no_kernel_complaints
log "PASS"
