// SPDX-License-Identifier: GPL-2.0
/*
 * libvf_usage.c: who holds a VF. A VF bound to vfio-pci is in use when a
 * process has /dev/vfio/<group> open; found by scanning /proc/<pid>/fd.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vfctl.h"

static bool pid_holds(struct vfctl_ctx *ctx, const char *pid, const char *want)
{
	char p[PATH_MAX + 300], target[PATH_MAX];
	struct dirent *de;
	bool found = false;
	DIR *d;

	snprintf(p, sizeof(p), "%s/%s/fd", ctx->proc_root, pid);
	d = opendir(p);
	if (!d)
		return false;
	while (!found && (de = readdir(d))) {
		char fp[PATH_MAX + 600];
		ssize_t n;

		if (de->d_name[0] == '.')
			continue;
		snprintf(fp, sizeof(fp), "%s/%s", p, de->d_name);
		n = readlink(fp, target, sizeof(target) - 1);
		if (n < 0)
			continue;
		target[n] = '\0';
		found = !strcmp(target, want);
	}
	closedir(d);
	return found;
}

/* vfctl_find_holder: 1 and *h filled if a process has /dev/vfio/<group> open */
int vfctl_find_holder(struct vfctl_ctx *ctx, int group, struct vfctl_holder *h)
{
	char want[64], p[PATH_MAX + 300];
	struct dirent *de;
	pid_t self = getpid();
	DIR *d;

	memset(h, 0, sizeof(*h));
	snprintf(want, sizeof(want), "/dev/vfio/%d", group);
	d = opendir(ctx->proc_root);
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);

		if (*end || end == de->d_name || pid == self)
			continue;
		if (!pid_holds(ctx, de->d_name, want))
			continue;
		h->pid = (pid_t)pid;
		snprintf(p, sizeof(p), "%s/%s/comm", ctx->proc_root, de->d_name);
		if (vfctl_read_str(p, h->comm, sizeof(h->comm)))
			snprintf(h->comm, sizeof(h->comm), "?");
		closedir(d);
		return 1;
	}
	closedir(d);
	return 0;
}
