// SPDX-License-Identifier: (GPL-2.0-only OR BSD-3-Clause)
/*
 * vfclient commands that drive qp 0's rings directly, as a VF driver (or a
 * hostile one) does: numbered test frames out and in, forged source MACs
 * and VLAN tags, and rings or buffers at addresses the VF's IOMMU domain
 * does not map (unmapped IOVAs, or the physical address of memory that
 * belongs to someone else). hardware.md sections 5 and 8.
 *
 * A test frame is broadcast, EtherType 0x88b5 (local experimental), with
 * the text "vfclient test frame", a 32-bit sequence number and a pattern
 * derived from it, so a receiver can tell loss from corruption.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/vfio.h>
#include <sys/ioctl.h>

#include "vfclient.h"

#define FRAME_LEN 128
#define FRAME_TEXT "vfclient test frame"
#define FRAME_HDR 14
#define FRAME_SEQ (FRAME_HDR + sizeof(FRAME_TEXT) - 1)
#define FRAME_PAT (FRAME_SEQ + 4)
#define ETH_TEST_TYPE 0x88b5
#define TX_BURST 8 /* frames per doorbell burst, then a pause */

static u32 tx_seq; /* numbers frames across commands */

static u32 qreg(unsigned int r)
{
	return VFNIC_QP_REG(0, r);
}

static void put_le(u8 *p, u64 v, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		p[i] = v >> (8 * i);
}

static u64 get_le(const u8 *p, unsigned int n)
{
	u64 v = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		v |= (u64)p[i] << (8 * i);
	return v;
}

static u8 pattern(u32 seq, unsigned int i)
{
	return (u8)(seq * 7 + i);
}

static void own_mac(struct client *c, u8 *mac)
{
	put_le(mac, reg_read(c, VFNIC_FN_MAC_LO), 4);
	put_le(mac + 4, reg_read(c, VFNIC_FN_MAC_HI) & 0xffff, 2);
}

/* Program one ring of qp 0 (disabled first) and enable it. */
static u32 ring_start(struct client *c, bool rx, u64 base, u32 tail)
{
	u32 off = rx ? 0 : VFNIC_TXQ_BASE_LO - VFNIC_RXQ_BASE_LO;

	reg_write(c, qreg(VFNIC_RXQ_CTRL + off), 0);
	reg_write(c, qreg(VFNIC_RXQ_BASE_LO + off), (u32)base);
	reg_write(c, qreg(VFNIC_RXQ_BASE_HI + off), base >> 32);
	reg_write(c, qreg(VFNIC_RXQ_LEN + off), RING_LEN);
	if (rx)
		reg_write(c, qreg(VFNIC_RXQ_BUF_SIZE), DMA_RX_BUF_SIZE);
	reg_write(c, qreg(VFNIC_RXQ_CTRL + off), VFNIC_Q_CTRL_ENABLE);
	if (tail)
		reg_write(c, qreg(VFNIC_RXQ_TAIL + off), tail);
	return reg_read(c, qreg(VFNIC_RXQ_CTRL + off));
}

static u64 stat(struct client *c, u32 counter)
{
	u32 lo = reg_read(c, VFNIC_STATS + counter);

	return lo | (u64)reg_read(c, VFNIC_STATS + counter + 4) << 32;
}

/* Wait up to @ms for ERROR in the ring's CTRL; returns the last CTRL. */
static u32 wait_error(struct client *c, u32 ctrl_reg, unsigned int ms)
{
	u64 end = now_ms() + ms;
	u32 v;

	while (!((v = reg_read(c, ctrl_reg)) & VFNIC_Q_CTRL_ERROR) && now_ms() < end)
		usleep(1000);
	return v;
}

static void report_fault(struct client *c, const char *what, u64 addr, u32 ctrl)
{
	out("%s at 0x%llx: ctrl=0x%x error=%u enabled=%u tx_err=%llu rx_err=%llu tx_pkts=%llu",
	    what, (unsigned long long)addr, ctrl, !!(ctrl & VFNIC_Q_CTRL_ERROR),
	    !!(ctrl & VFNIC_Q_CTRL_ENABLE), (unsigned long long)stat(c, VFNIC_STAT_TX_ERR),
	    (unsigned long long)stat(c, VFNIC_STAT_RX_ERR),
	    (unsigned long long)stat(c, VFNIC_STAT_TX_PKTS));
}

/*
 * Build test frame @seq at @buf: source @src, a VLAN tag when @vid is not
 * zero. Returns its length.
 */
