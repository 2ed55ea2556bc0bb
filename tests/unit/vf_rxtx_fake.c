/* SPDX-License-Identifier: BSD-3-Clause */
/* The fake device and set-up of the rx and tx ring tests (vf_rxtx_fake.h). */
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

#include "vf_rxtx_fake.h"

struct rte_mempool *pool;
uint64_t fake_iova_off;

int
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
		uint8_t *buf = (uint8_t *)(uintptr_t)(rxd->read.addr -
						      fake_iova_off);
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

void
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

void
check_rx_addrs(const struct vfnic_rx_queue *q)
{
	uint16_t i;

	for (i = q->next; i != q->tail; i = (i + 1) & q->mask)
		assert_int_equal(q->ring[i].read.addr,
				 rte_mbuf_data_iova_default(q->sw_ring[i]));
}

void
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

struct vfnic_rx_queue *
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

void
rxq_done(struct vfnic_rx_queue *q)
{
	struct rte_mempool *mp = q->mp;

	vfnic_rxq_release_mbufs(q);
	rte_free((void *)(uintptr_t)q->ring);
	rte_free(q->sw_ring);
	rte_free(q);
	assert_int_equal(rte_mempool_avail_count(mp), mp->size);
}

struct vfnic_tx_queue *
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

void
txq_done(struct vfnic_tx_queue *q)
{
	vfnic_txq_release_mbufs(q);
	rte_free((void *)(uintptr_t)q->ring);
	rte_free(q->sw_ring);
	rte_free(q);
	assert_int_equal(rte_mempool_avail_count(pool), NB_MBUF);
}

struct rte_mbuf *
pkt(unsigned int len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);

	assert_non_null(m);
	assert_non_null(rte_pktmbuf_append(m, len));
	return m;
}

int
fake_run(const char *name, const struct CMUnitTest *tests, size_t n)
{
	char *argv[] = { (char *)(uintptr_t)name, "--no-huge", "--no-pci",
			 "-m", "64", "--iova-mode=va", "--no-shconf",
			 "-l", "0", "--log-level=lib.eal,error", NULL };

	if (rte_eal_init(RTE_DIM(argv) - 1, argv) < 0) {
		fprintf(stderr, "%s: rte_eal_init failed\n", name);
		return 1;
	}
	pool = rte_pktmbuf_pool_create("test", NB_MBUF, 0, 0,
				       RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	if (pool == NULL) {
		fprintf(stderr, "%s: no mbuf pool\n", name);
		return 1;
	}
	return _cmocka_run_group_tests(name, tests, n, NULL, NULL);
}
