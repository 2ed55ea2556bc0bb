// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfnic_pf: the PF's own netdev. It sends and receives through the PF's
 * queue pairs (docs/hardware.md section 5) and the device's switch: frames
 * go to the uplink and to local functions. One NAPI context and one MSI-X
 * vector (1 + q) per queue pair; rings are DMA-coherent descriptor arrays,
 * buffers are streaming-mapped skbs, one descriptor per frame on tx.
 */
#include <linux/rtnetlink.h>

#include "vfnic_pf.h"

#define VFNIC_TX_WAKE_THRESH	8

struct vfnic_desc_wb {		/* a descriptor, as the device writes it */
	__le64 addr;		/* tx: buffer; rx: RSS hash in bits 31:0 */
	__le16 len;
	__le16 vlan;
	__le16 cmd;		/* tx: VFNIC_TXD_CMD_*; rx: status */
	__le16 status;		/* tx: VFNIC_TXD_STA_*; rx: 0 */
};

static_assert(sizeof(struct vfnic_desc_wb) == VFNIC_DESC_SIZE);
static_assert(offsetof(struct vfnic_desc_wb, cmd) == VFNIC_RXD_STATUS);
static_assert(offsetof(struct vfnic_desc_wb, status) == VFNIC_TXD_STATUS);

static struct vfnic_desc_wb *vfnic_desc(struct vfnic_ring *ring, u16 i)
{
	return (struct vfnic_desc_wb *)ring->desc + i;
}

static u16 vfnic_ring_unused(const struct vfnic_ring *ring)
{
	return ring->count - 1 -
	       ((ring->next_to_use - ring->next_to_clean) & (ring->count - 1));
}

void vfnic_ring_stats_read(struct vfnic_ring *ring, u64 *packets, u64 *bytes,
			   u64 *errors, u64 *alloc_fail, u64 *busy)
{
	struct vfnic_ring_stats *s = &ring->stats;
	unsigned int start;

	do {
		start = u64_stats_fetch_begin(&s->syncp);
		*packets = s->packets;
		*bytes = s->bytes;
		*errors = s->errors;
		*alloc_fail = s->alloc_fail;
		*busy = s->busy;
	} while (u64_stats_fetch_retry(&s->syncp, start));
}

static int vfnic_ring_alloc(struct vfnic_ring *ring, struct device *dev,
			    u16 count)
{
	ring->dev = dev;
	ring->count = count;
	ring->next_to_use = 0;
	ring->next_to_clean = 0;
	ring->buf = kcalloc(count, sizeof(*ring->buf), GFP_KERNEL);
	if (!ring->buf)
		return -ENOMEM;
	ring->desc = dma_alloc_coherent(dev, (size_t)count * VFNIC_DESC_SIZE,
					&ring->dma, GFP_KERNEL);
	if (!ring->desc) {
		kfree(ring->buf);
		ring->buf = NULL;
		return -ENOMEM;
	}
	return 0;
}

static void vfnic_ring_free(struct vfnic_ring *ring,
			    enum dma_data_direction dir)
{
	u16 i;

	if (!ring->buf)
		return;
	for (i = 0; i < ring->count; i++) {
		struct vfnic_buf *b = &ring->buf[i];

		if (!b->skb)
			continue;
		dma_unmap_single(ring->dev, b->dma, b->len, dir);
		dev_kfree_skb_any(b->skb);
		b->skb = NULL;
	}
	dma_free_coherent(ring->dev, (size_t)ring->count * VFNIC_DESC_SIZE,
			  ring->desc, ring->dma);
	kfree(ring->buf);
	ring->buf = NULL;
	ring->desc = NULL;
}