static unsigned int build_frame(u8 *buf, const u8 *src, unsigned int vid, u32 seq)
{
	unsigned int i, t = vid ? 4 : 0;

	memset(buf, 0xff, 6);
	memcpy(buf + 6, src, 6);
	if (vid) {
		buf[12] = 0x81;
		buf[13] = 0x00;
		buf[14] = vid >> 8;
		buf[15] = vid;
	}
	buf[12 + t] = ETH_TEST_TYPE >> 8;
	buf[13 + t] = ETH_TEST_TYPE & 0xff;
	memcpy(buf + FRAME_HDR + t, FRAME_TEXT, sizeof(FRAME_TEXT) - 1);
	put_le(buf + FRAME_SEQ + t, seq, 4);
	for (i = FRAME_PAT + t; i < FRAME_LEN + t; i++)
		buf[i] = pattern(seq, i - t);
	return FRAME_LEN + t;
}

/*
 * Transmit @count frames through qp 0's tx ring; a descriptor's buffer is
 * @buf_iova (our tx buffer unless a test points it elsewhere). The tail
 * write transmits before it returns (hardware.md section 5), so the one
 * buffer is rewritten for each frame; bursts are paced so that receivers
 * polling from userspace on a loaded guest keep up.
 */
static unsigned int transmit(struct client *c, unsigned int count, const u8 *src, unsigned int vid,
			     u64 buf_iova, unsigned int *errs)
{
	u8 *ring = (u8 *)c->dma + DMA_TX_RING, *buf = (u8 *)c->dma + DMA_TX_BUF;
	u32 tail, i, len, done = 0;

	*errs = 0;
	if (!(reg_read(c, qreg(VFNIC_TXQ_CTRL)) & VFNIC_Q_CTRL_ENABLE))
		ring_start(c, false, DMA_IOVA + DMA_TX_RING, 0);
	tail = reg_read(c, qreg(VFNIC_TXQ_TAIL));
	for (i = 0; i < count; i++) {
		u8 *d = ring + tail * VFNIC_DESC_SIZE;

		len = build_frame(buf, src, vid, tx_seq++);
		memset(d, 0, VFNIC_DESC_SIZE);
		put_le(d + VFNIC_TXD_ADDR, buf_iova, 8);
		put_le(d + VFNIC_TXD_LEN, len, 2);
		put_le(d + VFNIC_TXD_CMD, VFNIC_TXD_CMD_EOP, 2);
		tail = (tail + 1) % RING_LEN;
		reg_write(c, qreg(VFNIC_TXQ_TAIL), tail);
		if (get_le(d + VFNIC_TXD_STATUS, 2) & VFNIC_TXD_STA_DD)
			done++;
		if (get_le(d + VFNIC_TXD_STATUS, 2) & VFNIC_TXD_STA_ERR)
			(*errs)++;
		if (i % TX_BURST == TX_BURST - 1)
			usleep(5000);
	}
	return done;
}

/* send-frame N [SRC_MAC|own [VID]]: N numbered broadcast test frames. */
static int cmd_send_frame(struct client *c, int argc, char **argv)
{
	unsigned int count = num_arg(argv, 0, argc), vid = 0, errs, done;
	u64 spoof0 = stat(c, VFNIC_STAT_TX_SPOOF);
	int used = 1;
	u8 src[6];

	own_mac(c, src);
	if (argc > 1 && (strchr(argv[1], ':') || !strcmp(argv[1], "own"))) {
		if (strcmp(argv[1], "own"))
			parse_mac(argv[1], src);
		used++;
		if (argc > 2 && argv[2][0] >= '0' && argv[2][0] <= '9')
			vid = num_arg(argv, used++, argc);
	}
	done = transmit(c, count, src, vid, DMA_IOVA + DMA_TX_BUF, &errs);
	out("sent frames=%u done=%u errors=%u spoofed=%llu tx_ctrl=0x%x", count, done, errs,
	    (unsigned long long)(stat(c, VFNIC_STAT_TX_SPOOF) - spoof0),
	    reg_read(c, qreg(VFNIC_TXQ_CTRL)));
	if (done != count)
		c->failed = 1;
	return used;
}

static void rx_give(struct client *c, unsigned int i)
{
	u8 *d = (u8 *)c->dma + DMA_RX_RING + i * VFNIC_DESC_SIZE;

	memset(d, 0, VFNIC_DESC_SIZE);
	put_le(d + VFNIC_RXD_ADDR, DMA_IOVA + DMA_RX_BUFS + i * DMA_RX_BUF_SIZE, 8);
}

/* Check one received frame; returns 1 good test frame, 0 other, -1 corrupt. */
static int check_frame(const u8 *f, unsigned int len, u32 *seq)
{
	unsigned int i;

	if (len < FRAME_HDR ||
	    get_le(f + 12, 2) != (ETH_TEST_TYPE >> 8 | (ETH_TEST_TYPE & 0xff) << 8))
		return 0;
	if (len != FRAME_LEN || memcmp(f + FRAME_HDR, FRAME_TEXT, sizeof(FRAME_TEXT) - 1))
		return -1;
	*seq = get_le(f + FRAME_SEQ, 4);
	for (i = FRAME_PAT; i < FRAME_LEN; i++)
		if (f[i] != pattern(*seq, i))
			return -1;
	return 1;
}

