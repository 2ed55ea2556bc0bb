/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_vfnic_vf: the adapter of one vfnic VF (docs/hardware.md, the VF's
 * function block in BAR0) and what the ethdev ops, the burst functions and
 * the mailbox code share.
 */
#ifndef VFNIC_VF_H
#define VFNIC_VF_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_io.h>
#include <rte_spinlock.h>

#include "vfnic_hw.h"
#include "vfnic_mbx_transport.h"

#define VFNIC_VF_DRIVER_NAME	net_vfnic_vf

extern int vfnic_vf_logtype;
#define PMD_DRV_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, vfnic_vf_logtype, "%s(): " fmt "\n", \
		__func__, ##__VA_ARGS__)

/* Bounded waits of docs/mailbox.md, section 1. */
#define VFNIC_VF_READY_WAIT_MS	2000	/* PF_READY at probe or reset */
#define VFNIC_VF_REQ_WAIT_MS	100	/* REQ to clear */
#define VFNIC_VF_REPLY_WAIT_MS	1000	/* the reply */
#define VFNIC_VF_POLL_US	200	/* mailbox polling step */
#define VFNIC_VF_ALARM_US	100000	/* polling fallback of the misc vector */
#define VFNIC_SHADOW_TX_OFF	64	/* in the tails' memzone, aligned */

struct vfnic_vf_adapter {
	struct rte_eth_dev *eth_dev;
	uint8_t *hw_addr;		/* BAR0: the VF's function block */
	struct vfnic_mbx_io io;
	rte_spinlock_t mbx_lock;	/* one request outstanding at a time */
	uint16_t seq;

	struct vfnic_mbx_resources res;	/* last GET_RESOURCES reply */
	uint16_t num_qp;
	uint32_t fn_caps;		/* FN_CAPS */
	/* tails in memory: rx at 0, tx at VFNIC_SHADOW_TX_OFF; or NULL */
	const struct rte_memzone *shadow_mz;
	struct rte_ether_addr mac;	/* PF-assigned primary MAC */
	/*
	 * The app's multicast list (set_mc_addr_list), replayed on start;
	 * kept across a port reset, as ethdev keeps the MAC list.
	 */
	struct rte_ether_addr mc[VFNIC_MBX_MAX_MACS];
	uint16_t nb_mc;

	uint32_t promisc_flags;		/* VFNIC_MBX_PROMISC_* in effect */
	uint32_t rss_hash;		/* VFNIC_RSS_* in effect */
	uint8_t rss_key[VFNIC_RSS_KEY_SIZE];
	uint8_t rss_lut[VFNIC_RSS_RETA_SIZE];

	bool started;
	bool intr_enabled;		/* misc vector through vfio eventfd */
	bool alarm_set;			/* polling fallback armed */
	uint32_t alarm_gen;		/* bumped by each teardown */
	bool resetting;			/* PF_RESET or RESET seen */
	bool reset_reported;		/* INTR_RESET raised for it */
	bool reset_done;		/* the device's reset seen (RESET, PF_READY 0) */
	volatile uint32_t pending_changed;	/* CONFIG_CHANGED bits */

	rte_spinlock_t stats_lock;	/* stats_get against the service */
	uint64_t stats_base[VFNIC_STAT_COUNT];	/* at stats_reset */
	uint64_t stats_last[VFNIC_STAT_COUNT];	/* at the last read */
};

static inline uint32_t
vfnic_rd32(const struct vfnic_vf_adapter *ad, uint32_t off)
{
	return rte_read32(ad->hw_addr + off);
}

static inline void
vfnic_wr32(const struct vfnic_vf_adapter *ad, uint32_t off, uint32_t val)
{
	rte_write32(val, ad->hw_addr + off);
}

