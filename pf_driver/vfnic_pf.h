/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vfnic_pf: Linux driver for the physical function of the vfnic SR-IOV NIC
 * (docs/hardware.md). Shared definitions of the driver's files:
 *
 *   vfnic_pf_main.c     probe/remove, BAR0, MSI-X, misc interrupt, PF reset
 *   vfnic_pf_netdev.c   the PF netdev: rings, NAPI, rx mode, MTU, stats
 *   vfnic_pf_ethtool.c  ethtool operations
 *   vfnic_pf_sriov.c    .sriov_configure, per-VF admin blocks, ndo_*_vf_*
 *   vfnic_pf_mbx.c      the PF side of the mailbox (docs/mailbox.md), FLR
 *   vfnic_pf_debugfs.c  debugfs test hooks: the traffic generator
 */
#ifndef VFNIC_PF_H
#define VFNIC_PF_H

#include <linux/etherdevice.h>
#include <linux/if_ether.h>
#include <linux/if_vlan.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/pci.h>
#include <linux/u64_stats_sync.h>

#include "vfnic_hw.h"
#include "vfnic_mbx_transport.h"

#define VFNIC_PF_DRV_NAME	"vfnic_pf"

#define VFNIC_PF_DEF_RING	256
#define VFNIC_PF_MAX_MTU	VFNIC_MBX_MTU_MAX
#define VFNIC_PF_RX_BUF_MIN	2048
#define VFNIC_PF_SPEED_MBPS	10000	/* FN_STATUS speed when unreadable */

/* One descriptor's software state. */
struct vfnic_buf {
	struct sk_buff *skb;
	dma_addr_t dma;
	u32 len;
};

struct vfnic_ring_stats {
	u64 packets;
	u64 bytes;
	u64 errors;	/* tx: descriptor ERR; rx: frame without EOP */
	u64 alloc_fail;	/* rx buffer allocation failed */
	u64 busy;	/* tx: ring full, queue stopped */
	struct u64_stats_sync syncp;
};

struct vfnic_ring {
	struct device *dev;
	void *desc;		/* count descriptors of VFNIC_DESC_SIZE */
	dma_addr_t dma;
	struct vfnic_buf *buf;
	u16 count;
	u16 next_to_use;	/* software's tail */
	u16 next_to_clean;
	u32 buf_size;		/* rx only */
	struct vfnic_ring_stats stats;
};

/* A queue pair of the PF, with its NAPI context and MSI-X vector. */
struct vfnic_qp {
	struct vfnic_pf *pf;
	u16 id;
	struct vfnic_ring rx;
	struct vfnic_ring tx;
	struct napi_struct napi;
	char irq_name[IFNAMSIZ + 16];
};

/* Outbox event bits of a VF (coalesced until the VF takes PF2VF). */
#define VFNIC_VF_EV_PF_RESET	BIT(0)
#define VFNIC_VF_EV_LINK	BIT(1)

/*
 * The PF's record of one VF. The administrator's settings survive FLR and
 * RESET_VF; what the VF asked for over the mailbox (filters, promiscuous
 * mode, MTU, RSS) does not. All fields are under @lock.
 */
struct vfnic_vf {
	struct mutex lock;		/* guards the whole record */
	struct vfnic_pf *pf;
	u16 id;
	bool active;		/* SR-IOV enabled and admin block programmed */
	bool ready;		/* the PF_READY level we keep */
	unsigned long ready_at;	/* jiffies: configurable from then on */
	struct vfnic_mbx_io io;
	struct vfnic_mbx_vf mbx;

	/* administrator's settings (ndo_set_vf_*) */
	u8 mac[ETH_ALEN];
	bool admin_mac;
	u16 vlan;
	u8 qos;
	__be16 vlan_proto;
	u32 max_tx_rate;
	bool spoofchk;
	bool trusted;
	int link_state;		/* IFLA_VF_LINK_STATE_* */
	u16 num_qp;

	/* what the VF asked for */
	u8 filter[VFNIC_ADM_MAC_FILTERS][ETH_ALEN];
	u32 filter_used;	/* bit i: filter[i] in use */
	unsigned long vlans[BITS_TO_LONGS(VLAN_N_VID)];
	u32 rx_filter;		/* VFNIC_RX_FILTER_* granted to a trusted VF */
	u16 mtu;		/* 0: never set, ADM_MAX_FRAME default */
	u8 rss_key[VFNIC_RSS_KEY_SIZE];
	u8 rss_lut[VFNIC_RSS_RETA_SIZE];
	u32 rss_hash;

	/* outbox: one reply, then coalesced events */
	bool reply_pending;
	struct vfnic_mbx_msg reply;
	u32 ev_pending;		/* VFNIC_VF_EV_* */
	u32 ev_changed;		/* VFNIC_MBX_CHG_* not yet announced */
	u16 ev_seq;
};

/* pf->flags */
#define VFNIC_PF_UP		0	/* netdev open, rings running */
#define VFNIC_PF_RESETTING	1

struct vfnic_pf {
	struct pci_dev *pdev;
	struct net_device *netdev;
	void __iomem *hw;
	u32 version;
	unsigned long flags;

	int num_vectors;
	u16 num_qp;
	struct vfnic_qp *qp;
	u16 rx_count, tx_count;	/* ring sizes, ethtool -G */
	u32 rx_buf_size;

	u16 total_vfs;
	u16 num_vfs;		/* changed under rtnl_lock */
	struct vfnic_vf *vf;	/* total_vfs entries, for the PF's lifetime */
	struct vfnic_mbx_policy mbx_policy;

	struct work_struct reset_task;	/* tx timeout, ring error */
	u64 resets;
	u64 vflrs;

	struct dentry *dbg_dir;	/* debugfs: <root>/<pci name>/ */
};