/* Give the device every free rx descriptor, then ring the doorbell. */
static void vfnic_rx_refill(struct vfnic_qp *qp)
{
	struct vfnic_ring *ring = &qp->rx;
	struct net_device *netdev = qp->pf->netdev;
	u16 n = vfnic_ring_unused(ring), ntu = ring->next_to_use;

	if (!n)
		return;
	while (n--) {
		struct vfnic_buf *b = &ring->buf[ntu];
		struct vfnic_desc_wb *d = vfnic_desc(ring, ntu);

		if (!b->skb) {
			struct sk_buff *skb;
			dma_addr_t dma;

			skb = napi_alloc_skb(&qp->napi, ring->buf_size);
			if (!skb)
				goto fail;
			dma = dma_map_single(ring->dev, skb->data,
					     ring->buf_size, DMA_FROM_DEVICE);
			if (dma_mapping_error(ring->dev, dma)) {
				dev_kfree_skb_any(skb);
				goto fail;
			}
			b->skb = skb;
			b->dma = dma;
			b->len = ring->buf_size;
		}
		memset(d, 0, sizeof(*d));
		d->addr = cpu_to_le64(b->dma);
		ntu = (ntu + 1) & (ring->count - 1);
	}
	goto out;
fail:
	u64_stats_update_begin(&ring->stats.syncp);
	ring->stats.alloc_fail++;
	u64_stats_update_end(&ring->stats.syncp);
	netdev_dbg(netdev, "queue %u: rx buffer allocation failed\n", qp->id);
out:
	if (ntu == ring->next_to_use)
		return;
	ring->next_to_use = ntu;
	/* writel orders the descriptor writes before the doorbell */
	vfnic_wr(qp->pf, VFNIC_QP_REG(qp->id, VFNIC_RXQ_TAIL), ntu);
}

static int vfnic_rx_clean(struct vfnic_qp *qp, int budget)
{
	struct vfnic_ring *ring = &qp->rx;
	struct net_device *netdev = qp->pf->netdev;
	u64 packets = 0, bytes = 0, errors = 0;
	bool discard = false;
	int done = 0;

	while (done < budget && ring->next_to_clean != ring->next_to_use) {
		u16 ntc = ring->next_to_clean;
		struct vfnic_desc_wb *d = vfnic_desc(ring, ntc);
		struct vfnic_buf *b = &ring->buf[ntc];
		struct sk_buff *skb;
		u16 status, len;

		status = le16_to_cpu(READ_ONCE(d->cmd));
		if (!(status & VFNIC_RXD_STA_DD))
			break;
		dma_rmb();
		len = le16_to_cpu(d->len);
		dma_unmap_single(ring->dev, b->dma, b->len, DMA_FROM_DEVICE);
		skb = b->skb;
		b->skb = NULL;
		ring->next_to_clean = (ntc + 1) & (ring->count - 1);

		/* Frames larger than a buffer span descriptors: not ours. */
		if (!(status & VFNIC_RXD_STA_EOP) || discard ||
		    len > ring->buf_size) {
			discard = !(status & VFNIC_RXD_STA_EOP);
			if (status & VFNIC_RXD_STA_EOP)
				errors++;
			dev_kfree_skb_any(skb);
			continue;
		}
		skb_put(skb, len);
		if ((netdev->features & NETIF_F_RXHASH) &&
		    (status & VFNIC_RXD_STA_RSS))
			skb_set_hash(skb, le64_to_cpu(d->addr) & 0xffffffff,
				     PKT_HASH_TYPE_L3);
		if ((netdev->features & NETIF_F_RXCSUM) &&
		    (status & VFNIC_RXD_STA_L4CSUM_OK) &&
		    !(status & VFNIC_RXD_STA_CSUM_BAD))
			skb->ip_summed = CHECKSUM_UNNECESSARY;
		skb->protocol = eth_type_trans(skb, netdev);
		skb_record_rx_queue(skb, qp->id);
		packets++;
		bytes += len;
		done++;
		napi_gro_receive(&qp->napi, skb);
	}
	u64_stats_update_begin(&ring->stats.syncp);
	ring->stats.packets += packets;
	ring->stats.bytes += bytes;
	ring->stats.errors += errors;
	u64_stats_update_end(&ring->stats.syncp);
	vfnic_rx_refill(qp);
	return done;
}

