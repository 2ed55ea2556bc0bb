#!/usr/bin/env bash
# Write the seed corpus of the vfnic-fuzz target (vfnic_fuzz.c) into DIR
# (default: ./corpus): frames between functions through the switch, with a
# VLAN, checksum offload, a buffer no RAM backs; a mailbox request; and
# each of FLR, VF disable/enable, bus mastering off, a ring moved off RAM,
# device reset, queue reset, rate limit, a disabled VF and the switch off,
# each followed by traffic. The bytes are vfnic_fuzz.c's OP_* commands;
# keep the two in step.
set -euo pipefail
dir=${1:-$(dirname "$0")/corpus}
mkdir -p "$dir"

b() { printf '\\x%02x' "$@"; }
le16() { b $(($1 & 255)) $(($1 >> 8 & 255)); }
le32() { le16 $(($1 & 0xffff)); le16 $(($1 >> 16 & 0xffff)); }

# tx FN LEN CMD VLAN DEST: a frame from FN to function DEST's MAC, or to
# the broadcast address (DEST "bcast"; the selector leaves the frame's
# bytes as they are), or from an address no RAM backs (DEST "bad").
tx() {
	local sel frame dst="0 0 0 0 0 0"
	case $5 in
	bad) sel=$((0xc0 | 2)) ;;
	bcast) sel=0 dst="255 255 255 255 255 255" ;;
	*) sel=$((0x80 | $5)) ;;
	esac
	# shellcheck disable=SC2086 # dst is six bytes
	frame="$(b $dst 2 0 0 0 0 "$1" 8 0 0x45 0)"
	b 5 "$1"; le16 "$2"; le16 "$3"; le16 "$4"; b "$sel"; printf '%s' "$frame"
	[ "$5" = bad ] && le32 0xfee00000
	return 0
}
clock() { b 7; le16 "$1"; }
fn_wr() { b 0 "$1"; le16 "$2"; le32 "$3"; }
pf_wr() { b 2; le32 $(($1 - 0x4000)); le32 "$2"; }	# PF offsets >= 0x4000
adm() { echo $((0x10000 + $1 * 0x1000 + $2)); }
# mem ADDR BYTES: write BYTES (a string of \x escapes, up to 64) at ADDR
mem() { b 4; le32 $(($1 - 0x100000)); b $((${#2} / 4 - 1)); printf '%s' "$2"; }
rxd() { le32 "$1"; le32 0; le32 0; le32 0; }	# an rx descriptor for buffer $1

EOP=1 VLAN=2 CSUM=4
traffic="$(tx 1 64 $EOP 0 2)$(tx 2 60 $EOP 0 1)$(tx 0 128 $EOP 0 3)$(clock 100)"
seed() { printf "$2" >"$dir/$1"; }

seed tx-vf-to-vf "$traffic"
seed tx-broadcast "$(tx 1 64 $EOP 0 bcast)$(clock 10)"
seed tx-vlan "$(tx 1 64 $((EOP | VLAN)) 100 2)$(clock 10)"
seed tx-csum "$(tx 3 90 $((EOP | CSUM)) 0 1)$(clock 10)"
seed tx-multi "$(tx 1 100 0 0 2)$(tx 1 100 $EOP 0 2)$(clock 10)"
seed tx-bad-addr "$(tx 1 64 $EOP 0 bad)$(clock 10)"
seed rx-refill "$traffic$(b 6 2 16)$traffic"
# VERSION 1.0 from VF 0, then the doorbell
seed mbx "$(b 11 1)$(le32 0x00040101)$(le32 0)$(le32 1)$(le32 0)$(b 1)$(clock 10)"
seed flr "$(b 8 0)$traffic"
seed sriov "$(b 9 2)$traffic"
seed no-bus-master "$(b 10 1 0)$(le16 2)$traffic"
# a ring's geometry changes only while it is stopped: stop, move, restart
seed ring-off-ram "$(fn_wr 1 $((0x1000 + 0x34)) 0)$(fn_wr 1 $((0x1000 + 0x20)) 0xe0000000)$(fn_wr 1 $((0x1000 + 0x34)) 1)$traffic"
seed pf-reset "$(fn_wr 0 8 1)$traffic"
seed queue-reset "$(pf_wr "$(adm 1 0x1c)" 1)$traffic"
seed rate-limit "$(pf_wr "$(adm 1 0x10)" 1)$traffic$traffic$(clock 60000)"
seed vf-disabled "$(pf_wr "$(adm 2 0xc)" 0x10000)$traffic"
# RSS on VF 1 (function 2): queue pair 1 gets a ring of its own with four
# buffers, a key and a table spreading over queues 0 and 1; then a UDP/IPv4
# frame (the header past the harness's 16 bytes written into VF 0's first
# tx buffer) and a plain one. Function 2's memory starts at 0x300000.
rss="$(fn_wr 2 0x1040 0x302000)$(fn_wr 2 0x1048 32)$(fn_wr 2 0x1058 2048)"
rss+="$(fn_wr 2 0x1054 1)$(mem 0x302000 "$(rxd 0x380000)$(rxd 0x380800)$(rxd 0x381000)$(rxd 0x381800)")"
rss+="$(fn_wr 2 0x1050 4)$(fn_wr 2 0x2000 7)$(fn_wr 2 0x2040 0x6d5a56da)$(fn_wr 2 0x2044 0x255b0ec2)"
for i in $(seq 0 31); do rss+="$(fn_wr 2 $((0x2100 + 4 * i)) 0x01000100)"; done
rss+="$(mem 0x240010 "$(b 0 0x2e 0 0 0 0 0x40 17 0 0 10 0 0 1 10 0 0 2 4 0xd2 0x16 0x2e 0 0x1a)")"
seed rss "$rss$(tx 1 64 $EOP 0 2)$(tx 1 64 $EOP 0 2)$(clock 10)"
# VF 2 (function 3) restarts its rx ring (no free descriptor) and keeps
# its rx tail in memory instead: the device reads it when it runs out.
seed rx-tail-shadow "$(fn_wr 3 0x1014 0)$(fn_wr 3 0x1014 1)$(fn_wr 3 0x40 0x430001)$(mem 0x430000 "$(le32 8)")$traffic$(tx 1 64 $EOP 0 3)$(clock 10)"
seed switch-off "$(pf_wr 0x4040 0)$traffic"
