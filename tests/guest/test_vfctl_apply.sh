#!/bin/bash
# vfctl apply of docs/examples/vfctl.yaml on vfnic_pf: 8 VFs with the MACs, VLANs, rate, spoofchk,
# trust and link state that stock ip -d link show confirms, VFs 6 and 7 bound to vfio-pci with
# sriov_drivers_autoprobe off; a second apply changes nothing and says so; status --json
# validates against docs/vfctl.schema.json; a bad configuration is rejected with nothing changed;
# destroy is refused while a VF is held open through /dev/vfio (naming the holder) and while
# assigned to a VM; set over netlink; N->M through 0; apply killed with SIGKILL at several points
# (VFCTL_CRASH_AFTER, and by the clock) and re-run converges to the same VF table and drivers.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pf_lib.sh"
. "$(dirname "$0")/vfctl_lib.sh"

SCHEMA=$VFSTACK_TOP/docs/vfctl.schema.json
vfctl_setup

# --- a bad file is rejected before anything changes ------------------------------------------------
printf 'pfs:\n  - pf: %s\n    num_vfs: 4\n    vfs:\n      - vf: 1\n        mac: 01:00:5e:00:00:01\n' \
	"$PFDEV" >/scratch/bad.yaml
refused "multicast MAC in config" 'vf 1\): MAC 01:00:5e:00:00:01 is multicast' apply /scratch/bad.yaml
expect_eq "sriov_numvfs after a rejected config" 0 "$(sysfs_get "$PFDIR/sriov_numvfs")"

# --- apply ------------------------------------------------------------------------------------------
start=$SECONDS
ok "first apply" apply "$CONF"
log "first apply took $((SECONDS - start))s:
$out"
check_example "first apply"
[ -s "$STATE/state.json" ] || fail "state: expected $STATE/state.json, seen none"

start=$SECONDS
ok "second apply" apply "$CONF"
expect_eq "second apply output" "nothing to change" "$out"
log "second apply took $((SECONDS - start))s: $out"

# --- status ---------------------------------------------------------------------------------------
ok "status" status
log "status:
$out"
expect_match "status vf 6" "vf 6 .*driver vfio-pci .*mac 02:00:00:00:01:06.* vm web1" "$out"
ok "status --json" status --json
printf '%s\n' "$out" >/scratch/status.json
/usr/bin/python3 - "$SCHEMA" /scratch/status.json <<'PY' || fail "status --json: expected a document valid against docs/vfctl.schema.json"
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
jsonschema.validate(doc, schema)
pf = doc["pfs"][0]
assert pf["num_vfs"] == 8 and len(pf["vfs"]) == 8, pf
assert pf["vfs"][0]["vlan"] == 100 and pf["vfs"][0]["qos"] == 2, pf["vfs"][0]
assert pf["vfs"][6]["driver"] == "vfio-pci" and pf["vfs"][6]["vm"] == "web1", pf["vfs"][6]
print("status --json valid against the schema")
PY

# --- set over netlink -------------------------------------------------------------------------------
ok "set vlan" set "$PFDEV" 5 vlan 300 qos 1
expect_match "vf 5 VLAN after set" 'vlan 300, qos 1' "$(vf_line 5)"
ok "set qos keeps the VLAN" set "$PFDEV" 5 qos 4
expect_match "vf 5 VLAN after set qos" 'vlan 300, qos 4' "$(vf_line 5)"
ok "set trust" set "$PF" 5 trust on state disable
expect_match "vf 5 trust and state" 'link-state disable, trust on' "$(vf_line 5)"
refused "multicast MAC" 'VF 5: MAC 01:00:5e:00:00:01 is multicast' set "$PFDEV" 5 mac 01:00:5e:00:00:01
refused "rate above link speed" 'VF 5: setting rate 20000' set "$PFDEV" 5 rate 20000
refused "no such VF" 'VF 9: no such VF' set "$PFDEV" 9 trust on

