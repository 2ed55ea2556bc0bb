// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfnic_pf: ethtool. Driver info, link, ring sizes, channels, statistics
 * (the PF's function counters, the switch's uplink counters, per-queue
 * software counters, and per VF its ADM_STATS and mailbox counters), a
 * register dump and the PF reset (ethtool --reset DEV all).
 */
#include <linux/ethtool.h>
#include <linux/rtnetlink.h>

#include "vfnic_pf.h"

static const char vfnic_hw_stat_names[VFNIC_STAT_COUNT][ETH_GSTRING_LEN] = {
	"hw_rx_packets", "hw_rx_bytes", "hw_tx_packets", "hw_tx_bytes",
	"hw_rx_dropped", "hw_tx_spoofed", "hw_tx_errors", "hw_rx_errors",
	"hw_rx_broadcast", "hw_rx_multicast", "hw_tx_broadcast",
	"hw_tx_multicast", "hw_tx_dropped",
};

static const char vfnic_glb_stat_names[][ETH_GSTRING_LEN] = {
	"uplink_rx_packets", "uplink_tx_packets", "switch_no_dest",
	"pf_resets", "vf_flrs",
};

#define VFNIC_GLB_STATS_N	ARRAY_SIZE(vfnic_glb_stat_names)

static const char *const vfnic_q_stat_names[] = {
	"rx_q%u_packets", "rx_q%u_bytes", "rx_q%u_errors", "rx_q%u_alloc_fail",
	"tx_q%u_packets", "tx_q%u_bytes", "tx_q%u_errors", "tx_q%u_busy",
};

#define VFNIC_Q_STATS_N		ARRAY_SIZE(vfnic_q_stat_names)

static const char *const vfnic_vf_stat_names[] = {
	"vf%u_rx_packets", "vf%u_rx_bytes", "vf%u_tx_packets", "vf%u_tx_bytes",
	"vf%u_rx_dropped", "vf%u_tx_spoofed", "vf%u_tx_dropped",
	"vf%u_mbx_msgs", "vf%u_mbx_errors", "vf%u_mbx_rate_limited",
	"vf%u_mbx_dropped", "vf%u_mbx_disabled",
};

#define VFNIC_VF_STATS_N	ARRAY_SIZE(vfnic_vf_stat_names)

static void vfnic_get_drvinfo(struct net_device *netdev,
			      struct ethtool_drvinfo *info)
{
	struct vfnic_pf *pf = netdev_priv(netdev);

	strscpy(info->driver, VFNIC_PF_DRV_NAME, sizeof(info->driver));
	strscpy(info->bus_info, pci_name(pf->pdev), sizeof(info->bus_info));
	snprintf(info->fw_version, sizeof(info->fw_version),
		 "hw %u.%u mbx %u.%u", pf->version >> 16, pf->version & 0xffff,
		 VFNIC_MBX_VERSION_MAJOR, VFNIC_MBX_VERSION_MINOR);
}

static int vfnic_get_link_ksettings(struct net_device *netdev,
				    struct ethtool_link_ksettings *ks)
{
	struct vfnic_pf *pf = netdev_priv(netdev);
	u32 speed = vfnic_pf_speed(pf);

	ethtool_link_ksettings_zero_link_mode(ks, supported);
	ethtool_link_ksettings_add_link_mode(ks, supported, 10000baseT_Full);
	ethtool_link_ksettings_zero_link_mode(ks, advertising);
	ks->base.autoneg = AUTONEG_DISABLE;
	ks->base.port = PORT_OTHER;
	if (speed && netif_carrier_ok(netdev)) {
		ks->base.speed = speed;
		ks->base.duplex = DUPLEX_FULL;
	} else {
		ks->base.speed = SPEED_UNKNOWN;
		ks->base.duplex = DUPLEX_UNKNOWN;
	}
	return 0;
}

static void vfnic_get_ringparam(struct net_device *netdev,
				struct ethtool_ringparam *ring,
				struct kernel_ethtool_ringparam *kring,
				struct netlink_ext_ack *extack)
{
	struct vfnic_pf *pf = netdev_priv(netdev);

	ring->rx_max_pending = VFNIC_Q_LEN_MAX;
	ring->tx_max_pending = VFNIC_Q_LEN_MAX;
	ring->rx_pending = pf->rx_count;
	ring->tx_pending = pf->tx_count;
}

