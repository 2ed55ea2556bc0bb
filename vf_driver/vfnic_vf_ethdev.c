/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_vfnic_vf: probe, ethdev ops and start/stop of a vfnic VF.
 *
 * The VF programs its own queue and RSS registers (hardware.md section 4)
 * and tells the PF what it did (CONFIG_QUEUES, ENABLE_QUEUES, SET_RSS_*);
 * what the PF decides (MAC, promiscuous modes, filters, MTU) goes through
 * the mailbox (vfnic_vf_mbx.c). Queue setup, release and per-queue
 * start/stop are in vfnic_vf_queue.c, RSS in vfnic_vf_rss.c, statistics in
 * vfnic_vf_stats.c, events and the misc interrupt in vfnic_vf_intr.c,
 * burst functions in vfnic_vf_rxtx.c, descriptor status in
 * vfnic_vf_desc.c.
 */
#include <errno.h>
#include <string.h>

#include <bus_pci_driver.h>
#include <ethdev_driver.h>
#include <ethdev_pci.h>
#include <rte_cycles.h>
#include <rte_malloc.h>

#include "vfnic_mbx.h"
#include "vfnic_vf.h"
#include "vfnic_vf_rxtx.h"

RTE_LOG_REGISTER_DEFAULT(vfnic_vf_logtype, NOTICE);

static int vfnic_vf_dev_init(struct rte_eth_dev *dev);
static int vfnic_vf_dev_uninit(struct rte_eth_dev *dev);

/* ---- configuration ---------------------------------------------------- */

static int
vfnic_vf_dev_infos_get(struct rte_eth_dev *dev, struct rte_eth_dev_info *di)
{
	struct vfnic_vf_adapter *ad = AD(dev);
	uint32_t caps = ad->res.caps;

	di->max_rx_queues = ad->num_qp;
	di->max_tx_queues = ad->num_qp;
	di->min_rx_bufsize = VFNIC_RX_BUF_MIN;
	di->max_rx_pktlen = ad->res.max_mtu + RTE_ETHER_HDR_LEN + 4;
	di->max_mtu = ad->res.max_mtu;
	di->min_mtu = RTE_ETHER_MIN_MTU;
	di->max_mac_addrs = 1 + ad->res.max_macs;
	di->rx_offload_capa = RTE_ETH_RX_OFFLOAD_SCATTER;
	di->tx_queue_offload_capa = RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE;
	di->tx_offload_capa = RTE_ETH_TX_OFFLOAD_MULTI_SEGS |
			      di->tx_queue_offload_capa;
	if (ad->fn_caps & VFNIC_FN_CAPS_VLAN) {
		di->rx_offload_capa |= RTE_ETH_RX_OFFLOAD_VLAN_STRIP;
		di->tx_offload_capa |= RTE_ETH_TX_OFFLOAD_VLAN_INSERT;
	}
	if (caps & VFNIC_MBX_CAP_VLAN)
		di->rx_offload_capa |= RTE_ETH_RX_OFFLOAD_VLAN_FILTER;
	if (caps & VFNIC_MBX_CAP_CSUM)
		di->tx_offload_capa |= RTE_ETH_TX_OFFLOAD_IPV4_CKSUM |
				       RTE_ETH_TX_OFFLOAD_UDP_CKSUM |
				       RTE_ETH_TX_OFFLOAD_TCP_CKSUM;
	if (caps & VFNIC_MBX_CAP_RSS) {
		di->rx_offload_capa |= RTE_ETH_RX_OFFLOAD_RSS_HASH;
		di->reta_size = VFNIC_RSS_RETA_SIZE;
		di->hash_key_size = VFNIC_RSS_KEY_SIZE;
		di->flow_type_rss_offloads = VFNIC_RSS_OFFLOAD_ALL;
	}
	di->rx_desc_lim.nb_max = VFNIC_Q_LEN_MAX;
	di->rx_desc_lim.nb_min = VFNIC_Q_LEN_MIN;
	di->rx_desc_lim.nb_align = VFNIC_Q_LEN_MIN;
	di->tx_desc_lim.nb_max = VFNIC_Q_LEN_MAX;
	di->tx_desc_lim.nb_min = 2 * VFNIC_TX_CLEAN_BATCH;
	di->tx_desc_lim.nb_align = VFNIC_Q_LEN_MIN;
	di->tx_desc_lim.nb_seg_max = VFNIC_TX_MAX_SEGS;
	di->tx_desc_lim.nb_mtu_seg_max = VFNIC_TX_MAX_SEGS;
	di->default_rxportconf.ring_size = VFNIC_DEFAULT_RING;
	di->default_txportconf.ring_size = VFNIC_DEFAULT_RING;
	di->default_rxportconf.nb_queues = 1;
	di->default_txportconf.nb_queues = 1;
	di->default_rxconf.rx_free_thresh = VFNIC_RX_FREE_DEFAULT;
	di->default_txconf.tx_free_thresh = VFNIC_TX_FREE_DEFAULT;
	di->speed_capa = RTE_ETH_LINK_SPEED_10G;
	return 0;
}

