// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfnic_pf: SR-IOV. .sriov_configure creates and removes VFs; each VF's
 * admin block (docs/hardware.md section 9) is programmed from the PF's
 * record of it, which the administrator changes with ndo_set_vf_* (ip link
 * set PF vf N ...) and the VF with mailbox requests (vfnic_pf_mbx.c).
 * Administrator changes are announced to the VF with CONFIG_CHANGED.
 *
 * Locking: pf->num_vfs changes under rtnl_lock, which ndo_*_vf_* and
 * ethtool also hold; a VF's record is under its own vf->lock, which the
 * mailbox thread takes too.
 */
#include <linux/rtnetlink.h>

#include "vfnic_pf.h"

static unsigned int vf_queues = VFNIC_VF_MAX_QP;
module_param(vf_queues, uint, 0444);
MODULE_PARM_DESC(vf_queues, "queue pairs granted to each VF (1-4, default 4)");

/*
 * A PF whose VFs come up slowly, for testing provisioning tools: i40e and
 * ice set up a VF's resources after pci_enable_sriov() returns, and until
 * a VF's INIT state bit is set their ndo_get_vf_config and ndo_set_vf_*
 * refuse it ("VF %d still in reset. Try again.", -EAGAIN / -EBUSY), so
 * rtnetlink leaves the VF out of IFLA_VFINFO_LIST while IFLA_NUM_VF
 * already counts it. With this delay VF i becomes configurable
 * (i + 1) * vf_ready_delay_ms / num_vfs after the VFs are enabled.
 */
static unsigned int vf_ready_delay_ms;
module_param(vf_ready_delay_ms, uint, 0644);
MODULE_PARM_DESC(vf_ready_delay_ms, "time until the last VF is configurable after enabling VFs (ms, default 0)");

#define VFNIC_VF_DEF_FRAME	(ETH_DATA_LEN + ETH_HLEN) /* ADM_MAX_FRAME default */

bool vfnic_vf_link_up(struct vfnic_vf *vf)
{
	if (vf->mbx.state == VFNIC_MBX_VF_DISABLED)
		return false;
	switch (vf->link_state) {
	case IFLA_VF_LINK_STATE_ENABLE:
		return true;
	case IFLA_VF_LINK_STATE_DISABLE:
		return false;
	default:
		return vfnic_pf_uplink_up(vf->pf);
	}
}

static u32 vfnic_vf_policy(const struct vfnic_vf *vf)
{
	u32 pol = 0, link;

	if (vf->spoofchk)
		pol |= VFNIC_POL_SPOOFCHK;
	if (vf->trusted)
		pol |= VFNIC_POL_TRUST;
	if (vf->rx_filter & VFNIC_RX_FILTER_PROMISC)
		pol |= VFNIC_POL_PROMISC;
	if (vf->rx_filter & VFNIC_RX_FILTER_ALLMULTI)
		pol |= VFNIC_POL_ALLMULTI;
	switch (vf->link_state) {
	case IFLA_VF_LINK_STATE_ENABLE:
		link = VFNIC_LINK_ENABLE;
		break;
	case IFLA_VF_LINK_STATE_DISABLE:
		link = VFNIC_LINK_DISABLE;
		break;
	default:
		link = VFNIC_LINK_AUTO;
	}
	pol |= link << VFNIC_POL_LINK_SHIFT;
	if (vf->mbx.state == VFNIC_MBX_VF_DISABLED)
		pol |= VFNIC_POL_DISABLED;
	return pol;
}

void vfnic_vf_hw_write_policy(struct vfnic_vf *vf)
{
	vfnic_wr(vf->pf, vfnic_vf_adm(vf, VFNIC_ADM_POLICY),
		 vfnic_vf_policy(vf));
}

static void vfnic_vf_hw_write_vlan(struct vfnic_vf *vf)
{
	u32 v = 0;

	if (vf->vlan || vf->qos) {
		v = VFNIC_VLAN_ENABLE | vf->vlan |
		    (u32)vf->qos << VFNIC_VLAN_PCP_SHIFT;
		if (vf->vlan_proto == htons(ETH_P_8021AD))
			v |= VFNIC_VLAN_QINQ;
	}
	vfnic_wr(vf->pf, vfnic_vf_adm(vf, VFNIC_ADM_VLAN), v);
}

