# Put the vfnic model into a copy of Debian's QEMU source; sourced by the
# QEMU builds (build-qemu.sh, build-qemu-fuzz.sh), never run. Each build
# keeps its own copy under $1 so that they never share a tree.

# qemu_source_copy QDIR: QDIR/src is a copy of the upstream tree, redone
# (and QDIR/build dropped) when Debian's source version changes.
qemu_source_copy() {
	local qdir=$1 upstream="$VFSTACK_CACHE/src/qemu/tree" ver
	[ -d "$upstream" ] || die "QEMU source missing: run 'make deps'"
	ver=$(basename "$(readlink -f "$upstream")")
	if [ "$(cat "$qdir/src/.vfstack-upstream" 2>/dev/null)" != "$ver" ]; then
		step "copying QEMU source $ver into $qdir/src"
		rm -rf "$qdir/src" "$qdir/build"
		mkdir -p "$qdir"
		cp -a "$upstream/." "$qdir/src"
		echo "$ver" >"$qdir/src/.vfstack-upstream"
	fi
}

# patch_once FILE MARKER TEXT: append TEXT unless FILE already has MARKER.
patch_once() {
	grep -qF "$2" "$1" || printf '%s\n' "$3" >>"$1"
}

# qemu_overlay SRC: hook the model into QEMU's build once (a Kconfig
# symbol, a meson subdir, a trace-events directory; the markers keep this
# idempotent), then copy in qemu-model/ and the shared hardware header.
# Only files whose content changed are copied, so ninja rebuilds just those.
qemu_overlay() {
	local src=$1 dst="$1/hw/net/vfnic" f b
	patch_once "$src/hw/net/Kconfig" "config VFNIC" '
config VFNIC
    bool
    default y if PCI_DEVICES
    depends on PCI_EXPRESS && MSI_NONBROKEN'
	patch_once "$src/hw/net/meson.build" "subdir('vfnic')" "subdir('vfnic')"
	if ! grep -q "'hw/net/vfnic'" "$src/meson.build"; then
		sed -i "s|^    'hw/net',$|    'hw/net',\n    'hw/net/vfnic',|" "$src/meson.build"
		grep -q "'hw/net/vfnic'" "$src/meson.build" ||
			die "could not register vfnic trace events"
	fi
	mkdir -p "$dst"
	for f in "$VFSTACK_TOP"/qemu-model/*.[ch] "$VFSTACK_TOP"/qemu-model/meson.build \
		"$VFSTACK_TOP"/qemu-model/trace-events "$VFSTACK_TOP"/include/vfnic_hw.h; do
		[ -e "$f" ] && qemu_sync_file "$f" "$dst/$(basename "$f")"
	done
	# Files removed from qemu-model/ must not linger in the overlay.
	for f in "$dst"/*; do
		b=$(basename "$f")
		[ -e "$VFSTACK_TOP/qemu-model/$b" ] || [ "$b" = vfnic_hw.h ] || rm -f "$f"
	done
}

qemu_sync_file() { cmp -s "$1" "$2" || cp "$1" "$2"; }

# qemu_configure BUILD SRC ARGS...: (re)configure when the arguments change.
qemu_configure() {
	local build=$1 src=$2
	shift 2
	if [ "$(cat "$build/.vfstack-configure" 2>/dev/null)" != "$*" ]; then
		step "configuring QEMU in $build"
		rm -rf "$build" && mkdir -p "$build"
		(cd "$build" && "$src/configure" "$@" >configure.log 2>&1) ||
			{ tail -30 "$build/configure.log"; die "QEMU configure failed (log: $build/configure.log)"; }
		echo "$*" >"$build/.vfstack-configure"
	fi
}

# qemu_ninja SRC BUILD TARGET [EVERY]: build, printing every EVERY-th
# (default 200th) progress line and every diagnostic. QEMU itself builds
# without -Werror (Debian's tree has warnings of its own); the model must
# not add any, so warnings in hw/net/vfnic fail the build.
qemu_ninja() {
	local src=$1 build=$2 target=$3 every=${4:-200} log="$2/vfstack-ninja.log"
	ninja -C "$build" "$target" 2>&1 | tee "$log" |
		awk -v every="$every" '/^\[[0-9]+\/[0-9]+\]/ { if (++n % every == 0) { print; fflush() } next } { print; fflush() }' ||
		die "QEMU build failed"
	if grep -q 'hw/net/vfnic/.*warning' "$log"; then
		touch "$src"/hw/net/vfnic/*.c	# rebuild them next time, so the warnings show again
		die "the vfnic model compiles with warnings (see above)"
	fi
}
