/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmocka tests of net_vfnic_vf's receive ring logic
 * (vf_driver/vfnic_vf_rxtx.c) against the fake device of vf_rxtx_fake.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "vf_rxtx_fake.h"

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
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rx_tail_in_memory),
		cmocka_unit_test(test_rx_basic),
		cmocka_unit_test(test_rx_laps),
		cmocka_unit_test(test_rx_flood),
		cmocka_unit_test(test_rx_multiseg),
		cmocka_unit_test(test_rx_mixed),
		cmocka_unit_test(test_rx_csum_flags),
		cmocka_unit_test(test_rx_nombuf),
		cmocka_unit_test(test_rx_full_ring),
	};

	return fake_run("test_vf_rx", tests, RTE_DIM(tests));
}
