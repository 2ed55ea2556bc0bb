#!/bin/bash
# make bench, inside the emulated host (run by scripts/bench.sh through run-in-guest, which adds
# the comparison NICs). Prints one 'BENCH {json}' line per figure; asserts no rate.
#   bench.sh [reps=N] [secs=S] [warmup=S] [sizes=64,1518] [devices=null,vfnic,e1000,e1000e,virtio]
#            [kernel=0|1] [scale=1,8,32,64] [lat=N] [apply=N]
# Method (docs/bench/README.md says it for readers):
# - DPDK: stock dpdk-testpmd, one forwarding lcore on vCPU 0 for the device under test (DUT),
#   burst 32, 512 descriptors, one queue pair, frames of SIZE bytes counting the FCS; each
#   figure from testpmds started for it (see dut_up).
#   txonly: the DUT sends to a MAC no port owns (the card's uplink or QEMU hub drops it).
#   rxonly and io: a second function of the same kind (a second VF, a second e1000, ...),
#   driven by a second testpmd whose one lcore is on vCPU 1, sends to the DUT's MAC as fast
#   as it can; the DUT counts (rxonly) or sends each frame back out of the port it came in
#   on (io, chained topology over one port). net_null needs no generator.
#   rxonly and io from the wire (vfnic only): the same on VF 0, fed instead by the card's
#   traffic generator (hardware.md 10.1, through vfnic_pf's debugfs) as a tester on the cable
#   would, at no cost to the guest; the generator's rate is its SENT counter over the window.
#   io-pair: two functions of the DUT's kind forwarding to each other (port A's frames go out
#   of B and back to A through the switch), primed with 64 bursts per port so that every rx
#   ring stays full and each burst is whole; net_null's pair is its ceiling.
# - Kernel: pktgen (kpktgend_0 on the DUT, kpktgend_1 on the generator), same sizes; rates
#   from the netdev counters.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pf_lib.sh"
. "$(dirname "$0")/pmd_lib.sh"
. "$(dirname "$0")/bench_lib.sh"

REPS=3 BENCH_SECS=4 BENCH_WARMUP=1 SIZES=64,1518 DEVICES=null,vfnic,e1000,e1000e,virtio
KERNEL=1 SCALE=1,8,32,64 LAT=300 APPLY=64
for a in "$@"; do
	case $a in
	reps=*) REPS=${a#*=} ;; secs=*) BENCH_SECS=${a#*=} ;; warmup=*) BENCH_WARMUP=${a#*=} ;;
	sizes=*) SIZES=${a#*=} ;; devices=*) DEVICES=${a#*=} ;; kernel=*) KERNEL=${a#*=} ;;
	scale=*) SCALE=${a#*=} ;; lat=*) LAT=${a#*=} ;; apply=*) APPLY=${a#*=} ;;
	*) fail "bench.sh: unknown argument '$a'" ;;
	esac
done
IFS=, read -r -a SIZES <<<"$SIZES"
IFS=, read -r -a SCALE <<<"$SCALE"
# Refuse what cannot run before the first boot-long step, not after it.
count() { [[ $2 =~ ^[1-9][0-9]*$ ]] || fail "bench.sh: $1=$2: expected a whole number of at least 1"; }
count reps "$REPS"
count lat "$LAT"
count apply "$APPLY"
[[ $BENCH_SECS =~ ^[0-9]+(\.[0-9]+)?$ && $BENCH_SECS != 0 ]] || fail "bench.sh: secs=$BENCH_SECS: expected a positive number of seconds"
[[ $BENCH_WARMUP =~ ^[0-9]+(\.[0-9]+)?$ ]] || fail "bench.sh: warmup=$BENCH_WARMUP: expected a number of seconds"
[[ $KERNEL =~ ^[01]$ ]] || fail "bench.sh: kernel=$KERNEL: expected 0 or 1"
for s in "${SIZES[@]}"; do
	[[ $s =~ ^[0-9]+$ ]] && ((s >= 64 && s <= 1518)) ||
		fail "bench.sh: sizes: $s: expected a frame size from 64 to 1518 bytes"
