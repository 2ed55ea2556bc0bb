#!/usr/bin/env bash
# Build our QEMU: Debian's 7.2 source with the vfnic model from qemu-model/
# overlaid onto it (scripts/qemu-overlay.sh). The source copy and the build
# tree live in the cache; only files whose content changed are copied, so
# ninja rebuilds just those.
set -euo pipefail
. "$(dirname "$0")/common.sh"
. "$(dirname "$0")/qemu-overlay.sh"

QDIR="$VFSTACK_CACHE/qemu"
SRC="$QDIR/src"
BUILD="$QDIR/build"
CONFIGURE_ARGS=(--target-list=x86_64-softmmu --without-default-features
	--enable-tcg --enable-slirp --enable-fdt=system --disable-docs
	--disable-werror --enable-virtfs --enable-attr --enable-cap-ng)

qemu_source_copy "$QDIR"
qemu_overlay "$SRC"
qemu_configure "$BUILD" "$SRC" "${CONFIGURE_ARGS[@]}"

step "building QEMU (ninja, progress below)"
qemu_ninja "$SRC" "$BUILD" qemu-system-x86_64
"$BUILD/qemu-system-x86_64" -device help 2>/dev/null | grep -q '"vfnic"' ||
	die "built QEMU has no vfnic device"
step "QEMU ready: $BUILD/qemu-system-x86_64"
