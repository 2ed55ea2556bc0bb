#!/bin/bash
# Inside L2 (started by l2_lib.sh's l2_start, from the initramfs mkinitramfs l2 packs with
# everything this script runs): the one vfnic VF on this VM's PCI bus goes to
# vfio-pci and stock dpdk-testpmd drives it with net_vfnic_vf; on L1's word (file go: peer MAC
# and seconds) it sends txonly to the peer for that long. It reports through files in its
# scratch share, each written whole: booted, lspci (the VF's lspci -nn line), ready (the MAC
# testpmd shows), stats (TX-packets TX-errors seconds).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pmd_lib.sh"

# report NAME TEXT: hand TEXT to L1 as /scratch/NAME.
report() {
	echo "$2" >"/scratch/.$1"
	mv "/scratch/.$1" "/scratch/$1"
}

report booted "$(cut -d' ' -f1 /proc/uptime)"
log "L2 up after $(cat /scratch/booted)s of its own uptime"
vendor=$(printf %04x "$(hw_const VFNIC_PCI_VENDOR_ID)")
device=$(printf %04x "$(hw_const VFNIC_PCI_DEVICE_ID_VF)")
bdf=$(pci_find "$vendor" "$device")
[ "$(wc -w <<<"$bdf")" = 1 ] || fail "L2: expected one vfnic VF ($vendor:$device), seen '${bdf//$'\n'/ }'; lspci -nn:
$(lspci -nn)"
report lspci "$(lspci -nn -s "$bdf")"
log "$(cat /scratch/lspci)"

# busybox's modprobe ignores vfio's soft dependency on its IOMMU backend (kmod loads it in L1)
modprobe vfio-pci
modprobe vfio_iommu_type1
bind_driver "$bdf" vfio-pci
log "$bdf on vfio-pci, IOMMU group $(basename "$(readlink "/sys/bus/pci/devices/$bdf/iommu_group")")"
mkdir -p /var/run
# testpmd's start-up is most of L2's time: its output is shown as it comes
tail -F "$S/tp0.out" 2>/dev/null &
tailpid=$!
# One vCPU: the main lcore sleeps in the command line, the forwarding lcore shares its CPU.
# No plugin directory in L2: EAL loads only our PMD (pmd_lib.sh's -d) and the ring mempool.
# Every huge page testpmd touches is zeroed and DMA-mapped through two IOMMUs under TCG inside
# TCG: 2048 mbufs (5 MB) instead of 16384 are enough for one queue pair.
TP_LCORES='--lcores 0@0,1@0' TP_START_TIMEOUT=900 \
	tp_start -d /usr/lib/x86_64-linux-gnu/librte_mempool_ring.so.23 -a "$bdf" -- --total-num-mbufs=2048
kill "$tailpid"
tp show port info 0
mac=$(sed -n 's/^MAC address: *//p' <<<"$OUT")
[ -n "$mac" ] || fail "L2: expected a MAC address in testpmd's port info, seen:
$OUT"
tp set fwd txonly
report ready "$mac"

wait_for 900 "L1's go (/scratch/go)" test -f /scratch/go
read -r peer secs </scratch/go
tp set eth-peer 0 "$peer"
start=$EPOCHREALTIME
tp start
sleep "$secs"
tp stop
end=$EPOCHREALTIME
tp show port stats 0
log "port 0 after ${secs}s of txonly:
$(grep -E 'packets|errors' <<<"$OUT")"
report stats "$(port_stat 0 TX-packets) $(port_stat 0 TX-errors) $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')"
# closing the port (mailbox, DMA unmaps through two IOMMUs) took over a minute here
TP_QUIT_TIMEOUT=600 tp_quit
log "done"
