/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fake sysfs and /proc tree for the vfctl unit tests, made in a temporary
 * directory: PCI functions with SR-IOV files, virtfnN links, drivers, IOMMU
 * groups, netdevs, and processes holding files open.
 */
#ifndef VFCTL_FAKE_SYSFS_H
#define VFCTL_FAKE_SYSFS_H

#include "vfctl.h"

struct fake_tree {
	char root[256]; /* the fake sysfs root: root/sys/... */
	char proc[300]; /* root/proc */
	char state[300]; /* root/state */
};

void fake_tree_new(struct fake_tree *t);
void fake_tree_free(struct fake_tree *t);
/* a context pointing at the tree, netlink off, short timeouts */
void fake_ctx(struct fake_tree *t, struct vfctl_ctx *ctx);
void fake_write(struct fake_tree *t, const char *rel, const char *val);
/* fake_read: the first line of root/rel, static buffer */
const char *fake_read(struct fake_tree *t, const char *rel);
void fake_pf(struct fake_tree *t, const char *bdf, const char *ifname, int total, int num);
void fake_vf(struct fake_tree *t, const char *pf_bdf, int index, const char *bdf, int group,
	     const char *driver);
void fake_device(struct fake_tree *t, const char *bdf, int group, const char *driver);
void fake_driver(struct fake_tree *t, const char *driver);
/* fake_vfio_cdev: the VF's VFIO device file for iommufd, /dev/vfio/devices/<name> */
void fake_vfio_cdev(struct fake_tree *t, const char *bdf, const char *name);
/* fake_process: /proc/<pid>/stat of a process in state ('S', 'Z') started at start */
void fake_process(struct fake_tree *t, int pid, const char *comm, char state,
		  unsigned long long start);
void fake_holder(struct fake_tree *t, int pid, const char *comm, const char *target);
/* fake_state_set: the context's state.json from text; -1 (reason on stderr) if not JSON */
int fake_state_set(struct vfctl_ctx *ctx, const char *text);
/* fake_state_vm: the VM VF index of pf (by address or interface) is assigned to, "" if none */
const char *fake_state_vm(struct vfctl_ctx *ctx, const char *pf, const char *ifname, int index);

#endif
