// SPDX-License-Identifier: GPL-2.0
/*
 * libvf_qmp.c: a QMP client, just enough for vfctl assign/release --qmp:
 * the greeting, qmp_capabilities, a command and its return or error, and
 * waiting (bounded by ctx->timeout_ms) for DEVICE_DELETED. Messages are
 * JSON objects, one per line; events arriving between are remembered.
 */
#define _GNU_SOURCE /* struct ucred */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "vfctl_config.h"

struct vfctl_qmp {
	int fd;
	pid_t peer; /* the QEMU process, from SO_PEERCRED; 0 if unknown */
	size_t len;
	json_t *deleted; /* ids of DEVICE_DELETED events seen */
	char path[108];
	char buf[65536];
};

/* qmp_read: the next message, waiting until deadline (ms, vfctl_now_ms) */
static json_t *qmp_read(struct vfctl_ctx *ctx, struct vfctl_qmp *q, long long deadline)
{
	for (;;) {
		char *nl = memchr(q->buf, '\n', q->len);
		struct pollfd p = { .fd = q->fd, .events = POLLIN };
		json_error_t je;
		long long left;
		ssize_t n;

		if (nl) {
			size_t l = (size_t)(nl - q->buf) + 1;
			json_t *m = json_loadb(q->buf, l, 0, &je);

			memmove(q->buf, q->buf + l, q->len - l);
			q->len -= l;
			if (!m) {
				vfctl_error(ctx, "QMP %s: bad message: %s", q->path, je.text);
				return NULL;
			}
			return m;
		}
		if (q->len == sizeof(q->buf)) {
			vfctl_error(ctx, "QMP %s: message too long", q->path);
			return NULL;
		}
		left = deadline - vfctl_now_ms();
		if (left <= 0 || poll(&p, 1, (int)left) == 0) {
			vfctl_error(ctx, "QMP %s: no answer within %d ms", q->path,
				    ctx->timeout_ms);
			return NULL;
		}
		n = read(q->fd, q->buf + q->len, sizeof(q->buf) - q->len);
		if (n <= 0) {
			vfctl_error(ctx, "QMP %s: connection closed%s%s", q->path, n ? ": " : "",
				    n ? strerror(errno) : "");
			return NULL;
		}
		q->len += (size_t)n;
	}
}

static void note_event(struct vfctl_qmp *q, json_t *m)
{
	const char *ev = json_string_value(json_object_get(m, "event"));
	json_t *dev = json_object_get(json_object_get(m, "data"), "device");

	if (ev && !strcmp(ev, "DEVICE_DELETED") && json_is_string(dev))
		json_array_append(q->deleted, dev);
}

int vfctl_qmp_execute(struct vfctl_ctx *ctx, struct vfctl_qmp *q, const char *cmd, json_t *args)
{
	long long deadline = vfctl_now_ms() + ctx->timeout_ms;
	json_t *m = json_pack("{s:s}", "execute", cmd), *e;
	char *text;
	int ret = 0;

	if (args)
		json_object_set(m, "arguments", args);
	text = json_dumps(m, JSON_COMPACT);
	json_decref(m);
	if (!text)
		return vfctl_error(ctx, "QMP %s: out of memory", q->path);
	if (write(q->fd, text, strlen(text)) < 0 || write(q->fd, "\n", 1) < 0) {
		free(text);
		return vfctl_error(ctx, "QMP %s: sending %s: %s", q->path, cmd, strerror(errno));
	}
	free(text);
	for (;;) {
		m = qmp_read(ctx, q, deadline);
		if (!m)
			return -1;
		if (json_object_get(m, "return"))
			break;
		e = json_object_get(m, "error");
		if (e) {
			ret = vfctl_error(ctx, "QMP %s: %s: %s", q->path, cmd,
					  json_string_value(json_object_get(e, "desc"))
						  ?: "error without description");
			break;
		}
		note_event(q, m);
		json_decref(m);
	}
	json_decref(m);
	return ret;
}

struct vfctl_qmp *vfctl_qmp_open(struct vfctl_ctx *ctx, const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct vfctl_qmp *q;
	json_t *m;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		vfctl_error(ctx, "QMP %s: socket path too long", path);
		return NULL;
	}
	q = calloc(1, sizeof(*q));
	if (!q) {
		vfctl_error(ctx, "out of memory");
		return NULL;
	}
	snprintf(q->path, sizeof(q->path), "%s", path);
	strcpy(sa.sun_path, path);
	q->deleted = json_array();
	q->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (q->fd < 0 || connect(q->fd, (struct sockaddr *)&sa, sizeof(sa))) {
		vfctl_error(ctx, "QMP %s: connecting: %s", path, strerror(errno));
		vfctl_qmp_close(q);
		return NULL;
	}
	{
		struct ucred cred;
		socklen_t len = sizeof(cred);

		if (!getsockopt(q->fd, SOL_SOCKET, SO_PEERCRED, &cred, &len))
			q->peer = cred.pid;
	}
	m = qmp_read(ctx, q, vfctl_now_ms() + ctx->timeout_ms);
	if (!m || !json_object_get(m, "QMP")) {
		if (m)
			vfctl_error(ctx, "QMP %s: expected the QMP greeting", path);
		json_decref(m);
		vfctl_qmp_close(q);
		return NULL;
	}
	json_decref(m);
	if (vfctl_qmp_execute(ctx, q, "qmp_capabilities", NULL)) {
		vfctl_qmp_close(q);
		return NULL;
	}
	return q;
}

pid_t vfctl_qmp_peer(const struct vfctl_qmp *q)
{
	return q->peer;
}

void vfctl_qmp_close(struct vfctl_qmp *q)
{
	if (!q)
		return;
	if (q->fd >= 0)
		close(q->fd);
	json_decref(q->deleted);
	free(q);
}

/* vfctl_qmp_wait_deleted: until DEVICE_DELETED for id, bounded */
int vfctl_qmp_wait_deleted(struct vfctl_ctx *ctx, struct vfctl_qmp *q, const char *id)
{
	long long deadline = vfctl_now_ms() + ctx->timeout_ms;
	size_t i;
	json_t *v, *m;

	for (;;) {
		json_array_foreach(q->deleted, i, v)
			if (!strcmp(json_string_value(v), id))
				return 0;
		m = qmp_read(ctx, q, deadline);
		if (!m)
			return vfctl_error(ctx,
					   "QMP %s: device %s: no DEVICE_DELETED within %d ms "
					   "(does the guest handle hot-unplug?)",
					   q->path, id, ctx->timeout_ms);
		note_event(q, m);
		json_decref(m);
	}
}