static const uint32_t *
vfnic_vf_ptypes_get(struct rte_eth_dev *dev __rte_unused)
{
	static const uint32_t ptypes[] = { RTE_PTYPE_L2_ETHER,
					   RTE_PTYPE_UNKNOWN };

	return ptypes;
}

static int
vfnic_vf_dev_configure(struct rte_eth_dev *dev)
{
	struct vfnic_vf_adapter *ad = AD(dev);
	uint16_t nq = RTE_MAX(dev->data->nb_rx_queues, dev->data->nb_tx_queues);

	if (ad->resetting) {
		PMD_DRV_LOG(ERR, "port %u: PF reset pending: reset the port",
			    dev->data->port_id);
		return -EIO;
	}
	if (dev->data->nb_rx_queues != dev->data->nb_tx_queues) {
		PMD_DRV_LOG(ERR, "port %u: %u rx and %u tx queues: vfnic has queue pairs, use as many of each",
			    dev->data->port_id, dev->data->nb_rx_queues,
			    dev->data->nb_tx_queues);
		return -EINVAL;
	}
	vfnic_vf_rss_configure(dev, nq);
	return 0;
}

static int
vfnic_vf_vlan_offload_set(struct rte_eth_dev *dev, int mask)
{
	struct vfnic_vf_adapter *ad = AD(dev);
	uint64_t off = dev->data->dev_conf.rxmode.offloads;

	if ((mask & RTE_ETH_VLAN_STRIP_MASK) &&
	    (ad->fn_caps & VFNIC_FN_CAPS_VLAN))
		vfnic_wr32(ad, VFNIC_FN_VLAN_STRIP,
			   !!(off & RTE_ETH_RX_OFFLOAD_VLAN_STRIP));
	return 0;
}

/*
 * Hand the tails to the device through memory where it can read them
 * there (hardware.md section 5): the rx tails the rings were filled to,
 * and the tx tails of the empty rings, with every tx doorbell wanted until
 * the device says it polls.
 */
static void
tail_shadow_program(struct vfnic_vf_adapter *ad, uint16_t nq)
{
	struct rte_eth_dev_data *data = ad->eth_dev->data;
	const struct rte_memzone *mz = ad->shadow_mz;
	bool rx = mz != NULL && (ad->fn_caps & VFNIC_FN_CAPS_RX_SHADOW);
	bool tx = mz != NULL && (ad->fn_caps & VFNIC_FN_CAPS_TX_SHADOW);
	volatile uint32_t *rxs = NULL, *txs = NULL;
	uint16_t q;

	if (mz != NULL) {
		rxs = mz->addr;
		txs = RTE_PTR_ADD(mz->addr, VFNIC_SHADOW_TX_OFF);
	}
	for (q = 0; q < nq; q++) {
		struct vfnic_rx_queue *rxq = data->rx_queues[q];
		struct vfnic_tx_queue *txq = data->tx_queues[q];

		rxq->tail_shadow = rx ? &rxs[q] : NULL;
		if (rx)
			rxs[q] = rte_cpu_to_le_32(rxq->tail);
		txq->tail_shadow = tx ? &txs[VFNIC_TX_SHADOW_TAIL(q) / 4] : NULL;
		txq->db_wanted = tx ? &txs[VFNIC_TX_SHADOW_WANTED(q) / 4] : NULL;
		if (tx) {
			*txq->tail_shadow = rte_cpu_to_le_32(txq->tail);
			*txq->db_wanted = rte_cpu_to_le_32(1);
		}
	}
	rte_io_wmb();
	if (rx) {
		vfnic_wr32(ad, VFNIC_FN_RX_TAIL_SHADOW_HI, mz->iova >> 32);
		vfnic_wr32(ad, VFNIC_FN_RX_TAIL_SHADOW_LO,
			   (uint32_t)mz->iova | VFNIC_RX_SHADOW_ENABLE);
	}
	if (tx) {
		rte_iova_t iova = mz->iova + VFNIC_SHADOW_TX_OFF;

		vfnic_wr32(ad, VFNIC_FN_TX_TAIL_SHADOW_HI, iova >> 32);
		vfnic_wr32(ad, VFNIC_FN_TX_TAIL_SHADOW_LO,
			   (uint32_t)iova | VFNIC_TX_SHADOW_ENABLE);
	}
}

