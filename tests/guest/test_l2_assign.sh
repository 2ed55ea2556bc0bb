#!/bin/bash
# The full assignment path to a VM: vfctl apply of the example, VF 6 (vfio-pci, VM web1) assigned
# by vfctl to a VM started inside L1 (L2, l2_lib.sh), which sees it on its own PCI bus; stock
# dpdk-testpmd with net_vfnic_vf in L2 probes it with the MAC the PF gave it and sends txonly
# through the vfnic switch to VF 7, where L1's testpmd receives every packet (VF 6 rate limited
# by the PF, so none may be lost); release puts VF 6 back to its configured state.
# Under TCG inside TCG it takes about 6 minutes on a quiet machine and over 20 at load 8-11.
# guest-timeout: 2400
# run-in-guest: l2
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pf_lib.sh"
. "$(dirname "$0")/pmd_lib.sh"
. "$(dirname "$0")/vfctl_lib.sh"
. "$(dirname "$0")/l2_lib.sh"

RATE=2 # Mbit/s on VF 6 (~3 kpps of 64-byte frames): L1's receiver keeps up with all L2 sends
SECS=10

vfctl_setup
ok "apply" apply "$CONF"
configured=$(vf_line 6)
expect_match "VF 6 as configured" 'link/ether 02:00:00:00:01:06 .*spoof checking on, link-state auto, trust off' "$configured"
ok "rate limit on VF 6" set "$PFDEV" 6 rate "$RATE"

l2_traffic "$PFDEV" 6 web1 7 "$SECS"
log "L2 booted in ${L2_BOOT}s; L2 TX $L2_TX (errors $L2_TXERR) in ${L2_SECS}s; L1 RX $L1_RX (missed $L1_RXMISS)"

VF6=$(vf_bdf 6)
expect_eq "vfctl assign's QEMU arguments" "-device vfio-pci,host=$VF6,id=vfctl-${VF6//:/-}" "$L2_DEVARGS"
# on L2's own root bus (00), where L1 has it behind the root port (bus 01 on)
expect_match "L2's lspci line of the VF" \
	"^00:[0-9a-f]{2}\.[0-7] Ethernet controller \[0200\]: .*\[$(printf %04x "$(hw_const VFNIC_PCI_VENDOR_ID)"):$(printf %04x "$(hw_const VFNIC_PCI_DEVICE_ID_VF)")\]" \
	"$L2_LSPCI"
[[ $VF6 != 0000:00:* ]] || fail "VF 6 in L1: expected it behind the root port, seen $VF6"
expect_eq "VF 6 MAC in L2's testpmd (given by the PF)" 02:00:00:00:01:06 "$L2_MAC"
expect_eq "VF 7 MAC in L1's testpmd" 02:00:00:00:01:07 "$L1_MAC"
((L2_TX > 1000)) || fail "L2 txonly for ${SECS}s: expected more than 1000 packets sent, seen $L2_TX"
expect_eq "L2 TX-errors" 0 "$L2_TXERR"
expect_eq "L1 RX-packets on VF 7 (= L2's TX-packets on VF 6)" "$L2_TX" "$L1_RX"
expect_eq "L1 RX-missed on VF 7" 0 "$L1_RXMISS"

# released: no VM, the configured state back (the rate limit set during the assignment is gone),
# the driver the configuration asks for
expect_eq "VF 6 after release" "$configured" "$(vf_line 6)"
expect_eq "VF 6 driver after release" vfio-pci "$(basename "$(readlink "/sys/bus/pci/devices/$VF6/driver")")"
ok "status after release" status --json
if grep -q '"vm": "web1"' <<<"$out"; then fail "status after release: expected VF 6 not assigned, seen web1"; fi

ok "destroy" destroy "$PFDEV"
unload_pf
no_kernel_complaints
log PASS
