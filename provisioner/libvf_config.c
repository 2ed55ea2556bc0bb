// SPDX-License-Identifier: GPL-2.0
/*
 * libvf_config.c: validating a configuration tree (from YAML or JSON) into
 * struct vfctl_config. Everything is checked here, before anything changes:
 * unknown keys, types, ranges, duplicate PFs, VF indexes and MACs (across
 * all PFs). A PF named once by interface and once by address is caught by
 * apply, which resolves the names.
 *
 *   pfs:
 *     - pf: enp1s0 | 0000:01:00.0
 *       num_vfs: 8
 *       drivers_autoprobe: off        # optional
 *       vfs:
 *         - vf: 0
 *           mac: 02:00:00:00:00:01
 *           vlan: 100  qos: 2  proto: 802.1Q
 *           rate: 100  spoofchk: on  trust: off  state: auto
 *           driver: vfio-pci | default
 *           vm: web1
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vfctl_config.h"

/* scalar: the text of a string, integer or boolean node */
static int scalar(struct vfctl_ctx *ctx, json_t *v, const char *where, const char *key, char *buf,
		  size_t len)
{
	if (json_is_string(v)) {
		if (json_string_length(v) >= len)
			return vfctl_error(ctx, "%s: %s is too long", where, key);
		snprintf(buf, len, "%s", json_string_value(v));
	} else if (json_is_integer(v)) {
		snprintf(buf, len, "%lld", (long long)json_integer_value(v));
	} else if (json_is_boolean(v)) {
		snprintf(buf, len, "%s", json_is_true(v) ? "on" : "off");
	} else {
		return vfctl_error(ctx, "%s: %s must be a scalar", where, key);
	}
	return 0;
}

static int to_int(struct vfctl_ctx *ctx, json_t *v, const char *where, const char *key, int max,
		  int *out)
{
	char buf[32], *end;
	long n;

	if (scalar(ctx, v, where, key, buf, sizeof(buf)))
		return -1;
	n = strtol(buf, &end, 10);
	if (!buf[0] || *end || n < 0 || n > max)
		return vfctl_error(ctx, "%s: %s '%s' is not an integer 0-%d", where, key, buf, max);
	*out = (int)n;
	return 0;
}

static bool good_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("-_.:", *s))
			return false;
	return true;
}

static int parse_vf(struct vfctl_ctx *ctx, json_t *o, const char *where, int num_vfs,
		    struct vfctl_vf_cfg *vf)
{
	char buf[VFCTL_NAME_LEN], w[2500];
	const char *key;
	json_t *v;

	memset(vf, 0, sizeof(*vf));
	if (!json_is_object(o))
		return vfctl_error(ctx, "%s: expected a mapping", where);
	v = json_object_get(o, "vf");
	if (!v)
		return vfctl_error(ctx, "%s: missing 'vf' (the VF index)", where);
	if (to_int(ctx, v, where, "vf", VFCTL_MAX_VFS - 1, &vf->index))
		return -1;
	snprintf(w, sizeof(w), "%.2400s (vf %d)", where, vf->index);
	if (vf->index >= num_vfs)
		return vfctl_error(ctx, "%s: VF index %d but num_vfs is %d", w, vf->index, num_vfs);
	json_object_foreach(o, key, v) {
		if (!strcmp(key, "vf"))
			continue;
		if (scalar(ctx, v, w, key, buf, sizeof(buf)))
			return -1;
		if (!strcmp(key, "driver")) {
			if (!good_name(buf))
				return vfctl_error(ctx, "%s: driver '%s' is not a driver name", w,
						   buf);
			snprintf(vf->driver, sizeof(vf->driver), "%s", buf);
		} else if (!strcmp(key, "vm")) {
			if (!good_name(buf))
				return vfctl_error(ctx, "%s: vm '%s': use letters, digits, -_.:", w,
						   buf);
			snprintf(vf->vm, sizeof(vf->vm), "%s", buf);
		} else if (vfctl_attr_parse(ctx, &vf->attrs, key, buf, w)) {
			return -1;
		}
	}
	/* even qos 0 or proto 802.1Q: with vlan 0 they would remove the VF's VLAN */
	if ((json_object_get(o, "qos") || json_object_get(o, "proto")) && !vf->attrs.vlan)
		return vfctl_error(ctx, "%s: qos or proto given without a vlan (1-4095)", w);
	return 0;
}

static bool same_mac(const struct vfctl_vf_cfg *a, const struct vfctl_vf_cfg *b)
{
	return (a->attrs.mask & b->attrs.mask & VA_MAC) && !memcmp(a->attrs.mac, b->attrs.mac, 6);
}

/* two PFs on one network would carry the MAC twice, as two VFs of one PF would */
static int check_macs(struct vfctl_ctx *ctx, const struct vfctl_config *cfg, int i,
		      const char *file)
{
	const struct vfctl_pf_cfg *a = &cfg->pfs[i], *b;
	int j, v, w;

	for (j = 0; j < i; j++) {
		b = &cfg->pfs[j];
		for (v = 0; v < a->nvfs; v++)
			for (w = 0; w < b->nvfs; w++)
				if (same_mac(&b->vfs[w], &a->vfs[v]))
					return vfctl_error(
						ctx,
						"%s: PF %s VF %d and PF %s VF %d have the same MAC",
						file, b->name, b->vfs[w].index, a->name,
						a->vfs[v].index);
	}
	return 0;
}

