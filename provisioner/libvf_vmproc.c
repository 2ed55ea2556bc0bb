// SPDX-License-Identifier: GPL-2.0
/*
 * libvf_vmproc.c: noticing that the VM holding a VF has gone. assign --qmp
 * records the QEMU process at the other end of the QMP socket (SO_PEERCRED)
 * with its start time and the boot it ran in, so neither a reused pid nor a
 * reboot passes for the same VM; an assignment made another way gets the
 * process holding the VF's VFIO group or device file recorded the first time
 * vfctl_reconcile sees one. vfctl_reconcile releases every VF whose
 * recorded process has exited and that nobody holds open any more: the
 * VF gets back its configured attributes and driver (vfctl_release), so
 * a VM killed with SIGKILL does not leave its settings to the next one. A
 * release that fails leaves its VF assigned, to be tried again next time.
 *
 *   "vm_processes": { "eth0/7": { "pid": 812, "start": 4711, "boot": "…" } }
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vfctl_config.h"

/* proc_start: the start time (clock ticks after boot) of a live process, -1 if none */
static long long proc_start(struct vfctl_ctx *ctx, pid_t pid)
{
	char p[PATH_MAX + 32], buf[1024], state;
	unsigned long long start;
	const char *s;
	FILE *f;
	size_t n;
	int field;

	snprintf(p, sizeof(p), "%s/%d/stat", ctx->proc_root, (int)pid);
	f = fopen(p, "re");
	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* "pid (comm) state ppid ...": comm may hold spaces and parentheses */
	s = strrchr(buf, ')');
	if (!s || sscanf(s + 1, " %c", &state) != 1 || state == 'Z' || state == 'X')
		return -1;
	for (field = 2; field < 22 && s; field++)
		s = strchr(s + 1, ' ');
	if (!s || sscanf(s, " %llu", &start) != 1)
		return 0; /* alive, start unknown */
	return (long long)start;
}

static void boot_id(struct vfctl_ctx *ctx, char *buf, size_t len)
{
	char p[PATH_MAX + 32];

	snprintf(p, sizeof(p), "%s/sys/kernel/random/boot_id", ctx->proc_root);
	if (vfctl_read_str(p, buf, len))
		buf[0] = '\0';
}

/* vfctl_vm_proc_record: remember pid as the VM process of the VF named key */
void vfctl_vm_proc_record(struct vfctl_ctx *ctx, json_t *st, const char *key, pid_t pid)
{
	json_t *procs = json_object_get(st, "vm_processes");
	long long start = proc_start(ctx, pid);
	char boot[64];

	if (!json_is_object(procs)) {
		procs = json_object();
		json_object_set_new(st, "vm_processes", procs);
	}
	boot_id(ctx, boot, sizeof(boot));
	json_object_set_new(procs, key,
			    json_pack("{s:i,s:I,s:s}", "pid", (int)pid, "start",
				      (json_int_t)(start < 0 ? 0 : start), "boot", boot));
}

/* vfctl_vm_proc_exited: 1 if the recorded VM process of key is gone, 0 if not or unknown */
int vfctl_vm_proc_exited(struct vfctl_ctx *ctx, json_t *st, const char *key, pid_t *pid)
{
	json_t *rec = json_object_get(json_object_get(st, "vm_processes"), key);
	const char *boot = json_string_value(json_object_get(rec, "boot"));
	json_int_t start = json_integer_value(json_object_get(rec, "start"));
	char now[64];
	long long s;

	if (!json_is_object(rec))
		return 0;
	*pid = (pid_t)json_integer_value(json_object_get(rec, "pid"));
	boot_id(ctx, now, sizeof(now));
	if (boot && strcmp(boot, now))
		return 1;
	s = proc_start(ctx, *pid);
	return s < 0 || (start && s && s != start);
}

/*
 * vfctl_vf_vm_proc: the VM processes recorded for VF index of pf, under any
 * name of its PF: 1 if one is alive, 0 if all have exited, -1 if none is
 * recorded; the pid of the live one (or of the last one) in *pid
 */
