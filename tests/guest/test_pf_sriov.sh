#!/bin/bash
# vfnic_pf and SR-IOV: loading the module binds the PF; echo 8 > sriov_numvfs makes 8 VFs and
# ip link lists them; N -> M without going through 0 is refused with EBUSY (the kernel's rule);
# more than TotalVFs is refused; echo 0 removes them; all 64 can be enabled; unloading the
# module with VFs enabled removes them, and the module loads again.
# shellcheck disable=SC2119 # load_pf takes optional module parameters
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pf_lib.sh"

VENDOR=$(printf %04x "$(hw_const VFNIC_PCI_VENDOR_ID)")
VF_ID=$(printf %04x "$(hw_const VFNIC_PCI_DEVICE_ID_VF)")
NVF=$(hw_const VFNIC_MAX_VFS)

load_pf
log "PF $PF is $PFDEV"
expect_eq "sriov_totalvfs" "$NVF" "$(cat "$PFDIR/sriov_totalvfs")"
expect_eq "sriov_numvfs after load" 0 "$(cat "$PFDIR/sriov_numvfs")"

# --- 8 VFs ------------------------------------------------------------------------------------
set_numvfs 8
expect_eq "VF functions ($VENDOR:$VF_ID) with 8 enabled" 8 "$(pci_find "$VENDOR" "$VF_ID" | wc -l)"
expect_eq "virtfn links with 8 enabled" 8 "$(find "$PFDIR/" -maxdepth 1 -name 'virtfn*' | wc -l)"
expect_eq "'vf N' lines in ip link show $PFDEV" 8 "$(ip link show "$PFDEV" | grep -cE '^ +vf [0-9]+ ')"
expect_match "dmesg on enable" 'vfnic_pf .*: 8 VFs enabled' "$(dmesg)"
# every VF got a unicast, locally administered MAC, all different
macs=$(ip link show "$PFDEV" | sed -nE 's/^ +vf [0-9]+ +link\/ether ([0-9a-f:]+).*/\1/p')
expect_eq "distinct VF MACs" 8 "$(sort -u <<<"$macs" | wc -l)"
while read -r m; do
	b0=$((0x${m%%:*}))
	expect_eq "VF MAC $m multicast bit" 0 $((b0 & 1))
	expect_eq "VF MAC $m locally administered bit" 2 $((b0 & 2))
done <<<"$macs"

# --- N -> M is refused, as the PCI core requires ----------------------------------------------
if out=$({ echo 4 >"$PFDIR/sriov_numvfs"; } 2>&1); then
	fail "echo 4 > sriov_numvfs with 8 enabled: expected EBUSY, seen success"
fi
expect_match "error of echo 4 with 8 enabled" 'Device or resource busy' "$out"
expect_eq "sriov_numvfs after refused 8 -> 4" 8 "$(cat "$PFDIR/sriov_numvfs")"

# --- 0 removes them -----------------------------------------------------------------------------
set_numvfs 0
expect_eq "VF functions after echo 0" 0 "$(pci_find "$VENDOR" "$VF_ID" | wc -l)"
expect_eq "'vf N' lines after echo 0" 0 "$(ip link show "$PFDEV" | grep -cE '^ +vf [0-9]+ ' || true)"

# --- more than TotalVFs is refused -----------------------------------------------------------------
if out=$({ echo $((NVF + 1)) >"$PFDIR/sriov_numvfs"; } 2>&1); then
	fail "echo $((NVF + 1)) > sriov_numvfs: expected an error, seen success"
fi
expect_match "error of echo $((NVF + 1))" 'out of range|Invalid argument' "$out"
expect_eq "sriov_numvfs after refused $((NVF + 1))" 0 "$(cat "$PFDIR/sriov_numvfs")"

# --- all of them, then N -> 0 -> M ----------------------------------------------------------------
start=$SECONDS
set_numvfs "$NVF"
log "$NVF VFs enabled in $((SECONDS - start))s"
expect_eq "VF functions with $NVF enabled" "$NVF" "$(pci_find "$VENDOR" "$VF_ID" | wc -l)"
expect_eq "'vf N' lines with $NVF enabled" "$NVF" "$(ip link show "$PFDEV" | grep -cE '^ +vf [0-9]+ ')"
set_numvfs 0
set_numvfs 3
expect_eq "VF functions after 0 -> 3" 3 "$(pci_find "$VENDOR" "$VF_ID" | wc -l)"

# --- unload with VFs enabled, reload --------------------------------------------------------------
unload_pf
expect_eq "VF functions after rmmod with 3 enabled" 0 "$(pci_find "$VENDOR" "$VF_ID" | wc -l)"
expect_eq "sriov_numvfs after rmmod" 0 "$(cat "$PFDIR/sriov_numvfs")"
expect_match "dmesg on rmmod" 'vfnic_pf .*: 3 VFs disabled' "$(dmesg)"
load_pf
set_numvfs 2
expect_eq "VF functions after reload and echo 2" 2 "$(pci_find "$VENDOR" "$VF_ID" | wc -l)"
set_numvfs 0
unload_pf
no_kernel_complaints
log "PASS"
