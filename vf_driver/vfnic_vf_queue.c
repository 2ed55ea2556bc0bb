/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_vfnic_vf: rx/tx queue setup and release, the queues' registers, and
 * per-queue start/stop.
 *
 * A queue is its descriptor ring (a DMA zone the device reads), the mbuf
 * ring beside it and the tail doorbell in the VF's function block
 * (hardware.md section 5). Setup only allocates and records; the rings are
 * filled and handed to the device at dev_start (vfnic_vf_ethdev.c) or, for
 * a deferred queue, when the app starts it, so
 * vfnic_vf_rxtx.c stays free of ethdev and testable on plain memory.
 */
#include <errno.h>

#include <ethdev_driver.h>
#include <rte_malloc.h>

#include "vfnic_vf.h"
#include "vfnic_vf_rxtx.h"

void
vfnic_vf_rx_queue_release(struct rte_eth_dev *dev, uint16_t qid)
{
	struct vfnic_rx_queue *q = dev->data->rx_queues[qid];

	if (q == NULL)
		return;
	vfnic_rxq_release_mbufs(q);
	rte_memzone_free(q->mz);
	rte_free(q->sw_ring);
	rte_free(q);
	dev->data->rx_queues[qid] = NULL;
}

void
vfnic_vf_tx_queue_release(struct rte_eth_dev *dev, uint16_t qid)
{
	struct vfnic_tx_queue *q = dev->data->tx_queues[qid];

	if (q == NULL)
		return;
	vfnic_txq_release_mbufs(q);
	rte_memzone_free(q->mz);
	rte_free(q->sw_ring);
	rte_free(q);
	dev->data->tx_queues[qid] = NULL;
}

/*
 * The device's rings are powers of two; ethdev only knows alignment (32),
 * so another multiple of 32 is taken up to the next power of two, as mlx5
 * does, rather than refused. Returns the size, or 0 for a refusal.
 */
static uint16_t
ring_size(struct rte_eth_dev *dev, const char *what, uint16_t qid,
	  uint16_t nb_desc, uint16_t min)
{
	uint32_t n = rte_align32pow2(nb_desc);

	if (n >= min && n <= VFNIC_Q_LEN_MAX && nb_desc) {
		if (n != nb_desc)
			PMD_DRV_LOG(NOTICE, "port %u %s %u: %u descriptors rounded up to %u",
				    dev->data->port_id, what, qid, nb_desc, n);
		return n;
	}
	PMD_DRV_LOG(ERR, "port %u %s %u: %u descriptors: expected %u..%u",
		    dev->data->port_id, what, qid, nb_desc, min,
		    VFNIC_Q_LEN_MAX);
	return 0;
}

/* A queue's descriptor ring (DMA zone) and its mbuf ring, both or none. */
static int
vfnic_vf_ring_alloc(struct rte_eth_dev *dev, const char *name, uint16_t qid,
		    uint16_t nb_desc, unsigned int socket,
		    struct rte_mbuf ***sw_ring, const struct rte_memzone **mz)
{
	*sw_ring = rte_zmalloc_socket(name, nb_desc * sizeof(**sw_ring),
				      RTE_CACHE_LINE_SIZE, socket);
	*mz = rte_eth_dma_zone_reserve(dev, name, qid,
				       nb_desc * VFNIC_DESC_SIZE,
				       RTE_CACHE_LINE_SIZE, socket);
	if (*sw_ring == NULL || *mz == NULL) {
		rte_free(*sw_ring);
		rte_eth_dma_zone_free(dev, name, qid);
		*sw_ring = NULL;
		*mz = NULL;
		return -ENOMEM;
	}
	return 0;
}

int
vfnic_vf_rx_queue_setup(struct rte_eth_dev *dev, uint16_t qid,
			uint16_t nb_desc, unsigned int socket,
			const struct rte_eth_rxconf *conf,
			struct rte_mempool *mp)
{
	struct vfnic_vf_adapter *ad = AD(dev);
	uint32_t room = rte_pktmbuf_data_room_size(mp) - RTE_PKTMBUF_HEADROOM;
	struct vfnic_rx_queue *q;

