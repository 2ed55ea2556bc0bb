#!/bin/bash
# A hostile VF, driven by the test VF client over VFIO, against vfnic_pf and the vfnic model
# (docs/security.md lists which line of the threat model each part proves):
# 1. requests out of order (before VERSION, before GET_RESOURCES) and a foreign major version are
#    refused with E_STATE / E_VERSION and change nothing; the VF negotiates normally afterwards;
# 2. wrong lengths and counts (payload longer or shorter than the opcode's, array counts 0 or over
#    the maximum, len beyond the buffer) are refused E_LEN / E_COUNT, no filter is added;
# 3. a VF flooding valid requests is rate limited (E_RATE) while another VF's requests, issued at
#    the same time, are all answered OK and promptly, and the administrator's commands still work;
#    a VF that never takes its replies stalls only its own mailbox;
# 4. frames with a forged source MAC or a VLAN the VF was not given are dropped by anti-spoof and
#    counted (the VF's TX_SPOOF, vfN_tx_spoofed), and never reach the PF; honest frames do;
# 5. rings and buffers at IOVAs the VF's VFIO container does not map, or at the physical address
#    of another VF's memory: the emulated intel-iommu faults the DMA (DMAR fault naming the VF
#    and the address in the kernel log), the model logs a guest error and stops only that ring
#    (ERROR, TX_ERR/RX_ERR), the other VF's memory is untouched, and meanwhile a third VF's
#    200 numbered frames reach both the other VF (no loss, no corruption) and the PF netdev;
#    the faulted VF restarts its ring and sends again; memory the VF reached before and then
#    unmapped from its domain faults at once and is never written.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pf_lib.sh"

[ -x "$VFCLIENT" ] || fail "test VF client: expected $VFCLIENT (make -C tests/vfclient), seen none"
S=${VFSTACK_SCRATCH:-/tmp}
GUEST_ERRORS=/scratch/qemu-guest-errors.log

load_pf
set_numvfs 4
sysctl -qw "net.ipv6.conf.$PFDEV.disable_ipv6=1" 2>/dev/null || true
ip link set "$PFDEV" up
modprobe vfio-pci
for i in 0 1 2 3; do bind_driver "$(vf_bdf "$i")" vfio-pci; done
VF0=$(vf_bdf 0) VF1=$(vf_bdf 1) VF2=$(vf_bdf 2) VF3=$(vf_bdf 3)

client() {
	rc=0
	out=$("$VFCLIENT" "$@" 2>&1) || rc=$?
	log "vfclient $*: status $rc"
	sed 's/^/    /' <<<"$out"
}
pfstat() { sysfs_get "/sys/class/net/$PFDEV/statistics/$1"; }
pf_rx_at_least() { [ "$(pfstat rx_packets)" -ge "$1" ]; }
ethstat() { ethtool -S "$PFDEV" | awk -v n="$1:" '$1 == n { print $2 }'; }
# le16 N: N as 4 hex digits, little-endian
le16() { printf '%02x%02x' $(($1 & 255)) $(($1 >> 8)); }
# raw OPCODE LEN [PAYLOAD_HEX]: a request header (F_REQ, seq 0x77) and payload, as hex
raw() { printf '%02x01%s7700%s%s' "$1" "$(le16 "$2")" 0000 "${3:-}"; }

# --- 1. out of order ----------------------------------------------------------------------------
client "$VF0" enable-queues get-resources add-mac 02:00:00:00:00:99 get-stats version 9 0 \
	negotiate get-link