static void vfnic_tx_clean(struct vfnic_qp *qp, int budget)
{
	struct vfnic_ring *ring = &qp->tx;
	struct net_device *netdev = qp->pf->netdev;
	struct netdev_queue *txq = netdev_get_tx_queue(netdev, qp->id);
	unsigned int packets = 0, bytes = 0, errors = 0;

	while (ring->next_to_clean != ring->next_to_use) {
		u16 ntc = ring->next_to_clean;
		struct vfnic_desc_wb *d = vfnic_desc(ring, ntc);
		struct vfnic_buf *b = &ring->buf[ntc];
		u16 status = le16_to_cpu(READ_ONCE(d->status));

		if (!(status & VFNIC_TXD_STA_DD))
			break;
		dma_rmb();
		dma_unmap_single(ring->dev, b->dma, b->len, DMA_TO_DEVICE);
		if (status & VFNIC_TXD_STA_ERR)
			errors++;
		else
			packets++;
		bytes += b->skb->len;
		napi_consume_skb(b->skb, budget);
		b->skb = NULL;
		ring->next_to_clean = (ntc + 1) & (ring->count - 1);
	}
	if (!packets && !errors)
		return;
	netdev_tx_completed_queue(txq, packets + errors, bytes);
	u64_stats_update_begin(&ring->stats.syncp);
	ring->stats.packets += packets;
	ring->stats.bytes += bytes;
	ring->stats.errors += errors;
	u64_stats_update_end(&ring->stats.syncp);
	/* pairs with the barrier in vfnic_xmit() */
	smp_mb();
	if (netif_tx_queue_stopped(txq) &&
	    vfnic_ring_unused(ring) >= VFNIC_TX_WAKE_THRESH &&
	    test_bit(VFNIC_PF_UP, &qp->pf->flags))
		netif_tx_wake_queue(txq);
}

static int vfnic_poll(struct napi_struct *napi, int budget)
{
	struct vfnic_qp *qp = container_of(napi, struct vfnic_qp, napi);
	int done;

	vfnic_tx_clean(qp, budget);
	done = vfnic_rx_clean(qp, budget);
	if (done < budget)
		napi_complete_done(napi, done);
	return done;
}

irqreturn_t vfnic_qp_irq(int irq, void *data)
{
	struct vfnic_qp *qp = data;

	napi_schedule_irqoff(&qp->napi);
	return IRQ_HANDLED;
}

static netdev_tx_t vfnic_xmit(struct sk_buff *skb, struct net_device *netdev)
{
	struct vfnic_pf *pf = netdev_priv(netdev);
	u16 q = skb_get_queue_mapping(skb);
	struct vfnic_qp *qp = &pf->qp[q];
	struct vfnic_ring *ring = &qp->tx;
	struct netdev_queue *txq = netdev_get_tx_queue(netdev, q);
	struct vfnic_desc_wb *d;
	struct vfnic_buf *b;
	u16 cmd = VFNIC_TXD_CMD_EOP, vlan = 0;
	dma_addr_t dma;

	if (skb_put_padto(skb, ETH_ZLEN)) {
		dev_core_stats_tx_dropped_inc(netdev);	/* skb freed */
		return NETDEV_TX_OK;
	}
	if (unlikely(!vfnic_ring_unused(ring))) {
		netif_tx_stop_queue(txq);
		u64_stats_update_begin(&ring->stats.syncp);
		ring->stats.busy++;
		u64_stats_update_end(&ring->stats.syncp);
		return NETDEV_TX_BUSY;
	}
	dma = dma_map_single(ring->dev, skb->data, skb_headlen(skb),
			     DMA_TO_DEVICE);
	if (dma_mapping_error(ring->dev, dma)) {
		dev_kfree_skb_any(skb);
		dev_core_stats_tx_dropped_inc(netdev);
		return NETDEV_TX_OK;
	}
	if (skb_vlan_tag_present(skb)) {
		cmd |= VFNIC_TXD_CMD_VLAN;
		vlan = skb_vlan_tag_get(skb);
	}
	b = &ring->buf[ring->next_to_use];
	b->skb = skb;
	b->dma = dma;
	b->len = skb_headlen(skb);
	d = vfnic_desc(ring, ring->next_to_use);
	d->addr = cpu_to_le64(dma);
	d->len = cpu_to_le16(skb_headlen(skb));
	d->vlan = cpu_to_le16(vlan);
	d->cmd = cpu_to_le16(cmd);
	d->status = 0;
	ring->next_to_use = (ring->next_to_use + 1) & (ring->count - 1);
	skb_tx_timestamp(skb);

	if (vfnic_ring_unused(ring) < 2) {
		netif_tx_stop_queue(txq);
		/* pairs with the barrier in vfnic_tx_clean() */
		smp_mb();
		if (vfnic_ring_unused(ring) >= VFNIC_TX_WAKE_THRESH)
			netif_tx_start_queue(txq);
	}
	/* the device sends all up to the tail before the write returns */
	if (__netdev_tx_sent_queue(txq, skb->len, netdev_xmit_more()))
		vfnic_wr(pf, VFNIC_QP_REG(q, VFNIC_TXQ_TAIL),
			 ring->next_to_use);
	return NETDEV_TX_OK;
}

