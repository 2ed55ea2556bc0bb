# Shared settings for vfstack's build and test scripts; sourced, never run.
# Everything downloaded or built from third-party sources lives in $VFSTACK_CACHE,
# outside the clone, so a fresh clone on a warm machine reuses it.
VFSTACK_CACHE=${VFSTACK_CACHE:-$HOME/.cache/vfstack}
VFSTACK_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export VFSTACK_CACHE VFSTACK_TOP

step() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# The guest kernel version is resolved once by deps.sh (from linux-image-amd64's
# dependency) and recorded here so every later step uses the same one.
guest_kver() {
	[ -s "$VFSTACK_CACHE/kernel/version" ] || die "guest kernel not set up: run 'make deps'"
	cat "$VFSTACK_CACHE/kernel/version"
}
