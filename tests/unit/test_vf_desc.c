/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmocka tests of net_vfnic_vf's descriptor status and rx queue count
 * (vf_driver/vfnic_vf_desc.c) against the fake device of vf_rxtx_fake.h:
 * a consumed rx slot keeps its stale DD and must not count, a free tx slot
 * is done whatever its status says, a slot in flight is done once the
 * device gave it DD.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "vf_rxtx_fake.h"

static void
test_rx_desc_status(void **state)
{
	struct fake_rx d;
	struct vfnic_rx_queue *q = rxq_new(&d, RING, 2048);
	struct rte_mbuf *m[4];
	unsigned int i;

	(void)state;
	/* all but one slot given to the device, none written back */
	assert_int_equal(vfnic_rx_queue_count(q), 0);
	assert_int_equal(vfnic_rx_descriptor_status(q, 0), RTE_ETH_RX_DESC_AVAIL);
	assert_int_equal(vfnic_rx_descriptor_status(q, RING - 2),
			 RTE_ETH_RX_DESC_AVAIL);
	assert_int_equal(vfnic_rx_descriptor_status(q, RING - 1),
			 RTE_ETH_RX_DESC_UNAVAIL);
	assert_int_equal(vfnic_rx_descriptor_status(q, RING), -EINVAL);

	for (i = 0; i < 3; i++)
		assert_int_equal(fake_rx_frame(&d, 60, 0, 0, 0), 0);
	assert_int_equal(vfnic_rx_queue_count(q), 3);
	assert_int_equal(vfnic_rx_descriptor_status(q, 2), RTE_ETH_RX_DESC_DONE);
	assert_int_equal(vfnic_rx_descriptor_status(q, 3), RTE_ETH_RX_DESC_AVAIL);

	/* two taken, not refilled yet: their slots keep DD but are not ours */
	assert_int_equal(vfnic_recv_pkts(q, m, 2), 2);
	assert_true(q->nb_hold == 2);
	assert_int_equal(vfnic_rx_queue_count(q), 1);
	assert_int_equal(vfnic_rx_descriptor_status(q, 0), RTE_ETH_RX_DESC_DONE);
	assert_int_equal(vfnic_rx_descriptor_status(q, 1), RTE_ETH_RX_DESC_AVAIL);
	assert_int_equal(vfnic_rx_descriptor_status(q, RING - 3),
			 RTE_ETH_RX_DESC_UNAVAIL);
	assert_int_equal(vfnic_rx_descriptor_status(q, RING - 2),
			 RTE_ETH_RX_DESC_UNAVAIL);
	for (i = 0; i < 2; i++)
		rte_pktmbuf_free(m[i]);

	/* a full ring of frames: the count stops at what the device owns */
	while (fake_rx_frame(&d, 60, 0, 0, 0) == 0)
		;
	assert_int_equal(vfnic_rx_queue_count(q), RING - 3);
	while ((i = vfnic_recv_pkts(q, m, RTE_DIM(m))) > 0)
		while (i--)
			rte_pktmbuf_free(m[i]);
	rxq_done(q);
}

static void
test_tx_desc_status(void **state)
{
	struct fake_tx d;
	struct vfnic_tx_queue *q = txq_new(&d, RING);
	struct rte_mbuf *m[8];
	unsigned int i;

	(void)state;
	/* an empty ring: software's, its status 0, the last slot kept empty */
	assert_int_equal(vfnic_tx_descriptor_status(q, 0), RTE_ETH_TX_DESC_DONE);
	assert_int_equal(vfnic_tx_descriptor_status(q, RING - 2),
			 RTE_ETH_TX_DESC_DONE);
	assert_int_equal(vfnic_tx_descriptor_status(q, RING - 1),
			 RTE_ETH_TX_DESC_UNAVAIL);
	assert_int_equal(vfnic_tx_descriptor_status(q, RING), -EINVAL);

	for (i = 0; i < 8; i++)
		m[i] = pkt(60);
	assert_int_equal(vfnic_xmit_pkts(q, m, 8), 8);
	/* from the tail: 55 free, the one kept empty, then slots 0-7 */
	assert_int_equal(vfnic_tx_descriptor_status(q, 54), RTE_ETH_TX_DESC_DONE);
	assert_int_equal(vfnic_tx_descriptor_status(q, 55),
			 RTE_ETH_TX_DESC_UNAVAIL);
	assert_int_equal(vfnic_tx_descriptor_status(q, 56), RTE_ETH_TX_DESC_FULL);
	assert_int_equal(vfnic_tx_descriptor_status(q, RING - 1),
			 RTE_ETH_TX_DESC_FULL);
	fake_tx_doorbell(&d);
	assert_int_equal(vfnic_tx_descriptor_status(q, 56), RTE_ETH_TX_DESC_DONE);
	assert_int_equal(vfnic_tx_descriptor_status(q, RING - 1),
			 RTE_ETH_TX_DESC_DONE);

	/* four more not yet processed, behind the eight done ones */
	for (i = 0; i < 4; i++)
		m[i] = pkt(60);
	assert_int_equal(vfnic_xmit_pkts(q, m, 4), 4);
	assert_int_equal(vfnic_tx_descriptor_status(q, 51),
			 RTE_ETH_TX_DESC_UNAVAIL);
	assert_int_equal(vfnic_tx_descriptor_status(q, 59), RTE_ETH_TX_DESC_DONE);
	assert_int_equal(vfnic_tx_descriptor_status(q, 60), RTE_ETH_TX_DESC_FULL);
	fake_tx_doorbell(&d);
	assert_int_equal(vfnic_tx_descriptor_status(q, 60), RTE_ETH_TX_DESC_DONE);
	txq_done(q);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rx_desc_status),
		cmocka_unit_test(test_tx_desc_status),
	};

	return fake_run("test_vf_desc", tests, RTE_DIM(tests));
}
