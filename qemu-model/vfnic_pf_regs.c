/*
 * vfnic: the PF-only parts of BAR0: global registers, the admin blocks the
 * PF driver programs for every function, and its view of each VF's mailbox.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "vfnic.h"
#include "trace.h"

/* The PF's half of VF n's mailbox, in its admin block. */
static void vfnic_pf_mbx_ctrl(VfnicState *s, unsigned fn, uint32_t val)
{
    VfnicFn *f = &s->fn[fn];
    bool was_ready = f->mbx_ctrl & VFNIC_MBX_PF_READY;

    if ((val & VFNIC_MBX_REQ) && (f->mbx_ctrl & VFNIC_MBX_REQ)) {
        f->mbx_ctrl &= ~VFNIC_MBX_REQ;
        trace_vfnic_mbx(fn - 1, "pf-ack");
        vfnic_raise(s, fn, VFNIC_INT_MBX);
    }
    if ((val & VFNIC_MBX_PFMSG) && !(f->mbx_ctrl & VFNIC_MBX_PFMSG)) {
        f->mbx_ctrl |= VFNIC_MBX_PFMSG;
        trace_vfnic_mbx(fn - 1, "pf-message");
        vfnic_raise(s, fn, VFNIC_INT_MBX);
    }
    /* PF_READY is a level: each write of the PF states it */
    f->mbx_ctrl = (f->mbx_ctrl & ~VFNIC_MBX_PF_READY) |
                  (val & VFNIC_MBX_PF_READY);
    if (was_ready && !(val & VFNIC_MBX_PF_READY)) {
        vfnic_raise(s, fn, VFNIC_INT_RESET);
    }
}

static uint64_t vfnic_adm_read(VfnicState *s, unsigned fn, hwaddr r)
{
    VfnicFn *f = &s->fn[fn];

    if (vfnic_in(r, VFNIC_ADM_MAC_FILTER, sizeof(f->mac_filter))) {
        return f->mac_filter[(r - VFNIC_ADM_MAC_FILTER) / 4];
    }
    if (vfnic_in(r, VFNIC_ADM_VLAN_FILTER, sizeof(f->vlan_filter))) {
        return f->vlan_filter[(r - VFNIC_ADM_VLAN_FILTER) / 4];
    }
    if (vfnic_in(r, VFNIC_ADM_STATS, VFNIC_STAT_COUNT * 8)) {
        return vfnic_stat_word(f->stats, VFNIC_STAT_COUNT,
                               r - VFNIC_ADM_STATS);
    }
    if (fn != VFNIC_FN_PF && (vfnic_in(r, VFNIC_MBX_VF2PF,
                                       VFNIC_MBX_BUF_SIZE * 2) ||
                              r == VFNIC_MBX_CTRL)) {
        return vfnic_fn_read(s, fn, r);
    }
    switch (r) {
    case VFNIC_ADM_MAC_LO:    return f->mac_lo;
    case VFNIC_ADM_MAC_HI:    return vfnic_mac_hi_read(f);
    case VFNIC_ADM_VLAN:      return f->vlan;
    case VFNIC_ADM_POLICY:    return f->policy;
    case VFNIC_ADM_TX_RATE:   return f->tx_rate;
    case VFNIC_ADM_MAX_FRAME: return f->max_frame;
    case VFNIC_ADM_NUM_QP:    return f->num_qp;
    }
    return 0;
}

