#!/bin/bash
# The PF-VF mailbox of vfnic_pf, driven by the test VF client (build/vfclient/vfclient, VFIO):
# a VF negotiates, configures and enables queues, adds filters, reads link and stats, and gets
# the MAC the administrator set; requests out of order are refused (E_STATE), promiscuous mode
# needs trust (E_PERM), VLAN filters are withdrawn under a port VLAN; an untrusted VF whose MAC
# the administrator set adds no unicast filter (E_PERM) and loses those it had when trust goes,
# and an address twice in one ADD_MAC takes one filter (the device's filters read back through
# debugfs); it hears CONFIG_CHANGED
# when the administrator changes its MAC, LINK_CHANGE on state disable and PF_RESET when the PF
# resets; malformed messages are refused; a burst beyond the rate limit is answered E_RATE
# without counting as abuse; FLR is handled; a VF that keeps sending malformed messages is
# disabled (no more replies, even after FLR) while the others keep working, until the
# administrator's reset (ip link set PF vf N state ...) restores it.
# shellcheck disable=SC2119 # load_pf takes optional module parameters
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pf_lib.sh"

[ -x "$VFCLIENT" ] || fail "test VF client: expected $VFCLIENT (make -C tests/vfclient), seen none"
S=${VFSTACK_SCRATCH:-/tmp}

load_pf
set_numvfs 4
ip link set "$PFDEV" up
modprobe vfio-pci
for i in 0 1 2 3; do bind_driver "$(vf_bdf "$i")" vfio-pci; done
VF1=$(vf_bdf 1) VF2=$(vf_bdf 2) VF3=$(vf_bdf 3)

# client BDF COMMANDS...: run the VF client; its output in $out, its status in $rc.
client() {
	rc=0
	out=$("$VFCLIENT" "$@" 2>&1) || rc=$?
	log "vfclient $*: status $rc"
	sed 's/^/    /' <<<"$out"
}

# --- 1. the normal path ------------------------------------------------------------------------------
MAC3=02:aa:bb:cc:dd:03
ip link set "$PFDEV" vf 3 mac $MAC3
client "$VF3" negotiate config-queues enable-queues add-mac 01:00:5e:00:00:01 add-vlan 10 \
	mtu 9000 get-link get-stats disable-queues show
expect_eq "status of the normal path" 0 "$rc"
expect_match "VERSION" '^version pf=1\.0$' "$out"
expect_match "GET_RESOURCES: the administrator's MAC, 4 queue pairs" \
	"^resources caps=0x7 flags=0x4 num_qp=4 .* mac=$MAC3\$" "$out"
for op in CONFIG_QUEUES ENABLE_QUEUES ADD_MAC ADD_VLAN SET_MTU GET_STATS DISABLE_QUEUES; do
	expect_match "$op" "^reply $op status=OK\$" "$out"
done
expect_match "GET_LINK" '^link up=1 speed=10000$' "$out"
# the VF's own registers show the admin block: FN_MAC of VF 3 is $MAC3
expect_match "VF 3's FN_MAC registers" 'mac_lo=0xccbbaa02 mac_hi=0x800003dd' "$out"

# --- 2. refusals that are not abuse ----------------------------------------------------------------------
client "$VF3" version config-queues
expect_match "CONFIG_QUEUES before GET_RESOURCES" '^reply CONFIG_QUEUES status=E_STATE$' "$out"
client "$VF3" negotiate promisc 1
expect_match "SET_PROMISC while untrusted" '^reply SET_PROMISC status=E_PERM$' "$out"
ip link set "$PFDEV" vf 3 trust on
client "$VF3" negotiate promisc 3 promisc 0
expect_eq "status of promisc on a trusted VF" 0 "$rc"
expect_match "GET_RESOURCES flags of a trusted VF" '^resources caps=0x7 flags=0x5 ' "$out"
ip link set "$PFDEV" vf 3 trust off
ip link set "$PFDEV" vf 3 vlan 42
client "$VF3" negotiate add-vlan 7
expect_match "GET_RESOURCES with a port VLAN: no VLAN capability" '^resources caps=0x5 flags=0x6 .*max_vlans=0 ' "$out"
expect_match "ADD_VLAN under a port VLAN" '^reply ADD_VLAN status=E_NOTSUP$' "$out"
ip link set "$PFDEV" vf 3 vlan 0
# FLR (the client's open and close) forgets the negotiation
client "$VF3" get-link
expect_match "GET_LINK of a fresh VF" '^reply GET_LINK status=E_STATE$' "$out"