	nb_desc = ring_size(dev, "rxq", qid, nb_desc, VFNIC_Q_LEN_MIN);
	if (nb_desc == 0)
		return -EINVAL;
	if (room < VFNIC_RX_BUF_MIN) {
		PMD_DRV_LOG(ERR, "port %u rxq %u: mbuf data room %u: expected at least %u",
			    dev->data->port_id, qid, room, VFNIC_RX_BUF_MIN);
		return -EINVAL;
	}
	vfnic_vf_rx_queue_release(dev, qid);
	q = rte_zmalloc_socket("vfnic_rxq", sizeof(*q), RTE_CACHE_LINE_SIZE,
			       socket);
	if (q == NULL)
		return -ENOMEM;
	if (vfnic_vf_ring_alloc(dev, "rx_ring", qid, nb_desc, socket,
				&q->sw_ring, &q->mz)) {
		rte_free(q);
		return -ENOMEM;
	}
	q->ring = q->mz->addr;
	q->ring_dma = q->mz->iova;
	q->mp = mp;
	q->nb_desc = nb_desc;
	q->mask = nb_desc - 1;
	q->buf_size = RTE_MIN(room, (uint32_t)VFNIC_RX_BUF_MAX);
	q->port_id = dev->data->port_id;
	q->queue_id = qid;
	q->offloads = conf->offloads | dev->data->dev_conf.rxmode.offloads;
	q->deferred = conf->rx_deferred_start;
	q->free_thresh = conf->rx_free_thresh ? conf->rx_free_thresh :
						VFNIC_RX_FREE_DEFAULT;
	q->tail_reg = (volatile uint32_t *)(ad->hw_addr +
					    VFNIC_QP_REG(qid, VFNIC_RXQ_TAIL));
	dev->data->rx_queues[qid] = q;
	return 0;
}

int
vfnic_vf_tx_queue_setup(struct rte_eth_dev *dev, uint16_t qid,
			uint16_t nb_desc, unsigned int socket,
			const struct rte_eth_txconf *conf)
{
	struct vfnic_vf_adapter *ad = AD(dev);
	struct vfnic_tx_queue *q;

	nb_desc = ring_size(dev, "txq", qid, nb_desc, 2 * VFNIC_TX_CLEAN_BATCH);
	if (nb_desc == 0)
		return -EINVAL;
	if (conf->tx_free_thresh >= nb_desc) {
		PMD_DRV_LOG(ERR, "port %u txq %u: tx_free_thresh %u: expected 0 (the default) or less than the ring's %u descriptors",
			    dev->data->port_id, qid, conf->tx_free_thresh,
			    nb_desc);
		return -EINVAL;
	}
	vfnic_vf_tx_queue_release(dev, qid);
	q = rte_zmalloc_socket("vfnic_txq", sizeof(*q), RTE_CACHE_LINE_SIZE,
			       socket);
	if (q == NULL)
		return -ENOMEM;
	if (vfnic_vf_ring_alloc(dev, "tx_ring", qid, nb_desc, socket,
				&q->sw_ring, &q->mz)) {
		rte_free(q);
		return -ENOMEM;
	}
	q->ring = q->mz->addr;
	q->ring_dma = q->mz->iova;
	q->nb_desc = nb_desc;
	q->mask = nb_desc - 1;
	q->nb_free = nb_desc - 1;
	q->port_id = dev->data->port_id;
	q->queue_id = qid;
	q->offloads = conf->offloads | dev->data->dev_conf.txmode.offloads;
	q->deferred = conf->tx_deferred_start;
	q->free_thresh = conf->tx_free_thresh;	/* 0: the default */
	q->fast_free = (q->offloads & RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE) &&
		       !(q->offloads & RTE_ETH_TX_OFFLOAD_MULTI_SEGS);
	q->tail_reg = (volatile uint32_t *)(ad->hw_addr +
					    VFNIC_QP_REG(qid, VFNIC_TXQ_TAIL));
	dev->data->tx_queues[qid] = q;
	return 0;
}

/* ---- registers and per-queue start/stop ---------------------------- */

