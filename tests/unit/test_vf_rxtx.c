/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmocka tests of net_vfnic_vf's rx/tx ring logic (vf_driver/vfnic_vf_rxtx.c)
 * against descriptor rings in plain memory. A fake device plays the NIC of
 * docs/hardware.md section 5 on those rings: it owns the descriptors from
 * its head up to the tail the driver wrote, fills rx buffers (several
 * descriptors for a frame longer than a buffer, EOP on the last; a frame
 * that does not fit is dropped whole) and sets DD on each tx descriptor it
 * processed. EAL runs without huge pages or PCI, in IOVA-as-VA mode, so a
 * descriptor's address is the buffer's virtual address.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <rte_eal.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "vfnic_vf_rxtx.h"

#define NB_MBUF		1024
#define RING		64

static struct rte_mempool *pool;

/* ---- the fake device ----------------------------------------------------- */

struct fake_rx {
	struct vfnic_rx_queue *q;
	uint32_t tail_reg;
	uint16_t head;
	uint64_t dropped;
};

struct fake_tx {
	struct vfnic_tx_queue *q;
	uint32_t tail_reg;
	uint16_t head;
	unsigned int frames;		/* complete frames seen */
	unsigned int last_frame_len;
	uint16_t last_cmd, last_vlan;
	unsigned int last_segs;
};

/*
 * Deliver one frame of @len bytes, byte i = (seed + i) & 0xff. The RSS
 * hash is FAKE_RSS(slot) and only the last descriptor has @vlan, so a
 * driver reading either from another descriptor is caught.
 */
#define FAKE_RSS(slot) (0x12340000u | (slot))
static int
fake_rx_frame(struct fake_rx *d, unsigned int len, uint8_t seed,
	      uint16_t extra_status, uint16_t vlan)
{
	struct vfnic_rx_queue *q = d->q;
	uint16_t avail = (d->tail_reg - d->head) & q->mask;
	unsigned int need = (len + q->buf_size - 1) / q->buf_size, i, off = 0;

	if (need > avail) {
		d->dropped++;
		return -1;
	}
	for (i = 0; i < need; i++) {
		volatile union vfnic_rx_desc *rxd = &q->ring[d->head];
		uint8_t *buf = (uint8_t *)(uintptr_t)rxd->read.addr;
		unsigned int n = RTE_MIN(len - off, (unsigned int)q->buf_size), k;

		for (k = 0; k < n; k++)
			buf[k] = (uint8_t)(seed + off + k);
		rxd->wb.rss = FAKE_RSS(d->head);
		rxd->wb.rsvd = 0;
		rxd->wb.len = n;
		rxd->wb.vlan = i == need - 1 ? vlan : 0xffff;
		rxd->wb.ptype = 0;
		rxd->wb.status = VFNIC_RXD_STA_DD | extra_status |
				 (i == need - 1 ? VFNIC_RXD_STA_EOP : 0);
		off += n;
		d->head = (d->head + 1) & q->mask;
	}
	return 0;
}

/* Process every complete frame between head and tail, as a doorbell does. */
static void
fake_tx_doorbell(struct fake_tx *d)
{
	struct vfnic_tx_queue *q = d->q;
	uint16_t h = d->head, start = h;
	unsigned int len = 0, segs = 0;

	while (h != d->tail_reg) {
		volatile union vfnic_tx_desc *txd = &q->ring[h];

		assert_true(txd->len >= 1);
		assert_int_equal(txd->status, 0);
		len += txd->len;
		segs++;
		h = (h + 1) & q->mask;
		if (txd->cmd & VFNIC_TXD_CMD_EOP) {
			d->frames++;
			d->last_frame_len = len;
			d->last_cmd = txd->cmd;
			d->last_vlan = txd->vlan;
			d->last_segs = segs;
			for (; start != h; start = (start + 1) & q->mask)
				q->ring[start].status = VFNIC_TXD_STA_DD;
			len = segs = 0;
		}
	}
	d->head = start;	/* an incomplete frame waits for its EOP */
}

/* ---- set-up -------------------------------------------------------------- */

static struct vfnic_rx_queue *
rxq_new(struct fake_rx *d, uint16_t nb_desc, uint16_t buf_size)
{
	struct vfnic_rx_queue *q = rte_zmalloc(NULL, sizeof(*q), 64);

	q->ring = rte_zmalloc(NULL, nb_desc * VFNIC_DESC_SIZE, 128);
	q->sw_ring = rte_zmalloc(NULL, nb_desc * sizeof(void *), 64);
	q->mp = pool;
	q->nb_desc = nb_desc;
	q->mask = nb_desc - 1;
	q->buf_size = buf_size;
	q->tail_reg = &d->tail_reg;
	memset(d, 0, sizeof(*d));
	d->q = q;
	assert_int_equal(vfnic_rxq_start(q), 0);
	d->tail_reg = q->tail;	/* what dev_start writes once enabled */
	return q;
}

