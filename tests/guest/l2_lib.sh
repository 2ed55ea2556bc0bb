# shellcheck shell=bash
# A VM inside the emulated host (L2 in L1) with a VF assigned through vfctl, and traffic between
# it and L1 through the vfnic switch; sourced after lib.sh, pf_lib.sh, pmd_lib.sh and
# vfctl_lib.sh by test_l2_assign.sh and make demo (scripts/demo-guest.sh).
#
# L2 boots L1's kernel with its own initramfs (mkinitramfs l2, built on this machine's host by
# run-in-guest for a script with a '# run-in-guest: l2' line, passed in VFSTACK_L2_INITRD):
# tests/guest/init runs a script the way it does in L1, but everything L2 runs is in that
# initramfs, nothing comes from L1's /usr. Its one share is scratch, $L2_DIR/scratch in L1's
# tmpfs (L2's command, its exit status and the files it reports through); its ttyS1 output is
# streamed here prefixed with [L2]. L2's QEMU
# has its own intel-iommu (caching-mode, which vfio-pci behind a vIOMMU needs) and L2's kernel
# intel_iommu=on: Debian's kernel has no VFIO no-IOMMU mode and a VF has no INTx.

L2_DIR=/tmp/l2 # in L1's tmpfs, one 9p hop nearer to L2; copied to the scratch share at exit
L2_QEMU=$VFSTACK_CACHE/qemu/build/qemu-system-x86_64
L2_TIMEOUT=${L2_TIMEOUT:-900} # seconds for any one wait on L2
L2_PID='' L2_TAIL=''
# Under TCG inside TCG every instruction of L2's boot counts: qboot instead of SeaBIOS (minutes
# less), and no crypto self-tests, no delay-loop calibration, no speculation mitigations, no
# read-only kernel data (its W+X page table walk was a tenth of the kernel's boot under TCG);
# on a busy machine L2's vCPU starves for seconds, which is
# no RCU stall worth a stack dump.
L2_APPEND='cryptomgr.notests lpj=4000000 mitigations=off rodata=off rcupdate.rcu_cpu_stall_suppress=1 nowatchdog'

# l2_step TEXT: progress; the demo replaces it with one that prints timestamps.
l2_step() { log "$*"; }

_l2_cleanup() {
	[ -n "$L2_PID" ] && kill "$L2_PID" 2>/dev/null
	[ -n "$L2_TAIL" ] && kill "$L2_TAIL" 2>/dev/null
	[ -d "$L2_DIR" ] && cp -r "$L2_DIR" "${VFSTACK_SCRATCH:-/tmp}/l2-logs" 2>/dev/null
	return 0
}
# pmd_lib.sh's trap saves testpmd's output; keep it
trap '_l2_cleanup; _tp_save' EXIT

# l2_start SCRIPT ARGS... -- QEMU ARGS...: boot L2 in the background with the extra QEMU ARGS
# (the assigned device) and have it run the repository's SCRIPT with ARGS.
l2_start() {
	local cmd=(exec) kernel
	while [ "$1" != -- ]; do cmd+=("$(printf %q "$1")"); shift; done
	shift
	if [ -z "${VFSTACK_L2_INITRD:-}" ] || [ ! -f "$VFSTACK_L2_INITRD" ]; then
		fail "L2: expected its initramfs in VFSTACK_L2_INITRD (set by run-in-guest for a script with a '# run-in-guest: l2' line), seen '${VFSTACK_L2_INITRD:-}'"
	fi
	[ -x "$L2_QEMU" ] || fail "L2: expected our QEMU build at $L2_QEMU, seen none"
	kernel=/vfstack-cache/kernel/$(uname -r)/root/boot/vmlinuz-$(uname -r)
	rm -rf "$L2_DIR"
	mkdir -p "$L2_DIR/scratch"
	echo "${cmd[*]}" >"$L2_DIR/scratch/cmd"
	: >"$L2_DIR/output.log"
	# shellcheck disable=SC2054 # commas are QEMU option syntax
	"$L2_QEMU" -machine q35 -accel tcg -cpu max -smp 1 -m 512M \
		-L /usr/share/qemu -bios qboot.rom -nodefaults -display none -vga none -no-reboot \
		-device intel-iommu,intremap=on,caching-mode=on \
		-kernel "$kernel" -initrd "$VFSTACK_L2_INITRD" \
		-append "console=ttyS0 quiet panic=-1 intel_iommu=on hugepages=64 no_timer_check $L2_APPEND" \
		-serial "file:$L2_DIR/console.log" -serial "file:$L2_DIR/output.log" \
		-virtfs "local,path=$L2_DIR/scratch,mount_tag=scratch,security_model=none" \
		"$@" </dev/null >"$L2_DIR/qemu.log" 2>&1 &
	L2_PID=$!
	L2_T0=$SECONDS
	tail -n +1 -s 0.5 -f --pid="$L2_PID" "$L2_DIR/output.log" | sed -u 's/^/    [L2] /' &
	L2_TAIL=$!
}

# _l2_died WHAT: L2 is gone before WHAT: fail with what QEMU and L2's console said.
_l2_died() {
	fail "L2: expected $1, seen L2 gone (exit status $(cat "$L2_DIR/scratch/status" 2>/dev/null || echo none)); QEMU:
$(tail -n 10 "$L2_DIR/qemu.log")
L2 console:
$(grep -E 'vfstack-init|Kernel panic|BUG:|Oops|DMAR|vfio' "$L2_DIR/console.log" | tail -n 15)"
}

