/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_vfnic_vf: rx/tx burst functions and ring bookkeeping.
 *
 * rx ring: slots [next, tail) belong to the device; slot tail is always
 * empty (the device never owns more than nb_desc - 1, hardware.md
 * section 5), and the nb_hold slots after it were handed to the app and wait
 * for a refill. Those keep their old write-back (DD set) until refilled, so
 * the burst never looks beyond the slots the device owns. A refill takes nb_hold mbufs from the pool in one bulk get,
 * writes their addresses and moves the tail doorbell once.
 *
 * tx ring: slots [clean, tail) hold mbufs the app gave us. The device sets
 * DD on every descriptor it processed, in order, so checking the last
 * descriptor of a block of VFNIC_TX_CLEAN_BATCH tells the whole block is
 * done; its status is then cleared so that a stale DD can never be seen
 * again, and the block's mbufs go back to their pool in one bulk put.
 *
 * The hot path reads descriptors from memory only: no lock, and no MMIO
 * while the device polls the tails in memory; otherwise one doorbell
 * write at the end of a burst that posted something.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_errno.h>
#include <rte_io.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "vfnic_vf_rxtx.h"

/* data_off, refcnt, nb_segs and port: the 8 bytes at rearm_data. */
typedef uint64_t __rte_may_alias vfnic_u64_alias;
#define REARM(mb) (*(vfnic_u64_alias *)(void *)&(mb)->data_off)

static void
rx_refill(struct vfnic_rx_queue *q)
{
	volatile union vfnic_rx_desc *ring = q->ring;
	uint16_t n = q->nb_hold, tail = q->tail, mask = q->mask;
	uint16_t first = RTE_MIN(n, (uint16_t)(q->nb_desc - tail));
	const uint32_t off = q->va_data_off;
	uint16_t i;

	if (unlikely(rte_mempool_get_bulk(q->mp, (void **)&q->sw_ring[tail],
					  first) < 0))
		goto nomem;
	if (first < n &&
	    unlikely(rte_mempool_get_bulk(q->mp, (void **)&q->sw_ring[0],
					  n - first) < 0)) {
		rte_mempool_put_bulk(q->mp, (void **)&q->sw_ring[tail], first);
		goto nomem;
	}
	/*
	 * When rxq_start found the pool's data at a constant offset from
	 * each mbuf, the address is computed: reading buf_iova would touch
	 * an mbuf last seen a ring earlier, which in io forwarding costs a
	 * TCG software-TLB fill for most mbufs (docs/architecture.md
	 * section 5).
	 */
	for (i = 0; i < n; i++) {
		uint16_t idx = (tail + i) & mask;
		struct rte_mbuf *mb = q->sw_ring[idx];

		ring[idx].qw[0] = rte_cpu_to_le_64(off ? (uintptr_t)mb + off :
					rte_mbuf_data_iova_default(mb));
		ring[idx].qw[1] = 0;
	}
	q->tail = (tail + n) & mask;
	q->nb_hold = 0;
	if (q->tail_shadow != NULL) {
		/*
		 * The device reads it when it runs out: no register write, so
		 * a poller never waits for the emulator's device lock.
		 */
		rte_io_wmb();
		*q->tail_shadow = rte_cpu_to_le_32(q->tail);
	} else {
		rte_write32(q->tail, q->tail_reg);	/* orders the ring writes */
	}
	return;
nomem:
	q->stats.nombuf += n;
}

/*
 * ol_flags by the write-back's status bits 2-5 (VLAN, RSS, L4CSUM_OK,
 * CSUM_BAD): one load instead of a branch per bit.
 */
#define RX_OL(s)							\
	(((s) & 1 ? RTE_MBUF_F_RX_VLAN | RTE_MBUF_F_RX_VLAN_STRIPPED : 0) | \
	 ((s) & 2 ? RTE_MBUF_F_RX_RSS_HASH : 0) |			\
	 ((s) & 4 ? RTE_MBUF_F_RX_L4_CKSUM_GOOD : 0) |			\
	 ((s) & 8 ? RTE_MBUF_F_RX_L4_CKSUM_BAD : 0))
#define RX_OL_SHIFT 2
static const uint64_t rx_ol_flags[16] = {
	RX_OL(0), RX_OL(1), RX_OL(2), RX_OL(3), RX_OL(4), RX_OL(5),
	RX_OL(6), RX_OL(7), RX_OL(8), RX_OL(9), RX_OL(10), RX_OL(11),
	RX_OL(12), RX_OL(13), RX_OL(14), RX_OL(15),
};

