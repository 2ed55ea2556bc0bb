// SPDX-License-Identifier: GPL-2.0
/*
 * libvf_sriov.c: changing the number of VFs. The kernel refuses N->M with
 * both nonzero, so vfctl goes through 0, but only once no VF is in use (held
 * open through VFIO or assigned to a VM) unless ctx->force. After the write
 * it waits, bounded, until every VF has its PCI device and the PF's netlink
 * VF table lists it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "vfctl.h"

/* vfctl_vf_in_use: 1 and a reason in why if VF index is in use */
int vfctl_vf_in_use(struct vfctl_ctx *ctx, const struct vfctl_pf *pf, int index, char *why,
		    size_t len)
{
	struct vfctl_vf vf;
	json_t *st;
	const char *vm;
	int busy = 0;

	if (vfctl_vf_lookup(ctx, pf, index, &vf))
		return 0;
	if (vf.holder.pid) {
		snprintf(why, len, "VF %d (%s) is held open by pid %d (%s) through %s", index,
			 vf.bdf, (int)vf.holder.pid, vf.holder.comm, vf.holder.dev);
		return 1;
	}
	st = vfctl_state_load(ctx);
	if (!st) {
		/* the assignments are unknown: any VF may be a VM's */
		snprintf(why, len, "%s", ctx->err);
		return 1;
	}
	vm = vfctl_state_vm(st, pf->bdf, pf->ifname, index);
	if (vm && vm[0]) {
		snprintf(why, len, "VF %d (%s) is assigned to VM %s", index, vf.bdf, vm);
		busy = 1;
	}
	json_decref(st);
	return busy;
}

/*
 * vfctl_wait_ready: until each of the first n VFs has its PCI device and
 * is in the PF's netlink VF table (the PF driver has set it up), bounded by
 * ctx->timeout_ms; the error names the first VF that is not ready.
 */
int vfctl_wait_ready(struct vfctl_ctx *ctx, struct vfctl_pf *pf, int n)
{
	long long start = vfctl_now_ms(), deadline = start + ctx->timeout_ms;
	char p[PATH_MAX], bdf[VFCTL_BDF_LEN];
	int i = 0, nl = 0, waits = 0;

	for (;;) {
		for (; i < n; i++) {
			vfctl_path(ctx, p, sizeof(p), "/sys/bus/pci/devices/%s/virtfn%d", pf->bdf,
				   i);
			if (vfctl_link_base(p, bdf, sizeof(bdf)))
				break;
			vfctl_path(ctx, p, sizeof(p), "/sys/bus/pci/devices/%s/config", bdf);
			if (access(p, F_OK))
				break;
		}
		if (i == n) {
			if (ctx->no_netlink || !pf->ifname[0])
				break;
			nl = vfctl_nl_vfs_ready(ctx, pf, n);
			if (nl < 0)
				return -1;
			if (nl == n)
				break;
		}
		if (vfctl_now_ms() >= deadline) {
			if (i < n)
				return vfctl_error(ctx,
						   "PF %s: timed out after %d ms waiting for VF %d "
						   "to appear (virtfn%d)",
						   pf->bdf, ctx->timeout_ms, i, i);
			return vfctl_error(ctx,
					   "PF %s: timed out after %d ms waiting for VF %d in %s's "
					   "netlink VF table (the PF driver has not set it up; "
					   "%d of %d VFs ready)",
					   pf->bdf, ctx->timeout_ms, nl, pf->ifname, nl, n);
		}
		vfctl_sleep_ms(50);
		waits++;
	}
	if (waits)
		vfctl_log(ctx, "PF %s: %d VFs ready after %lld ms", pf->bdf, n,
			  vfctl_now_ms() - start);
	return 0;
}

static int write_numvfs(struct vfctl_ctx *ctx, struct vfctl_pf *pf, int n)
{
	char p[PATH_MAX], val[16];

	vfctl_path(ctx, p, sizeof(p), "/sys/bus/pci/devices/%s/sriov_numvfs", pf->bdf);
	snprintf(val, sizeof(val), "%d", n);
	if (vfctl_write_str(p, val))
		return vfctl_error(ctx, "PF %s: writing %d to sriov_numvfs: %s", pf->bdf, n,
				   strerror(errno));
	pf->num_vfs = n;
	return 0;
}

/* vfctl_set_numvfs: N -> M through 0, refusing while a VF is in use */
int vfctl_set_numvfs(struct vfctl_ctx *ctx, struct vfctl_pf *pf, int n)
{
	char why[512], busy[768];
	int i;

	if (n < 0 || n > pf->total_vfs)
		return vfctl_error(ctx, "PF %s: %d VFs requested, the device has %d", pf->bdf, n,
				   pf->total_vfs);
	if (n == pf->num_vfs)
		return 0;
	if (pf->num_vfs) {
		size_t len = 0;

		busy[0] = '\0';
		for (i = 0; i < pf->num_vfs; i++) {
			if (!vfctl_vf_in_use(ctx, pf, i, why, sizeof(why)))
				continue;
			/* an unreadable state gives every VF the same reason: say it once */
			if (strstr(busy, why))
				continue;
			if (ctx->force)
				vfctl_log(ctx, "PF %s: --force: removing VFs although %s", pf->bdf,
					  why);
			if (len < sizeof(busy))
				len += snprintf(busy + len, sizeof(busy) - len, "%s%s",
						len ? "; " : "", why);
		}
		if (busy[0] && !ctx->force)
			return vfctl_error(
				ctx, "PF %s: refusing to remove VFs: %s (use --force to override)",
				pf->bdf, busy);
		if (write_numvfs(ctx, pf, 0))
			return -1;
	}
	if (n && write_numvfs(ctx, pf, n))
		return -1;
	return vfctl_wait_ready(ctx, pf, n);
}