static void vfnic_vf_hw_write_mac(struct vfnic_vf *vf)
{
	vfnic_wr(vf->pf, vfnic_vf_adm(vf, VFNIC_ADM_MAC_LO),
		 vfnic_mac_lo(vf->mac));
	vfnic_wr(vf->pf, vfnic_vf_adm(vf, VFNIC_ADM_MAC_HI),
		 vfnic_mac_hi(vf->mac) | VFNIC_MAC_VALID);
}

/* Word @w of ADM_VLAN_FILTER from the VF's bitmap. */
void vfnic_vf_hw_write_vlan_word(struct vfnic_vf *vf, unsigned int w)
{
	u32 word = 0;
	int b;

	for (b = 0; b < 32; b++)
		if (test_bit(w * 32 + b, vf->vlans))
			word |= BIT(b);
	vfnic_wr(vf->pf, vfnic_vf_adm(vf, VFNIC_ADM_VLAN_FILTER) + w * 4, word);
}

/* The whole admin block from the PF's record: VF enable, PF reset. */
void vfnic_vf_hw_program(struct vfnic_vf *vf)
{
	struct vfnic_pf *pf = vf->pf;
	int i;

	vfnic_vf_hw_write_mac(vf);
	vfnic_vf_hw_write_vlan(vf);
	vfnic_vf_hw_write_policy(vf);
	vfnic_wr(pf, vfnic_vf_adm(vf, VFNIC_ADM_TX_RATE), vf->max_tx_rate);
	vfnic_wr(pf, vfnic_vf_adm(vf, VFNIC_ADM_MAX_FRAME),
		 vf->mtu ? vf->mtu + ETH_HLEN : VFNIC_VF_DEF_FRAME);
	vfnic_wr(pf, vfnic_vf_adm(vf, VFNIC_ADM_NUM_QP), vf->num_qp);
	for (i = 0; i < VFNIC_ADM_MAC_FILTERS; i++)
		vfnic_vf_write_filter(vf, i);
	for (i = 0; i < VLAN_N_VID / 32; i++)
		vfnic_vf_hw_write_vlan_word(vf, i);
}

/*
 * RESET_VF: forget what the VF asked for, writing back only the registers
 * that held some of it. A VF may reset at its message rate, and the whole
 * admin block (vfnic_vf_hw_program()) is over 160 writes, most of them the
 * VLAN filter's 128 words.
 */
void vfnic_vf_hw_reset_requested(struct vfnic_vf *vf)
{
	DECLARE_BITMAP(words, VLAN_N_VID / 32);
	unsigned long used = vf->filter_used;
	unsigned int i;

	bitmap_zero(words, VLAN_N_VID / 32);
	for_each_set_bit(i, vf->vlans, VLAN_N_VID)
		set_bit(i / 32, words);
	vfnic_vf_clear_requested(vf);
	for_each_set_bit(i, &used, VFNIC_ADM_MAC_FILTERS)
		vfnic_vf_write_filter(vf, i);
	for_each_set_bit(i, words, VLAN_N_VID / 32)
		vfnic_vf_hw_write_vlan_word(vf, i);
	vfnic_vf_hw_write_policy(vf);
	vfnic_wr(vf->pf, vfnic_vf_adm(vf, VFNIC_ADM_MAX_FRAME),
		 VFNIC_VF_DEF_FRAME);
}

/* Forget what the VF asked for; the caller writes the hardware. */
void vfnic_vf_clear_requested(struct vfnic_vf *vf)
{
	vf->filter_used = 0;
	memset(vf->filter, 0, sizeof(vf->filter));
	bitmap_zero(vf->vlans, VLAN_N_VID);
	vf->rx_filter = 0;
	vf->mtu = 0;
	memset(vf->rss_key, 0, sizeof(vf->rss_key));
	memset(vf->rss_lut, 0, sizeof(vf->rss_lut));
	vf->rss_hash = 0;
}