/*
 * The low half of the write-back's second quadword is len and vlan, laid
 * out as the mbuf's data_len and vlan_tci on a little-endian CPU;
 * packet_type and pkt_len are the 8 bytes before them (checked below).
 */
#if RTE_BYTE_ORDER != RTE_LITTLE_ENDIAN
#error "the receive path stores descriptor fields into the mbuf as they are"
#endif
typedef uint32_t __rte_may_alias vfnic_u32_alias;
#define LEN_VLAN(mb) (*(vfnic_u32_alias *)(void *)&(mb)->data_len)
#define PTYPE_PKTLEN(mb) (*(vfnic_u64_alias *)(void *)&(mb)->packet_type)

/* Add mb to the frame in first..last. Returns true when it ends it. */
static inline bool
rx_chain(struct rte_mbuf **first, struct rte_mbuf **last,
	 struct rte_mbuf *mb, uint64_t qw1, uint16_t status)
{
	uint16_t len = (uint16_t)qw1;

	mb->data_len = len;
	if (*first == NULL) {
		*first = mb;
		mb->pkt_len = len;
	} else {
		(*first)->nb_segs++;
		(*first)->pkt_len += len;
		(*last)->next = mb;
	}
	*last = mb;
	if (!(status & VFNIC_RXD_STA_EOP))
		return false;
	(*first)->packet_type = RTE_PTYPE_L2_ETHER;
	(*first)->vlan_tci = (uint16_t)(qw1 >> 16);
	return true;
}

/*
 * Frames in one descriptor each, the common case: up to n descriptors
 * from rxd on (not past the ring's end), stopping at the first that is
 * not done or does not end its frame. Under TCG every guest load and
 * store is a software TLB lookup, a stack spill included, so the loop
 * keeps few values live (all in registers) and fills the mbuf in four
 * stores: no prefetch (a no-op whose address load would remain), no
 * per-frame reload from the queue.
 */
static __rte_noinline uint16_t
rx_single_run(struct vfnic_rx_queue *q, volatile union vfnic_rx_desc *rxd,
	      struct rte_mbuf **swp, struct rte_mbuf **rx_pkts, uint16_t n,
	      uint64_t *bytes)
{
	const uint64_t rearm = q->mbuf_initializer;
	const uint16_t done = VFNIC_RXD_STA_DD | VFNIC_RXD_STA_EOP;
	struct rte_mbuf **out = rx_pkts, **end = rx_pkts + n, *mb;
	uint64_t sum = 0, qw1;
	uint16_t status;

	for (; out != end; rxd++, swp++) {
		/* len, vlan and status in one load: consistent with DD */
		qw1 = rte_le_to_cpu_64(rxd->qw[1]);
		status = (uint16_t)(qw1 >> 32);
		if ((status & done) != done)
			break;
		rte_smp_rmb();
		mb = *swp;
		REARM(mb) = rearm;
		mb->ol_flags = rx_ol_flags[(status >> RX_OL_SHIFT) & 0xf];
		PTYPE_PKTLEN(mb) = (uint64_t)(uint16_t)qw1 << 32 |
				   RTE_PTYPE_L2_ETHER;
		LEN_VLAN(mb) = (uint32_t)qw1;
		/* one test for both: each branch ends a TCG translation block */
		if (status & (VFNIC_RXD_STA_RSS | VFNIC_RXD_STA_CSUM_BAD)) {
			if (status & VFNIC_RXD_STA_RSS)
				mb->hash.rss = rte_le_to_cpu_32(rxd->wb.rss);
			if (status & VFNIC_RXD_STA_CSUM_BAD)
				q->stats.errors++;
		}
		sum += (uint16_t)qw1;
		*out++ = mb;
	}
	*bytes += sum;
	return (uint16_t)(out - rx_pkts);
}

