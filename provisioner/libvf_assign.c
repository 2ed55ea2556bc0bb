// SPDX-License-Identifier: GPL-2.0
/*
 * libvf_assign.c: handing a VF to a VM and taking it back. assign binds the
 * VF to vfio-pci if needed (the IOMMU group checked), records the VM in the
 * state and gives the VF to the VM in one of three forms: QEMU arguments,
 * a libvirt <hostdev> element, or a hot-plug through QMP (device_add).
 * release unplugs it (device_del, then DEVICE_DELETED), puts the VF back to
 * its configured state: MAC, VLAN, rate, spoofchk, trust, link state and
 * driver from the last applied configuration, and what it leaves open (all
 * of it for a VF it does not name) to the defaults (no VLAN, no rate limit,
 * spoofchk on, trust off, link state auto), so the next VM never gets the
 * last one's settings; then, and only then, forgets the VM.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vfctl_config.h"

/* vfctl_device_id: the QEMU device id of a VF: vfctl-0000-01-00.7 */
int vfctl_device_id(const char *vf_bdf, char *buf, size_t len)
{
	char *c;

	if ((size_t)snprintf(buf, len, "vfctl-%s", vf_bdf) >= len)
		return -1;
	for (c = buf; *c; c++)
		if (*c == ':')
			*c = '-';
	return 0;
}

/* vfctl_names_vf: whether the state key ("eth0/7") names VF index of pf, under any name of pf */
bool vfctl_names_vf(struct vfctl_ctx *ctx, const char *key, const struct vfctl_pf *pf, int index)
{
	const char *slash = strrchr(key, '/');
	struct vfctl_pf other;
	char name[VFCTL_NAME_LEN];
	size_t n;

	if (!slash || atoi(slash + 1) != index)
		return false;
	n = (size_t)(slash - key);
	if (n >= sizeof(name))
		return false;
	memcpy(name, key, n);
	name[n] = '\0';
	if (!strcmp(name, pf->bdf) || !strcmp(name, pf->ifname))
		return true;
	return !vfctl_pf_lookup(ctx, name, &other) && !strcmp(other.bdf, pf->bdf);
}

