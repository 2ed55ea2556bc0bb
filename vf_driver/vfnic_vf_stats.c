/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_vfnic_vf: basic statistics and xstats.
 *
 * The function's counters (hardware.md section 4, STATS and QSTATS) are
 * read from the VF's own registers: they are cleared only by a reset of
 * the function, so stats_reset keeps a baseline. Per-queue software
 * counters (bytes and packets the burst functions handled, mbuf
 * allocation failures) come from the queues.
 */
#include <stdio.h>
#include <string.h>

#include <ethdev_driver.h>

#include "vfnic_vf.h"
#include "vfnic_vf_rxtx.h"

/* In VFNIC_STAT_* register order. */
static const char * const fn_stat_names[VFNIC_STAT_COUNT] = {
	"rx_good_packets_hw", "rx_good_bytes_hw", "tx_good_packets_hw",
	"tx_good_bytes_hw", "rx_dropped_no_desc", "tx_spoof_dropped",
	"tx_errors", "rx_errors", "rx_broadcast_packets",
	"rx_multicast_packets", "tx_broadcast_packets",
	"tx_multicast_packets", "tx_dropped_link_down",
};

static const char * const q_stat_names[] = {
	"rx_q%u_packets", "rx_q%u_bytes", "rx_q%u_errors",
	"rx_q%u_mbuf_allocation_errors",
	"tx_q%u_packets", "tx_q%u_bytes", "tx_q%u_dropped",
};
#define Q_STATS	RTE_DIM(q_stat_names)

/*
 * A PF reset zeroes the function counters under the running port, which
 * only a port reset (that starts from zero again) brings back in step: a
 * counter found below its last reading restarted, and what it had counted
 * up to that reading is carried in the base, so the app's totals do not
 * drop or wrap. The service reads them when the PF announces its reset
 * (PF_RESET, some 20 ms before the device's) and when it sees the device's
 * (RESET), so the last reading is recent and the restart is seen before a
 * counter climbs past it. Under stats_lock: stats_get, xstats_get (also
 * from telemetry's thread) and the service all read.
 */
static void
fn_stats(struct vfnic_vf_adapter *ad, uint64_t *v)
{
	unsigned int i;

	rte_spinlock_lock(&ad->stats_lock);
	for (i = 0; i < VFNIC_STAT_COUNT; i++) {
		uint64_t raw = vfnic_rd64(ad, VFNIC_STATS + 8 * i);

		if (raw < ad->stats_last[i])
			ad->stats_base[i] -= ad->stats_last[i];
		ad->stats_last[i] = raw;
		v[i] = raw - ad->stats_base[i];
	}
	rte_spinlock_unlock(&ad->stats_lock);
}

void
vfnic_vf_stats_refresh(struct vfnic_vf_adapter *ad)
{
	uint64_t v[VFNIC_STAT_COUNT];

	fn_stats(ad, v);
}

int
vfnic_vf_stats_get(struct rte_eth_dev *dev, struct rte_eth_stats *st)
{
	struct vfnic_vf_adapter *ad = AD(dev);
	uint64_t v[VFNIC_STAT_COUNT];
	uint16_t q;

	fn_stats(ad, v);
	st->ipackets = v[VFNIC_STAT_RX_PKTS / 8];
	st->ibytes = v[VFNIC_STAT_RX_BYTES / 8];
	st->opackets = v[VFNIC_STAT_TX_PKTS / 8];
	st->obytes = v[VFNIC_STAT_TX_BYTES / 8];
	st->imissed = v[VFNIC_STAT_RX_DROP / 8];
	st->ierrors = v[VFNIC_STAT_RX_ERR / 8];
	st->oerrors = v[VFNIC_STAT_TX_ERR / 8] + v[VFNIC_STAT_TX_SPOOF / 8] +
		      v[VFNIC_STAT_TX_DROP / 8];
	for (q = 0; q < dev->data->nb_rx_queues; q++) {
		struct vfnic_rx_queue *rxq = dev->data->rx_queues[q];

		if (rxq == NULL)
			continue;
		st->rx_nombuf += rxq->stats.nombuf;
		if (q < RTE_ETHDEV_QUEUE_STAT_CNTRS) {
			st->q_ipackets[q] = rxq->stats.packets;
			st->q_ibytes[q] = rxq->stats.bytes;
			st->q_errors[q] = rxq->stats.errors;
		}
	}
	for (q = 0; q < dev->data->nb_tx_queues; q++) {
		struct vfnic_tx_queue *txq = dev->data->tx_queues[q];

		if (txq == NULL)
			continue;
		/* frames the burst function dropped never reached the device */
		st->oerrors += txq->stats.errors;
		if (q >= RTE_ETHDEV_QUEUE_STAT_CNTRS)
			continue;
		st->q_opackets[q] = txq->stats.packets;
		st->q_obytes[q] = txq->stats.bytes;
	}
	return 0;
}

