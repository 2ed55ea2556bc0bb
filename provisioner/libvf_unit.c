// SPDX-License-Identifier: GPL-2.0
/*
 * libvf_unit.c: vfctl install-unit, the systemd unit that brings a
 * configuration back at boot. It is written for one configuration file:
 * ordered after (and bound to) the network device of every PF the file
 * names, so apply runs once the PF driver has made its netdev, and before
 * network-pre.target, so no VF netdev appears and flaps before it; then
 * enabled the way systemctl enable does it (a link in
 * multi-user.target.wants), which needs no running systemd.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vfctl_config.h"

/* a name as systemd escapes it inside a unit name (systemd-escape) */
static void unit_escape(const char *s, char *buf, size_t len)
{
	size_t n = 0;

	for (; *s && n + 5 < len; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == ':' || c == '_' || (c == '.' && n))
			buf[n++] = (char)c;
		else
			n += (size_t)snprintf(buf + n, len - n, "\\x%02x", c);
	}
	buf[n] = '\0';
}

/* the device unit of the PF's netdev: named by interface, or its current one */
static void pf_device_unit(struct vfctl_ctx *ctx, const char *name, char *buf, size_t len)
{
	struct vfctl_pf pf;
	char esc[4 * VFCTL_NAME_LEN + 8];
	const char *ifname = name;

	buf[0] = '\0';
	if (vfctl_is_bdf(name)) {
		if (vfctl_pf_lookup(ctx, name, &pf) || !pf.ifname[0]) {
			ctx->err[0] = '\0';
			return;
		}
		ifname = pf.ifname;
	}
	unit_escape(ifname, esc, sizeof(esc));
	snprintf(buf, len, "sys-subsystem-net-devices-%s.device", esc);
}

static int write_unit(struct vfctl_ctx *ctx, const struct vfctl_config *cfg, const char *exe,
		      const char *conf, FILE *f)
{
	char dev[4 * VFCTL_NAME_LEN + 64];
	int i;

	fprintf(f,
		"# Written by vfctl install-unit (docs/vfctl.md): at boot, bring back the SR-IOV\n"
		"# VF configuration of %s (VF counts, attributes, drivers).\n"
		"[Unit]\n"
		"Description=SR-IOV VF configuration (vfctl apply %s)\n"
		"# after the PF drivers' devices are up; before the network is configured, so\n"
		"# no VF netdev appears and flaps in between\n"
		"After=systemd-modules-load.service systemd-udev-settle.service\n"
		"Before=network-pre.target\n"
		"Wants=network-pre.target\n",
		conf, conf);
	for (i = 0; i < cfg->npfs; i++) {
		pf_device_unit(ctx, cfg->pfs[i].name, dev, sizeof(dev));
		if (dev[0])
			fprintf(f, "# PF %s\nBindsTo=%s\nAfter=%s\n", cfg->pfs[i].name, dev, dev);
		else
			fprintf(f, "# PF %s: no network interface now, ordered after udev only\n",
				cfg->pfs[i].name);
	}
	fprintf(f,
		"ConditionPathExists=%s\n"
		"\n"
		"[Service]\n"
		"Type=oneshot\n"
		"RemainAfterExit=yes\n"
		"# the readiness waits are bounded; give slow PFs a minute\n"
		"ExecStart=%s --state-dir %s --timeout 60 apply %s\n"
		"\n"
		"[Install]\n"
		"WantedBy=multi-user.target\n",
		conf, exe, ctx->state_dir, conf);
	return ferror(f) ? -1 : 0;
}

/* systemd would split or expand these in ExecStart= and ConditionPathExists= */
static bool unit_safe(const char *path)
{
	return !strpbrk(path, " \t\n\"'\\%$;");
}

/* vfctl_install_unit: DIR/NAME.service for the configuration FILE, enabled */
int vfctl_install_unit(struct vfctl_ctx *ctx, const char *file, const char *dir)
{
	char exe[PATH_MAX], conf[PATH_MAX], p[PATH_MAX + 64], tmp[PATH_MAX + 80];
	struct vfctl_config cfg;
	ssize_t n;
	FILE *f;
	int ret;

	if (vfctl_config_load(ctx, file, &cfg))
		return -1;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0 || !realpath(file, conf)) {
		vfctl_config_free(&cfg);
		return vfctl_error(ctx, "install-unit: resolving %s: %s", n < 0 ? "vfctl" : file,
				   strerror(errno));
	}
	exe[n] = '\0';
	if (!unit_safe(exe) || !unit_safe(conf) || !unit_safe(ctx->state_dir)) {
		vfctl_config_free(&cfg);
		return vfctl_error(ctx,
				   "install-unit: %s, %s or %s has a character a unit file would "
				   "expand (space, quote, backslash, %%, $ or ;)",
				   exe, conf, ctx->state_dir);
	}
	snprintf(p, sizeof(p), "%s/multi-user.target.wants", dir);
	if ((mkdir(dir, 0755) && errno != EEXIST) || (mkdir(p, 0755) && errno != EEXIST)) {
		vfctl_config_free(&cfg);
		return vfctl_error(ctx, "install-unit: %s: %s", p, strerror(errno));
	}
	snprintf(p, sizeof(p), "%s/vfctl.service", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", p);
	f = fopen(tmp, "w");
	if (!f) {
		vfctl_config_free(&cfg);
		return vfctl_error(ctx, "install-unit: %s: %s", tmp, strerror(errno));
	}
	ret = write_unit(ctx, &cfg, exe, conf, f);
	vfctl_config_free(&cfg);
	if (fclose(f) || ret || rename(tmp, p)) {
		unlink(tmp);
		return vfctl_error(ctx, "install-unit: writing %s: %s", p, strerror(errno));
	}
	snprintf(tmp, sizeof(tmp), "%s/multi-user.target.wants/vfctl.service", dir);
	unlink(tmp);
	if (symlink("../vfctl.service", tmp))
		return vfctl_error(ctx, "install-unit: enabling %s: %s", tmp, strerror(errno));
	vfctl_log(ctx, "%s: installed and enabled (multi-user.target)", p);
	return 0;
}