static int parse_pf(struct vfctl_ctx *ctx, json_t *o, const char *where, struct vfctl_pf_cfg *pf)
{
	static const char *const keys[] = { "pf", "num_vfs", "drivers_autoprobe", "vfs", NULL };
	char buf[VFCTL_NAME_LEN], w[2300];
	const char *key;
	json_t *v, *vfs;
	size_t i, j;

	if (!json_is_object(o))
		return vfctl_error(ctx, "%s: expected a mapping", where);
	json_object_foreach(o, key, v) {
		for (i = 0; keys[i] && strcmp(keys[i], key); i++)
			;
		if (!keys[i])
			return vfctl_error(ctx,
					   "%s: unknown key '%s' (pf, num_vfs, drivers_autoprobe, "
					   "vfs)",
					   where, key);
	}
	v = json_object_get(o, "pf");
	if (!v)
		return vfctl_error(ctx, "%s: missing 'pf' (interface name or PCI address)", where);
	if (scalar(ctx, v, where, "pf", buf, sizeof(buf)))
		return -1;
	if (!good_name(buf) || strlen(buf) >= 16)
		return vfctl_error(ctx, "%s: pf '%s' is not an interface name or PCI address",
				   where, buf);
	snprintf(pf->name, sizeof(pf->name), "%s", buf);
	snprintf(w, sizeof(w), "%.2100s (pf %s)", where, pf->name);
	v = json_object_get(o, "num_vfs");
	if (!v)
		return vfctl_error(ctx, "%s: missing 'num_vfs'", w);
	if (to_int(ctx, v, w, "num_vfs", VFCTL_MAX_VFS, &pf->num_vfs))
		return -1;
	pf->autoprobe = -1;
	v = json_object_get(o, "drivers_autoprobe");
	if (v) {
		if (scalar(ctx, v, w, "drivers_autoprobe", buf, sizeof(buf)))
			return -1;
		if (!strcmp(buf, "on") || !strcmp(buf, "true") || !strcmp(buf, "1"))
			pf->autoprobe = 1;
		else if (!strcmp(buf, "off") || !strcmp(buf, "false") || !strcmp(buf, "0"))
			pf->autoprobe = 0;
		else
			return vfctl_error(ctx, "%s: drivers_autoprobe '%s' is not on or off", w,
					   buf);
	}
	vfs = json_object_get(o, "vfs");
	if (!vfs)
		return 0;
	if (!json_is_array(vfs))
		return vfctl_error(ctx, "%s: vfs must be a list", w);
	pf->vfs = calloc(json_array_size(vfs) + 1, sizeof(*pf->vfs));
	if (!pf->vfs)
		return vfctl_error(ctx, "out of memory");
	json_array_foreach(vfs, i, v) {
		char vw[2400];

		snprintf(vw, sizeof(vw), "%.2300s vfs[%zu]", w, i);
		if (parse_vf(ctx, v, vw, pf->num_vfs, &pf->vfs[i]))
			return -1;
		pf->nvfs++;
		for (j = 0; j < i; j++) {
			if (pf->vfs[j].index == pf->vfs[i].index)
				return vfctl_error(ctx, "%s: VF %d configured twice", w,
						   pf->vfs[i].index);
			if (same_mac(&pf->vfs[j], &pf->vfs[i]))
				return vfctl_error(ctx, "%s: VF %d and VF %d have the same MAC", w,
						   pf->vfs[j].index, pf->vfs[i].index);
		}
	}
	return 0;
}

int vfctl_config_parse(struct vfctl_ctx *ctx, json_t *root, const char *file,
		       struct vfctl_config *cfg)
{
	const char *key;
	json_t *pfs, *v;
	size_t i, j;

	memset(cfg, 0, sizeof(*cfg));
	if (!json_is_object(root))
		return vfctl_error(ctx, "%s: expected a mapping with 'pfs'", file);
	json_object_foreach(root, key, v) {
		if (strcmp(key, "pfs"))
			return vfctl_error(ctx, "%s: unknown top-level key '%s' (pfs)", file, key);
	}
	pfs = json_object_get(root, "pfs");
	if (!json_is_array(pfs))
		return vfctl_error(ctx, "%s: 'pfs' must be a list", file);
	cfg->pfs = calloc(json_array_size(pfs) + 1, sizeof(*cfg->pfs));
	if (!cfg->pfs)
		return vfctl_error(ctx, "out of memory");
	json_array_foreach(pfs, i, v) {
		char w[2100];

		snprintf(w, sizeof(w), "%.2000s: pfs[%zu]", file, i);
		cfg->npfs++;
		if (parse_pf(ctx, v, w, &cfg->pfs[i]))
			return -1;
		for (j = 0; j < i; j++)
			if (!strcmp(cfg->pfs[j].name, cfg->pfs[i].name))
				return vfctl_error(ctx, "%s: PF %s configured twice", file,
						   cfg->pfs[i].name);
		if (check_macs(ctx, cfg, (int)i, file))
			return -1;
	}
	return 0;
}

int vfctl_config_load(struct vfctl_ctx *ctx, const char *file, struct vfctl_config *cfg)
{
	json_t *root = vfctl_config_load_tree(ctx, file);
	int r;

	memset(cfg, 0, sizeof(*cfg));
	if (!root)
		return -1;
	r = vfctl_config_parse(ctx, root, file, cfg);
	if (r) {
		json_decref(root);
		vfctl_config_free(cfg);
		return r;
	}
	cfg->source = root;
	return 0;
}

void vfctl_config_free(struct vfctl_config *cfg)
{
	int i;

	for (i = 0; i < cfg->npfs; i++)
		free(cfg->pfs[i].vfs);
	free(cfg->pfs);
	json_decref(cfg->source);
	memset(cfg, 0, sizeof(*cfg));
}
