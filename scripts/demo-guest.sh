#!/bin/bash
# The demo, inside the emulated host (L1): vfnic_pf makes the VFs and vfctl provisions them
# from docs/examples/vfctl.yaml (MACs, VLANs, a rate limit, two VFs on vfio-pci); vfctl assigns
# VF 6 to a VM started here (L2, tests/guest/l2_lib.sh), where stock dpdk-testpmd with our PMD
# sends through the card's switch to VF 7, on which testpmd in L1 receives. Each step shows
# what stock tools see; a summary closes it. Any failure stops it with a message naming what
# was expected and what was seen, and a non-zero exit.
# run-in-guest: l2
# shellcheck disable=SC2119 # load_pf takes optional module parameters
set -euo pipefail
TESTS=$(dirname "$0")/../tests/guest
. "$TESTS/lib.sh"
. "$TESTS/pf_lib.sh"
. "$TESTS/pmd_lib.sh"
. "$TESTS/vfctl_lib.sh"
. "$TESTS/l2_lib.sh"

RATE=2 # Mbit/s on VF 6 (~3 kpps of 64-byte frames): L1's receiver keeps up with all L2 sends
SECS=10

say() { printf '\n\033[1m== [%4ds] %s\033[0m\n' "$SECONDS" "$*"; }
l2_step() { printf '   [%4ds] %s\n' "$SECONDS" "$*"; }
log() { printf '   [%4ds] %s\n' "$SECONDS" "$*"; }

say "the vfnic card, as lspci sees it"
lspci -nn -d "$(printf %04x "$(hw_const VFNIC_PCI_VENDOR_ID)")":
lspci -vvv -s "$(vfnic_pf_bdf)" | grep -E 'SR-IOV|Initial VFs|VF offset'

say "loading vfnic_pf"
vfctl_setup
echo "PF $PF is $PFDEV"

say "vfctl apply docs/examples/vfctl.yaml"
sed -e '/^ *#/d' -e 's/ *#.*//' "$CONF"
t0=$EPOCHREALTIME
ok "apply" apply "$CONF"
t1=$EPOCHREALTIME
check_example "after vfctl apply"
apply_ms=$(((${t1/./} - ${t0/./}) / 1000))
echo "applied in $apply_ms ms; ip -d link show $PFDEV:"
vf_table

say "a rate limit on VF 6, then VF 6 to a VM (L2) with vfctl assign"
ok "rate limit on VF 6" set "$PFDEV" 6 rate "$RATE"
vf_line 6
# for the summary: the configuration as L2 gets it, rate limit included
ok "status" status "$PFDEV"
STATUS=$out
l2_traffic "$PFDEV" 6 web1 7 "$SECS"

VF6=$(vf_bdf 6) VF7=$(vf_bdf 7)
vendor=$(printf %04x "$(hw_const VFNIC_PCI_VENDOR_ID)")
device=$(printf %04x "$(hw_const VFNIC_PCI_DEVICE_ID_VF)")
expect_match "L2's lspci line of its VF" "^00:[0-9a-f]{2}\.[0-7] .*\[$vendor:$device\]" "$L2_LSPCI"
expect_eq "VF 6 MAC in L2's testpmd (given by the PF)" 02:00:00:00:01:06 "$L2_MAC"
((L2_TX > 0)) || fail "L2 txonly: expected packets sent, seen $L2_TX"
expect_eq "L2 TX-errors" 0 "$L2_TXERR"
expect_eq "L1 RX-packets on VF 7 (= L2's TX-packets on VF 6)" "$L2_TX" "$L1_RX"
pps=$(awk -v n="$L2_TX" -v s="$L2_SECS" 'BEGIN { printf "%.0f", n / s }')
# testpmd's txonly frames are 64 bytes; the PF's rate limit counts frame bytes
mbit=$(awk -v p="$pps" 'BEGIN { printf "%.2f", p * 64 * 8 / 1e6 }')

say "summary"
cat <<SUM
VFs created and configured by vfctl apply in $apply_ms ms (docs/examples/vfctl.yaml):
  ${STATUS//$'\n'/$'\n'  }
VM web1 (L2), VF 6 ($VF6 in L1) assigned by vfctl assign, booted in ${L2_BOOT}s; its lspci:
  $L2_LSPCI
traffic through the vfnic switch, 64-byte frames, ${L2_SECS}s, VF 6 limited to $RATE Mbit/s:
  L2 testpmd (net_vfnic_vf, MAC $L2_MAC) txonly: $L2_TX packets sent, $L2_TXERR errors
  L1 testpmd (net_vfnic_vf, VF 7 $VF7, MAC $L1_MAC) rxonly: $L1_RX received, $L1_RXMISS missed
  rate: $pps packets/s, $mbit Mbit/s of frames
SUM
echo
echo "demo completed in ${SECONDS}s"
