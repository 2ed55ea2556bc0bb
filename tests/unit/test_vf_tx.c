/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmocka tests of net_vfnic_vf's transmit ring logic
 * (vf_driver/vfnic_vf_rxtx.c) against the fake device of vf_rxtx_fake.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "vf_rxtx_fake.h"

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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tx_descriptors),
		cmocka_unit_test(test_tx_multiseg),
		cmocka_unit_test(test_tx_mixed_wrap),
		cmocka_unit_test(test_tx_full_and_clean),
		cmocka_unit_test(test_tx_free_thresh),
		cmocka_unit_test(test_tx_no_stale_dd),
		cmocka_unit_test(test_tx_fast_free),
	};

	return fake_run("test_vf_tx", tests, RTE_DIM(tests));
}
