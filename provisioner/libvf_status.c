// SPDX-License-Identifier: GPL-2.0
/*
 * libvf_status.c: vfctl status, as a jansson tree (the JSON schema is in
 * docs/vfctl.md) and as text made from that same tree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <linux/if_ether.h>

#include "vfctl.h"
#include "vfctl_status.h"

static json_t *str_or_null(const char *s)
{
	return s && s[0] ? json_string(s) : json_null();
}

static json_t *vf_json(struct vfctl_ctx *ctx, const struct vfctl_pf *pf, int i, json_t *st)
{
	struct vfctl_vf vf;
	struct vfctl_attrs a;
	json_t *o;
	char mac[24];
	const char *vm;

	if (vfctl_vf_lookup(ctx, pf, i, &vf))
		return json_pack("{s:i,s:s}", "vf", i, "error", ctx->err);
	vm = vfctl_state_vm(st, pf->bdf, pf->ifname, i);
	o = json_pack("{s:i,s:s,s:o,s:o,s:b,s:o,s:o}", "vf", i, "bdf", vf.bdf, "driver",
		      str_or_null(vf.driver), "iommu_group",
		      vf.group >= 0 ? json_integer(vf.group) : json_null(), "vfio_open",
		      vf.holder.pid != 0, "holder",
		      vf.holder.pid ? json_pack("{s:i,s:s}", "pid", (int)vf.holder.pid, "comm",
						vf.holder.comm)
				    : json_null(),
		      "vm", str_or_null(vm));
	if (!ctx->no_netlink && pf->ifindex && !vfctl_nl_get(ctx, pf, i, &a)) {
		vfctl_format_mac(a.mac, mac, sizeof(mac));
		json_object_set_new(o, "mac", json_string(mac));
		json_object_set_new(o, "vlan", json_integer(a.vlan));
		json_object_set_new(o, "qos", json_integer(a.qos));
		json_object_set_new(o, "proto",
				    json_string(a.proto == ETH_P_8021AD ? "802.1ad" : "802.1Q"));
		json_object_set_new(o, "rate", json_integer(a.rate));
		if (a.mask & VA_SPOOFCHK)
			json_object_set_new(o, "spoofchk", json_boolean(a.spoofchk));
		if (a.mask & VA_TRUST)
			json_object_set_new(o, "trust", json_boolean(a.trust));
		if (a.mask & VA_STATE)
			json_object_set_new(o, "state", json_string(vfctl_state_name(a.state)));
	}
	return o;
}

static json_t *pf_json(struct vfctl_ctx *ctx, const struct vfctl_pf *pf, json_t *st)
{
	json_t *vfs = json_array();
	int i;

	for (i = 0; i < pf->num_vfs; i++)
		json_array_append_new(vfs, vf_json(ctx, pf, i, st));
	return json_pack("{s:s,s:o,s:i,s:i,s:o,s:o}", "pf", pf->bdf, "ifname",
			 str_or_null(pf->ifname), "total_vfs", pf->total_vfs, "num_vfs",
			 pf->num_vfs, "drivers_autoprobe",
			 pf->autoprobe < 0 ? json_null() : json_boolean(pf->autoprobe), "vfs", vfs);
}

/* vfctl_status_json: every SR-IOV PF, or only the one named */
json_t *vfctl_status_json(struct vfctl_ctx *ctx, const char *only)
{
	struct vfctl_pf *pfs = NULL, one;
	json_t *arr, *st;
	int n, i;

	if (only) {
		if (vfctl_pf_lookup(ctx, only, &one))
			return NULL;
		pfs = &one;
		n = 1;
	} else {
		n = vfctl_pf_list(ctx, &pfs);
		if (n < 0)
			return NULL;
	}
	st = vfctl_state_load(ctx);
	if (!st) {
		if (!only)
			free(pfs);
		return NULL;
	}
	arr = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(arr, pf_json(ctx, &pfs[i], st));
	json_decref(st);
	if (!only)
		free(pfs);
	return json_pack("{s:i,s:o}", "version", 1, "pfs", arr);
}

static const char *s_or(json_t *o, const char *k, const char *dflt)
{
	json_t *v = json_object_get(o, k);

	return json_is_string(v) ? json_string_value(v) : dflt;
}

void vfctl_status_print(json_t *root, FILE *f)
{
	json_t *pf, *vf, *h;
	size_t i, j;

	json_array_foreach(json_object_get(root, "pfs"), i, pf) {
		fprintf(f, "PF %s (%s): %lld of %lld VFs, drivers_autoprobe %s\n",
			s_or(pf, "pf", "?"), s_or(pf, "ifname", "no netdev"),
			json_integer_value(json_object_get(pf, "num_vfs")),
			json_integer_value(json_object_get(pf, "total_vfs")),
			json_is_true(json_object_get(pf, "drivers_autoprobe")) ? "on" : "off");
		json_array_foreach(json_object_get(pf, "vfs"), j, vf) {
			json_t *g = json_object_get(vf, "iommu_group");
			char grp[16] = "-";

			if (json_is_integer(g))
				snprintf(grp, sizeof(grp), "%lld", json_integer_value(g));
			fprintf(f, "  vf %-3lld %s driver %-9s group %-3s",
				json_integer_value(json_object_get(vf, "vf")), s_or(vf, "bdf", "?"),
				s_or(vf, "driver", "none"), grp);
			if (json_object_get(vf, "mac")) {
				fprintf(f, " mac %s vlan %lld", s_or(vf, "mac", "?"),
					json_integer_value(json_object_get(vf, "vlan")));
				if (json_integer_value(json_object_get(vf, "vlan")))
					fprintf(f, " qos %lld proto %s",
						json_integer_value(json_object_get(vf, "qos")),
						s_or(vf, "proto", "?"));
				fprintf(f, " rate %lld spoofchk %s trust %s state %s",
					json_integer_value(json_object_get(vf, "rate")),
					json_is_true(json_object_get(vf, "spoofchk")) ? "on"
										      : "off",
					json_is_true(json_object_get(vf, "trust")) ? "on" : "off",
					s_or(vf, "state", "?"));
			}
			h = json_object_get(vf, "holder");
			if (json_is_object(h))
				fprintf(f, " open by %lld (%s)",
					json_integer_value(json_object_get(h, "pid")),
					s_or(h, "comm", "?"));
			if (json_is_string(json_object_get(vf, "vm")))
				fprintf(f, " vm %s", s_or(vf, "vm", "?"));
			if (json_is_string(json_object_get(vf, "error")))
				fprintf(f, " error: %s", s_or(vf, "error", "?"));
			fputc('\n', f);
		}
	}
}
