#!/bin/bash
# The demo, inside the emulated host: the PF driver makes VFs, the
# administrator configures them with iproute2, two go to vfio-pci, and a VF
# driver speaks the mailbox to the PF. Each step shows what stock tools see.
# shellcheck disable=SC2119 # load_pf takes optional module parameters
set -euo pipefail
TESTS=$(dirname "$0")/../tests/guest
. "$TESTS/lib.sh"
. "$TESTS/pf_lib.sh"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "the vfnic card, as lspci sees it"
lspci -nn -d "$(printf %04x "$(hw_const VFNIC_PCI_VENDOR_ID)")":
lspci -vvv -s "$(vfnic_pf_bdf)" | grep -A8 'SR-IOV'

say "loading vfnic_pf and making 8 VFs (echo 8 > sriov_numvfs)"
load_pf
ip link set "$PFDEV" up
t0=$(date +%s%N)
set_numvfs 8
t1=$(date +%s%N)
echo "PF $PF is $PFDEV; 8 VFs in $(((t1 - t0) / 1000000)) ms"

say "configuring VFs with ip link (what vfctl will automate)"
set -x
ip link set "$PFDEV" vf 0 mac 02:00:00:00:00:10
ip link set "$PFDEV" vf 1 mac 02:00:00:00:00:11 vlan 100 qos 2
ip link set "$PFDEV" vf 2 max_tx_rate 100
ip link set "$PFDEV" vf 3 spoofchk off trust on
ip link set "$PFDEV" vf 4 mac 02:00:00:00:00:14
ip link set "$PFDEV" vf 5 mac 02:00:00:00:00:15
{ set +x; } 2>/dev/null
ip -d link show "$PFDEV" | grep -E '^ +vf '

say "VFs 4 and 5 to vfio-pci, each in its own IOMMU group (VT-d)"
modprobe vfio-pci
for i in 4 5; do
	bdf=$(vf_bdf "$i")
	bind_driver "$bdf" vfio-pci
	echo "vf $i: $bdf, driver vfio-pci, IOMMU group $(basename "$(readlink "/sys/bus/pci/devices/$bdf/iommu_group")")"
done

say "a VF driver on vf 4 talks to the PF over the mailbox (through VFIO)"
out=$("$VFCLIENT" "$(vf_bdf 4)" negotiate get-link config-queues enable-queues get-stats)
echo "$out"
mac=$(sed -n 's/^resources .*mac=\([0-9a-f:]*\).*/\1/p' <<<"$out")
expect_eq "MAC vf 4 got over the mailbox" 02:00:00:00:00:14 "$mac"

say "summary"
cat <<SUM
VFs created:      $(cat "$PFDIR/sriov_numvfs") of $(cat "$PFDIR/sriov_totalvfs") (ARI, one IOMMU group each)
configured:       MAC, port VLAN 100 qos 2, 100 Mbit/s limit, spoofchk off + trust
on vfio-pci:      vf 4 $(vf_bdf 4), vf 5 $(vf_bdf 5)
mailbox:          vf 4 negotiated with the PF and got MAC $mac
not yet here:     vfctl apply, the VM (L2) with an assigned VF, dpdk-testpmd rates
                  (issues 5, 6, 7)
SUM