int
vfnic_vf_stats_reset(struct rte_eth_dev *dev)
{
	struct vfnic_vf_adapter *ad = AD(dev);
	unsigned int i;
	uint16_t q;

	rte_spinlock_lock(&ad->stats_lock);
	for (i = 0; i < VFNIC_STAT_COUNT; i++) {
		ad->stats_base[i] = vfnic_rd64(ad, VFNIC_STATS + 8 * i);
		ad->stats_last[i] = ad->stats_base[i];
	}
	rte_spinlock_unlock(&ad->stats_lock);
	for (q = 0; q < dev->data->nb_rx_queues; q++) {
		struct vfnic_rx_queue *rxq = dev->data->rx_queues[q];

		if (rxq)
			memset(&rxq->stats, 0, sizeof(rxq->stats));
	}
	for (q = 0; q < dev->data->nb_tx_queues; q++) {
		struct vfnic_tx_queue *txq = dev->data->tx_queues[q];

		if (txq)
			memset(&txq->stats, 0, sizeof(txq->stats));
	}
	return 0;
}

static unsigned int
xstats_count(struct rte_eth_dev *dev)
{
	return VFNIC_STAT_COUNT + Q_STATS * dev->data->nb_rx_queues;
}

int
vfnic_vf_xstats_get_names(struct rte_eth_dev *dev,
			  struct rte_eth_xstat_name *names, unsigned int n)
{
	unsigned int i, k = 0, cnt = xstats_count(dev);
	uint16_t q;

	if (names == NULL || n < cnt)
		return cnt;
	for (i = 0; i < VFNIC_STAT_COUNT; i++)
		snprintf(names[k++].name, RTE_ETH_XSTATS_NAME_SIZE, "%s",
			 fn_stat_names[i]);
	for (q = 0; q < dev->data->nb_rx_queues; q++)
		for (i = 0; i < Q_STATS; i++)
			snprintf(names[k++].name, RTE_ETH_XSTATS_NAME_SIZE,
				 q_stat_names[i], q);
	return cnt;
}

int
vfnic_vf_xstats_get(struct rte_eth_dev *dev, struct rte_eth_xstat *xs,
		    unsigned int n)
{
	uint64_t v[VFNIC_STAT_COUNT];
	unsigned int i, k = 0, cnt = xstats_count(dev);
	uint16_t q;

	if (xs == NULL || n < cnt)
		return cnt;
	fn_stats(AD(dev), v);
	for (i = 0; i < VFNIC_STAT_COUNT; i++, k++) {
		xs[k].id = k;
		xs[k].value = v[i];
	}
	for (q = 0; q < dev->data->nb_rx_queues; q++) {
		struct vfnic_rx_queue *rxq = dev->data->rx_queues[q];
		struct vfnic_tx_queue *txq = q < dev->data->nb_tx_queues ?
					     dev->data->tx_queues[q] : NULL;
		uint64_t qv[Q_STATS] = {
			rxq ? rxq->stats.packets : 0, rxq ? rxq->stats.bytes : 0,
			rxq ? rxq->stats.errors : 0, rxq ? rxq->stats.nombuf : 0,
			txq ? txq->stats.packets : 0, txq ? txq->stats.bytes : 0,
			txq ? txq->stats.errors : 0,
		};

		for (i = 0; i < Q_STATS; i++, k++) {
			xs[k].id = k;
			xs[k].value = qv[i];
		}
	}
	return cnt;
}
