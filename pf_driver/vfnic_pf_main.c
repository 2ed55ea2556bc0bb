// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfnic_pf: probe and remove of the vfnic physical function, its misc
 * interrupt (mailbox, link, VF FLR: docs/hardware.md section 6) and the PF
 * reset (FN_CTRL.RST, section 11).
 */
#include <linux/module.h>
#include <linux/rtnetlink.h>

#include "vfnic_pf.h"

static unsigned int max_queues = VFNIC_PF_MAX_QP;
module_param(max_queues, uint, 0444);
MODULE_PARM_DESC(max_queues, "queue pairs of the PF netdev (1-8, default: one per CPU)");

bool vfnic_pf_uplink_up(struct vfnic_pf *pf)
{
	return vfnic_rd(pf, VFNIC_FN_STATUS) & VFNIC_FN_STATUS_LINK_UP;
}

/* Uplink speed in Mbit/s; 0 while the link is down. */
u32 vfnic_pf_speed(struct vfnic_pf *pf)
{
	u32 st = vfnic_rd(pf, VFNIC_FN_STATUS);

	if (!(st & VFNIC_FN_STATUS_LINK_UP))
		return 0;
	st >>= VFNIC_FN_STATUS_SPEED_SHIFT;
	return st ? st * 10 : VFNIC_PF_SPEED_MBPS;
}

#define VFNIC_PF_MISC_CAUSES \
	(VFNIC_INT_MBX | VFNIC_INT_LINK | VFNIC_INT_VFLR)

/*
 * Misc vector, threaded: the mailbox service sleeps on per-VF mutexes.
 * Causes are acknowledged before they are served, so one raised while we
 * work interrupts again; the device signals each new cause (section 6).
 */
static irqreturn_t vfnic_misc_thread(int irq, void *data)
{
	struct vfnic_pf *pf = data;
	u32 icr = vfnic_rd(pf, VFNIC_FN_ICR);

	/*
	 * ICR may already be clear: a cause raised while the last run was
	 * reading it interrupts again. That is no stray interrupt.
	 */
	if (!icr)
		return IRQ_HANDLED;
	vfnic_wr(pf, VFNIC_FN_ICR, icr);
	if (icr & VFNIC_INT_VFLR)
		vfnic_vflr_service(pf);
	if (icr & VFNIC_INT_MBX)
		vfnic_mbx_service(pf);
	if (icr & VFNIC_INT_LINK) {
		vfnic_update_carrier(pf);
		vfnic_vfs_notify_link(pf);
	}
	return IRQ_HANDLED;
}

static void vfnic_misc_enable(struct vfnic_pf *pf)
{
	vfnic_wr(pf, VFNIC_FN_IMS, VFNIC_PF_MISC_CAUSES);
}

static void vfnic_misc_disable(struct vfnic_pf *pf)
{
	vfnic_wr(pf, VFNIC_FN_IMC, ~0u);
	vfnic_wr(pf, VFNIC_FN_ICR, ~0u);
}

/*
 * PF reset: every function's queues, interrupts and mailbox and every admin
 * block return to defaults (section 11). VFs are warned with PF_RESET
 * first (best effort), then the PF programs their admin blocks again from
 * its records and raises PF_READY: each VF driver starts over at VERSION.
 * Called under rtnl_lock.
 */
