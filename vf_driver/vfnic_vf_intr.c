/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_vfnic_vf: link state, PF events, the misc interrupt and the rx
 * queues' interrupts.
 *
 * The misc MSI-X vector (FN_ICR causes MBX, LINK, RESET; hardware.md
 * section 6) is taken through the vfio eventfd with rte_intr; a 100 ms
 * EAL alarm services the same causes as the polling fallback, and picks up
 * events that a requester met while it held the mailbox. Both run in the
 * EAL interrupt thread, so they never run at once.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <bus_pci_driver.h>
#include <ethdev_driver.h>
#include <ethdev_pci.h>
#include <rte_alarm.h>
#include <rte_interrupts.h>

#include "vfnic_mbx.h"
#include "vfnic_vf.h"
#include "vfnic_vf_rxtx.h"

int
vfnic_vf_link_update(struct rte_eth_dev *dev, int wait __rte_unused)
{
	struct vfnic_vf_adapter *ad = AD(dev);
	struct rte_eth_link link;
	uint32_t st = vfnic_rd32(ad, VFNIC_FN_STATUS);

	memset(&link, 0, sizeof(link));
	link.link_duplex = RTE_ETH_LINK_FULL_DUPLEX;
	link.link_autoneg = RTE_ETH_LINK_FIXED;
	if ((st & VFNIC_FN_STATUS_LINK_UP) && !ad->resetting &&
	    st != UINT32_MAX) {
		link.link_status = RTE_ETH_LINK_UP;
		link.link_speed = (st >> VFNIC_FN_STATUS_SPEED_SHIFT) * 10;
	}
	return rte_eth_linkstatus_set(dev, &link);
}

/* Called by vfnic_vf_mbx.c under mbx_lock: note, act later. */
void
vfnic_vf_handle_event(struct vfnic_vf_adapter *ad,
		      const struct vfnic_mbx_msg *msg)
{
	switch (msg->hdr.opcode) {
	case VFNIC_MBX_EV_LINK_CHANGE:
		ad->pending_changed |= VFNIC_MBX_CHG_LINK;
		break;
	case VFNIC_MBX_EV_CONFIG_CHANGED:
		ad->pending_changed |= msg->payload.changed.changed;
		break;
	case VFNIC_MBX_EV_PF_RESET:
		PMD_DRV_LOG(NOTICE, "port %u: PF is resetting",
			    ad->eth_dev->data->port_id);
		ad->resetting = true;
		/* the counters' last reading before the device zeroes them */
		vfnic_vf_stats_refresh(ad);
		break;
	default:
		break;
	}
}

/*
 * Revoking trust takes the promiscuous modes with it in the PF: the modes
 * in effect are what the device filters by now (FN_RX_FILTER, which the VF
 * can read), and ethdev's flags follow, so that the app's next disable is
 * not refused and its next enable not skipped as a no-op.
 */
static void
vfnic_vf_promisc_reload(struct rte_eth_dev *dev)
{
	struct vfnic_vf_adapter *ad = AD(dev);
	uint32_t f = vfnic_rd32(ad, VFNIC_FN_RX_FILTER);

	if (f == UINT32_MAX)
		return;
	ad->promisc_flags =
		(f & VFNIC_RX_FILTER_PROMISC ? VFNIC_MBX_PROMISC_UNICAST : 0) |
		(f & VFNIC_RX_FILTER_ALLMULTI ? VFNIC_MBX_PROMISC_ALLMULTI : 0);
	dev->data->promiscuous = !!(f & VFNIC_RX_FILTER_PROMISC);
	dev->data->all_multicast = !!(f & VFNIC_RX_FILTER_ALLMULTI);
}

/* Everything the misc vector (or the polling fallback) has to do. */
static void
vfnic_vf_service(struct rte_eth_dev *dev)
{
	struct vfnic_vf_adapter *ad = AD(dev);
	uint32_t icr, changed;

	icr = vfnic_rd32(ad, VFNIC_FN_ICR);
	if (icr == UINT32_MAX)
		icr = 0;
	if (icr)
		vfnic_wr32(ad, VFNIC_FN_ICR, icr);
	vfnic_vf_mbx_poll_events(ad);
	if ((icr & VFNIC_INT_RESET) || !vfnic_mbx_vf_pf_ready(&ad->io)) {
		ad->resetting = true;
		if (!ad->reset_done) {
			ad->reset_done = true;
			vfnic_vf_stats_refresh(ad);	/* zeroed: carry */
		}
	}
	/*
	 * Reported once per reset, whoever saw it first: a request of the
	 * control path may have taken the PF_RESET event (resetting set
	 * outside this function), and the app must still hear of it.
	 */
	if (ad->resetting && !ad->reset_reported) {
		ad->reset_reported = true;
		PMD_DRV_LOG(NOTICE, "port %u: PF reset: port reset needed",
			    dev->data->port_id);
		vfnic_vf_link_update(dev, 0);
		rte_eth_dev_callback_process(dev, RTE_ETH_EVENT_INTR_RESET,
					     NULL);
		/* the app may have reset the port there, or closed it */
		if (dev->state == RTE_ETH_DEV_UNUSED)
			return;
		rte_eth_dev_callback_process(dev, RTE_ETH_EVENT_INTR_LSC, NULL);
		return;
	}
	changed = __atomic_exchange_n(&ad->pending_changed, 0,
				      __ATOMIC_ACQ_REL);
	if ((changed & ~VFNIC_MBX_CHG_LINK) && !ad->resetting &&
	    vfnic_vf_mbx_get_resources(ad) == 0 &&
	    !rte_is_same_ether_addr(&ad->mac, &dev->data->mac_addrs[0])) {
		char buf[RTE_ETHER_ADDR_FMT_SIZE];

		rte_ether_format_addr(buf, sizeof(buf), &ad->mac);
		PMD_DRV_LOG(NOTICE, "port %u: PF set MAC %s",
			    dev->data->port_id, buf);
		rte_ether_addr_copy(&ad->mac, &dev->data->mac_addrs[0]);
	}
	if ((changed & VFNIC_MBX_CHG_TRUST) && !ad->resetting)
		vfnic_vf_promisc_reload(dev);
	if ((icr & VFNIC_INT_LINK) || changed) {
		if (vfnic_vf_link_update(dev, 0) == 0)
			rte_eth_dev_callback_process(dev,
					RTE_ETH_EVENT_INTR_LSC, NULL);
	}
}

