#!/bin/bash
# The card's traffic generator (hardware.md section 10.1) through vfnic_pf's debugfs
# (/sys/kernel/debug/vfnic_pf/<PF>/tgen/): defaults; bad writes (len 59 and 1515, malformed
# MACs, garbage, enable 2) fail with EINVAL and change nothing, configuration while it runs
# with EBUSY; COUNT frames to a VF under stock testpmd rxonly arrive as built (source, type,
# length), the generator stops by itself, SENT is COUNT and the VF's port counted every one
# (RX-packets + RX-missed = COUNT); to the PF's own netdev likewise (hw_rx_packets +
# hw_rx_dropped); to a MAC nobody owns, the switch's no-destination counter rises by exactly
# COUNT; a run without end stops when 0 is written to enable, and SENT stops with it; a PF
# reset and unloading the driver stop it too.
# shellcheck disable=SC2119 # load_pf takes optional module parameters
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pf_lib.sh"
. "$(dirname "$0")/pmd_lib.sh"

N=50000			# frames of a counted run
SINK_MAC=02:00:00:00:ee:ee	# owned by no function
LEN_MIN=$(hw_const VFNIC_TGEN_LEN_MIN) LEN_MAX=$(hw_const VFNIC_TGEN_LEN_MAX)
SRC_MAC=$(hw_const VFNIC_TGEN_SRC_MAC | tr -d '{} ' | sed 's/0x//g; s/,/:/g')
TYPE=$(printf 0x%04x "$(hw_const VFNIC_TGEN_ETHERTYPE)")

pmd_setup 1
TG=/sys/kernel/debug/vfnic_pf/$PF/tgen
[ -d "$TG" ] || fail "debugfs: expected $TG, seen $(ls /sys/kernel/debug/vfnic_pf 2>&1)"

