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
 *
 * The VMs (vm:) are planned with the checks: a VF the configuration gives
 * to another VM than the one that has it now is refused while that VM is
 * alive; an assignment the previous configuration made and this one drops
 * is forgotten once nobody has the VF, and stays until reconcile releases
 * it while its VM is alive; assignments made by vfctl assign are left
 * alone. What is forgotten leaves the state before the first change (a VF
 * it frees may be removed by a count change), the rest with the
 * configuration at the end.
 */
#include <signal.h>
#include <stdarg.h>
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
	json_t *st; /* the state after reconcile, as it was */
	json_t *as, *procs; /* the assignments and VM processes this apply leaves */
	json_t *freed; /* the keys it forgets, of VFs nobody has */
	json_t *notes; /* what it does to the assignments, logged once all is checked */
	int vm_changes;
	bool forgot; /* the state without the forgotten keys saved, before the changes */
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
	/* the assignments this run forgot come back with the rest */
	if (r->forgot && vfctl_state_save(ctx, r->st))
		fprintf(stderr, "vfctl: rollback: %s\n", ctx->err);
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
	return 0;
}

/* freed: whether this apply forgets the assignment of VF index of pf */
static bool freed(struct run *r, const struct vfctl_pf *pf, int index)
{
	size_t i;
	json_t *k;

	json_array_foreach(r->freed, i, k)
		if (vfctl_names_vf(r->ctx, json_string_value(k), pf, index))
			return true;
	return false;
}

