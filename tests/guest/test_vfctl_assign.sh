#!/bin/bash
# vfctl assign/release of a VF to a VM: QEMU arguments and libvirt <hostdev> forms; a hot-plug
# through QMP (device_add vfio-pci) into a QEMU started here, which then holds the VF's VFIO group
# (status shows it, destroy names it); release by device_del waiting for DEVICE_DELETED, which
# puts back the configured MAC, trust and link state that were changed while the VF was assigned.
# A VM killed with SIGKILL while holding the VF: reconcile (and apply) notice that its QEMU, recorded
# through the QMP socket's SO_PEERCRED, has gone and put the VF back to its configured state, and a
# second VM gets it with that state.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pf_lib.sh"
. "$(dirname "$0")/vfctl_lib.sh"

QMP=/tmp/vfctl-qmp/qmp.sock # not on /scratch: 9p cannot hold a Unix socket
VFCTL_ARGS=(--timeout 30)
vfctl_setup

ok "apply" apply "$CONF"
VF7=$(vf_bdf 7)
VF5=$(vf_bdf 5)

# --- QEMU arguments and libvirt XML (VF 5 is bound to vfio-pci by assign itself) ---------------------
ok "assign VF 5, QEMU arguments" assign "$PFDEV" 5 --vm vm-a
expect_eq "QEMU arguments" "-device vfio-pci,host=$VF5,id=vfctl-${VF5//:/-}" "$out"
expect_eq "VF 5 driver after assign" vfio-pci "$(basename "$(readlink "/sys/bus/pci/devices/$VF5/driver")")"
refused "VF 5 to a second VM" "already assigned to VM vm-a" assign "$PFDEV" 5 --vm vm-b
ok "release VF 5" release "$PFDEV" 5
ok "assign VF 5, libvirt" assign "$PFDEV" 5 --vm vm-b --libvirt
expect_match "libvirt hostdev" "^<hostdev mode='subsystem' type='pci' managed='yes'>" "$out"
IFS=':.' read -r d b s f <<<"$VF5"
expect_match "libvirt address" "<address domain='0x$d' bus='0x$b' slot='0x$s' function='0x$f'/>" "$out"
log "libvirt XML:
$out"
# libvirt has no schema for a lone device: validate it inside a minimal domain
printf "<domain type='kvm'>\n<name>vm-b</name>\n<memory unit='MiB'>128</memory>\n<os><type arch='x86_64' machine='q35'>hvm</type></os>\n<devices>\n%s\n</devices>\n</domain>\n" \
	"$out" >/scratch/domain.xml
v=$(virt-xml-validate /scratch/domain.xml domain 2>&1) || fail "virt-xml-validate of the libvirt XML: expected valid, seen: $v"
log "$v"
ok "release VF 5" release "$PFDEV" 5

# --- QMP hot-plug into a QEMU started here ---------------------------------------------------------------
# No OS runs in this VM, so nothing would answer an ACPI or attention-button unplug request: native
# PCIe hot-plug on a root port whose slot is powered off (empty at reset) unplugs at once.
# start_vm SOCKET: a QEMU with a hot-pluggable root port rp1 and a QMP socket; its pid in QPID.
start_vm() {
	mkdir -p "${1%/*}"
	rm -f "$1"
	qemu-system-x86_64 -machine q35 -accel tcg -m 128M -display none -nodefaults -S -no-reboot \
		-global ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off \
		-L /usr/share/qemu -L /usr/share/seabios \
		-device pcie-root-port,id=rp1,bus=pcie.0,chassis=1 \
		-qmp "unix:$1,server=on,wait=off" 2>>/scratch/qemu.err &
	QPID=$!
	wait_for 30 "QEMU's QMP socket $1" test -S "$1"
}
start_vm "$QMP"
trap 'kill $QPID 2>/dev/null || true' EXIT
start=$SECONDS
ok "assign VF 7 through QMP" assign "$PFDEV" 7 --vm l2 --qmp "$QMP" --bus rp1
log "QMP hot-plug took $((SECONDS - start))s: $out"
ok "status" status
expect_match "status: VF 7 held by QEMU, assigned to l2" "vf 7 .*$VF7 driver vfio-pci .*open by $QPID \(qemu-system-x86\) vm l2" "$out"
refused "destroy while QEMU holds VF 7" "VF 7 \\($VF7\\) is held open by pid $QPID \\(qemu-system-x86\\)" destroy "$PFDEV"