# --- destroy refused while a VF is held open, then while assigned ---------------------------------------
g=$(basename "$(readlink "/sys/bus/pci/devices/$(vf_bdf 7)/iommu_group")")
exec 3<>"/dev/vfio/$g"
refused "VF held open" "VF 7 \\($(vf_bdf 7)\\) is held open by pid $$ .*/dev/vfio/$g" destroy "$PFDEV"
refused "N->M with VF held open" "VF 7 .*held open by pid $$" create "$PFDEV" 4
expect_eq "sriov_numvfs after refused destroy" 8 "$(sysfs_get "$PFDIR/sriov_numvfs")"
exec 3>&-
refused "VF assigned to a VM" 'VF 6 .* is assigned to VM web1' destroy "$PFDEV"
ok "release" release "$PFDEV" 6
ok "destroy" destroy "$PFDEV"
expect_eq "sriov_numvfs after destroy" 0 "$(sysfs_get "$PFDIR/sriov_numvfs")"

# --- N->M through 0, and apply converging back ---------------------------------------------------
ok "create 2" create "$PF" 2
ok "create 3 (through 0)" create "$PF" 3
expect_eq "sriov_numvfs after 2 then 3" 3 "$(sysfs_get "$PFDIR/sriov_numvfs")"
start=$SECONDS
ok "apply after manual changes" apply "$CONF"
expect_match "apply after manual changes" '3 -> 8 VFs' "$out"
log "re-apply took $((SECONDS - start))s"
expect_match "vf 0 VLAN after re-apply" 'vlan 100, qos 2' "$(vf_line 0)"
ok "third apply" apply "$CONF"
expect_eq "third apply output" "nothing to change" "$out"

# --- apply killed with SIGKILL at several points, then re-run, converges -----------------------------
ok "destroy --force" destroy --force "$PFDEV"
ok "clean apply" apply "$CONF"
want_table=$(vf_table)
want_drivers=$(vf_drivers)
# VFCTL_CRASH_AFTER=N: apply kills itself with SIGKILL once N of its 11 changes are done, before
# the next (autoprobe is already off: 1 is the VF count, 2-9 the VF attributes, 10-11 the bindings)
for n in 0 1 2 5 9 10; do
	ok "destroy --force" destroy --force "$PFDEV"
	if out=$(VFCTL_CRASH_AFTER=$n "$VFCTL" --state-dir "$STATE" apply "$CONF" 2>&1); then
		fail "apply with VFCTL_CRASH_AFTER=$n: expected to be killed, seen success: $out"
	fi
	log "apply killed after $n changes: sriov_numvfs $(sysfs_get "$PFDIR/sriov_numvfs"), last output: ${out##*$'\n'}"
	ok "apply after SIGKILL after $n changes" apply "$CONF"
	expect_eq "VF table after SIGKILL after $n changes and re-apply" "$want_table" "$(vf_table)"
	expect_eq "VF drivers after SIGKILL after $n changes and re-apply" "$want_drivers" "$(vf_drivers)"
	ok "apply again" apply "$CONF"
	expect_eq "apply after convergence" "nothing to change" "$out"
done
# and at a moment chosen by the clock, which can fall inside a change
ok "destroy --force" destroy --force "$PFDEV"
"$VFCTL" --state-dir "$STATE" apply "$CONF" >/scratch/killed.out 2>&1 &
pid=$!
sleep 0.15
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
log "apply killed after 0.15s: sriov_numvfs $(sysfs_get "$PFDIR/sriov_numvfs"), last output: $(tail -n 1 /scratch/killed.out)"
ok "apply after SIGKILL at 0.15s" apply "$CONF"
expect_eq "VF table after SIGKILL at 0.15s and re-apply" "$want_table" "$(vf_table)"
expect_eq "VF drivers after SIGKILL at 0.15s and re-apply" "$want_drivers" "$(vf_drivers)"

ok "release" release "$PFDEV" 6
ok "destroy" destroy "$PFDEV"
unload_pf
no_kernel_complaints
log "PASS"