static void
vfnic_vf_rings_disable(struct rte_eth_dev *dev)
{
	struct vfnic_vf_adapter *ad = AD(dev);
	uint16_t q;

	for (q = 0; q < dev->data->nb_rx_queues; q++) {
		vfnic_wr32(ad, VFNIC_QP_REG(q, VFNIC_RXQ_CTRL), 0);
		vfnic_wr32(ad, VFNIC_QP_REG(q, VFNIC_TXQ_CTRL), 0);
	}
}

static int
vfnic_vf_dev_stop(struct rte_eth_dev *dev)
{
	struct vfnic_vf_adapter *ad = AD(dev);
	uint32_t mask = RTE_LEN2MASK(dev->data->nb_rx_queues, uint32_t);
	uint16_t q;

	if (!ad->started)
		return 0;
	vfnic_vf_rings_disable(dev);
	vfnic_vf_rxq_intr_teardown(dev);
	if (!ad->resetting && mask)
		vfnic_vf_mbx_queues(ad, false, mask, mask);
	for (q = 0; q < dev->data->nb_rx_queues; q++) {
		vfnic_rxq_release_mbufs(dev->data->rx_queues[q]);
		dev->data->rx_queue_state[q] = RTE_ETH_QUEUE_STATE_STOPPED;
	}
	for (q = 0; q < dev->data->nb_tx_queues; q++) {
		vfnic_txq_release_mbufs(dev->data->tx_queues[q]);
		dev->data->tx_queue_state[q] = RTE_ETH_QUEUE_STATE_STOPPED;
	}
	ad->started = false;
	dev->data->dev_started = 0;
	return 0;
}

/*
 * The VLAN filters ethdev keeps in vlan_filter_conf, to the PF again: a
 * port reset (RESET_VF) or a PF reset cleared them there, and ethdev
 * replays MAC addresses and promiscuous modes on start but not these (as
 * ixgbevf does in its start). A refusal (a port VLAN set meanwhile) is
 * only logged, as ixgbevf ignores it: the port still starts.
 */
static void
vlan_filters_replay(struct rte_eth_dev *dev)
{
	const struct rte_vlan_filter_conf *conf = &dev->data->vlan_filter_conf;
	uint16_t vid[VFNIC_MBX_MAX_VLANS];
	unsigned int n = 0, v;
	int err = 0;

	if (!(dev->data->dev_conf.rxmode.offloads &
	      RTE_ETH_RX_OFFLOAD_VLAN_FILTER))
		return;
	for (v = 0; v <= VFNIC_MBX_VLAN_MAX && !err; v++) {
		if (!(conf->ids[v / 64] & RTE_BIT64(v % 64)))
			continue;
		vid[n++] = v;
		if (n == RTE_DIM(vid)) {
			err = vfnic_vf_mbx_vlans(AD(dev), true, vid, n);
			n = 0;
		}
	}
	if (n && !err)
		err = vfnic_vf_mbx_vlans(AD(dev), true, vid, n);
	if (err)
		PMD_DRV_LOG(WARNING, "port %u: PF refused the VLAN filters: %s",
			    dev->data->port_id, rte_strerror(-err));
}