int vfctl_assign(struct vfctl_ctx *ctx, const struct vfctl_pf *pf, int index, const char *vm,
		 const struct vfctl_assign_opts *o)
{
	json_t *args;
	char id[64], key[VFCTL_NAME_LEN + 16];
	struct vfctl_qmp *q;
	struct vfctl_vf vf;
	const char *cur;
	unsigned int b, d, s, fn;
	pid_t peer = 0, running;
	json_t *st;
	int ret = -1;

	if (vfctl_vf_lookup(ctx, pf, index, &vf))
		return -1;
	st = vfctl_state_load(ctx);
	if (!st)
		return -1;
	cur = vfctl_state_vm(st, pf->bdf, pf->ifname, index);
	if (cur && strcmp(cur, vm)) {
		vfctl_error(ctx, "VF %d (%s): already assigned to VM %s (vfctl release first)",
			    index, vf.bdf, cur);
		goto out;
	}
	if (vf.holder.pid && !cur) {
		vfctl_error(ctx, "VF %d (%s): held open by pid %d (%s)", index, vf.bdf,
			    (int)vf.holder.pid, vf.holder.comm);
		goto out;
	}
	if (strcmp(vf.driver, "vfio-pci")) {
		if (vfctl_bind(ctx, pf, index, "vfio-pci"))
			goto out;
	} else if (vfctl_group_viable(ctx, &vf)) {
		goto out;
	}
	vfctl_device_id(vf.bdf, id, sizeof(id));
	switch (o->form) {
	case VFCTL_QEMU_ARGS:
		fprintf(o->out, "-device vfio-pci,host=%s,id=%s%s%s\n", vf.bdf, id,
			o->bus ? ",bus=" : "", o->bus ? o->bus : "");
		break;
	case VFCTL_LIBVIRT_XML:
		if (sscanf(vf.bdf, "%x:%x:%x.%x", &d, &b, &s, &fn) != 4) {
			vfctl_error(ctx, "VF %d: bad BDF %s", index, vf.bdf);
			goto out;
		}
		fprintf(o->out,
			"<hostdev mode='subsystem' type='pci' managed='yes'>\n"
			"  <source>\n"
			"    <address domain='0x%04x' bus='0x%02x' slot='0x%02x' "
			"function='0x%x'/>\n"
			"  </source>\n"
			"</hostdev>\n",
			d, b, s, fn);
		break;
	case VFCTL_QMP:
		/*
		 * apply records the VM of a configured vm: without giving it the
		 * VF; a device_add is one too many only when a live QEMU has it:
		 * holds it open, or was recorded by an earlier hot-plug
		 */
		if (cur && (vf.holder.pid || vfctl_vf_vm_proc(ctx, st, pf, index, &running) == 1)) {
			vfctl_log(ctx, "VF %d (%s): already assigned to VM %s", index, vf.bdf, vm);
			ret = 0;
			goto out;
		}
		q = vfctl_qmp_open(ctx, o->qmp_path);
		if (!q)
			goto out;
		args = json_pack("{s:s,s:s,s:s}", "driver", "vfio-pci", "host", vf.bdf, "id", id);
		if (o->bus)
			json_object_set_new(args, "bus", json_string(o->bus));
		ret = vfctl_qmp_execute(ctx, q, "device_add", args);
		json_decref(args);
		peer = vfctl_qmp_peer(q);
		vfctl_qmp_close(q);
		if (ret)
			goto out;
		ret = -1;
		vfctl_log(ctx, "VF %d (%s): hot-plugged into VM %s (pid %d) as %s", index, vf.bdf,
			  vm, (int)peer, id);
		break;
	}
	snprintf(key, sizeof(key), "%s/%d", pf->ifname[0] ? pf->ifname : pf->bdf, index);
	json_object_set_new(json_object_get(st, "assignments"), key, json_string(vm));
	if (peer)
		vfctl_vm_proc_record(ctx, st, key, peer);
	ret = vfctl_state_save(ctx, st);
out:
	json_decref(st);
	return ret;
}

/* vfctl_vf_cfg: the VF's entry in the configuration cfg, NULL if it has none */
const struct vfctl_vf_cfg *vfctl_vf_cfg(struct vfctl_ctx *ctx, const struct vfctl_config *cfg,
					const struct vfctl_pf *pf, int index)
{
	struct vfctl_pf other;
	int i, v;

	for (i = 0; i < cfg->npfs; i++) {
		if (vfctl_pf_lookup(ctx, cfg->pfs[i].name, &other) || strcmp(other.bdf, pf->bdf))
			continue;
		for (v = 0; v < cfg->pfs[i].nvfs; v++)
			if (cfg->pfs[i].vfs[v].index == index)
				return &cfg->pfs[i].vfs[v];
	}
	return NULL;
}

/*
 * restore: the VF's configured attributes and driver, from the state. What
 * the configuration leaves open, all of it for a VF without an entry or
 * with no configuration applied, goes back to the defaults.
 */
