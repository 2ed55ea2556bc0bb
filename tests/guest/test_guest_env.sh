#!/bin/bash
# The emulated host is what later tests assume: intel-iommu translating with interrupt
# remapping, 256 huge pages, the shares mounted, the stock tools runnable, vfio loadable.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kmsg=$(dmesg)
expect_match "IOMMU" 'DMAR: Intel\(R\) Virtualization Technology for Directed I/O' "$kmsg"
expect_match "interrupt remapping" 'DMAR-IR: Enabled IRQ remapping in (x2apic|xapic) mode' "$kmsg"
expect_eq "IOMMU groups exist" yes "$([ -n "$(ls /sys/kernel/iommu_groups)" ] && echo yes || echo no)"
expect_eq "2 MiB huge pages" 256 "$(cat /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages)"
expect_match "hugetlbfs" '^hugetlbfs /dev/hugepages ' "$(cat /proc/mounts)"

for m in /usr /vfstack /scratch /vfstack-cache; do
	expect_match "9p mount $m" "^[a-z]+ $m 9p " "$(cat /proc/mounts)"
done
[ -f /vfstack/include/vfnic_hw.h ] || fail "repository share: expected /vfstack/include/vfnic_hw.h, seen $(ls /vfstack)"
if echo ok >/scratch/.probe; then rm /scratch/.probe; else fail "scratch share: expected writable, seen read-only"; fi

for t in lspci setpci ip ethtool dpdk-testpmd qemu-system-x86_64 modprobe busybox bash; do
	command -v "$t" >/dev/null || fail "tool $t: expected on PATH ($PATH), seen missing"
done
expect_match "lspci runs" 'Host bridge' "$(lspci)"
expect_match "ethtool runs" 'ethtool version' "$(ethtool --version)"
expect_match "ip runs" '^1: lo: .*UP' "$(ip -o link show lo)"
expect_match "dpdk-testpmd runs" 'EAL|testpmd|Usage' "$(dpdk-testpmd --help 2>&1 || true)"
expect_match "qemu runs" 'QEMU emulator version' "$(qemu-system-x86_64 --version)"

modprobe vfio-pci
expect_match "vfio-pci loaded" '^vfio_pci ' "$(cat /proc/modules)"
[ -c /dev/vfio/vfio ] || fail "/dev/vfio/vfio: expected a character device, seen $(ls -l /dev/vfio 2>&1)"
log "PASS (kernel $(uname -r), $(nproc) CPUs, $(awk '/MemTotal/{print $2}' /proc/meminfo) kB)"
