// SPDX-License-Identifier: GPL-2.0
/* vfctl_fake_sysfs.c: see vfctl_fake_sysfs.h. Aborts on any set-up failure. */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "vfctl_fake_sysfs.h"

static void die(const char *what, const char *path)
{
	fprintf(stderr, "fake sysfs: %s %s: %s\n", what, path, strerror(errno));
	abort();
}

static void mkdirs(const char *path)
{
	char p[1024], *s;

	snprintf(p, sizeof(p), "%s", path);
	for (s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) && errno != EEXIST)
			die("mkdir", p);
		*s = '/';
	}
	if (mkdir(p, 0755) && errno != EEXIST)
		die("mkdir", p);
}

static void mkdirf(struct fake_tree *t, const char *rel)
{
	char p[1024];

	snprintf(p, sizeof(p), "%s/%s", t->root, rel);
	mkdirs(p);
}

static void link_to(struct fake_tree *t, const char *target, const char *rel)
{
	char p[1024];

	snprintf(p, sizeof(p), "%s/%s", t->root, rel);
	unlink(p);
	if (symlink(target, p))
		die("symlink", p);
}

void fake_write(struct fake_tree *t, const char *rel, const char *val)
{
	char p[1024];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", t->root, rel);
	f = fopen(p, "w");
	if (!f)
		die("write", p);
	fprintf(f, "%s\n", val);
	fclose(f);
}

