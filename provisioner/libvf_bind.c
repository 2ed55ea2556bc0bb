// SPDX-License-Identifier: GPL-2.0
/*
 * libvf_bind.c: binding a VF to a driver through driver_override and
 * drivers_probe (never new_id, which grabs every device with that ID), with
 * the IOMMU group checked for VFIO viability first.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vfctl.h"

/*
 * vfctl_group_viable: every other member of the VF's IOMMU group must be
 * bound to vfio-pci, to pcieport (bridges) or to nothing.
 */
int vfctl_group_viable(struct vfctl_ctx *ctx, const struct vfctl_vf *vf)
{
	char p[PATH_MAX], drv[VFCTL_NAME_LEN];
	struct dirent *de;
	DIR *d;
	int ret = 0;

	if (vf->group < 0)
		return vfctl_error(ctx,
				   "VF %d (%s): no IOMMU group; VFIO needs the IOMMU "
				   "(intel_iommu=on)",
				   vf->index, vf->bdf);
	vfctl_path(ctx, p, sizeof(p), "/sys/kernel/iommu_groups/%d/devices", vf->group);
	d = opendir(p);
	if (!d)
		return vfctl_error(ctx, "VF %d (%s): IOMMU group %d: %s: %s", vf->index, vf->bdf,
				   vf->group, p, strerror(errno));
	while ((de = readdir(d))) {
		char dp[PATH_MAX];

		if (de->d_name[0] == '.' || !strcmp(de->d_name, vf->bdf))
			continue;
		if (vfctl_path(ctx, dp, sizeof(dp), "/sys/bus/pci/devices/%s/driver", de->d_name))
			continue;
		if (vfctl_link_base(dp, drv, sizeof(drv)))
			continue;
		if (!strcmp(drv, "vfio-pci") || !strcmp(drv, "pcieport"))
			continue;
		ret = vfctl_error(ctx,
				  "VF %d (%s): IOMMU group %d is not viable for VFIO: %s in the "
				  "same group is bound to %s",
				  vf->index, vf->bdf, vf->group, de->d_name, drv);
		break;
	}
	closedir(d);
	return ret;
}

static int load_vfio(struct vfctl_ctx *ctx)
{
	char p[PATH_MAX];
	pid_t pid;
	int st;

	vfctl_path(ctx, p, sizeof(p), "/sys/bus/pci/drivers/vfio-pci");
	if (!access(p, F_OK))
		return 0;
	if (ctx->sysfs_root[0])
		return vfctl_error(ctx, "vfio-pci: driver not loaded (%s missing)", p);
	pid = fork();
	if (pid == 0) {
		execlp("modprobe", "modprobe", "vfio-pci", (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
		return vfctl_error(ctx, "vfio-pci: driver not loaded and modprobe vfio-pci failed");
	if (access(p, F_OK))
		return vfctl_error(ctx, "vfio-pci: %s missing after modprobe", p);
	return 0;
}

/*
 * vfctl_driver_check: a driver other than "default" and vfio-pci (which
 * bind loads itself) must be registered already; otherwise drivers_probe
 * binds nothing and the VF is left unbound, so a typo is caught before any
 * change.
 */
int vfctl_driver_check(struct vfctl_ctx *ctx, const char *driver)
{
	char p[PATH_MAX];

	if (!driver[0] || !strcmp(driver, "default") || !strcmp(driver, "vfio-pci"))
		return 0;
	/* the name becomes a path component below */
	if (strchr(driver, '/') || driver[0] == '.')
		return vfctl_error(ctx, "driver '%s': not a driver name", driver);
	if (vfctl_path(ctx, p, sizeof(p), "/sys/bus/pci/drivers/%s", driver))
		return -1;
	if (access(p, F_OK))
		return vfctl_error(ctx, "driver '%s': no such PCI driver (%s missing; not loaded?)",
				   driver, p);
	return 0;
}

/* restore_override: driver_override of @bdf back to @old (as read before a failed bind) */
static void restore_override(struct vfctl_ctx *ctx, const char *bdf, const char *old)
{
	char p[PATH_MAX], err[VFCTL_ERR_LEN];

	vfctl_path(ctx, p, sizeof(p), "/sys/bus/pci/devices/%s/driver_override", bdf);
	/* the kernel shows no override as "(null)"; it clears one on "\n" */
	if (!vfctl_write_str(p, old[0] && strcmp(old, "(null)") ? old : "\n"))
		return;
	memcpy(err, ctx->err, sizeof(err));
	vfctl_error(ctx, "%.900s; restoring driver_override: %s", err, strerror(errno));
}

/* vfctl_bind: driver "vfio-pci", another driver name, or "default" (no override) */
int vfctl_bind(struct vfctl_ctx *ctx, const struct vfctl_pf *pf, int index, const char *driver)
{
	bool deflt = !strcmp(driver, "default") || !driver[0];
	char p[PATH_MAX], old[VFCTL_NAME_LEN], bdf[VFCTL_BDF_LEN];
	struct vfctl_vf vf;

	if (vfctl_driver_check(ctx, driver) || vfctl_vf_lookup(ctx, pf, index, &vf))
		return -1;
	if (!deflt && !strcmp(vf.driver, driver))
		return 0;
	if (!strcmp(driver, "vfio-pci")) {
		if (load_vfio(ctx) || vfctl_group_viable(ctx, &vf))
			return -1;
	}
	if (vf.holder.pid)
		return vfctl_error(ctx, "VF %d (%s): held open by pid %d (%s); not rebinding",
				   index, vf.bdf, (int)vf.holder.pid, vf.holder.comm);
	vfctl_path(ctx, p, sizeof(p), "/sys/bus/pci/devices/%s/driver_override", vf.bdf);
	if (vfctl_read_str(p, old, sizeof(old)))
		old[0] = '\0';
	memcpy(bdf, vf.bdf, sizeof(bdf));
	if (vfctl_write_str(p, deflt ? "\n" : driver))
		return vfctl_error(ctx, "VF %d (%s): writing driver_override: %s", index, vf.bdf,
				   strerror(errno));
	if (vf.driver[0]) {
		vfctl_path(ctx, p, sizeof(p), "/sys/bus/pci/devices/%s/driver/unbind", vf.bdf);
		if (vfctl_write_str(p, vf.bdf)) {
			vfctl_error(ctx, "VF %d (%s): unbinding from %s: %s", index, vf.bdf,
				    vf.driver, strerror(errno));
			goto fail;
		}
	}
	vfctl_path(ctx, p, sizeof(p), "/sys/bus/pci/drivers_probe");
	/* with no driver matching, drivers_probe fails: fine for "default" */
	if (vfctl_write_str(p, vf.bdf) && !deflt) {
		vfctl_error(ctx, "VF %d (%s): drivers_probe for %s: %s", index, vf.bdf, driver,
			    strerror(errno));
		goto fail;
	}
	if (vfctl_vf_lookup(ctx, pf, index, &vf))
		goto fail;
	if (!deflt && strcmp(vf.driver, driver)) {
		vfctl_error(ctx, "VF %d (%s): expected driver %s after drivers_probe, seen %s",
			    index, vf.bdf, driver, vf.driver[0] ? vf.driver : "none");
		goto fail;
	}
	return 0;
fail:
	/* an override left behind would bind the VF to the failed driver at its next probe */
	restore_override(ctx, bdf, old);
	return -1;
}
