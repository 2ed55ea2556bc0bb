#!/bin/bash
# net_vfnic_vf and the PF's decisions, seen from a running stock testpmd:
# - promiscuous mode is refused (the app gets "Operation not permitted") for an untrusted VF
#   and granted after 'ip link set PF vf 0 trust on';
# - 'ip link set PF vf 0 mac M' reaches the running app (show port info);
# - 'state disable' brings the port's link down, 'state auto' back up (link change events);
# - revoking trust turns promiscuous mode off in the app's view too, so it can enable it again;
# - port stop / reset / start re-negotiates and the link is up again, and the app's VLAN filter
#   is in the device again (the reset cleared it in the PF);
# - a PF reset (ethtool --reset PF all) raises the reset event, and port reset recovers.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pf_lib.sh"
. "$(dirname "$0")/pmd_lib.sh"

pmd_setup 1
tp_start -a "${VF_BDF[0]}" --

# port_info_until WHAT REGEX: 'show port info 0' until it matches, for up to 10 s.
port_info_until() {
	local start=$SECONDS
	while :; do
		tp show port info 0
		grep -qE -- "$2" <<<"$OUT" && return 0
		((SECONDS - start < 10)) || fail "$1: expected a line matching /$2/ within 10 s, seen:
$(sed 's/^/    /' <<<"$OUT" | head -n 16)"
		sleep 0.5
	done
}

# 1. promiscuous mode: the PF decides by trust
expect_match "promiscuous at start-up, untrusted VF" \
	"Error during enabling promiscuous mode for port 0: Operation not permitted" "$(cat "$TP_OUT")"
tp set promisc 0 on
expect_match "set promisc on, untrusted VF" "Operation not permitted" "$OUT"
port_info_until "promiscuous mode of an untrusted VF" "Promiscuous mode: disabled"
ip link set "$PFDEV" vf 0 trust on
tp set promisc 0 on
port_info_until "promiscuous mode after trust on" "Promiscuous mode: enabled"
# trust off takes the mode with it in the PF; the app sees that, and may ask again later
ip link set "$PFDEV" vf 0 trust off
port_info_until "promiscuous mode after trust off" "Promiscuous mode: disabled"
ip link set "$PFDEV" vf 0 trust on
tp set promisc 0 on
port_info_until "promiscuous mode after trust on again" "Promiscuous mode: enabled"
ip link set "$PFDEV" vf 0 trust off

# 2. the administrator's MAC reaches the app
NEW=02:00:00:00:00:aa
ip link set "$PFDEV" vf 0 mac $NEW
port_info_until "MAC after ip link set vf 0 mac $NEW" "MAC address: ${NEW^^}"
log "new MAC seen by testpmd"

# 3. link state from the PF
ip link set "$PFDEV" vf 0 state disable
port_info_until "link after state disable" "Link status: down"
ip link set "$PFDEV" vf 0 state auto
port_info_until "link after state auto" "Link status: up"
expect_match "link state change events" "Port 0: link state change event" "$(cat "$TP_OUT")"

# 4. port stop / reset / start; the app's VLAN filter survives it (the reset clears it in the PF)
VLANS=/sys/kernel/debug/vfnic_pf/$PF/vf_vlan_filters
[ -r "$VLANS" ] || fail "debugfs: expected $VLANS, seen $(ls "/sys/kernel/debug/vfnic_pf/$PF" 2>&1)"
tp vlan set filter on 0
tp rx_vlan add 10 0
expect_eq "VF 0's VLAN filter in the device" "vf 0 10" "$(grep '^vf 0 ' "$VLANS")"
tp port stop 0
tp port reset 0
expect_match "port reset" "Resetting ports" "$OUT"
tp port start 0
port_info_until "link after port reset" "Link status: up"
expect_eq "VF 0's VLAN filter in the device after port reset" "vf 0 10" "$(grep '^vf 0 ' "$VLANS")"

# 5. PF reset: reset event, then port reset recovers
ethtool --reset "$PFDEV" all >/dev/null 2>&1 || ethtool --reset "$PFDEV" all
start=$SECONDS
until grep -q "Port 0: reset event" "$TP_OUT"; do
	((SECONDS - start < 15)) || fail "PF reset: expected 'Port 0: reset event' from testpmd within 15 s, seen:
$(tail -n 20 "$TP_OUT")"
	sleep 0.5
done
log "reset event seen"
wait_for 20 "the PF to come back (vf 0 listed)" bash -c "ip -d link show $PFDEV | grep -qE '^ +vf 0 '"
sleep 2
tp port stop 0
tp port reset 0
tp port start 0
port_info_until "link after the PF reset and port reset" "Link status: up"
tp_quit
no_kernel_complaints
log PASS
