/*
 * vfnic: the traffic generator, the wire's stand-in (hardware.md 10.1).
 *
 * A NIC's receive and forwarding rates are measured with a tester on the
 * other end of the cable, so that what feeds the port costs the host
 * under test nothing. The emulated card's cable ends in QEMU: frames from
 * a netdev cost a host thread per frame, and frames from another function
 * cost the guest that sends them. The generator instead builds its frames
 * in the device and hands them to the switch the way the uplink does, a
 * burst per pass of the polling loop (vfnic_poll.c): it is as fast as the
 * device, which is what a port's receive path is measured against.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "qemu/log.h"
#include "net/eth.h"
#include "migration/vmstate.h"
#include "vfnic.h"
#include "trace.h"

/* frames a pass: a burst, as a tester sends them, no more per pass */
#define VFNIC_TGEN_BURST        32

bool vfnic_tgen_on(VfnicState *s)
{
    return s->tgen.ctrl & VFNIC_TGEN_ENABLE;
}

void vfnic_tgen_reset(VfnicState *s)
{
    VfnicTgen *t = &s->tgen;

    t->ctrl = 0;
    t->len = VFNIC_TGEN_LEN_MIN;
    t->dst_lo = t->dst_hi = 0;
    t->count = t->sent = 0;
}

uint32_t vfnic_tgen_read(VfnicState *s, hwaddr addr)
{
    VfnicTgen *t = &s->tgen;

    switch (addr) {
    case VFNIC_GLB_TGEN_CTRL:     return t->ctrl;
    case VFNIC_GLB_TGEN_LEN:      return t->len;
    case VFNIC_GLB_TGEN_DST_LO:   return t->dst_lo;
    case VFNIC_GLB_TGEN_DST_HI:   return t->dst_hi;
    case VFNIC_GLB_TGEN_COUNT_LO: return (uint32_t)t->count;
    case VFNIC_GLB_TGEN_COUNT_HI: return t->count >> 32;
    case VFNIC_GLB_TGEN_SENT_LO:  return (uint32_t)t->sent;
    case VFNIC_GLB_TGEN_SENT_HI:  return t->sent >> 32;
    }
    return 0;
}

static void vfnic_set_half(uint64_t *reg, bool hi, uint32_t val)
{
    unsigned shift = hi ? 32 : 0;

    *reg = (*reg & ~((uint64_t)UINT32_MAX << shift)) |
           (uint64_t)val << shift;
}

/* False for an address that is not the generator's, or read-only. */
bool vfnic_tgen_write(VfnicState *s, hwaddr addr, uint32_t val)
{
    VfnicTgen *t = &s->tgen;

    switch (addr) {
    case VFNIC_GLB_TGEN_CTRL:
        if (!(val & VFNIC_TGEN_ENABLE)) {
            t->ctrl = 0;
        } else if (!vfnic_tgen_on(s)) {
            t->sent = 0;
            t->ctrl = VFNIC_TGEN_ENABLE;
            vfnic_poll_start(s);
        }
        trace_vfnic_tgen(t->ctrl, t->len, t->count);
        return true;
    case VFNIC_GLB_TGEN_LEN:
        if (val < VFNIC_TGEN_LEN_MIN || val > VFNIC_TGEN_LEN_MAX) {
            qemu_log_mask(LOG_GUEST_ERROR, "vfnic: generator frame length "
                          "%u outside %u-%u, ignored\n", val,
                          VFNIC_TGEN_LEN_MIN, VFNIC_TGEN_LEN_MAX);
            return true;
        }
        t->len = val;
        return true;
    case VFNIC_GLB_TGEN_DST_LO:
        t->dst_lo = val;
        return true;
    case VFNIC_GLB_TGEN_DST_HI:
        t->dst_hi = val & 0xffff;
        return true;
    case VFNIC_GLB_TGEN_COUNT_LO:
    case VFNIC_GLB_TGEN_COUNT_HI:
        vfnic_set_half(&t->count, addr == VFNIC_GLB_TGEN_COUNT_HI, val);
        return true;
    }
    return false;
}

/*
 * Offer one burst to the switch. True if a port took any of it: a pass
 * whose frames all found full rings (or no destination) ends the polling
 * slice, so that a receiver slower than the generator does not leave the
 * loop spinning on frames it can only drop, on a core its own vCPU needs.
 */
bool vfnic_tgen_pass(VfnicState *s)
{
    static const uint8_t src[ETH_ALEN] = VFNIC_TGEN_SRC_MAC;
    VfnicTgen *t = &s->tgen;
    uint64_t n = VFNIC_TGEN_BURST, i;
    bool taken = false;
    VfnicRoute rt;

    if (!vfnic_tgen_on(s)) {
        return false;
    }
    if (t->count) {
        /* COUNT may have been lowered below SENT while it ran */
        n = t->sent < t->count ? MIN(n, t->count - t->sent) : 0;
    }
    stl_le_p(t->frame, t->dst_lo);
    stw_le_p(t->frame + 4, t->dst_hi);
    memcpy(t->frame + ETH_ALEN, src, ETH_ALEN);
    stw_be_p(t->frame + 2 * ETH_ALEN, VFNIC_TGEN_ETHERTYPE);
    /* the frames differ only in their number, after the header: one route */
    vfnic_switch_route_uplink(s, t->frame, t->len, &rt);
    for (i = 0; i < n; i++) {
        stl_be_p(t->frame + ETH_HLEN, t->sent);
        taken |= vfnic_switch_send(s, &rt, t->frame, t->len);
        t->sent++;
    }
    if (t->count && t->sent >= t->count) {
        t->ctrl = 0;
        trace_vfnic_tgen(t->ctrl, t->len, t->count);
    }
    return taken;
}

static bool vfnic_tgen_needed(void *opaque)
{
    VfnicState *s = opaque;
    VfnicTgen *t = &s->tgen;

    return t->ctrl || t->len != VFNIC_TGEN_LEN_MIN || t->dst_lo ||
           t->dst_hi || t->count || t->sent;
}

static int vfnic_tgen_post_load(void *opaque, int version_id)
{
    VfnicState *s = opaque;
    VfnicTgen *t = &s->tgen;

    if (t->len < VFNIC_TGEN_LEN_MIN || t->len > VFNIC_TGEN_LEN_MAX ||
        t->dst_hi > 0xffff || (t->ctrl & ~VFNIC_TGEN_ENABLE)) {
        return -EINVAL;
    }
    return 0;
}

/* Only a card whose generator was touched needs this section. */
const VMStateDescription vmstate_vfnic_tgen = {
    .name = "vfnic/tgen",
    .version_id = 1,
    .minimum_version_id = 1,
    .needed = vfnic_tgen_needed,
    .post_load = vfnic_tgen_post_load,
    .fields = (VMStateField[]) {
        VMSTATE_UINT32(tgen.ctrl, VfnicState),
        VMSTATE_UINT32(tgen.len, VfnicState),
        VMSTATE_UINT32(tgen.dst_lo, VfnicState),
        VMSTATE_UINT32(tgen.dst_hi, VfnicState),
        VMSTATE_UINT64(tgen.count, VfnicState),
        VMSTATE_UINT64(tgen.sent, VfnicState),
        VMSTATE_END_OF_LIST()
    }
};