# --- 2b. MAC filters: the administrator's MAC is an untrusted VF's only unicast address --------
# (as with igb, ixgbe and ice), read back from the device's admin block through debugfs
FILTERS=/sys/kernel/debug/vfnic_pf/$PF/vf_mac_filters
[ -r "$FILTERS" ] || fail "debugfs: expected $FILTERS, seen $(ls "/sys/kernel/debug/vfnic_pf/$PF" 2>&1)"
vf3_filters() { awk '$2 == 3 { print $3 }' "$FILTERS" | sort | paste -sd' '; }
# a function, for wait_for: a "$(vf3_filters)" in its arguments would be read once
vf3_no_filters() { [ -z "$(vf3_filters)" ]; }
n_add_replies() { [ "$(grep -c '^reply ADD_MAC ' "$S/mac.out")" -ge "$1" ]; }
# mac_client LIST...: VF 3 sends an ADD_MAC for each comma-separated LIST and stays open (no
# FLR yet, which would forget its filters); add_reply N is the Nth reply.
mac_client() {
	local args=(negotiate) l
	for l in "$@"; do args+=(add-mac "$l"); done
	"$VFCLIENT" "$VF3" "${args[@]}" sleep 120000 >"$S/mac.out" 2>&1 &
	cpid=$!
	wait_for 30 "VF 3's $# ADD_MAC replies" n_add_replies $#
	grep '^reply ADD_MAC ' "$S/mac.out" | sed 's/^/    /'
}
add_reply() { grep '^reply ADD_MAC ' "$S/mac.out" | sed -n "${1}p"; }
UC=02:00:00:00:33:01 UC2=02:00:00:00:33:02 UC3=02:00:00:00:33:03
MC=01:00:5e:00:00:fb MCS=$(printf '01:00:5e:00:01:%02x,' $(seq 1 14)) MCS=${MCS%,}
mac_client $MC $UC "$MC,$MC"
expect_eq "ADD_MAC of a multicast address, untrusted" "reply ADD_MAC status=OK" "$(add_reply 1)"
expect_eq "ADD_MAC of a unicast address, untrusted with the administrator's MAC" \
	"reply ADD_MAC status=E_PERM" "$(add_reply 2)"
expect_eq "ADD_MAC of a filter it has, twice in one request" "reply ADD_MAC status=OK" "$(add_reply 3)"
expect_eq "VF 3's filters in the device" "$MC" "$(vf3_filters)"
kill "$cpid"; wait "$cpid" || true
wait_for 10 "VF 3's filters to go with its FLR" vf3_no_filters

ip link set "$PFDEV" vf 3 trust on
# 1 + 14 filters, then one more address written twice in one request (one filter), then a 17th
mac_client $UC "$MCS" "$UC2,$UC2" $UC3
for n in 1 2 3; do
	expect_eq "ADD_MAC $n of a trusted VF" "reply ADD_MAC status=OK" "$(add_reply $n)"
done
expect_eq "ADD_MAC beyond $(hw_const VFNIC_ADM_MAC_FILTERS) filters" "reply ADD_MAC status=E_NOSPC" "$(add_reply 4)"
expect_eq "VF 3's filters in the device, trusted" "${MCS//,/ } $UC $UC2" "$(vf3_filters)"
ip link set "$PFDEV" vf 3 trust off
expect_eq "VF 3's filters after trust off: its unicast ones go" "${MCS//,/ }" "$(vf3_filters)"
kill "$cpid"; wait "$cpid" || true
wait_for 10 "VF 3's filters to go with its FLR" vf3_no_filters
# RESET_VF writes back only what the VF had asked for: its filters go, the client still open
"$VFCLIENT" "$VF3" negotiate add-mac "$MC,$MCS" add-vlan 10 reset-vf sleep 120000 >"$S/mac.out" 2>&1 &
cpid=$!
wait_for 30 "VF 3's RESET_VF reply" grep -q '^reply RESET_VF ' "$S/mac.out"
sed 's/^/    /' "$S/mac.out"
expect_match "ADD_MAC of 15 multicast addresses" '^reply ADD_MAC status=OK$' "$(cat "$S/mac.out")"
expect_match "RESET_VF" '^reply RESET_VF status=OK$' "$(cat "$S/mac.out")"
expect_eq "VF 3's filters after RESET_VF" "" "$(vf3_filters)"
expect_eq "VF 3's VLAN filter after RESET_VF" "" \
	"$(awk '$2 == 3' "/sys/kernel/debug/vfnic_pf/$PF/vf_vlan_filters")"