static int
vfnic_vf_dev_start(struct rte_eth_dev *dev)
{
	struct vfnic_vf_adapter *ad = AD(dev);
	struct vfnic_mbx_qp_cfg cfg[VFNIC_VF_MAX_QP];
	uint16_t nq = dev->data->nb_rx_queues, q;
	uint32_t rx_mask = 0, tx_mask = 0;
	int err;

	if (ad->resetting)
		return -EIO;
	memset(cfg, 0, sizeof(cfg));
	for (q = 0; q < nq; q++) {
		struct vfnic_rx_queue *rxq = dev->data->rx_queues[q];
		struct vfnic_tx_queue *txq = dev->data->tx_queues[q];

		if (rxq == NULL || txq == NULL) {
			PMD_DRV_LOG(ERR, "port %u: queue pair %u not set up",
				    dev->data->port_id, q);
			return -EINVAL;
		}
		/* a deferred ring is configured now, filled when started */
		if (rxq->deferred) {
			vfnic_rxq_release_mbufs(rxq);
		} else {
			err = vfnic_rxq_start(rxq);
			if (err) {
				PMD_DRV_LOG(ERR, "port %u rxq %u: no mbufs for the ring",
					    dev->data->port_id, q);
				goto fail;
			}
			rx_mask |= RTE_BIT32(q);
		}
		vfnic_txq_start(txq);
		if (!txq->deferred)
			tx_mask |= RTE_BIT32(q);
		vfnic_vf_rxq_regs_program(ad, q, rxq);
		vfnic_vf_txq_regs_program(ad, q, txq);
		vfnic_wr32(ad, VFNIC_QP_REG(q, VFNIC_QP_INT), 0);
		cfg[q].qp_id = q;
		cfg[q].rx_ring_dma = rxq->ring_dma;
		cfg[q].tx_ring_dma = txq->ring_dma;
		cfg[q].rx_ring_len = rxq->nb_desc;
		cfg[q].tx_ring_len = txq->nb_desc;
		cfg[q].rx_buf_size = rxq->buf_size;
	}
	err = vfnic_vf_mbx_config_queues(ad, cfg, nq);
	if (err)
		goto fail;
	vfnic_vf_vlan_offload_set(dev, RTE_ETH_VLAN_STRIP_MASK);
	vlan_filters_replay(dev);
	/* ethdev replays mac_addr_add's list, not the multicast one */
	if (ad->nb_mc && vfnic_vf_mbx_macs(ad, true, ad->mc, ad->nb_mc))
		PMD_DRV_LOG(WARNING, "port %u: PF refused the multicast list",
			    dev->data->port_id);
	err = vfnic_vf_rss_apply(ad);
	if (err)
		goto fail;
	err = vfnic_vf_mbx_mtu(ad, dev->data->mtu);
	if (err) {
		PMD_DRV_LOG(ERR, "port %u: PF refused MTU %u",
			    dev->data->port_id, dev->data->mtu);
		goto fail;
	}
	err = vfnic_vf_rxq_intr_setup(dev);
	if (err)
		goto fail;
	if (rx_mask | tx_mask) {
		err = vfnic_vf_mbx_queues(ad, true, rx_mask, tx_mask);
		if (err)
			goto fail;
	}
	tail_shadow_program(ad, nq);
	for (q = 0; q < nq; q++) {
		struct vfnic_rx_queue *rxq = dev->data->rx_queues[q];

		if ((tx_mask & RTE_BIT32(q)) &&
		    vfnic_vf_ring_enable(ad, VFNIC_QP_REG(q, VFNIC_TXQ_CTRL)))
			err = -EIO;
		if ((rx_mask & RTE_BIT32(q)) &&
		    vfnic_vf_ring_enable(ad, VFNIC_QP_REG(q, VFNIC_RXQ_CTRL)))
			err = -EIO;
		if (err) {
			PMD_DRV_LOG(ERR, "port %u: queue pair %u refused by the device (ERROR)",
				    dev->data->port_id, q);
			goto fail;
		}
		if (rx_mask & RTE_BIT32(q)) {
			vfnic_wr32(ad, VFNIC_QP_REG(q, VFNIC_RXQ_TAIL), rxq->tail);
			dev->data->rx_queue_state[q] = RTE_ETH_QUEUE_STATE_STARTED;
		}
		if (tx_mask & RTE_BIT32(q))
			dev->data->tx_queue_state[q] = RTE_ETH_QUEUE_STATE_STARTED;
	}
	ad->started = true;
	vfnic_vf_link_update(dev, 0);
	return 0;
fail:
	ad->started = true;
	vfnic_vf_dev_stop(dev);
	return err;
}

