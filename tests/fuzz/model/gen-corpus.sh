#!/usr/bin/env bash
# Write the seed corpus of the model harness (fuzz_model.c) into DIR
# (default: ./corpus). Commands 0-11 are those of vfnic_fuzz.c, so the
# QEMU harness's seeds come first (its gen-corpus.sh); then what only this
# harness does: frames from the wire (unicast, broadcast, VLAN, jumbo over
# several rx buffers), a port VLAN and anti-spoofing on the way out, the
# uplink's link, IOMMU faults on a buffer page, no IOMMU (a buffer in
# another function's memory, a buffer in the PF's registers), system reset,
# the rate limiter's timer, the PF's own MAC and promiscuous mode
# changing under traffic, the tx tails in memory, polled (also with the
# polling's bottom half run by a nested aio_poll() inside an entry), and
# the traffic generator (to a VF, then running until a PF reset stops it).
# Keep the bytes in step with the OP_* list.
set -euo pipefail
here=$(dirname "$0")
dir=${1:-$here/corpus}
mkdir -p "$dir"
bash "$here/../vfnic_model/gen-corpus.sh" "$dir"

b() { printf '\\x%02x' "$@"; }
le16() { b $(($1 & 255)) $(($1 >> 8 & 255)); }
le32() { le16 $(($1 & 0xffff)); le16 $(($1 >> 16 & 0xffff)); }
seed() { printf "$2" >"$dir/$1"; }