kill "$cpid"; wait "$cpid" || true

# --- 3. events -------------------------------------------------------------------------------------------------
"$VFCLIENT" "$VF3" negotiate wait-event 60 get-resources >"$S/ev.out" 2>&1 &
cpid=$!
wait_for 30 "the client to negotiate" grep -q '^resources' "$S/ev.out"
ip link set "$PFDEV" vf 3 mac 02:aa:bb:cc:dd:33
rc=0
wait "$cpid" || rc=$?
log "client with an event:"; sed 's/^/    /' "$S/ev.out"
expect_eq "status of the client waiting for an event" 0 "$rc"
expect_match "CONFIG_CHANGED for the MAC" '^event CONFIG_CHANGED changed=0x1$' "$(cat "$S/ev.out")"
expect_match "GET_RESOURCES after the event" 'mac=02:aa:bb:cc:dd:33$' "$(tail -n 1 "$S/ev.out")"

"$VFCLIENT" "$VF3" negotiate wait-event 60 wait-event 10 get-link >"$S/link.out" 2>&1 &
cpid=$!
wait_for 30 "the client to negotiate" grep -q '^resources' "$S/link.out"
ip link set "$PFDEV" vf 3 state disable
rc=0
wait "$cpid" || rc=$?
log "client with a link change:"; sed 's/^/    /' "$S/link.out"
expect_eq "status of the client waiting for two events" 0 "$rc"
expect_match "LINK_CHANGE on state disable" '^event LINK_CHANGE link_up=0 speed=0$' "$(cat "$S/link.out")"
expect_match "CONFIG_CHANGED for the link state" '^event CONFIG_CHANGED changed=0x8$' "$(cat "$S/link.out")"
expect_match "GET_LINK after state disable" '^link up=0 speed=0$' "$(cat "$S/link.out")"
ip link set "$PFDEV" vf 3 state auto

"$VFCLIENT" "$VF2" negotiate wait-event 60 >"$S/reset.out" 2>&1 &
cpid=$!
wait_for 30 "the client to negotiate" grep -q '^resources' "$S/reset.out"
ethtool --reset "$PFDEV" all || fail "ethtool --reset $PFDEV all: expected success, seen failure; dmesg:
$(dmesg_tail)"
rc=0
wait "$cpid" || rc=$?
sed 's/^/    /' "$S/reset.out"
expect_match "PF_RESET event" '^event PF_RESET$' "$(cat "$S/reset.out")"
client "$VF2" negotiate get-link
expect_eq "VF 2 negotiates after the PF reset" 0 "$rc"

# --- 4. malformed messages are refused ----------------------------------------------------------------
# header: opcode flags len(le16) seq(le16) status(le16), then payload
client "$VF2" send-raw ee01000001000000 send-raw 0101030002000000010000 \
	send-raw 0103040003000000 send-raw 010104000400010001000000 negotiate
raw=$(grep '^raw reply' <<<"$out" || true)
expect_match "unknown opcode" '^raw reply status=E_OPCODE$' "$(sed -n 1p <<<"$raw")"
expect_match "VERSION with 3 bytes" '^raw reply status=E_LEN$' "$(sed -n 2p <<<"$raw")"
expect_match "two direction flags" '^raw reply status=E_HDR$' "$(sed -n 3p <<<"$raw")"
expect_match "status set in a request" '^raw reply status=E_HDR$' "$(sed -n 4p <<<"$raw")"
expect_match "the VF still works after 4 malformed messages" '^resources ' "$out"