# l2_wait FILE WHAT: wait until L2 wrote FILE in its scratch share (writers rename into place);
# print its content. Every minute a line on stderr says what L2's console last showed.
l2_wait() {
	local start=$SECONDS next=60
	until [ -f "$L2_DIR/scratch/$1" ]; do
		kill -0 "$L2_PID" 2>/dev/null || _l2_died "$2"
		((SECONDS - start < L2_TIMEOUT)) || fail "L2: timed out after ${L2_TIMEOUT}s waiting for $2"
		if ((SECONDS - start >= next)); then
			log "still waiting for $2; L2's console: $(tail -n 1 "$L2_DIR/console.log" | tr -d '\r' | cut -c1-80)" >&2
			next=$((next + 60))
		fi
		sleep 0.5
	done
	cat "$L2_DIR/scratch/$1"
}

# l2_tell FILE TEXT: hand TEXT to L2 as FILE in its scratch share.
l2_tell() {
	echo "$2" >"$L2_DIR/scratch/.$1"
	mv "$L2_DIR/scratch/.$1" "$L2_DIR/scratch/$1"
}

# l2_exit: wait until L2 powered off; fail unless its script exited 0.
l2_exit() {
	local start=$SECONDS st
	while kill -0 "$L2_PID" 2>/dev/null; do
		((SECONDS - start < L2_TIMEOUT)) || fail "L2: timed out after ${L2_TIMEOUT}s waiting for it to power off"
		sleep 0.5
	done
	wait "$L2_PID" || true
	L2_PID=''
	wait "$L2_TAIL" 2>/dev/null || true
	L2_TAIL=''
	st=$(cat "$L2_DIR/scratch/status" 2>/dev/null || true)
	[ "$st" = 0 ] || _l2_died "its script to exit 0"
}

# l2_traffic PF VF_L2 VM VF_L1 SECS: the whole assignment path. vfctl assigns VF_L2 to VM (QEMU
# arguments form), L2 boots with it and runs stock dpdk-testpmd with net_vfnic_vf on it
# (l2_testpmd.sh), L1 runs another on VF_L1 in rxonly; L2 sends txonly to VF_L1's MAC for SECS
# seconds; then L2 powers off and vfctl releases VF_L2. Sets:
#   L2_DEVARGS  what vfctl assign printed     L2_BOOT   seconds from QEMU start to L2's script
#   L2_LSPCI    L2's lspci -nn line of the VF  L2_MAC    the VF's MAC as L2's testpmd shows it
#   L2_TX L2_TXERR L2_SECS   L2's TX-packets, TX-errors and its seconds of txonly
#   L1_RX L1_RXMISS          L1's RX-packets and RX-missed on VF_L1
#   L1_MAC      VF_L1's MAC as L1's testpmd shows it
# shellcheck disable=SC2034 # the results are for the caller
l2_traffic() {
	local pf=$1 vf2=$2 vm=$3 vf1=$4 secs=$5 bdf1
	bdf1=$(vf_bdf "$vf1")
	# the PF's own netdev floods IPv6 router solicitations and MLD reports to every VF, which
	# VF $vf1 would count beside L2's frames
	sysctl -qw "net.ipv6.conf.$pf.disable_ipv6=1" 2>/dev/null || true
	l2_step "vfctl assign $pf $vf2 --vm $vm"
	ok "assign VF $vf2 to $vm" assign "$pf" "$vf2" --vm "$vm"
	L2_DEVARGS=$out
	echo "    $L2_DEVARGS"
	l2_step "booting L2 (VM $vm) with that device; TCG inside TCG takes minutes"
	# shellcheck disable=SC2086 # vfctl prints QEMU arguments, split as a shell would
	l2_start "$VFSTACK_TOP/tests/guest/l2_testpmd.sh" -- $L2_DEVARGS
	l2_step "meanwhile in L1: dpdk-testpmd (net_vfnic_vf) on VF $vf1 ($bdf1), rxonly"
	mkdir -p /var/run
	# 4096 slots hold 1.4 s of a 2 Mbit/s sender: L1's vCPUs are threads of a loaded L0
	TPI=1 tp_start -a "$bdf1" -- --rxd=4096
	TPI=1 tp show port info 0
	L1_MAC=$(sed -n 's/^MAC address: *//p' <<<"$OUT")
	TPI=1 tp set fwd rxonly
	L2_BOOT=$(l2_wait booted "L2 to boot")
	L2_BOOT=$((SECONDS - L2_T0))
	l2_step "L2 booted in ${L2_BOOT}s; waiting for its testpmd"
	L2_LSPCI=$(l2_wait lspci "L2's lspci line of the VF")
	L2_MAC=$(l2_wait ready "L2's testpmd to probe the VF")
	l2_step "L2's testpmd is up on the VF (MAC $L2_MAC); L2 sends txonly to $L1_MAC for ${secs}s"
	# While L2 sends, its threads stay on L1's CPU 0: L1's receiver (TPI=1) polls on CPU 1, and
	# a poller that shares its vCPU with L2's TCG thread stalls for whole time slices. Not from
	# the start: L2 boots a third faster on both CPUs.
	taskset -a -p -c 0 "$L2_PID" >/dev/null || fail "L2: expected taskset to move QEMU (pid $L2_PID) to CPU 0"
	TPI=1 tp clear port stats 0
	TPI=1 tp start
	l2_tell go "$L1_MAC $secs"
	out=$(l2_wait stats "L2's txonly counters")
	read -r L2_TX L2_TXERR L2_SECS <<<"$out"
	l2_exit
	l2_step "L2 powered off; L1's receiver stops"
	TPI=1 tp stop
	TPI=1 tp show port stats 0
	L1_RX=$(TPI=1 port_stat 0 RX-packets) L1_RXMISS=$(TPI=1 port_stat 0 RX-missed)
	TPI=1 tp_quit
	l2_step "vfctl release $pf $vf2"
	ok "release VF $vf2" release "$pf" "$vf2"
}