static void vfnic_adm_write(VfnicState *s, unsigned fn, hwaddr r,
                            uint32_t val)
{
    VfnicFn *f = &s->fn[fn];

    if (vfnic_in(r, VFNIC_ADM_MAC_FILTER, sizeof(f->mac_filter))) {
        vfnic_fn_set_mac_filter(s, fn, (r - VFNIC_ADM_MAC_FILTER) / 4, val);
        return;
    }
    if (vfnic_in(r, VFNIC_ADM_VLAN_FILTER, sizeof(f->vlan_filter))) {
        f->vlan_filter[(r - VFNIC_ADM_VLAN_FILTER) / 4] = val;
        return;
    }
    if (fn != VFNIC_FN_PF && vfnic_in(r, VFNIC_MBX_PF2VF,
                                      VFNIC_MBX_BUF_SIZE)) {
        /* the VF owns the buffer from doorbell to acknowledgement */
        if (f->mbx_ctrl & VFNIC_MBX_PFMSG) {
            qemu_log_mask(LOG_GUEST_ERROR, "vfnic: vf %u: PF wrote the "
                          "mailbox before the VF took the last message\n",
                          fn - 1);
            return;
        }
        f->mbx_pf2vf[(r - VFNIC_MBX_PF2VF) / 4] = val;
        return;
    }
    switch (r) {
    case VFNIC_MBX_CTRL:
        if (fn != VFNIC_FN_PF) {
            vfnic_pf_mbx_ctrl(s, fn, val);
        }
        return;
    case VFNIC_ADM_MAC_LO:
        vfnic_fn_set_mac(s, fn, val, f->mac_hi);
        return;
    case VFNIC_ADM_MAC_HI:
        vfnic_fn_set_mac(s, fn, f->mac_lo,
                         val & (0xffff | VFNIC_MAC_VALID));
        return;
    case VFNIC_ADM_VLAN:
        f->vlan = val & (VFNIC_VLAN_VID_MASK | VFNIC_VLAN_PCP_MASK |
                         VFNIC_VLAN_QINQ | VFNIC_VLAN_ENABLE);
        return;
    case VFNIC_ADM_POLICY:
        if (((val & VFNIC_POL_LINK_MASK) >> VFNIC_POL_LINK_SHIFT) >
            VFNIC_LINK_DISABLE) {
            qemu_log_mask(LOG_GUEST_ERROR, "vfnic: fn %u: link state %u "
                          "invalid\n", fn, (val & VFNIC_POL_LINK_MASK) >>
                          VFNIC_POL_LINK_SHIFT);
            return;
        }
        vfnic_fn_set_policy(s, fn, val & (VFNIC_POL_SPOOFCHK |
                                          VFNIC_POL_TRUST |
                                          VFNIC_POL_PROMISC |
                                          VFNIC_POL_ALLMULTI |
                                          VFNIC_POL_LINK_MASK |
                                          VFNIC_POL_DISABLED));
        vfnic_update_links(s);
        return;
    case VFNIC_ADM_TX_RATE:
        f->tx_rate = val;
        f->tokens = 0;
        f->tokens_ns = -1;
        return;
    case VFNIC_ADM_MAX_FRAME:
        if (val < 64 || val > VFNIC_FRAME_MAX) {
            qemu_log_mask(LOG_GUEST_ERROR, "vfnic: fn %u: max frame %u "
                          "refused\n", fn, val);
            return;
        }
        f->max_frame = val;
        return;
    case VFNIC_ADM_CTRL:
        if (val & VFNIC_ADM_CTRL_QRESET) {
            /* the VF's rings stop whatever its driver does next */
            vfnic_fn_reset_queues(s, fn);
            trace_vfnic_queue_reset(fn);
        }
        return;
    case VFNIC_ADM_NUM_QP:
        if (val < 1 || val > vfnic_max_qp(fn)) {
            qemu_log_mask(LOG_GUEST_ERROR, "vfnic: fn %u: %u queue pairs "
                          "refused (1..%u)\n", fn, val, vfnic_max_qp(fn));
            return;
        }
        f->num_qp = val;
        return;
    }
    qemu_log_mask(LOG_GUEST_ERROR, "vfnic: admin block of fn %u: write to "
                  "read-only or unknown register 0x%" HWADDR_PRIx "\n", fn, r);
}

static uint64_t vfnic_glb_read(VfnicState *s, hwaddr addr)
{
    if (vfnic_in(addr, VFNIC_GLB_STATS, sizeof(s->gstats))) {
        return vfnic_stat_word(s->gstats, ARRAY_SIZE(s->gstats),
                               addr - VFNIC_GLB_STATS);
    }
    switch (addr) {
    case VFNIC_GLB_VERSION:   return VFNIC_VERSION;
    case VFNIC_GLB_TOTAL_VFS: return s->total_vfs;
    case VFNIC_GLB_NUM_VFS:   return vfnic_num_fn(s) - 1;
    case VFNIC_GLB_MBX_REQ_LO: return (uint32_t)s->mbx_req;
    case VFNIC_GLB_MBX_REQ_HI: return s->mbx_req >> 32;
    case VFNIC_GLB_MBX_ACK_LO: return (uint32_t)s->mbx_ack;
    case VFNIC_GLB_MBX_ACK_HI: return s->mbx_ack >> 32;
    case VFNIC_GLB_VFLR_LO:   return (uint32_t)s->vflr;
    case VFNIC_GLB_VFLR_HI:   return s->vflr >> 32;
    case VFNIC_GLB_UPLINK:    return vfnic_uplink_up(s);
    case VFNIC_GLB_SWITCH:    return s->glb_switch;
    }
    return vfnic_tgen_read(s, addr);
}