void
vfnic_vf_rxq_regs_program(struct vfnic_vf_adapter *ad, uint16_t q,
		 const struct vfnic_rx_queue *rxq)
{
	vfnic_wr32(ad, VFNIC_QP_REG(q, VFNIC_RXQ_CTRL), 0);
	vfnic_wr32(ad, VFNIC_QP_REG(q, VFNIC_RXQ_BASE_LO), (uint32_t)rxq->ring_dma);
	vfnic_wr32(ad, VFNIC_QP_REG(q, VFNIC_RXQ_BASE_HI), rxq->ring_dma >> 32);
	vfnic_wr32(ad, VFNIC_QP_REG(q, VFNIC_RXQ_LEN), rxq->nb_desc);
	vfnic_wr32(ad, VFNIC_QP_REG(q, VFNIC_RXQ_BUF_SIZE), rxq->buf_size);
}

void
vfnic_vf_txq_regs_program(struct vfnic_vf_adapter *ad, uint16_t q,
		 const struct vfnic_tx_queue *txq)
{
	vfnic_wr32(ad, VFNIC_QP_REG(q, VFNIC_TXQ_CTRL), 0);
	vfnic_wr32(ad, VFNIC_QP_REG(q, VFNIC_TXQ_BASE_LO), (uint32_t)txq->ring_dma);
	vfnic_wr32(ad, VFNIC_QP_REG(q, VFNIC_TXQ_BASE_HI), txq->ring_dma >> 32);
	vfnic_wr32(ad, VFNIC_QP_REG(q, VFNIC_TXQ_LEN), txq->nb_desc);
}

/* Enable a programmed ring; the device refuses a bad one with ERROR. */
int
vfnic_vf_ring_enable(struct vfnic_vf_adapter *ad, uint32_t reg)
{
	vfnic_wr32(ad, reg, VFNIC_Q_CTRL_ENABLE);
	if (!(vfnic_rd32(ad, reg) & VFNIC_Q_CTRL_ERROR))
		return 0;
	vfnic_wr32(ad, reg, 0);
	return -EIO;
}

/*
 * Per-queue start and stop (and deferred start): the queue pair's rings
 * were configured to the PF with the port's (CONFIG_QUEUES at dev_start),
 * so a queue needs only its ring filled or emptied, its registers, and
 * ENABLE/DISABLE_QUEUES for its own bit. ethdev allows these only on a
 * started port.
 */
int
vfnic_vf_rx_queue_start(struct rte_eth_dev *dev, uint16_t qid)
{
	struct vfnic_vf_adapter *ad = AD(dev);
	struct vfnic_rx_queue *q = dev->data->rx_queues[qid];
	int err;

	if (ad->resetting)
		return -EIO;
	err = vfnic_rxq_start(q);
	if (err)
		goto fail;
	vfnic_vf_rxq_regs_program(ad, qid, q);
	err = vfnic_vf_mbx_queues(ad, true, RTE_BIT32(qid), 0);
	if (err)
		goto fail;
	if (q->tail_shadow != NULL) {
		*q->tail_shadow = rte_cpu_to_le_32(q->tail);
		rte_io_wmb();
	}
	err = vfnic_vf_ring_enable(ad, VFNIC_QP_REG(qid, VFNIC_RXQ_CTRL));
	if (err) {
		vfnic_vf_mbx_queues(ad, false, RTE_BIT32(qid), 0);
		goto fail;
	}
	vfnic_wr32(ad, VFNIC_QP_REG(qid, VFNIC_RXQ_TAIL), q->tail);
	dev->data->rx_queue_state[qid] = RTE_ETH_QUEUE_STATE_STARTED;
	return 0;
fail:
	PMD_DRV_LOG(ERR, "port %u rxq %u: start failed: %s", dev->data->port_id,
		    qid, rte_strerror(-err));
	vfnic_rxq_release_mbufs(q);
	return err;
}

