# shellcheck shell=bash
# Helpers for the vfctl tests (tests/guest/test_vfctl_*.sh), sourced after lib.sh and
# pf_lib.sh. vfctl_setup loads vfnic_pf and points CONF at the example configuration with the
# PF's real name; VFCTL_ARGS adds options to every vfctl run.

VFCTL=$VFSTACK_TOP/build/provisioner/vfctl
CONF=$VFSTACK_TOP/docs/examples/vfctl.yaml
STATE=/scratch/vfstack-state
VFCTL_ARGS=()

# shellcheck disable=SC2119 # load_pf takes optional module parameters
vfctl_setup() {
	[ -x "$VFCTL" ] || fail "vfctl: expected $VFCTL (make -C provisioner), seen none"
	load_pf
	ip link set "$PFDEV" up
	if [ "$PFDEV" != eth0 ]; then # the example names the PF eth0
		sed "s/pf: eth0/pf: $PFDEV/" "$CONF" >/scratch/vfctl.yaml
		CONF=/scratch/vfctl.yaml
	fi
}

vfctl() { "$VFCTL" --state-dir "$STATE" "${VFCTL_ARGS[@]}" "$@"; }

# ok WHAT ARGS...: vfctl ARGS must succeed; its output is in $out.
ok() {
	local what=$1
	shift
	out=$(vfctl "$@" 2>&1) || fail "vfctl $* ($what): expected success, seen: $out
$(dmesg_tail 5)"
}

# refused WHAT REGEX ARGS...: vfctl ARGS must fail with a message matching REGEX.
refused() {
	local what=$1 re=$2
	shift 2
	if out=$(vfctl "$@" 2>&1); then
		fail "vfctl $* ($what): expected an error, seen success: $out"
	fi
	expect_match "vfctl $* ($what) error" "$re" "$out"
	log "refused as expected: $out"
}