static inline u32 vfnic_rd(struct vfnic_pf *pf, u32 reg)
{
	return readl(pf->hw + reg);
}

static inline void vfnic_wr(struct vfnic_pf *pf, u32 reg, u32 val)
{
	writel(val, pf->hw + reg);
}

/*
 * A 64-bit counter, LO at reg and HI at reg + 4, that the device may carry
 * into HI between the two reads: read HI again, and LO again past a carry.
 */
static inline u64 vfnic_rd64(struct vfnic_pf *pf, u32 reg)
{
	u32 hi = vfnic_rd(pf, reg + 4);
	u32 lo = vfnic_rd(pf, reg);
	u32 hi2 = vfnic_rd(pf, reg + 4);

	if (hi2 != hi)
		lo = vfnic_rd(pf, reg);
	return (u64)hi2 << 32 | lo;
}

static inline u32 vfnic_mac_lo(const u8 *mac)
{
	return mac[0] | mac[1] << 8 | mac[2] << 16 | (u32)mac[3] << 24;
}

static inline u32 vfnic_mac_hi(const u8 *mac)
{
	return mac[4] | mac[5] << 8;
}

static inline void vfnic_mac_from_regs(u8 *mac, u32 lo, u32 hi)
{
	mac[0] = lo;
	mac[1] = lo >> 8;
	mac[2] = lo >> 16;
	mac[3] = lo >> 24;
	mac[4] = hi;
	mac[5] = hi >> 8;
}

/* A register of VF @vf's admin block in the PF's BAR. */
static inline u32 vfnic_vf_adm(const struct vfnic_vf *vf, u32 reg)
{
	return VFNIC_ADM(VFNIC_VF_TO_FN(vf->id), reg);
}

/* vfnic_pf_main.c */
int vfnic_pf_reset(struct vfnic_pf *pf);
bool vfnic_pf_uplink_up(struct vfnic_pf *pf);
u32 vfnic_pf_speed(struct vfnic_pf *pf);

/* vfnic_pf_netdev.c */
int vfnic_netdev_create(struct vfnic_pf *pf);
void vfnic_netdev_destroy(struct vfnic_pf *pf);
int vfnic_up(struct vfnic_pf *pf);
void vfnic_down(struct vfnic_pf *pf);
void vfnic_update_carrier(struct vfnic_pf *pf);
void vfnic_set_rx_mode(struct net_device *netdev);
irqreturn_t vfnic_qp_irq(int irq, void *data);
void vfnic_ring_stats_read(struct vfnic_ring *ring, u64 *packets, u64 *bytes,
			   u64 *errors, u64 *alloc_fail, u64 *busy);

/* vfnic_pf_ethtool.c */
void vfnic_set_ethtool_ops(struct net_device *netdev);

/* vfnic_pf_sriov.c */
int vfnic_sriov_configure(struct pci_dev *pdev, int num_vfs);
int vfnic_sriov_init(struct vfnic_pf *pf);
void vfnic_sriov_remove(struct vfnic_pf *pf);
void vfnic_vf_hw_program(struct vfnic_vf *vf);
void vfnic_vf_hw_write_policy(struct vfnic_vf *vf);
void vfnic_vf_hw_write_vlan_word(struct vfnic_vf *vf, unsigned int w);
void vfnic_vf_clear_requested(struct vfnic_vf *vf);
void vfnic_vf_hw_reset_requested(struct vfnic_vf *vf);
void vfnic_vf_stop_queues(struct vfnic_vf *vf);
void vfnic_vf_restart(struct vfnic_vf *vf);
void vfnic_vf_write_filter(struct vfnic_vf *vf, int i);
void vfnic_vf_apply_mac_pin(struct vfnic_vf *vf);
bool vfnic_vf_link_up(struct vfnic_vf *vf);
int vfnic_set_vf_mac(struct net_device *netdev, int vf, u8 *mac);
int vfnic_set_vf_vlan(struct net_device *netdev, int vf, u16 vlan, u8 qos,
		      __be16 proto);
int vfnic_set_vf_rate(struct net_device *netdev, int vf, int min_rate,
		      int max_rate);
int vfnic_set_vf_spoofchk(struct net_device *netdev, int vf, bool on);
int vfnic_set_vf_trust(struct net_device *netdev, int vf, bool on);
int vfnic_set_vf_link_state(struct net_device *netdev, int vf, int state);
int vfnic_get_vf_config(struct net_device *netdev, int vf,
			struct ifla_vf_info *ivi);
int vfnic_get_vf_stats(struct net_device *netdev, int vf,
		       struct ifla_vf_stats *stats);

/* vfnic_pf_mbx.c */
void vfnic_mbx_io_init(struct vfnic_vf *vf);
void vfnic_mbx_service(struct vfnic_pf *pf);
void vfnic_vflr_service(struct vfnic_pf *pf);
void vfnic_vf_set_ready(struct vfnic_vf *vf, bool ready);
void vfnic_vf_notify(struct vfnic_vf *vf, u32 ev, u32 changed);
void vfnic_vf_flush(struct vfnic_vf *vf);
void vfnic_vfs_notify_link(struct vfnic_pf *pf);
void vfnic_vfs_notify_reset(struct vfnic_pf *pf);
void vfnic_vf_admin_reset(struct vfnic_vf *vf);

/* vfnic_pf_debugfs.c */
void vfnic_debugfs_init(void);
void vfnic_debugfs_exit(void);
void vfnic_debugfs_pf_create(struct vfnic_pf *pf);
void vfnic_debugfs_pf_remove(struct vfnic_pf *pf);
void vfnic_tgen_stop(struct vfnic_pf *pf);

#endif /* VFNIC_PF_H */
