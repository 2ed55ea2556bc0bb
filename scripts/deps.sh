#!/usr/bin/env bash
# Install everything vfstack needs on a Debian 12 machine, idempotently:
# Debian packages, deb-src entry, QEMU and DPDK sources, guest kernel + headers.
set -euo pipefail
. "$(dirname "$0")/common.sh"

PKGS=(
	# QEMU build
	build-essential ninja-build meson pkg-config python3 python3-venv flex bison
	libglib2.0-dev libpixman-1-dev libslirp-dev libfdt-dev zlib1g-dev
	libattr1-dev libcap-ng-dev dpkg-dev
	# firmware and the stock QEMU that runs L2 inside the emulated host
	seabios qemu-system-data qemu-system-x86 ipxe-qemu
	# guest userland (shared into the guest over 9p) and initramfs tools
	busybox-static cpio kmod pciutils iproute2 ethtool procps
	# DPDK
	dpdk dpdk-dev libdpdk-dev
	# userspace libraries and test tools
	libcmocka-dev libnl-3-dev libnl-route-3-dev libjansson-dev libyaml-dev
	# vfctl: status --json validated against docs/vfctl.schema.json in the guest test
	python3-jsonschema
	# vfctl: assign --libvirt checked with virt-xml-validate (libvirt-clients; the schemas come
	# with libvirt0, xmllint with libxml2-utils); the boot unit with systemd-analyze verify
	libvirt-clients libxml2-utils systemd
	clang llvm libclang-rt-14-dev
	# make bench: plots
	gnuplot-nox
	# kernel module build (headers are added below for the resolved version)
	bc libelf-dev
)

export DEBIAN_FRONTEND=noninteractive
need_update=0

# deb-src entry: apt-get source needs it; written once, alongside Debian's own.
SRCLIST=/etc/apt/sources.list.d/vfstack-src.sources
if [ ! -f "$SRCLIST" ]; then
	step "adding deb-src entry ($SRCLIST)"
	cat >"$SRCLIST" <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
	need_update=1
fi
if [ ! -d /var/lib/apt/lists ] || [ -z "$(ls /var/lib/apt/lists/*Sources* 2>/dev/null)" ]; then
	need_update=1
fi
if [ "$need_update" = 1 ]; then
	step "apt-get update"
	apt-get update -q
fi

# Resolve the guest kernel: whatever linux-image-amd64 points at today.
KPKG=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/{print $2; exit}')
[ -n "$KPKG" ] || die "cannot resolve the guest kernel package from linux-image-amd64"
KVER=${KPKG#linux-image-}
PKGS+=("linux-headers-$KVER")

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	step "installing ${#missing[@]} Debian packages: ${missing[*]}"
	apt-get install -y -q --no-install-recommends "${missing[@]}" ||
		{ apt-get update -q && apt-get install -y -q --no-install-recommends "${missing[@]}"; }
fi

mkdir -p "$VFSTACK_CACHE/src" "$VFSTACK_CACHE/kernel"

# Guest kernel image: downloaded and unpacked, modules indexed with depmod
# (the deb ships without modules.dep).
KDIR="$VFSTACK_CACHE/kernel/$KVER"
if [ ! -f "$KDIR/.done" ]; then
	step "downloading guest kernel $KPKG"
	rm -rf "$KDIR" && mkdir -p "$KDIR/root"
	(cd "$KDIR" && apt-get download -q "$KPKG")
	dpkg-deb -x "$KDIR"/"$KPKG"_*.deb "$KDIR/root"
	depmod -b "$KDIR/root" "$KVER"
	touch "$KDIR/.done"
fi
echo "$KVER" >"$VFSTACK_CACHE/kernel/version"

# Sources: QEMU (the vfnic model is overlaid onto it) and DPDK (driver-SDK headers).
fetch_source() { # package
	local pkg=$1 dir="$VFSTACK_CACHE/src/$1"
	local ver
	ver=$(apt-cache showsrc "$pkg" | awk '/^Version:/{print $2}' | sort -V | tail -1)
	if [ ! -f "$dir/.done-$ver" ]; then
		step "fetching $pkg $ver source (apt-get source)"
		rm -rf "$dir" && mkdir -p "$dir"
		(cd "$dir" && apt-get source -q "$pkg=$ver" >/dev/null)
		touch "$dir/.done-$ver"
	fi
	ln -sfn "$(find "$dir" -mindepth 1 -maxdepth 1 -type d -name "$pkg-*" | head -1)" "$dir/tree"
}
fetch_source qemu
fetch_source dpdk

step "dependencies ready (guest kernel $KVER, cache $VFSTACK_CACHE)"
