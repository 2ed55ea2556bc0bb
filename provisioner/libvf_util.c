// SPDX-License-Identifier: GPL-2.0
/* libvf_util.c: the context, errors, sysfs file helpers, MAC and BDF text. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <netlink/netlink.h>

#include "vfctl.h"

void vfctl_ctx_init(struct vfctl_ctx *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
	snprintf(ctx->proc_root, sizeof(ctx->proc_root), "/proc");
	snprintf(ctx->state_dir, sizeof(ctx->state_dir), "/var/lib/vfstack");
	ctx->timeout_ms = 10000;
}

void vfctl_ctx_fini(struct vfctl_ctx *ctx)
{
	if (ctx->nl) {
		nl_socket_free(ctx->nl);
		ctx->nl = NULL;
	}
}

int vfctl_error(struct vfctl_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ctx->err, sizeof(ctx->err), fmt, ap);
	va_end(ap);
	return -1;
}

void vfctl_log(struct vfctl_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	(void)ctx;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/* vfctl_path: sysfs_root + formatted path */
int vfctl_path(struct vfctl_ctx *ctx, char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	size_t n = strlen(ctx->sysfs_root);
	int r;

	if (n >= len)
		return vfctl_error(ctx, "path: sysfs root %s too long", ctx->sysfs_root);
	memcpy(buf, ctx->sysfs_root, n);
	va_start(ap, fmt);
	r = vsnprintf(buf + n, len - n, fmt, ap);
	va_end(ap);
	if (r < 0 || (size_t)r >= len - n)
		return vfctl_error(ctx, "path under %s too long", ctx->sysfs_root);
	return 0;
}

int vfctl_read_str(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return 0;
}

int vfctl_read_int(const char *path, int *val)
{
	char buf[64], *end;
	long v;

	if (vfctl_read_str(path, buf, sizeof(buf)))
		return -1;
	errno = 0;
	v = strtol(buf, &end, 0);
	if (errno || end == buf) {
		errno = EINVAL;
		return -1;
	}
	*val = (int)v;
	return 0;
}

/* vfctl_write_str: one write(2), so that the kernel's error reaches errno */
int vfctl_write_str(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	size_t len = strlen(val);
	ssize_t n;
	int e;

	if (fd < 0)
		return -1;
	n = write(fd, val, len);
	e = errno;
	close(fd);
	if (n < 0) {
		errno = e;
		return -1;
	}
	if ((size_t)n != len) {
		errno = EIO;
		return -1;
	}
	return 0;
}

/* vfctl_link_base: the last component of the symlink at path */
int vfctl_link_base(const char *path, char *buf, size_t len)
{
	char target[PATH_MAX];
	ssize_t n = readlink(path, target, sizeof(target) - 1);
	const char *base;

	if (n < 0)
		return -1;
	target[n] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	if (strlen(base) >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(buf, base);
	return 0;
}

/* vfctl_is_bdf: DDDD:BB:DD.F */
bool vfctl_is_bdf(const char *s)
{
	static const char pat[] = "xxxx:xx:xx.x";
	size_t i;

	if (strlen(s) != sizeof(pat) - 1)
		return false;
	for (i = 0; pat[i]; i++) {
		if (pat[i] == 'x' ? !strchr("0123456789abcdefABCDEF", s[i]) || !s[i]
				  : s[i] != pat[i])
			return false;
	}
	return true;
}

/* vfctl_parse_mac: XX:XX:XX:XX:XX:XX exactly (sscanf's %x would take a sign or a space) */
int vfctl_parse_mac(const char *s, uint8_t mac[6])
{
	static const char pat[] = "xx:xx:xx:xx:xx:xx";
	size_t i;

	if (strlen(s) != sizeof(pat) - 1)
		return -1;
	for (i = 0; pat[i]; i++) {
		if (pat[i] == 'x' ? !isxdigit((unsigned char)s[i]) : s[i] != pat[i])
			return -1;
	}
	for (i = 0; i < 6; i++)
		mac[i] = (uint8_t)strtoul(s + 3 * i, NULL, 16);
	return 0;
}

void vfctl_format_mac(const uint8_t mac[6], char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4],
		 mac[5]);
}

long long vfctl_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void vfctl_sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}