static u32 vfnic_vf_caps_offered(const struct vfnic_vf *vf)
{
	/* With a port VLAN the VF sees no tags: no VLAN filters for it. */
	if (vf->vlan || vf->qos)
		return VFNIC_MBX_CAP_ALL & ~VFNIC_MBX_CAP_VLAN;
	return VFNIC_MBX_CAP_ALL;
}

/* A new VF: ixgbe's defaults, a random locally administered MAC. */
static void vfnic_vf_defaults(struct vfnic_vf *vf)
{
	eth_random_addr(vf->mac);
	vf->admin_mac = false;
	vf->vlan = 0;
	vf->qos = 0;
	vf->vlan_proto = htons(ETH_P_8021Q);
	vf->max_tx_rate = 0;
	vf->spoofchk = true;
	vf->trusted = false;
	vf->link_state = IFLA_VF_LINK_STATE_AUTO;
	vf->num_qp = clamp_t(u32, vf_queues, 1, VFNIC_VF_MAX_QP);
	vfnic_vf_clear_requested(vf);
	vf->reply_pending = false;
	vf->ev_pending = 0;
	vf->ev_changed = 0;
	vfnic_mbx_vf_init(&vf->mbx, vf->num_qp, vfnic_vf_caps_offered(vf),
			  vf->trusted);
}

static int vfnic_sriov_disable(struct vfnic_pf *pf)
{
	struct pci_dev *pdev = pf->pdev;
	int i, n;

	if (pci_vfs_assigned(pdev)) {
		dev_err(&pdev->dev, "cannot disable SR-IOV: %d of %d VFs are assigned to guests; detach them first\n",
			pci_vfs_assigned(pdev), pci_num_vf(pdev));
		return -EBUSY;
	}
	rtnl_lock();
	n = pf->num_vfs;
	for (i = 0; i < n; i++) {
		struct vfnic_vf *vf = &pf->vf[i];

		mutex_lock(&vf->lock);
		vfnic_vf_set_ready(vf, false);
		vf->active = false;
		vf->reply_pending = false;
		vf->ev_pending = 0;
		vf->ev_changed = 0;
		mutex_unlock(&vf->lock);
	}
	pf->num_vfs = 0;
	rtnl_unlock();
	pci_disable_sriov(pdev);
	if (n)
		dev_info(&pdev->dev, "%d VFs disabled\n", n);
	return 0;
}

static int vfnic_sriov_enable(struct vfnic_pf *pf, int n)
{
	struct pci_dev *pdev = pf->pdev;
	u32 hw_vfs;
	int i, err;

	if (n > pf->total_vfs) {
		dev_err(&pdev->dev, "cannot enable %d VFs: the device has %u\n",
			n, pf->total_vfs);
		return -ERANGE;
	}
	err = pci_enable_sriov(pdev, n);
	if (err) {
		dev_err(&pdev->dev, "cannot enable %d VFs: pci_enable_sriov: %d\n",
			n, err);
		return err;
	}
	hw_vfs = vfnic_rd(pf, VFNIC_GLB_NUM_VFS);
	if (hw_vfs != n) {
		dev_err(&pdev->dev, "enabled %d VFs but GLB_NUM_VFS reads %u\n",
			n, hw_vfs);
		pci_disable_sriov(pdev);
		return -EIO;
	}
	/* VF Enable reset every VF's admin block: program them now. */
	rtnl_lock();
	for (i = 0; i < n; i++) {
		struct vfnic_vf *vf = &pf->vf[i];

		mutex_lock(&vf->lock);
		vfnic_vf_defaults(vf);
		vfnic_vf_hw_program(vf);
		vf->ready_at = jiffies +
			msecs_to_jiffies(div_u64((u64)(i + 1) *
						 READ_ONCE(vf_ready_delay_ms), n));
		vf->active = true;
		vfnic_vf_set_ready(vf, true);
		mutex_unlock(&vf->lock);
	}
	pf->num_vfs = n;
	rtnl_unlock();
	dev_info(&pdev->dev, "%d VFs enabled, %u queue pairs each\n", n,
		 pf->vf[0].num_qp);
	return n;
}