static int vfnic_set_ringparam(struct net_device *netdev,
			       struct ethtool_ringparam *ring,
			       struct kernel_ethtool_ringparam *kring,
			       struct netlink_ext_ack *extack)
{
	struct vfnic_pf *pf = netdev_priv(netdev);
	u32 rx = ring->rx_pending, tx = ring->tx_pending;

	if (ring->rx_mini_pending || ring->rx_jumbo_pending) {
		NL_SET_ERR_MSG_MOD(extack, "no mini or jumbo rings");
		return -EINVAL;
	}
	if (rx < VFNIC_Q_LEN_MIN || !is_power_of_2(rx) ||
	    tx < VFNIC_Q_LEN_MIN || !is_power_of_2(tx)) {
		NL_SET_ERR_MSG_MOD(extack, "ring sizes must be powers of 2 in 32-4096");
		netdev_err(netdev, "ring sizes rx %u tx %u: must be powers of 2 in %u-%u\n",
			   rx, tx, VFNIC_Q_LEN_MIN, VFNIC_Q_LEN_MAX);
		return -EINVAL;
	}
	if (rx == pf->rx_count && tx == pf->tx_count)
		return 0;
	if (!netif_running(netdev)) {
		pf->rx_count = rx;
		pf->tx_count = tx;
		return 0;
	}
	vfnic_down(pf);
	pf->rx_count = rx;
	pf->tx_count = tx;
	return vfnic_up(pf);
}

static void vfnic_get_channels(struct net_device *netdev,
			       struct ethtool_channels *ch)
{
	struct vfnic_pf *pf = netdev_priv(netdev);

	ch->max_combined = pf->num_qp;
	ch->combined_count = pf->num_qp;
}

static int vfnic_get_sset_count(struct net_device *netdev, int sset)
{
	struct vfnic_pf *pf = netdev_priv(netdev);

	if (sset != ETH_SS_STATS)
		return -EOPNOTSUPP;
	return VFNIC_STAT_COUNT + VFNIC_GLB_STATS_N +
	       pf->num_qp * VFNIC_Q_STATS_N + pf->num_vfs * VFNIC_VF_STATS_N;
}

static void vfnic_get_strings(struct net_device *netdev, u32 sset, u8 *data)
{
	struct vfnic_pf *pf = netdev_priv(netdev);
	unsigned int i, j;

	if (sset != ETH_SS_STATS)
		return;
	memcpy(data, vfnic_hw_stat_names, sizeof(vfnic_hw_stat_names));
	data += sizeof(vfnic_hw_stat_names);
	memcpy(data, vfnic_glb_stat_names, sizeof(vfnic_glb_stat_names));
	data += sizeof(vfnic_glb_stat_names);
	for (i = 0; i < pf->num_qp; i++)
		for (j = 0; j < VFNIC_Q_STATS_N; j++)
			ethtool_sprintf(&data, vfnic_q_stat_names[j], i);
	for (i = 0; i < pf->num_vfs; i++)
		for (j = 0; j < VFNIC_VF_STATS_N; j++)
			ethtool_sprintf(&data, vfnic_vf_stat_names[j], i);
}

static void vfnic_get_ethtool_stats(struct net_device *netdev,
				    struct ethtool_stats *stats, u64 *data)
{
	struct vfnic_pf *pf = netdev_priv(netdev);
	unsigned int i, e;
	u64 unused;

	for (i = 0; i < VFNIC_STAT_COUNT; i++)
		*data++ = vfnic_rd64(pf, VFNIC_STATS + i * 8);
	*data++ = vfnic_rd64(pf, VFNIC_GLB_STATS + VFNIC_GSTAT_UPLINK_RX);
	*data++ = vfnic_rd64(pf, VFNIC_GLB_STATS + VFNIC_GSTAT_UPLINK_TX);
	*data++ = vfnic_rd64(pf, VFNIC_GLB_STATS + VFNIC_GSTAT_NO_DEST);
	*data++ = pf->resets;
	*data++ = pf->vflrs;
	for (i = 0; i < pf->num_qp; i++) {
		vfnic_ring_stats_read(&pf->qp[i].rx, &data[0], &data[1],
				      &data[2], &data[3], &unused);
		vfnic_ring_stats_read(&pf->qp[i].tx, &data[4], &data[5],
				      &data[6], &unused, &data[7]);
		data += VFNIC_Q_STATS_N;
	}
	for (i = 0; i < pf->num_vfs; i++) {
		struct vfnic_vf *vf = &pf->vf[i];
		u32 base = VFNIC_ADM(VFNIC_VF_TO_FN(i), VFNIC_ADM_STATS);
		u64 errors = 0;

		*data++ = vfnic_rd64(pf, base + VFNIC_STAT_RX_PKTS);
		*data++ = vfnic_rd64(pf, base + VFNIC_STAT_RX_BYTES);
		*data++ = vfnic_rd64(pf, base + VFNIC_STAT_TX_PKTS);
		*data++ = vfnic_rd64(pf, base + VFNIC_STAT_TX_BYTES);
		*data++ = vfnic_rd64(pf, base + VFNIC_STAT_RX_DROP);
		*data++ = vfnic_rd64(pf, base + VFNIC_STAT_TX_SPOOF);
		*data++ = vfnic_rd64(pf, base + VFNIC_STAT_TX_DROP);
		mutex_lock(&vf->lock);
		for (e = 1; e < VFNIC_MBX_E_WIRE_NR; e++)
			errors += vf->mbx.stats.errors[e];
		*data++ = vf->mbx.stats.msgs;
		*data++ = errors;
		*data++ = vf->mbx.stats.rate_limited;
		*data++ = vf->mbx.stats.dropped;
		*data++ = vf->mbx.stats.disabled;
		mutex_unlock(&vf->lock);
	}
}

