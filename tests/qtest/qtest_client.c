// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include "qtest_client.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static void die(const char *what)
{
	fprintf(stderr, "qtest: %s\n", what);
	abort();
}

struct qtest *qtest_start(const char *extra_args)
{
	const char *qemu = getenv("VFSTACK_QEMU");
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct qtest *qt = calloc(1, sizeof(*qt));
	char *cmd;
	int lfd;

	if (!qt || !qemu) {
		fprintf(stderr, "qtest: VFSTACK_QEMU is not set\n");
		free(qt);
		return NULL;
	}
	snprintf(qt->sock, sizeof(qt->sock), "/tmp/vfnic-qtest-%d-%p.sock",
		 getpid(), (void *)qt);
	snprintf(qt->log, sizeof(qt->log), "/tmp/vfnic-qtest-%d-%p.log",
		 getpid(), (void *)qt);
	snprintf(qt->qmp_path, sizeof(qt->qmp_path),
		 "/tmp/vfnic-qtest-%d-%p.qmp", getpid(), (void *)qt);
	unlink(qt->sock);
	lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	strncpy(sa.sun_path, qt->sock, sizeof(sa.sun_path) - 1);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    listen(lfd, 1))
		die("cannot listen on the qtest socket");
	if (asprintf(&cmd, "exec %s -machine q35 -accel qtest -display none "
		     "-nodefaults -m 512M -L /usr/share/seabios -L /usr/share/qemu "
		     "-qtest unix:%s -qtest-log /dev/null "
		     "-qmp unix:%s,server=on,wait=off -d guest_errors -D %s %s",
		     qemu, qt->sock, qt->qmp_path, qt->log, extra_args) < 0)
		die("out of memory");
	qt->pid = fork();
	if (qt->pid == 0) {
		/* a test that fails half-way must not leave QEMU behind */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	free(cmd);
	/* wait for QEMU to connect, but not for a QEMU that already died */
	for (int i = 0; i < 600; i++) {
		struct pollfd p = { .fd = lfd, .events = POLLIN };

		if (poll(&p, 1, 100) > 0 || waitpid(qt->pid, NULL, WNOHANG))
			break;
	}
	fcntl(lfd, F_SETFL, O_NONBLOCK);
	qt->fd = accept(lfd, NULL, NULL);
	close(lfd);
	unlink(qt->sock);
	if (qt->fd < 0) {
		fprintf(stderr, "qtest: QEMU did not start (see above)\n");
		kill(qt->pid, SIGKILL);
		waitpid(qt->pid, NULL, 0);
		free(qt);
		return NULL;
	}
	qt->in = fdopen(dup(qt->fd), "r");
	return qt;
}

int qtest_alive(struct qtest *qt)
{
	return waitpid(qt->pid, NULL, WNOHANG) == 0;
}

void qtest_quit(struct qtest *qt)
{
	if (!qt)
		return;
	kill(qt->pid, SIGTERM);
	waitpid(qt->pid, NULL, 0);
	fclose(qt->in);
	close(qt->fd);
	if (qt->qmp)
		fclose(qt->qmp);
	unlink(qt->log);
	unlink(qt->qmp_path);
	free(qt);
}

/* Send one command, return the reply's payload after "OK" (static buffer). */
static const char *qtest_cmd(struct qtest *qt, const char *fmt, ...)
{
	static char line[1 << 17];
	va_list ap;
	char *cmd;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&cmd, fmt, ap);
	va_end(ap);
	if (n < 0 || write(qt->fd, cmd, n) != n)
		die("cannot send a command to QEMU");
	free(cmd);
	for (;;) {
		if (!fgets(line, sizeof(line), qt->in))
			die("QEMU closed the qtest connection (crashed?)");
		if (!strncmp(line, "IRQ", 3))
			continue;	/* asynchronous, not our reply */
		if (strncmp(line, "OK", 2))
			die(line);
		line[strcspn(line, "\n")] = 0;
		return line[2] ? line + 3 : "";
	}
}