/* End of a test: free q, and fail if any of its pool's mbufs is missing. */
static void
rxq_done(struct vfnic_rx_queue *q)
{
	struct rte_mempool *mp = q->mp;

	vfnic_rxq_release_mbufs(q);
	rte_free((void *)(uintptr_t)q->ring);
	rte_free(q->sw_ring);
	rte_free(q);
	assert_int_equal(rte_mempool_avail_count(mp), mp->size);
}

static struct vfnic_tx_queue *
txq_new(struct fake_tx *d, uint16_t nb_desc)
{
	struct vfnic_tx_queue *q = rte_zmalloc(NULL, sizeof(*q), 64);

	q->ring = rte_zmalloc(NULL, nb_desc * VFNIC_DESC_SIZE, 128);
	q->sw_ring = rte_zmalloc(NULL, nb_desc * sizeof(void *), 64);
	q->nb_desc = nb_desc;
	q->mask = nb_desc - 1;
	q->tail_reg = &d->tail_reg;
	memset(d, 0, sizeof(*d));
	d->q = q;
	vfnic_txq_start(q);
	return q;
}

/* End of a test: free q, and fail if any mbuf of the pool is missing. */
static void
txq_done(struct vfnic_tx_queue *q)
{
	vfnic_txq_release_mbufs(q);
	rte_free((void *)(uintptr_t)q->ring);
	rte_free(q->sw_ring);
	rte_free(q);
	assert_int_equal(rte_mempool_avail_count(pool), NB_MBUF);
}

static struct rte_mbuf *
pkt(unsigned int len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);

	assert_non_null(m);
	assert_non_null(rte_pktmbuf_append(m, len));
	return m;
}

/* ---- tx ------------------------------------------------------------------ */

static void
test_tx_descriptors(void **state)
{
	struct fake_tx d;
	struct vfnic_tx_queue *q = txq_new(&d, RING);
	struct rte_mbuf *m[8];
	unsigned int i;

	(void)state;
	for (i = 0; i < 8; i++)
		m[i] = pkt(60 + i);
	m[3]->ol_flags = RTE_MBUF_F_TX_VLAN;
	m[3]->vlan_tci = 0x2005;
	m[5]->ol_flags = RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM |
			 RTE_MBUF_F_TX_UDP_CKSUM;
	assert_int_equal(vfnic_xmit_pkts(q, m, 8), 8);
	assert_int_equal(d.tail_reg, 8);	/* one doorbell, past the 8 */
	for (i = 0; i < 8; i++) {
		assert_int_equal(q->ring[i].addr, rte_mbuf_data_iova(m[i]));
		assert_int_equal(q->ring[i].len, 60 + i);
		assert_true(q->ring[i].cmd & VFNIC_TXD_CMD_EOP);
	}
	assert_int_equal(q->ring[3].cmd, VFNIC_TXD_CMD_EOP | VFNIC_TXD_CMD_VLAN);
	assert_int_equal(q->ring[3].vlan, 0x2005);
	assert_int_equal(q->ring[5].cmd, VFNIC_TXD_CMD_EOP | VFNIC_TXD_CMD_CSUM);
	fake_tx_doorbell(&d);
	assert_int_equal(d.frames, 8);
	assert_int_equal(q->stats.packets, 8);
	txq_done(q);
}

static void
test_tx_multiseg(void **state)
{
	struct fake_tx d;
	struct vfnic_tx_queue *q = txq_new(&d, RING);
	struct rte_mbuf *m = pkt(100), *s2 = pkt(200), *s3 = pkt(300);

	(void)state;
	assert_int_equal(rte_pktmbuf_chain(m, s2), 0);
	assert_int_equal(rte_pktmbuf_chain(m, s3), 0);
	assert_int_equal(vfnic_xmit_pkts(q, &m, 1), 1);
	assert_int_equal(d.tail_reg, 3);
	assert_int_equal(q->ring[0].cmd, 0);
	assert_int_equal(q->ring[1].cmd, 0);
	assert_int_equal(q->ring[2].cmd, VFNIC_TXD_CMD_EOP);
	fake_tx_doorbell(&d);
	assert_int_equal(d.frames, 1);
	assert_int_equal(d.last_frame_len, 600);
	assert_int_equal(d.last_segs, 3);
	txq_done(q);
}

