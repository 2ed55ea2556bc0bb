/*
 * vfnic: an emulated SR-IOV NIC (PF + up to 64 VFs) with an internal switch.
 *
 * All device state lives in the PF's core (VfnicState); a VF device only
 * owns its BARs and MSI-X and forwards every register access to the core's
 * function block for its function number (see docs/hardware.md).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_NET_VFNIC_H
#define HW_NET_VFNIC_H

#include "hw/pci/pci.h"
#include "net/eth.h"
#include "net/net.h"
#include "vfnic_hw.h"

#define TYPE_VFNIC "vfnic"
#define TYPE_VFNIC_VF "vfnic-vf"
OBJECT_DECLARE_SIMPLE_TYPE(VfnicState, VFNIC)

/* Largest frame the switch carries (jumbo), plus room for one VLAN tag. */
#define VFNIC_FRAME_MAX     9600
#define VFNIC_TAG_LEN       4
#define VFNIC_TX_HEADROOM   (2 + VFNIC_TAG_LEN)

typedef struct VfnicRing {
    uint64_t base;
    uint32_t len;
    uint32_t head;
    uint32_t tail;
    uint32_t ctrl;
    uint32_t buf_size;
} VfnicRing;

typedef struct VfnicQueuePair {
    VfnicRing rx;
    VfnicRing tx;
    uint32_t intr;
    uint64_t stats[4];          /* VFNIC_QSTAT_* / 8 */
    bool tx_polled;     /* its doorbell-wanted word is 0; not migrated */
} VfnicQueuePair;

typedef struct VfnicFn {
    /* function block: owned by the function's own driver */
    uint32_t icr;
    uint32_t ims;
    uint32_t vlan_strip;
    uint32_t rss_ctrl;
    uint8_t rss_key[VFNIC_RSS_KEY_SIZE];
    uint8_t rss_reta[VFNIC_RSS_RETA_SIZE];
    uint64_t rx_shadow;         /* FN_RX_TAIL_SHADOW, enable bit included */
    uint64_t tx_shadow;         /* FN_TX_TAIL_SHADOW, enable bit included */
    VfnicQueuePair qp[VFNIC_MAX_QP];
    uint64_t stats[VFNIC_STAT_COUNT];

    /*
     * admin block: what the PF driver decided for this function. The
     * switch's MAC table is built from mac_lo, mac_hi, mac_filter and
     * policy: write those only through vfnic_fn_set_mac(),
     * vfnic_fn_set_mac_filter() and vfnic_fn_set_policy(), which
     * invalidate it.
     */
    uint32_t mac_lo;
    uint32_t mac_hi;
    uint32_t vlan;
    uint32_t policy;
    uint32_t tx_rate;
    uint32_t max_frame;
    uint32_t num_qp;
    uint32_t mac_filter[VFNIC_ADM_MAC_FILTERS * 2];
    uint32_t vlan_filter[4096 / 32];

    /* mailbox: the VF's side and the PF's view share this state */
    uint32_t mbx_ctrl;
    uint32_t mbx_vf2pf[VFNIC_MBX_BUF_SIZE / 4];
    uint32_t mbx_pf2vf[VFNIC_MBX_BUF_SIZE / 4];

    /* tx shaping: token bucket in bytes, refilled from the virtual clock */
    int64_t tokens;
    int64_t tokens_ns;          /* when last refilled; -1: never */
    bool link_up;               /* last link state the function was told */
} VfnicFn;

/* Descriptors fetched (and written back) per DMA transaction. */
#define VFNIC_DESC_BATCH    32
/* Rx rings that may hold unwritten descriptors within one device entry. */
#define VFNIC_RX_ACTIVE     16

/*
 * An rx ring's descriptors, fetched in one DMA and written back in one,
 * within a single device entry (a doorbell, an uplink frame, a timer):
 * vfnic_rx_flush() empties every cache before the entry returns, so no
 * cached state outlives it (nothing to migrate, nothing to invalidate).
 */
typedef struct VfnicRxCache {
    uint8_t d[VFNIC_DESC_BATCH][VFNIC_DESC_SIZE];
    uint32_t first;             /* ring index of d[0] */
    uint32_t count;             /* fetched */
    uint32_t used;              /* filled, to write back */
    uint16_t fn, q;
    bool shadow_read;           /* the rx tail in memory was read */
} VfnicRxCache;

/* A host mapping of guest memory a function reaches (vfnic_dma.c). */
typedef struct VfnicDmaWin {
    PCIDevice *dev;             /* NULL: free */
    AddressSpace *target;       /* where the IOMMU translates to */
    dma_addr_t iova;
    dma_addr_t len;
    hwaddr taddr;               /* iova's address in target */
    MemoryRegionCache cache;    /* target's RAM from taddr, len bytes */
    uint64_t entry;             /* the device entry it was last checked in */
    dma_addr_t dirty_lo;        /* written in this entry, from iova */
    dma_addr_t dirty_hi;
    bool write;
} VfnicDmaWin;