int
vfnic_vf_rx_queue_stop(struct rte_eth_dev *dev, uint16_t qid)
{
	struct vfnic_vf_adapter *ad = AD(dev);
	struct vfnic_rx_queue *q = dev->data->rx_queues[qid];

	vfnic_wr32(ad, VFNIC_QP_REG(qid, VFNIC_RXQ_CTRL), 0);
	/* the pair's tx completions would still wake the stopped queue */
	vfnic_wr32(ad, VFNIC_QP_REG(qid, VFNIC_QP_INT), 0);
	if (!ad->resetting)
		vfnic_vf_mbx_queues(ad, false, RTE_BIT32(qid), 0);
	vfnic_rxq_release_mbufs(q);
	if (q->tail_shadow != NULL)
		*q->tail_shadow = 0;
	dev->data->rx_queue_state[qid] = RTE_ETH_QUEUE_STATE_STOPPED;
	return 0;
}

int
vfnic_vf_tx_queue_start(struct rte_eth_dev *dev, uint16_t qid)
{
	struct vfnic_vf_adapter *ad = AD(dev);
	struct vfnic_tx_queue *q = dev->data->tx_queues[qid];
	int err;

	if (ad->resetting)
		return -EIO;
	vfnic_txq_start(q);
	vfnic_vf_txq_regs_program(ad, qid, q);
	err = vfnic_vf_mbx_queues(ad, true, 0, RTE_BIT32(qid));
	if (err)
		goto fail;
	if (q->tail_shadow != NULL) {
		*q->tail_shadow = rte_cpu_to_le_32(q->tail);
		*q->db_wanted = rte_cpu_to_le_32(1);
		rte_io_wmb();
	}
	err = vfnic_vf_ring_enable(ad, VFNIC_QP_REG(qid, VFNIC_TXQ_CTRL));
	if (err) {
		vfnic_vf_mbx_queues(ad, false, 0, RTE_BIT32(qid));
		goto fail;
	}
	dev->data->tx_queue_state[qid] = RTE_ETH_QUEUE_STATE_STARTED;
	return 0;
fail:
	PMD_DRV_LOG(ERR, "port %u txq %u: start failed: %s", dev->data->port_id,
		    qid, rte_strerror(-err));
	return err;
}

int
vfnic_vf_tx_queue_stop(struct rte_eth_dev *dev, uint16_t qid)
{
	struct vfnic_vf_adapter *ad = AD(dev);
	struct vfnic_tx_queue *q = dev->data->tx_queues[qid];

	vfnic_wr32(ad, VFNIC_QP_REG(qid, VFNIC_TXQ_CTRL), 0);
	if (!ad->resetting)
		vfnic_vf_mbx_queues(ad, false, 0, RTE_BIT32(qid));
	vfnic_txq_release_mbufs(q);
	dev->data->tx_queue_state[qid] = RTE_ETH_QUEUE_STATE_STOPPED;
	return 0;
}

/* What the queue runs with: ethdev adds the state. */
void
vfnic_vf_rxq_info_get(struct rte_eth_dev *dev, uint16_t qid,
		      struct rte_eth_rxq_info *qi)
{
	const struct vfnic_rx_queue *q = dev->data->rx_queues[qid];

	qi->mp = q->mp;
	qi->nb_desc = q->nb_desc;
	qi->rx_buf_size = q->buf_size;
	/* a frame longer than a buffer spans several (hardware.md 5) */
	qi->scattered_rx = dev->data->mtu + RTE_ETHER_HDR_LEN + 4 > q->buf_size;
	qi->conf.rx_free_thresh = q->free_thresh;
	qi->conf.rx_drop_en = 1;	/* no descriptor: the device drops */
	qi->conf.rx_deferred_start = q->deferred;
	qi->conf.offloads = q->offloads;
}

void
vfnic_vf_txq_info_get(struct rte_eth_dev *dev, uint16_t qid,
		      struct rte_eth_txq_info *qi)
{
	const struct vfnic_tx_queue *q = dev->data->tx_queues[qid];

	qi->nb_desc = q->nb_desc;
	qi->conf.tx_free_thresh = q->free_thresh;
	qi->conf.tx_deferred_start = q->deferred;
	qi->conf.offloads = q->offloads;
}