# --- 5. the rate limit answers E_RATE beyond the burst, and that is not abuse -------------------------
client "$VF2" negotiate burst 150 sleep 1000 get-link
line=$(grep '^burst ' <<<"$out" || true)
[[ $line =~ ^burst\ sent=150\ ok=([0-9]+)\ rate_limited=([0-9]+)\ other=0$ ]] ||
	fail "burst of 150 GET_LINK: expected 'burst sent=150 ok=N rate_limited=M other=0', seen '$line'"
ok=${BASH_REMATCH[1]} limited=${BASH_REMATCH[2]}
((ok >= 60)) || fail "burst of 150 GET_LINK: expected at least the bucket (60 of 64 left) answered OK, seen $ok"
expect_eq "vf2_mbx_rate_limited in ethtool -S" "$limited" \
	"$(ethstat vf2_mbx_rate_limited)"
expect_match "VF 2 after the burst" '^link up=1 speed=10000$' "$out"
log "burst: $ok answered, $limited rate limited"

# --- 6. FLR through sysfs is handled: the PF counts it and raises PF_READY again ---------------------
flrs=$(ethstat vf_flrs)
echo 1 >"/sys/bus/pci/devices/$VF3/reset"
wait_for 5 "vf_flrs to count the FLR of VF 3" flrs_at_least $((flrs + 1))
client "$VF3" wait-ready 2000 negotiate
expect_eq "VF 3 after FLR" 0 "$rc"

# --- 7. abuse disables the VF, others keep working ------------------------------------------------
dropped1=$(ethstat vf1_mbx_dropped)
client "$VF1" negotiate flood 12 get-link show
expect_match "flood of 12 malformed messages" '^flood sent=12 refused=10 no_reply=2 other=0$' "$out"
expect_match "GET_LINK of a disabled VF" '^reply GET_LINK status=E_TIMEOUT$' "$out"
# the 12th stays in VF2PF unread, REQ set: the VF can raise no more requests
ctrl=$(sed -n 's/^regs .* mbx_ctrl=\(0x[0-9a-f]*\)$/\1/p' <<<"$out")
((${ctrl:-0} & $(hw_const VFNIC_MBX_REQ))) ||
	fail "a disabled VF's request: expected left unacknowledged (REQ in MBX_CTRL), seen mbx_ctrl=$ctrl"
expect_eq "vf1_mbx_dropped counts the request left" $((dropped1 + 1)) "$(ethstat vf1_mbx_dropped)"
expect_match "dmesg names the disabled VF" 'vf 1: disabled after 11 malformed mailbox messages \(last: UNKNOWN: unknown opcode\)' "$(dmesg)"
expect_match "ethtool -S vf1_mbx_disabled" 'vf1_mbx_disabled: 1$' "$(ethtool -S "$PFDEV")"
client "$VF1" version
expect_match "a disabled VF stays disabled across FLR" '^reply VERSION status=E_TIMEOUT$' "$out"
client "$VF2" negotiate get-link
expect_eq "VF 2 while VF 1 is disabled" 0 "$rc"
client "$VF3" negotiate get-link
expect_eq "VF 3 while VF 1 is disabled" 0 "$rc"

# --- 8. the administrator's reset restores it ----------------------------------------------------------
# A driver that keeps the VF open (no FLR) has its last request left in VF2PF: the reset takes it,
# or the VF could never post again.
"$VFCLIENT" "$VF1" version sleep 3000 wait-ready 5000 negotiate get-link >"$S/adm.out" 2>&1 &
cpid=$!
wait_for 30 "VF 1's unanswered VERSION" grep -q '^reply VERSION status=E_TIMEOUT$' "$S/adm.out"
ip link set "$PFDEV" vf 1 state auto
rc=0
wait "$cpid" || rc=$?
sed 's/^/    /' "$S/adm.out"
expect_match "dmesg on the administrator's reset" 'vf 1: re-enabled by the administrator' "$(dmesg)"
expect_match "VF 1, still open, after the administrator's reset" '^link up=1 speed=10000$' \
	"$(cat "$S/adm.out")"
client "$VF1" negotiate get-link
expect_eq "VF 1 after the administrator's reset" 0 "$rc"
expect_match "VF 1 link after the reset" '^link up=1 speed=10000$' "$out"

for i in 0 1 2 3; do vf_bdf "$i" >/sys/bus/pci/drivers/vfio-pci/unbind; done
set_numvfs 0
unload_pf
no_kernel_complaints
log "PASS"
