/*
 * vfnic: descriptor rings. All DMA goes through the owning function's
 * PCIDevice, so an IOMMU translates and isolates each VF on its own.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/timer.h"
#include "hw/pci/msix.h"
#include "net/checksum.h"
#include "net/eth.h"
#include "vfnic.h"
#include "trace.h"

/* A frame may span at most this many tx descriptors. */
#define VFNIC_TX_MAX_SEGS   32

typedef struct VfnicDescCache {
    uint8_t d[VFNIC_DESC_BATCH][VFNIC_DESC_SIZE];
    uint32_t first;             /* ring index of d[0] */
    uint32_t count;             /* valid entries */
} VfnicDescCache;

static void vfnic_queue_irq(VfnicState *s, unsigned fn, VfnicQueuePair *qp)
{
    PCIDevice *d = vfnic_fn_dev(s, fn);

    if ((qp->intr & VFNIC_QP_INT_ENABLE) && msix_enabled(d)) {
        msix_notify(d, qp->intr & 0xff);
    }
}

/* A DMA fault stops the ring, as a real device would; the driver resets it. */
static void vfnic_ring_fault(VfnicFn *f, unsigned fn, unsigned q,
                             VfnicRing *r, const char *what, uint64_t addr,
                             unsigned stat)
{
    qemu_log_mask(LOG_GUEST_ERROR, "vfnic: fn %u queue %u: %s DMA at 0x%"
                  PRIx64 " failed, ring stopped\n", fn, q, what, addr);
    trace_vfnic_dma_fault(fn, q, what, addr);
    r->ctrl = VFNIC_Q_CTRL_ERROR;
    vfnic_stat_add(f, stat, 1);
}

/*
 * Descriptor DMA goes through the entry's windows like frames do, with the
 * barrier pci_dma_*() would give: what the driver wrote before the
 * doorbell is read after it, and every frame byte is written before the
 * descriptor that hands it over.
 */
static bool vfnic_desc_read(VfnicState *s, PCIDevice *d, dma_addr_t addr,
                            void *buf, dma_addr_t len)
{
    smp_mb(); /* the driver's ring writes before its doorbell, seen */
    return vfnic_dma_read(s, d, addr, buf, len) == MEMTX_OK;
}

static bool vfnic_desc_write(VfnicState *s, PCIDevice *d, dma_addr_t addr,
                             const void *buf, dma_addr_t len)
{
    smp_mb(); /* every frame byte before the descriptor handing it over */
    return vfnic_dma_write(s, d, addr, buf, len) == MEMTX_OK;
}

/* Fetch descriptors from ring index idx up to the tail, one DMA. */
static bool vfnic_desc_fetch(VfnicState *s, PCIDevice *d, VfnicRing *r,
                             uint32_t idx, VfnicDescCache *c)
{
    uint32_t avail = (r->tail - idx) & (r->len - 1);
    uint32_t n = MIN(MIN(avail, VFNIC_DESC_BATCH), r->len - idx);

    c->first = idx;
    c->count = n;
    return vfnic_desc_read(s, d, r->base + (uint64_t)idx * VFNIC_DESC_SIZE,
                           c->d, n * VFNIC_DESC_SIZE);
}

/* Write the first n cached descriptors back, one DMA. */
static bool vfnic_desc_writeback(VfnicState *s, PCIDevice *d, VfnicRing *r,
                                 VfnicDescCache *c, uint32_t n)
{
    return !n || vfnic_desc_write(s, d, r->base + (uint64_t)c->first *
                                  VFNIC_DESC_SIZE, c->d,
                                  n * VFNIC_DESC_SIZE);
}

/*
 * QEMU 7.2's net_checksum_calculate() trusts the IPv4 header it is given:
 * it sums IHL * 4 bytes for the header checksum without checking that
 * many are there, and a total length below IHL * 4 makes its L4 length
 * negative, which its unsigned size check lets through, so it sums far
 * past the frame (past the end of txbuf: a heap overread). Offload only a
 * header and packet that fit in the frame; others go as the guest built
 * them.
 */
static void vfnic_tx_csum(uint8_t *frame, size_t len)
{
    const uint8_t *ip = frame + ETH_HLEN;
    size_t hlen, tot;

    if (len < ETH_HLEN + sizeof(struct ip_header) ||
        lduw_be_p(frame + 12) != ETH_P_IP) {
        return;
    }
    hlen = (ip[0] & 0xf) * 4;
    tot = lduw_be_p(ip + 2);
    if (hlen < sizeof(struct ip_header) || tot < hlen ||
        tot > len - ETH_HLEN) {
        return;
    }
    net_checksum_calculate(frame, len, CSUM_ALL);
}