/* rx_single_run() from q->next for up to n descriptors, across the wrap. */
static __rte_always_inline uint16_t
rx_single(struct vfnic_rx_queue *q, struct rte_mbuf **rx_pkts, uint16_t n,
	  uint64_t *bytes)
{
	uint16_t next = q->next;
	uint16_t first = RTE_MIN(n, (uint16_t)(q->nb_desc - next));
	uint16_t nb_rx;

	nb_rx = rx_single_run(q, &q->ring[next], &q->sw_ring[next], rx_pkts,
			      first, bytes);
	if (nb_rx == first && first < n)
		nb_rx += rx_single_run(q, q->ring, q->sw_ring, rx_pkts + nb_rx,
				       n - first, bytes);
	q->next = (next + nb_rx) & q->mask;
	q->nb_hold += nb_rx;
	return nb_rx;
}

/*
 * Any frame, chained ones included, from up to owned descriptors: taken
 * when a frame spans descriptors (or one is half received).
 */
static __rte_noinline uint16_t
rx_chained(struct vfnic_rx_queue *q, struct rte_mbuf **rx_pkts,
	   uint16_t nb_pkts, uint16_t owned, uint64_t *bytes)
{
	volatile union vfnic_rx_desc *ring = q->ring;
	struct rte_mbuf *first = q->pkt_first, *last = q->pkt_last, *mb;
	uint16_t next = q->next, mask = q->mask, nb_rx = 0, seen = 0;
	uint64_t qw1;
	uint16_t status;

	while (nb_rx < nb_pkts && seen < owned) {
		qw1 = rte_le_to_cpu_64(ring[next].qw[1]);
		status = (uint16_t)(qw1 >> 32);
		if (!(status & VFNIC_RXD_STA_DD))
			break;
		rte_smp_rmb();
		mb = q->sw_ring[next];
		REARM(mb) = q->mbuf_initializer;
		next = (next + 1) & mask;
		seen++;
		if (!rx_chain(&first, &last, mb, qw1, status))
			continue;
		first->ol_flags = rx_ol_flags[(status >> RX_OL_SHIFT) & 0xf];
		if (status & VFNIC_RXD_STA_RSS)
			first->hash.rss =
				rte_le_to_cpu_32(ring[(next - 1) & mask].wb.rss);
		if (unlikely(status & VFNIC_RXD_STA_CSUM_BAD))
			q->stats.errors++;
		*bytes += first->pkt_len;
		rx_pkts[nb_rx++] = first;
		first = NULL;
	}
	q->pkt_first = first;
	q->pkt_last = last;
	q->next = next;
	q->nb_hold += seen;
	return nb_rx;
}

uint16_t
vfnic_recv_pkts(void *rx_queue, struct rte_mbuf **rx_pkts, uint16_t nb_pkts)
{
	struct vfnic_rx_queue *q = rx_queue;
	/*
	 * Look only at what the device owns: slots from the tail on still
	 * hold the write-back of the last lap, DD included.
	 */
	uint16_t owned = (q->tail - q->next) & q->mask;
	uint16_t nb_rx = 0, hold = q->nb_hold;
	uint64_t bytes = 0;

	RTE_BUILD_BUG_ON(offsetof(struct rte_mbuf, pkt_len) !=
			 offsetof(struct rte_mbuf, packet_type) + 4 ||
			 offsetof(struct rte_mbuf, vlan_tci) !=
			 offsetof(struct rte_mbuf, data_len) + 2 ||
			 VFNIC_RXD_LEN + 2 != VFNIC_RXD_VLAN);
	RTE_BUILD_BUG_ON(VFNIC_RXD_STA_VLAN != 1 << RX_OL_SHIFT ||
			 VFNIC_RXD_STA_RSS != 2 << RX_OL_SHIFT ||
			 VFNIC_RXD_STA_L4CSUM_OK != 4 << RX_OL_SHIFT ||
			 VFNIC_RXD_STA_CSUM_BAD != 8 << RX_OL_SHIFT);
	if (likely(q->pkt_first == NULL))
		nb_rx = rx_single(q, rx_pkts, RTE_MIN(nb_pkts, owned), &bytes);
	/* stopped short of both limits: a done descriptor without EOP? */
	if (nb_rx < nb_pkts && nb_rx < owned &&
	    (rte_le_to_cpu_16(q->ring[q->next].wb.status) & VFNIC_RXD_STA_DD))
		nb_rx += rx_chained(q, rx_pkts + nb_rx, nb_pkts - nb_rx,
				    owned - (q->nb_hold - hold), &bytes);
	q->stats.packets += nb_rx;
	q->stats.bytes += bytes;
	if (q->nb_hold >= q->free_thresh)
		rx_refill(q);
	return nb_rx;
}