static void vfnic_w1c64(uint64_t *reg, bool hi, uint32_t val)
{
    *reg &= ~((uint64_t)val << (hi ? 32 : 0));
}

static void vfnic_glb_write(VfnicState *s, hwaddr addr, uint32_t val)
{
    switch (addr) {
    case VFNIC_GLB_MBX_REQ_LO:
    case VFNIC_GLB_MBX_REQ_HI:
        vfnic_w1c64(&s->mbx_req, addr == VFNIC_GLB_MBX_REQ_HI, val);
        return;
    case VFNIC_GLB_MBX_ACK_LO:
    case VFNIC_GLB_MBX_ACK_HI:
        vfnic_w1c64(&s->mbx_ack, addr == VFNIC_GLB_MBX_ACK_HI, val);
        return;
    case VFNIC_GLB_VFLR_LO:
    case VFNIC_GLB_VFLR_HI:
        vfnic_w1c64(&s->vflr, addr == VFNIC_GLB_VFLR_HI, val);
        return;
    case VFNIC_GLB_SWITCH:
        s->glb_switch = val & VFNIC_SWITCH_VEB;
        return;
    }
    if (vfnic_tgen_write(s, addr, val)) {
        return;
    }
    qemu_log_mask(LOG_GUEST_ERROR, "vfnic: write to read-only or unknown "
                  "global register 0x%" HWADDR_PRIx "\n", addr);
}

static bool vfnic_adm_addr(hwaddr addr, unsigned *fn, hwaddr *r)
{
    if (addr < VFNIC_ADM_BASE) {
        return false;
    }
    *fn = (addr - VFNIC_ADM_BASE) / VFNIC_ADM_STRIDE;
    *r = (addr - VFNIC_ADM_BASE) % VFNIC_ADM_STRIDE;
    return *fn < VFNIC_NUM_FN;
}

bool vfnic_reentered(VfnicState *s, hwaddr addr)
{
    if (s->in_dma) {
        qemu_log_mask(LOG_GUEST_ERROR, "vfnic: DMA into vfnic registers "
                      "or config space (0x%" HWADDR_PRIx ") ignored\n",
                      addr);
        return true;
    }
    return false;
}

static uint64_t vfnic_pf_mmio_read(void *opaque, hwaddr addr, unsigned size)
{
    VfnicState *s = opaque;
    unsigned fn;
    hwaddr r;

    if (vfnic_reentered(s, addr)) {
        return 0;
    }
    if (addr < VFNIC_FN_BLOCK_SIZE) {
        return vfnic_fn_read(s, VFNIC_FN_PF, addr);
    }
    if (vfnic_in(addr, VFNIC_GLB_VERSION, 0x1000)) {
        return vfnic_glb_read(s, addr);
    }
    if (vfnic_adm_addr(addr, &fn, &r)) {
        return vfnic_adm_read(s, fn, r);
    }
    return 0;
}

static void vfnic_pf_mmio_write(void *opaque, hwaddr addr, uint64_t val,
                                unsigned size)
{
    VfnicState *s = opaque;
    unsigned fn;
    hwaddr r;

    if (vfnic_reentered(s, addr)) {
        return;
    }
    if (addr < VFNIC_FN_BLOCK_SIZE) {
        vfnic_fn_write(s, VFNIC_FN_PF, addr, val);
    } else if (vfnic_in(addr, VFNIC_GLB_VERSION, 0x1000)) {
        vfnic_glb_write(s, addr, val);
    } else if (vfnic_adm_addr(addr, &fn, &r)) {
        trace_vfnic_adm_write(fn, r, val);
        vfnic_adm_write(s, fn, r, val);
    } else {
        qemu_log_mask(LOG_GUEST_ERROR, "vfnic: write to unmapped PF "
                      "register 0x%" HWADDR_PRIx "\n", addr);
    }
}

const MemoryRegionOps vfnic_pf_mmio_ops = {
    .read = vfnic_pf_mmio_read,
    .write = vfnic_pf_mmio_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {
        .min_access_size = 4,
        .max_access_size = 4,
    },
    .impl = {
        .min_access_size = 4,
        .max_access_size = 4,
    },
};