/* check_in_use: a count change goes through 0; no VF may be in use then */
static int check_in_use(struct run *r, int i)
{
	const struct vfctl_pf_cfg *pc = &r->cfg->pfs[i];
	struct vfctl_pf *pf = &r->pfs[i];
	char why[512];
	int v;

	if (pc->num_vfs == pf->num_vfs || !pf->num_vfs)
		return 0;
	for (v = 0; v < pf->num_vfs; v++) {
		/* an assignment this apply forgets: nobody has the VF */
		if (freed(r, pf, v))
			continue;
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

static void note(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void note(struct run *r, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	/* a process name from /proc need not be UTF-8; notes are printed, never dumped */
	json_array_append_new(r->notes, json_string_nocheck(buf));
}

/*
 * vm_has: whether a live VM has VF index of pf: a process holds it open, or
 * a VM process recorded for it is alive; which in why, the VF's address (""
 * if it has none) in at: " (0000:01:00.2)"
 */
static bool vm_has(struct run *r, const struct vfctl_pf *pf, int index, char *at, size_t atlen,
		   char *why, size_t len)
{
	struct vfctl_vf vf;
	pid_t pid = 0;
	bool has = false;

	at[0] = '\0';
	if (!vfctl_vf_lookup(r->ctx, pf, index, &vf)) {
		snprintf(at, atlen, " (%s)", vf.bdf);
		if (vf.holder.pid) {
			snprintf(why, len, "held open by pid %d (%s)", (int)vf.holder.pid,
				 vf.holder.comm);
			has = true;
		}
	}
	if (!has && vfctl_vf_vm_proc(r->ctx, r->st, pf, index, &pid) == 1) {
		snprintf(why, len, "its process, pid %d, is running", (int)pid);
		has = true;
	}
	r->ctx->err[0] = '\0';
	return has;
}

/* assigned: the VM VF index of pf is assigned to in the plan into buf, NULL if none */
static const char *assigned(struct run *r, const struct vfctl_pf *pf, int index, char *buf,
			    size_t len)
{
	const char *key;
	json_t *v;

	json_object_foreach(r->as, key, v) {
		if (json_is_string(v) && vfctl_names_vf(r->ctx, key, pf, index)) {
			snprintf(buf, len, "%s", json_string_value(v));
			return buf;
		}
	}
	return NULL;
}

/* forget: every assignment and VM process of VF index of pf, under any name of its PF */
static void forget(struct run *r, const struct vfctl_pf *pf, int index)
{
	json_t *objs[2] = { r->as, r->procs }, *v, *tmp;
	const char *key;
	int i;

	for (i = 0; i < 2; i++) {
		json_object_foreach_safe(objs[i], tmp, key, v) {
			if (!vfctl_names_vf(r->ctx, key, pf, index))
				continue;
			json_array_append_new(r->freed, json_string(key));
			json_object_del(objs[i], key);
		}
	}
}

/*
 * plan_named: the VMs the configuration names. A VF another VM has (alive,
 * or holding it open) is refused: it is that VM's until vfctl release or
 * until it exits. One whose VM is gone goes to the new one.
 */
static int plan_named(struct run *r)
{
	char key[VFCTL_NAME_LEN + 16], cur[VFCTL_NAME_LEN], at[VFCTL_BDF_LEN + 4], why[160];
	int i, v;

	for (i = 0; i < r->cfg->npfs; i++) {
		const struct vfctl_pf_cfg *pc = &r->cfg->pfs[i];
		struct vfctl_pf *pf = &r->pfs[i];

		for (v = 0; v < pc->nvfs; v++) {
			const struct vfctl_vf_cfg *vc = &pc->vfs[v];

			if (!vc->vm[0])
				continue;
			if (!assigned(r, pf, vc->index, cur, sizeof(cur))) {
				note(r, "PF %s VF %d: vm none -> %s", pc->name, vc->index, vc->vm);
			} else if (!strcmp(cur, vc->vm)) {
				continue;
			} else if (vm_has(r, pf, vc->index, at, sizeof(at), why, sizeof(why))) {
				return vfctl_error(r->ctx,
						   "PF %s VF %d%s: assigned to VM %s, which still "
						   "has it (%s); the configuration names VM %s: "
						   "vfctl release %s %d first",
						   pc->name, vc->index, at, cur, why, vc->vm,
						   pc->name, vc->index);
			} else {
				forget(r, pf, vc->index);
				note(r, "PF %s VF %d: vm %s -> %s (%s is not running)", pc->name,
				     vc->index, cur, vc->vm, cur);
			}
			snprintf(key, sizeof(key), "%s/%d", pc->name, vc->index);
			json_object_set_new(r->as, key, json_string(vc->vm));
			r->vm_changes++;
		}
	}
	return 0;
}

/* named: whether the configuration names a VM for VF index of pf */
static bool named(struct run *r, const struct vfctl_pf *pf, int index)
{
	int i, v;

	for (i = 0; i < r->cfg->npfs; i++) {
		if (strcmp(r->pfs[i].bdf, pf->bdf))
			continue;
		for (v = 0; v < r->cfg->pfs[i].nvfs; v++)
			if (r->cfg->pfs[i].vfs[v].index == index)
				return r->cfg->pfs[i].vfs[v].vm[0] != '\0';
	}
	return false;
}

/*
 * plan_dropped: the assignments that the previous configuration (old) made
 * and this one no longer names (its vm:, its VF entry or its PF gone). One
 * nobody has is forgotten: the VF gets this configuration like any other.
 * One a live VM has stays until that VM exits, and so does one whose VM
 * has exited but whose release by reconcile failed (reconcile retries it).
 * An assignment the configuration never made (vfctl assign) is not touched.
 */
static void plan_dropped(struct run *r, const struct vfctl_config *old)
{
	char vm[VFCTL_NAME_LEN], at[VFCTL_BDF_LEN + 4], why[160];
	const struct vfctl_vf_cfg *vc;
	json_t *keys = json_array(), *v;
	struct vfctl_pf pf;
	const char *key, *name;
	int index;
	size_t i;
	pid_t pid;

	json_object_foreach(r->as, key, v)
		json_array_append_new(keys, json_string(key));
	json_array_foreach(keys, i, v) {
		key = json_string_value(v);
		if (!json_is_string(json_object_get(r->as, key)))
			continue; /* forgotten under another name of its PF */
		snprintf(vm, sizeof(vm), "%s", json_string_value(json_object_get(r->as, key)));
		if (vfctl_state_key_vf(r->ctx, key, &pf, &index)) {
			r->ctx->err[0] = '\0'; /* its PF has gone: nothing to tell */
			continue;
		}
		if (named(r, &pf, index))
			continue;
		vc = vfctl_vf_cfg(r->ctx, old, &pf, index);
		r->ctx->err[0] = '\0';
		if (!vc || strcmp(vc->vm, vm))
			continue;
		name = pf.ifname[0] ? pf.ifname : pf.bdf;
		if (vm_has(r, &pf, index, at, sizeof(at), why, sizeof(why))) {
			note(r,
			     "PF %s VF %d%s: vm %s no longer configured, but VM %s still has "
			     "the VF (%s): it stays assigned to %s until the VM exits; reconcile "
			     "then restores the VF and forgets %s",
			     name, index, at, vm, vm, why, vm, vm);
			continue;
		}
		if (vfctl_vm_proc_exited(r->ctx, r->st, key, &pid) == 1) {
			note(r,
			     "PF %s VF %d%s: vm %s no longer configured; VM %s (pid %d) has exited "
			     "but the VF's release failed: it stays assigned until reconcile "
			     "restores it",
			     name, index, at, vm, vm, (int)pid);
			continue;
		}
		forget(r, &pf, index);
		note(r, "PF %s VF %d: vm %s -> none (no longer configured, and %s is not running)",
		     name, index, vm, vm);
		r->vm_changes++;
	}
	json_decref(keys);
}

/* plan_vms: the assignments this apply leaves, or -1 and nothing changed */
static int plan_vms(struct run *r)
{
	json_t *src = json_object_get(r->st, "config");
	struct vfctl_config old = { 0 };

	r->as = json_deep_copy(json_object_get(r->st, "assignments"));
	r->procs = json_deep_copy(json_object_get(r->st, "vm_processes"));
	if (!r->procs)
		r->procs = json_object();
	r->freed = json_array();
	r->notes = json_array();
	if (!r->as || !r->procs || !r->freed || !r->notes)
		return vfctl_error(r->ctx, "out of memory");
	if (plan_named(r))
		return -1;
	if (src && vfctl_config_parse(r->ctx, src, "state.json config", &old)) {
		fprintf(stderr, "vfctl: %s; the VMs it named stay assigned\n", r->ctx->err);
		r->ctx->err[0] = '\0';
		vfctl_config_free(&old);
	}
	plan_dropped(r, &old);
	vfctl_config_free(&old);
	return 0;
}

/*
 * forget_first: everything checked, the plan is logged, and the assignments
 * it forgets leave the state before the first change: the count change of
 * a PF whose VF they free checks the state again (vfctl_set_numvfs)
 */
static int forget_first(struct run *r)
{
	json_t *st, *k;
	size_t i;
	int ret;

	json_array_foreach(r->notes, i, k)
		vfctl_log(r->ctx, "%s", json_string_value(k));
	if (!json_array_size(r->freed))
		return 0;
	st = json_deep_copy(r->st);
	if (!st)
		return vfctl_error(r->ctx, "out of memory");
	json_array_foreach(r->freed, i, k) {
		json_object_del(json_object_get(st, "assignments"), json_string_value(k));
		json_object_del(json_object_get(st, "vm_processes"), json_string_value(k));
	}
	ret = vfctl_state_save(r->ctx, st);
	json_decref(st);
	r->forgot = !ret;
	return ret;
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
	json_t *st = r->st, *old;
	bool same;

	json_object_set_new(st, "config",
			    r->cfg->source ? json_deep_copy(r->cfg->source) : config_json(r->cfg));
	json_object_set(st, "assignments", r->as);
	if (json_object_get(st, "vm_processes") || json_object_size(r->procs))
		json_object_set(st, "vm_processes", r->procs);
	r->changes += r->vm_changes;
	old = vfctl_state_load(r->ctx);
	if (!old)
		return -1;
	same = json_equal(old, st);
	json_decref(old);
	return same ? 0 : vfctl_state_save(r->ctx, st);
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
	r.st = vfctl_state_load(ctx);
	if (!r.st)
		goto out;
	r.pfs = calloc(cfg->npfs + 1, sizeof(*r.pfs));
	if (!r.pfs) {
		vfctl_error(ctx, "out of memory");
		goto out;
	}
	for (i = 0; i < cfg->npfs; i++)
		if (check_pf(&r, i))
			goto out;
	if (plan_vms(&r))
		goto out;
	for (i = 0; i < cfg->npfs; i++)
		if (check_in_use(&r, i))
			goto out;
	if (forget_first(&r))
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
	json_decref(r.st);
	json_decref(r.as);
	json_decref(r.procs);
	json_decref(r.freed);
	json_decref(r.notes);
	vfctl_state_unlock(ctx, lock);
	return ret;
}