/* A 64-bit counter: low word at @off, high at @off + 4, read torn-free. */
static inline uint64_t
vfnic_rd64(const struct vfnic_vf_adapter *ad, uint32_t off)
{
	uint32_t hi, lo, hi2;

	do {
		hi = vfnic_rd32(ad, off + 4);
		lo = vfnic_rd32(ad, off);
		hi2 = vfnic_rd32(ad, off + 4);
	} while (hi != hi2);
	return (uint64_t)hi << 32 | lo;
}

struct rte_eth_dev;

/*
 * The adapter of an ethdev port. A macro, so that this header needs no
 * ethdev_driver.h (vfnic_vf_mbx.c does without it).
 */
#define AD(dev)	((struct vfnic_vf_adapter *)(dev)->data->dev_private)

/* vfnic_vf_queue.c: ethdev queue setup and release. */
struct rte_eth_rxconf;
struct rte_eth_txconf;
struct rte_mempool;
int vfnic_vf_rx_queue_setup(struct rte_eth_dev *dev, uint16_t qid,
			    uint16_t nb_desc, unsigned int socket,
			    const struct rte_eth_rxconf *conf,
			    struct rte_mempool *mp);
int vfnic_vf_tx_queue_setup(struct rte_eth_dev *dev, uint16_t qid,
			    uint16_t nb_desc, unsigned int socket,
			    const struct rte_eth_txconf *conf);
void vfnic_vf_rx_queue_release(struct rte_eth_dev *dev, uint16_t qid);
void vfnic_vf_tx_queue_release(struct rte_eth_dev *dev, uint16_t qid);
int vfnic_vf_rx_queue_start(struct rte_eth_dev *dev, uint16_t qid);
int vfnic_vf_rx_queue_stop(struct rte_eth_dev *dev, uint16_t qid);
int vfnic_vf_tx_queue_start(struct rte_eth_dev *dev, uint16_t qid);
int vfnic_vf_tx_queue_stop(struct rte_eth_dev *dev, uint16_t qid);
struct vfnic_rx_queue;
struct vfnic_tx_queue;
void vfnic_vf_rxq_regs_program(struct vfnic_vf_adapter *ad, uint16_t q,
			       const struct vfnic_rx_queue *rxq);
void vfnic_vf_txq_regs_program(struct vfnic_vf_adapter *ad, uint16_t q,
			       const struct vfnic_tx_queue *txq);
int vfnic_vf_ring_enable(struct vfnic_vf_adapter *ad, uint32_t reg);
struct rte_eth_rxq_info;
struct rte_eth_txq_info;
void vfnic_vf_rxq_info_get(struct rte_eth_dev *dev, uint16_t qid,
			   struct rte_eth_rxq_info *qi);
void vfnic_vf_txq_info_get(struct rte_eth_dev *dev, uint16_t qid,
			   struct rte_eth_txq_info *qi);

/* vfnic_vf_intr.c: link state, PF events, misc interrupt. */
int vfnic_vf_link_update(struct rte_eth_dev *dev, int wait);
void vfnic_vf_intr_setup(struct rte_eth_dev *dev);
void vfnic_vf_intr_teardown(struct rte_eth_dev *dev);
int vfnic_vf_rxq_intr_setup(struct rte_eth_dev *dev);
void vfnic_vf_rxq_intr_teardown(struct rte_eth_dev *dev);
int vfnic_vf_rx_queue_intr_enable(struct rte_eth_dev *dev, uint16_t qid);
int vfnic_vf_rx_queue_intr_disable(struct rte_eth_dev *dev, uint16_t qid);

/* vfnic_vf_mbx.c: requests to the PF; return 0 or a negative errno. */
void vfnic_vf_mbx_init(struct vfnic_vf_adapter *ad);
int vfnic_vf_mbx_wait_ready(struct vfnic_vf_adapter *ad, unsigned int ms);
int vfnic_vf_mbx_negotiate(struct vfnic_vf_adapter *ad);
int vfnic_vf_mbx_get_resources(struct vfnic_vf_adapter *ad);
int vfnic_vf_mbx_reset_vf(struct vfnic_vf_adapter *ad);
int vfnic_vf_mbx_config_queues(struct vfnic_vf_adapter *ad,
			       const struct vfnic_mbx_qp_cfg *qp, uint16_t count);