static u32 vfnic_rx_buf_size(u32 mtu)
{
	return max_t(u32, VFNIC_PF_RX_BUF_MIN,
		     ALIGN(mtu + ETH_HLEN + 2 * VLAN_HLEN, 1024));
}

static int vfnic_qp_start(struct vfnic_qp *qp)
{
	struct vfnic_pf *pf = qp->pf;
	struct vfnic_ring *rx = &qp->rx, *tx = &qp->tx;
	u32 base = VFNIC_QP_REG(qp->id, 0), rx_ctrl, tx_ctrl;

	vfnic_wr(pf, base + VFNIC_RXQ_BASE_LO, lower_32_bits(rx->dma));
	vfnic_wr(pf, base + VFNIC_RXQ_BASE_HI, upper_32_bits(rx->dma));
	vfnic_wr(pf, base + VFNIC_RXQ_LEN, rx->count);
	vfnic_wr(pf, base + VFNIC_RXQ_BUF_SIZE, rx->buf_size);
	vfnic_wr(pf, base + VFNIC_TXQ_BASE_LO, lower_32_bits(tx->dma));
	vfnic_wr(pf, base + VFNIC_TXQ_BASE_HI, upper_32_bits(tx->dma));
	vfnic_wr(pf, base + VFNIC_TXQ_LEN, tx->count);
	vfnic_wr(pf, base + VFNIC_QP_INT, VFNIC_QP_INT_ENABLE | (1 + qp->id));
	vfnic_wr(pf, base + VFNIC_RXQ_CTRL, VFNIC_Q_CTRL_ENABLE);
	vfnic_wr(pf, base + VFNIC_TXQ_CTRL, VFNIC_Q_CTRL_ENABLE);
	/* Enabling checks the ring; an invalid one reads ERROR (section 5). */
	rx_ctrl = vfnic_rd(pf, base + VFNIC_RXQ_CTRL);
	tx_ctrl = vfnic_rd(pf, base + VFNIC_TXQ_CTRL);
	if (!(rx_ctrl & tx_ctrl & VFNIC_Q_CTRL_ENABLE)) {
		netdev_err(pf->netdev, "queue %u: device refused the rings (rx ctrl 0x%x, tx ctrl 0x%x)\n",
			   qp->id, rx_ctrl, tx_ctrl);
		return -EIO;
	}
	return 0;
}

static void vfnic_qp_stop(struct vfnic_qp *qp)
{
	struct vfnic_pf *pf = qp->pf;

	vfnic_wr(pf, VFNIC_QP_REG(qp->id, VFNIC_QP_INT), 0);
	vfnic_wr(pf, VFNIC_QP_REG(qp->id, VFNIC_RXQ_CTRL), 0);
	vfnic_wr(pf, VFNIC_QP_REG(qp->id, VFNIC_TXQ_CTRL), 0);
}

static void vfnic_rss_program(struct vfnic_pf *pf)
{
	u8 key[VFNIC_RSS_KEY_SIZE];
	u32 w;
	int i;

	netdev_rss_key_fill(key, sizeof(key));
	for (i = 0; i < VFNIC_RSS_KEY_SIZE; i += 4) {
		memcpy(&w, key + i, 4);
		vfnic_wr(pf, VFNIC_RSS_KEY + i, le32_to_cpu((__force __le32)w));
	}
	for (i = 0; i < VFNIC_RSS_RETA_SIZE; i += 4)
		vfnic_wr(pf, VFNIC_RSS_RETA + i,
			 (i % pf->num_qp) | ((i + 1) % pf->num_qp) << 8 |
			 ((i + 2) % pf->num_qp) << 16 |
			 ((i + 3) % pf->num_qp) << 24);
	vfnic_wr(pf, VFNIC_RSS_CTRL,
		 pf->num_qp > 1 ? VFNIC_MBX_RSS_HASH_ALL : 0);
}