/*
 * One burst across the ring's end: frames in one mbuf (the first crossing
 * the end), then a chained one and one asking for VLAN insertion, then one
 * more: every descriptor in order, one doorbell, each frame whole.
 */
static void
test_tx_mixed_wrap(void **state)
{
	/* per descriptor: six single frames, a chain of two, two singles */
	static const uint16_t len[] = { 60, 61, 62, 63, 64, 65, 100, 200, 66,
					67 };
	struct fake_tx d;
	struct vfnic_tx_queue *q = txq_new(&d, RING);
	struct rte_mbuf *m[RING], *b[9];
	uint16_t at = RING - 4, i, cmd;
	unsigned int n;

	(void)state;
	/* move the ring to 4 before its end, the device done with it all */
	for (i = 0; i < at; i++)
		m[i] = pkt(64);
	assert_int_equal(vfnic_xmit_pkts(q, m, at), at);
	fake_tx_doorbell(&d);
	for (i = 0; i < 9; i++)
		b[i] = pkt(len[i + (i > 6)]);
	assert_int_equal(rte_pktmbuf_chain(b[6], pkt(200)), 0);
	b[7]->ol_flags = RTE_MBUF_F_TX_VLAN;
	b[7]->vlan_tci = 7;
	n = d.frames;
	assert_int_equal(vfnic_xmit_pkts(q, b, 9), 9);
	assert_int_equal(d.tail_reg, (at + 10) & (RING - 1));
	for (i = 0; i < 10; i++) {
		volatile union vfnic_tx_desc *txd = &q->ring[(at + i) & (RING - 1)];

		cmd = i == 6 ? 0 : VFNIC_TXD_CMD_EOP;
		if (i == 8)
			cmd |= VFNIC_TXD_CMD_VLAN;
		assert_int_equal(txd->len, len[i]);
		assert_int_equal(txd->cmd, cmd);
	}
	fake_tx_doorbell(&d);
	assert_int_equal(d.frames - n, 9);
	assert_int_equal(q->stats.packets, at + 9);
	assert_int_equal(q->stats.bytes, 64u * at + 60 + 61 + 62 + 63 + 64 +
			 65 + 300 + 66 + 67);
	txq_done(q);
}

/*
 * Bursts of 32 64-byte frames, the device completing what it was given
 * before each, until the count of frames sent (starting at sent) reaches
 * until; then a last doorbell. Returns the count.
 */
static unsigned int
tx_laps(struct fake_tx *d, unsigned int sent, unsigned int until)
{
	struct rte_mbuf *b[32];
	unsigned int i, n;

	while (sent < until) {
		for (i = 0; i < 32; i++)
			b[i] = pkt(64);
		fake_tx_doorbell(d);
		n = vfnic_xmit_pkts(d->q, b, 32);
		for (i = n; i < 32; i++)
			rte_pktmbuf_free(b[i]);
		sent += n;
	}
	fake_tx_doorbell(d);
	return sent;
}

/* A full ring takes nb_desc - 1; cleaning in blocks frees room again. */
static void
test_tx_full_and_clean(void **state)
{
	struct fake_tx d;
	struct vfnic_tx_queue *q = txq_new(&d, RING);
	struct rte_mbuf *m[RING];
	unsigned int i, total;

	(void)state;
	for (i = 0; i < RING; i++)
		m[i] = pkt(64);
	assert_int_equal(vfnic_xmit_pkts(q, m, RING), RING - 1);
	assert_int_equal(d.tail_reg, RING - 1);
	/* the device has done nothing: nothing more fits, no doorbell */
	assert_int_equal(vfnic_xmit_pkts(q, &m[RING - 1], 1), 0);
	fake_tx_doorbell(&d);
	assert_int_equal(vfnic_xmit_pkts(q, &m[RING - 1], 1), 1);
	/* many laps: every mbuf comes back to the pool */
	total = tx_laps(&d, RING, 20 * RING);
	assert_int_equal(d.frames, total);
	assert_int_equal(q->stats.packets, total);
	txq_done(q);
}

/*
 * tx_free_thresh: a burst cleans done blocks while fewer descriptors than
 * that are free, even if it needs less room itself.
 */