const char *fake_read(struct fake_tree *t, const char *rel)
{
	static char buf[256];
	char p[1024];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", t->root, rel);
	buf[0] = '\0';
	f = fopen(p, "r");
	if (!f)
		return "(missing)";
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

/* dev_write: sys/bus/pci/devices/<bdf>/<file> */
static void dev_write(struct fake_tree *t, const char *bdf, const char *file, const char *val)
{
	char rel[256];

	snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s/%s", bdf, file);
	fake_write(t, rel, val);
}

static void dev_write_int(struct fake_tree *t, const char *bdf, const char *file, int val)
{
	char v[16];

	snprintf(v, sizeof(v), "%d", val);
	dev_write(t, bdf, file, v);
}

/* proc_write: proc/<pid>/<file>, making proc/<pid> */
static void proc_write(struct fake_tree *t, int pid, const char *file, const char *val)
{
	char rel[64];

	snprintf(rel, sizeof(rel), "proc/%d", pid);
	mkdirf(t, rel);
	snprintf(rel, sizeof(rel), "proc/%d/%s", pid, file);
	fake_write(t, rel, val);
}

void fake_tree_new(struct fake_tree *t)
{
	snprintf(t->root, sizeof(t->root), "/tmp/vfctl-test.XXXXXX");
	if (!mkdtemp(t->root))
		die("mkdtemp", t->root);
	snprintf(t->proc, sizeof(t->proc), "%s/proc", t->root);
	snprintf(t->state, sizeof(t->state), "%s/state", t->root);
	mkdirf(t, "sys/bus/pci/devices");
	mkdirf(t, "sys/bus/pci/drivers");
	mkdirf(t, "sys/class/net");
	mkdirf(t, "sys/kernel/iommu_groups");
	mkdirf(t, "proc");
	fake_write(t, "sys/bus/pci/drivers_probe", "");
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(p);
}

void fake_tree_free(struct fake_tree *t)
{
	nftw(t->root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

void fake_ctx(struct fake_tree *t, struct vfctl_ctx *ctx)
{
	vfctl_ctx_init(ctx);
	snprintf(ctx->sysfs_root, sizeof(ctx->sysfs_root), "%s", t->root);
	snprintf(ctx->proc_root, sizeof(ctx->proc_root), "%s", t->proc);
	snprintf(ctx->state_dir, sizeof(ctx->state_dir), "%s", t->state);
	ctx->no_netlink = true;
	ctx->timeout_ms = 200;
}

void fake_driver(struct fake_tree *t, const char *driver)
{
	char rel[256];

	snprintf(rel, sizeof(rel), "sys/bus/pci/drivers/%s", driver);
	mkdirf(t, rel);
}

void fake_device(struct fake_tree *t, const char *bdf, int group, const char *driver)
{
	char rel[256], target[256];

	snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s", bdf);
	mkdirf(t, rel);
	dev_write(t, bdf, "config", "");
	dev_write(t, bdf, "driver_override", "(null)");
	if (group >= 0) {
		snprintf(rel, sizeof(rel), "sys/kernel/iommu_groups/%d/devices", group);
		mkdirf(t, rel);
		snprintf(rel, sizeof(rel), "sys/kernel/iommu_groups/%d/devices/%s", group, bdf);
		snprintf(target, sizeof(target), "../../../../bus/pci/devices/%s", bdf);
		link_to(t, target, rel);
		snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s/iommu_group", bdf);
		snprintf(target, sizeof(target), "../../../../kernel/iommu_groups/%d", group);
		link_to(t, target, rel);
	}
	if (driver) {
		fake_driver(t, driver);
		snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s/driver", bdf);
		snprintf(target, sizeof(target), "../../drivers/%s", driver);
		link_to(t, target, rel);
	}
}

void fake_vfio_cdev(struct fake_tree *t, const char *bdf, const char *name)
{
	char rel[256];

	snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s/vfio-dev/%s", bdf, name);
	mkdirf(t, rel);
}

void fake_pf(struct fake_tree *t, const char *bdf, const char *ifname, int total, int num)
{
	char rel[256], target[256];

	fake_device(t, bdf, 1, "vfnic_pf");
	dev_write_int(t, bdf, "sriov_totalvfs", total);
	dev_write_int(t, bdf, "sriov_numvfs", num);
	dev_write(t, bdf, "sriov_drivers_autoprobe", "1");
	if (!ifname)
		return;
	snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s/net/%s", bdf, ifname);
	mkdirf(t, rel);
	snprintf(rel, sizeof(rel), "sys/class/net/%s", ifname);
	mkdirf(t, rel);
	snprintf(rel, sizeof(rel), "sys/class/net/%s/device", ifname);
	snprintf(target, sizeof(target), "../../../bus/pci/devices/%s", bdf);
	link_to(t, target, rel);
	snprintf(rel, sizeof(rel), "sys/class/net/%s/ifindex", ifname);
	fake_write(t, rel, "2");
}

void fake_vf(struct fake_tree *t, const char *pf_bdf, int index, const char *bdf, int group,
	     const char *driver)
{
	char rel[256], target[256];

	fake_device(t, bdf, group, driver);
	snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s/virtfn%d", pf_bdf, index);
	snprintf(target, sizeof(target), "../%s", bdf);
	link_to(t, target, rel);
}

void fake_holder(struct fake_tree *t, int pid, const char *comm, const char *target)
{
	char rel[256];

	proc_write(t, pid, "comm", comm);
	snprintf(rel, sizeof(rel), "proc/%d/fd", pid);
	mkdirf(t, rel);
	snprintf(rel, sizeof(rel), "proc/%d/fd/7", pid);
	link_to(t, target, rel);
}

void fake_process(struct fake_tree *t, int pid, const char *comm, char state,
		  unsigned long long start)
{
	char val[256];

	/* fields 4-21 (ppid ... itrealvalue), then 22: starttime */
	snprintf(val, sizeof(val),
		 "%d (%s) %c 1 %d %d 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 %llu 0 0", pid, comm,
		 state, pid, pid, start);
	proc_write(t, pid, "stat", val);
	proc_write(t, pid, "comm", comm);
}

int fake_state_set(struct vfctl_ctx *ctx, const char *text)
{
	json_error_t je;
	json_t *st = json_loads(text, 0, &je);
	int ret;

	if (!st) {
		fprintf(stderr, "state '%s': %s\n", text, je.text);
		return -1;
	}
	ret = vfctl_state_save(ctx, st);
	json_decref(st);
	return ret;
}

const char *fake_state_vm(struct vfctl_ctx *ctx, const char *pf, const char *ifname, int index)
{
	static char vm[64];
	json_t *st = vfctl_state_load(ctx);
	const char *v = vfctl_state_vm(st, pf, ifname, index);

	snprintf(vm, sizeof(vm), "%s", v ? v : "");
	json_decref(st);
	return vm;
}
