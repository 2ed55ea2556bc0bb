/*
 * vfnic: the function block every function has, the VF side of the mailbox,
 * and resets.
 *
 * Every function has the same function block; the PF reaches its own at
 * BAR0 + 0 and a VF reaches its own through its BAR0, so both paths end in
 * vfnic_fn_read()/vfnic_fn_write(). Offsets are those of docs/hardware.md.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "hw/pci/msix.h"
#include "hw/pci/pcie_sriov.h"
#include "vfnic.h"
#include "trace.h"

/* 1500-byte MTU: frames carry no FCS, a VLAN tag is allowed on top */
#define VFNIC_DEFAULT_FRAME 1514

static unsigned vfnic_nvec(unsigned fn)
{
    return fn == VFNIC_FN_PF ? VFNIC_PF_MSIX_VECTORS : VFNIC_VF_MSIX_VECTORS;
}

void vfnic_raise(VfnicState *s, unsigned fn, uint32_t cause)
{
    VfnicFn *f = &s->fn[fn];
    PCIDevice *d = vfnic_fn_dev(s, fn);

    f->icr |= cause;
    trace_vfnic_irq(fn, cause, f->icr, f->ims);
    if ((f->icr & f->ims) && d && msix_enabled(d)) {
        msix_notify(d, VFNIC_MSIX_MISC);
    }
}

/*
 * The function's queues: rings, per-queue counters, RSS switched off (its
 * key and table stay, inert while it is off) and the tails in memory.
 * ADM_CTRL.QRESET clears exactly this; FLR and the function reset clear it
 * with the rest of the function's own state.
 */
void vfnic_fn_reset_queues(VfnicState *s, unsigned fn)
{
    VfnicFn *f = &s->fn[fn];

    memset(f->qp, 0, sizeof(f->qp));
    f->rss_ctrl = 0;
    f->rx_shadow = 0;
    f->tx_shadow = 0;
}

/* What the function's own driver set up: FLR clears exactly this. */
static void vfnic_fn_reset_own(VfnicState *s, unsigned fn)
{
    VfnicFn *f = &s->fn[fn];

    vfnic_fn_reset_queues(s, fn);
    f->icr = f->ims = 0;
    f->vlan_strip = 0;
    memset(f->rss_key, 0, sizeof(f->rss_key));
    memset(f->rss_reta, 0, sizeof(f->rss_reta));
    f->mbx_ctrl = 0;
    memset(f->mbx_vf2pf, 0, sizeof(f->mbx_vf2pf));
    memset(f->mbx_pf2vf, 0, sizeof(f->mbx_pf2vf));
    f->tokens = 0;
    f->tokens_ns = -1;
}

/* What the PF driver decided for the function, back to defaults. */
static void vfnic_fn_reset_admin(VfnicState *s, unsigned fn)
{
    VfnicFn *f = &s->fn[fn];
    unsigned i;

    if (fn == VFNIC_FN_PF) {
        const uint8_t *m = s->conf.macaddr.a;

        vfnic_fn_set_mac(s, fn, ldl_le_p(m),
                         lduw_le_p(m + 4) | VFNIC_MAC_VALID);
    } else {
        vfnic_fn_set_mac(s, fn, 0, 0);
    }
    f->vlan = 0;
    vfnic_fn_set_policy(s, fn, fn == VFNIC_FN_PF ? 0 : VFNIC_POL_SPOOFCHK);
    f->tx_rate = 0;
    f->max_frame = VFNIC_DEFAULT_FRAME;
    f->num_qp = vfnic_max_qp(fn);
    for (i = 0; i < ARRAY_SIZE(f->mac_filter); i++) {
        vfnic_fn_set_mac_filter(s, fn, i, 0);
    }
    memset(f->vlan_filter, 0, sizeof(f->vlan_filter));
    f->link_up = vfnic_fn_link_up(s, fn);
}

void vfnic_fn_reset(VfnicState *s, unsigned fn)
{
    vfnic_fn_reset_own(s, fn);
    vfnic_fn_reset_admin(s, fn);
    /*
     * The function counters are the PF's record of what the function did
     * (its ethtool statistics read them): a VF's own FLR must not erase
     * its spoofed frames, so only this reset (PF reset, VF enable) does.
     */
    memset(s->fn[fn].stats, 0, sizeof(s->fn[fn].stats));
}