expect_match "ENABLE_QUEUES before VERSION" '^reply ENABLE_QUEUES status=E_STATE$' "$out"
expect_match "GET_RESOURCES before VERSION" '^reply GET_RESOURCES status=E_STATE$' "$out"
expect_match "ADD_MAC before VERSION" '^reply ADD_MAC status=E_STATE$' "$out"
expect_match "GET_STATS before VERSION" '^reply GET_STATS status=E_STATE$' "$out"
expect_match "VERSION 9.0" '^reply VERSION status=E_VERSION$' "$out"
expect_match "negotiation after the refusals" '^resources caps=0x7 .* mac=([0-9a-f]{2}:){5}[0-9a-f]{2}$' "$out"
expect_match "GET_LINK after the refusals" '^link up=1 ' "$out"
client "$VF0" version config-queues enable-queues
expect_match "CONFIG_QUEUES before GET_RESOURCES" '^reply CONFIG_QUEUES status=E_STATE$' "$out"
expect_match "ENABLE_QUEUES before GET_RESOURCES" '^reply ENABLE_QUEUES status=E_STATE$' "$out"
expect_eq "vf0_mbx_disabled after state refusals (not abuse)" 0 "$(ethstat vf0_mbx_disabled)"

# --- 2. wrong lengths and counts ----------------------------------------------------------------
errs0=$(ethstat vf0_mbx_errors)
mac=02000000aa01
# The client stays open (its FLR on close would drop any filter) while the device is read.
"$VFCLIENT" "$VF0" negotiate \
	send-raw "$(raw 7 20 "0100000000000000${mac}0000")" \
	send-raw "$(raw 7 4 "01000000")" \
	send-raw "$(raw 7 4 "00000000")" \
	send-raw "$(raw 7 140 "11000000$(printf '%0272d' 0)")" \
	send-raw "$(raw 4 168 "05000000$(printf '%0328d' 0)")" \
	send-raw "$(raw 17 4 "00000000")" \
	send-raw "$(raw 1 65535 "01000000")" \
	get-link sleep 120000 >"$S/raw.out" 2>&1 &
cpid=$!
wait_for 60 "VF 0's malformed requests" grep -q '^link up=' "$S/raw.out"
out=$(cat "$S/raw.out")
sed 's/^/    /' <<<"$out"
raw_replies=$(grep '^raw reply' <<<"$out" || true)
n=0
for want in E_LEN E_LEN E_COUNT E_COUNT E_COUNT E_LEN E_LEN; do
	n=$((n + 1))
	expect_match "malformed request $n" "^raw reply status=$want\$" "$(sed -n "${n}p" <<<"$raw_replies")"
done
expect_match "VF 0 answers after 7 malformed requests" '^link up=1 ' "$out"
expect_eq "vf0_mbx_errors counts the 7" $((errs0 + 7)) "$(ethstat vf0_mbx_errors)"
FILTERS=/sys/kernel/debug/vfnic_pf/$PF/vf_mac_filters
[ -r "$FILTERS" ] || fail "debugfs: expected $FILTERS, seen $(ls "/sys/kernel/debug/vfnic_pf/$PF" 2>&1)"
expect_eq "VF 0's MAC filters in the device after malformed ADD_MACs" "" "$(awk '$2 == 0' "$FILTERS")"
kill "$cpid"; wait "$cpid" || true
expect_eq "vf0_mbx_disabled after 7 malformed (threshold 10)" 0 "$(ethstat vf0_mbx_disabled)"

# --- 3. a request flood is rate limited; another VF is served meanwhile -------------------------------
"$VFCLIENT" "$VF1" negotiate burst 1500 >"$S/flood.out" 2>&1 &
fpid=$!
wait_for 60 "VF 1 to start its flood" grep -q '^resources' "$S/flood.out"
t0=$SECONDS
client "$VF2" negotiate burst 40 get-link
t=$((SECONDS - t0))
expect_match "VF 2 during VF 1's flood" '^burst sent=40 ok=40 rate_limited=0 other=0$' "$out"
((t <= 30)) || fail "VF 2's 42 requests during VF 1's flood: expected within 30 s, took ${t}s"
ip link set "$PFDEV" vf 3 mac 02:00:00:00:00:33 || fail "ip link set vf 3 mac during the flood: expected success"
expect_match "vf 3 MAC set during the flood" 'vf 3 .*link/ether 02:00:00:00:00:33' "$(ip link show "$PFDEV")"
rc=0
wait "$fpid" || rc=$?
sed 's/^/    /' "$S/flood.out"
line=$(grep '^burst ' "$S/flood.out" || true)
[[ $line =~ ^burst\ sent=1500\ ok=([0-9]+)\ rate_limited=([0-9]+)\ other=0$ ]] ||
	fail "VF 1's flood of 1500: expected 'burst sent=1500 ok=N rate_limited=M other=0', seen '$line'"