static void
test_tx_free_thresh(void **state)
{
	struct fake_tx d;
	struct vfnic_tx_queue *q = txq_new(&d, RING);
	struct rte_mbuf *m[VFNIC_TX_CLEAN_BATCH + 9];
	unsigned int i, n = VFNIC_TX_CLEAN_BATCH + 8;

	(void)state;
	assert_int_equal(q->free_thresh, VFNIC_TX_FREE_DEFAULT);
	assert_true(RING - 1 - n < VFNIC_TX_FREE_DEFAULT);
	for (i = 0; i <= n; i++)
		m[i] = pkt(64);
	assert_int_equal(vfnic_xmit_pkts(q, m, n), n);
	fake_tx_doorbell(&d);
	/* one block done and taken back; the 8 frames after it are not a block */
	assert_int_equal(vfnic_xmit_pkts(q, &m[n], 1), 1);
	assert_int_equal(q->nb_free, RING - 1 - 9);
	assert_int_equal(rte_mempool_avail_count(pool), NB_MBUF - 9);
	txq_done(q);

	q = txq_new(&d, RING);
	q->free_thresh = 8;
	for (i = 0; i <= n; i++)
		m[i] = pkt(64);
	assert_int_equal(vfnic_xmit_pkts(q, m, n), n);
	fake_tx_doorbell(&d);
	assert_int_equal(vfnic_xmit_pkts(q, &m[n], 1), 1);
	assert_int_equal(q->nb_free, RING - 1 - n - 1);
	assert_int_equal(rte_mempool_avail_count(pool), NB_MBUF - n - 1);
	txq_done(q);
}

/*
 * MBUF_FAST_FREE: done blocks go back to the pool without a look at their
 * reference counts, every mbuf of many laps comes back, and a chain (which
 * would go back whole with its next pointer set) is refused and freed.
 */
static void
test_tx_fast_free(void **state)
{
	struct fake_tx d;
	struct vfnic_tx_queue *q = txq_new(&d, RING);
	struct rte_mbuf *b[32], *c, *marked;
	unsigned int i, total;

	(void)state;
	q->fast_free = true;
	/*
	 * Breaks the app's promise on purpose: the ordinary free would only
	 * drop this reference and keep the mbuf out of the pool.
	 */
	marked = pkt(64);
	rte_mbuf_refcnt_set(marked, 2);
	assert_int_equal(vfnic_xmit_pkts(q, &marked, 1), 1);
	total = tx_laps(&d, 1, 20 * RING);
	assert_int_equal(d.frames, total);
	assert_int_equal(rte_mbuf_refcnt_read(marked), 2);
	rte_mbuf_refcnt_set(marked, 1);	/* it is in the pool: as new */
	c = pkt(100);
	assert_int_equal(rte_pktmbuf_chain(c, pkt(200)), 0);
	assert_int_equal(vfnic_xmit_pkts(q, &c, 1), 1);	/* consumed: freed */
	assert_int_equal(q->stats.errors, 1);
	assert_int_equal(q->stats.packets, total);
	fake_tx_doorbell(&d);
	assert_int_equal(d.frames, total);
	txq_done(q);
	/* what came back unread is as good as new */
	for (i = 0; i < 32; i++) {
		b[i] = rte_pktmbuf_alloc(pool);
		assert_non_null(b[i]);
		assert_int_equal(rte_mbuf_refcnt_read(b[i]), 1);
		assert_int_equal(b[i]->nb_segs, 1);
		assert_null(b[i]->next);
	}
	rte_pktmbuf_free_bulk(b, 32);
}

/* A stale DD of the last lap must not free descriptors not yet reused. */
static void
test_tx_no_stale_dd(void **state)
{
	struct fake_tx d;
	struct vfnic_tx_queue *q = txq_new(&d, RING);
	struct rte_mbuf *m[RING];
	unsigned int i, lap;

	(void)state;
	for (lap = 0; lap < 3; lap++) {
		for (i = 0; i < 40; i++)
			m[i] = pkt(64);
		assert_int_equal(vfnic_xmit_pkts(q, m, 40), 40);
		/* no completions yet: only the blocks done earlier are free */
		assert_true(q->nb_free <= RING - 1);
		fake_tx_doorbell(&d);
	}
	assert_int_equal(d.frames, 120);
	txq_done(q);
}

/* ---- rx ------------------------------------------------------------------ */

static void
check_payload(struct rte_mbuf *m, unsigned int len, uint8_t seed)
{
	unsigned int i = 0;

	assert_int_equal(m->pkt_len, len);
	for (; m; m = m->next) {
		const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);
		unsigned int k;

		for (k = 0; k < m->data_len; k++, i++)
			assert_int_equal(p[k], (uint8_t)(seed + i));
	}
	assert_int_equal(i, len);
}