done
for n in "${SCALE[@]}"; do
	[[ $n =~ ^[0-9]+$ ]] && ((n >= 1 && n <= 64)) ||
		fail "bench.sh: scale: $n: expected a VF count from 1 to 64"
done
for d in ${DEVICES//,/ }; do
	[[ ,null,vfnic,e1000,e1000e,virtio, == *",$d,"* ]] || fail "bench.sh: devices: unknown device '$d' (null, vfnic, e1000, e1000e, virtio)"
done
has() { [[ ",$DEVICES," == *",$1,"* ]]; }
SINK_MAC=02:00:00:00:ee:ee	# owned by no port: the card's uplink or the QEMU hub drops it
# link events print after the prompt, where neither tp nor bt looks for it
TP_ARGS=(--port-topology=chained --rxd=512 --txd=512 --burst=32 --mask-event intr_lsc)

# Emulated NICs: name, PCI vendor and device, kernel module, DPDK driver. Two functions of
# each (the DUT and its generator) are on their own QEMU hub (scripts/bench.sh).
declare -A NIC_ID=([e1000]="8086 100e" [e1000e]="8086 10d3" [virtio]="1af4 1041")
declare -A NIC_MOD=([e1000]=e1000 [e1000e]=e1000e [virtio]=virtio_net)
declare -A NIC_PMD=([e1000]=net_e1000_em [e1000e]=net_e1000_em [virtio]=net_virtio)
declare -A DUT GEN
EMU=()
for n in e1000 e1000e virtio; do
	has "$n" || continue
	# shellcheck disable=SC2086 # vendor and device
	mapfile -t f < <(pci_find ${NIC_ID[$n]})
	[ "${#f[@]}" = 2 ] || fail "$n: expected two functions ${NIC_ID[$n]} (DUT and generator), seen ${#f[@]}"
	DUT[$n]=${f[0]} GEN[$n]=${f[1]}
	EMU+=("$n")
done

ns=${#SIZES[@]}
BENCH_TOTAL=$((REPS * ns * (${#EMU[@]} * 3)))
has null && BENCH_TOTAL=$((BENCH_TOTAL + REPS * ns * 4))
has vfnic && BENCH_TOTAL=$((BENCH_TOTAL + REPS * ns * 6))	# 4 + rxonly and io from the wire
kpf=0
has vfnic && kpf=1	# the PF's netdev, txonly
[ "$KERNEL" = 1 ] && BENCH_TOTAL=$((BENCH_TOTAL + REPS * ns * (${#EMU[@]} * 2 + kpf)))
log "plan: $BENCH_TOTAL rates (devices $DEVICES, sizes ${SIZES[*]}, $REPS reps of ${BENCH_SECS}s), then scaling"
bench_emit "\"kind\": \"guest\", \"kernel\": \"$(uname -r)\", \"vcpus\": $(nproc), \"cpu\": \"$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)\", \"reps\": $REPS, \"secs\": $BENCH_SECS, \"planned\": $BENCH_TOTAL"

# 4 VFs: VF 0 the DUT, VF 1 its generator, VFs 2 and 3 the io pair.
pmd_setup 4
ip link set "$PFDEV" vf 0 spoofchk off	# io sends the generator's frames back out of VF 0

# --- kernel drivers (pktgen) ----------------------------------------------------------------------
kernel_nic() { # NAME MODULE DUT GEN|-
	local name=$1 dn gn="" dmac rep s pps
	dn=$(netdev_of "$3")
	[ "$4" = - ] || gn=$(netdev_of "$4")
	ip link set "$dn" up
	[ -z "$gn" ] || ip link set "$gn" up
	wait_for 20 "$dn carrier" grep -qx 1 "/sys/class/net/$dn/carrier"
	dmac=$(sysfs_get "/sys/class/net/$dn/address")
	for ((rep = 1; rep <= REPS; rep++)); do
		for s in "${SIZES[@]}"; do
			pg_dev 0 "$dn" "$s" "$SINK_MAC"
			pg_start
			pps=$(counter_rate "$dn" tx_packets)
			pg_stop
			bench_rate "$name" "$2" txonly "$s" "$rep" "$pps"
			[ -n "$gn" ] || continue
			pg_dev 1 "$gn" "$s" "$dmac"
			pg_start
			pps=$(counter_rate "$dn" rx_packets)
			pg_stop
			bench_rate "$name" "$2" rxonly "$s" "$rep" "$pps"
		done
	done
	ip link set "$dn" down
	[ -z "$gn" ] || ip link set "$gn" down
}
if [ "$KERNEL" = 1 ]; then
	modprobe pktgen || fail "pktgen: expected the module in the guest kernel, modprobe failed"
	for n in "${EMU[@]}"; do
		modprobe "${NIC_MOD[$n]}"
		wait_for 20 "$n netdevs" has_netdev "${GEN[$n]}"
		kernel_nic "$n" "${NIC_MOD[$n]}" "${DUT[$n]}" "${GEN[$n]}"
	done
	has vfnic && kernel_nic vfnic-pf vfnic_pf "$PF" -
fi

# --- DPDK PMDs ------------------------------------------------------------------------------------
# Every figure comes from testpmds started for it and quit after it. Within one testpmd a figure
# depends on the ones before it: after other modes, ports and frame sizes the mbufs a ring keeps
# in circulation lie on more pages, and under TCG every page costs a software TLB entry, so the
# VF's txonly fell from 5.0 to 1.8 Mpps between the first and the third repetition of one run.
# A repetition must be a sample of the same thing, and an application doing one job starts and
# stays in the first state.
# dut_up LEN DEV...: testpmd 0 on DEV..., its port 0 sending LEN-byte frames to the sink.
dut_up() {
	local len=$1 a=() d
	shift
	for d in "$@"; do a+=(-a "$d"); done
	TPI=0 bt_start "${a[@]}" -- "${TP_ARGS[@]}"
	TPI=0 bt set eth-peer 0 "$SINK_MAC"
	TPI=0 bt set txpkts "$len"
}
# gen_up LEN GEN DMAC: testpmd 1, the generator, sending LEN-byte frames from GEN to DMAC.
gen_up() {
	TPI=1 bt_start -a "$2" -- "${TP_ARGS[@]}"
	TPI=1 bt set fwd txonly
	TPI=1 bt set eth-peer 0 "$3"
	TPI=1 bt set txpkts "$1"
}
# bt_quit: tp_quit, and close the descriptor bt_start opened on its output.
bt_quit() {
	local fd=${BT_FD[$TPI]}
	tp_quit
	exec {fd}<&-
	unset "BT_FD[$TPI]"
}

# counter_of MODE: the port counter a figure of MODE reads: what the DUT takes in rxonly,
# what it sends otherwise.
counter_of() { if [ "$1" = rxonly ]; then echo Rx-pps; else echo Tx-pps; fi; }

# pmd_dev REP SIZE NAME DRIVER DUT GEN [PAIR_A PAIR_B]: repetition REP at SIZE bytes of
# txonly, rxonly and io on DUT fed by GEN, on a VF also fed by the card's generator (the wire
# source), and io-pair over PAIR_A/PAIR_B when given.
pmd_dev() {
	local rep=$1 s=$2 name=$3 drv=$4 dut=$5 gen=$6 pa=${7:-} pb=${8:-} len pps offered m dmac
	len=$(frame_len "$s")
	dut_up "$len" "$dut"
	dmac=$(TPI=0 tp_mac 0)
	TPI=0 bt set fwd txonly
	TPI=0 bt start
	pps=$(TPI=0 bt_measure 0 Tx-pps)
	TPI=0 bt stop
	TPI=0 bt_quit
	bench_rate "$name" "$drv" txonly "$s" "$rep" "$pps"
	for m in rxonly io; do
		dut_up "$len" "$dut"
		gen_up "$len" "$gen" "$dmac"
		TPI=0 bt set fwd "$m"
		TPI=1 bt start
		TPI=0 bt start
		read -r pps offered <<<"$(bt_measure_fed 0 "$(counter_of "$m")")"
		TPI=0 bt stop
		TPI=1 bt stop
		TPI=1 bt_quit
		TPI=0 bt_quit
		bench_rate "$name" "$drv" "$m" "$s" "$rep" "$pps" "$offered"
	done
	if [ "$drv" = net_vfnic_vf ]; then
		for m in rxonly io; do
			dut_up "$len" "$dut"
			TPI=0 bt set fwd "$m"
			TPI=0 bt start
			tgen_start "$dmac" "$len"
			read -r pps offered <<<"$(bt_measure_wire 0 "$(counter_of "$m")")"
			tgen_stop
			TPI=0 bt stop
			TPI=0 bt_quit
			bench_rate "$name" "$drv" "$m" "$s" "$rep" "$pps" "$offered" wire
		done
	fi
	[ -n "$pa" ] || return 0
	dut_up "$len" "$pa" "$pb"
	TPI=0 bt set eth-peer 0 "$(TPI=0 tp_mac 1)"
	TPI=0 bt set eth-peer 1 "$(TPI=0 tp_mac 0)"
	TPI=0 bt set portlist 0,1
	TPI=0 bt start tx_first 64
	pps=$(TPI=0 bt_measure "0 1" Tx-pps)
	TPI=0 bt stop
	TPI=0 bt_quit
	bench_rate "$name-pair" "$drv" io-pair "$s" "$rep" "$pps"
}

# pmd_null REP SIZE: repetition REP at SIZE bytes of net_null, a pair of ports of the size
# measured (its rx frame size is fixed when the port is made).
pmd_null() {
	local rep=$1 s=$2 len pps m ports
	len=$(frame_len "$s")
	for m in txonly rxonly io io-pair; do
		TPI=0 bt_start --no-pci --vdev "net_null0,size=$len" --vdev "net_null1,size=$len" -- "${TP_ARGS[@]}"
		TPI=0 bt set txpkts "$len"
		if [ "$m" = io-pair ]; then
			TPI=0 bt set portlist 0,1
			TPI=0 bt set fwd io
		else
			TPI=0 bt set portlist 0
			TPI=0 bt set fwd "$m"
		fi
		TPI=0 bt start
		ports=0
		[ "$m" != io-pair ] || ports="0 1"
		pps=$(TPI=0 bt_measure "$ports" "$(counter_of "$m")")
		TPI=0 bt stop
		TPI=0 bt_quit
		if [ "$m" = io-pair ]; then
			bench_rate null-pair net_null io-pair "$s" "$rep" "$pps"
		else
			bench_rate null net_null "$m" "$s" "$rep" "$pps"
		fi
	done
}

# A repetition is one round over every device, the ceiling and the VF side by side: the load
# of this shared machine drifts by tens of percent over minutes, and a device measured minutes
# after its ceiling would carry that drift into its ratio. Odd rounds run net_null first, even
# rounds last (the order reversed), so that a drift within a round favours the ceiling in one
# round and the devices in the next rather than always the same side.
for n in "${EMU[@]}"; do
	bind_driver "${DUT[$n]}" vfio-pci
	bind_driver "${GEN[$n]}" vfio-pci
done
ROUND=()
! has null || ROUND+=(null)
! has vfnic || ROUND+=(vfnic)
ROUND+=("${EMU[@]}")
bench_one() { # REP SIZE DEVICE
	case $3 in
	null) pmd_null "$1" "$2" ;;
	vfnic) pmd_dev "$1" "$2" vfnic net_vfnic_vf "${VF_BDF[@]:0:4}" ;;
	*) pmd_dev "$1" "$2" "$3" "${NIC_PMD[$3]}" "${DUT[$3]}" "${GEN[$3]}" ;;
	esac
}
for ((rep = 1; rep <= REPS; rep++)); do
	order=()
	for ((i = 0; i < ${#ROUND[@]}; i++)); do
		if ((rep % 2)); then
			order+=("${ROUND[i]}")
		else
			order=("${ROUND[i]}" "${order[@]}")
		fi
	done
	log "round $rep: ${order[*]}"
	for s in "${SIZES[@]}"; do
		for d in "${order[@]}"; do
			bench_one "$rep" "$s" "$d"
		done
	done
done

# --- scaling --------------------------------------------------------------------------------------
. "$(dirname "$0")/bench_scale.sh"
log "done: $BENCH_DONE rates"