/* Insert an 802.1Q tag in front of the EtherType; frame has headroom. */
static uint8_t *vfnic_tag_insert(uint8_t *frame, size_t *len, uint16_t tpid,
                                 uint16_t tci)
{
    uint8_t *p = frame - VFNIC_TAG_LEN;

    memmove(p, frame, 2 * ETH_ALEN);
    stw_be_p(p + 12, tpid);
    stw_be_p(p + 14, tci);
    *len += VFNIC_TAG_LEN;
    return p;
}

/*
 * Process the tx ring from head to tail: gather each frame, hand it to the
 * switch, and write the descriptors back with DD set, a batch at a time.
 */
void vfnic_tx_ring(VfnicState *s, unsigned fn, unsigned q)
{
    VfnicFn *f = &s->fn[fn];
    VfnicQueuePair *qp = &f->qp[q];
    VfnicRing *r = &qp->tx;
    PCIDevice *d = vfnic_fn_dev(s, fn);
    VfnicDescCache c = { .count = 0 };
    VfnicTxRoute last = { .valid = false };
    uint8_t *frame = s->txbuf + VFNIC_TX_HEADROOM;
    uint32_t first = r->head, idx = r->head, ci = 0, segs = 0;
    size_t len = 0;
    bool bad = false, done = false;

    if (!d || !(r->ctrl & VFNIC_Q_CTRL_ENABLE)) {
        return;
    }
    while (idx != r->tail && (r->ctrl & VFNIC_Q_CTRL_ENABLE)) {
        uint8_t *desc;
        uint16_t dlen, cmd;
        uint64_t addr;

        if (!segs && !vfnic_shaper_allows(s, fn)) {
            break;
        }
        if (ci == c.count) {
            if (!vfnic_desc_writeback(s, d, r, &c, ci) ||
                !vfnic_desc_fetch(s, d, r, idx, &c)) {
                vfnic_ring_fault(f, fn, q, r, "tx descriptor",
                                 r->base + (uint64_t)idx * VFNIC_DESC_SIZE,
                                 VFNIC_STAT_TX_ERR);
                return;
            }
            ci = 0;
        }
        desc = c.d[ci++];
        addr = ldq_le_p(desc + VFNIC_TXD_ADDR);
        dlen = lduw_le_p(desc + VFNIC_TXD_LEN);
        cmd = lduw_le_p(desc + VFNIC_TXD_CMD);

        if (!bad && (!dlen || len + dlen > VFNIC_FRAME_MAX ||
                     segs >= VFNIC_TX_MAX_SEGS)) {
            qemu_log_mask(LOG_GUEST_ERROR, "vfnic: fn %u queue %u: tx "
                          "descriptor %u: bad length %u (frame %zu, %u "
                          "segments), frame dropped\n", fn, q, idx, dlen,
                          len, segs);
            bad = true;
        }
        if (!bad && vfnic_dma_read(s, d, addr, frame + len, dlen) != MEMTX_OK) {
            vfnic_ring_fault(f, fn, q, r, "tx buffer", addr,
                             VFNIC_STAT_TX_ERR);
            break;
        }
        len += dlen;
        segs++;
        done = cmd & VFNIC_TXD_CMD_EOP;
        stw_le_p(desc + VFNIC_TXD_STATUS, VFNIC_TXD_STA_DD |
                 (bad ? VFNIC_TXD_STA_ERR : 0));
        idx = (idx + 1) & (r->len - 1);
        if (!done) {
            continue;
        }

        /* a whole frame: account for it, apply offloads, switch it */
        r->head = idx;
        if (bad) {
            vfnic_stat_add(f, VFNIC_STAT_TX_ERR, 1);
        } else {
            uint8_t *p = frame;
            size_t plen = len;

            qp->stats[VFNIC_QSTAT_TX_PKTS / 8]++;
            qp->stats[VFNIC_QSTAT_TX_BYTES / 8] += len;
            if (cmd & VFNIC_TXD_CMD_CSUM) {
                vfnic_tx_csum(p, plen);
            }
            if ((cmd & VFNIC_TXD_CMD_VLAN) && plen >= ETH_HLEN) {
                p = vfnic_tag_insert(p, &plen, ETH_P_VLAN,
                                     lduw_le_p(desc + VFNIC_TXD_VLAN));
            }
            vfnic_switch_from_fn(s, fn, p, plen, &last);
        }
        len = 0;
        segs = 0;
        bad = false;
        done = false;
    }
    /*
     * A frame whose EOP the driver has not posted yet keeps head at its
     * first descriptor and is gathered again on the next doorbell; its
     * descriptors get DD early, which drivers ignore on non-EOP entries.
     */
    if (!vfnic_desc_writeback(s, d, r, &c, ci)) {
        vfnic_ring_fault(f, fn, q, r, "tx write-back", r->base,
                         VFNIC_STAT_TX_ERR);
    }
    /* a frame still waiting for its EOP is looked at again, quietly */
    if (r->head != first) {
        vfnic_queue_irq(s, fn, qp);
    }
}