static void
test_rx_basic(void **state)
{
	struct fake_rx d;
	struct vfnic_rx_queue *q = rxq_new(&d, RING, 2048);
	struct rte_mbuf *m[32];
	unsigned int i;

	(void)state;
	assert_int_equal(d.tail_reg, RING - 1);	/* all but one given */
	assert_int_equal(vfnic_recv_pkts(q, m, 32), 0);
	assert_int_equal(fake_rx_frame(&d, 60, 1, 0, 0), 0);
	assert_int_equal(fake_rx_frame(&d, 1514, 2,
			 VFNIC_RXD_STA_VLAN | VFNIC_RXD_STA_RSS, 0x0064), 0);
	assert_int_equal(vfnic_recv_pkts(q, m, 32), 2);
	check_payload(m[0], 60, 1);
	assert_int_equal(m[0]->nb_segs, 1);
	assert_int_equal(m[0]->ol_flags, 0);
	check_payload(m[1], 1514, 2);
	assert_true(m[1]->ol_flags & RTE_MBUF_F_RX_VLAN_STRIPPED);
	assert_int_equal(m[1]->vlan_tci, 0x0064);
	assert_true(m[1]->ol_flags & RTE_MBUF_F_RX_RSS_HASH);
	assert_int_equal(m[1]->hash.rss, FAKE_RSS(1));
	/* no refill below the threshold: tail unchanged */
	assert_int_equal(d.tail_reg, RING - 1);
	for (i = 0; i < 2; i++)
		rte_pktmbuf_free(m[i]);
	rxq_done(q);
}

/* With the tail in memory, a refill moves it there and writes no register. */
static void
test_rx_tail_in_memory(void **state)
{
	struct fake_rx d;
	struct vfnic_rx_queue *q = rxq_new(&d, RING, 2048);
	struct rte_mbuf *m[32];
	uint32_t shadow = q->tail, reg = d.tail_reg;
	unsigned int i, n, got = 0;

	(void)state;
	q->tail_shadow = &shadow;
	for (i = 0; i < q->free_thresh; i++)
		assert_int_equal(fake_rx_frame(&d, 60, (uint8_t)i, 0, 0), 0);
	while ((n = vfnic_recv_pkts(q, m, 32)) > 0) {
		for (i = 0; i < n; i++)
			rte_pktmbuf_free(m[i]);
		got += n;
	}
	assert_int_equal(got, q->free_thresh);
	assert_int_equal(d.tail_reg, reg);
	assert_int_equal(shadow, (reg + q->free_thresh) & q->mask);
	assert_int_equal(shadow, q->tail);
	rxq_done(q);
}

/* Many laps: refill in batches keeps the device supplied, nothing leaks. */
/* Every descriptor the device owns holds its mbuf's default data IOVA. */
static void
check_rx_addrs(const struct vfnic_rx_queue *q)
{
	uint16_t i;

	for (i = q->next; i != q->tail; i = (i + 1) & q->mask)
		assert_int_equal(q->ring[i].read.addr,
				 rte_mbuf_data_iova_default(q->sw_ring[i]));
}

static void
test_rx_laps(void **state)
{
	struct fake_rx d;
	struct vfnic_rx_queue *q = rxq_new(&d, RING, 2048);
	struct rte_mbuf *m[32];
	unsigned int got = 0, i, n, j;

	(void)state;
	for (i = 0; i < 40; i++) {
		for (j = 0; j < 20; j++)
			assert_int_equal(fake_rx_frame(&d, 64 + j, (uint8_t)j,
						       0, 0), 0);
		while ((n = vfnic_recv_pkts(q, m, 32)) > 0) {
			for (j = 0; j < n; j++) {
				check_payload(m[j], m[j]->pkt_len,
					      (uint8_t)(m[j]->pkt_len - 64));
				rte_pktmbuf_free(m[j]);
			}
			got += n;
		}
		/* the device never owns the slot at the tail */
		assert_true(((d.tail_reg - q->next) & q->mask) <= RING - 1);
		check_rx_addrs(q);
	}
	assert_int_equal(got, 800);
	assert_int_equal(d.dropped, 0);
	assert_int_equal(q->stats.packets, 800);
	rxq_done(q);
}

