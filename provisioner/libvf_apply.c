// SPDX-License-Identifier: GPL-2.0
/*
 * libvf_apply.c: vfctl apply. The configuration has been validated; here
 * every PF is resolved and checked (exists, not named twice, enough VFs,
 * none in use that would be removed) before anything changes. Then, per
 * PF: the VF count (through 0, with sriov_drivers_autoprobe off when a VF
 * wants vfio-pci), each VF's attributes where they differ, each VF's
 * driver. Every change is logged with what it replaced; on a failure the
 * log is undone in reverse. The difference is always taken against the live
 * system, so a re-run after a crash anywhere converges, and a run with
 * nothing to do says so.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "vfctl_config.h"

enum undo_kind {
	U_NUMVFS,
	U_AUTOPROBE,
	U_ATTRS,
	U_DRIVER
};

struct undo {
	enum undo_kind kind;
	int pf; /* index into the resolved PFs */
	int vf;
	int count;
	struct vfctl_attrs attrs;
	char driver[VFCTL_NAME_LEN];
};

struct run {
	struct vfctl_ctx *ctx;
	const struct vfctl_config *cfg;
	struct vfctl_pf *pfs;
	struct undo *log;
	int nlog, cap;
	int changes;
};

/*
 * Fault injection for the crash tests: with VFCTL_CRASH_AFTER=N in the
 * environment, apply kills itself with SIGKILL once N changes are done,
 * just before the next one.
 */
static void crash_point(const struct run *r)
{
	const char *e = getenv("VFCTL_CRASH_AFTER");

	if (e && *e && atoi(e) == r->changes) {
		fflush(stdout);
		raise(SIGKILL);
	}
}

static int push(struct run *r, const struct undo *u)
{
	crash_point(r);
	if (r->nlog == r->cap) {
		int cap = r->cap ? 2 * r->cap : 64;
		struct undo *n = realloc(r->log, cap * sizeof(*n));

		if (!n)
			return vfctl_error(r->ctx, "out of memory");
		r->log = n;
		r->cap = cap;
	}
	r->log[r->nlog++] = *u;
	r->changes++;
	return 0;
}

static void rollback(struct run *r)
{
	struct vfctl_ctx *ctx = r->ctx;
	char saved[VFCTL_ERR_LEN];
	bool force = ctx->force;
	int i;

	memcpy(saved, ctx->err, sizeof(saved));
	ctx->force = true;
	for (i = r->nlog - 1; i >= 0; i--) {
		struct undo *u = &r->log[i];
		struct vfctl_pf *pf = &r->pfs[u->pf];
		int e = 0;

		switch (u->kind) {
		case U_NUMVFS:
			e = vfctl_set_numvfs(ctx, pf, u->count);
			break;
		case U_AUTOPROBE:
			e = vfctl_set_autoprobe(ctx, pf, u->count);
			break;
		case U_ATTRS:
			if (u->vf < pf->num_vfs)
				e = vfctl_nl_set(ctx, pf, u->vf, &u->attrs);
			break;
		case U_DRIVER:
			if (u->vf < pf->num_vfs)
				e = vfctl_bind(ctx, pf, u->vf,
					       u->driver[0] ? u->driver : "default");
			break;
		}
		if (e)
			fprintf(stderr, "vfctl: rollback: %s\n", ctx->err);
	}
	ctx->force = force;
	memcpy(ctx->err, saved, sizeof(saved));
}

