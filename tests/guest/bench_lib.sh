# shellcheck shell=bash
# Helpers for tests/guest/bench.sh (make bench), sourced after lib.sh, pf_lib.sh and
# pmd_lib.sh. Every figure is printed as one line 'BENCH {json}' on stdout, which
# scripts/bench_report.py collects; nothing here asserts a rate.

BENCH_DONE=0
BENCH_TOTAL=${BENCH_TOTAL:-0}

# bench_emit JSON: one result record (a JSON object without braces), with progress.
bench_emit() {
	echo "BENCH {$1}"
}

# bench_rate DEVICE DRIVER MODE SIZE REP PPS [OFFERED [SOURCE]]: a packet rate record;
# OFFERED is the generator's rate in the same window, when one fed the device; SOURCE 'wire'
# says the generator was the card's own (hardware.md 10.1), none a function in the guest.
bench_rate() {
	BENCH_DONE=$((BENCH_DONE + 1))
	bench_emit "\"kind\": \"rate\", \"device\": \"$1\", \"driver\": \"$2\", \"mode\": \"$3\", \"size\": $4, \"rep\": $5, \"pps\": $6${7:+, \"offered_pps\": $7}${8:+, \"source\": \"$8\"}"
	log "rate $BENCH_DONE/$BENCH_TOTAL: $1 ($2) $3${8:+ from the $8} ${4}B rep $5: $6 pps${7:+ (generator sent $7 pps)}"
}

# now_us: microseconds since the epoch, from bash itself (no fork).
now_us() {
	local t=${EPOCHREALTIME/./}
	echo "$((10#$t))"
}

# A fork of a /usr binary costs from 40 ms (quiet machine) to several hundred (busy) in the
# emulated host, and pmd_lib.sh's tp forks about five per command: bt below talks to the
# same testpmd (started by tp_start) with bash builtins only, so that a measurement costs
# its window and not a dozen seconds of forks.

# nap SECONDS: sleep without a fork (a read that times out on a fifo nobody writes).
rm -f "$S/bench-nap"
mkfifo "$S/bench-nap"
exec {NAP_FD}<>"$S/bench-nap"
nap() {
	read -r -t "$1" -u "$NAP_FD" _ || true
}

# bt_start ARGS...: tp_start, then read testpmd TPI's output from its current end.
declare -A BT_FD
bt_start() {
	tp_start "$@"
	local fd
	exec {fd}<"$S/tp$TPI.out"
	BT_FD[$TPI]=$fd
	IFS= read -r -d '' -u "$fd" _ || true
}

