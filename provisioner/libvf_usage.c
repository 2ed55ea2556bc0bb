// SPDX-License-Identifier: GPL-2.0
/*
 * libvf_usage.c: who holds a VF. A VF bound to vfio-pci is in use when a
 * process has its group, /dev/vfio/<group>, open, or (QEMU with iommufd)
 * its own VFIO device file, /dev/vfio/devices/vfioN, which sysfs names in
 * /sys/bus/pci/devices/<bdf>/vfio-dev/; found by scanning /proc/<pid>/fd.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vfctl.h"

/* pid_holds: the index in want[] of a file pid has open, -1 if none */
static int pid_holds(struct vfctl_ctx *ctx, const char *pid, char want[][VFCTL_DEV_LEN], int n)
{
	char p[PATH_MAX + 300], target[PATH_MAX];
	struct dirent *de;
	int i, found = -1;
	DIR *d;

	snprintf(p, sizeof(p), "%s/%s/fd", ctx->proc_root, pid);
	d = opendir(p);
	if (!d)
		return -1;
	while (found < 0 && (de = readdir(d))) {
		char fp[PATH_MAX + 600];
		ssize_t len;

		if (de->d_name[0] == '.')
			continue;
		snprintf(fp, sizeof(fp), "%s/%s", p, de->d_name);
		len = readlink(fp, target, sizeof(target) - 1);
		if (len < 0)
			continue;
		target[len] = '\0';
		for (i = 0; i < n && found < 0; i++)
			if (!strcmp(target, want[i]))
				found = i;
	}
	closedir(d);
	return found;
}

/* vfio_cdev: /dev/vfio/devices/<name> of the VF's VFIO device file; 0 if it has one */
static int vfio_cdev(struct vfctl_ctx *ctx, const char *bdf, char *buf, size_t len)
{
	char p[PATH_MAX];
	struct dirent *de;
	int ret = -1;
	DIR *d;

	if (vfctl_path(ctx, p, sizeof(p), "/sys/bus/pci/devices/%s/vfio-dev", bdf))
		return -1;
	d = opendir(p);
	if (!d)
		return -1; /* a kernel without VFIO_DEVICE_CDEV */
	while (ret && (de = readdir(d)))
		if (!strncmp(de->d_name, "vfio", 4) &&
		    (size_t)snprintf(buf, len, "/dev/vfio/devices/%s", de->d_name) < len)
			ret = 0;
	closedir(d);
	return ret;
}

/* vfctl_find_holder: 1 and *h filled if a process has the VF's group or device file open */
int vfctl_find_holder(struct vfctl_ctx *ctx, const char *bdf, int group, struct vfctl_holder *h)
{
	char want[2][VFCTL_DEV_LEN], p[PATH_MAX + 300];
	struct dirent *de;
	pid_t self = getpid();
	int n = 1, i;
	DIR *d;

	memset(h, 0, sizeof(*h));
	snprintf(want[0], sizeof(want[0]), "/dev/vfio/%d", group);
	if (!vfio_cdev(ctx, bdf, want[1], sizeof(want[1])))
		n++;
	d = opendir(ctx->proc_root);
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);

		if (*end || end == de->d_name || pid == self)
			continue;
		i = pid_holds(ctx, de->d_name, want, n);
		if (i < 0)
			continue;
		h->pid = (pid_t)pid;
		snprintf(h->dev, sizeof(h->dev), "%s", want[i]);
		snprintf(p, sizeof(p), "%s/%s/comm", ctx->proc_root, de->d_name);
		if (vfctl_read_str(p, h->comm, sizeof(h->comm)))
			snprintf(h->comm, sizeof(h->comm), "?");
		closedir(d);
		return 1;
	}
	closedir(d);
	return 0;
}