void vfnic_vf_flr(VfnicState *s, unsigned vf)
{
    uint64_t bit = 1ULL << vf;

    vfnic_fn_reset_own(s, VFNIC_VF_TO_FN(vf));
    s->mbx_req &= ~bit;
    s->mbx_ack &= ~bit;
    s->vflr |= bit;
    vfnic_raise(s, VFNIC_FN_PF, VFNIC_INT_VFLR);
}

void vfnic_update_links(VfnicState *s)
{
    unsigned fn, n = vfnic_num_fn(s);

    for (fn = 0; fn < n; fn++) {
        bool up = vfnic_fn_link_up(s, fn);

        if (up != s->fn[fn].link_up) {
            s->fn[fn].link_up = up;
            trace_vfnic_link(fn, up);
            vfnic_raise(s, fn, VFNIC_INT_LINK);
        }
    }
}

/* PF reset: every function stops, VFs learn it through PF_READY. */
void vfnic_soft_reset(VfnicState *s)
{
    unsigned fn, n = vfnic_num_fn(s);

    trace_vfnic_soft_reset();
    vfnic_fn_reset(s, VFNIC_FN_PF);
    for (fn = 1; fn < n; fn++) {
        VfnicFn *f = &s->fn[fn];
        uint32_t ims = f->ims;
        bool was_ready = f->mbx_ctrl & VFNIC_MBX_PF_READY;

        vfnic_fn_reset(s, fn);
        /* the VF driver keeps its interrupt setup so it hears of this */
        f->ims = ims;
        if (was_ready) {
            vfnic_raise(s, fn, VFNIC_INT_RESET);
        }
    }
    s->mbx_req = s->mbx_ack = s->vflr = 0;
    s->glb_switch = VFNIC_SWITCH_VEB;
    vfnic_tgen_reset(s);
}

/* Queue-pair registers; q has been checked against the grant. */
static uint32_t vfnic_qp_read(VfnicQueuePair *qp, hwaddr r)
{
    switch (r) {
    case VFNIC_RXQ_BASE_LO: return qp->rx.base;
    case VFNIC_RXQ_BASE_HI: return qp->rx.base >> 32;
    case VFNIC_RXQ_LEN:     return qp->rx.len;
    case VFNIC_RXQ_HEAD:    return qp->rx.head;
    case VFNIC_RXQ_TAIL:    return qp->rx.tail;
    case VFNIC_RXQ_CTRL:    return qp->rx.ctrl;
    case VFNIC_RXQ_BUF_SIZE: return qp->rx.buf_size;
    case VFNIC_TXQ_BASE_LO: return qp->tx.base;
    case VFNIC_TXQ_BASE_HI: return qp->tx.base >> 32;
    case VFNIC_TXQ_LEN:     return qp->tx.len;
    case VFNIC_TXQ_HEAD:    return qp->tx.head;
    case VFNIC_TXQ_TAIL:    return qp->tx.tail;
    case VFNIC_TXQ_CTRL:    return qp->tx.ctrl;
    case VFNIC_QP_INT:      return qp->intr;
    }
    return 0;
}

static bool vfnic_ring_valid(unsigned fn, unsigned q, const char *dir,
                             VfnicRing *r, bool rx)
{
    const char *why = NULL;

    if (r->len < VFNIC_Q_LEN_MIN || r->len > VFNIC_Q_LEN_MAX ||
        !is_power_of_2(r->len)) {
        why = "length is not a power of 2 in [32, 4096]";
    } else if (r->base & (VFNIC_DESC_SIZE - 1)) {
        why = "base is not 16-byte aligned";
    } else if (rx && (r->buf_size < VFNIC_RX_BUF_MIN ||
                      r->buf_size > VFNIC_RX_BUF_MAX)) {
        why = "buffer size is outside [256, 16384]";
    }
    if (why) {
        qemu_log_mask(LOG_GUEST_ERROR, "vfnic: fn %u %s queue %u not "
                      "enabled: %s\n", fn, dir, q, why);
        return false;
    }
    return true;
}

static void vfnic_ring_ctrl(unsigned fn, unsigned q, const char *dir,
                            VfnicRing *r, uint32_t val, bool rx)
{
    if (!(val & VFNIC_Q_CTRL_ENABLE)) {
        r->ctrl = 0;
        return;
    }
    if (r->ctrl & VFNIC_Q_CTRL_ENABLE) {
        return;
    }
    if (!vfnic_ring_valid(fn, q, dir, r, rx)) {
        r->ctrl = VFNIC_Q_CTRL_ERROR;
        return;
    }
    r->head = r->tail = 0;
    r->ctrl = VFNIC_Q_CTRL_ENABLE;
}

