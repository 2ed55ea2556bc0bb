#!/usr/bin/env bash
# Build qemu-fuzz-x86_64: the same Debian QEMU 7.2 source with the vfnic
# model overlaid (scripts/qemu-overlay.sh), built with clang, libFuzzer,
# ASan and UBSan, plus our fuzz target tests/fuzz/vfnic_model/vfnic_fuzz.c
# with the input decoding it shares with the model harness outside QEMU.
# It has its own source copy and build tree ($VFSTACK_CACHE/qemu-fuzz), so it
# never touches the QEMU that the other tests run.
set -euo pipefail
. "$(dirname "$0")/common.sh"
. "$(dirname "$0")/qemu-overlay.sh"

QDIR="$VFSTACK_CACHE/qemu-fuzz"
SRC="$QDIR/src"
BUILD="$QDIR/build"
# vfnic_fuzz.c's own headers, copied next to it
FUZZ_HDRS=("$VFSTACK_TOP/tests/fuzz/fuzz_input.h"
	"$VFSTACK_TOP/tests/fuzz/vfnic_fuzz_input.h")
CONFIGURE_ARGS=(--cc=clang-14 --cxx=clang++-14 --target-list=x86_64-softmmu
	--without-default-features --enable-tcg --enable-fuzzing
	--enable-sanitizers --disable-docs --disable-werror)

# Everything the binary is built from: when none of it changed since the
# last build, skip even ninja's no-op pass (half a minute on a busy machine).
inputs_key() {
	{
		readlink -f "$VFSTACK_CACHE/src/qemu/tree"
		echo "${CONFIGURE_ARGS[*]}"
		for f in "$VFSTACK_TOP"/qemu-model/* "$VFSTACK_TOP/include/vfnic_hw.h" \
			"$VFSTACK_TOP/tests/fuzz/vfnic_model/vfnic_fuzz.c" \
			"${FUZZ_HDRS[@]}" \
			"$VFSTACK_TOP/scripts/build-qemu-fuzz.sh" \
			"$VFSTACK_TOP/scripts/qemu-overlay.sh"; do
			echo "${f#"$VFSTACK_TOP"/}"
			cat "$f"
		done
	} | sha256sum | cut -d' ' -f1
}
key=$(inputs_key)
if [ -x "$BUILD/qemu-fuzz-x86_64" ] &&
	[ "$(cat "$BUILD/.vfstack-inputs" 2>/dev/null)" = "$key" ]; then
	step "fuzzer up to date: $BUILD/qemu-fuzz-x86_64"
	exit 0
fi

qemu_source_copy "$QDIR"
qemu_overlay "$SRC"
for f in "$VFSTACK_TOP/tests/fuzz/vfnic_model/vfnic_fuzz.c" "${FUZZ_HDRS[@]}"; do
	qemu_sync_file "$f" "$SRC/tests/qtest/fuzz/$(basename "$f")"
done
patch_once "$SRC/tests/qtest/fuzz/meson.build" "vfnic_fuzz.c" \
	"specific_fuzz_ss.add(when: 'CONFIG_VFNIC', if_true: files('vfnic_fuzz.c'))"
qemu_configure "$BUILD" "$SRC" "${CONFIGURE_ARGS[@]}"

# The first build is about 1500 steps, all instrumented: 1.5 h or more on
# a busy 2-core machine, so show progress every 50 steps.
step "building qemu-fuzz-x86_64 (ninja, progress below)"
qemu_ninja "$SRC" "$BUILD" qemu-fuzz-x86_64 50
echo "$key" >"$BUILD/.vfstack-inputs"
step "fuzzer ready: $BUILD/qemu-fuzz-x86_64"