/* echo N > sriov_numvfs; the PCI core makes N -> M go through 0. */
int vfnic_sriov_configure(struct pci_dev *pdev, int num_vfs)
{
	struct vfnic_pf *pf = pci_get_drvdata(pdev);
	int err;

	if (!num_vfs)
		return vfnic_sriov_disable(pf);
	if (pci_num_vf(pdev)) {
		dev_err(&pdev->dev, "%d VFs already enabled: disable them before enabling %d\n",
			pci_num_vf(pdev), num_vfs);
		return -EBUSY;
	}
	err = vfnic_sriov_enable(pf, num_vfs);
	return err;
}

int vfnic_sriov_init(struct vfnic_pf *pf)
{
	struct vfnic_mbx_policy pol = VFNIC_MBX_POLICY_DEFAULT;
	u32 hw_total = vfnic_rd(pf, VFNIC_GLB_TOTAL_VFS);
	int i;

	pf->mbx_policy = pol;
	pf->total_vfs = pci_sriov_get_totalvfs(pf->pdev);
	if (pf->total_vfs != hw_total)
		dev_warn(&pf->pdev->dev, "SR-IOV TotalVFs %u, GLB_TOTAL_VFS %u: using the smaller\n",
			 pf->total_vfs, hw_total);
	pf->total_vfs = min_t(u32, min_t(u32, pf->total_vfs, hw_total),
			      VFNIC_MAX_VFS);
	pf->vf = kcalloc(max_t(u16, pf->total_vfs, 1), sizeof(*pf->vf),
			 GFP_KERNEL);
	if (!pf->vf)
		return -ENOMEM;
	for (i = 0; i < pf->total_vfs; i++) {
		struct vfnic_vf *vf = &pf->vf[i];

		mutex_init(&vf->lock);
		vf->pf = pf;
		vf->id = i;
		vfnic_mbx_io_init(vf);
	}
	if (pf->total_vfs != pci_sriov_get_totalvfs(pf->pdev))
		pci_sriov_set_totalvfs(pf->pdev, pf->total_vfs);
	return 0;
}

/* Remove: VFs go too, unless a guest holds them (then they stay, orphaned). */
void vfnic_sriov_remove(struct vfnic_pf *pf)
{
	if (!pci_num_vf(pf->pdev))
		return;
	if (vfnic_sriov_disable(pf))
		dev_warn(&pf->pdev->dev, "VFs stay enabled without a PF driver\n");
}

/*
 * ndo_*_vf_*: the VF must exist and be set up (vf_ready_delay_ms); errors
 * name the VF and the cause.
 */
static struct vfnic_vf *vfnic_vf_get(struct net_device *netdev, int id)
{
	struct vfnic_pf *pf = netdev_priv(netdev);
	struct vfnic_vf *vf;

	if (id < 0 || id >= pf->num_vfs) {
		netdev_err(netdev, "vf %d: no such VF (%u enabled)\n", id,
			   pf->num_vfs);
		return ERR_PTR(-EINVAL);
	}
	vf = &pf->vf[id];
	if (time_before(jiffies, vf->ready_at)) {
		if (net_ratelimit())
			netdev_info(netdev, "vf %d: still being set up, try again\n",
				    id);
		return ERR_PTR(-EAGAIN);
	}
	return vf;
}

int vfnic_set_vf_mac(struct net_device *netdev, int id, u8 *mac)
{
	struct vfnic_vf *vf = vfnic_vf_get(netdev, id);

	if (IS_ERR(vf))
		return PTR_ERR(vf);
	if (is_multicast_ether_addr(mac)) {
		netdev_err(netdev, "vf %d: MAC %pM is multicast\n", id, mac);
		return -EINVAL;
	}
	if (is_zero_ether_addr(mac)) {
		netdev_err(netdev, "vf %d: MAC %pM is all zeros\n", id, mac);
		return -EINVAL;
	}
	mutex_lock(&vf->lock);
	ether_addr_copy(vf->mac, mac);
	vf->admin_mac = true;
	vfnic_vf_hw_write_mac(vf);
	vfnic_vf_apply_mac_pin(vf);
	vfnic_vf_notify(vf, 0, VFNIC_MBX_CHG_MAC);
	mutex_unlock(&vf->lock);
	netdev_info(netdev, "vf %d: MAC set to %pM\n", id, mac);
	return 0;
}

