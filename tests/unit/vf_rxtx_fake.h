/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The fake device and set-up shared by the cmocka tests of net_vfnic_vf's
 * rx and tx ring logic (vf_driver/vfnic_vf_rxtx.c): descriptor rings in
 * plain memory, and a device playing the NIC of docs/hardware.md section 5
 * on them. It owns the descriptors from its head up to the tail the driver
 * wrote, fills rx buffers (several descriptors for a frame longer than a
 * buffer, EOP on the last; a frame that does not fit is dropped whole) and
 * sets DD on each tx descriptor it processed. EAL runs without huge pages
 * or PCI, in IOVA-as-VA mode, so a descriptor's address is the buffer's
 * virtual address.
 */
#ifndef VF_RXTX_FAKE_H
#define VF_RXTX_FAKE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <rte_mbuf.h>

#include "vfnic_vf_rxtx.h"

#define NB_MBUF		1024
#define RING		64

extern struct rte_mempool *pool;
/* what the fake IOMMU subtracts from an rx buffer address: IOVA - VA */
extern uint64_t fake_iova_off;

struct fake_rx {
	struct vfnic_rx_queue *q;
	uint32_t tail_reg;
	uint16_t head;
	uint64_t dropped;
};

struct fake_tx {
	struct vfnic_tx_queue *q;
	uint32_t tail_reg;
	uint16_t head;
	unsigned int frames;		/* complete frames seen */
	unsigned int last_frame_len;
	uint16_t last_cmd, last_vlan;
	unsigned int last_segs;
};

/*
 * Deliver one frame of len bytes, byte i = (seed + i) & 0xff. The RSS
 * hash is FAKE_RSS(slot) and only the last descriptor has vlan, so a
 * driver reading either from another descriptor is caught.
 */
#define FAKE_RSS(slot) (0x12340000u | (slot))
int fake_rx_frame(struct fake_rx *d, unsigned int len, uint8_t seed,
		  uint16_t extra_status, uint16_t vlan);
/* m's frame is len bytes, byte i = (seed + i) & 0xff, over its segments. */
void check_payload(struct rte_mbuf *m, unsigned int len, uint8_t seed);
/* Every descriptor the device owns holds its mbuf's default data IOVA. */
void check_rx_addrs(const struct vfnic_rx_queue *q);
/* Process every complete frame between head and tail, as a doorbell does. */
void fake_tx_doorbell(struct fake_tx *d);

struct vfnic_rx_queue *rxq_new(struct fake_rx *d, uint16_t nb_desc,
			       uint16_t buf_size);
/* End of a test: free q, and fail if any of its pool's mbufs is missing. */
void rxq_done(struct vfnic_rx_queue *q);
struct vfnic_tx_queue *txq_new(struct fake_tx *d, uint16_t nb_desc);
/* End of a test: free q, and fail if any mbuf of the pool is missing. */
void txq_done(struct vfnic_tx_queue *q);
/* An mbuf of the pool holding len bytes. */
struct rte_mbuf *pkt(unsigned int len);

/* EAL and the pool for the test program called name, then its tests. */
int fake_run(const char *name, const struct CMUnitTest *tests, size_t n);

#endif /* VF_RXTX_FAKE_H */