static void
vfnic_vf_intr_handler(void *param)
{
	struct rte_eth_dev *dev = param;
	/* taken first: a close from the app's callback frees the port */
	struct rte_intr_handle *ih = RTE_ETH_DEV_TO_PCI(dev)->intr_handle;

	vfnic_vf_service(dev);
	rte_intr_ack(ih);
}

static void
vfnic_vf_alarm(void *param)
{
	struct rte_eth_dev *dev = param;
	struct vfnic_vf_adapter *ad = AD(dev);
	uint32_t gen = ad->alarm_gen;

	vfnic_vf_service(dev);
	/*
	 * A close inside the service freed the adapter; a port reset there
	 * armed an alarm of its own.
	 */
	if (dev->state != RTE_ETH_DEV_UNUSED && ad->alarm_set &&
	    ad->alarm_gen == gen)
		rte_eal_alarm_set(VFNIC_VF_ALARM_US, vfnic_vf_alarm, dev);
}

void
vfnic_vf_intr_setup(struct rte_eth_dev *dev)
{
	struct vfnic_vf_adapter *ad = AD(dev);
	struct rte_intr_handle *ih = RTE_ETH_DEV_TO_PCI(dev)->intr_handle;

	if (rte_intr_callback_register(ih, vfnic_vf_intr_handler, dev) == 0) {
		if (rte_intr_enable(ih) == 0)
			ad->intr_enabled = true;
		else
			rte_intr_callback_unregister(ih, vfnic_vf_intr_handler,
						     dev);
	}
	vfnic_wr32(ad, VFNIC_FN_IMS, VFNIC_INT_MBX | VFNIC_INT_LINK |
				     VFNIC_INT_RESET);
	/*
	 * The alarm is the polling fallback without the misc vector and,
	 * with it, picks up events a requester took while holding the
	 * mailbox (the interrupt thread cannot wait for the lock).
	 */
	ad->alarm_set = true;
	rte_eal_alarm_set(VFNIC_VF_ALARM_US, vfnic_vf_alarm, dev);
	PMD_DRV_LOG(INFO, "port %u: misc vector %s", dev->data->port_id,
		    ad->intr_enabled ? "through vfio eventfd" : "polled");
}

void
vfnic_vf_intr_teardown(struct rte_eth_dev *dev)
{
	struct vfnic_vf_adapter *ad = AD(dev);
	struct rte_intr_handle *ih = RTE_ETH_DEV_TO_PCI(dev)->intr_handle;

	ad->alarm_set = false;
	ad->alarm_gen++;
	rte_eal_alarm_cancel(vfnic_vf_alarm, dev);
	vfnic_wr32(ad, VFNIC_FN_IMC, UINT32_MAX);
	if (ad->intr_enabled) {
		rte_intr_disable(ih);
		/*
		 * An app may reset the port from its INTR_RESET callback, which
		 * runs inside our handler (the source is active): waiting
		 * there for the handler to return would never end, so it is
		 * unregistered once it has.
		 */
		if (rte_intr_callback_unregister(ih, vfnic_vf_intr_handler,
						 dev) == -EAGAIN) {
			if (rte_thread_is_intr())
				rte_intr_callback_unregister_pending(ih,
					vfnic_vf_intr_handler, dev, NULL);
			else
				rte_intr_callback_unregister_sync(ih,
					vfnic_vf_intr_handler, dev);
		}
		ad->intr_enabled = false;
	}
}

/*
 * While MSI-X was off for the remapping, the device dropped the message of
 * any cause raised: writing FN_IMS fires a pending cause again.
 */
