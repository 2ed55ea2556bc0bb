#!/bin/bash
# net_vfnic_vf probe: two VFs bound to vfio-pci, stock dpdk-testpmd with -d probes both over
# vfio and intel-iommu; 'show port info' has the MAC the PF assigned and the link up at the
# speed FN_STATUS reports; port stop/start and close work and the PF sees the VF reset; a
# tx_free_thresh too large for the ring is refused; a ring of 96 descriptors is rounded up to
# 128; rx/tx descriptor status and the rx used count answer.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pf_lib.sh"
. "$(dirname "$0")/pmd_lib.sh"

pmd_setup 2
tp_start -a "${VF_BDF[0]}" -a "${VF_BDF[1]}"
expect_match "probe of ${VF_BDF[0]}" "Probe PCI driver: net_vfnic_vf .* device: ${VF_BDF[0]}" "$(cat "$TP_OUT")"
expect_match "probe of ${VF_BDF[1]}" "Probe PCI driver: net_vfnic_vf .* device: ${VF_BDF[1]}" "$(cat "$TP_OUT")"
for p in 0 1; do
	tp show port info $p
	log "port $p info:"; sed 's/^/    /' <<<"$OUT" | head -n 30
	expect_match "port $p MAC" "MAC address: ${VF_MAC[p]^^}" "$OUT"
	expect_match "port $p driver" "Driver name: net_vfnic_vf" "$OUT"
	expect_match "port $p link" "Link status: up" "$OUT"
	expect_match "port $p speed" "Link speed: 10 Gbps" "$OUT"
done
tp port stop all
tp port start all
expect_match "port start after stop" "Port 1: ${VF_MAC[1]^^}" "$OUT"
tp show port info 0
expect_match "port 0 link after restart" "Link status: up" "$OUT"
# tx_free_thresh: the ring's size is refused with the driver's reason, one less (clean every
# finished block, docs/vf_driver.md) is taken, and 0 is the default again.
tp port stop all
tp port config all txfreet 512
tp port start 0
expect_match "txfreet 512 refused" "tx_free_thresh 512: expected 0 \(the default\) or less than the ring's 512 descriptors" "$OUT"
expect_match "txfreet 512: port 0 not started" "Fail to configure port 0 tx queues" "$OUT"
tp port config all txfreet 511
tp port start all
expect_match "port 0 starts with txfreet 511" "Port 0: ${VF_MAC[0]^^}" "$OUT"
tp port stop all
tp port config all txfreet 0
tp port start all
expect_match "port 0 starts with txfreet 0" "Port 0: ${VF_MAC[0]^^}" "$OUT"
# ring sizes: ethdev checks the alignment (32), the driver takes the next power of two
tp port stop all
tp port config all rxd 96
tp port start all
expect_match "rxd 96 rounded up" "rxq 0: 96 descriptors rounded up to 128" "$OUT"
expect_match "port 0 starts with rxd 96" "Port 0: ${VF_MAC[0]^^}" "$OUT"
tp show rxq info 0 0
expect_match "rxq 0 info: ring size" "Number of RXDs: 128" "$OUT"
expect_match "rxq 0 info: buffer size" "RX buffer size: [0-9]+" "$OUT"
# descriptor status: the rx ring of 128 has 127 slots given to the device, the last one not;
# nothing was sent, so every tx slot is free
tp show port 0 rxq 0 desc 0 status
expect_match "rxq 0 desc 0" "Desc status = (AVAILABLE|DONE)" "$OUT"
tp show port 0 rxq 0 desc 127 status
expect_match "rxq 0 desc 127" "Desc status = UNAVAILABLE" "$OUT"
tp show port 0 txq 0 desc 0 status
expect_match "txq 0 desc 0" "Desc status = DONE" "$OUT"
tp show port 0 rxq 0 desc used count
expect_match "rxq 0 used count" "Used desc count = [0-9]+" "$OUT"
tp_quit
no_kernel_complaints
log PASS