int vfnic_pf_reset(struct vfnic_pf *pf)
{
	struct net_device *netdev = pf->netdev;
	bool running = netif_running(netdev);
	int i;

	ASSERT_RTNL();
	if (test_and_set_bit(VFNIC_PF_RESETTING, &pf->flags))
		return -EBUSY;
	netdev_info(netdev, "resetting the device (%u VFs told)\n",
		    pf->num_vfs);
	vfnic_vfs_notify_reset(pf);
	/* Let VF drivers take the PF_RESET message before it is wiped. */
	msleep(20);
	disable_irq(pci_irq_vector(pf->pdev, VFNIC_MSIX_MISC));
	if (running)
		vfnic_down(pf);
	vfnic_wr(pf, VFNIC_FN_CTRL, VFNIC_FN_CTRL_RST);
	/*
	 * Before any PF_READY: a VF's request or FLR from then on stays
	 * latched, and the interrupt the mask raises for it is replayed.
	 */
	vfnic_misc_disable(pf);

	vfnic_wr(pf, VFNIC_FN_MAC_LO, vfnic_mac_lo(netdev->dev_addr));
	vfnic_wr(pf, VFNIC_FN_MAC_HI, vfnic_mac_hi(netdev->dev_addr));
	netif_addr_lock_bh(netdev);
	vfnic_set_rx_mode(netdev);
	netif_addr_unlock_bh(netdev);
	for (i = 0; i < pf->num_vfs; i++) {
		struct vfnic_vf *vf = &pf->vf[i];

		mutex_lock(&vf->lock);
		if (vf->active) {
			vfnic_mbx_vf_reset(&vf->mbx);
			vfnic_vf_restart(vf);
			vfnic_vf_set_ready(vf, true);
		}
		mutex_unlock(&vf->lock);
	}
	vfnic_misc_enable(pf);
	enable_irq(pci_irq_vector(pf->pdev, VFNIC_MSIX_MISC));
	pf->resets++;
	clear_bit(VFNIC_PF_RESETTING, &pf->flags);
	if (running)
		return vfnic_up(pf);
	vfnic_update_carrier(pf);
	return 0;
}

static int vfnic_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct net_device *netdev;
	struct vfnic_pf *pf;
	u32 caps;
	int err, nvec;

	err = pcim_enable_device(pdev);
	if (err)
		return dev_err_probe(&pdev->dev, err, "cannot enable device\n");
	err = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (err)
		return dev_err_probe(&pdev->dev, err, "no usable DMA mask\n");
	err = pcim_iomap_regions(pdev, BIT(VFNIC_BAR_REGS), VFNIC_PF_DRV_NAME);
	if (err)
		return dev_err_probe(&pdev->dev, err, "cannot map BAR%d\n",
				     VFNIC_BAR_REGS);
	if (pci_resource_len(pdev, VFNIC_BAR_REGS) < VFNIC_PF_BAR0_SIZE) {
		dev_err(&pdev->dev, "BAR%d is %llu bytes, expected %u\n",
			VFNIC_BAR_REGS,
			(u64)pci_resource_len(pdev, VFNIC_BAR_REGS),
			VFNIC_PF_BAR0_SIZE);
		return -ENODEV;
	}
	pci_set_master(pdev);

	netdev = alloc_etherdev_mqs(sizeof(*pf), VFNIC_PF_MAX_QP,
				    VFNIC_PF_MAX_QP);
	if (!netdev)
		return -ENOMEM;
	SET_NETDEV_DEV(netdev, &pdev->dev);
	pf = netdev_priv(netdev);
	pf->netdev = netdev;
	pf->pdev = pdev;
	pf->hw = pcim_iomap_table(pdev)[VFNIC_BAR_REGS];
	pci_set_drvdata(pdev, pf);

	pf->version = vfnic_rd(pf, VFNIC_GLB_VERSION);
	if (pf->version >> 16 != VFNIC_VERSION >> 16) {
		dev_err(&pdev->dev, "GLB_VERSION 0x%08x: major %u, driver speaks %u\n",
			pf->version, pf->version >> 16, VFNIC_VERSION >> 16);
		err = -ENODEV;
		goto err_free_netdev;
	}
	vfnic_misc_disable(pf);

	nvec = pci_alloc_irq_vectors(pdev, 2, VFNIC_PF_MSIX_VECTORS,
				     PCI_IRQ_MSIX);
	if (nvec < 0) {
		err = dev_err_probe(&pdev->dev, nvec,
				    "cannot allocate MSI-X vectors\n");
		goto err_free_netdev;
	}
	pf->num_vectors = nvec;
	caps = vfnic_rd(pf, VFNIC_FN_CAPS);
	pf->num_qp = min3((u32)nvec - 1, (caps & VFNIC_FN_CAPS_QP_MASK) >>
			  VFNIC_FN_CAPS_QP_SHIFT, num_online_cpus());
	pf->num_qp = clamp_t(u16, min_t(u32, pf->num_qp, max_queues), 1,
			     VFNIC_PF_MAX_QP);

	err = request_threaded_irq(pci_irq_vector(pdev, VFNIC_MSIX_MISC), NULL,
				   vfnic_misc_thread, IRQF_ONESHOT,
				   VFNIC_PF_DRV_NAME "-misc", pf);
	if (err) {
		dev_err(&pdev->dev, "cannot request the misc interrupt: %d\n",
			err);
		goto err_free_vectors;
	}

	err = vfnic_sriov_init(pf);
	if (err)
		goto err_free_irq;
	err = vfnic_netdev_create(pf);
	if (err)
		goto err_sriov;
	vfnic_misc_enable(pf);
	vfnic_debugfs_pf_create(pf);

	netdev_info(netdev, "vfnic %u.%u at %s, MAC %pM, %u queue pairs, %d MSI-X vectors, %u VFs possible\n",
		    pf->version >> 16, pf->version & 0xffff, pci_name(pdev),
		    netdev->dev_addr, pf->num_qp, nvec, pf->total_vfs);
	return 0;