/* A pool of pinned external buffers: frames land in those buffers. */
static void
test_rx_pinned_pool(void **state)
{
	enum { N = 256, ELT = 2048 + RTE_PKTMBUF_HEADROOM };
	struct rte_pktmbuf_extmem ext = { .elt_size = ELT, .buf_len = N * ELT };
	struct rte_mempool *saved = pool, *pinned;
	struct fake_rx d;
	struct vfnic_rx_queue *q;
	struct rte_mbuf *m[32];
	unsigned int i, j, n;

	(void)state;
	ext.buf_ptr = rte_malloc(NULL, ext.buf_len, 4096);
	assert_non_null(ext.buf_ptr);
	ext.buf_iova = rte_malloc_virt2iova(ext.buf_ptr);
	pinned = rte_pktmbuf_pool_create_extbuf("pinned", N, 0, 0, ELT,
						SOCKET_ID_ANY, &ext, 1);
	assert_non_null(pinned);
	pool = pinned;
	q = rxq_new(&d, RING, 2048);
	for (i = 0; i < 10; i++) {
		for (j = 0; j < 40; j++)
			assert_int_equal(fake_rx_frame(&d, 60 + j, (uint8_t)j,
						       0, 0), 0);
		while ((n = vfnic_recv_pkts(q, m, 32)) > 0) {
			for (j = 0; j < n; j++) {
				assert_true(rte_pktmbuf_mtod(m[j], char *) >=
					    (char *)ext.buf_ptr);
				check_payload(m[j], m[j]->pkt_len,
					      (uint8_t)(m[j]->pkt_len - 60));
			}
			rte_pktmbuf_free_bulk(m, n);
		}
		check_rx_addrs(q);
	}
	rxq_done(q);
	pool = saved;
	rte_mempool_free(pinned);
	rte_free(ext.buf_ptr);
}

/* A flood: the device fills every descriptor it owns before each burst. */
static void
test_rx_flood(void **state)
{
	struct fake_rx d;
	struct vfnic_rx_queue *q = rxq_new(&d, RING, 2048);
	struct rte_mbuf *m[RING];
	unsigned int got = 0, delivered = 0, i, n, j;

	(void)state;
	for (i = 0; i < 200; i++) {
		while (fake_rx_frame(&d, 64, 0, 0, 0) == 0)
			delivered++;
		/* bursts of 32 and bursts larger than the ring, which
		 * reach the slot at the tail with its stale DD
		 */
		n = vfnic_recv_pkts(q, m, i % 3 ? 32 : RING);
		for (j = 0; j < n; j++)
			rte_pktmbuf_free(m[j]);
		got += n;
	}
	while ((n = vfnic_recv_pkts(q, m, RING)) > 0) {
		for (j = 0; j < n; j++)
			rte_pktmbuf_free(m[j]);
		got += n;
	}
	assert_true(delivered > 20 * RING);
	assert_int_equal(got, delivered);
	rxq_done(q);
}

/* A frame over three buffers, its descriptors seen over two bursts. */
static void
test_rx_multiseg(void **state)
{
	struct fake_rx d;
	struct vfnic_rx_queue *q = rxq_new(&d, RING, 2048);
	volatile union vfnic_rx_desc *last;
	struct rte_mbuf *m[4];

	(void)state;
	assert_int_equal(fake_rx_frame(&d, 5000, 7, 0, 0), 0);
	/* hide the last descriptor: the device has not written it yet */
	last = &q->ring[2];
	last->wb.status = 0;
	assert_int_equal(vfnic_recv_pkts(q, m, 4), 0);
	assert_non_null(q->pkt_first);
	last->wb.status = VFNIC_RXD_STA_DD | VFNIC_RXD_STA_EOP;
	assert_int_equal(vfnic_recv_pkts(q, m, 4), 1);
	assert_int_equal(m[0]->nb_segs, 3);
	assert_int_equal(m[0]->data_len, 2048);
	check_payload(m[0], 5000, 7);
	assert_int_equal(m[0]->packet_type, RTE_PTYPE_L2_ETHER);
	assert_int_equal(m[0]->ol_flags, 0);
	rte_pktmbuf_free(m[0]);
	/* a chained frame's offloads come from its last descriptor */
	assert_int_equal(fake_rx_frame(&d, 3000, 9, VFNIC_RXD_STA_VLAN |
				       VFNIC_RXD_STA_RSS, 0x0123), 0);
	assert_int_equal(vfnic_recv_pkts(q, m, 4), 1);
	assert_int_equal(m[0]->nb_segs, 2);
	check_payload(m[0], 3000, 9);
	assert_int_equal(m[0]->vlan_tci, 0x0123);
	assert_int_equal(m[0]->hash.rss, FAKE_RSS(4));	/* slots 3 and 4 */
	assert_int_equal(m[0]->ol_flags, RTE_MBUF_F_RX_VLAN |
			 RTE_MBUF_F_RX_VLAN_STRIPPED | RTE_MBUF_F_RX_RSS_HASH);
	rte_pktmbuf_free(m[0]);
	rxq_done(q);
}

