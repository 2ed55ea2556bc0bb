#!/usr/bin/env bash
# Build our QEMU: Debian's 7.2 source with the vfnic model from qemu-model/
# overlaid onto it. The source copy and the build tree live in the cache; only
# files whose content changed are copied, so ninja rebuilds just those.
set -euo pipefail
. "$(dirname "$0")/common.sh"

UPSTREAM="$VFSTACK_CACHE/src/qemu/tree"
[ -d "$UPSTREAM" ] || die "QEMU source missing: run 'make deps'"
SRCVER=$(basename "$(readlink -f "$UPSTREAM")")
QDIR="$VFSTACK_CACHE/qemu"
SRC="$QDIR/src"
BUILD="$QDIR/build"
CONFIGURE_ARGS=(--target-list=x86_64-softmmu --without-default-features
	--enable-tcg --enable-slirp --enable-fdt=system --disable-docs
	--disable-werror --enable-virtfs --enable-attr --enable-cap-ng)

if [ "$(cat "$SRC/.vfstack-upstream" 2>/dev/null)" != "$SRCVER" ]; then
	step "copying QEMU source $SRCVER into $SRC"
	rm -rf "$SRC" "$BUILD"
	mkdir -p "$QDIR"
	cp -a "$UPSTREAM/." "$SRC"
	echo "$SRCVER" >"$SRC/.vfstack-upstream"
fi

# Hook the model into QEMU's build once: a Kconfig symbol, a meson subdir and
# a trace-events directory. The markers keep this idempotent.
patch_once() { # file marker text
	grep -qF "$2" "$1" || printf '%s\n' "$3" >>"$1"
}
patch_once "$SRC/hw/net/Kconfig" "config VFNIC" '
config VFNIC
    bool
    default y if PCI_DEVICES
    depends on PCI_EXPRESS && MSI_NONBROKEN'
patch_once "$SRC/hw/net/meson.build" "subdir('vfnic')" "subdir('vfnic')"
if ! grep -q "'hw/net/vfnic'" "$SRC/meson.build"; then
	sed -i "s|^    'hw/net',$|    'hw/net',\n    'hw/net/vfnic',|" "$SRC/meson.build"
	grep -q "'hw/net/vfnic'" "$SRC/meson.build" || die "could not register vfnic trace events"
fi

# Overlay: qemu-model/ plus the shared hardware header.
DST="$SRC/hw/net/vfnic"
mkdir -p "$DST"
sync_file() { cmp -s "$1" "$2" || cp "$1" "$2"; }
for f in "$VFSTACK_TOP"/qemu-model/*.[ch] "$VFSTACK_TOP"/qemu-model/meson.build \
	"$VFSTACK_TOP"/qemu-model/trace-events "$VFSTACK_TOP"/include/vfnic_hw.h; do
	[ -e "$f" ] && sync_file "$f" "$DST/$(basename "$f")"
done
# Files removed from qemu-model/ must not linger in the overlay.
for f in "$DST"/*; do
	b=$(basename "$f")
	[ -e "$VFSTACK_TOP/qemu-model/$b" ] || [ "$b" = vfnic_hw.h ] || rm -f "$f"
done

if [ "$(cat "$BUILD/.vfstack-configure" 2>/dev/null)" != "${CONFIGURE_ARGS[*]}" ]; then
	step "configuring QEMU"
	rm -rf "$BUILD" && mkdir -p "$BUILD"
	(cd "$BUILD" && "$SRC/configure" "${CONFIGURE_ARGS[@]}" >configure.log 2>&1) ||
		{ tail -30 "$BUILD/configure.log"; die "QEMU configure failed (log: $BUILD/configure.log)"; }
	echo "${CONFIGURE_ARGS[*]}" >"$BUILD/.vfstack-configure"
fi

step "building QEMU (ninja, progress below)"
# Print every 200th progress line and every diagnostic. QEMU itself builds
# without -Werror (Debian's tree has warnings of its own); the model must not
# add any, so warnings in hw/net/vfnic fail the build.
LOG="$BUILD/vfstack-ninja.log"
ninja -C "$BUILD" qemu-system-x86_64 2>&1 | tee "$LOG" |
	awk '/^\[[0-9]+\/[0-9]+\]/ { if (++n % 200 == 0) { print; fflush() } next } { print; fflush() }' ||
	die "QEMU build failed"
if grep -q 'hw/net/vfnic/.*warning' "$LOG"; then
	touch "$DST"/*.c	# rebuild them next time, so the warnings show again
	die "the vfnic model compiles with warnings (see above)"
fi
"$BUILD/qemu-system-x86_64" -device help 2>/dev/null | grep -q '"vfnic"' ||
	die "built QEMU has no vfnic device"
step "QEMU ready: $BUILD/qemu-system-x86_64"