uint32_t qtest_inl(struct qtest *qt, uint16_t port)
{
	return strtoul(qtest_cmd(qt, "inl 0x%x\n", port), NULL, 0);
}

void qtest_outl(struct qtest *qt, uint16_t port, uint32_t val)
{
	qtest_cmd(qt, "outl 0x%x 0x%x\n", port, val);
}

#define QTEST_RW(sfx, type)						\
type qtest_read##sfx(struct qtest *qt, uint64_t addr)			\
{									\
	return strtoull(qtest_cmd(qt, "read" #sfx " 0x%llx\n",		\
				  (unsigned long long)addr), NULL, 0);	\
}									\
void qtest_write##sfx(struct qtest *qt, uint64_t addr, type val)	\
{									\
	qtest_cmd(qt, "write" #sfx " 0x%llx 0x%llx\n",			\
		  (unsigned long long)addr, (unsigned long long)val);	\
}

QTEST_RW(b, uint8_t)
QTEST_RW(w, uint16_t)
QTEST_RW(l, uint32_t)
QTEST_RW(q, uint64_t)

void qtest_memread(struct qtest *qt, uint64_t addr, void *buf, size_t len)
{
	const char *hex = qtest_cmd(qt, "read 0x%llx 0x%zx\n",
				    (unsigned long long)addr, len);
	uint8_t *p = buf;
	size_t i;

	if (strncmp(hex, "0x", 2) || strlen(hex) != 2 + 2 * len)
		die("bad memory read reply");
	for (i = 0; i < len; i++) {
		char b[3] = { hex[2 + 2 * i], hex[3 + 2 * i], 0 };

		p[i] = strtoul(b, NULL, 16);
	}
}

void qtest_memwrite(struct qtest *qt, uint64_t addr, const void *buf,
		    size_t len)
{
	const uint8_t *p = buf;
	char *hex = malloc(2 * len + 1);
	size_t i;

	if (!hex)
		die("out of memory");
	for (i = 0; i < len; i++)
		sprintf(hex + 2 * i, "%02x", p[i]);
	qtest_cmd(qt, "write 0x%llx 0x%zx 0x%s\n", (unsigned long long)addr,
		  len, hex);
	free(hex);
}

void qtest_clock_step(struct qtest *qt, int64_t ns)
{
	qtest_cmd(qt, "clock_step %lld\n", (long long)ns);
}

int qtest_log_has(struct qtest *qt, const char *needle)
{
	FILE *f = fopen(qt->log, "r");
	char line[1024];
	int found = 0;

	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, needle) != NULL;
	fclose(f);
	return found;
}

static char *qmp_line(struct qtest *qt)
{
	static char line[1 << 16];

	for (;;) {
		if (!fgets(line, sizeof(line), qt->qmp))
			die("QEMU closed the QMP connection");
		if (!strstr(line, "\"event\""))
			return line;
	}
}

static void qmp_send(struct qtest *qt, const char *json)
{
	int fd = fileno(qt->qmp);
	size_t n = strlen(json);

	if (write(fd, json, n) != (ssize_t)n || write(fd, "\n", 1) != 1)
		die("cannot send to QMP");
}

const char *qtest_qmp(struct qtest *qt, const char *json)
{
	if (!qt->qmp) {
		struct sockaddr_un sa = { .sun_family = AF_UNIX };
		int fd = socket(AF_UNIX, SOCK_STREAM, 0);

		strncpy(sa.sun_path, qt->qmp_path, sizeof(sa.sun_path) - 1);
		if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
			die("cannot connect to QMP");
		qt->qmp = fdopen(fd, "r");
		qmp_line(qt);	/* greeting */
		qmp_send(qt, "{\"execute\": \"qmp_capabilities\"}");
		qmp_line(qt);
	}
	qmp_send(qt, json);
	return qmp_line(qt);
}
