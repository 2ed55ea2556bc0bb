#!/bin/bash
# ndo_set_vf_* of vfnic_pf through stock ip: mac, vlan with qos, vlan with 802.1ad, max_tx_rate,
# spoofchk, trust and link state all succeed and show in ip -d link show; ip -s link show has
# per-VF counters; invalid requests (VF out of range, multicast or zero MAC, VLAN > 4095,
# qos > 7, min_tx_rate, a rate above the link speed) fail and change nothing.
# shellcheck disable=SC2119 # load_pf takes optional module parameters
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pf_lib.sh"

NVF=8
load_pf
set_numvfs $NVF
ip link set "$PFDEV" up

# ok WHAT ARGS...: ip link set PF vf ARGS must succeed.
ok() {
	local what=$1 out
	shift
	out=$(ip link set "$PFDEV" vf "$@" 2>&1) || fail "ip link set $PFDEV vf $* ($what): expected success, seen: $out
$(dmesg_tail 5)"
}
# refused WHAT ARGS...: ip link set PF vf ARGS must fail.
refused() {
	local what=$1 out
	shift
	if out=$(ip link set "$PFDEV" vf "$@" 2>&1); then
		fail "ip link set $PFDEV vf $* ($what): expected an error, seen success"
	fi
	log "refused as expected: vf $* ($what): ${out:-no message}"
}

MAC=02:11:22:33:44:55
ok "admin MAC" 3 mac $MAC
expect_match "vf 3 MAC" "vf 3 .*link/ether $MAC" "$(vf_line 3)"
ok "port VLAN with priority" 3 vlan 100 qos 2
expect_match "vf 3 VLAN 100 qos 2" 'vlan 100, qos 2' "$(vf_line 3)"
ok "port VLAN 802.1ad" 3 vlan 200 proto 802.1ad
expect_match "vf 3 VLAN 200 802.1ad" 'vlan 200, vlan protocol 802.1ad' "$(vf_line 3)"
ok "max tx rate" 3 max_tx_rate 100
expect_match "vf 3 max_tx_rate" 'max_tx_rate 100Mbps' "$(vf_line 3)"
expect_match "vf 3 spoof checking default" 'spoof checking on' "$(vf_line 3)"
ok "spoof check off" 3 spoofchk off
expect_match "vf 3 spoof checking" 'spoof checking off' "$(vf_line 3)"
expect_match "vf 3 trust default" 'trust off' "$(vf_line 3)"
ok "trust" 3 trust on
expect_match "vf 3 trust" 'trust on' "$(vf_line 3)"
expect_match "vf 3 link state default" 'link-state auto' "$(vf_line 3)"
ok "link state disable" 3 state disable
expect_match "vf 3 link state" 'link-state disable' "$(vf_line 3)"
ok "link state enable" 3 state enable
expect_match "vf 3 link state" 'link-state enable' "$(vf_line 3)"
# other VFs are untouched
expect_match "vf 2 defaults" 'spoof checking on, link-state auto, trust off' "$(vf_line 2)"
if grep -qE "vlan|$MAC" <<<"$(vf_line 2)"; then fail "vf 2: expected no VLAN and not $MAC, seen: $(vf_line 2)"; fi
log "$(vf_line 3)"

# --- invalid requests fail and change nothing ------------------------------------------------------
before=$(vf_line 3)
refused "VF out of range" $NVF mac 02:00:00:00:00:01
refused "VF out of range" 1000 trust on
refused "multicast MAC" 3 mac 01:00:5e:00:00:01
expect_match "dmesg for multicast MAC" 'vf 3: MAC 01:00:5e:00:00:01 is multicast' "$(dmesg)"
refused "zero MAC" 3 mac 00:00:00:00:00:00
refused "VLAN 4096" 3 vlan 4096
refused "qos 8" 3 vlan 5 qos 8
refused "min_tx_rate" 3 min_tx_rate 10
expect_match "dmesg for min_tx_rate" 'vf 3: minimum TX rate 10 Mbit/s unsupported' "$(dmesg)"
refused "rate above link speed" 3 max_tx_rate 20000
expect_match "dmesg for max_tx_rate" 'vf 3: max TX rate 20000 Mbit/s out of range' "$(dmesg)"
expect_eq "vf 3 after refused requests" "$before" "$(vf_line 3)"

# --- back to defaults ----------------------------------------------------------------------------
ok "port VLAN off" 3 vlan 0
ok "rate off" 3 max_tx_rate 0
ok "trust off" 3 trust off
ok "spoof check on" 3 spoofchk on
ok "link state auto" 3 state auto
expect_match "vf 3 back to defaults" "link/ether $MAC .*spoof checking on, link-state auto, trust off" "$(vf_line 3)"
if grep -qE 'vlan [1-9]|max_tx_rate [1-9]' <<<"$(vf_line 3)"; then fail "vf 3: expected no VLAN and no rate, seen: $(vf_line 3)"; fi

# --- per-VF counters ---------------------------------------------------------------------------------
stats=$(ip -s link show "$PFDEV")
expect_eq "per-VF 'RX: bytes' blocks in ip -s link show" $NVF "$(grep -A8 -E '^ +vf [0-9]+ ' <<<"$stats" | grep -cE '^ +RX: bytes')"
expect_match "vf 3 counters" 'vf 3 ' "$stats"
log "$(grep -A7 -E '^ +vf 3 ' <<<"$stats")"

set_numvfs 0
unload_pf
no_kernel_complaints
log "PASS"