int vfnic_vf_mbx_queues(struct vfnic_vf_adapter *ad, bool enable,
			uint32_t rx_mask, uint32_t tx_mask);
int vfnic_vf_mbx_macs(struct vfnic_vf_adapter *ad, bool add,
		      const struct rte_ether_addr *mac, unsigned int n);
int vfnic_vf_mbx_mac(struct vfnic_vf_adapter *ad, bool add,
		     const struct rte_ether_addr *mac);
int vfnic_vf_mbx_vlan(struct vfnic_vf_adapter *ad, bool add, uint16_t vid);
int vfnic_vf_mbx_vlans(struct vfnic_vf_adapter *ad, bool add,
		       const uint16_t *vid, unsigned int n);
int vfnic_vf_mbx_promisc(struct vfnic_vf_adapter *ad, uint32_t flags);
int vfnic_vf_mbx_mtu(struct vfnic_vf_adapter *ad, uint16_t mtu);
int vfnic_vf_mbx_rss(struct vfnic_vf_adapter *ad);
int vfnic_vf_mbx_get_link(struct vfnic_vf_adapter *ad, bool *up,
			  uint32_t *speed);
void vfnic_vf_mbx_poll_events(struct vfnic_vf_adapter *ad);
/* Called for each PF event; in vfnic_vf_ethdev.c. */
void vfnic_vf_handle_event(struct vfnic_vf_adapter *ad,
			   const struct vfnic_mbx_msg *msg);

/* vfnic_vf_rss.c */
#define VFNIC_RSS_OFFLOAD_ALL (RTE_ETH_RSS_IPV4 | RTE_ETH_RSS_NONFRAG_IPV4_TCP | \
	RTE_ETH_RSS_NONFRAG_IPV4_UDP | RTE_ETH_RSS_IPV6 | \
	RTE_ETH_RSS_NONFRAG_IPV6_TCP | RTE_ETH_RSS_NONFRAG_IPV6_UDP)
struct rte_eth_rss_reta_entry64;
struct rte_eth_rss_conf;
void vfnic_vf_rss_init(struct vfnic_vf_adapter *ad);
void vfnic_vf_rss_configure(struct rte_eth_dev *dev, uint16_t nq);
int vfnic_vf_rss_apply(struct vfnic_vf_adapter *ad);
int vfnic_vf_reta_update(struct rte_eth_dev *dev,
			 struct rte_eth_rss_reta_entry64 *reta, uint16_t size);
int vfnic_vf_reta_query(struct rte_eth_dev *dev,
			struct rte_eth_rss_reta_entry64 *reta, uint16_t size);
int vfnic_vf_rss_hash_update(struct rte_eth_dev *dev,
			     struct rte_eth_rss_conf *conf);
int vfnic_vf_rss_hash_conf_get(struct rte_eth_dev *dev,
			       struct rte_eth_rss_conf *conf);

/* vfnic_vf_stats.c */
struct rte_eth_stats;
struct rte_eth_xstat;
struct rte_eth_xstat_name;
int vfnic_vf_stats_get(struct rte_eth_dev *dev, struct rte_eth_stats *st);
int vfnic_vf_stats_reset(struct rte_eth_dev *dev);
void vfnic_vf_stats_refresh(struct vfnic_vf_adapter *ad);
int vfnic_vf_xstats_get(struct rte_eth_dev *dev, struct rte_eth_xstat *xs,
			unsigned int n);
int vfnic_vf_xstats_get_names(struct rte_eth_dev *dev,
			      struct rte_eth_xstat_name *names,
			      unsigned int n);

#endif /* VFNIC_VF_H */