/*
 * Single and chained frames across the ring's end: a burst that hands over
 * from the one-descriptor loop to the general one, one that ends inside a
 * frame the device has not finished, and the rest; each frame whole and
 * in order, the counts as delivered.
 */
static void
test_rx_mixed(void **state)
{
	static const unsigned int len[] = { 60, 4000, 61, 62, 5000, 63 };
	struct fake_rx d;
	struct vfnic_rx_queue *q = rxq_new(&d, RING, 2048);
	volatile union vfnic_rx_desc *hidden;
	struct rte_mbuf *m[RING];
	unsigned int i, n;
	uint64_t bytes = 0;

	(void)state;
	/* bring the ring to 3 slots before its end */
	for (i = 0; i < RING - 3; i++)
		assert_int_equal(fake_rx_frame(&d, 64, 0, 0, 0), 0);
	for (n = 0; n < RING - 3; n += i) {
		i = vfnic_recv_pkts(q, m, 32);
		assert_true(i > 0);
		rte_pktmbuf_free_bulk(m, i);
	}
	for (i = 0; i < RTE_DIM(len); i++) {
		assert_int_equal(fake_rx_frame(&d, len[i], i, 0, 0), 0);
		bytes += len[i];
	}
	/* the 5000 B frame's last buffer (slots RING-3.. hold 1+2+1+1+3) */
	hidden = &q->ring[(RING - 3 + 7) & (RING - 1)];
	hidden->wb.status = 0;
	/* 60 B in one descriptor, then the 4000 B frame across the end */
	assert_int_equal(vfnic_recv_pkts(q, m, 2), 2);
	/* 61 and 62, and the 5000 B frame left half received */
	assert_int_equal(vfnic_recv_pkts(q, m + 2, 8), 2);
	assert_non_null(q->pkt_first);
	hidden->wb.status = VFNIC_RXD_STA_DD | VFNIC_RXD_STA_EOP;
	assert_int_equal(vfnic_recv_pkts(q, m + 4, 8), 2);
	for (i = 0; i < RTE_DIM(len); i++) {
		assert_int_equal(m[i]->pkt_len, len[i]);
		assert_int_equal(m[i]->nb_segs, (len[i] + 2047) / 2048);
		check_payload(m[i], len[i], i);
		rte_pktmbuf_free(m[i]);
	}
	assert_int_equal(q->stats.packets, RING - 3 + RTE_DIM(len));
	assert_int_equal(q->stats.bytes, 64u * (RING - 3) + bytes);
	assert_int_equal(vfnic_recv_pkts(q, m, 4), 0);
	rxq_done(q);
}

/* Checksum status to ol_flags; a bad checksum also counts as an error. */
static void
test_rx_csum_flags(void **state)
{
	struct fake_rx d;
	struct vfnic_rx_queue *q = rxq_new(&d, RING, 2048);
	struct rte_mbuf *m[4];
	unsigned int i;

	(void)state;
	assert_int_equal(fake_rx_frame(&d, 60, 1, VFNIC_RXD_STA_L4CSUM_OK, 0), 0);
	assert_int_equal(fake_rx_frame(&d, 61, 2, VFNIC_RXD_STA_CSUM_BAD, 0), 0);
	assert_int_equal(fake_rx_frame(&d, 62, 3, VFNIC_RXD_STA_L4CSUM_OK |
				       VFNIC_RXD_STA_VLAN, 0x0fff), 0);
	assert_int_equal(vfnic_recv_pkts(q, m, 4), 3);
	assert_int_equal(m[0]->ol_flags, RTE_MBUF_F_RX_L4_CKSUM_GOOD);
	assert_int_equal(m[1]->ol_flags, RTE_MBUF_F_RX_L4_CKSUM_BAD);
	assert_int_equal(m[2]->ol_flags, RTE_MBUF_F_RX_L4_CKSUM_GOOD |
			 RTE_MBUF_F_RX_VLAN | RTE_MBUF_F_RX_VLAN_STRIPPED);
	assert_int_equal(m[2]->vlan_tci, 0x0fff);
	for (i = 0; i < 3; i++) {
		assert_int_equal(m[i]->packet_type, RTE_PTYPE_L2_ETHER);
		assert_int_equal(m[i]->nb_segs, 1);
		assert_int_equal(m[i]->data_len, 60 + i);
		check_payload(m[i], 60 + i, 1 + i);
		rte_pktmbuf_free(m[i]);
	}
	assert_int_equal(q->stats.errors, 1);
	assert_int_equal(q->stats.packets, 3);
	assert_int_equal(q->stats.bytes, 60 + 61 + 62);
	rxq_done(q);
}

