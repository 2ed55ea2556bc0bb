#!/bin/bash
# Inside L2 (started by l2_lib.sh's l2_start): the one vfnic VF on this VM's PCI bus goes to
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

modprobe vfio-pci
bind_driver "$bdf" vfio-pci
log "$bdf on vfio-pci, IOMMU group $(basename "$(readlink "/sys/bus/pci/devices/$bdf/iommu_group")")"
mkdir -p /var/run
# EAL loads every driver plugin in its directory (~130, some pulling big libraries): over two 9p
# hops under TCG inside TCG, minutes. Only those testpmd links to and the ring mempool are kept.
pmds=$(ls -d /usr/lib/x86_64-linux-gnu/dpdk/pmds-*)
mkdir /tmp/pmds
for f in $(ldd /usr/bin/dpdk-testpmd | awk -v d="$pmds/" 'index($3, d) == 1 { print $3 }') \
	"$pmds/librte_mempool_ring.so"; do
	cp -L "$f" /tmp/pmds/
done
mount --bind /tmp/pmds "$pmds"
# one vCPU: the main lcore sleeps in the command line, the forwarding lcore shares its CPU
TP_LCORES='--lcores 0@0,1@0' TP_START_TIMEOUT=900 tp_start -a "$bdf" --
tp show port info 0
mac=$(sed -n 's/^MAC address: *//p' <<<"$OUT")
[ -n "$mac" ] || fail "L2: expected a MAC address in testpmd's port info, seen:
$OUT"
tp set fwd txonly
report ready "$mac"

wait_for 900 "L1's go (/scratch/go)" test -f /scratch/go
read -r peer secs </scratch/go
tp set eth-peer 0 "$peer"
start=$(date +%s.%N)
tp start
sleep "$secs"
tp stop
end=$(date +%s.%N)
tp show port stats 0
log "port 0 after ${secs}s of txonly:
$(grep -E 'packets|errors' <<<"$OUT")"
report stats "$(port_stat 0 TX-packets) $(port_stat 0 TX-errors) $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')"
tp_quit
log "done"