/*
 * Windows kept: each function's rings (read, written back) and the pages
 * its buffers lie in, which a DPDK mempool spreads over a dozen or more
 * 2 MiB pages; slots are hashed (vfnic_dma.c), so more than that keeps
 * collisions rare.
 */
#define VFNIC_DMA_WINS      64

/*
 * The switch's table of unicast addresses: each function's MAC and
 * filters, hashed, so that a frame is offered to the functions that own
 * its destination (and the promiscuous ones) instead of to all 65. It is
 * derived from the admin blocks, rebuilt when one of them changes.
 */
#define VFNIC_FDB_SIZE      2048    /* > 1.8 * 65 * (1 + 16) */

typedef struct VfnicFdbEntry {
    uint64_t key;               /* the MAC, 1 << 48 set; 0: free */
    uint32_t fn;
} VfnicFdbEntry;

/* The traffic generator's registers (vfnic_tgen.c). */
typedef struct VfnicTgen {
    uint32_t ctrl;
    uint32_t len;
    uint32_t dst_lo;
    uint32_t dst_hi;
    uint64_t count;
    uint64_t sent;
    uint8_t frame[VFNIC_TGEN_LEN_MAX];  /* only its first 18 bytes vary */
} VfnicTgen;

struct VfnicState {
    PCIDevice parent_obj;

    NICState *nic;
    NICConf conf;
    MemoryRegion mmio;
    MemoryRegion msix;
    QEMUTimer *shaper;
    QEMUBH *poll_bh;            /* polls the tx tails in memory: first slice */
    QEMUTimer *poll_timer;      /* each next turn of slices */
    VMChangeStateEntry *poll_vmse;
    uint32_t poll_us;           /* property: keep polling this long idle */
    int64_t poll_until;         /* QEMU_CLOCK_REALTIME */
    bool polling;
    uint32_t poll_gen;          /* bumped by vfnic_poll_stop() */

    uint16_t total_vfs;
    uint32_t glb_switch;
    uint64_t gstats[3];
    uint64_t mbx_req;           /* GLB_MBX_REQ bitmap */
    uint64_t mbx_ack;           /* GLB_MBX_ACK bitmap */
    uint64_t vflr;              /* GLB_VFLR bitmap */
    VfnicTgen tgen;
    /*
     * Non-zero while the device does DMA. A function's DMA that lands in
     * any vfnic BAR (peer-to-peer, no IOMMU in the way) must not re-enter
     * the core, whose state is mid-update: QEMU's per-device reentrancy
     * guard does not cover the PF and VFs as one device.
     */
    unsigned in_dma;

    VfnicFn fn[VFNIC_NUM_FN];

    VfnicRxCache rxc[VFNIC_RX_ACTIVE];
    unsigned rxc_active;

    VfnicFdbEntry fdb[VFNIC_FDB_SIZE];
    DECLARE_BITMAP(fdb_promisc, VFNIC_NUM_FN);
    bool fdb_valid;             /* false: rebuild before the next lookup */

    VfnicDmaWin dmaw[VFNIC_DMA_WINS];
    uint64_t dma_entry;         /* device entries so far (vfnic_dma_end) */

    /*
     * tx gather buffer, with headroom for a tag the device inserts; the
     * frame starts 2 bytes past a 4-byte boundary so that its IP header
     * is aligned, as net_checksum_calculate()'s struct access needs
     */
    uint8_t txbuf[VFNIC_TX_HEADROOM + VFNIC_FRAME_MAX] QEMU_ALIGNED(4);
};

/* vfnic.c: the PF device */
PCIDevice *vfnic_fn_dev(VfnicState *s, unsigned fn);
unsigned vfnic_num_fn(VfnicState *s);
bool vfnic_uplink_up(VfnicState *s);
void vfnic_uplink_send(VfnicState *s, const uint8_t *buf, size_t len);

/* vfnic_regs.c: the function block every function has, and resets */
uint64_t vfnic_fn_read(VfnicState *s, unsigned fn, hwaddr addr);
void vfnic_fn_write(VfnicState *s, unsigned fn, hwaddr addr, uint64_t val);
void vfnic_fn_reset(VfnicState *s, unsigned fn);
void vfnic_fn_reset_queues(VfnicState *s, unsigned fn);
void vfnic_vf_flr(VfnicState *s, unsigned vf);
void vfnic_raise(VfnicState *s, unsigned fn, uint32_t cause);
void vfnic_update_links(VfnicState *s);
void vfnic_soft_reset(VfnicState *s);

/* vfnic_pf_regs.c: global registers, admin blocks, the PF's mailboxes */
extern const MemoryRegionOps vfnic_pf_mmio_ops;
bool vfnic_reentered(VfnicState *s, hwaddr addr);