static void vfnic_free_qps(struct vfnic_pf *pf, u16 n)
{
	while (n--) {
		struct vfnic_qp *qp = &pf->qp[n];

		free_irq(pci_irq_vector(pf->pdev, 1 + n), qp);
		vfnic_ring_free(&qp->tx, DMA_TO_DEVICE);
		vfnic_ring_free(&qp->rx, DMA_FROM_DEVICE);
	}
}

/* Bring the rings up; under rtnl_lock. */
int vfnic_up(struct vfnic_pf *pf)
{
	struct net_device *netdev = pf->netdev;
	struct device *dev = &pf->pdev->dev;
	u16 q;
	int err;

	pf->rx_buf_size = vfnic_rx_buf_size(netdev->mtu);
	vfnic_wr(pf, VFNIC_FN_MAX_FRAME, netdev->mtu + ETH_HLEN);
	for (q = 0; q < pf->num_qp; q++) {
		struct vfnic_qp *qp = &pf->qp[q];

		err = vfnic_ring_alloc(&qp->rx, dev, pf->rx_count);
		if (err)
			goto err;
		qp->rx.buf_size = pf->rx_buf_size;
		err = vfnic_ring_alloc(&qp->tx, dev, pf->tx_count);
		if (err) {
			vfnic_ring_free(&qp->rx, DMA_FROM_DEVICE);
			goto err;
		}
		snprintf(qp->irq_name, sizeof(qp->irq_name), "%s-qp%u",
			 netdev->name, q);
		err = request_irq(pci_irq_vector(pf->pdev, 1 + q), vfnic_qp_irq,
				  0, qp->irq_name, qp);
		if (err) {
			vfnic_ring_free(&qp->tx, DMA_TO_DEVICE);
			vfnic_ring_free(&qp->rx, DMA_FROM_DEVICE);
			goto err;
		}
	}
	for (q = 0; q < pf->num_qp; q++) {
		err = vfnic_qp_start(&pf->qp[q]);
		if (err)
			goto err_stop;
	}
	vfnic_rss_program(pf);
	for (q = 0; q < pf->num_qp; q++) {
		napi_enable(&pf->qp[q].napi);
		local_bh_disable();
		vfnic_rx_refill(&pf->qp[q]);
		local_bh_enable();
	}
	set_bit(VFNIC_PF_UP, &pf->flags);
	netif_tx_start_all_queues(netdev);
	vfnic_update_carrier(pf);
	return 0;

err_stop:
	for (q = 0; q < pf->num_qp; q++)
		vfnic_qp_stop(&pf->qp[q]);
	q = pf->num_qp;
err:
	vfnic_free_qps(pf, q);
	return err;
}

void vfnic_down(struct vfnic_pf *pf)
{
	struct net_device *netdev = pf->netdev;
	u16 q;

	clear_bit(VFNIC_PF_UP, &pf->flags);
	netif_carrier_off(netdev);
	netif_tx_disable(netdev);
	for (q = 0; q < pf->num_qp; q++)
		vfnic_qp_stop(&pf->qp[q]);
	for (q = 0; q < pf->num_qp; q++) {
		napi_disable(&pf->qp[q].napi);
		netdev_tx_reset_queue(netdev_get_tx_queue(netdev, q));
	}
	vfnic_free_qps(pf, pf->num_qp);
}

void vfnic_update_carrier(struct vfnic_pf *pf)
{
	struct net_device *netdev = pf->netdev;
	bool up = vfnic_pf_uplink_up(pf);

	if (up && test_bit(VFNIC_PF_UP, &pf->flags)) {
		if (!netif_carrier_ok(netdev)) {
			netdev_info(netdev, "link up, %u Mbit/s\n",
				    vfnic_pf_speed(pf));
			netif_carrier_on(netdev);
		}
	} else if (netif_carrier_ok(netdev)) {
		netdev_info(netdev, "link down\n");
		netif_carrier_off(netdev);
	}
}

static int vfnic_open(struct net_device *netdev)
{
	struct vfnic_pf *pf = netdev_priv(netdev);
	int err;

	netif_carrier_off(netdev);
	err = netif_set_real_num_tx_queues(netdev, pf->num_qp);
	if (!err)
		err = netif_set_real_num_rx_queues(netdev, pf->num_qp);
	if (err)
		return err;
	return vfnic_up(pf);
}

