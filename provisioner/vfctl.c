// SPDX-License-Identifier: GPL-2.0
/*
 * vfctl: create, configure, bind and assign SR-IOV VFs (docs/vfctl.md).
 *
 *   vfctl [options] status [--json] [PF]
 *   vfctl [options] create PF N
 *   vfctl [options] destroy PF
 *   vfctl [options] set PF VF ATTR VALUE [ATTR VALUE...]
 *   vfctl [options] bind PF VF vfio-pci|default|DRIVER
 *   vfctl [options] apply FILE
 *   vfctl [options] assign PF VF --vm NAME [--qmp SOCKET | --libvirt]
 *   vfctl [options] release PF VF [--qmp SOCKET]
 *   vfctl [options] reconcile
 *   vfctl [options] install-unit FILE [--unit-dir DIR]
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vfctl.h"
#include "vfctl_config.h"
#include "vfctl_status.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: vfctl [options] COMMAND ...\n"
		   "  status [--json] [PF]            PFs and VFs: BDF, driver, IOMMU group, "
		   "attributes, holder, VM\n"
		   "  create PF N                     N VFs (N->M through 0, refused while a VF is "
		   "in use)\n"
		   "  destroy PF                      0 VFs (refused while a VF is in use)\n"
		   "  set PF VF ATTR VALUE...         mac, vlan, qos, proto, rate, spoofchk, "
		   "trust, state\n"
		   "  bind PF VF vfio-pci|default     driver_override + drivers_probe\n"
		   "  apply FILE                      declarative YAML or JSON configuration\n"
		   "  check FILE                      validate FILE, change nothing\n"
		   "  assign PF VF --vm NAME [--qmp SOCKET [--bus BUS] | --libvirt]\n"
		   "                                  bind to vfio-pci, record; print QEMU "
		   "arguments or\n"
		   "                                  libvirt <hostdev>, or hot-plug through QMP\n"
		   "  release PF VF [--qmp SOCKET]    unplug (device_del), forget the VM, restore "
		   "the\n"
		   "                                  configured attributes and driver\n"
		   "  reconcile                       release the VFs whose VM (QEMU) has exited\n"
		   "  install-unit FILE [--unit-dir DIR]\n"
		   "                                  systemd unit running apply FILE at boot "
		   "(enabled)\n"
		   "PF: interface name or PCI address; VF: index.\n"
		   "options: --sysfs-root DIR (fake tree, no netlink), --proc-root DIR, "
		   "--state-dir DIR,\n"
		   "         --timeout SECONDS (readiness waits, default 10), --force, --autoprobe "
		   "on|off\n");
}

/* parse_num: 0..max; a VF count goes up to VFCTL_MAX_VFS, an index one less */
static int parse_num(struct vfctl_ctx *ctx, const char *s, int max, const char *what, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (!*s || *end || v < 0 || v > max)
		return vfctl_error(ctx, "'%s' is not a VF %s (0-%d)", s, what, max);
	*out = (int)v;
	return 0;
}

static int parse_index(struct vfctl_ctx *ctx, const char *s, int *out)
{
	return parse_num(ctx, s, VFCTL_MAX_VFS - 1, "index", out);
}

/* parse_timeout: SECONDS (a decimal, 0.001 <= T <= 3600) in ms; the bound keeps it in an int */
static int parse_timeout(const char *s, int *ms)
{
	char *end;
	double t = strtod(s, &end);

	/* below 1 ms it would become 0 ms: no wait at all */
	if (end == s || *end || !isfinite(t) || t * 1000 < 1 || t > 3600)
		return -1;
	*ms = (int)(t * 1000);
	return 0;
}

