# shellcheck shell=bash
# Scaling part of tests/guest/bench.sh, sourced by it with the PF loaded (load_pf): time to
# enable N VFs, mailbox round trips of a VF, and vfctl apply of N VFs from none.

# scale_numvfs N: seconds (microsecond resolution) for 'echo N > sriov_numvfs' from 0.
scale_numvfs() {
	local t0 t1
	t0=$(now_us)
	set_numvfs "$1"
	t1=$(now_us)
	echo "$(((t1 - t0) / 1000000)).$(printf %06d $(((t1 - t0) % 1000000)))"
}

set_numvfs 0
for ((rep = 1; rep <= REPS; rep++)); do
	for n in "${SCALE[@]}"; do
		secs=$(scale_numvfs "$n")
		bench_emit "\"kind\": \"scale\", \"metric\": \"enable_vfs\", \"vfs\": $n, \"rep\": $rep, \"seconds\": $secs"
		log "enable $n VFs, rep $rep: ${secs}s"
		set_numvfs 0
	done
done

# Mailbox round trips: GET_LINK from a VF through vfclient (VFIO), paced under the PF's
# rate limit.
[ -x "$VFCLIENT" ] || fail "vfclient: expected $VFCLIENT (make -C tests/vfclient), seen none"
set_numvfs 1
bind_driver "$(vf_bdf 0)" vfio-pci
out=$("$VFCLIENT" "$(vf_bdf 0)" wait-ready 5000 negotiate latency "$LAT") ||
	fail "vfclient latency $LAT: expected success, seen: $out"
line=$(grep '^latency ' <<<"$out")
log "mailbox: $line"
lat_field() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p" <<<"$line"; }
bench_emit "\"kind\": \"mailbox\", \"op\": \"GET_LINK\", \"requests\": $(lat_field ok), \"min_us\": $(lat_field min_us), \"median_us\": $(lat_field median_us), \"p99_us\": $(lat_field p99_us), \"max_us\": $(lat_field max_us)"
set_numvfs 0

# vfctl apply of APPLY VFs, each with a MAC, from none, in a fresh state directory each time.
VFCTL=$VFSTACK_TOP/build/provisioner/vfctl
[ -x "$VFCTL" ] || fail "vfctl: expected $VFCTL (make -C provisioner), seen none"
conf=/tmp/bench-vfctl.yaml
{
	printf 'pfs:\n  - pf: %s\n    num_vfs: %d\n    vfs:\n' "$PFDEV" "$APPLY"
	for ((i = 0; i < APPLY; i++)); do
		printf '      - vf: %d\n        mac: 02:00:00:00:%02x:%02x\n' "$i" $((i >> 8)) $((i & 255))
	done
} >"$conf"
for ((rep = 1; rep <= REPS; rep++)); do
	t0=$(now_us)
	out=$("$VFCTL" --state-dir "/tmp/bench-vfctl-state.$rep" apply "$conf" 2>&1) ||
		fail "vfctl apply of $APPLY VFs: expected success, seen: $out"
	t1=$(now_us)
	secs="$(((t1 - t0) / 1000000)).$(printf %06d $(((t1 - t0) % 1000000)))"
	bench_emit "\"kind\": \"scale\", \"metric\": \"vfctl_apply\", \"vfs\": $APPLY, \"rep\": $rep, \"seconds\": $secs"
	log "vfctl apply $APPLY VFs, rep $rep: ${secs}s"
	set_numvfs 0
done
