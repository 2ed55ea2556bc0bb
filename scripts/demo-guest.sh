#!/bin/bash
# The demo, inside the emulated host (L1): vfnic_pf makes the VFs, vfctl applies the example
# configuration (MACs, VLANs, a rate limit, two VFs on vfio-pci) and assigns VF 6 to a VM started
# here (L2), whose stock dpdk-testpmd with net_vfnic_vf sends through the card's switch to VF 7,
# where L1's testpmd receives; then a summary. The path is tests/guest/l2_lib.sh's, which
# test_l2_assign.sh checks.
set -euo pipefail
TESTS=$(dirname "$0")/../tests/guest
. "$TESTS/lib.sh"
. "$TESTS/pf_lib.sh"
. "$TESTS/pmd_lib.sh"
. "$TESTS/vfctl_lib.sh"
. "$TESTS/l2_lib.sh"

SECS=${DEMO_SECS:-10}
l2_step() { printf '\n\033[1m[%s +%ds] %s\033[0m\n' "$(date +%T)" "$SECONDS" "$*"; }
fail() {
	printf '\n\033[1;31mdemo FAILED: %s\033[0m\n' "$*" >&2
	exit 1
}

l2_step "the vfnic card, as lspci sees it in L1"
PF=$(vfnic_pf_bdf)
lspci -nn -s "$PF"
lspci -vvv -s "$PF" | grep -A3 'SR-IOV' | sed 's/^\t*/    /'

l2_step "loading vfnic_pf"
vfctl_setup
echo "PF $PF is $PFDEV, driver $(basename "$(readlink "$PFDIR/driver")")"

l2_step "vfctl apply docs/examples/vfctl.yaml"
sed -n '/^pfs:/,$p' "$VFSTACK_TOP/docs/examples/vfctl.yaml" | sed 's/^/    /'
start=$SECONDS
ok "apply" apply "$CONF"
echo "$out" | sed 's/^/    /'
echo "applied in $((SECONDS - start))s; what the kernel shows (ip -d link show $PFDEV):"
ip -d link show "$PFDEV" | grep -E '^ +vf ' | sed -E 's/^ +/    /'
ok "status" status "$PFDEV"
VFS_STATUS=$out
echo "vfctl status:"
echo "$VFS_STATUS" | sed 's/^/    /'

l2_traffic "$PFDEV" 6 web1 7 "$SECS"

l2_step "after release, VF 6 is back to its configured state"
vf_line 6 | sed -E 's/^ +/    /'

rate=$(awk -v n="$L2_TX" -v s="$L2_SECS" 'BEGIN { printf "%.0f", n / s }')
cat <<SUM

$(printf '\033[1m')== summary ==$(printf '\033[0m')
VFs created:     $(sysfs_get "$PFDIR/sriov_numvfs") on PF $PF ($PFDEV), each in its own IOMMU group
configuration:   MACs 02:00:00:00:01:00-07; VF 0 VLAN 100 qos 2; VF 1 100 Mbit/s limit;
                 VF 2 VLAN 200 802.1ad; VF 3 trusted, spoofchk off; VF 6 and 7 on vfio-pci
assigned:        VF 6 to VM web1 (L2) by vfctl assign: $L2_DEVARGS
L2 sees:         $L2_LSPCI
L2 testpmd:      net_vfnic_vf on it, MAC $L2_MAC (set by the PF)
traffic:         L2 VF 6 sent $L2_TX packets (64 B, txonly) in ${L2_SECS}s, $rate pps
                 L1 VF 7 received $L1_RX ($L1_RXMISS missed) through the vfnic switch
L2 boot:         ${L2_BOOT}s (TCG inside TCG); demo in L1: ${SECONDS}s
SUM
if [ "$L1_RX" != "$L2_TX" ]; then
	fail "L1 received $L1_RX packets, L2 sent $L2_TX"
fi
ok "destroy" destroy "$PFDEV"
unload_pf