EOP=1
# tx FN LEN DST [ADDR]: FN sends LEN bytes from its own MAC to function
# DST's MAC, or (DST "wire") to a MAC no function has; ADDR: buffer address
tx() {
	local sel dst=$3
	if [ "$dst" = wire ]; then sel=0; else sel=$((0x80 | dst)); fi
	[ $# -gt 3 ] && sel=$((sel | 0x40))
	b 5 "$1"; le16 "$2"; le16 $EOP; le16 0; b "$sel"
	b 2 0x99 0 0 0 1 2 0 0 0 0 "$1" 8 0 0x45 0
	[ $# -gt 3 ] && le32 "$4"
	return 0
}
# wire SEL LEN BYTES...: a frame from the wire; SEL 0x80|fn to fn's MAC,
# 0xc0 broadcast; BYTES are its first bytes (source MAC on)
wire() {
	local sel=$1 len=$2
	shift 2
	b 12 "$sel"; le16 "$len"; b $((6 + $#)); b 0 0 0 0 0 0 "$@"
}
clock() { b 7; le16 "$1"; }
adm() { b 16 "$1"; le16 "$2"; le32 "$3"; }
fn_wr() { b 0 "$1"; le16 "$2"; le32 "$3"; }
src="0x02 0x77 0 0 0 9"
ip="0x08 0x00 0x45 0"

seed wire-unicast "$(wire $((0x80 | 1)) 64 $src $ip)$(wire $((0x80 | 0)) 64 $src $ip)"
seed wire-broadcast "$(wire 0xc0 60 $src $ip)"
seed wire-jumbo "$(adm 2 0x14 9000)$(wire $((0x80 | 2)) 9000 $src $ip)"
seed wire-vlan "$(adm 3 0x200 0x20)$(wire $((0x80 | 3)) 64 $src 0x81 0 0 5 $ip)"
seed wire-port-vlan "$(adm 1 0x8 $((0x80000000 | 7)))$(wire $((0x80 | 1)) 64 $src 0x81 0 0 7 $ip)"
seed tx-wire "$(tx 1 64 wire)$(tx 0 64 wire)$(clock 10)"
seed tx-port-vlan "$(adm 2 0x8 $((0x80000000 | 0x3000 | 9)))$(tx 2 64 wire)$(clock 10)"
seed tx-spoofed "$(b 5 1)$(le16 64)$(le16 $EOP)$(le16 0)$(b 0)$(b 2 0x99 0 0 0 1 2 0 0 0 0 2 8 0 0x45 0)$(clock 10)"
seed link "$(b 13 1)$(tx 1 64 wire)$(wire 0xc0 60 $src $ip)$(b 13 0)$(tx 1 64 wire)"
# fn 2's first rx buffer (page 0x10 of its window) unmapped, then traffic
seed iommu-fault "$(b 14 2 0x10)$(wire $((0x80 | 2)) 64 $src $ip)$(tx 1 64 2)"
# no IOMMU: VF 0 sends from VF 1's memory, then from the PF's registers
seed no-iommu "$(b 14 0x81)$(tx 1 64 3 0x340000)$(tx 1 64 3 0xc0000000)$(tx 2 16 1 0xc0204000)"
seed sys-reset "$(b 15)$(tx 1 64 2)$(wire 0xc0 60 $src $ip)"
# VF 0 keeps its tx tail in memory (a block in its own MiB, doorbells
# wanted); its doorbell starts the device polling, which then sends the
# frame VF 0 posts with its tail in memory only, then a bad tail
mem() { b 4; le32 $(($1 - 0x100000)); b $((${#2} / 4 - 1)); printf '%s' "$2"; }
txd="$(le32 0x209000)$(le32 0)$(le16 60)$(le16 0)$(le16 $EOP)$(le16 0)"
seed tx-tail-shadow "$(mem 0x208000 "$(le32 1)")$(mem 0x208020 "$(le32 1)")$(fn_wr 1 0x48 0x208001)\
$(tx 1 64 2)$(clock 10)$(mem 0x209000 "$(b 2 0 0 0 0 2 2 0 0 0 0 1 8 0 0x45 0)")$(mem 0x201010 "$txd")\
$(mem 0x208000 "$(le32 2)")$(clock 10)$(mem 0x208000 "$(le32 99)")$(clock 1000)"
# no IOMMU, and VF 0 polled as above, its doorbell's polling not yet run
# when VF 0 posts a frame with its tail in memory only; then VF 2 sends
# from another device's register whose access drains (a nested aio_poll()
# inside VF 2's entry, FAKE_DRAIN_BAR), which runs the polling's bottom
# half: it must do no DMA there (the fake aborts) and wait for the entry's end
seed nested-aio-poll "$(b 14 0x81)$(mem 0x208000 "$(le32 1)")$(mem 0x208020 "$(le32 1)")$(fn_wr 1 0x48 0x208001)\
$(tx 1 64 2)$(mem 0x209000 "$(b 2 0 0 0 0 2 2 0 0 0 0 1 8 0 0x45 0)")$(mem 0x201010 "$txd")\
$(mem 0x208000 "$(le32 2)")$(tx 3 64 wire 0xc0400000)$(clock 10)"
seed rate-timer "$(adm 1 0x10 1)$(tx 1 1500 2)$(tx 1 1500 2)$(tx 1 1500 2)$(clock 20000)$(clock 60000)"
# the PF's own MAC (FN_MAC_HI: now VF 1's too) and PROMISC (FN_RX_FILTER)
# changed after the switch has built its MAC table
seed pf-mac "$(tx 1 64 0)$(fn_wr 0 0x14 0x0200)$(tx 1 64 2)$(tx 1 64 0)"
seed pf-promisc "$(tx 1 64 wire)$(fn_wr 0 0x30 1)$(tx 1 64 wire)$(fn_wr 0 0x30 0)$(tx 1 64 wire)"
# the generator: 40 frames to fn 2's MAC (VFNIC_FUZZ_MAC_*), which fill its
# ring; then to nobody with no end, until a PF reset
pf_wr() { b 2; le32 $(($1 - 0x4000)); le32 "$2"; }
seed tgen "$(pf_wr 0x4208 2)$(pf_wr 0x420c 0x200)$(pf_wr 0x4210 40)$(pf_wr 0x4200 1)$(clock 10)\
$(pf_wr 0x420c 0x900)$(pf_wr 0x4204 1514)$(pf_wr 0x4210 0)$(pf_wr 0x4200 1)$(clock 10)$(fn_wr 0 8 1)$(clock 10)"