/* Clean one block if the device is done with it. Returns 1 if it did. */
static inline int
tx_clean_block(struct vfnic_tx_queue *q)
{
	struct rte_mbuf *free[VFNIC_TX_CLEAN_BATCH], *m;
	uint16_t clean = q->clean, last = (clean + VFNIC_TX_CLEAN_BATCH - 1) &
					   q->mask;
	unsigned int i, nb = 0;

	if (q->nb_desc - 1 - q->nb_free < VFNIC_TX_CLEAN_BATCH)
		return 0;
	if (!(rte_le_to_cpu_16(q->ring[last].status) & VFNIC_TXD_STA_DD))
		return 0;
	q->ring[last].status = 0;
	if (q->fast_free) {
		/* blocks never wrap: nb_desc is a multiple of the batch */
		rte_mempool_put_bulk(q->sw_ring[clean]->pool,
				     (void **)&q->sw_ring[clean],
				     VFNIC_TX_CLEAN_BATCH);
		goto done;
	}
	for (i = 0; i < VFNIC_TX_CLEAN_BATCH; i++) {
		m = rte_pktmbuf_prefree_seg(q->sw_ring[clean + i]);
		if (m == NULL)
			continue;
		if (nb && m->pool != free[0]->pool) {
			rte_mempool_put_bulk(free[0]->pool, (void **)free, nb);
			nb = 0;
		}
		free[nb++] = m;
	}
	if (nb)
		rte_mempool_put_bulk(free[0]->pool, (void **)free, nb);
done:
	q->clean = (clean + VFNIC_TX_CLEAN_BATCH) & q->mask;
	q->nb_free += VFNIC_TX_CLEAN_BATCH;
	return 1;
}

/*
 * The device polls the tail in memory while its doorbell-wanted word is
 * 0. The full barrier pairs with the device's between setting that word
 * and its last look at the tail, so a tail written as it stops polling is
 * either seen there or rung here.
 */
static inline void
tx_tail_post(struct vfnic_tx_queue *q)
{
	if (q->tail_shadow == NULL) {
		rte_write32(q->tail, q->tail_reg);	/* orders the ring writes */
		return;
	}
	rte_io_wmb();
	*q->tail_shadow = rte_cpu_to_le_32(q->tail);
	rte_smp_mb();
	if (*q->db_wanted != 0)
		rte_write32_relaxed(q->tail, q->tail_reg);
}

/* Can the queue send m's segments? Fast free puts back whole mbufs only. */
static inline bool
tx_segs_ok(const struct vfnic_tx_queue *q, const struct rte_mbuf *m)
{
	return m->nb_segs <= (q->fast_free ? 1 : VFNIC_TX_MAX_SEGS);
}

/* Offloads that need the descriptor's command bits: the general loop. */
#define TX_OL_CMD (RTE_MBUF_F_TX_VLAN | RTE_MBUF_F_TX_IP_CKSUM | \
		   RTE_MBUF_F_TX_L4_MASK)

/*
 * Frames in one mbuf asking no offload, the common case: up to n of them
 * into the descriptors from txd on (room checked, not past the ring's
 * end), stopping at the first that is not. Written, like rx_single_run(),
 * for few guest memory accesses: nine per frame, all values in
 * registers.
 */
static __rte_noinline uint16_t
tx_single_run(volatile union vfnic_tx_desc *txd, struct rte_mbuf **swp,
	      struct rte_mbuf **tx_pkts, uint16_t n, uint64_t *bytes)
{
	struct rte_mbuf **in = tx_pkts, **end = tx_pkts + n, *m;
	uint64_t sum = 0;
	uint16_t len;

	for (; in != end; in++, txd++, swp++) {
		m = *in;
		if (m->nb_segs != 1 || (m->ol_flags & TX_OL_CMD))
			break;
		len = m->data_len;
		txd->qw[0] = rte_cpu_to_le_64(rte_mbuf_data_iova(m));
		txd->qw[1] = rte_cpu_to_le_64((uint64_t)len |
					      (uint64_t)VFNIC_TXD_CMD_EOP << 32);
		*swp = m;
		sum += len;
	}
	*bytes += sum;
	return (uint16_t)(in - tx_pkts);
}