# bt CMD...: run one testpmd command, like tp; its output (prompts removed) is in $OUT.
bt() {
	local fd=${BT_FD[$TPI]} buf="" chunk start=$SECONDS
	echo "$*" >&$((7 + TPI))
	until [[ $buf == *'testpmd> ' ]]; do
		kill -0 "${TP_PIDS[TPI]}" 2>/dev/null || fail "testpmd $TPI command '$*': testpmd exited; output: $buf"
		((SECONDS - start < 60)) || fail "testpmd $TPI command '$*': no prompt after 60 s; output: $buf"
		nap 0.05
		chunk=
		IFS= read -r -d '' -u "$fd" chunk || true
		buf+=$chunk
	done
	OUT=${buf//'testpmd> '/}
}

# bt_pps PORTS FIELD: the sum over PORTS of FIELD (Rx-pps or Tx-pps) in $OUT of
# 'show port stats all'.
bt_pps() {
	local line port=-1 sum=0 re="$2: +([0-9]+)"
	while IFS= read -r line; do
		if [[ $line =~ NIC\ statistics\ for\ port\ ([0-9]+) ]]; then
			port=${BASH_REMATCH[1]}
		elif [[ $line =~ $re ]] && [[ " $1 " == *" $port "* ]]; then
			sum=$((sum + BASH_REMATCH[1]))
		fi
	done <<<"$OUT"
	echo "$sum"
}

# bt_measure PORTS FIELD: FIELD summed over PORTS, averaged over BENCH_SECS s. testpmd
# computes the pps fields between two consecutive 'show port stats', over its own clock,
# so the first call only sets the start of the window.
bt_measure() {
	nap "$BENCH_WARMUP"
	bt show port stats all
	nap "$BENCH_SECS"
	bt show port stats all
	bt_pps "$1" "$2"
}

# bt_measure_fed PORTS FIELD: like bt_measure on testpmd 0, with the Tx-pps of testpmd 1
# (the generator, port 0) over the same window; prints "PPS OFFERED".
bt_measure_fed() {
	local pps
	nap "$BENCH_WARMUP"
	TPI=0 bt show port stats all
	TPI=1 bt show port stats all
	nap "$BENCH_SECS"
	TPI=0 bt show port stats all
	pps=$(bt_pps "$1" "$2")
	TPI=1 bt show port stats all
	echo "$pps $(bt_pps 0 Tx-pps)"
}

# The wire source: the card's traffic generator (hardware.md 10.1), through vfnic_pf's debugfs
# (pf_driver/README.md). It stands in for a tester on the uplink's cable and costs the guest
# nothing. Its files are written and read with builtins, like bt.
# tgen_start DST_MAC LEN: frames of LEN bytes (FCS not counted) to DST_MAC until tgen_stop.
tgen_start() {
	TGEN=/sys/kernel/debug/vfnic_pf/$PF/tgen
	local f v
	for f in dst:"$1" len:"$2" count:0 enable:1; do
		v=${f#*:} f=${f%%:*}
		echo "$v" >"$TGEN/$f" || fail "tgen: echo $v > $TGEN/$f: expected success, seen failure"
	done
}
tgen_stop() {
	echo 0 >"$TGEN/enable" || fail "tgen: echo 0 > $TGEN/enable: expected success, seen failure"
}

# bt_measure_wire PORTS FIELD: like bt_measure on testpmd 0, with the generator's rate over the
# same window from its SENT counter; prints "PPS OFFERED".
bt_measure_wire() {
	local s0 s1 t0 t1 pps
	nap "$BENCH_WARMUP"
	TPI=0 bt show port stats all
	read -r s0 <"$TGEN/sent" && t0=${EPOCHREALTIME/./}
	nap "$BENCH_SECS"
	TPI=0 bt show port stats all
	read -r s1 <"$TGEN/sent" && t1=${EPOCHREALTIME/./}
	pps=$(bt_pps "$1" "$2")
	echo "$pps $(((s1 - s0) * 1000000 / (10#$t1 - 10#$t0)))"
}

# tp_mac PORT: the MAC address testpmd shows for PORT.
tp_mac() {
	bt show port info "$1"
	awk '/^MAC address:/ { print $3; exit }' <<<"$OUT"
}

# frame_len SIZE: testpmd's txpkts / pktgen's pkt_size for a SIZE-byte frame on the wire
# (SIZE counts the 4-byte FCS, as RFC 2544 sizes do; neither tool counts it).
frame_len() { echo $(($1 - 4)); }

# netdev_of BDF: the kernel netdev of a PCI function.
netdev_of() {
	local d
	for d in "/sys/bus/pci/devices/$1/net/"*; do
		[ -e "$d" ] && { echo "${d##*/}"; return 0; }
	done
	# virtio-net's netdev hangs off the virtio device below the PCI function
	for d in "/sys/bus/pci/devices/$1/"virtio*/net/*; do
		[ -e "$d" ] && { echo "${d##*/}"; return 0; }
	done
	fail "$1: expected a kernel netdev, seen none (driver $(basename "$(readlink "/sys/bus/pci/devices/$1/driver" 2>/dev/null)"))"
}

# has_netdev BDF: the PCI function has a kernel netdev (yet).
has_netdev() {
	compgen -G "/sys/bus/pci/devices/$1/net/*" >/dev/null ||
		compgen -G "/sys/bus/pci/devices/$1/virtio*/net/*" >/dev/null
}

# stat_of NETDEV COUNTER: /sys/class/net/NETDEV/statistics/COUNTER.
stat_of() { sysfs_get "/sys/class/net/$1/statistics/$2"; }

# pg_dev THREAD NETDEV SIZE DST_MAC: put NETDEV alone on pktgen's kernel thread THREAD
# (kpktgend_THREAD runs on CPU THREAD), sending SIZE-byte frames to DST_MAC forever.
pg_dev() {
	local t=/proc/net/pktgen/kpktgend_$1 d=/proc/net/pktgen/$2
	echo "add_device $2" >"$t"
	PG_DEVS+=("$1 $2")
	echo "count 0" >"$d"
	echo "pkt_size $(frame_len "$3")" >"$d"
	# each skb is sent 1000 times: the driver's cost, not the allocator's, is measured
	echo "clone_skb 1000" >"$d"
	echo "dst_mac $4" >"$d"
	echo "dst 198.18.0.2" >"$d"
	echo "delay 0" >"$d"
}

PG_PID=
PG_DEVS=()
# pg_start / pg_stop: run every configured pktgen thread; stop them and take their devices
# off. rem_device_all only flags the thread, which acts on it within 100 ms: a device added
# before that would be removed with the old ones, so pg_stop waits until each is gone (and
# never flags a thread that has none).
pg_start() {
	echo start >/proc/net/pktgen/pgctrl &
	PG_PID=$!
}
pg_stop() {
	echo stop >/proc/net/pktgen/pgctrl
	wait "$PG_PID" 2>/dev/null || true
	PG_PID=
	local e
	for e in "${PG_DEVS[@]}"; do
		set -- $e
		echo rem_device_all >"/proc/net/pktgen/kpktgend_$1"
	done
	for e in "${PG_DEVS[@]}"; do
		set -- $e
		wait_for 20 "pktgen to release $2" test ! -e "/proc/net/pktgen/$2"
	done
	PG_DEVS=()
}

# counter_rate NETDEV COUNTER: COUNTER's rate over BENCH_SECS s, after BENCH_WARMUP s.
counter_rate() {
	local a b t0 t1
	sleep "$BENCH_WARMUP"
	a=$(stat_of "$1" "$2") t0=$(now_us)
	sleep "$BENCH_SECS"
	b=$(stat_of "$1" "$2") t1=$(now_us)
	echo $(((b - a) * 1000000 / (t1 - t0)))
}