tg() { sysfs_get "$TG/$1"; }
tg_set() { echo "$2" >"$TG/$1" || fail "echo $2 > tgen/$1: expected success, seen failure; dmesg:
$(dmesg_tail 5)"; }
tg_off() { [ "$(tg enable)" = 0 ]; }
sent_at_least() { [ "$(tg sent)" -ge "$1" ]; }
printed_at_least() { [ "$(grep -ci "src=$SRC_MAC" "$TP_OUT")" -ge "$1" ]; }
# tg_refused FILE VALUE ERROR: writing VALUE to FILE fails with ERROR (strerror) and FILE
# still reads what it read before
tg_refused() {
	local before out
	before=$(tg "$1")
	if out=$( { echo "$2" >"$TG/$1"; } 2>&1); then
		fail "echo '$2' > tgen/$1: expected '$3', seen success"
	fi
	expect_match "echo '$2' > tgen/$1" "$3" "$out"
	expect_eq "tgen/$1 after the refused '$2'" "$before" "$(tg "$1")"
}

# --- defaults and bad input -------------------------------------------------------------------------
expect_eq "tgen/enable at load" 0 "$(tg enable)"
expect_eq "tgen/len at load" "$LEN_MIN" "$(tg len)"
expect_eq "tgen/count at load" 0 "$(tg count)"
expect_eq "tgen/sent at load" 0 "$(tg sent)"
expect_eq "tgen/dst at load" 00:00:00:00:00:00 "$(tg dst)"
tg_set len 128
tg_set dst "${VF_MAC[0]}"
tg_set count 4
expect_eq "tgen/len" 128 "$(tg len)"
expect_eq "tgen/dst" "${VF_MAC[0]}" "$(tg dst)"
expect_eq "tgen/count" 4 "$(tg count)"
for v in $((LEN_MIN - 1)) $((LEN_MAX + 1)) 0 -1 abc 12x ""; do
	tg_refused len "$v" 'Invalid argument'
done
for v in 02:00:00:00:00 02:00:00:00:00:1 02:00:00:00:00:100 02:00:00:00:00:10:11 \
	zz:00:00:00:00:10 02-00-00-00-00-10x "" 020000000010; do
	tg_refused dst "$v" 'Invalid argument'
done
for v in -1 ten 1.5 18446744073709551616; do
	tg_refused count "$v" 'Invalid argument|Numerical result out of range'
done
tg_refused enable 2 'Invalid argument'
tg_refused enable on 'Invalid argument'
if echo 1 >"$TG/sent" 2>/dev/null; then fail "echo 1 > tgen/sent: expected a refusal (read-only), seen success"; fi

# --- COUNT frames to VF 0 under testpmd rxonly ------------------------------------------------------
tp_start -a "${VF_BDF[0]}" -- --rxd=4096
tp set fwd rxonly
tp set verbose 1
tp start
tg_set enable 1
wait_for 30 "the generator to stop after 4 frames" tg_off
expect_eq "tgen/sent after 4 frames" 4 "$(tg sent)"
# what testpmd printed for them: source, destination, EtherType and length as configured
wait_for 30 "4 frames printed by testpmd" printed_at_least 4
tp stop
frames=$(grep -i "src=$SRC_MAC" "$TP_OUT")
expect_eq "frames from $SRC_MAC at VF 0" 4 "$(wc -l <<<"$frames")"
expect_eq "frames to ${VF_MAC[0]} of type $TYPE and 128 bytes" 4 \
	"$(grep -ciE "dst=${VF_MAC[0]} - .*type=$TYPE - length=128 " <<<"$frames" || true)"
tp set verbose 0
tp clear port stats 0
tp start

tg_set len "$LEN_MIN"
tg_set count "$N"
tg_set enable 1
wait_for 120 "the generator to stop after $N frames" tg_off
expect_eq "tgen/sent after $N frames" "$N" "$(tg sent)"
tp stop
tp show port stats 0
rx=$(port_stat 0 RX-packets) miss=$(port_stat 0 RX-missed)
log "VF 0: $N frames offered, RX-packets $rx, RX-missed $miss"
expect_eq "VF 0 RX-packets + RX-missed (= frames sent)" "$N" "$((rx + miss))"
((rx > 0)) || fail "VF 0 RX-packets: expected frames received, seen 0"
tp_quit

# --- COUNT frames to the PF's own netdev ------------------------------------------------------------
pfmac=$(sysfs_get "/sys/class/net/$PFDEV/address")
tg_set dst "$pfmac"
rx0=$(ethstat hw_rx_packets) drop0=$(ethstat hw_rx_dropped)
tg_set enable 1
wait_for 120 "the generator to stop after $N frames to $PFDEV" tg_off
expect_eq "tgen/sent after $N frames to $PFDEV" "$N" "$(tg sent)"
rx=$(($(ethstat hw_rx_packets) - rx0)) drop=$(($(ethstat hw_rx_dropped) - drop0))
log "$PFDEV: $N frames offered, hw_rx_packets +$rx, hw_rx_dropped +$drop"
expect_eq "$PFDEV hw_rx_packets + hw_rx_dropped (= frames sent)" "$N" "$((rx + drop))"

# --- to a MAC nobody owns ---------------------------------------------------------------------------
tg_set dst "$SINK_MAC"
nd0=$(ethstat switch_no_dest) vf0=$(ethstat vf0_rx_packets)
tg_set enable 1
wait_for 120 "the generator to stop after $N frames to $SINK_MAC" tg_off
expect_eq "tgen/sent after $N frames to $SINK_MAC" "$N" "$(tg sent)"
expect_eq "switch_no_dest rise for $N frames to $SINK_MAC" "$N" "$(($(ethstat switch_no_dest) - nd0))"
expect_eq "vf0_rx_packets rise for frames to $SINK_MAC" 0 "$(($(ethstat vf0_rx_packets) - vf0))"

# --- no end: enable 0 stops it ---------------------------------------------------------------------
tg_set count 0
nd0=$(ethstat switch_no_dest)
tg_set enable 1
wait_for 30 "frames from a generator without end" sent_at_least 1
s1=$(tg sent)
expect_eq "tgen/enable while running" 1 "$(tg enable)"
wait_for 30 "more frames than $s1" sent_at_least $((s1 + 1))
for f in len dst count; do
	tg_refused "$f" "$(tg "$f")" 'Device or resource busy'
done
tg_set enable 0
expect_eq "tgen/enable after echo 0" 0 "$(tg enable)"
s2=$(tg sent)
sleep 1
expect_eq "tgen/sent 1 s after the stop" "$s2" "$(tg sent)"
expect_eq "switch_no_dest rise (= frames sent)" "$s2" "$(($(ethstat switch_no_dest) - nd0))"
log "without end: $s2 frames until stopped"

# --- a PF reset stops it and sets its registers to defaults -----------------------------------------
tg_set len 1000
tg_set enable 1
wait_for 30 "frames before the PF reset" sent_at_least 1
ethtool --reset "$PFDEV" all >/dev/null || fail "ethtool --reset all: expected success, seen failure"
for f in enable:0 len:$LEN_MIN count:0 sent:0 dst:00:00:00:00:00:00; do
	expect_eq "tgen/${f%%:*} after a PF reset" "${f#*:}" "$(tg "${f%%:*}")"
done

# --- unloading the driver stops it ------------------------------------------------------------------
tg_set dst "$SINK_MAC"
tg_set enable 1
wait_for 30 "frames before rmmod" sent_at_least 1
unload_pf
[ ! -e /sys/kernel/debug/vfnic_pf ] || fail "debugfs after rmmod: expected no vfnic_pf directory, seen $(ls -R /sys/kernel/debug/vfnic_pf)"
load_pf
expect_eq "tgen/enable after rmmod and insmod" 0 "$(tg enable)"
s1=$(tg sent)
sleep 0.5
expect_eq "tgen/sent after rmmod, stopped" "$s1" "$(tg sent)"
unload_pf
no_kernel_complaints
log PASS