((BASH_REMATCH[2] > 0)) || fail "VF 1's flood: expected some requests rate limited, seen none"
log "flood: VF 1 ${BASH_REMATCH[1]} answered, ${BASH_REMATCH[2]} rate limited; VF 2 served in ${t}s"
expect_eq "vf1_mbx_disabled after a flood of valid requests" 0 "$(ethstat vf1_mbx_disabled)"

# --- 3b. a VF that never takes its replies stalls only itself --------------------------------------
"$VFCLIENT" "$VF0" negotiate stall sleep 120000 >"$S/stall.out" 2>&1 &
spid=$!
wait_for 60 "VF 0 to stall its mailbox" grep -q '^stall ' "$S/stall.out"
expect_match "VF 0's stalled mailbox" '^stall taken=2 req=1 pfmsg=1$' "$(cat "$S/stall.out")"
client "$VF2" negotiate burst 20 get-link
expect_match "VF 2 while VF 0 stalls" '^burst sent=20 ok=20 rate_limited=0 other=0$' "$out"
kill "$spid" 2>/dev/null || true
wait "$spid" || true
client "$VF0" negotiate get-link
expect_match "VF 0 after its stalled client closed it (FLR)" '^link up=1 ' "$out"

# --- 4. forged source MAC and VLAN ----------------------------------------------------------------
# The client stays open at the end (sleep): closing the VF is an FLR, which clears the VF's
# counters in the device (hardware.md section 11), the PF's view of them included.
rx0=$(pfstat rx_packets)
"$VFCLIENT" "$VF3" negotiate config-queues send-frame 20 02:de:ad:be:ef:01 send-frame 20 own 100 \
	send-frame 20 02:00:00:00:00:34 7 sleep 120000 >"$S/forge.out" 2>&1 &
cpid=$!
lines_at_least() { [ "$(grep -c "$2" "$1")" -ge "$3" ]; }	# FILE REGEX N
wait_for 60 "VF 3's three forged bursts" lines_at_least "$S/forge.out" '^sent' 3
out=$(cat "$S/forge.out")
log "VF 3 (forging):"; sed 's/^/    /' <<<"$out"
expect_match "forged source MAC" '^sent frames=20 done=20 errors=0 spoofed=20 ' "$(grep '^sent' <<<"$out" | sed -n 1p)"
expect_match "VLAN 100 not given" '^sent frames=20 done=20 errors=0 spoofed=20 ' "$(grep '^sent' <<<"$out" | sed -n 2p)"
expect_match "forged MAC and VLAN" '^sent frames=20 done=20 errors=0 spoofed=20 ' "$(grep '^sent' <<<"$out" | sed -n 3p)"
expect_eq "vf3_tx_spoofed (the PF's view)" 60 "$(ethstat vf3_tx_spoofed)"
expect_eq "$PFDEV rx_packets after 60 forged frames" "$rx0" "$(pfstat rx_packets)"
kill "$cpid" 2>/dev/null || true
wait "$cpid" || true
client "$VF3" negotiate config-queues send-frame 20 own
expect_match "honest frames" '^sent frames=20 done=20 errors=0 spoofed=0 ' "$out"
wait_for 10 "20 honest frames on $PFDEV" pf_rx_at_least $((rx0 + 20))

