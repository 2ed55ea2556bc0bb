#!/bin/bash
# Rates of net_vfnic_vf against the net_null ceiling in the same guest, stock dpdk-testpmd,
# 64-byte frames, one forwarding core per testpmd: txonly, rxonly and io forwarding. Prints
# one line per measurement; asserts nothing (run it with tests/guest/run-in-guest).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pf_lib.sh"
. "$(dirname "$0")/pmd_lib.sh"

SECS=${BENCH_SECS:-5}

# measure WHAT PORTS FIELD: pps of FIELD (Rx-pps/Tx-pps) averaged over SECS s, per port.
measure() {
	local what=$1 ports=$2 field=$3 p line=""
	tp show port stats all
	sleep "$SECS"
	tp show port stats all
	for p in $ports; do
		line+=" port$p=$(awk -v p="$p" -v f="$field:" '/NIC statistics for port/ { cur = ($6 == p) }
			cur { for (i = 1; i < NF; i++) if ($i == f) { print $(i + 1); exit } }' <<<"$OUT")"
	done
	log "RATE $what $field$line"
}

pmd_setup 2
for i in 0 1; do ip link set "$PFDEV" vf "$i" trust on spoofchk off; done

# net_null ceiling (BENCH_NULL=0 skips it)
[ "${BENCH_NULL:-1}" = 0 ] || {
tp_start --no-pci --vdev net_null0 --vdev net_null1 --
tp set fwd txonly; tp start; measure "net_null txonly" 0 Tx-pps; tp stop
tp set fwd rxonly; tp start; measure "net_null rxonly" 0 Rx-pps; tp stop
tp set fwd io; tp start; measure "net_null io" "0 1" Tx-pps; tp stop
tp_quit
}

# vfnic VF: txonly (to VF 1, no receiver), rxonly (VF 0 sends from another testpmd)
tp_start -a "${VF_BDF[0]}" --
tp set fwd txonly; tp set eth-peer 0 "${VF_MAC[1]}"; tp start
measure "vfnic txonly" 0 Tx-pps
TPI=1 tp_start -a "${VF_BDF[1]}" --
TPI=1 tp set fwd rxonly
TPI=1 tp start
TPI=1 measure "vfnic rxonly" 0 Rx-pps
TPI=1 tp show port stats 0
log "receiver: $(grep -E 'RX-packets|RX-missed' <<<"$OUT" | xargs)"
TPI=1 tp stop; TPI=1 tp_quit
tp stop; tp_quit

# io forwarding between the two VFs
tp_start -a "${VF_BDF[0]}" -a "${VF_BDF[1]}" --
tp set fwd io
tp set eth-peer 0 "${VF_MAC[1]}"; tp set eth-peer 1 "${VF_MAC[0]}"
tp start tx_first 8
measure "vfnic io" "0 1" Tx-pps
tp stop; tp_quit