/* check: everything that can be known before a change */
static int check_pf(struct run *r, int i)
{
	const struct vfctl_pf_cfg *pc = &r->cfg->pfs[i];
	struct vfctl_pf *pf = &r->pfs[i];
	char why[512];
	int j, v;

	if (vfctl_pf_lookup(r->ctx, pc->name, pf))
		return -1;
	/* eth0 and 0000:01:00.0 can be one device: its entries would undo each other */
	for (j = 0; j < i; j++)
		if (!strcmp(r->pfs[j].bdf, pf->bdf))
			return vfctl_error(r->ctx, "PF %s and PF %s are the same device (%s)",
					   r->cfg->pfs[j].name, pc->name, pf->bdf);
	for (v = 0; v < pc->nvfs; v++) {
		if (vfctl_driver_check(r->ctx, pc->vfs[v].driver)) {
			memcpy(why, r->ctx->err, sizeof(why) - 1);
			why[sizeof(why) - 1] = '\0';
			return vfctl_error(r->ctx, "PF %s VF %d: %s", pc->name, pc->vfs[v].index,
					   why);
		}
	}
	if (pc->num_vfs > pf->total_vfs)
		return vfctl_error(r->ctx, "PF %s: num_vfs %d but the device has %d VFs", pc->name,
				   pc->num_vfs, pf->total_vfs);
	if (pc->num_vfs == pf->num_vfs || !pf->num_vfs)
		return 0;
	for (v = 0; v < pf->num_vfs; v++) {
		if (!vfctl_vf_in_use(r->ctx, pf, v, why, sizeof(why)))
			continue;
		if (!r->ctx->force)
			return vfctl_error(r->ctx,
					   "PF %s: changing %d to %d VFs goes through 0, but %s "
					   "(use --force to override)",
					   pc->name, pf->num_vfs, pc->num_vfs, why);
	}
	return 0;
}

static bool wants_vfio(const struct vfctl_pf_cfg *pc)
{
	int v;

	for (v = 0; v < pc->nvfs; v++)
		if (!strcmp(pc->vfs[v].driver, "vfio-pci"))
			return true;
	return false;
}

static int apply_pf(struct run *r, int i)
{
	const struct vfctl_pf_cfg *pc = &r->cfg->pfs[i];
	struct vfctl_pf *pf = &r->pfs[i];
	struct vfctl_ctx *ctx = r->ctx;
	struct undo u = { .pf = i };
	int ap = pc->autoprobe >= 0 ? pc->autoprobe : !wants_vfio(pc);
	int v;

	if (pf->autoprobe >= 0 && pf->autoprobe != ap) {
		u.kind = U_AUTOPROBE;
		u.count = pf->autoprobe;
		if (vfctl_set_autoprobe(ctx, pf, ap) || push(r, &u))
			return -1;
		vfctl_log(ctx, "PF %s: sriov_drivers_autoprobe %d", pc->name, ap);
	}
	if (pf->num_vfs != pc->num_vfs) {
		u.kind = U_NUMVFS;
		u.count = pf->num_vfs;
		vfctl_log(ctx, "PF %s: %d -> %d VFs", pc->name, pf->num_vfs, pc->num_vfs);
		if (push(r, &u) || vfctl_set_numvfs(ctx, pf, pc->num_vfs))
			return -1;
	} else if (pc->num_vfs && vfctl_wait_ready(ctx, pf, pc->num_vfs)) {
		return -1;
	}
	for (v = 0; v < pc->nvfs; v++) {
		const struct vfctl_vf_cfg *vc = &pc->vfs[v];
		struct vfctl_attrs have, want = vc->attrs;
		char desc[256];
		unsigned int d;

		if (!vc->attrs.mask)
			continue;
		if (vfctl_nl_get(ctx, pf, vc->index, &have))
			return -1;
		d = vfctl_attrs_diff(&vc->attrs, &have);
		if (!d)
			continue;
		want.mask = d;
		u.kind = U_ATTRS;
		u.vf = vc->index;
		u.attrs = have;
		u.attrs.mask = d;
		vfctl_attrs_describe(&want, d, desc, sizeof(desc));
		vfctl_log(ctx, "PF %s VF %d: %s", pc->name, vc->index, desc);
		if (push(r, &u) || vfctl_nl_set(ctx, pf, vc->index, &want))
			return -1;
	}
	for (v = 0; v < pc->nvfs; v++) {
		const struct vfctl_vf_cfg *vc = &pc->vfs[v];
		struct vfctl_vf vf;

		if (!vc->driver[0])
			continue;
		if (vfctl_vf_lookup(ctx, pf, vc->index, &vf))
			return -1;
		/* "default": anything but vfio-pci; a VF left unbound stays so */
		if (!strcmp(vc->driver, "default") ? strcmp(vf.driver, "vfio-pci") != 0
						   : !strcmp(vf.driver, vc->driver))
			continue;
		u.kind = U_DRIVER;
		u.vf = vc->index;
		snprintf(u.driver, sizeof(u.driver), "%s", vf.driver);
		vfctl_log(ctx, "PF %s VF %d (%s): driver %s -> %s", pc->name, vc->index, vf.bdf,
			  vf.driver[0] ? vf.driver : "none", vc->driver);
		if (push(r, &u) || vfctl_bind(ctx, pf, vc->index, vc->driver))
			return -1;
	}
	return 0;
}