/* ---- PF-decided settings --------------------------------------------- */

static int
set_promisc(struct rte_eth_dev *dev, uint32_t flag, bool on)
{
	struct vfnic_vf_adapter *ad = AD(dev);
	uint32_t flags = on ? ad->promisc_flags | flag :
			      ad->promisc_flags & ~flag;
	int err;

	if (flags == ad->promisc_flags)
		return 0;
	err = vfnic_vf_mbx_promisc(ad, flags);
	if (err == -EPERM)
		PMD_DRV_LOG(WARNING, "port %u: PF refused %s mode: VF not trusted",
			    dev->data->port_id, flag == VFNIC_MBX_PROMISC_UNICAST ?
			    "promiscuous" : "all-multicast");
	if (err == 0)
		ad->promisc_flags = flags;
	return err;
}

static int
vfnic_vf_promisc_enable(struct rte_eth_dev *dev)
{
	return set_promisc(dev, VFNIC_MBX_PROMISC_UNICAST, true);
}

static int
vfnic_vf_promisc_disable(struct rte_eth_dev *dev)
{
	return set_promisc(dev, VFNIC_MBX_PROMISC_UNICAST, false);
}

static int
vfnic_vf_allmulti_enable(struct rte_eth_dev *dev)
{
	return set_promisc(dev, VFNIC_MBX_PROMISC_ALLMULTI, true);
}

static int
vfnic_vf_allmulti_disable(struct rte_eth_dev *dev)
{
	return set_promisc(dev, VFNIC_MBX_PROMISC_ALLMULTI, false);
}

static int
vfnic_vf_mac_addr_add(struct rte_eth_dev *dev, struct rte_ether_addr *mac,
		      uint32_t index __rte_unused, uint32_t pool __rte_unused)
{
	return vfnic_vf_mbx_mac(AD(dev), true, mac);
}

static bool
mac_in(const struct rte_ether_addr *mac, const struct rte_ether_addr *list,
       unsigned int n)
{
	while (n--)
		if (rte_is_same_ether_addr(mac, &list[n]))
			return true;
	return false;
}

/*
 * ethdev's MAC list (mac_addr_add may take a multicast address) and the
 * multicast list share the PF's filters: an address still in the other
 * list keeps its filter.
 */
static void
vfnic_vf_mac_addr_remove(struct rte_eth_dev *dev, uint32_t index)
{
	struct vfnic_vf_adapter *ad = AD(dev);

	if (!mac_in(&dev->data->mac_addrs[index], ad->mc, ad->nb_mc))
		vfnic_vf_mbx_mac(ad, false, &dev->data->mac_addrs[index]);
}

static int
vfnic_vf_mac_addr_set(struct rte_eth_dev *dev, struct rte_ether_addr *mac)
{
	if (rte_is_same_ether_addr(mac, &AD(dev)->mac))
		return 0;
	PMD_DRV_LOG(ERR, "port %u: the primary MAC is the PF's to set (ip link set PF vf N mac)",
		    dev->data->port_id);
	return -EPERM;
}

/*
 * The app's multicast list replaces the last one: the addresses that left
 * it are deleted, then the whole list is added in one request, which the
 * PF takes whole or refuses (one present already takes no room). One
 * also in ethdev's MAC list stays. On a refusal the old list is put back.
 */
static int
vfnic_vf_set_mc_addr_list(struct rte_eth_dev *dev,
			  struct rte_ether_addr *list, uint32_t n)
{
	struct vfnic_vf_adapter *ad = AD(dev);
	struct rte_ether_addr gone[VFNIC_MBX_MAX_MACS];
	unsigned int i, nb_gone = 0;
	int err = 0;