static void
misc_causes_refire(struct vfnic_vf_adapter *ad)
{
	vfnic_wr32(ad, VFNIC_FN_IMS, VFNIC_INT_MBX | VFNIC_INT_LINK |
				     VFNIC_INT_RESET);
}

/*
 * Rx queue interrupts (intr_conf.rxq): queue pair q fires MSI-X vector
 * 1 + q (QP_INT, hardware.md section 6), an eventfd of vfio's that the app
 * waits on (rte_eth_dev_rx_intr_ctl_q, rte_epoll_wait); the misc vector
 * stays on 0. vfio maps the vectors when the handle is enabled, so the
 * handle is disabled and enabled again around the mapping, as ixgbevf
 * does.
 */
int
vfnic_vf_rxq_intr_setup(struct rte_eth_dev *dev)
{
	struct vfnic_vf_adapter *ad = AD(dev);
	struct rte_intr_handle *ih = RTE_ETH_DEV_TO_PCI(dev)->intr_handle;
	uint16_t nq = dev->data->nb_rx_queues, q;
	unsigned int nvec = (ad->fn_caps & VFNIC_FN_CAPS_VEC_MASK) >>
			    VFNIC_FN_CAPS_VEC_SHIFT;

	if (!dev->data->dev_conf.intr_conf.rxq)
		return 0;
	if (!ad->intr_enabled || !rte_intr_cap_multiple(ih) ||
	    (unsigned int)RTE_INTR_VEC_RXTX_OFFSET + nq > nvec) {
		PMD_DRV_LOG(ERR, "port %u: rx queue interrupts need MSI-X through vfio and %u vectors, the function has %u",
			    dev->data->port_id, RTE_INTR_VEC_RXTX_OFFSET + nq,
			    nvec);
		return -ENOTSUP;
	}
	rte_intr_disable(ih);
	if (rte_intr_efd_enable(ih, nq) ||
	    rte_intr_vec_list_alloc(ih, "intr_vec", nq))
		goto fail;
	for (q = 0; q < nq; q++)
		if (rte_intr_vec_list_index_set(ih, q,
						RTE_INTR_VEC_RXTX_OFFSET + q))
			goto fail;
	if (rte_intr_enable(ih))
		goto fail;
	misc_causes_refire(ad);
	return 0;
fail:
	PMD_DRV_LOG(ERR, "port %u: no eventfds for the rx queue interrupts",
		    dev->data->port_id);
	rte_intr_efd_disable(ih);
	rte_intr_vec_list_free(ih);
	rte_intr_enable(ih);
	misc_causes_refire(ad);
	return -EIO;
}

void
vfnic_vf_rxq_intr_teardown(struct rte_eth_dev *dev)
{
	struct vfnic_vf_adapter *ad = AD(dev);
	struct rte_intr_handle *ih = RTE_ETH_DEV_TO_PCI(dev)->intr_handle;
	uint16_t q;

	if (!rte_intr_dp_is_en(ih))
		return;
	for (q = 0; q < dev->data->nb_rx_queues; q++)
		vfnic_wr32(ad, VFNIC_QP_REG(q, VFNIC_QP_INT), 0);
	rte_intr_disable(ih);
	rte_intr_efd_disable(ih);
	rte_intr_vec_list_free(ih);
	if (ad->intr_enabled) {
		rte_intr_enable(ih);	/* the misc vector alone */
		misc_causes_refire(ad);
	}
}

/*
 * The device fires the vector when it delivers (or sends) frames, not for
 * frames already waiting when it is armed: a frame that came between the
 * app's last empty burst and this call would wake nobody. So once armed,
 * a frame waiting at the read position signals the eventfd here.
 */
int
vfnic_vf_rx_queue_intr_enable(struct rte_eth_dev *dev, uint16_t qid)
{
	struct rte_intr_handle *ih = RTE_ETH_DEV_TO_PCI(dev)->intr_handle;
	uint64_t one = 1;
	int fd;

	if (!rte_intr_dp_is_en(ih))
		return -ENOTSUP;
	vfnic_wr32(AD(dev), VFNIC_QP_REG(qid, VFNIC_QP_INT),
		   VFNIC_QP_INT_ENABLE | (RTE_INTR_VEC_RXTX_OFFSET + qid));
	rte_io_rmb();
	if (vfnic_rx_descriptor_status(dev->data->rx_queues[qid], 0) ==
	    RTE_ETH_RX_DESC_DONE) {
		fd = rte_intr_efds_index_get(ih, qid);
		if (fd >= 0 && write(fd, &one, sizeof(one)) != sizeof(one))
			PMD_DRV_LOG(WARNING, "port %u rxq %u: eventfd: %s",
				    dev->data->port_id, qid, strerror(errno));
	}
	return 0;
}

int
vfnic_vf_rx_queue_intr_disable(struct rte_eth_dev *dev, uint16_t qid)
{
	if (!rte_intr_dp_is_en(RTE_ETH_DEV_TO_PCI(dev)->intr_handle))
		return -ENOTSUP;
	vfnic_wr32(AD(dev), VFNIC_QP_REG(qid, VFNIC_QP_INT), 0);
	return 0;
}
