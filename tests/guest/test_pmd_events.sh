#!/bin/bash
# net_vfnic_vf and the PF's decisions, seen from a running stock testpmd:
# - promiscuous mode is refused (the app gets "Operation not permitted") for an untrusted VF
#   and granted after 'ip link set PF vf 0 trust on';
# - 'ip link set PF vf 0 mac M' reaches the running app (show port info);
# - 'state disable' brings the port's link down, 'state auto' back up (link change events);
# - revoking trust turns promiscuous mode off in the app's view too, so it can enable it again;
# - port stop / reset / start re-negotiates and the link is up again, and the app's VLAN filter
#   and multicast list are in the device again (the reset cleared them in the PF);
# - a PF reset (ethtool --reset PF all) raises the reset event, the port's counters keep what
#   they had counted (the device zeroed them), and port reset recovers;
# - an app that resets the port from its INTR_RESET callback (tests/apps/vf_reset_cb: inside
#   the driver's interrupt handler) gets the call back and restarts the port.
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

# 4. port stop / reset / start; the app's VLAN filter and multicast list survive it (the reset
# clears them in the PF)
VLANS=/sys/kernel/debug/vfnic_pf/$PF/vf_vlan_filters
MACS=/sys/kernel/debug/vfnic_pf/$PF/vf_mac_filters
[ -r "$VLANS" ] || fail "debugfs: expected $VLANS, seen $(ls "/sys/kernel/debug/vfnic_pf/$PF" 2>&1)"
tp vlan set filter on 0
tp rx_vlan add 10 0
expect_eq "VF 0's VLAN filter in the device" "vf 0 10" "$(grep '^vf 0 ' "$VLANS")"
MC1=01:00:5e:00:00:05 MC2=33:33:00:00:00:07
tp mcast_addr add 0 $MC1
tp mcast_addr add 0 $MC2
expect_eq "VF 0's multicast filters in the device" "vf 0 $MC1
vf 0 $MC2" "$(grep '^vf 0 ' "$MACS" | sort)"
tp mcast_addr remove 0 $MC1
expect_eq "VF 0's multicast filters after removing $MC1" "vf 0 $MC2" "$(grep '^vf 0 ' "$MACS")"
tp port stop 0
tp port reset 0
expect_match "port reset" "Resetting ports" "$OUT"
tp port start 0
port_info_until "link after port reset" "Link status: up"
expect_eq "VF 0's VLAN filter in the device after port reset" "vf 0 10" "$(grep '^vf 0 ' "$VLANS")"
expect_eq "VF 0's multicast filters after port reset" "vf 0 $MC2" "$(grep '^vf 0 ' "$MACS")"

# frames counted before the PF reset, read once so the driver has seen them
tp set fwd txonly
tp start
sleep 1
tp stop
tp show port stats 0
TX_BEFORE=$(port_stat 0 TX-packets)
((TX_BEFORE > 0)) || fail "txonly: expected TX-packets > 0, seen '$TX_BEFORE'"

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
# read once the device has certainly zeroed its counters
tp show port stats 0
expect_eq "TX-packets after the PF reset zeroed the device's counters" "$TX_BEFORE" \
	"$(port_stat 0 TX-packets)"
tp port stop 0
tp port reset 0
tp port start 0
port_info_until "link after the PF reset and port reset" "Link status: up"
tp_quit

# 6. a port reset from the INTR_RESET callback
APP=$VFSTACK_TOP/build/apps/vf_reset_cb
[ -x "$APP" ] || fail "expected $APP (make -C tests/apps), seen none"
timeout 90 "$APP" -d "$PMD_SO" -l 0 -n 1 --file-prefix "vfnic$$-cb" --iova-mode=va \
	-a "${VF_BDF[0]}" -- 30 >"$S/cb.out" 2>&1 &
CB_PID=$!
wait_for 60 "vf_reset_cb to start the port" grep -q '^started' "$S/cb.out"
ethtool --reset "$PFDEV" all >/dev/null 2>&1 || ethtool --reset "$PFDEV" all
rc=0
wait "$CB_PID" || rc=$?
cp "$S/cb.out" "${VFSTACK_SCRATCH:-/tmp}/vf_reset_cb.out" 2>/dev/null || true
# one reset event, one reset in the callback, and it worked there (no retry)
expect_match "vf_reset_cb: reset from the callback" "^resets in callback: 1, last returned 0$" \
	"$(cat "$S/cb.out")"
expect_match "vf_reset_cb: port restarted" "^restarted, link up" "$(cat "$S/cb.out")"
expect_eq "vf_reset_cb exit status" 0 "$rc"
no_kernel_complaints
log PASS
