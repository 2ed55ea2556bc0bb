/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A minimal client of QEMU's qtest protocol: start QEMU with -qtest, drive
 * port I/O, MMIO and guest memory over the socket, stop it. It speaks only
 * the text protocol QEMU documents (docs/devel/qtest.rst), so the model is
 * tested exactly as built, without a guest OS.
 */
#ifndef QTEST_CLIENT_H
#define QTEST_CLIENT_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <sys/types.h>

struct qtest {
	int fd;
	pid_t pid;
	FILE *in;
	char log[256];		/* QEMU's -D log: guest errors land here */
	char sock[256];
	char qmp_path[256];	/* QMP monitor socket */
	FILE *qmp;
};

/* Start QEMU with extra_args (space separated); NULL on failure. */
struct qtest *qtest_start(const char *extra_args);
void qtest_quit(struct qtest *qt);
int qtest_alive(struct qtest *qt);

uint32_t qtest_inl(struct qtest *qt, uint16_t port);
void qtest_outl(struct qtest *qt, uint16_t port, uint32_t val);
uint8_t qtest_readb(struct qtest *qt, uint64_t addr);
uint16_t qtest_readw(struct qtest *qt, uint64_t addr);
uint32_t qtest_readl(struct qtest *qt, uint64_t addr);
uint64_t qtest_readq(struct qtest *qt, uint64_t addr);
void qtest_writeb(struct qtest *qt, uint64_t addr, uint8_t val);
void qtest_writew(struct qtest *qt, uint64_t addr, uint16_t val);
void qtest_writel(struct qtest *qt, uint64_t addr, uint32_t val);
void qtest_writeq(struct qtest *qt, uint64_t addr, uint64_t val);
void qtest_memread(struct qtest *qt, uint64_t addr, void *buf, size_t len);
void qtest_memwrite(struct qtest *qt, uint64_t addr, const void *buf,
		    size_t len);
void qtest_clock_step(struct qtest *qt, int64_t ns);
/*
 * Run a QMP command (JSON text); returns the reply line (static buffer),
 * skipping asynchronous events.
 */
const char *qtest_qmp(struct qtest *qt, const char *json);
/* Does QEMU's log contain needle? */
int qtest_log_has(struct qtest *qt, const char *needle);

#endif