/*
 * recv-frames N MS: receive on qp 0 until N good test frames came or MS
 * passed; report good, corrupt and other frames, and sequence gaps
 * (a frame that is neither the next of its sender nor a new sender's
 * first).
 */
static int cmd_recv_frames(struct client *c, int argc, char **argv)
{
	unsigned int want = num_arg(argv, 0, argc), i, next = 0;
	unsigned int good = 0, bad = 0, other = 0, gaps = 0;
	u64 end = now_ms() + num_arg(argv, 1, argc), drop0;
	u32 seq, last = 0;

	for (i = 0; i < RING_LEN; i++)
		rx_give(c, i);
	drop0 = stat(c, VFNIC_STAT_RX_DROP);
	ring_start(c, true, DMA_IOVA + DMA_RX_RING, RING_LEN - 1);
	out("receiving");
	while (good < want && now_ms() < end) {
		u8 *d = (u8 *)c->dma + DMA_RX_RING + next * VFNIC_DESC_SIZE;
		u16 st = get_le(d + VFNIC_RXD_STATUS, 2);
		int r;

		if (!(st & VFNIC_RXD_STA_DD)) {
			usleep(200);
			continue;
		}
		__sync_synchronize();
		r = check_frame((u8 *)c->dma + DMA_RX_BUFS + next * DMA_RX_BUF_SIZE,
				get_le(d + VFNIC_RXD_LEN, 2), &seq);
		if (r > 0) {
			/* a new sender process starts again at 0 */
			if (good && seq != last + 1 && seq)
				gaps++;
			last = seq;
			good++;
		} else if (r < 0) {
			bad++;
		} else {
			other++;
		}
		rx_give(c, next);
		reg_write(c, qreg(VFNIC_RXQ_TAIL), next);
		next = (next + 1) % RING_LEN;
	}
	out("recv good=%u corrupt=%u other=%u gaps=%u rx_drop=%llu rx_ctrl=0x%x", good, bad, other,
	    gaps, (unsigned long long)(stat(c, VFNIC_STAT_RX_DROP) - drop0),
	    reg_read(c, qreg(VFNIC_RXQ_CTRL)));
	if (good < want || bad || gaps)
		c->failed = 1;
	return 2;
}

/* The physical address behind our DMA area at @off (root only). */
static u64 phys_of(struct client *c, unsigned int off)
{
	u64 va = (u64)(unsigned long)c->dma + off, ent;
	long psz = sysconf(_SC_PAGESIZE);
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0)
		die("/proc/self/pagemap: %s", strerror(errno));
	if (pread(fd, &ent, 8, va / psz * 8) != 8)
		die("/proc/self/pagemap: %s", strerror(errno));
	close(fd);
	if (!(ent & (1ull << 63)) || !(ent & ((1ull << 55) - 1)))
		die("/proc/self/pagemap: no frame for 0x%llx (not root?)", (unsigned long long)va);
	return (ent & ((1ull << 55) - 1)) * psz + va % psz;
}

/* guard: fill our guard page with a pattern, print its physical address. */
static int cmd_guard(struct client *c)
{
	memset((u8 *)c->dma + DMA_GUARD, 0xa5, 4096);
	out("guard phys=0x%llx", (unsigned long long)phys_of(c, DMA_GUARD));
	return 0;
}

/* check-guard: the guard page must still hold its pattern. */
static int cmd_check_guard(struct client *c)
{
	const u8 *g = (u8 *)c->dma + DMA_GUARD;
	unsigned int i, changed = 0;

	for (i = 0; i < 4096; i++)
		changed += g[i] != 0xa5;
	out("guard changed=%u", changed);
	if (changed)
		c->failed = 1;
	return 0;
}

/* tx-ring-at IOVA / rx-ring-at IOVA MS: a ring whose base is IOVA. */
static int cmd_ring_at(struct client *c, bool rx, int argc, char **argv)
{
	u64 addr = num_arg(argv, 0, argc);
	unsigned int ms = rx ? num_arg(argv, 1, argc) : 0;
	u32 ctrl;

	if (rx) {
		ring_start(c, true, addr, RING_LEN - 1);
		out("rx ring armed");
		ctrl = wait_error(c, qreg(VFNIC_RXQ_CTRL), ms);
	} else {
		u8 src[6];
		unsigned int errs;

		own_mac(c, src);
		ring_start(c, false, addr, 0);
		transmit(c, 1, src, 0, DMA_IOVA + DMA_TX_BUF, &errs);
		ctrl = wait_error(c, qreg(VFNIC_TXQ_CTRL), 1000);
	}
	report_fault(c, rx ? "rx ring" : "tx ring", addr, ctrl);
	return rx ? 2 : 1;
}