/* Pool empty: the refill fails and is counted, later it catches up. */
static void
test_rx_nombuf(void **state)
{
	struct fake_rx d;
	struct vfnic_rx_queue *q = rxq_new(&d, RING, 2048);
	struct rte_mbuf *m[64], *hog[NB_MBUF];
	unsigned int n, i, nhog;

	(void)state;
	nhog = rte_mempool_avail_count(pool);
	assert_int_equal(rte_pktmbuf_alloc_bulk(pool, hog, nhog), 0);
	for (i = 0; i < 40; i++)
		assert_int_equal(fake_rx_frame(&d, 64, 0, 0, 0), 0);
	n = vfnic_recv_pkts(q, m, 64);
	assert_int_equal(n, 40);
	assert_int_equal(q->stats.nombuf, 40);
	assert_int_equal(d.tail_reg, RING - 1);	/* not moved */
	for (i = 0; i < n; i++)
		rte_pktmbuf_free(m[i]);
	for (i = 0; i < nhog; i++)
		rte_pktmbuf_free(hog[i]);
	assert_int_equal(fake_rx_frame(&d, 64, 0, 0, 0), 0);
	assert_int_equal(vfnic_recv_pkts(q, m, 64), 1);
	assert_int_equal(d.tail_reg, (RING - 1 + 41) & (RING - 1));
	rte_pktmbuf_free(m[0]);
	rxq_done(q);
}

/* A frame that does not fit in what the device owns is dropped whole. */
static void
test_rx_full_ring(void **state)
{
	struct fake_rx d;
	struct vfnic_rx_queue *q = rxq_new(&d, RING, 256);
	struct rte_mbuf *m[64];
	unsigned int i, n;

	(void)state;
	for (i = 0; i < RING - 1; i++)
		assert_int_equal(fake_rx_frame(&d, 64, 0, 0, 0), 0);
	assert_int_equal(fake_rx_frame(&d, 64, 0, 0, 0), -1);
	n = vfnic_recv_pkts(q, m, 64);
	assert_int_equal(n, RING - 1);
	for (i = 0; i < n; i++)
		rte_pktmbuf_free(m[i]);
	assert_int_equal(fake_rx_frame(&d, 1000, 3, 0, 0), 0);	/* 4 buffers */
	assert_int_equal(vfnic_recv_pkts(q, m, 64), 1);
	assert_int_equal(m[0]->nb_segs, 4);
	check_payload(m[0], 1000, 3);
	rte_pktmbuf_free(m[0]);
	rxq_done(q);
}

int
main(void)
{
	char *argv[] = { "test_vf_rxtx", "--no-huge", "--no-pci", "-m", "64",
			 "--iova-mode=va", "--no-shconf",
			 "-l", "0", "--log-level=lib.eal,error", NULL };
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tx_descriptors),
		cmocka_unit_test(test_rx_tail_in_memory),
		cmocka_unit_test(test_tx_multiseg),
		cmocka_unit_test(test_tx_mixed_wrap),
		cmocka_unit_test(test_tx_full_and_clean),
		cmocka_unit_test(test_tx_free_thresh),
		cmocka_unit_test(test_tx_no_stale_dd),
		cmocka_unit_test(test_tx_fast_free),
		cmocka_unit_test(test_rx_pinned_pool),
		cmocka_unit_test(test_rx_basic),
		cmocka_unit_test(test_rx_laps),
		cmocka_unit_test(test_rx_flood),
		cmocka_unit_test(test_rx_multiseg),
		cmocka_unit_test(test_rx_mixed),
		cmocka_unit_test(test_rx_csum_flags),
		cmocka_unit_test(test_rx_nombuf),
		cmocka_unit_test(test_rx_full_ring),
	};

	if (rte_eal_init(RTE_DIM(argv) - 1, argv) < 0) {
		fprintf(stderr, "test_vf_rxtx: rte_eal_init failed\n");
		return 1;
	}
	pool = rte_pktmbuf_pool_create("test", NB_MBUF, 0, 0,
				       RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	if (pool == NULL) {
		fprintf(stderr, "test_vf_rxtx: no mbuf pool\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
