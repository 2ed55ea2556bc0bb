#!/usr/bin/env bash
# Run one libFuzzer harness of tests/fuzz (docs/fuzzing.md):
#   fuzz.sh smoke NAME SECONDS FUZZER [ARGS...]
#       replay NAME/corpus and NAME/regressions (every input must pass),
#       then fuzz SECONDS from the seeds in a scratch corpus (make test)
#   fuzz.sh run NAME SECONDS FUZZER [ARGS...]
#       fuzz SECONDS, growing the corpus kept in $VFSTACK_CACHE/fuzz/NAME
# A crash, leak, sanitizer report or timeout fails the run; the input is
# left in build/fuzz/NAME/ to be fixed and added to NAME/regressions.
set -euo pipefail
. "$(dirname "$0")/../../scripts/common.sh"

mode=$1 name=$2 secs=$3
shift 3
here="$VFSTACK_TOP/tests/fuzz/$name"
out="$VFSTACK_TOP/build/fuzz/$name"
mkdir -p "$out" "$here/regressions"
# UBSan in QEMU's build is recoverable: make every report fatal.
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_stacktrace=1}
common=(-artifact_prefix="$out/" -timeout=25 -rss_limit_mb=4096)

step "fuzz $name: replaying $(ls "$here/corpus" | wc -l) seeds and $(ls "$here/regressions" | wc -l) regressions"
"$@" "${common[@]}" -runs=0 "$here/corpus" "$here/regressions" >"$out/replay.log" 2>&1 ||
	{ tail -40 "$out/replay.log"; die "fuzz $name: a seed or regression input fails (log: $out/replay.log)"; }

if [ "$mode" = run ]; then
	work="$VFSTACK_CACHE/fuzz/$name"
	mkdir -p "$work"
else
	work=$(mktemp -d)
	trap 'rm -rf "$work"' EXIT
fi
step "fuzz $name: fuzzing for ${secs}s (corpus $work)"
rc=0
"$@" "${common[@]}" -max_total_time="$secs" -print_final_stats=1 \
	"$work" "$here/corpus" >"$out/$mode.log" 2>&1 || rc=$?
grep -E '^#[0-9]+[[:space:]]+DONE' "$out/$mode.log" | tail -1 || true
grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$out/$mode.log" || true
if [ "$rc" != 0 ]; then
	grep -m1 -B2 -A30 -E 'ERROR:|runtime error|invariant failed|deadly signal' "$out/$mode.log" || tail -40 "$out/$mode.log"
	die "fuzz $name: failed (log: $out/$mode.log; the input is in $out/)"
fi
