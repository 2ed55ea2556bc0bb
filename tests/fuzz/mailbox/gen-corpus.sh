#!/usr/bin/env bash
# Write the seed corpus of fuzz_mailbox into DIR (default: ./corpus): one
# input per request opcode, each bringing a VF up the documented path
# (VERSION, GET_RESOURCES, CONFIG_QUEUES, ENABLE_QUEUES) with the valid
# messages of tests/unit/mailbox_test_msgs.h, then sending that opcode; and
# a few inputs for FLR, events, PF_READY, time and the second VF.
# The bytes are fuzz_mailbox.c's commands; keep the two in step.
set -euo pipefail
dir=${1:-$(dirname "$0")/corpus}
mkdir -p "$dir"

CFG='\x3d'			# 2 queue pairs, all capabilities, trusted
msg() { printf '\\x01\\x%02x\\x00\\x%02x\\x00' "$1" "$2"; }	# valid opcode, seq
svc='\x03\x00'			# PF services the VF
take='\x04'			# VF takes the reply
up="$(msg 1 1)$svc$take$(msg 3 2)$svc$take$(msg 4 3)$svc$take$(msg 5 4)$svc$take"

for op in $(seq 1 17); do
	printf "$CFG$up$(msg "$op" 9)$svc$take" >"$dir/op-$op"
done
printf "$CFG$up"'\x06'"$(msg 1 1)$svc$take" >"$dir/flr"
printf "$CFG$up"'\x09\x00'"$take"'\x09\x02\x03'"$take" >"$dir/events"
printf "$CFG$up"'\x0a'"$(msg 16 5)$svc"'\x0a'"$svc$take" >"$dir/pf-ready"
printf "$CFG$up"'\x05\xff\xff'"$(msg 17 6)$svc$take" >"$dir/time"
printf "$CFG"'\x0b'"$up"'\x0b'"$(msg 1 1)$svc$take" >"$dir/second-vf"