/* tx_single_run() from q->tail for up to n frames, across the wrap. */
static __rte_always_inline uint16_t
tx_single(struct vfnic_tx_queue *q, struct rte_mbuf **tx_pkts, uint16_t n,
	  uint64_t *bytes)
{
	uint16_t tail = q->tail;
	uint16_t first = RTE_MIN(n, (uint16_t)(q->nb_desc - tail));
	uint16_t nb;

	nb = tx_single_run(&q->ring[tail], &q->sw_ring[tail], tx_pkts, first,
			   bytes);
	if (nb == first && first < n)
		nb += tx_single_run(q->ring, q->sw_ring, tx_pkts + nb,
				    n - first, bytes);
	q->tail = (tail + nb) & q->mask;
	q->nb_free -= nb;
	return nb;
}

uint16_t
vfnic_xmit_pkts(void *tx_queue, struct rte_mbuf **tx_pkts, uint16_t nb_pkts)
{
	struct vfnic_tx_queue *q = tx_queue;
	volatile union vfnic_tx_desc *ring = q->ring;
	uint16_t start = q->tail, mask = q->mask, tail, nb_tx, nseg;
	uint16_t nb_bad = 0;
	struct rte_mbuf *m, *seg;
	uint64_t bytes = 0, qw1, ol;
	uint16_t cmd, vlan;

	/*
	 * A larger tx_free_thresh gives mbufs back sooner: under TCG the app
	 * then reuses mbufs whose pages are still in the software TLB, but
	 * the check may also race the device for the block it is finishing
	 * (docs/architecture.md, section 5). The default, 32, cleans when
	 * less than a burst's room is free, as ixgbe and i40e do.
	 */
	while (q->nb_free < q->free_thresh && tx_clean_block(q))
		;
	/* what the single-descriptor run posts is in q->tail and q->nb_free */
	nb_tx = tx_single(q, tx_pkts, RTE_MIN(nb_pkts, q->nb_free), &bytes);
	tail = q->tail;
	for (; nb_tx < nb_pkts; nb_tx++) {
		m = tx_pkts[nb_tx];
		nseg = m->nb_segs;
		if (unlikely(!tx_segs_ok(q, m))) {
			rte_pktmbuf_free(m);
			nb_bad++;
			continue;
		}
		while (nseg > q->nb_free)
			if (!tx_clean_block(q))
				goto out;
		ol = m->ol_flags;
		cmd = 0;
		vlan = 0;
		if (ol & RTE_MBUF_F_TX_VLAN) {
			cmd |= VFNIC_TXD_CMD_VLAN;
			vlan = m->vlan_tci;
		}
		if (ol & (RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_L4_MASK))
			cmd |= VFNIC_TXD_CMD_CSUM;
		for (seg = m; seg != NULL; seg = seg->next) {
			qw1 = (uint64_t)seg->data_len | (uint64_t)vlan << 16 |
			      (uint64_t)(cmd | (seg->next ? 0 : VFNIC_TXD_CMD_EOP)) << 32;
			ring[tail].qw[0] = rte_cpu_to_le_64(rte_mbuf_data_iova(seg));
			ring[tail].qw[1] = rte_cpu_to_le_64(qw1);
			q->sw_ring[tail] = seg;
			tail = (tail + 1) & mask;
		}
		q->nb_free -= nseg;
		bytes += m->pkt_len;
	}
out:
	if (tail != start) {
		q->tail = tail;
		tx_tail_post(q);
	}
	q->stats.packets += nb_tx - nb_bad;
	q->stats.errors += nb_bad;
	q->stats.bytes += bytes;
	return nb_tx;
}

uint16_t
vfnic_prep_pkts(void *tx_queue, struct rte_mbuf **tx_pkts, uint16_t nb_pkts)
{
	const struct vfnic_tx_queue *q = tx_queue;
	uint16_t i;

	for (i = 0; i < nb_pkts; i++) {
		if (!tx_segs_ok(q, tx_pkts[i]) ||
		    tx_pkts[i]->pkt_len > 9600 + 4) {
			rte_errno = EINVAL;
			return i;
		}
	}
	return i;
}

static void
chunk_iova_is_va(struct rte_mempool *mp __rte_unused, void *opaque,
		 struct rte_mempool_memhdr *memhdr,
		 unsigned int mem_idx __rte_unused)
{
	bool *va = opaque;	/* cleared by any chunk whose IOVA is not its VA */

	if (memhdr->iova != (rte_iova_t)(uintptr_t)memhdr->addr)
		*va = false;
}