	if (n > RTE_DIM(ad->mc)) {
		PMD_DRV_LOG(ERR, "port %u: %u multicast addresses: the PF keeps at most %zu",
			    dev->data->port_id, n, RTE_DIM(ad->mc));
		return -ENOSPC;
	}
	for (i = 0; i < n; i++)
		if (!rte_is_multicast_ether_addr(&list[i]))
			return -EINVAL;
	for (i = 0; i < ad->nb_mc; i++)
		if (!mac_in(&ad->mc[i], list, n) &&
		    !mac_in(&ad->mc[i], &dev->data->mac_addrs[1],
			    VFNIC_MBX_MAX_MACS))
			gone[nb_gone++] = ad->mc[i];
	if (nb_gone)
		err = vfnic_vf_mbx_macs(ad, false, gone, nb_gone);
	if (n && !err) {
		err = vfnic_vf_mbx_macs(ad, true, list, n);
		if (err && nb_gone)
			vfnic_vf_mbx_macs(ad, true, gone, nb_gone);
	}
	if (err)
		return err;
	memcpy(ad->mc, list, n * sizeof(*list));
	ad->nb_mc = n;
	return 0;
}

static int
vfnic_vf_vlan_filter_set(struct rte_eth_dev *dev, uint16_t vid, int on)
{
	return vfnic_vf_mbx_vlan(AD(dev), on, vid);
}

static int
vfnic_vf_mtu_set(struct rte_eth_dev *dev, uint16_t mtu)
{
	return vfnic_vf_mbx_mtu(AD(dev), mtu);
}

/* ---- lifetime ----------------------------------------------------------- */

static int
vfnic_vf_dev_close(struct rte_eth_dev *dev)
{
	uint16_t q;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return 0;
	vfnic_vf_dev_stop(dev);
	for (q = 0; q < dev->data->nb_rx_queues; q++)
		vfnic_vf_rx_queue_release(dev, q);
	for (q = 0; q < dev->data->nb_tx_queues; q++)
		vfnic_vf_tx_queue_release(dev, q);
	return vfnic_vf_dev_uninit(dev);
}

/*
 * The PF announces its reset (PF_RESET) some 20 ms before it resets the
 * device: a handshake in between, as from an app that resets the port in
 * its INTR_RESET callback, would be with a PF about to forget it. So the
 * device's reset is waited for (RESET in FN_ICR or PF_READY down, at most
 * 500 ms), then dev_init waits for PF_READY.
 */
static void
wait_device_reset(struct vfnic_vf_adapter *ad)
{
	uint64_t end = rte_get_timer_cycles() + rte_get_timer_hz() / 2;

	while (!(vfnic_rd32(ad, VFNIC_FN_ICR) & VFNIC_INT_RESET) &&
	       vfnic_mbx_vf_pf_ready(&ad->io) &&
	       rte_get_timer_cycles() < end)
		rte_delay_us_sleep(1000);
}

static int
vfnic_vf_dev_reset(struct rte_eth_dev *dev)
{
	struct vfnic_vf_adapter *ad = AD(dev);
	bool announced = ad->resetting && !ad->reset_done;
	int err;

	vfnic_vf_dev_stop(dev);
	err = vfnic_vf_dev_uninit(dev);
	if (err)
		return err;
	if (announced)
		wait_device_reset(ad);
	return vfnic_vf_dev_init(dev);
}

