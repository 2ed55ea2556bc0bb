#!/usr/bin/env bash
# make bench: boot the emulated host once with the vfnic card and the NICs it is compared to,
# run tests/guest/bench.sh in it, and turn its figures into OUT/results.json (checked against
# docs/bench/results.schema.json), OUT/README.md and OUT/*.png (scripts/bench_report.py).
#   scripts/bench.sh [--quick] [--out DIR]
# --quick (make test's smoke run): one repetition of 1 s, 64-byte frames, net_null, vfnic and
# virtio-net only, fewer VFs; it checks that the benchmark runs and writes well-formed results.
# A benchmark never fails on a rate: the exit status says whether it ran, not how fast.
set -euo pipefail
. "$(dirname "$0")/common.sh"

QUICK=0 OUT=$VFSTACK_TOP/docs/bench
while [ $# -gt 0 ]; do
	case $1 in
	--quick) QUICK=1 ;;
	--out) OUT=$2; shift ;;
	*) die "usage: $0 [--quick] [--out DIR]" ;;
	esac
	shift
done

if [ -n "${BENCH_ARGS:-}" ]; then	# for work on the benchmark itself: tests/guest/bench.sh's arguments
	read -r -a ARGS <<<"$BENCH_ARGS"
	NICS=(e1000 e1000e virtio)
	TIMEOUT=3600
elif [ "$QUICK" = 1 ]; then
	ARGS=(reps=1 secs=1 warmup=0.5 sizes=64 devices=null,vfnic,virtio kernel=1 scale=1,8 lat=50 apply=8)
	NICS=(virtio)
	TIMEOUT=900
else
	# An even number of repetitions: rounds alternate the order of the devices (bench.sh), so
	# as many run net_null first as last.
	ARGS=(reps=4 secs=3 warmup=1 sizes=64,1518 devices=null,vfnic,e1000,e1000e,virtio kernel=1
		scale=1,8,32,64 lat=300 apply=64)
	NICS=(e1000 e1000e virtio)
	TIMEOUT=3600
fi

# Two functions of each NIC (the one measured and its generator), each behind its own PCIe
# root port, the pair on its own QEMU hub: frames stay inside QEMU (a host socket would be
# the bottleneck, see emulation.md) and the hub drops what nobody takes. virtio-net is
# modern-only and goes through the IOMMU (iommu_platform) as a VFIO-assigned device must.
declare -A QDEV=([e1000]=e1000 [e1000e]=e1000e
	[virtio]=virtio-net-pci,disable-legacy=on,iommu_platform=on,ats=on,rx_queue_size=512)
extra=() slot=2 hub=1
for n in "${NICS[@]}"; do
	for f in 0 1; do
		extra+=(-device "pcie-root-port,id=rpb$slot,bus=pcie.0,chassis=$slot,slot=$slot"
			-device "${QDEV[$n]},bus=rpb$slot,romfile=,netdev=nb$slot,mac=52:54:00:b0:0$hub:0$f"
			-netdev "hubport,id=nb$slot,hubid=$hub")
		slot=$((slot + 1))
	done
	# A hub port with no peer always takes a frame and drops it. Without it the hub refuses
	# frames while the other NIC has no rx buffer, and virtio-net (which sends asynchronously)
	# stops its tx queue until then, which stalls txonly for good.
	extra+=(-netdev "hubport,id=nbsink$hub,hubid=$hub")
	hub=$((hub + 1))
done

BUILD=$VFSTACK_TOP/build/bench
mkdir -p "$BUILD" "$OUT"
sfx=; [ "$QUICK" = 0 ] || sfx=-quick
LOG=$BUILD/bench$sfx.log
META=$BUILD/meta$sfx.json

load() { read -r a b c _ </proc/loadavg && echo "$a $b $c"; }
step "make bench$sfx: ${ARGS[*]}"
step "machine: $(nproc) CPUs, load average $(load) (1/5/15 min); figures are from a shared machine when that is high"
start=$(date -u +%Y-%m-%dT%H:%M:%SZ) t0=$SECONDS load0=$(load)
# -smp 2 is the emulated host every test uses; the benchmark's lcores are its vCPUs 0 and 1.
VFSTACK_GUEST_TIMEOUT=$TIMEOUT VFSTACK_QEMU_EXTRA="${extra[*]}" VFSTACK_GUEST_SMP=2 \
	bash "$VFSTACK_TOP/tests/guest/run-in-guest" "$VFSTACK_TOP/tests/guest/bench.sh" "${ARGS[@]}" |
	tee "$LOG" | grep --line-buffered -v '^BENCH ' || die "the benchmark did not run to its end; see $LOG and build/guest-logs"
load1=$(load)

python3 - "$META" <<EOF
import json, subprocess, sys
def run(*a):
    return subprocess.run(a, capture_output=True, text=True).stdout.strip()
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "")
json.dump({
    "started": "$start", "seconds": $((SECONDS - t0)), "quick": bool($QUICK),
    "host": {"cpus": int(run("nproc")), "cpu": cpu,
             "load_before": [float(x) for x in "$load0".split()],
             "load_after": [float(x) for x in "$load1".split()]},
    "qemu": run("${VFSTACK_QEMU:-$VFSTACK_CACHE/qemu/build/qemu-system-x86_64}", "--version").splitlines()[0],
    "dpdk": run("dpkg-query", "-W", "-f=\${Version}", "dpdk"),
    "commit": run("git", "-C", "$VFSTACK_TOP", "rev-parse", "--short", "HEAD"),
    "args": "${ARGS[*]}".split(),
}, open(sys.argv[1], "w"), indent=1)
EOF
python3 "$VFSTACK_TOP/scripts/bench_report.py" --log "$LOG" --meta "$META" --out "$OUT"
step "make bench done in $((SECONDS - t0)) s: $OUT/README.md"
