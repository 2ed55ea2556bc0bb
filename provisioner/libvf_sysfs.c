// SPDX-License-Identifier: GPL-2.0
/*
 * libvf_sysfs.c: PFs and VFs as sysfs shows them. A PF is named by its
 * interface or its PCI address; a VF is a PF and an index, its BDF and IOMMU
 * group are read from the virtfnN link every time, never stored.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vfctl.h"

static int pf_fill(struct vfctl_ctx *ctx, struct vfctl_pf *pf)
{
	char p[PATH_MAX];
	struct dirent *de;
	DIR *d;

	if (vfctl_path(ctx, p, sizeof(p), "/sys/bus/pci/devices/%s/sriov_totalvfs", pf->bdf))
		return -1;
	if (vfctl_read_int(p, &pf->total_vfs))
		return vfctl_error(ctx, "PF %s: not SR-IOV capable (no sriov_totalvfs)", pf->bdf);
	vfctl_path(ctx, p, sizeof(p), "/sys/bus/pci/devices/%s/sriov_numvfs", pf->bdf);
	if (vfctl_read_int(p, &pf->num_vfs))
		return vfctl_error(ctx, "PF %s: cannot read sriov_numvfs: %s", pf->bdf,
				   strerror(errno));
	vfctl_path(ctx, p, sizeof(p), "/sys/bus/pci/devices/%s/sriov_drivers_autoprobe", pf->bdf);
	if (vfctl_read_int(p, &pf->autoprobe))
		pf->autoprobe = -1;

	pf->ifname[0] = '\0';
	pf->ifindex = 0;
	vfctl_path(ctx, p, sizeof(p), "/sys/bus/pci/devices/%s/net", pf->bdf);
	d = opendir(p);
	if (d) {
		while ((de = readdir(d))) {
			if (de->d_name[0] == '.' || strlen(de->d_name) >= sizeof(pf->ifname))
				continue;
			strcpy(pf->ifname, de->d_name);
			break;
		}
		closedir(d);
	}
	if (pf->ifname[0]) {
		vfctl_path(ctx, p, sizeof(p), "/sys/class/net/%s/ifindex", pf->ifname);
		if (vfctl_read_int(p, &pf->ifindex))
			pf->ifindex = 0;
	}
	return 0;
}

int vfctl_pf_lookup(struct vfctl_ctx *ctx, const char *name, struct vfctl_pf *pf)
{
	char p[PATH_MAX], bdf[VFCTL_NAME_LEN];

	memset(pf, 0, sizeof(*pf));
	if (vfctl_is_bdf(name)) {
		snprintf(bdf, sizeof(bdf), "%s", name);
		vfctl_path(ctx, p, sizeof(p), "/sys/bus/pci/devices/%s", bdf);
		if (access(p, F_OK))
			return vfctl_error(ctx, "PF %s: no such PCI device", name);
	} else {
		if (strlen(name) >= VFCTL_NAME_LEN || strchr(name, '/') || !name[0])
			return vfctl_error(ctx, "PF '%s': not an interface name or PCI address",
					   name);
		vfctl_path(ctx, p, sizeof(p), "/sys/class/net/%s", name);
		if (access(p, F_OK))
			return vfctl_error(ctx, "PF %s: no such interface", name);
		vfctl_path(ctx, p, sizeof(p), "/sys/class/net/%s/device", name);
		if (vfctl_link_base(p, bdf, sizeof(bdf)) || !vfctl_is_bdf(bdf))
			return vfctl_error(ctx, "PF %s: interface is not a PCI device", name);
	}
	memcpy(pf->bdf, bdf, VFCTL_BDF_LEN - 1); /* a BDF: 12 characters */
	return pf_fill(ctx, pf);
}

static int bdf_cmp(const void *a, const void *b)
{
	return strcmp(((const struct vfctl_pf *)a)->bdf, ((const struct vfctl_pf *)b)->bdf);
}

/* vfctl_pf_list: every SR-IOV capable function; *pfs is malloc'ed */
int vfctl_pf_list(struct vfctl_ctx *ctx, struct vfctl_pf **pfs)
{
	char p[PATH_MAX];
	struct dirent *de;
	struct vfctl_pf *v = NULL, *nv;
	int n = 0;
	DIR *d;

	*pfs = NULL;
	vfctl_path(ctx, p, sizeof(p), "/sys/bus/pci/devices");
	d = opendir(p);
	if (!d)
		return vfctl_error(ctx, "%s: %s", p, strerror(errno));
	while ((de = readdir(d))) {
		struct vfctl_pf pf = { 0 };

		if (!vfctl_is_bdf(de->d_name))
			continue;
		memcpy(pf.bdf, de->d_name, VFCTL_BDF_LEN - 1);
		if (pf_fill(ctx, &pf))
			continue;
		nv = realloc(v, (n + 1) * sizeof(*v));
		if (!nv) {
			free(v);
			closedir(d);
			return vfctl_error(ctx, "out of memory");
		}
		v = nv;
		v[n++] = pf;
	}
	closedir(d);
	ctx->err[0] = '\0';
	if (n)
		qsort(v, n, sizeof(*v), bdf_cmp);
	*pfs = v;
	return n;
}

int vfctl_vf_lookup(struct vfctl_ctx *ctx, const struct vfctl_pf *pf, int index,
		    struct vfctl_vf *vf)
{
	char p[PATH_MAX], buf[VFCTL_NAME_LEN];

	memset(vf, 0, sizeof(*vf));
	vf->index = index;
	vf->group = -1;
	if (index < 0 || index >= pf->num_vfs)
		return vfctl_error(ctx, "PF %s: VF %d does not exist (%d VFs)", pf->bdf, index,
				   pf->num_vfs);
	vfctl_path(ctx, p, sizeof(p), "/sys/bus/pci/devices/%s/virtfn%d", pf->bdf, index);
	if (vfctl_link_base(p, vf->bdf, sizeof(vf->bdf)))
		return vfctl_error(ctx, "PF %s: VF %d has no PCI device (virtfn%d: %s)", pf->bdf,
				   index, index, strerror(errno));
	vfctl_path(ctx, p, sizeof(p), "/sys/bus/pci/devices/%s/driver", vf->bdf);
	if (vfctl_link_base(p, vf->driver, sizeof(vf->driver)))
		vf->driver[0] = '\0';
	vfctl_path(ctx, p, sizeof(p), "/sys/bus/pci/devices/%s/iommu_group", vf->bdf);
	if (!vfctl_link_base(p, buf, sizeof(buf)))
		vf->group = atoi(buf);
	if (vf->group >= 0 && !strcmp(vf->driver, "vfio-pci"))
		vfctl_find_holder(ctx, vf->bdf, vf->group, &vf->holder);
	return 0;
}

int vfctl_set_autoprobe(struct vfctl_ctx *ctx, struct vfctl_pf *pf, bool on)
{
	char p[PATH_MAX];

	if (pf->autoprobe == (int)on)
		return 0;
	if (pf->autoprobe < 0)
		return vfctl_error(ctx, "PF %s: no sriov_drivers_autoprobe", pf->bdf);
	vfctl_path(ctx, p, sizeof(p), "/sys/bus/pci/devices/%s/sriov_drivers_autoprobe", pf->bdf);
	if (vfctl_write_str(p, on ? "1" : "0"))
		return vfctl_error(ctx, "PF %s: writing sriov_drivers_autoprobe: %s", pf->bdf,
				   strerror(errno));
	pf->autoprobe = on;
	return 0;
}