/* Register dump: these ranges of BAR0, one u32 per register, in order. */
static const struct {
	u32 start, len;
} vfnic_reg_ranges[] = {
	{ VFNIC_FN_ID, 0x38 },			/* .. FN_VLAN_STRIP */
	{ VFNIC_QP_BASE, VFNIC_PF_MAX_QP * VFNIC_QP_STRIDE },
	{ VFNIC_RSS_CTRL, 4 },
	{ VFNIC_STATS, VFNIC_STAT_COUNT * 8 },
	{ VFNIC_GLB_VERSION, 0x44 },			/* .. GLB_SWITCH */
	{ VFNIC_GLB_STATS, 0x18 },
	{ VFNIC_GLB_TGEN_CTRL, 0x20 },			/* .. GLB_TGEN_SENT_HI */
	{ VFNIC_ADM(VFNIC_FN_PF, 0), 0x1c },		/* PF's admin block */
};

static int vfnic_get_regs_len(struct net_device *netdev)
{
	unsigned int i, len = 0;

	for (i = 0; i < ARRAY_SIZE(vfnic_reg_ranges); i++)
		len += vfnic_reg_ranges[i].len;
	return len;
}

static void vfnic_get_regs(struct net_device *netdev,
			   struct ethtool_regs *regs, void *p)
{
	struct vfnic_pf *pf = netdev_priv(netdev);
	u32 *out = p;
	unsigned int i, off;

	regs->version = pf->version;
	for (i = 0; i < ARRAY_SIZE(vfnic_reg_ranges); i++)
		for (off = 0; off < vfnic_reg_ranges[i].len; off += 4)
			*out++ = vfnic_rd(pf, vfnic_reg_ranges[i].start + off);
}

/* ethtool --reset DEV all|mac|dma: FN_CTRL.RST resets the whole device. */
static int vfnic_reset(struct net_device *netdev, u32 *flags)
{
	const u32 mine = ETH_RESET_MAC | ETH_RESET_DMA | ETH_RESET_FILTER |
			 ETH_RESET_OFFLOAD | ETH_RESET_IRQ;
	struct vfnic_pf *pf = netdev_priv(netdev);
	int err;

	if (!(*flags & (mine | mine << ETH_RESET_SHARED_SHIFT)))
		return -EOPNOTSUPP;
	err = vfnic_pf_reset(pf);
	if (err)
		return err;
	*flags &= ~(mine | mine << ETH_RESET_SHARED_SHIFT);
	return 0;
}

static const struct ethtool_ops vfnic_ethtool_ops = {
	.get_drvinfo		= vfnic_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_link_ksettings	= vfnic_get_link_ksettings,
	.get_ringparam		= vfnic_get_ringparam,
	.set_ringparam		= vfnic_set_ringparam,
	.get_channels		= vfnic_get_channels,
	.get_sset_count		= vfnic_get_sset_count,
	.get_strings		= vfnic_get_strings,
	.get_ethtool_stats	= vfnic_get_ethtool_stats,
	.get_regs_len		= vfnic_get_regs_len,
	.get_regs		= vfnic_get_regs,
	.reset			= vfnic_reset,
};

void vfnic_set_ethtool_ops(struct net_device *netdev)
{
	netdev->ethtool_ops = &vfnic_ethtool_ops;
}