int vfctl_vf_vm_proc(struct vfctl_ctx *ctx, json_t *st, const struct vfctl_pf *pf, int index,
		     pid_t *pid)
{
	const char *key;
	int ret = -1;
	json_t *v;
	pid_t p;

	json_object_foreach(json_object_get(st, "vm_processes"), key, v) {
		if (!vfctl_names_vf(ctx, key, pf, index))
			continue;
		p = 0;
		ret = vfctl_vm_proc_exited(ctx, st, key, &p) ? 0 : 1;
		*pid = p;
		if (ret == 1)
			break;
	}
	return ret;
}

/* vfctl_state_key_vf: split "eth0/7" into a PF and a VF index; -1 if the PF has gone */
int vfctl_state_key_vf(struct vfctl_ctx *ctx, const char *key, struct vfctl_pf *pf, int *index)
{
	const char *slash = strrchr(key, '/');
	char name[VFCTL_NAME_LEN];
	size_t n = slash ? (size_t)(slash - key) : 0;

	if (!slash || !n || n >= sizeof(name))
		return vfctl_error(ctx, "state: bad assignment key '%s'", key);
	memcpy(name, key, n);
	name[n] = '\0';
	*index = atoi(slash + 1);
	return vfctl_pf_lookup(ctx, name, pf);
}

/*
 * vfctl_reconcile: release the VFs whose VM has exited; the number released,
 * -1 if the state could not be read or written. A release that fails is
 * reported on stderr and counted in *failed (if not NULL). Lock held.
 */
int vfctl_reconcile(struct vfctl_ctx *ctx, int *failed)
{
	json_t *st = vfctl_state_load(ctx), *keys = json_array(), *v;
	const char *key, *vm;
	struct vfctl_pf pf;
	struct vfctl_vf vf;
	int index = 0, released = 0, nfailed = 0, ret = 0;
	size_t i;
	pid_t pid;

	if (failed)
		*failed = 0;
	if (!st) {
		json_decref(keys);
		return -1;
	}
	json_object_foreach(json_object_get(st, "assignments"), key, v)
		json_array_append_new(keys, json_string(key));
	json_array_foreach(keys, i, v) {
		key = json_string_value(v);
		vm = json_string_value(json_object_get(json_object_get(st, "assignments"), key));
		if (vfctl_state_key_vf(ctx, key, &pf, &index) ||
		    vfctl_vf_lookup(ctx, &pf, index, &vf)) {
			ctx->err[0] = '\0';
			continue;
		}
		if (!json_object_get(json_object_get(st, "vm_processes"), key)) {
			/* assigned as QEMU arguments or libvirt XML: learn the VM's process */
			if (vf.holder.pid) {
				vfctl_vm_proc_record(ctx, st, key, vf.holder.pid);
				if (vfctl_state_save(ctx, st)) {
					ret = -1;
					break;
				}
			}
			continue;
		}
		if (!vfctl_vm_proc_exited(ctx, st, key, &pid) || vf.holder.pid)
			continue;
		vfctl_log(ctx, "PF %s VF %d (%s): VM %s (pid %d) has exited; releasing", pf.bdf,
			  index, vf.bdf, vm ? vm : "?", (int)pid);
		/*
		 * A VF whose restore fails stays assigned for the next try; it
		 * must not hold up the others, nor an apply that may fix it.
		 */
		if (vfctl_release(ctx, &pf, index, NULL)) {
			fprintf(stderr, "vfctl: PF %s VF %d (%s): release failed: %s\n", pf.bdf,
				index, vf.bdf, ctx->err);
			ctx->err[0] = '\0';
			nfailed++;
			continue;
		}
		released++;
		json_decref(st);
		st = vfctl_state_load(ctx);
		if (!st) {
			ret = -1;
			break;
		}
	}
	json_decref(keys);
	json_decref(st);
	if (failed)
		*failed = nfailed;
	return ret ? -1 : released;
}