static int restore(struct vfctl_ctx *ctx, const struct vfctl_pf *pf, int index, json_t *st)
{
	static const struct vfctl_vf_cfg none;
	json_t *src = json_object_get(st, "config");
	const struct vfctl_vf_cfg *vc;
	struct vfctl_config cfg = { 0 };
	struct vfctl_attrs have, want;
	struct vfctl_vf vf;
	char desc[256];
	int ret = 0;

	if (src && vfctl_config_parse(ctx, src, "state.json config", &cfg)) {
		vfctl_config_free(&cfg);
		return -1;
	}
	vc = vfctl_vf_cfg(ctx, &cfg, pf, index);
	if (!vc)
		vc = &none;
	want = vc->attrs;
	if (!(want.mask & VA_VLAN))
		want.vlan = want.qos = 0;
	if (!(want.mask & VA_RATE))
		want.rate = 0;
	if (!(want.mask & VA_SPOOFCHK))
		want.spoofchk = true;
	if (!(want.mask & VA_TRUST))
		want.trust = false;
	if (!(want.mask & VA_STATE))
		want.state = VF_STATE_AUTO;
	want.mask |= VA_ALL & ~VA_MAC;
	/* a PF without a netdev has no VF attributes to restore */
	if (!ctx->no_netlink && pf->ifindex) {
		ret = vfctl_nl_get(ctx, pf, index, &have);
		if (!ret && (want.mask = vfctl_attrs_diff(&want, &have))) {
			vfctl_attrs_describe(&want, want.mask, desc, sizeof(desc));
			vfctl_log(ctx, "VF %d: restoring %s", index, desc);
			ret = vfctl_nl_set(ctx, pf, index, &want);
		}
	}
	if (!ret && vc->driver[0] && !vfctl_vf_lookup(ctx, pf, index, &vf) &&
	    (!strcmp(vc->driver, "default") ? !strcmp(vf.driver, "vfio-pci")
					    : !!strcmp(vf.driver, vc->driver))) {
		vfctl_log(ctx, "VF %d: restoring driver %s", index, vc->driver);
		ret = vfctl_bind(ctx, pf, index, vc->driver);
	}
	vfctl_config_free(&cfg);
	return ret;
}

int vfctl_release(struct vfctl_ctx *ctx, const struct vfctl_pf *pf, int index, const char *qmp_path)
{
	struct vfctl_qmp *q;
	struct vfctl_vf vf;
	const char *key;
	char id[64], own[VFCTL_NAME_LEN + 16];
	json_t *st, *as, *v, *tmp;
	pid_t gone;
	int ret = -1;

	if (vfctl_vf_lookup(ctx, pf, index, &vf))
		return -1;
	st = vfctl_state_load(ctx);
	if (!st)
		return -1;
	snprintf(own, sizeof(own), "%s/%d", pf->ifname[0] ? pf->ifname : pf->bdf, index);
	/*
	 * QEMU holds a VF it has plugged open; one nobody holds is unplugged
	 * already (a release whose restore failed, retried) or its VM gone, and
	 * a device_del would only get DeviceNotFound back.
	 */
	if (qmp_path && !vf.holder.pid) {
		if (vfctl_vm_proc_exited(ctx, st, own, &gone))
			vfctl_log(ctx, "VF %d (%s): its VM (pid %d) has exited, nothing to unplug",
				  index, vf.bdf, (int)gone);
		else
			vfctl_log(ctx, "VF %d (%s): no process holds it open, nothing to unplug",
				  index, vf.bdf);
		qmp_path = NULL;
	}
	if (qmp_path) {
		vfctl_device_id(vf.bdf, id, sizeof(id));
		q = vfctl_qmp_open(ctx, qmp_path);
		if (!q)
			goto out;
		tmp = json_pack("{s:s}", "id", id);
		if (vfctl_qmp_execute(ctx, q, "device_del", tmp) ||
		    vfctl_qmp_wait_deleted(ctx, q, id)) {
			json_decref(tmp);
			vfctl_qmp_close(q);
			goto out;
		}
		json_decref(tmp);
		vfctl_qmp_close(q);
		vfctl_log(ctx, "VF %d (%s): unplugged (%s)", index, vf.bdf, id);
	}
	/* the VM is forgotten only once its VF is restored, so that reconcile retries */
	if (restore(ctx, pf, index, st))
		goto out;
	as = json_object_get(st, "assignments");
	json_object_foreach_safe(as, tmp, key, v) {
		if (vfctl_names_vf(ctx, key, pf, index))
			json_object_del(as, key);
	}
	as = json_object_get(st, "vm_processes");
	json_object_foreach_safe(as, tmp, key, v) {
		if (vfctl_names_vf(ctx, key, pf, index))
			json_object_del(as, key);
	}
	ret = vfctl_state_save(ctx, st);
out:
	json_decref(st);
	return ret;
}