static json_t *config_json(const struct vfctl_config *cfg)
{
	json_t *pfs = json_array();
	char buf[256];
	int i, v;

	for (i = 0; i < cfg->npfs; i++) {
		const struct vfctl_pf_cfg *pc = &cfg->pfs[i];
		json_t *vfs = json_array();

		for (v = 0; v < pc->nvfs; v++) {
			const struct vfctl_vf_cfg *vc = &pc->vfs[v];

			vfctl_attrs_describe(&vc->attrs, vc->attrs.mask, buf, sizeof(buf));
			json_array_append_new(vfs, json_pack("{s:i,s:s,s:s,s:s}", "vf", vc->index,
							     "attrs", buf, "driver", vc->driver,
							     "vm", vc->vm));
		}
		json_array_append_new(pfs, json_pack("{s:s,s:i,s:i,s:o}", "pf", pc->name, "num_vfs",
						     pc->num_vfs, "drivers_autoprobe",
						     pc->autoprobe, "vfs", vfs));
	}
	return json_pack("{s:o}", "pfs", pfs);
}

static int save_state(struct run *r)
{
	json_t *st = vfctl_state_load(r->ctx);
	json_t *as = json_deep_copy(json_object_get(st, "assignments"));
	int i, v, ret;
	bool same;

	if (!st)
		return -1;

	for (i = 0; i < r->cfg->npfs; i++) {
		const struct vfctl_pf_cfg *pc = &r->cfg->pfs[i];

		for (v = 0; v < pc->nvfs; v++) {
			char key[VFCTL_NAME_LEN + 16];

			if (!pc->vfs[v].vm[0])
				continue;
			snprintf(key, sizeof(key), "%s/%d", pc->name, pc->vfs[v].index);
			json_object_set_new(as, key, json_string(pc->vfs[v].vm));
		}
	}
	json_object_set_new(st, "config",
			    r->cfg->source ? json_deep_copy(r->cfg->source) : config_json(r->cfg));
	if (!json_equal(json_object_get(st, "assignments"), as))
		r->changes++;
	json_object_set_new(st, "assignments", as);
	{
		json_t *old = vfctl_state_load(r->ctx);

		if (!old) {
			json_decref(st);
			return -1;
		}
		same = json_equal(old, st);
		json_decref(old);
	}
	ret = same ? 0 : vfctl_state_save(r->ctx, st);
	json_decref(st);
	return ret;
}

/* vfctl_apply: 0 and "nothing to change" or the changes made, -1 rolled back */
int vfctl_apply(struct vfctl_ctx *ctx, const struct vfctl_config *cfg)
{
	struct run r = { .ctx = ctx, .cfg = cfg };
	int i, lock, ret = -1;

	lock = vfctl_state_lock(ctx);
	if (lock < 0)
		return -1;
	/*
	 * VFs whose VM has exited go back to their configured state first; one
	 * whose restore fails is reported and stays assigned, but does not stop
	 * this apply, which may be the one that fixes the cause
	 */
	r.changes = vfctl_reconcile(ctx, NULL);
	if (r.changes < 0) {
		r.changes = 0;
		goto out;
	}
	r.pfs = calloc(cfg->npfs + 1, sizeof(*r.pfs));
	if (!r.pfs) {
		vfctl_error(ctx, "out of memory");
		goto out;
	}
	for (i = 0; i < cfg->npfs; i++)
		if (check_pf(&r, i))
			goto out;
	for (i = 0; i < cfg->npfs; i++) {
		if (apply_pf(&r, i)) {
			fprintf(stderr, "vfctl: %s; rolling back %d change(s)\n", ctx->err, r.nlog);
			rollback(&r);
			goto out;
		}
	}
	if (save_state(&r))
		goto out;
	if (!r.changes)
		vfctl_log(ctx, "nothing to change");
	else
		vfctl_log(ctx, "applied %d change(s)", r.changes);
	ret = r.changes;
out:
	free(r.log);
	free(r.pfs);
	vfctl_state_unlock(ctx, lock);
	return ret;
}