void vfnic_tx_fault(VfnicState *s, unsigned fn, unsigned q, const char *what,
                    uint64_t addr)
{
    VfnicFn *f = &s->fn[fn];

    vfnic_ring_fault(f, fn, q, &f->qp[q].tx, what, addr, VFNIC_STAT_TX_ERR);
}

void vfnic_tx_kick(VfnicState *s, unsigned fn, unsigned q)
{
    s->in_dma++;
    vfnic_tx_ring(s, fn, q);
    vfnic_rx_flush(s);
    vfnic_dma_end(s);
    s->in_dma--;
}

void vfnic_tx_resume(void *opaque)
{
    VfnicState *s = opaque;
    unsigned fn, q, n = vfnic_num_fn(s);

    for (fn = 0; fn < n; fn++) {
        for (q = 0; q < s->fn[fn].num_qp; q++) {
            VfnicRing *r = &s->fn[fn].qp[q].tx;

            if ((r->ctrl & VFNIC_Q_CTRL_ENABLE) && r->head != r->tail) {
                vfnic_tx_kick(s, fn, q);
            }
        }
    }
}

/*
 * Toeplitz hash over the fields the function enabled for this packet's
 * type: addresses and ports for TCP/UDP with their 4-tuple type enabled,
 * else addresses with the plain IP type enabled. False if neither is.
 */
static bool vfnic_rss_hash(VfnicFn *f, const uint8_t *l3, size_t l3len,
                           uint16_t etype, uint32_t *hash)
{
    net_toeplitz_key key;
    uint32_t tcp, udp, ip;
    size_t addr, alen, ports;
    uint8_t proto;
    bool first_frag = true;

    if (etype == ETH_P_IP && l3len >= 20) {
        proto = l3[9];
        addr = 12;
        alen = 8;
        ports = (l3[0] & 0xf) * 4;
        /* fragments carry no ports past the first */
        first_frag = !(lduw_be_p(l3 + 6) & 0x3fff);
        tcp = VFNIC_RSS_TCP4;
        udp = VFNIC_RSS_UDP4;
        ip = VFNIC_RSS_IPV4;
    } else if (etype == ETH_P_IPV6 && l3len >= 40) {
        proto = l3[6];
        addr = 8;
        alen = 32;
        ports = 40;
        tcp = VFNIC_RSS_TCP6;
        udp = VFNIC_RSS_UDP6;
        ip = VFNIC_RSS_IPV6;
    } else {
        return false;
    }
    if (!first_frag || l3len < ports + 4 ||
        !((proto == IP_PROTO_TCP && (f->rss_ctrl & tcp)) ||
          (proto == IP_PROTO_UDP && (f->rss_ctrl & udp)))) {
        ports = 0;
    }
    if (!ports && !(f->rss_ctrl & ip)) {
        return false;
    }
    net_toeplitz_key_init(&key, f->rss_key);
    *hash = 0;
    net_toeplitz_add(hash, (uint8_t *)l3 + addr, alen, &key);
    if (ports) {
        net_toeplitz_add(hash, (uint8_t *)l3 + ports, 4, &key);
    }
    return true;
}

/* Write back what c filled, then tell the driver. */
static void vfnic_rx_cache_flush(VfnicState *s, VfnicRxCache *c)
{
    VfnicFn *f = &s->fn[c->fn];
    VfnicQueuePair *qp = &f->qp[c->q];
    VfnicRing *r = &qp->rx;
    PCIDevice *d = vfnic_fn_dev(s, c->fn);
    uint64_t dma = r->base + (uint64_t)c->first * VFNIC_DESC_SIZE;

    if (!c->used || !d) {
        return;
    }
    if (!vfnic_desc_write(s, d, dma, c->d, c->used * VFNIC_DESC_SIZE)) {
        vfnic_ring_fault(f, c->fn, c->q, r, "rx write-back", dma,
                         VFNIC_STAT_RX_ERR);
        c->used = c->count = 0;
        return;
    }
    c->used = c->count = 0;
    vfnic_queue_irq(s, c->fn, qp);
}