# --- 5. DMA outside the VF's domain -----------------------------------------------------------------
# dmar_fault BDF DIR ADDR: the kernel logged the IOMMU fault of BDF's DIR (Read|Write) DMA at ADDR.
# The kernel prints IOMMU faults under one ratelimit (10 messages in 5 s) and spends about three
# per fault, so after each fault it waits out that interval: the next fault's lines are printed.
dmar_fault() {
	local dev=${1#0000:}
	wait_for 10 "a DMAR fault for $dev ($2 at $3) in the kernel log" \
		dmesg_has "DMAR: \[DMA $2[^]]*\] Request device \[$dev\] fault addr 0x0*${3#0x} "
	sleep 5
}
# guest_error REGEX: the model logged a guest error matching REGEX.
guest_error() {
	wait_for 10 "the model's guest error /$1/ in $GUEST_ERRORS" grep -qE "$1" "$GUEST_ERRORS"
}
ip link set "$PFDEV" vf 1 state auto	# VF 1 flooded: start it clean
FN1=2	# VFNIC_VF_TO_FN(1)

# 5a. unmapped IOVAs: tx ring, tx buffer. The IOMMU keeps one pending fault per requester (VT-d
# fault compression: QEMU's intel-iommu drops a second fault of the same device until the kernel
# has cleared the first), so each fault is awaited in the log before the next is caused.
client "$VF1" negotiate config-queues tx-ring-at 0x20000000
expect_match "tx ring at an unmapped IOVA" '^tx ring at 0x20000000: ctrl=0x80000000 error=1 enabled=0 tx_err=[1-9].* tx_pkts=0$' "$out"
dmar_fault "$VF1" Read 0x20000000
client "$VF1" negotiate config-queues tx-buf-at 0x30000000
expect_match "tx buffer at an unmapped IOVA" '^tx buffer at 0x30000000: ctrl=0x80000000 error=1 enabled=0 tx_err=[1-9].* tx_pkts=0$' "$out"
dmar_fault "$VF1" Read 0x30000000
guest_error "fn $FN1 queue 0: .*0x20000000"
guest_error "fn $FN1 queue 0: .*0x30000000"

# 5b. VF 2 receives while VF 3 sends two batches of 100 numbered frames; during the first VF 1's
# rx ring is at an unmapped IOVA, during the second its rx buffers are at VF 2's guard page (by
# physical address). Each attack waits for its frames, so the two VFs' timing cannot hide it.
rx0=$(pfstat rx_packets)
"$VFCLIENT" "$VF2" negotiate guard recv-frames 200 180000 check-guard >"$S/victim.out" 2>&1 &
vpid=$!
wait_for 60 "VF 2 to start receiving" grep -q '^receiving' "$S/victim.out"
GUARD=$(sed -n 's/^guard phys=//p' "$S/victim.out")
[ -n "$GUARD" ] || fail "VF 2's guard page: expected 'guard phys=ADDR', seen: $(cat "$S/victim.out")"
# attack WHAT COMMAND...: run VF 1's attack COMMAND, VF 3's 100 frames once it is armed; the
# attacker's report is appended to $S/attacker.out.
attack() {
	local what=$1 apid rc=0
	shift
	"$VFCLIENT" "$VF1" negotiate config-queues "$@" >"$S/attack.out" 2>&1 &
	apid=$!
	wait_for 60 "VF 1's $what to be armed" grep -q 'armed$' "$S/attack.out"
	client "$VF3" negotiate config-queues send-frame 100 own
	expect_match "VF 3's 100 frames during VF 1's $what" '^sent frames=100 done=100 errors=0 spoofed=0 ' "$out"
	wait "$apid" || rc=$?
	log "VF 1 ($what, status $rc):"; sed 's/^/    /' "$S/attack.out"
	cat "$S/attack.out" >>"$S/attacker.out"
}
: >"$S/attacker.out"
attack "rx ring at an unmapped IOVA" rx-ring-at 0x40000000 60000
dmar_fault "$VF1" Read 0x40000000
attack "rx buffers at VF 2's memory" rx-buf-at "$GUARD" 60000
dmar_fault "$VF1" Write "$GUARD"
rc=0
wait "$vpid" || rc=$?
log "VF 2 (victim):"; sed 's/^/    /' "$S/victim.out"
expect_eq "VF 2's client status" 0 "$rc"
expect_match "VF 2 received all 200, none corrupt" '^recv good=200 corrupt=0 other=0 gaps=0 rx_drop=0 ' "$(cat "$S/victim.out")"
expect_match "VF 2's guard page after VF 1's attack" '^guard changed=0$' "$(cat "$S/victim.out")"
expect_match "rx ring at an unmapped IOVA" '^rx ring at 0x40000000: ctrl=0x80000000 error=1 enabled=0 .*rx_err=[1-9]' "$(cat "$S/attacker.out")"
expect_match "rx buffers at VF 2's memory" "^rx buffers at $GUARD: ctrl=0x80000000 error=1 enabled=0 " "$(cat "$S/attacker.out")"
guest_error "fn $FN1 queue 0: .*0x40000000"
wait_for 10 "VF 3's 200 frames on $PFDEV" pf_rx_at_least $((rx0 + 200))
expect_eq "$PFDEV rx_packets: VF 3's 200 frames and nothing else" $((rx0 + 200)) "$(pfstat rx_packets)"

# 5c. tx buffer at VF 2's memory: nothing of it leaves. VF 2 listens throughout; afterwards VF 3
# sends one frame, which must be all VF 2 saw.
"$VFCLIENT" "$VF2" guard recv-frames 1 180000 >"$S/victim2.out" 2>&1 &
vpid=$!
wait_for 60 "VF 2 to start receiving" grep -q '^receiving' "$S/victim2.out"
GUARD=$(sed -n 's/^guard phys=//p' "$S/victim2.out")
client "$VF1" negotiate config-queues tx-buf-at "$GUARD"
expect_match "tx buffer at VF 2's memory" "^tx buffer at $GUARD: ctrl=0x80000000 error=1 enabled=0 .* tx_pkts=0\$" "$out"
dmar_fault "$VF1" Read "$GUARD"
client "$VF3" negotiate config-queues send-frame 1 own
rc=0
wait "$vpid" || rc=$?
log "VF 2:"; sed 's/^/    /' "$S/victim2.out"
expect_match "VF 2 saw VF 3's frame and nothing else" '^recv good=1 corrupt=0 other=0 gaps=0 ' "$(cat "$S/victim2.out")"

# 5d. contained, not broken: VF 1 restarts its rings and sends
client "$VF1" negotiate config-queues send-frame 5 own get-link
expect_eq "VF 1 after its DMA faults" 0 "$rc"
expect_match "VF 1's frames after restarting its ring" '^sent frames=5 done=5 errors=0 spoofed=0 ' "$out"

# 5e. an IOMMU unmap takes effect at the next frame: VF 2 receives 5 frames (the model keeps
# windows on its ring and buffer pages from then on), then takes its whole DMA area out of its
# IOMMU domain while VF 3 sends 20 more. The next descriptor fetch must fault (a read of the
# ring's page, 0x10000000: a model that trusted its window there would read the old descriptor
# and fault only later, on the buffer's page), and nothing may be written into the memory that
# was behind the unmapped IOVAs.
"$VFCLIENT" "$VF2" negotiate recv-frames 5 180000 unmap-watch 60000 >"$S/unmap.out" 2>&1 &
upid=$!
wait_for 60 "VF 2 to start receiving" grep -q '^receiving' "$S/unmap.out"
client "$VF3" negotiate config-queues send-frame 5 own
wait_for 60 "VF 2 to unmap its DMA area" grep -q 'armed$' "$S/unmap.out"
client "$VF3" negotiate config-queues send-frame 20 own
rc=0
wait "$upid" || rc=$?
log "VF 2 (unmapped):"; sed 's/^/    /' "$S/unmap.out"
expect_eq "VF 2's client status after its unmap" 0 "$rc"
expect_match "VF 2's 5 frames before its unmap" '^recv good=5 corrupt=0 other=0 gaps=0 ' "$(cat "$S/unmap.out")"
expect_match "VF 2 after its unmap: nothing written, the ring faulted" \
	'^unmapped rx: changed=0 rx_pkts=0 ctrl=0x80000000 error=1 ' "$(cat "$S/unmap.out")"
dmar_fault "$VF2" Read 0x10000000

for i in 0 1 2 3; do vf_bdf "$i" >/sys/bus/pci/drivers/vfio-pci/unbind; done
set_numvfs 0
unload_pf
no_kernel_complaints
log "PASS"
