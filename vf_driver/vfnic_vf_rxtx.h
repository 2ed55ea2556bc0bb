/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_vfnic_vf: rx/tx queues and burst functions (docs/hardware.md,
 * section 5).
 *
 * The burst functions touch only the descriptor ring in memory, the mbufs
 * and one tail doorbell per burst through q->tail_reg. Nothing else of the
 * device or of ethdev is needed, so tests/unit/test_vf_rxtx.c drives them
 * against a ring in plain memory, with a fake device playing the NIC.
 */
#ifndef VFNIC_VF_RXTX_H
#define VFNIC_VF_RXTX_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "vfnic_hw.h"

#define VFNIC_RX_FREE_THRESH	32	/* smallest refill batch */
/*
 * Default rx_free_thresh: one burst, as ixgbe, i40e and iavf. A larger
 * refill swings the app's mempool cache by more than its slack, and DPDK's
 * cache then spills every mbuf it holds to the pool's backend and takes
 * cold ones back: the app cycles through its whole pool (under TCG a
 * software-TLB refill per page, docs/architecture.md section 5). With
 * the tail in memory (FN_RX_TAIL_SHADOW) a refill writes no register.
 */
#define VFNIC_RX_FREE_DEFAULT	32
#define VFNIC_TX_CLEAN_BATCH	32	/* = the device's write-back batch */
#define VFNIC_TX_FREE_DEFAULT	32	/* tx_free_thresh: one burst's room */
#define VFNIC_TX_MAX_SEGS	32	/* descriptors per frame */
#define VFNIC_DEFAULT_RING	512

union vfnic_rx_desc {
	struct {
		uint64_t addr;
		uint64_t rsvd;
	} read;
	struct {
		uint32_t rss;
		uint32_t rsvd;
		uint16_t len;
		uint16_t vlan;
		uint16_t status;
		uint16_t ptype;
	} wb;
	uint64_t qw[2];
};

union vfnic_tx_desc {
	struct {
		uint64_t addr;
		uint16_t len;
		uint16_t vlan;
		uint16_t cmd;
		uint16_t status;
	};
	uint64_t qw[2];
};

struct vfnic_queue_stats {
	uint64_t packets;
	uint64_t bytes;
	uint64_t errors;	/* rx: bad csum; tx: frames dropped */
	uint64_t nombuf;	/* rx: refill failures */
};

struct vfnic_rx_queue {
	volatile union vfnic_rx_desc *ring;
	struct rte_mbuf **sw_ring;
	volatile uint32_t *tail_reg;
	/* the tail in memory (FN_RX_TAIL_SHADOW), or NULL: use tail_reg */
	volatile uint32_t *tail_shadow;
	struct rte_mempool *mp;
	uint64_t mbuf_initializer;	/* rearm_data: data_off, refcnt, segs, port */
	uint32_t va_data_off;	/* nonzero: an mbuf's data is at mbuf + this */
	struct rte_mbuf *pkt_first;	/* frame being reassembled */
	struct rte_mbuf *pkt_last;
	uint16_t nb_desc;
	uint16_t mask;
	uint16_t next;		/* next descriptor to look at */
	uint16_t tail;		/* empty slot the next refill starts at */
	uint16_t nb_hold;	/* slots consumed, waiting for a refill */
	uint16_t free_thresh;	/* refill once nb_hold reaches this */
	uint16_t buf_size;
	uint16_t port_id;
	uint16_t queue_id;
	uint64_t offloads;
	bool deferred;		/* started by rx_queue_start, not dev_start */
	struct vfnic_queue_stats stats;
	/* set up by the ethdev layer */
	const struct rte_memzone *mz;
	uint64_t ring_dma;
};

struct vfnic_tx_queue {
	volatile union vfnic_tx_desc *ring;
	struct rte_mbuf **sw_ring;
	volatile uint32_t *tail_reg;
	/*
	 * The tail in memory (FN_TX_TAIL_SHADOW) and the device's word
	 * saying whether it also wants tail_reg written, or NULL: tail_reg.
	 */
	volatile uint32_t *tail_shadow;
	volatile uint32_t *db_wanted;
	uint16_t nb_desc;
	uint16_t mask;
	uint16_t tail;		/* next descriptor to fill */
	uint16_t clean;		/* first descriptor not yet cleaned */
	uint16_t nb_free;	/* descriptors software may fill */
	uint16_t free_thresh;	/* clean while fewer are free (tx_free_thresh) */
	uint16_t port_id;
	uint16_t queue_id;
	uint64_t offloads;
	/*
	 * MBUF_FAST_FREE without MULTI_SEGS: every mbuf is a whole frame of
	 * one pool with refcnt 1, and a done block goes back to the pool
	 * without a look at each mbuf. Set by the queue's set-up.
	 */
	bool fast_free;
	bool deferred;		/* started by tx_queue_start, not dev_start */
	struct vfnic_queue_stats stats;
	const struct rte_memzone *mz;
	uint64_t ring_dma;
};

uint16_t vfnic_recv_pkts(void *rxq, struct rte_mbuf **rx_pkts,
			 uint16_t nb_pkts);
uint16_t vfnic_xmit_pkts(void *txq, struct rte_mbuf **tx_pkts,
			 uint16_t nb_pkts);
uint16_t vfnic_prep_pkts(void *txq, struct rte_mbuf **tx_pkts,
			 uint16_t nb_pkts);

/* rte_eth_rx/tx_descriptor_status() and rte_eth_rx_queue_count() */
int vfnic_rx_descriptor_status(void *rxq, uint16_t offset);
uint32_t vfnic_rx_queue_count(void *rxq);
int vfnic_tx_descriptor_status(void *txq, uint16_t offset);

/* Ring state, independent of where the ring memory came from. */
int vfnic_rxq_start(struct vfnic_rx_queue *q);	/* fill, set tail */
void vfnic_rxq_release_mbufs(struct vfnic_rx_queue *q);
void vfnic_txq_start(struct vfnic_tx_queue *q);
void vfnic_txq_release_mbufs(struct vfnic_tx_queue *q);

#endif /* VFNIC_VF_RXTX_H */