/* tx-buf-at IOVA / rx-buf-at IOVA MS: our ring, buffers at IOVA. */
static int cmd_buf_at(struct client *c, bool rx, int argc, char **argv)
{
	u64 addr = num_arg(argv, 0, argc);
	unsigned int i;
	u32 ctrl;

	if (rx) {
		for (i = 0; i < RING_LEN; i++) {
			u8 *d = (u8 *)c->dma + DMA_RX_RING + i * VFNIC_DESC_SIZE;

			memset(d, 0, VFNIC_DESC_SIZE);
			put_le(d + VFNIC_RXD_ADDR, addr, 8);
		}
		ring_start(c, true, DMA_IOVA + DMA_RX_RING, RING_LEN - 1);
		out("rx buffers armed");
		ctrl = wait_error(c, qreg(VFNIC_RXQ_CTRL), num_arg(argv, 1, argc));
	} else {
		u8 src[6];
		unsigned int errs;

		own_mac(c, src);
		ring_start(c, false, DMA_IOVA + DMA_TX_RING, 0);
		transmit(c, 1, src, 0, addr, &errs);
		ctrl = wait_error(c, qreg(VFNIC_TXQ_CTRL), 1000);
	}
	report_fault(c, rx ? "rx buffers" : "tx buffer", addr, ctrl);
	return rx ? 2 : 1;
}

/*
 * unmap-watch MS: after recv-frames (the rx ring enabled, the device has
 * reached its pages), take the whole DMA area out of the VF's IOMMU domain,
 * mark what is behind it, and watch for MS (or until the ring faults)
 * while another VF sends to us: the device must fault, and not one byte of
 * the memory it can no longer reach may change. A model that kept using
 * a mapping the IOMMU has dropped would write the frames there.
 */
static int cmd_unmap_watch(struct client *c, int argc, char **argv)
{
	struct vfio_iommu_type1_dma_unmap unmap = {
		.argsz = sizeof(unmap), .iova = DMA_IOVA, .size = DMA_SIZE,
	};
	unsigned int ms = num_arg(argv, 0, argc), i, changed = 0;
	u8 *snap = malloc(DMA_SIZE);
	u64 rx0 = stat(c, VFNIC_STAT_RX_PKTS);
	u32 ctrl;

	if (!snap)
		die("unmap-watch: out of memory");
	if (ioctl(c->container, VFIO_IOMMU_UNMAP_DMA, &unmap) || unmap.size != DMA_SIZE)
		die("VFIO_IOMMU_UNMAP_DMA: %s", strerror(errno));
	memset((u8 *)c->dma + DMA_RX_BUFS, 0x5a, RING_LEN * DMA_RX_BUF_SIZE);
	memcpy(snap, c->dma, DMA_SIZE);
	out("DMA area unmapped, armed");
	ctrl = wait_error(c, qreg(VFNIC_RXQ_CTRL), ms);
	for (i = 0; i < DMA_SIZE; i++)
		changed += snap[i] != ((u8 *)c->dma)[i];
	free(snap);
	out("unmapped rx: changed=%u rx_pkts=%llu ctrl=0x%x error=%u rx_err=%llu", changed,
	    (unsigned long long)(stat(c, VFNIC_STAT_RX_PKTS) - rx0), ctrl,
	    !!(ctrl & VFNIC_Q_CTRL_ERROR), (unsigned long long)stat(c, VFNIC_STAT_RX_ERR));
	if (changed || !(ctrl & VFNIC_Q_CTRL_ERROR))
		c->failed = 1;
	return 1;
}

int dma_command(struct client *c, const char *cmd, int argc, char **argv)
{
	if (!strcmp(cmd, "send-frame"))
		return cmd_send_frame(c, argc, argv);
	if (!strcmp(cmd, "recv-frames"))
		return cmd_recv_frames(c, argc, argv);
	if (!strcmp(cmd, "guard"))
		return cmd_guard(c);
	if (!strcmp(cmd, "unmap-watch"))
		return cmd_unmap_watch(c, argc, argv);
	if (!strcmp(cmd, "check-guard"))
		return cmd_check_guard(c);
	if (!strcmp(cmd, "tx-ring-at") || !strcmp(cmd, "rx-ring-at"))
		return cmd_ring_at(c, cmd[0] == 'r', argc, argv);
	if (!strcmp(cmd, "tx-buf-at") || !strcmp(cmd, "rx-buf-at"))
		return cmd_buf_at(c, cmd[0] == 'r', argc, argv);
	return -1;
}