/*
 * rte_pktmbuf_init() sets buf_iova to the object's IOVA plus the mbuf
 * header and private area; the mbuf API moves it only by attaching, and a
 * free detaches. So if every memory chunk of the pool has IOVA = VA, an
 * mbuf's data is at its address plus a constant, unless the pool pins
 * external buffers. rxq_start also checks the mbufs it posts (another
 * obj_init, or an app breaking the API, would show there).
 */
static uint32_t
rx_pool_va_data_off(struct rte_mempool *mp)
{
	bool va = true;

	if (rte_pktmbuf_priv_flags(mp) & RTE_PKTMBUF_POOL_F_PINNED_EXT_BUF)
		return 0;
	rte_mempool_mem_iter(mp, chunk_iova_is_va, &va);
	if (!va)
		return 0;
	return sizeof(struct rte_mbuf) + rte_pktmbuf_priv_size(mp) +
	       RTE_PKTMBUF_HEADROOM;
}

int
vfnic_rxq_start(struct vfnic_rx_queue *q)
{
	struct rte_mbuf mb_def;

	memset(&mb_def, 0, sizeof(mb_def));
	mb_def.nb_segs = 1;
	mb_def.data_off = RTE_PKTMBUF_HEADROOM;
	mb_def.port = q->port_id;
	rte_mbuf_refcnt_set(&mb_def, 1);
	q->mbuf_initializer = REARM(&mb_def);

	vfnic_rxq_release_mbufs(q);
	q->va_data_off = rx_pool_va_data_off(q->mp);
	q->free_thresh = RTE_MIN(RTE_MAX(q->free_thresh,
				 (uint16_t)VFNIC_RX_FREE_THRESH),
				 (uint16_t)(q->nb_desc / 2));
	memset((void *)(uintptr_t)q->ring, 0,
	       (size_t)q->nb_desc * sizeof(*q->ring));
	q->next = 0;
	q->tail = 0;
	q->nb_hold = q->nb_desc - 1;
	q->pkt_first = q->pkt_last = NULL;
	if (rte_mempool_get_bulk(q->mp, (void **)q->sw_ring, q->nb_hold) < 0)
		return -ENOMEM;
	for (uint16_t i = 0; i < q->nb_hold; i++) {
		struct rte_mbuf *mb = q->sw_ring[i];
		uint64_t addr = rte_mbuf_data_iova_default(mb);

		if (addr != (uintptr_t)mb + q->va_data_off)
			q->va_data_off = 0;	/* refills read buf_iova */
		q->ring[i].qw[0] = rte_cpu_to_le_64(addr);
	}
	q->tail = q->nb_hold;
	q->nb_hold = 0;
	return 0;	/* the caller writes q->tail once the ring is enabled */
}

void
vfnic_rxq_release_mbufs(struct vfnic_rx_queue *q)
{
	uint16_t i;

	if (q->sw_ring == NULL)
		return;
	for (i = q->next; i != q->tail; i = (i + 1) & q->mask) {
		rte_pktmbuf_free_seg(q->sw_ring[i]);
		q->sw_ring[i] = NULL;
	}
	if (q->pkt_first)
		rte_pktmbuf_free(q->pkt_first);
	q->pkt_first = q->pkt_last = NULL;
	q->next = q->tail = q->nb_hold = 0;
}

void
vfnic_txq_start(struct vfnic_tx_queue *q)
{
	vfnic_txq_release_mbufs(q);
	memset((void *)(uintptr_t)q->ring, 0,
	       (size_t)q->nb_desc * sizeof(*q->ring));
	q->tail = q->clean = 0;
	q->nb_free = q->nb_desc - 1;
	if (q->free_thresh == 0)
		q->free_thresh = VFNIC_TX_FREE_DEFAULT;
}

void
vfnic_txq_release_mbufs(struct vfnic_tx_queue *q)
{
	uint16_t i;

	if (q->sw_ring == NULL)
		return;
	for (i = q->clean; i != q->tail; i = (i + 1) & q->mask) {
		rte_pktmbuf_free_seg(q->sw_ring[i]);
		q->sw_ring[i] = NULL;
	}
	q->tail = q->clean = 0;
	q->nb_free = q->nb_desc - 1;
}
