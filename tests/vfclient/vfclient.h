/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-3-Clause) */
/*
 * vfclient: what vfclient.c (VFIO, mailbox commands) shares with
 * vfclient_dma.c (commands that drive the VF's rings and DMA directly).
 */
#ifndef VFCLIENT_H
#define VFCLIENT_H

#include <stdbool.h>

#include "vfnic_mbx_transport.h"

/*
 * The client's DMA area, DMA_SIZE bytes mapped at DMA_IOVA in the VF's
 * own VFIO container: rx ring, tx ring, tx buffer, rx buffers, and a
 * guard page that no ring of this VF ever names.
 */
#define DMA_IOVA 0x10000000ull
#define DMA_SIZE (64 * 1024)
#define RING_LEN 32
#define RX_BUF 2048
#define DMA_RX_RING 0x0000
#define DMA_TX_RING 0x1000
#define DMA_TX_BUF 0x2000
#define DMA_RX_BUFS 0x4000 /* RING_LEN buffers of DMA_RX_BUF_SIZE */
#define DMA_RX_BUF_SIZE 1024
#define DMA_GUARD (DMA_SIZE - 4096)

struct client {
	const char *bdf;
	int container, group, device;
	volatile u8 *bar; /* mmap of BAR0, or NULL: pread/pwrite */
	u64 bar_off; /* BAR0 region offset in the device fd */
	u64 cfg_off; /* config space region offset */
	void *dma; /* DMA_SIZE bytes at DMA_IOVA */
	struct vfnic_mbx_io io;
	u16 seq;
	unsigned int num_qp;
	int failed;
};

void out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
u64 now_ms(void);
u32 reg_read(void *ctx, u32 off);
void reg_write(void *ctx, u32 off, u32 val);
void parse_mac(const char *s, u8 *mac);

/* vfclient_dma.c; each returns the number of arguments it consumed */
int dma_command(struct client *c, const char *cmd, int argc, char **argv);
unsigned long num_arg(char **argv, int i, int argc);

#endif /* VFCLIENT_H */