static const struct eth_dev_ops vfnic_vf_eth_dev_ops = {
	.dev_configure		= vfnic_vf_dev_configure,
	.dev_start		= vfnic_vf_dev_start,
	.dev_stop		= vfnic_vf_dev_stop,
	.dev_close		= vfnic_vf_dev_close,
	.dev_reset		= vfnic_vf_dev_reset,
	.dev_infos_get		= vfnic_vf_dev_infos_get,
	.dev_supported_ptypes_get = vfnic_vf_ptypes_get,
	.link_update		= vfnic_vf_link_update,
	.promiscuous_enable	= vfnic_vf_promisc_enable,
	.promiscuous_disable	= vfnic_vf_promisc_disable,
	.allmulticast_enable	= vfnic_vf_allmulti_enable,
	.allmulticast_disable	= vfnic_vf_allmulti_disable,
	.mac_addr_add		= vfnic_vf_mac_addr_add,
	.mac_addr_remove	= vfnic_vf_mac_addr_remove,
	.mac_addr_set		= vfnic_vf_mac_addr_set,
	.set_mc_addr_list	= vfnic_vf_set_mc_addr_list,
	.mtu_set		= vfnic_vf_mtu_set,
	.vlan_filter_set	= vfnic_vf_vlan_filter_set,
	.vlan_offload_set	= vfnic_vf_vlan_offload_set,
	.rx_queue_setup		= vfnic_vf_rx_queue_setup,
	.rx_queue_release	= vfnic_vf_rx_queue_release,
	.tx_queue_setup		= vfnic_vf_tx_queue_setup,
	.tx_queue_release	= vfnic_vf_tx_queue_release,
	.rx_queue_start		= vfnic_vf_rx_queue_start,
	.rx_queue_stop		= vfnic_vf_rx_queue_stop,
	.tx_queue_start		= vfnic_vf_tx_queue_start,
	.tx_queue_stop		= vfnic_vf_tx_queue_stop,
	.rxq_info_get		= vfnic_vf_rxq_info_get,
	.rx_queue_intr_enable	= vfnic_vf_rx_queue_intr_enable,
	.rx_queue_intr_disable	= vfnic_vf_rx_queue_intr_disable,
	.txq_info_get		= vfnic_vf_txq_info_get,
	.reta_update		= vfnic_vf_reta_update,
	.reta_query		= vfnic_vf_reta_query,
	.rss_hash_update	= vfnic_vf_rss_hash_update,
	.rss_hash_conf_get	= vfnic_vf_rss_hash_conf_get,
	.stats_get		= vfnic_vf_stats_get,
	.stats_reset		= vfnic_vf_stats_reset,
	.xstats_get		= vfnic_vf_xstats_get,
	.xstats_get_names	= vfnic_vf_xstats_get_names,
	.xstats_reset		= vfnic_vf_stats_reset,
};

static int
vfnic_vf_dev_init(struct rte_eth_dev *dev)
{
	struct vfnic_vf_adapter *ad = AD(dev);
	struct rte_pci_device *pci = RTE_ETH_DEV_TO_PCI(dev);
	char buf[RTE_ETHER_ADDR_FMT_SIZE];
	uint32_t id;
	int err;

	dev->dev_ops = &vfnic_vf_eth_dev_ops;
	dev->rx_pkt_burst = vfnic_recv_pkts;
	dev->tx_pkt_burst = vfnic_xmit_pkts;
	dev->tx_pkt_prepare = vfnic_prep_pkts;
	dev->rx_queue_count = vfnic_rx_queue_count;
	dev->rx_descriptor_status = vfnic_rx_descriptor_status;
	dev->tx_descriptor_status = vfnic_tx_descriptor_status;
	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return 0;

	ad->eth_dev = dev;
	ad->hw_addr = pci->mem_resource[VFNIC_BAR_REGS].addr;
	if (ad->hw_addr == NULL) {
		PMD_DRV_LOG(ERR, "%s: BAR0 not mapped", pci->device.name);
		return -EIO;
	}
	id = vfnic_rd32(ad, VFNIC_FN_ID);
	if (!(id & VFNIC_FN_ID_IS_VF)) {
		PMD_DRV_LOG(ERR, "%s: FN_ID 0x%08x: expected a VF", pci->device.name, id);
		return -ENODEV;
	}
	rte_eth_copy_pci_info(dev, pci);
	dev->data->dev_flags |= RTE_ETH_DEV_INTR_LSC;
	vfnic_vf_mbx_init(ad);
	ad->resetting = false;
	ad->reset_reported = false;
	ad->reset_done = false;
	ad->pending_changed = 0;
	ad->promisc_flags = 0;
	if (dev->data->mac_addrs == NULL) {
		dev->data->mac_addrs = rte_zmalloc("vfnic_mac",
			RTE_ETHER_ADDR_LEN * (1 + VFNIC_MBX_MAX_MACS), 0);
		if (dev->data->mac_addrs == NULL)
			return -ENOMEM;
	}
	/*
	 * Causes are cleared before the handshake, not after: a PF reset
	 * between the handshake and the interrupt setup would otherwise lose
	 * its RESET cause, and the port run on filters the PF forgot.
	 */
	vfnic_wr32(ad, VFNIC_FN_IMC, UINT32_MAX);
	vfnic_wr32(ad, VFNIC_FN_ICR, UINT32_MAX);
	err = vfnic_vf_mbx_negotiate(ad);
	if (err) {
		PMD_DRV_LOG(ERR, "%s: mailbox handshake with the PF failed: %s",
			    pci->device.name, rte_strerror(-err));
		/*
		 * After a port reset the port stays, unusable (configure and
		 * start refuse, the link reads down) until a reset that
		 * succeeds; a PF not ready yet is ethdev's "retry later".
		 */
		ad->resetting = true;
		return err == -ETIMEDOUT || err == -EAGAIN ? -EAGAIN : err;
	}
	ad->fn_caps = vfnic_rd32(ad, VFNIC_FN_CAPS);
	/* the function counters outlive FLR: this port starts from zero */
	vfnic_vf_stats_reset(dev);
	ad->shadow_mz = NULL;
	if (ad->fn_caps & (VFNIC_FN_CAPS_RX_SHADOW | VFNIC_FN_CAPS_TX_SHADOW)) {
		ad->shadow_mz = rte_eth_dma_zone_reserve(dev, "tail_shadow", 0,
			VFNIC_SHADOW_TX_OFF + VFNIC_TX_SHADOW_SIZE,
			RTE_MAX(VFNIC_RX_SHADOW_ALIGN, VFNIC_TX_SHADOW_ALIGN),
			dev->device->numa_node);
		if (ad->shadow_mz == NULL)
			PMD_DRV_LOG(WARNING, "%s: no DMA memory for tails, using the tail registers",
				    pci->device.name);
	}
	vfnic_vf_rss_init(ad);
	rte_ether_addr_copy(&ad->mac, &dev->data->mac_addrs[0]);
	rte_ether_format_addr(buf, sizeof(buf), &ad->mac);
	vfnic_vf_intr_setup(dev);
	PMD_DRV_LOG(INFO, "%s: port %u: function %u, MAC %s, %u queue pairs, caps 0x%x",
		    pci->device.name, dev->data->port_id,
		    id & VFNIC_FN_ID_FN_MASK, buf, ad->num_qp, ad->res.caps);
	return 0;
}