/* Ring geometry may only change while the ring is stopped. */
static bool vfnic_ring_idle(unsigned fn, unsigned q, VfnicRing *r)
{
    if (r->ctrl & VFNIC_Q_CTRL_ENABLE) {
        qemu_log_mask(LOG_GUEST_ERROR, "vfnic: fn %u queue %u: ring "
                      "changed while enabled, ignored\n", fn, q);
        return false;
    }
    return true;
}

static void vfnic_ring_tail(unsigned fn, unsigned q, VfnicRing *r,
                            uint32_t val)
{
    if (!r->len || val >= r->len) {
        qemu_log_mask(LOG_GUEST_ERROR, "vfnic: fn %u queue %u: tail %u "
                      "outside ring of %u\n", fn, q, val, r->len);
        return;
    }
    r->tail = val;
}

static void vfnic_qp_write(VfnicState *s, unsigned fn, unsigned q, hwaddr r,
                           uint32_t val)
{
    VfnicQueuePair *qp = &s->fn[fn].qp[q];

    switch (r) {
    case VFNIC_RXQ_BASE_LO:
        if (vfnic_ring_idle(fn, q, &qp->rx)) {
            qp->rx.base = deposit64(qp->rx.base, 0, 32, val);
        }
        break;
    case VFNIC_RXQ_BASE_HI:
        if (vfnic_ring_idle(fn, q, &qp->rx)) {
            qp->rx.base = deposit64(qp->rx.base, 32, 32, val);
        }
        break;
    case VFNIC_RXQ_LEN:
        if (vfnic_ring_idle(fn, q, &qp->rx)) {
            qp->rx.len = val;
        }
        break;
    case VFNIC_RXQ_BUF_SIZE:
        if (vfnic_ring_idle(fn, q, &qp->rx)) {
            qp->rx.buf_size = val;
        }
        break;
    case VFNIC_RXQ_TAIL:
        vfnic_ring_tail(fn, q, &qp->rx, val);
        break;
    case VFNIC_RXQ_CTRL:
        vfnic_ring_ctrl(fn, q, "rx", &qp->rx, val, true);
        break;
    case VFNIC_TXQ_BASE_LO:
        if (vfnic_ring_idle(fn, q, &qp->tx)) {
            qp->tx.base = deposit64(qp->tx.base, 0, 32, val);
        }
        break;
    case VFNIC_TXQ_BASE_HI:
        if (vfnic_ring_idle(fn, q, &qp->tx)) {
            qp->tx.base = deposit64(qp->tx.base, 32, 32, val);
        }
        break;
    case VFNIC_TXQ_LEN:
        if (vfnic_ring_idle(fn, q, &qp->tx)) {
            qp->tx.len = val;
        }
        break;
    case VFNIC_TXQ_TAIL:
        vfnic_ring_tail(fn, q, &qp->tx, val);
        vfnic_tx_kick(s, fn, q);
        if (s->fn[fn].tx_shadow & VFNIC_TX_SHADOW_ENABLE) {
            /* the driver may stop ringing once the device polls */
            vfnic_poll_start(s);
        }
        break;
    case VFNIC_TXQ_CTRL:
        vfnic_ring_ctrl(fn, q, "tx", &qp->tx, val, false);
        break;
    case VFNIC_QP_INT:
        if ((val & VFNIC_QP_INT_ENABLE) && (val & 0xff) >= vfnic_nvec(fn)) {
            qemu_log_mask(LOG_GUEST_ERROR, "vfnic: fn %u queue %u: no "
                          "MSI-X vector %u\n", fn, q, val & 0xff);
            break;
        }
        qp->intr = val & (VFNIC_QP_INT_ENABLE | 0xff);
        break;
    default:
        qemu_log_mask(LOG_GUEST_ERROR, "vfnic: fn %u queue %u: write to "
                      "read-only or unknown register 0x%" HWADDR_PRIx "\n",
                      fn, q, r);
    }
}