static int cmd_status(struct vfctl_ctx *ctx, bool json, const char *pf)
{
	json_t *st = vfctl_status_json(ctx, pf);

	if (!st)
		return -1;
	if (json) {
		json_dumpf(st, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
	} else {
		vfctl_status_print(st, stdout);
	}
	json_decref(st);
	return 0;
}

/* lock_pf: the state lock's fd with PF @name looked up into @pf, or -1 (unlocked) */
static int lock_pf(struct vfctl_ctx *ctx, const char *name, struct vfctl_pf *pf)
{
	int lock = vfctl_state_lock(ctx);

	if (lock >= 0 && vfctl_pf_lookup(ctx, name, pf)) {
		vfctl_state_unlock(ctx, lock);
		return -1;
	}
	return lock;
}

static int cmd_numvfs(struct vfctl_ctx *ctx, const char *name, int n, int autoprobe)
{
	struct vfctl_pf pf;
	int lock, r = -1;

	lock = lock_pf(ctx, name, &pf);
	if (lock < 0)
		return -1;
	if (autoprobe >= 0 && vfctl_set_autoprobe(ctx, &pf, autoprobe))
		goto out;
	if (pf.num_vfs == n) {
		vfctl_log(ctx, "PF %s: already %d VFs, nothing to change", name, n);
		r = 0;
		goto out;
	}
	if (vfctl_set_numvfs(ctx, &pf, n))
		goto out;
	vfctl_log(ctx, "PF %s: %d VFs", name, n);
	r = 0;
out:
	vfctl_state_unlock(ctx, lock);
	return r;
}

static int cmd_set(struct vfctl_ctx *ctx, const char *name, int vf, int argc, char **argv)
{
	struct vfctl_attrs have, want;
	struct vfctl_pf pf;
	char what[64], desc[256];
	int d;

	if (vfctl_pf_lookup(ctx, name, &pf))
		return -1;
	snprintf(what, sizeof(what), "PF %s VF %d", name, vf);
	if (vf >= pf.num_vfs)
		return vfctl_error(ctx, "%s: no such VF (%d VFs)", what, pf.num_vfs);
	if (vfctl_nl_get(ctx, &pf, vf, &have))
		return -1;
	if (vfctl_set_parse(ctx, &have, argc, argv, what, &want))
		return -1;
	d = vfctl_attrs_diff(&want, &have);
	if (!d) {
		vfctl_log(ctx, "%s: nothing to change", what);
		return 0;
	}
	want.mask = d;
	if (vfctl_nl_set(ctx, &pf, vf, &want))
		return -1;
	vfctl_attrs_describe(&want, d, desc, sizeof(desc));
	vfctl_log(ctx, "%s: %s", what, desc);
	return 0;
}

static int cmd_bind(struct vfctl_ctx *ctx, const char *name, int vf, const char *drv)
{
	struct vfctl_pf pf;
	int lock, r;

	lock = lock_pf(ctx, name, &pf);
	if (lock < 0)
		return -1;
	r = vfctl_bind(ctx, &pf, vf, drv);
	if (!r)
		vfctl_log(ctx, "PF %s VF %d: driver %s", name, vf, drv);
	vfctl_state_unlock(ctx, lock);
	return r;
}

static int cmd_apply(struct vfctl_ctx *ctx, const char *file, bool check)
{
	struct vfctl_config cfg;
	int r;

	if (vfctl_config_load(ctx, file, &cfg))
		return -1;
	if (check) {
		vfctl_log(ctx, "%s: valid, %d PF(s)", file, cfg.npfs);
		vfctl_config_free(&cfg);
		return 0;
	}
	r = vfctl_apply(ctx, &cfg);
	vfctl_config_free(&cfg);
	return r < 0 ? -1 : 0;
}

static int cmd_assign(struct vfctl_ctx *ctx, const char *name, int idx, const char *vm,
		      const char *qmp, bool libvirt, const char *bus)
{
	struct vfctl_assign_opts o = {
		.form = qmp	  ? VFCTL_QMP
			: libvirt ? VFCTL_LIBVIRT_XML
				  : VFCTL_QEMU_ARGS,
		.qmp_path = qmp,
		.bus = bus,
		.out = stdout,
	};
	struct vfctl_pf pf;
	int lock, r;

	lock = lock_pf(ctx, name, &pf);
	if (lock < 0)
		return -1;
	if (vm)
		r = vfctl_assign(ctx, &pf, idx, vm, &o);
	else
		r = vfctl_release(ctx, &pf, idx, qmp);
	if (!r && !vm)
		vfctl_log(ctx, "PF %s VF %d: released", name, idx);
	vfctl_state_unlock(ctx, lock);
	return r;
}

static int cmd_reconcile(struct vfctl_ctx *ctx)
{
	int lock, r, failed;

	lock = vfctl_state_lock(ctx);
	if (lock < 0)
		return -1;
	r = vfctl_reconcile(ctx, &failed);
	if (r == 0 && !failed)
		vfctl_log(ctx, "no VF to release: every assigned VM is running or unknown");
	else if (r > 0)
		vfctl_log(ctx, "released %d VF(s) whose VM has exited", r);
	vfctl_state_unlock(ctx, lock);
	if (r >= 0 && failed)
		return vfctl_error(ctx, "%d VF(s) whose VM has exited not released", failed);
	return r < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "sysfs-root", required_argument, NULL, 'S' },
		{ "proc-root", required_argument, NULL, 'P' },
		{ "state-dir", required_argument, NULL, 'D' },
		{ "timeout", required_argument, NULL, 't' },
		{ "force", no_argument, NULL, 'f' },
		{ "json", no_argument, NULL, 'j' },
		{ "vm", required_argument, NULL, 'v' },
		{ "autoprobe", required_argument, NULL, 'a' },
		{ "qmp", required_argument, NULL, 'q' },
		{ "libvirt", no_argument, NULL, 'l' },
		{ "bus", required_argument, NULL, 'b' },
		{ "unit-dir", required_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct vfctl_ctx ctx;
	const char *vm = NULL, *qmp = NULL, *bus = NULL, *cmd;
	const char *unit_dir = "/etc/systemd/system";
	bool json = false, libvirt = false;
	int c, r = -1, idx, autoprobe = -1;

	vfctl_ctx_init(&ctx);
	while ((c = getopt_long(argc, argv, "fh", opts, NULL)) != -1) {
		switch (c) {
		case 'S':
			snprintf(ctx.sysfs_root, sizeof(ctx.sysfs_root), "%s", optarg);
			ctx.no_netlink = true;
			break;
		case 'P':
			snprintf(ctx.proc_root, sizeof(ctx.proc_root), "%s", optarg);
			break;
		case 'D':
			snprintf(ctx.state_dir, sizeof(ctx.state_dir), "%s", optarg);
			break;
		case 't':
			if (parse_timeout(optarg, &ctx.timeout_ms)) {
				fprintf(stderr,
					"vfctl: --timeout '%s': expected seconds, 0 < T <= 3600\n",
					optarg);
				return 2;
			}
			break;
		case 'f':
			ctx.force = true;
			break;
		case 'j':
			json = true;
			break;
		case 'v':
			vm = optarg;
			break;
		case 'q':
			qmp = optarg;
			break;
		case 'l':
			libvirt = true;
			break;
		case 'b':
			bus = optarg;
			break;
		case 'u':
			unit_dir = optarg;
			break;
		case 'a':
			autoprobe = !strcmp(optarg, "on") ? 1 : !strcmp(optarg, "off") ? 0 : -2;
			if (autoprobe == -2) {
				fprintf(stderr, "vfctl: --autoprobe '%s': expected on or off\n",
					optarg);
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1) {
		usage(stderr);
		return 2;
	}
	cmd = argv[0];
	if (!strcmp(cmd, "status") && argc <= 2) {
		r = cmd_status(&ctx, json, argc == 2 ? argv[1] : NULL);
	} else if (!strcmp(cmd, "create") && argc == 3) {
		if (!parse_num(&ctx, argv[2], VFCTL_MAX_VFS, "count", &idx))
			r = cmd_numvfs(&ctx, argv[1], idx, autoprobe);
	} else if (!strcmp(cmd, "destroy") && argc == 2) {
		r = cmd_numvfs(&ctx, argv[1], 0, autoprobe);
	} else if (!strcmp(cmd, "set") && argc >= 5) {
		if (!parse_index(&ctx, argv[2], &idx))
			r = cmd_set(&ctx, argv[1], idx, argc - 3, argv + 3);
	} else if (!strcmp(cmd, "bind") && argc == 4) {
		if (!parse_index(&ctx, argv[2], &idx))
			r = cmd_bind(&ctx, argv[1], idx, argv[3]);
	} else if ((!strcmp(cmd, "apply") || !strcmp(cmd, "check")) && argc == 2) {
		r = cmd_apply(&ctx, argv[1], !strcmp(cmd, "check"));
	} else if (!strcmp(cmd, "assign") && argc == 3 && vm) {
		if (!parse_index(&ctx, argv[2], &idx))
			r = cmd_assign(&ctx, argv[1], idx, vm, qmp, libvirt, bus);
	} else if (!strcmp(cmd, "install-unit") && argc == 2) {
		r = vfctl_install_unit(&ctx, argv[1], unit_dir);
	} else if (!strcmp(cmd, "reconcile") && argc == 1) {
		r = cmd_reconcile(&ctx);
	} else if (!strcmp(cmd, "release") && argc == 3) {
		if (!parse_index(&ctx, argv[2], &idx))
			r = cmd_assign(&ctx, argv[1], idx, NULL, qmp, false, NULL);
	} else {
		usage(stderr);
		vfctl_ctx_fini(&ctx);
		return 2;
	}
	if (r)
		fprintf(stderr, "vfctl: %s\n", ctx.err[0] ? ctx.err : "failed");
	vfctl_ctx_fini(&ctx);
	return r ? 1 : 0;
}