int vfnic_set_vf_vlan(struct net_device *netdev, int id, u16 vlan, u8 qos,
		      __be16 proto)
{
	struct vfnic_vf *vf = vfnic_vf_get(netdev, id);

	if (IS_ERR(vf))
		return PTR_ERR(vf);
	if (vlan > VLAN_VID_MASK || qos > 7) {
		netdev_err(netdev, "vf %d: VLAN %u qos %u out of range (VLAN 0-%u, qos 0-7)\n",
			   id, vlan, qos, VLAN_VID_MASK);
		return -EINVAL;
	}
	if (proto != htons(ETH_P_8021Q) && proto != htons(ETH_P_8021AD)) {
		netdev_err(netdev, "vf %d: VLAN protocol 0x%04x unsupported (802.1Q or 802.1ad)\n",
			   id, ntohs(proto));
		return -EPROTONOSUPPORT;
	}
	mutex_lock(&vf->lock);
	vf->vlan = vlan;
	vf->qos = qos;
	vf->vlan_proto = proto;
	vf->mbx.caps_offered = vfnic_vf_caps_offered(vf);
	vfnic_vf_hw_write_vlan(vf);
	vfnic_vf_notify(vf, 0, VFNIC_MBX_CHG_VLAN);
	mutex_unlock(&vf->lock);
	return 0;
}

int vfnic_set_vf_rate(struct net_device *netdev, int id, int min_rate,
		      int max_rate)
{
	struct vfnic_pf *pf = netdev_priv(netdev);
	struct vfnic_vf *vf = vfnic_vf_get(netdev, id);
	u32 speed = VFNIC_PF_SPEED_MBPS;

	if (IS_ERR(vf))
		return PTR_ERR(vf);
	if (min_rate) {
		netdev_err(netdev, "vf %d: minimum TX rate %d Mbit/s unsupported (only max_tx_rate)\n",
			   id, min_rate);
		return -EINVAL;
	}
	if (vfnic_pf_speed(pf))
		speed = vfnic_pf_speed(pf);
	if (max_rate < 0 || max_rate > speed) {
		netdev_err(netdev, "vf %d: max TX rate %d Mbit/s out of range (0-%u)\n",
			   id, max_rate, speed);
		return -EINVAL;
	}
	mutex_lock(&vf->lock);
	vf->max_tx_rate = max_rate;
	vfnic_wr(pf, vfnic_vf_adm(vf, VFNIC_ADM_TX_RATE), max_rate);
	vfnic_vf_notify(vf, 0, VFNIC_MBX_CHG_RATE);
	mutex_unlock(&vf->lock);
	return 0;
}

int vfnic_set_vf_spoofchk(struct net_device *netdev, int id, bool on)
{
	struct vfnic_vf *vf = vfnic_vf_get(netdev, id);

	if (IS_ERR(vf))
		return PTR_ERR(vf);
	mutex_lock(&vf->lock);
	if (vf->spoofchk != on) {
		vf->spoofchk = on;
		vfnic_vf_hw_write_policy(vf);
		vfnic_vf_notify(vf, 0, VFNIC_MBX_CHG_SPOOFCHK);
	}
	mutex_unlock(&vf->lock);
	return 0;
}

int vfnic_set_vf_trust(struct net_device *netdev, int id, bool on)
{
	struct vfnic_vf *vf = vfnic_vf_get(netdev, id);

	if (IS_ERR(vf))
		return PTR_ERR(vf);
	mutex_lock(&vf->lock);
	if (vf->trusted != on) {
		vf->trusted = on;
		vf->mbx.trusted = on;
		/* What only trust allowed goes with it. */
		if (!on)
			vf->rx_filter = 0;
		vfnic_vf_apply_mac_pin(vf);
		vfnic_vf_hw_write_policy(vf);
		vfnic_vf_notify(vf, 0, VFNIC_MBX_CHG_TRUST);
		netdev_info(netdev, "vf %d: %strusted\n", id, on ? "" : "un");
	}
	mutex_unlock(&vf->lock);
	return 0;
}