static int vfnic_stop(struct net_device *netdev)
{
	vfnic_down(netdev_priv(netdev));
	return 0;
}

/* Unicast addresses go to the PF's ADM_MAC_FILTER; overflow: promiscuous. */
void vfnic_set_rx_mode(struct net_device *netdev)
{
	struct vfnic_pf *pf = netdev_priv(netdev);
	u32 rx = 0, reg = VFNIC_ADM(VFNIC_FN_PF, VFNIC_ADM_MAC_FILTER);
	struct netdev_hw_addr *ha;
	int i = 0;

	if (netdev->flags & IFF_PROMISC ||
	    netdev_uc_count(netdev) > VFNIC_ADM_MAC_FILTERS)
		rx |= VFNIC_RX_FILTER_PROMISC;
	if (netdev->flags & IFF_ALLMULTI)
		rx |= VFNIC_RX_FILTER_ALLMULTI;
	if (!(rx & VFNIC_RX_FILTER_PROMISC)) {
		netdev_for_each_uc_addr(ha, netdev) {
			vfnic_wr(pf, reg + i * 8, vfnic_mac_lo(ha->addr));
			vfnic_wr(pf, reg + i * 8 + 4,
				 vfnic_mac_hi(ha->addr) | VFNIC_MAC_VALID);
			i++;
		}
	}
	for (; i < VFNIC_ADM_MAC_FILTERS; i++) {
		vfnic_wr(pf, reg + i * 8, 0);
		vfnic_wr(pf, reg + i * 8 + 4, 0);
	}
	vfnic_wr(pf, VFNIC_FN_RX_FILTER, rx);
}

static int vfnic_set_mac(struct net_device *netdev, void *p)
{
	struct vfnic_pf *pf = netdev_priv(netdev);
	int err = eth_mac_addr(netdev, p);

	if (err)
		return err;
	vfnic_wr(pf, VFNIC_FN_MAC_LO, vfnic_mac_lo(netdev->dev_addr));
	vfnic_wr(pf, VFNIC_FN_MAC_HI, vfnic_mac_hi(netdev->dev_addr));
	return 0;
}

static int vfnic_change_mtu(struct net_device *netdev, int mtu)
{
	struct vfnic_pf *pf = netdev_priv(netdev);

	if (!netif_running(netdev)) {
		netdev->mtu = mtu;
		return 0;
	}
	vfnic_down(pf);
	netdev->mtu = mtu;
	return vfnic_up(pf);
}

static void vfnic_get_stats64(struct net_device *netdev,
			      struct rtnl_link_stats64 *st)
{
	struct vfnic_pf *pf = netdev_priv(netdev);
	u64 p, b, e, a, busy;
	u16 q;

	netdev_stats_to_stats64(st, &netdev->stats);
	if (!test_bit(VFNIC_PF_UP, &pf->flags))
		return;
	for (q = 0; q < pf->num_qp; q++) {
		vfnic_ring_stats_read(&pf->qp[q].rx, &p, &b, &e, &a, &busy);
		st->rx_packets += p;
		st->rx_bytes += b;
		st->rx_errors += e;
		vfnic_ring_stats_read(&pf->qp[q].tx, &p, &b, &e, &a, &busy);
		st->tx_packets += p;
		st->tx_bytes += b;
		st->tx_errors += e;
	}
	st->rx_missed_errors = vfnic_rd64(pf, VFNIC_STATS + VFNIC_STAT_RX_DROP);
	st->multicast = vfnic_rd64(pf, VFNIC_STATS + VFNIC_STAT_RX_MCAST);
}

static void vfnic_tx_timeout(struct net_device *netdev, unsigned int txq)
{
	struct vfnic_pf *pf = netdev_priv(netdev);

	netdev_warn(netdev, "tx queue %u timed out (head %u, tail %u, ctrl 0x%x): resetting\n",
		    txq, vfnic_rd(pf, VFNIC_QP_REG(txq, VFNIC_TXQ_HEAD)),
		    vfnic_rd(pf, VFNIC_QP_REG(txq, VFNIC_TXQ_TAIL)),
		    vfnic_rd(pf, VFNIC_QP_REG(txq, VFNIC_TXQ_CTRL)));
	schedule_work(&pf->reset_task);
}