uint64_t vfnic_fn_read(VfnicState *s, unsigned fn, hwaddr addr)
{
    VfnicFn *f = &s->fn[fn];
    uint32_t val = 0;

    if (vfnic_in(addr, VFNIC_QP_BASE, VFNIC_MAX_QP * VFNIC_QP_STRIDE)) {
        unsigned q = (addr - VFNIC_QP_BASE) / VFNIC_QP_STRIDE;

        if (q < f->num_qp) {
            val = vfnic_qp_read(&f->qp[q], addr % VFNIC_QP_STRIDE);
        }
    } else if (vfnic_in(addr, VFNIC_RSS_KEY, VFNIC_RSS_KEY_SIZE)) {
        val = ldl_le_p(f->rss_key + (addr - VFNIC_RSS_KEY));
    } else if (vfnic_in(addr, VFNIC_RSS_RETA, VFNIC_RSS_RETA_SIZE)) {
        val = ldl_le_p(f->rss_reta + (addr - VFNIC_RSS_RETA));
    } else if (vfnic_in(addr, VFNIC_STATS, VFNIC_STAT_COUNT * 8)) {
        val = vfnic_stat_word(f->stats, VFNIC_STAT_COUNT,
                              addr - VFNIC_STATS);
    } else if (vfnic_in(addr, VFNIC_QSTATS,
                        VFNIC_MAX_QP * VFNIC_QSTAT_STRIDE)) {
        hwaddr off = addr - VFNIC_QSTATS;
        unsigned q = off / VFNIC_QSTAT_STRIDE;

        val = vfnic_stat_word(f->qp[q].stats, 4, off % VFNIC_QSTAT_STRIDE);
    } else if (fn != VFNIC_FN_PF &&
               vfnic_in(addr, VFNIC_MBX_VF2PF, VFNIC_MBX_BUF_SIZE)) {
        val = f->mbx_vf2pf[(addr - VFNIC_MBX_VF2PF) / 4];
    } else if (fn != VFNIC_FN_PF &&
               vfnic_in(addr, VFNIC_MBX_PF2VF, VFNIC_MBX_BUF_SIZE)) {
        val = f->mbx_pf2vf[(addr - VFNIC_MBX_PF2VF) / 4];
    } else {
        switch (addr) {
        case VFNIC_FN_ID:
            val = fn | (fn != VFNIC_FN_PF ? VFNIC_FN_ID_IS_VF : 0);
            break;
        case VFNIC_FN_CAPS:
            val = f->num_qp << VFNIC_FN_CAPS_QP_SHIFT |
                  vfnic_nvec(fn) << VFNIC_FN_CAPS_VEC_SHIFT |
                  VFNIC_FN_CAPS_RSS | VFNIC_FN_CAPS_VLAN | VFNIC_FN_CAPS_CSUM |
                  VFNIC_FN_CAPS_RX_SHADOW | VFNIC_FN_CAPS_TX_SHADOW;
            break;
        case VFNIC_FN_STATUS:
            val = vfnic_fn_link_up(s, fn) ?
                  VFNIC_FN_STATUS_LINK_UP |
                  1000 << VFNIC_FN_STATUS_SPEED_SHIFT : 0;
            break;
        case VFNIC_FN_MAC_LO:
            val = f->mac_lo;
            break;
        case VFNIC_FN_MAC_HI:
            val = vfnic_mac_hi_read(f);
            break;
        case VFNIC_FN_MAX_FRAME:
            val = f->max_frame;
            break;
        case VFNIC_FN_ICR:
            val = f->icr;
            break;
        case VFNIC_FN_IMS:
            val = f->ims;
            break;
        case VFNIC_FN_RX_FILTER:
            val = (f->policy & VFNIC_POL_PROMISC ?
                   VFNIC_RX_FILTER_PROMISC : 0) |
                  (f->policy & VFNIC_POL_ALLMULTI ?
                   VFNIC_RX_FILTER_ALLMULTI : 0);
            break;
        case VFNIC_FN_VLAN_STRIP:
            val = f->vlan_strip;
            break;
        case VFNIC_FN_RX_TAIL_SHADOW_LO:
            val = f->rx_shadow;
            break;
        case VFNIC_FN_RX_TAIL_SHADOW_HI:
            val = f->rx_shadow >> 32;
            break;
        case VFNIC_FN_TX_TAIL_SHADOW_LO:
            val = f->tx_shadow;
            break;
        case VFNIC_FN_TX_TAIL_SHADOW_HI:
            val = f->tx_shadow >> 32;
            break;
        case VFNIC_RSS_CTRL:
            val = f->rss_ctrl;
            break;
        case VFNIC_MBX_CTRL:
            val = fn != VFNIC_FN_PF ? f->mbx_ctrl : 0;
            break;
        }
    }
    trace_vfnic_fn_read(fn, addr, val);
    return val;
}