/*
 * Link state auto/enable/disable. On a VF disabled for mailbox abuse this
 * is also the administrator's reset that restores it (docs/mailbox.md 7).
 */
int vfnic_set_vf_link_state(struct net_device *netdev, int id, int state)
{
	struct vfnic_vf *vf = vfnic_vf_get(netdev, id);
	bool was_up;

	if (IS_ERR(vf))
		return PTR_ERR(vf);
	if (state != IFLA_VF_LINK_STATE_AUTO &&
	    state != IFLA_VF_LINK_STATE_ENABLE &&
	    state != IFLA_VF_LINK_STATE_DISABLE) {
		netdev_err(netdev, "vf %d: link state %d invalid (auto, enable, disable)\n",
			   id, state);
		return -EINVAL;
	}
	mutex_lock(&vf->lock);
	was_up = vfnic_vf_link_up(vf);
	vf->link_state = state;
	if (vf->mbx.state == VFNIC_MBX_VF_DISABLED) {
		vfnic_vf_admin_reset(vf);
		netdev_info(netdev, "vf %d: re-enabled by the administrator\n",
			    id);
	} else {
		vfnic_vf_hw_write_policy(vf);
		/* LINK_CHANGE when the effective link moved, then the why */
		vfnic_vf_notify(vf, vfnic_vf_link_up(vf) != was_up ?
				VFNIC_VF_EV_LINK : 0, VFNIC_MBX_CHG_LINK);
	}
	mutex_unlock(&vf->lock);
	return 0;
}

int vfnic_get_vf_config(struct net_device *netdev, int id,
			struct ifla_vf_info *ivi)
{
	struct vfnic_vf *vf = vfnic_vf_get(netdev, id);

	if (IS_ERR(vf))
		return PTR_ERR(vf);
	mutex_lock(&vf->lock);
	ivi->vf = id;
	ether_addr_copy(ivi->mac, vf->mac);
	ivi->vlan = vf->vlan;
	ivi->qos = vf->qos;
	ivi->vlan_proto = vf->vlan_proto;
	ivi->min_tx_rate = 0;
	ivi->max_tx_rate = vf->max_tx_rate;
	ivi->spoofchk = vf->spoofchk;
	ivi->linkstate = vf->link_state;
	ivi->trusted = vf->trusted;
	ivi->rss_query_en = 0;
	mutex_unlock(&vf->lock);
	return 0;
}

int vfnic_get_vf_stats(struct net_device *netdev, int id,
		       struct ifla_vf_stats *st)
{
	struct vfnic_pf *pf = netdev_priv(netdev);
	struct vfnic_vf *vf = vfnic_vf_get(netdev, id);
	u32 base;

	if (IS_ERR(vf))
		return PTR_ERR(vf);
	base = vfnic_vf_adm(vf, VFNIC_ADM_STATS);
	st->rx_packets = vfnic_rd64(pf, base + VFNIC_STAT_RX_PKTS);
	st->rx_bytes = vfnic_rd64(pf, base + VFNIC_STAT_RX_BYTES);
	st->tx_packets = vfnic_rd64(pf, base + VFNIC_STAT_TX_PKTS);
	st->tx_bytes = vfnic_rd64(pf, base + VFNIC_STAT_TX_BYTES);
	st->broadcast = vfnic_rd64(pf, base + VFNIC_STAT_RX_BCAST);
	st->multicast = vfnic_rd64(pf, base + VFNIC_STAT_RX_MCAST);
	st->rx_dropped = vfnic_rd64(pf, base + VFNIC_STAT_RX_DROP);
	st->tx_dropped = vfnic_rd64(pf, base + VFNIC_STAT_TX_DROP) +
			 vfnic_rd64(pf, base + VFNIC_STAT_TX_SPOOF) +
			 vfnic_rd64(pf, base + VFNIC_STAT_TX_ERR);
	return 0;
}