static void vfnic_reset_task(struct work_struct *work)
{
	struct vfnic_pf *pf = container_of(work, struct vfnic_pf, reset_task);

	rtnl_lock();
	vfnic_pf_reset(pf);
	rtnl_unlock();
}

static const struct net_device_ops vfnic_netdev_ops = {
	.ndo_open		= vfnic_open,
	.ndo_stop		= vfnic_stop,
	.ndo_start_xmit		= vfnic_xmit,
	.ndo_set_rx_mode	= vfnic_set_rx_mode,
	.ndo_set_mac_address	= vfnic_set_mac,
	.ndo_validate_addr	= eth_validate_addr,
	.ndo_change_mtu		= vfnic_change_mtu,
	.ndo_get_stats64	= vfnic_get_stats64,
	.ndo_tx_timeout		= vfnic_tx_timeout,
	.ndo_set_vf_mac		= vfnic_set_vf_mac,
	.ndo_set_vf_vlan	= vfnic_set_vf_vlan,
	.ndo_set_vf_rate	= vfnic_set_vf_rate,
	.ndo_set_vf_spoofchk	= vfnic_set_vf_spoofchk,
	.ndo_set_vf_trust	= vfnic_set_vf_trust,
	.ndo_set_vf_link_state	= vfnic_set_vf_link_state,
	.ndo_get_vf_config	= vfnic_get_vf_config,
	.ndo_get_vf_stats	= vfnic_get_vf_stats,
};

int vfnic_netdev_create(struct vfnic_pf *pf)
{
	struct net_device *netdev = pf->netdev;
	u8 mac[ETH_ALEN];
	u16 q;
	int err;

	pf->qp = kcalloc(pf->num_qp, sizeof(*pf->qp), GFP_KERNEL);
	if (!pf->qp)
		return -ENOMEM;
	pf->rx_count = VFNIC_PF_DEF_RING;
	pf->tx_count = VFNIC_PF_DEF_RING;
	INIT_WORK(&pf->reset_task, vfnic_reset_task);

	vfnic_mac_from_regs(mac, vfnic_rd(pf, VFNIC_FN_MAC_LO),
			    vfnic_rd(pf, VFNIC_FN_MAC_HI));
	if (is_valid_ether_addr(mac)) {
		eth_hw_addr_set(netdev, mac);
	} else {
		eth_hw_addr_random(netdev);
		netdev_warn(netdev, "FN_MAC %pM is not a valid MAC, using %pM\n",
			    mac, netdev->dev_addr);
		vfnic_wr(pf, VFNIC_FN_MAC_LO, vfnic_mac_lo(netdev->dev_addr));
		vfnic_wr(pf, VFNIC_FN_MAC_HI, vfnic_mac_hi(netdev->dev_addr));
	}
	memcpy(netdev->perm_addr, netdev->dev_addr, ETH_ALEN);

	netdev->netdev_ops = &vfnic_netdev_ops;
	vfnic_set_ethtool_ops(netdev);
	netdev->watchdog_timeo = 5 * HZ;
	netdev->min_mtu = ETH_MIN_MTU;
	netdev->max_mtu = VFNIC_PF_MAX_MTU;
	netdev->hw_features = NETIF_F_RXCSUM | NETIF_F_RXHASH |
			      NETIF_F_HW_VLAN_CTAG_TX;
	netdev->features = netdev->hw_features;
	netdev->priv_flags |= IFF_UNICAST_FLT;

	for (q = 0; q < pf->num_qp; q++) {
		pf->qp[q].pf = pf;
		pf->qp[q].id = q;
		u64_stats_init(&pf->qp[q].rx.stats.syncp);
		u64_stats_init(&pf->qp[q].tx.stats.syncp);
		netif_napi_add(netdev, &pf->qp[q].napi, vfnic_poll);
	}
	netif_carrier_off(netdev);
	err = register_netdev(netdev);
	if (err) {
		for (q = 0; q < pf->num_qp; q++)
			netif_napi_del(&pf->qp[q].napi);
		kfree(pf->qp);
		return err;
	}
	return 0;
}

void vfnic_netdev_destroy(struct vfnic_pf *pf)
{
	u16 q;

	unregister_netdev(pf->netdev);
	cancel_work_sync(&pf->reset_task);
	for (q = 0; q < pf->num_qp; q++)
		netif_napi_del(&pf->qp[q].napi);
	kfree(pf->qp);
}