/*
 * The doorbell-wanted words the device cleared were in the old block; the
 * driver sets up the new one asking for doorbells.
 */
static void vfnic_tx_shadow_moved(VfnicFn *f)
{
    unsigned q;

    for (q = 0; q < VFNIC_MAX_QP; q++) {
        f->qp[q].tx_polled = false;
    }
}

static void vfnic_pf_only(unsigned fn, hwaddr addr)
{
    qemu_log_mask(LOG_GUEST_ERROR, "vfnic: fn %u: register 0x%" HWADDR_PRIx
                  " is the PF's to write, ignored\n", fn, addr);
}

/* FN_RX_FILTER: the PF's own PROMISC and ALLMULTI policy bits. */
static uint32_t vfnic_rx_filter_policy(uint32_t policy, uint32_t val)
{
    policy &= ~(VFNIC_POL_PROMISC | VFNIC_POL_ALLMULTI);
    if (val & VFNIC_RX_FILTER_PROMISC) {
        policy |= VFNIC_POL_PROMISC;
    }
    if (val & VFNIC_RX_FILTER_ALLMULTI) {
        policy |= VFNIC_POL_ALLMULTI;
    }
    return policy;
}

/* The VF's half of the mailbox handshake. */
static void vfnic_vf_mbx_ctrl(VfnicState *s, unsigned fn, uint32_t val)
{
    VfnicFn *f = &s->fn[fn];
    uint64_t bit = 1ULL << (fn - 1);

    if ((val & VFNIC_MBX_REQ) && !(f->mbx_ctrl & VFNIC_MBX_REQ)) {
        f->mbx_ctrl |= VFNIC_MBX_REQ;
        s->mbx_req |= bit;
        trace_vfnic_mbx(fn - 1, "request");
        vfnic_raise(s, VFNIC_FN_PF, VFNIC_INT_MBX);
    }
    if ((val & VFNIC_MBX_PFMSG) && (f->mbx_ctrl & VFNIC_MBX_PFMSG)) {
        f->mbx_ctrl &= ~VFNIC_MBX_PFMSG;
        s->mbx_ack |= bit;
        trace_vfnic_mbx(fn - 1, "vf-ack");
        vfnic_raise(s, VFNIC_FN_PF, VFNIC_INT_MBX);
    }
}