# the VF's admin settings change while it is assigned; release must put back the configured ones
ip link set "$PFDEV" vf 7 mac 02:66:66:66:66:66 trust on state disable
expect_match "vf 7 changed" 'link/ether 02:66:66:66:66:66.*link-state disable, trust on' "$(vf_line 7)"
start=$SECONDS
ok "release VF 7 through QMP" release "$PFDEV" 7 --qmp "$QMP"
log "QMP unplug took $((SECONDS - start))s: $out"
expect_match "release output" "unplugged \\(vfctl-${VF7//:/-}\\)" "$out"
expect_match "vf 7 restored" 'link/ether 02:00:00:00:01:07 .*spoof checking on, link-state auto, trust off' "$(vf_line 7)"
ok "status after release" status --json
if grep -q '"vm": "l2"' <<<"$out"; then fail "status after release: expected VF 7 not assigned, seen l2"; fi
kill "$QPID"
wait "$QPID" 2>/dev/null || true
trap - EXIT

# --- the VM exits without releasing the VF ------------------------------------------------------------
# change_vf7 WHAT: change VF 7's admin settings from the host, as while a VM had it
change_vf7() {
	ip link set "$PFDEV" vf 7 mac 02:66:66:66:66:66 vlan 55 spoofchk off trust on state disable
	expect_match "vf 7 changed ($1)" 'link/ether 02:66:66:66:66:66 .*vlan 55, spoof checking off, link-state disable, trust on' "$(vf_line 7)"
}
# vf7_restored WHAT: VF 7 as the example configures it, the rest at the defaults, still on vfio-pci
vf7_restored() {
	expect_match "vf 7 restored ($1)" 'vf 7 +link/ether 02:00:00:00:01:07 [^,]*, spoof checking on, link-state auto, trust off' "$(vf_line 7)"
	expect_eq "vf 7 driver ($1)" vfio-pci "$(basename "$(readlink "/sys/bus/pci/devices/$VF7/driver")")"
}
start_vm "$QMP"
trap 'kill $QPID 2>/dev/null || true' EXIT
ok "assign VF 7 to l2 through QMP" assign "$PFDEV" 7 --vm l2 --qmp "$QMP" --bus rp1
expect_match "assign records the QEMU" "hot-plugged into VM l2 \\(pid $QPID\\)" "$out"
change_vf7 "VM l2"
kill -9 "$QPID"
wait "$QPID" 2>/dev/null || true
log "QEMU $QPID killed with SIGKILL while holding VF 7"
refused "VF 7 to another VM while l2 is recorded" "already assigned to VM l2" assign "$PFDEV" 7 --vm l3
ok "reconcile" reconcile
expect_match "reconcile output" "VF 7 \\($VF7\\): VM l2 \\(pid $QPID\\) has exited; releasing" "$out"
log "$out"
vf7_restored "reconcile after SIGKILL"
ok "reconcile again" reconcile
expect_match "reconcile with nothing to do" "no VF to release" "$out"

# a second VM gets VF 7 with the configured state; it dies too, and apply puts the VF back
start_vm "$QMP"
ok "assign VF 7 to l3 through QMP" assign "$PFDEV" 7 --vm l3 --qmp "$QMP" --bus rp1
ok "status" status
expect_match "status: VF 7 held by the second QEMU" "vf 7 .*open by $QPID \\(qemu-system-x86\\) vm l3" "$out"
vf7_restored "in the second VM"
change_vf7 "VM l3"
kill -9 "$QPID"
wait "$QPID" 2>/dev/null || true
ok "apply after the second VM died" apply "$CONF"
expect_match "apply releases VF 7" "VM l3 \\(pid $QPID\\) has exited; releasing" "$out"
vf7_restored "apply after SIGKILL"
ok "status after apply" status
if grep -qE "vf 7 .* vm l3" <<<"$out"; then fail "status after apply: expected VF 7 not assigned, seen l3: $out"; fi
trap - EXIT

ok "release VF 6" release "$PFDEV" 6
ok "destroy" destroy "$PFDEV"
unload_pf
no_kernel_complaints
log "PASS"