void vfnic_rx_flush(VfnicState *s)
{
    unsigned i;

    for (i = 0; i < s->rxc_active; i++) {
        vfnic_rx_cache_flush(s, &s->rxc[i]);
    }
    s->rxc_active = 0;
}

/* The cache of (fn, q) for this entry, taking a free one if needed. */
static VfnicRxCache *vfnic_rx_cache(VfnicState *s, unsigned fn, unsigned q)
{
    VfnicRxCache *c;
    unsigned i;

    for (i = 0; i < s->rxc_active; i++) {
        if (s->rxc[i].fn == fn && s->rxc[i].q == q) {
            return &s->rxc[i];
        }
    }
    if (s->rxc_active == VFNIC_RX_ACTIVE) {
        vfnic_rx_flush(s);
    }
    c = &s->rxc[s->rxc_active++];
    c->fn = fn;
    c->q = q;
    c->first = c->count = c->used = 0;
    c->shadow_read = false;
    return c;
}

/*
 * Free rx descriptors of (fn, q), first refreshing the tail from memory,
 * at most once per device entry, when the driver keeps it there and the
 * register's value leaves fewer than need. Returns false on a DMA fault.
 */
static bool vfnic_rx_room(VfnicState *s, unsigned fn, unsigned q,
                          uint32_t need, uint32_t *room)
{
    VfnicFn *f = &s->fn[fn];
    VfnicRing *r = &f->qp[q].rx;
    VfnicRxCache *c;
    uint64_t slot;
    uint32_t tail;

    *room = (r->tail - r->head) & (r->len - 1);
    if (*room >= need || !(f->rx_shadow & VFNIC_RX_SHADOW_ENABLE)) {
        return true;
    }
    c = vfnic_rx_cache(s, fn, q);
    if (c->shadow_read) {
        return true;
    }
    c->shadow_read = true;
    slot = (f->rx_shadow & ~(uint64_t)(VFNIC_RX_SHADOW_ALIGN - 1)) + q * 4;
    if (!vfnic_desc_read(s, vfnic_fn_dev(s, fn), slot, &tail, 4)) {
        vfnic_ring_fault(f, fn, q, r, "rx tail shadow", slot,
                         VFNIC_STAT_RX_ERR);
        return false;
    }
    tail = le32_to_cpu(tail);
    trace_vfnic_rx_tail_read(fn, q, r->head, r->tail, tail);
    if (tail >= r->len) {
        qemu_log_mask(LOG_GUEST_ERROR, "vfnic: fn %u queue %u: tail %u in "
                      "memory outside ring of %u\n", fn, q, tail, r->len);
        return true;
    }
    r->tail = tail;
    *room = (r->tail - r->head) & (r->len - 1);
    return true;
}

/* Next descriptor for rx at r->head: from the cache, refetched in a batch. */
static uint8_t *vfnic_rx_desc(VfnicState *s, VfnicRxCache *c, VfnicRing *r,
                              PCIDevice *d)
{
    if (c->used == c->count) {
        uint32_t avail = (r->tail - r->head) & (r->len - 1);
        uint32_t n = MIN(MIN(avail, VFNIC_DESC_BATCH), r->len - r->head);

        vfnic_rx_cache_flush(s, c);
        if (!(r->ctrl & VFNIC_Q_CTRL_ENABLE)) {
            return NULL;        /* the write-back faulted */
        }
        c->first = r->head;
        c->count = n;
        if (!vfnic_desc_read(s, d, r->base + (uint64_t)r->head *
                             VFNIC_DESC_SIZE, c->d, n * VFNIC_DESC_SIZE)) {
            c->count = 0;
            return NULL;
        }
    }
    return c->d[c->used];
}

/*
 * Deliver a frame into one of fn's rx rings. With strip, the outer tag is
 * removed (port VLAN: silently; the function's own strip: reported in the
 * descriptor). Returns false when the frame was dropped for want of room.
 */
