/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_vfnic_vf: descriptor status and the count of received descriptors
 * (rte_eth_rx/tx_descriptor_status(), rte_eth_rx_queue_count()), read
 * from the rings in memory as the burst functions see them. Apart from
 * vfnic_vf_rxtx.c only for ethdev's status values; tests/unit/test_vf_desc.c
 * drives them against the fake device.
 */
#include <errno.h>

#include <rte_ethdev.h>

#include "vfnic_vf_rxtx.h"

/*
 * Descriptor status, from the next descriptor to be received: only the
 * descriptors given to the device (next up to the tail) are looked at,
 * since a consumed one keeps its write-back, DD included, until refilled.
 */
int
vfnic_rx_descriptor_status(void *rx_queue, uint16_t offset)
{
	struct vfnic_rx_queue *q = rx_queue;

	if (unlikely(offset >= q->nb_desc))
		return -EINVAL;
	if (offset >= ((q->tail - q->next) & q->mask))
		return RTE_ETH_RX_DESC_UNAVAIL;
	return rte_le_to_cpu_16(q->ring[(q->next + offset) & q->mask].wb.status) &
	       VFNIC_RXD_STA_DD ? RTE_ETH_RX_DESC_DONE : RTE_ETH_RX_DESC_AVAIL;
}

uint32_t
vfnic_rx_queue_count(void *rx_queue)
{
	struct vfnic_rx_queue *q = rx_queue;
	uint16_t owned = (q->tail - q->next) & q->mask, n;

	for (n = 0; n < owned; n++)
		if (!(rte_le_to_cpu_16(q->ring[(q->next + n) & q->mask].wb.status) &
		      VFNIC_RXD_STA_DD))
			break;
	return n;
}

/*
 * From the tail: nb_free descriptors software may fill, the one kept empty
 * before clean (the driver's: unavailable), then those in flight from
 * clean on, written with a zero status and given DD as the device
 * processes them.
 */
int
vfnic_tx_descriptor_status(void *tx_queue, uint16_t offset)
{
	struct vfnic_tx_queue *q = tx_queue;

	if (unlikely(offset >= q->nb_desc))
		return -EINVAL;
	if (offset < q->nb_free)
		return RTE_ETH_TX_DESC_DONE;
	if (offset == q->nb_free)
		return RTE_ETH_TX_DESC_UNAVAIL;
	return rte_le_to_cpu_16(q->ring[(q->tail + offset) & q->mask].status) &
	       VFNIC_TXD_STA_DD ? RTE_ETH_TX_DESC_DONE : RTE_ETH_TX_DESC_FULL;
}