err_sriov:
	kfree(pf->vf);
err_free_irq:
	free_irq(pci_irq_vector(pdev, VFNIC_MSIX_MISC), pf);
err_free_vectors:
	pci_free_irq_vectors(pdev);
err_free_netdev:
	free_netdev(netdev);
	return err;
}

static void vfnic_remove(struct pci_dev *pdev)
{
	struct vfnic_pf *pf = pci_get_drvdata(pdev);
	struct net_device *netdev = pf->netdev;

	vfnic_debugfs_pf_remove(pf);
	vfnic_tgen_stop(pf);
	vfnic_sriov_remove(pf);
	vfnic_netdev_destroy(pf);
	vfnic_misc_disable(pf);
	free_irq(pci_irq_vector(pdev, VFNIC_MSIX_MISC), pf);
	pci_free_irq_vectors(pdev);
	kfree(pf->vf);
	free_netdev(netdev);
}

static void vfnic_shutdown(struct pci_dev *pdev)
{
	struct vfnic_pf *pf = pci_get_drvdata(pdev);

	rtnl_lock();
	netif_device_detach(pf->netdev);
	if (netif_running(pf->netdev))
		vfnic_down(pf);
	rtnl_unlock();
	vfnic_tgen_stop(pf);
	vfnic_misc_disable(pf);
	pci_disable_device(pdev);
}

static const struct pci_device_id vfnic_pci_tbl[] = {
	{ PCI_DEVICE(VFNIC_PCI_VENDOR_ID, VFNIC_PCI_DEVICE_ID_PF) },
	{ }
};
MODULE_DEVICE_TABLE(pci, vfnic_pci_tbl);

static struct pci_driver vfnic_pf_driver = {
	.name = VFNIC_PF_DRV_NAME,
	.id_table = vfnic_pci_tbl,
	.probe = vfnic_probe,
	.remove = vfnic_remove,
	.shutdown = vfnic_shutdown,
	.sriov_configure = vfnic_sriov_configure,
};

static int __init vfnic_pf_init(void)
{
	int err;

	vfnic_debugfs_init();
	err = pci_register_driver(&vfnic_pf_driver);
	if (err)
		vfnic_debugfs_exit();
	return err;
}
module_init(vfnic_pf_init);

static void __exit vfnic_pf_exit(void)
{
	pci_unregister_driver(&vfnic_pf_driver);
	vfnic_debugfs_exit();
}
module_exit(vfnic_pf_exit);

MODULE_DESCRIPTION("vfnic SR-IOV NIC physical function driver");
MODULE_LICENSE("GPL");