bool vfnic_rx_deliver(VfnicState *s, unsigned fn, const uint8_t *buf,
                      size_t len, bool port_vlan)
{
    VfnicFn *f = &s->fn[fn];
    PCIDevice *d = vfnic_fn_dev(s, fn);
    uint16_t etype = len >= ETH_HLEN ? lduw_be_p(buf + 12) : 0;
    bool tagged = etype == ETH_P_VLAN || etype == ETH_P_DVLAN;
    uint16_t status = VFNIC_RXD_STA_DD, vlan = 0;
    uint32_t hash = 0, q = 0, need, room, i;
    const uint8_t *seg[2];
    size_t seglen[2], off = 0, done = 0, total;
    VfnicQueuePair *qp;
    VfnicRing *r;
    VfnicRxCache *c;

    if (!d) {
        return false;
    }
    seg[0] = buf;
    seglen[0] = len;
    seg[1] = NULL;
    seglen[1] = 0;
    if (tagged && len >= ETH_HLEN + VFNIC_TAG_LEN &&
        (port_vlan || f->vlan_strip)) {
        if (!port_vlan) {
            vlan = lduw_be_p(buf + 14);
            status |= VFNIC_RXD_STA_VLAN;
        }
        seglen[0] = 2 * ETH_ALEN;
        seg[1] = buf + 2 * ETH_ALEN + VFNIC_TAG_LEN;
        seglen[1] = len - 2 * ETH_ALEN - VFNIC_TAG_LEN;
        tagged = false;
        etype = lduw_be_p(seg[1]);
    }
    total = seglen[0] + seglen[1];

    if (f->rss_ctrl && f->num_qp > 1 && !tagged && total > ETH_HLEN) {
        /* after a strip, the L3 header starts 2 bytes into seg[1] */
        const uint8_t *l3 = seg[1] ? seg[1] + 2 : buf + ETH_HLEN;

        if (vfnic_rss_hash(f, l3, total - ETH_HLEN, etype, &hash)) {
            status |= VFNIC_RXD_STA_RSS;
            q = f->rss_reta[hash % VFNIC_RSS_RETA_SIZE] % f->num_qp;
        }
    }
    qp = &f->qp[q];
    r = &qp->rx;
    if (!(r->ctrl & VFNIC_Q_CTRL_ENABLE)) {
        vfnic_stat_add(f, VFNIC_STAT_RX_DROP, 1);
        return false;
    }
    need = DIV_ROUND_UP(total, r->buf_size);
    if (!vfnic_rx_room(s, fn, q, need, &room)) {
        return false;
    }
    if (room < need) {
        vfnic_stat_add(f, VFNIC_STAT_RX_DROP, 1);
        trace_vfnic_rx_no_desc(fn, q);
        return false;
    }

    c = vfnic_rx_cache(s, fn, q);
    for (i = 0; i < need; i++) {
        uint64_t dma = r->base + (uint64_t)r->head * VFNIC_DESC_SIZE;
        uint8_t *desc = vfnic_rx_desc(s, c, r, d);
        uint64_t addr;
        size_t chunk = MIN(total - done, r->buf_size), put = 0;

        if (!desc) {
            if (r->ctrl & VFNIC_Q_CTRL_ENABLE) {
                vfnic_ring_fault(f, fn, q, r, "rx descriptor", dma,
                                 VFNIC_STAT_RX_ERR);
            }
            return false;
        }
        addr = ldq_le_p(desc + VFNIC_RXD_ADDR);
        /* copy chunk bytes of the (up to two-piece) frame */
        while (put < chunk) {
            unsigned sidx = off < seglen[0] ? 0 : 1;
            size_t soff = sidx ? off - seglen[0] : off;
            size_t n = MIN(chunk - put, seglen[sidx] - soff);

            if (vfnic_dma_write(s, d, addr + put, seg[sidx] + soff, n) !=
                MEMTX_OK) {
                vfnic_ring_fault(f, fn, q, r, "rx buffer", addr,
                                 VFNIC_STAT_RX_ERR);
                return false;
            }
            put += n;
            off += n;
        }
        done += chunk;
        memset(desc, 0, VFNIC_DESC_SIZE);
        stl_le_p(desc + VFNIC_RXD_RSS, hash);
        stw_le_p(desc + VFNIC_RXD_LEN, chunk);
        stw_le_p(desc + VFNIC_RXD_VLAN, vlan);
        stw_le_p(desc + VFNIC_RXD_STATUS, status |
                 (done == total ? VFNIC_RXD_STA_EOP : 0));
        c->used++;
        r->head = (r->head + 1) & (r->len - 1);
    }

    vfnic_stat_add(f, VFNIC_STAT_RX_PKTS, 1);
    vfnic_stat_add(f, VFNIC_STAT_RX_BYTES, total);
    if (buf[0] & 1) {
        vfnic_stat_add(f, is_broadcast_ether_addr(buf) ?
                       VFNIC_STAT_RX_BCAST : VFNIC_STAT_RX_MCAST, 1);
    }
    qp->stats[VFNIC_QSTAT_RX_PKTS / 8]++;
    qp->stats[VFNIC_QSTAT_RX_BYTES / 8] += total;
    return true;
}
