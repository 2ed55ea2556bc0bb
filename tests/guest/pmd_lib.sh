# shellcheck shell=bash
# Helpers for the net_vfnic_vf tests (tests/guest/test_pmd_*.sh), sourced after lib.sh and
# pf_lib.sh. testpmd is the stock /usr/bin/dpdk-testpmd with our PMD loaded by -d; it runs
# interactively, its stdin a fifo we write commands to, its output in $TP_OUT.

PMD_SO=$VFSTACK_TOP/build/vf_driver/librte_net_vfnic_vf.so
S=/tmp	# fifos cannot live on the 9p scratch share

# pmd_setup N: load vfnic_pf, make N VFs, bring the PF up, bind every VF to vfio-pci;
# VF_BDF[i] and VF_MAC[i] (set with ip link ... vf i mac, 02:00:00:00:00:1i) are set.
pmd_setup() {
	local i
	[ -f "$PMD_SO" ] || fail "PMD: expected $PMD_SO (make -C vf_driver), seen none"
	mkdir -p /var/run
	load_pf
	set_numvfs "$1"
	# no IPv6 chatter from the PF's own netdev in the VFs' counters
	sysctl -qw "net.ipv6.conf.$PFDEV.disable_ipv6=1" 2>/dev/null || true
	ip link set "$PFDEV" up
	modprobe vfio-pci
	for ((i = 0; i < $1; i++)); do
		VF_MAC[i]=02:00:00:00:00:1$i
		ip link set "$PFDEV" vf "$i" mac "${VF_MAC[i]}"
		VF_BDF[i]=$(vf_bdf "$i")
		bind_driver "${VF_BDF[i]}" vfio-pci
	done
}

# Up to two testpmd instances run at once; TPI (0 or 1, default 0) selects the one the tp_*
# functions talk to. Instance i's stdin is fd 7+i (a fifo), its output $S/tp$i.out.
TPI=0
TP_OUT=$S/tp0.out
_tp_save() {
	local i
	for i in 0 1; do
		cp -f "$S/tp$i.out" "${VFSTACK_SCRATCH:-/tmp}/testpmd$i.out" 2>/dev/null || true
	done
}
trap _tp_save EXIT

# tp_start [EAL ARGS...] -- [testpmd ARGS...]: start testpmd -i in the background, wait for
# its first prompt (TP_START_TIMEOUT seconds, 120 by default). TP_LCORES, if set, replaces the
# lcore options (-l 0-1 --main-lcore ...).
tp_start() {
	local eal=() app=() fifo=$S/tp$TPI.fifo
	while [ $# -gt 0 ] && [ "$1" != -- ]; do eal+=("$1"); shift; done
	[ $# -gt 0 ] && shift
	app=("$@")
	TP_OUT=$S/tp$TPI.out
	rm -f "$fifo" "$TP_OUT"
	mkfifo "$fifo"
	# instance 0 forwards on CPU 0, instance 1 on CPU 1 (the other is the main lcore): two
	# pollers never share a vCPU
	# shellcheck disable=SC2086 # TP_LCORES is deliberately word-split
	stdbuf -oL dpdk-testpmd -d "$PMD_SO" ${TP_LCORES:--l 0-1 --main-lcore $((1 - TPI))} -n 1 \
		--file-prefix "vfnic$$-$TPI" \
		--iova-mode=va --log-level=pmd.net.vfnic_vf,info "${eal[@]}" \
		-- -i --total-num-mbufs=16384 "${app[@]}" <"$fifo" >"$TP_OUT" 2>&1 &
	TP_PIDS[TPI]=$!
	eval "exec $((7 + TPI))>\"\$fifo\""
	tp_wait_prompt 0 "${TP_START_TIMEOUT:-120}" "testpmd $TPI start-up"
	log "testpmd $TPI up"
}

# tp_wait_prompt OFFSET SECONDS WHAT: wait until $TP_OUT grew past byte OFFSET and ends with
# a prompt (testpmd echoes each command after a prompt, so a prompt alone is not enough).
tp_wait_prompt() {
	local start=$SECONDS
	TP_OUT=$S/tp$TPI.out
	until (($(stat -c %s "$TP_OUT") > $1)) && [ "$(tail -c 9 "$TP_OUT")" = 'testpmd> ' ]; do
		kill -0 "${TP_PIDS[TPI]}" 2>/dev/null || fail "$3: testpmd exited; output:
$(tail -n 40 "$TP_OUT")"
		((SECONDS - start < $2)) || fail "$3: no prompt after $2 s; output:
$(tail -n 40 "$TP_OUT")"
		sleep 0.2
	done
}

# tp CMD...: run one testpmd command; its output is in $OUT.
tp() {
	local off
	TP_OUT=$S/tp$TPI.out
	off=$(stat -c %s "$TP_OUT")
	echo "$*" >&$((7 + TPI))
	tp_wait_prompt "$off" 60 "testpmd $TPI command '$*'"
	OUT=$(tail -c +"$((off + 1))" "$TP_OUT" | sed 's/testpmd> //g')
}

# tp_quit: quit testpmd and wait for it (TP_QUIT_TIMEOUT seconds, 60 by default).
tp_quit() {
	local start=$SECONDS pid=${TP_PIDS[TPI]}
	echo quit >&$((7 + TPI))
	eval "exec $((7 + TPI))>&-"
	while kill -0 "$pid" 2>/dev/null; do
		((SECONDS - start < ${TP_QUIT_TIMEOUT:-60})) || { kill -INT "$pid"; sleep 2; kill -9 "$pid" 2>/dev/null || true; fail "testpmd $TPI did not quit"; }
		sleep 0.2
	done
	wait "$pid" || true
}

# port_stat PORT FIELD: from $OUT of 'show port stats PORT', e.g. RX-packets.
port_stat() {
	awk -v p="$1" -v f="$2:" '/NIC statistics for port/ { cur = ($6 == p) }
		cur { for (i = 1; i < NF; i++) if ($i == f) { print $(i + 1); exit } }' <<<"$OUT"
}