static int
vfnic_vf_dev_uninit(struct rte_eth_dev *dev)
{
	struct vfnic_vf_adapter *ad = AD(dev);

	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return 0;
	vfnic_vf_intr_teardown(dev);
	vfnic_vf_rings_disable(dev);
	/* the PF forgets our filters and modes; after a PF reset it did */
	if (!ad->resetting && vfnic_mbx_vf_pf_ready(&ad->io))
		vfnic_vf_mbx_reset_vf(ad);
	if (ad->shadow_mz != NULL) {
		vfnic_wr32(ad, VFNIC_FN_RX_TAIL_SHADOW_LO, 0);
		vfnic_wr32(ad, VFNIC_FN_TX_TAIL_SHADOW_LO, 0);
		rte_eth_dma_zone_free(dev, "tail_shadow", 0);
		ad->shadow_mz = NULL;
	}
	return 0;
}

static int
vfnic_vf_pci_probe(struct rte_pci_driver *drv __rte_unused,
		   struct rte_pci_device *pci)
{
	return rte_eth_dev_pci_generic_probe(pci,
			sizeof(struct vfnic_vf_adapter), vfnic_vf_dev_init);
}

static int
vfnic_vf_pci_remove(struct rte_pci_device *pci)
{
	return rte_eth_dev_pci_generic_remove(pci, vfnic_vf_dev_close);
}

static const struct rte_pci_id pci_id_vfnic_vf_map[] = {
	{ RTE_PCI_DEVICE(VFNIC_PCI_VENDOR_ID, VFNIC_PCI_DEVICE_ID_VF) },
	{ .vendor_id = 0 },
};

static struct rte_pci_driver rte_vfnic_vf_pmd = {
	.id_table = pci_id_vfnic_vf_map,
	.drv_flags = RTE_PCI_DRV_NEED_MAPPING | RTE_PCI_DRV_INTR_LSC,
	.probe = vfnic_vf_pci_probe,
	.remove = vfnic_vf_pci_remove,
};

RTE_PMD_REGISTER_PCI(VFNIC_VF_DRIVER_NAME, rte_vfnic_vf_pmd);
RTE_PMD_REGISTER_PCI_TABLE(VFNIC_VF_DRIVER_NAME, pci_id_vfnic_vf_map);
RTE_PMD_REGISTER_KMOD_DEP(VFNIC_VF_DRIVER_NAME, "vfio-pci");