/* vfnic_rxtx.c: descriptor rings and DMA */
void vfnic_tx_kick(VfnicState *s, unsigned fn, unsigned q);
void vfnic_tx_ring(VfnicState *s, unsigned fn, unsigned q);
void vfnic_tx_fault(VfnicState *s, unsigned fn, unsigned q, const char *what,
                    uint64_t addr);
void vfnic_tx_resume(void *opaque);
void vfnic_rx_flush(VfnicState *s);
bool vfnic_rx_deliver(VfnicState *s, unsigned fn, const uint8_t *buf,
                      size_t len, bool strip);

/* vfnic_dma.c: frame DMA through windows checked once per device entry */
MemTxResult vfnic_dma_read(VfnicState *s, PCIDevice *d, dma_addr_t addr,
                           void *buf, dma_addr_t len);
MemTxResult vfnic_dma_write(VfnicState *s, PCIDevice *d, dma_addr_t addr,
                            const void *buf, dma_addr_t len);
void vfnic_dma_end(VfnicState *s);
void vfnic_dma_forget(VfnicState *s, PCIDevice *d);

/* vfnic_poll.c: tx tails in memory, polled from the main loop */
void vfnic_poll_init(VfnicState *s);
void vfnic_poll_fini(VfnicState *s);
void vfnic_poll_start(VfnicState *s);
void vfnic_poll_stop(VfnicState *s);

/* vfnic_tgen.c: the traffic generator, the wire's stand-in */
extern const VMStateDescription vmstate_vfnic_tgen;
bool vfnic_tgen_on(VfnicState *s);
void vfnic_tgen_reset(VfnicState *s);
uint32_t vfnic_tgen_read(VfnicState *s, hwaddr addr);
bool vfnic_tgen_write(VfnicState *s, hwaddr addr, uint32_t val);
bool vfnic_tgen_pass(VfnicState *s);

/* vfnic_switch.c: the VEB and per-function policy */
/*
 * Where a frame entering the switch goes. It depends only on the frame's
 * Ethernet header (and a tag after it), so frames alike up to there, as
 * the generator's burst is, share one.
 */
typedef struct VfnicRoute {
    DECLARE_BITMAP(fns, VFNIC_NUM_FN);
    unsigned src;
    bool uplink;
} VfnicRoute;

/*
 * The route of the last frame a tx ring sent, kept by vfnic_tx_ring() for
 * the frames after it in the same call: a burst from one queue mostly
 * goes to one place, and no delivery changes a route (vfnic_switch_send()).
 */
typedef struct VfnicTxRoute {
    bool valid;
    uint8_t dst[ETH_ALEN];
    uint32_t tag;               /* TPID << 16 | TCI, 0 if untagged */
    VfnicRoute rt;
} VfnicTxRoute;

void vfnic_switch_route_uplink(VfnicState *s, const uint8_t *buf, size_t len,
                               VfnicRoute *rt);
bool vfnic_switch_send(VfnicState *s, const VfnicRoute *rt,
                       const uint8_t *buf, size_t len);
void vfnic_switch_from_fn(VfnicState *s, unsigned fn, uint8_t *frame,
                          size_t len, VfnicTxRoute *last);
bool vfnic_switch_from_uplink(VfnicState *s, const uint8_t *buf, size_t len);
bool vfnic_fn_link_up(VfnicState *s, unsigned fn);
void vfnic_fn_set_mac(VfnicState *s, unsigned fn, uint32_t lo, uint32_t hi);
void vfnic_fn_set_mac_filter(VfnicState *s, unsigned fn, unsigned word,
                             uint32_t val);
void vfnic_fn_set_policy(VfnicState *s, unsigned fn, uint32_t policy);
void vfnic_fdb_changed(VfnicState *s);
bool vfnic_shaper_allows(VfnicState *s, unsigned fn);
void vfnic_shaper_charge(VfnicState *s, unsigned fn, size_t len);

static inline unsigned vfnic_max_qp(unsigned fn)
{
    return fn == VFNIC_FN_PF ? VFNIC_PF_MAX_QP : VFNIC_VF_MAX_QP;
}

static inline uint32_t vfnic_stat_word(const uint64_t *stats,
                                       unsigned count, hwaddr off)
{
    if (off / 8 >= count) {
        return 0;
    }
    return off & 4 ? stats[off / 8] >> 32 : (uint32_t)stats[off / 8];
}

static inline uint32_t vfnic_mac_hi_read(const VfnicFn *f)
{
    return f->mac_hi & (0xffff | VFNIC_MAC_VALID);
}

static inline bool vfnic_in(hwaddr addr, hwaddr base, hwaddr size)
{
    return addr >= base && addr < base + size;
}

static inline void vfnic_stat_add(VfnicFn *f, unsigned stat, uint64_t n)
{
    f->stats[stat / 8] += n;
}

#endif