void vfnic_fn_write(VfnicState *s, unsigned fn, hwaddr addr, uint64_t val64)
{
    VfnicFn *f = &s->fn[fn];
    uint32_t val = val64;
    bool pf = fn == VFNIC_FN_PF;

    trace_vfnic_fn_write(fn, addr, val);
    if (vfnic_in(addr, VFNIC_QP_BASE, VFNIC_MAX_QP * VFNIC_QP_STRIDE)) {
        unsigned q = (addr - VFNIC_QP_BASE) / VFNIC_QP_STRIDE;

        if (q >= f->num_qp) {
            qemu_log_mask(LOG_GUEST_ERROR, "vfnic: fn %u: queue %u not "
                          "granted (%u)\n", fn, q, f->num_qp);
            return;
        }
        vfnic_qp_write(s, fn, q, addr % VFNIC_QP_STRIDE, val);
        return;
    }
    if (vfnic_in(addr, VFNIC_RSS_KEY, VFNIC_RSS_KEY_SIZE)) {
        stl_le_p(f->rss_key + (addr - VFNIC_RSS_KEY), val);
        return;
    }
    if (vfnic_in(addr, VFNIC_RSS_RETA, VFNIC_RSS_RETA_SIZE)) {
        stl_le_p(f->rss_reta + (addr - VFNIC_RSS_RETA), val);
        return;
    }
    if (!pf && vfnic_in(addr, VFNIC_MBX_VF2PF, VFNIC_MBX_BUF_SIZE)) {
        /* the PF owns the buffer from doorbell to acknowledgement */
        if (f->mbx_ctrl & VFNIC_MBX_REQ) {
            qemu_log_mask(LOG_GUEST_ERROR, "vf %u: mailbox written while "
                          "a request is pending, ignored\n", fn - 1);
            return;
        }
        f->mbx_vf2pf[(addr - VFNIC_MBX_VF2PF) / 4] = val;
        return;
    }

    switch (addr) {
    case VFNIC_FN_CTRL:
        if (!pf) {
            vfnic_pf_only(fn, addr);
        } else if (val & VFNIC_FN_CTRL_RST) {
            vfnic_soft_reset(s);
        }
        break;
    case VFNIC_FN_MAC_LO:
        if (pf) {
            vfnic_fn_set_mac(s, fn, val, f->mac_hi);
        } else {
            vfnic_pf_only(fn, addr);
        }
        break;
    case VFNIC_FN_MAC_HI:
        if (pf) {
            vfnic_fn_set_mac(s, fn, f->mac_lo,
                             (val & 0xffff) | VFNIC_MAC_VALID);
        } else {
            vfnic_pf_only(fn, addr);
        }
        break;
    case VFNIC_FN_MAX_FRAME:
        if (pf && val >= 64 && val <= VFNIC_FRAME_MAX) {
            f->max_frame = val;
        } else {
            qemu_log_mask(LOG_GUEST_ERROR, "vfnic: fn %u: max frame %u "
                          "refused\n", fn, val);
        }
        break;
    case VFNIC_FN_ICR:
        f->icr &= ~val;
        break;
    case VFNIC_FN_IMS:
        f->ims |= val;
        vfnic_raise(s, fn, 0);
        break;
    case VFNIC_FN_IMC:
        f->ims &= ~val;
        break;
    case VFNIC_FN_RX_FILTER:
        if (pf) {
            vfnic_fn_set_policy(s, fn, vfnic_rx_filter_policy(f->policy, val));
        } else {
            vfnic_pf_only(fn, addr);
        }
        break;
    case VFNIC_FN_VLAN_STRIP:
        f->vlan_strip = val & 1;
        break;
    case VFNIC_FN_RX_TAIL_SHADOW_LO:
        if (val & (VFNIC_RX_SHADOW_ALIGN - 1) & ~VFNIC_RX_SHADOW_ENABLE) {
            qemu_log_mask(LOG_GUEST_ERROR, "vfnic: fn %u: rx tail shadow "
                          "0x%x is not %u-byte aligned, ignored\n", fn, val,
                          VFNIC_RX_SHADOW_ALIGN);
            break;
        }
        f->rx_shadow = deposit64(f->rx_shadow, 0, 32, val);
        break;
    case VFNIC_FN_RX_TAIL_SHADOW_HI:
        f->rx_shadow = deposit64(f->rx_shadow, 32, 32, val);
        break;
    case VFNIC_FN_TX_TAIL_SHADOW_LO:
        if (val & (VFNIC_TX_SHADOW_ALIGN - 1) & ~VFNIC_TX_SHADOW_ENABLE) {
            qemu_log_mask(LOG_GUEST_ERROR, "vfnic: fn %u: tx tail shadow "
                          "0x%x is not %u-byte aligned, ignored\n", fn, val,
                          VFNIC_TX_SHADOW_ALIGN);
            break;
        }
        f->tx_shadow = deposit64(f->tx_shadow, 0, 32, val);
        vfnic_tx_shadow_moved(f);
        break;
    case VFNIC_FN_TX_TAIL_SHADOW_HI:
        f->tx_shadow = deposit64(f->tx_shadow, 32, 32, val);
        vfnic_tx_shadow_moved(f);
        break;
    case VFNIC_RSS_CTRL:
        f->rss_ctrl = val & (VFNIC_RSS_IPV4 | VFNIC_RSS_TCP4 |
                             VFNIC_RSS_UDP4 | VFNIC_RSS_IPV6 |
                             VFNIC_RSS_TCP6 | VFNIC_RSS_UDP6);
        break;
    case VFNIC_MBX_CTRL:
        if (!pf) {
            vfnic_vf_mbx_ctrl(s, fn, val);
            break;
        }
        /* fall through */
    default:
        qemu_log_mask(LOG_GUEST_ERROR, "vfnic: fn %u: write 0x%x to "
                      "read-only or unknown register 0x%" HWADDR_PRIx "\n",
                      fn, val, addr);
    }
}
