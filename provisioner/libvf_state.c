// SPDX-License-Identifier: GPL-2.0
/*
 * libvf_state.c: vfctl's state under ctx->state_dir (/var/lib/vfstack):
 * "lock", taken with flock() by every command that changes something, and
 * "state.json": the last applied configuration and the VM each VF is
 * assigned to, keyed by PF name (as configured) and VF index, never by BDF.
 * Written to a temporary file and renamed, so a crash leaves the old or the
 * new state, never half of one.
 *
 *   { "version": 1, "config": {...}, "assignments": { "enp1s0/3": "web1" } }
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "vfctl.h"

static int mkdir_p(const char *dir)
{
	char p[PATH_MAX], *s;

	snprintf(p, sizeof(p), "%s", dir);
	for (s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) && errno != EEXIST)
			return -1;
		*s = '/';
	}
	if (mkdir(p, 0755) && errno != EEXIST)
		return -1;
	return 0;
}

/*
 * The holder writes its pid into the lock file, so that a vfctl that gives
 * up waiting can name it. The note is advisory: in the instant after a
 * handover it may still name the previous holder.
 */
static void lock_note_holder(int fd)
{
	char buf[24];
	int n = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());

	if (ftruncate(fd, 0) == 0 && pwrite(fd, buf, n, 0) == n)
		return;
	/* best effort: without the note the lock still holds, its holder unnamed */
}

static int lock_holder(int fd)
{
	char buf[24];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return atoi(buf);
}

/* vfctl_state_lock: the lock's fd, waiting up to ctx->timeout_ms */
int vfctl_state_lock(struct vfctl_ctx *ctx)
{
	long long deadline = vfctl_now_ms() + ctx->timeout_ms;
	char p[PATH_MAX + 8];
	int fd, holder;

	if (mkdir_p(ctx->state_dir))
		return vfctl_error(ctx, "state directory %s: %s", ctx->state_dir, strerror(errno));
	snprintf(p, sizeof(p), "%s/lock", ctx->state_dir);
	fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return vfctl_error(ctx, "lock %s: %s", p, strerror(errno));
	while (flock(fd, LOCK_EX | LOCK_NB)) {
		if (errno != EWOULDBLOCK) {
			close(fd);
			return vfctl_error(ctx, "lock %s: %s", p, strerror(errno));
		}
		if (vfctl_now_ms() >= deadline) {
			holder = lock_holder(fd);
			close(fd);
			if (holder > 0)
				return vfctl_error(ctx,
						   "lock %s: held by another vfctl (pid %d) for "
						   "more than %d ms",
						   p, holder, ctx->timeout_ms);
			return vfctl_error(ctx,
					   "lock %s: held by another vfctl for more than %d ms", p,
					   ctx->timeout_ms);
		}
		vfctl_sleep_ms(50);
	}
	lock_note_holder(fd);
	return fd;
}

void vfctl_state_unlock(struct vfctl_ctx *ctx, int fd)
{
	(void)ctx;
	if (fd >= 0)
		close(fd);
}

/*
 * vfctl_state_load: the state, a fresh empty one if there is no state file,
 * NULL if there is one that cannot be used: read as empty, it would drop
 * every assignment and with it the protection of the VFs in use.
 */
json_t *vfctl_state_load(struct vfctl_ctx *ctx)
{
	char p[PATH_MAX + 16];
	json_error_t je;
	json_t *st, *v;

	snprintf(p, sizeof(p), "%s/state.json", ctx->state_dir);
	if (access(p, F_OK) && errno == ENOENT)
		return json_pack("{s:i,s:{}}", "version", 1, "assignments");
	st = json_load_file(p, 0, &je);
	if (!st) {
		vfctl_error(ctx,
			    "state %s: %s (line %d); it records the VMs the VFs are assigned "
			    "to: repair it, or move it away to start with no assignments",
			    p, je.text, je.line);
		return NULL;
	}
	v = json_object_get(st, "assignments");
	if (!json_is_object(st) || (v && !json_is_object(v)) ||
	    ((v = json_object_get(st, "vm_processes")) && !json_is_object(v))) {
		json_decref(st);
		vfctl_error(ctx,
			    "state %s: not a vfctl state (expected an object whose "
			    "'assignments' is an object); repair it, or move it away to start "
			    "with no assignments",
			    p);
		return NULL;
	}
	if (!json_object_get(st, "assignments"))
		json_object_set_new(st, "assignments", json_object());
	return st;
}

int vfctl_state_save(struct vfctl_ctx *ctx, json_t *st)
{
	char p[PATH_MAX + 16], tmp[PATH_MAX + 32];
	int fd;

	if (mkdir_p(ctx->state_dir))
		return vfctl_error(ctx, "state directory %s: %s", ctx->state_dir, strerror(errno));
	snprintf(p, sizeof(p), "%s/state.json", ctx->state_dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", p, (int)getpid());
	if (json_dump_file(st, tmp, JSON_INDENT(2) | JSON_SORT_KEYS))
		return vfctl_error(ctx, "state %s: cannot write", tmp);
	fd = open(tmp, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	if (rename(tmp, p)) {
		unlink(tmp);
		return vfctl_error(ctx, "state %s: %s", p, strerror(errno));
	}
	return 0;
}

/* vfctl_state_vm: the VM that VF index of the PF (by BDF or interface) is assigned to */
const char *vfctl_state_vm(json_t *st, const char *pf_bdf, const char *pf_ifname, int index)
{
	json_t *as = json_object_get(st, "assignments"), *v;
	const char *key, *slash;

	json_object_foreach(as, key, v) {
		size_t n;

		slash = strrchr(key, '/');
		if (!slash || atoi(slash + 1) != index || !json_is_string(v))
			continue;
		n = (size_t)(slash - key);
		if ((strlen(pf_bdf) == n && !strncmp(key, pf_bdf, n)) ||
		    (pf_ifname && pf_ifname[0] && strlen(pf_ifname) == n &&
		     !strncmp(key, pf_ifname, n)))
			return json_string_value(v);
	}
	return NULL;
}
