/*
 * vfnic: the internal switch (VEB) and the per-function policy the PF
 * programs into the admin blocks: anti-spoof, port VLAN, rate, link state.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bitmap.h"
#include "qemu/timer.h"
#include "net/eth.h"
#include "vfnic.h"
#include "trace.h"

#define VFNIC_SRC_UPLINK    UINT_MAX
/* Shaper burst: what the rate allows in this long, at least 2 frames. */
#define VFNIC_SHAPER_BURST_NS   (1 * SCALE_MS)

enum {
    VFNIC_NO = 0,
    VFNIC_YES_FILTER,           /* the function's own address or filter */
    VFNIC_YES_FLOOD,            /* broadcast, multicast or promiscuous */
};

typedef struct VfnicFrameInfo {
    const uint8_t *dst;
    bool tagged;
    uint16_t tpid;
    uint16_t vid;
} VfnicFrameInfo;

static void vfnic_frame_info(const uint8_t *buf, size_t len,
                             VfnicFrameInfo *fi)
{
    uint16_t etype = lduw_be_p(buf + 12);

    fi->dst = buf;
    fi->tagged = (etype == ETH_P_VLAN || etype == ETH_P_DVLAN) &&
                 len >= ETH_HLEN + VFNIC_TAG_LEN;
    fi->tpid = fi->tagged ? etype : 0;
    fi->vid = fi->tagged ? lduw_be_p(buf + 14) & VFNIC_VLAN_VID_MASK : 0;
}

static bool vfnic_mac_is(uint32_t lo, uint32_t hi, const uint8_t *mac)
{
    return (hi & VFNIC_MAC_VALID) && ldl_le_p(mac) == lo &&
           lduw_le_p(mac + 4) == (hi & 0xffff);
}

/* The function's MAC or one of its unicast filters. */
static bool vfnic_fn_owns_mac(const VfnicFn *f, const uint8_t *mac)
{
    unsigned i;

    if (vfnic_mac_is(f->mac_lo, f->mac_hi, mac)) {
        return true;
    }
    for (i = 0; i < VFNIC_ADM_MAC_FILTERS; i++) {
        if (vfnic_mac_is(f->mac_filter[2 * i], f->mac_filter[2 * i + 1],
                         mac)) {
            return true;
        }
    }
    return false;
}

static bool vfnic_vlan_allowed(const VfnicFn *f, uint16_t vid)
{
    return f->vlan_filter[vid / 32] & (1u << (vid % 32));
}

static uint16_t vfnic_port_tpid(const VfnicFn *f)
{
    return f->vlan & VFNIC_VLAN_QINQ ? ETH_P_DVLAN : ETH_P_VLAN;
}

bool vfnic_fn_link_up(VfnicState *s, unsigned fn)
{
    const VfnicFn *f = &s->fn[fn];

    if (fn == VFNIC_FN_PF) {
        return vfnic_uplink_up(s);
    }
    if (f->policy & VFNIC_POL_DISABLED) {
        return false;
    }
    switch ((f->policy & VFNIC_POL_LINK_MASK) >> VFNIC_POL_LINK_SHIFT) {
    case VFNIC_LINK_ENABLE:
        return true;
    case VFNIC_LINK_DISABLE:
        return false;
    }
    return vfnic_uplink_up(s);
}

/* Would fn receive this frame, and why? */
static int vfnic_fn_accepts(VfnicState *s, unsigned fn,
                            const VfnicFrameInfo *fi)
{
    const VfnicFn *f = &s->fn[fn];
    bool promisc = f->policy & VFNIC_POL_PROMISC;

    if (!vfnic_fn_link_up(s, fn)) {
        return VFNIC_NO;
    }
    if (f->vlan & VFNIC_VLAN_ENABLE) {
        if (!fi->tagged || fi->tpid != vfnic_port_tpid(f) ||
            fi->vid != (f->vlan & VFNIC_VLAN_VID_MASK)) {
            return VFNIC_NO;
        }
    } else if (fi->tagged && fi->vid && !promisc &&
               (fi->tpid != ETH_P_VLAN || !vfnic_vlan_allowed(f, fi->vid))) {
        return VFNIC_NO;
    }
    if (fi->dst[0] & 1) {
        return VFNIC_YES_FLOOD;
    }
    if (vfnic_fn_owns_mac(f, fi->dst)) {
        return VFNIC_YES_FILTER;
    }
    return promisc ? VFNIC_YES_FLOOD : VFNIC_NO;
}

static uint64_t vfnic_fdb_key(uint32_t lo, uint32_t hi)
{
    return (uint64_t)(hi & 0xffff) << 32 | lo | 1ULL << 48;
}

static unsigned vfnic_fdb_hash(uint64_t key)
{
    return (key * 0x9e3779b97f4a7c15ULL) >> 53;    /* 11 bits */
}

static void vfnic_fdb_add(VfnicState *s, unsigned fn, uint32_t lo,
                          uint32_t hi)
{
    uint64_t key = vfnic_fdb_key(lo, hi);
    unsigned i = vfnic_fdb_hash(key);

    if (!(hi & VFNIC_MAC_VALID)) {
        return;
    }
    while (s->fdb[i].key) {
        i = (i + 1) & (VFNIC_FDB_SIZE - 1);
    }
    s->fdb[i].key = key;
    s->fdb[i].fn = fn;
}

static void vfnic_fdb_build(VfnicState *s)
{
    unsigned fn, i;

    /* every address fits with slots to spare, so a probe always ends */
    QEMU_BUILD_BUG_ON(VFNIC_FDB_SIZE <
                      2 * VFNIC_NUM_FN * (1 + VFNIC_ADM_MAC_FILTERS) * 9 / 10);

    memset(s->fdb, 0, sizeof(s->fdb));
    bitmap_zero(s->fdb_promisc, VFNIC_NUM_FN);
    for (fn = 0; fn < VFNIC_NUM_FN; fn++) {
        const VfnicFn *f = &s->fn[fn];

        vfnic_fdb_add(s, fn, f->mac_lo, f->mac_hi);
        for (i = 0; i < VFNIC_ADM_MAC_FILTERS; i++) {
            vfnic_fdb_add(s, fn, f->mac_filter[2 * i],
                          f->mac_filter[2 * i + 1]);
        }
        if (f->policy & VFNIC_POL_PROMISC) {
            set_bit(fn, s->fdb_promisc);
        }
    }
    s->fdb_valid = true;
}

/* The functions that may take a frame to dst: a superset, in fn order. */
static void vfnic_fdb_candidates(VfnicState *s, const uint8_t *dst,
                                 unsigned long *cand)
{
    uint64_t key = vfnic_fdb_key(ldl_le_p(dst), lduw_le_p(dst + 4));
    unsigned i;

    if (dst[0] & 1) {
        bitmap_fill(cand, VFNIC_NUM_FN);
        return;
    }
    if (!s->fdb_valid) {
        vfnic_fdb_build(s);
    }
    bitmap_copy(cand, s->fdb_promisc, VFNIC_NUM_FN);
    for (i = vfnic_fdb_hash(key); s->fdb[i].key;
         i = (i + 1) & (VFNIC_FDB_SIZE - 1)) {
        if (s->fdb[i].key == key) {
            set_bit(s->fdb[i].fn, cand);
        }
    }
}

/*
 * The table is built from each function's MAC, its unicast filters and
 * its PROMISC bit, and those are written only here: a write that changes
 * a bit the build reads invalidates it, so a lookup only tests fdb_valid.
 */
static void vfnic_fdb_input_set(VfnicState *s, uint32_t *input,
                                uint32_t val, uint32_t used)
{
    if ((*input ^ val) & used) {
        s->fdb_valid = false;
    }
    *input = val;
}

void vfnic_fn_set_mac(VfnicState *s, unsigned fn, uint32_t lo, uint32_t hi)
{
    vfnic_fdb_input_set(s, &s->fn[fn].mac_lo, lo, UINT32_MAX);
    vfnic_fdb_input_set(s, &s->fn[fn].mac_hi, hi, 0xffff | VFNIC_MAC_VALID);
}

/* word: the ADM_MAC_FILTER word, LO of filter word / 2 if even, else HI */
void vfnic_fn_set_mac_filter(VfnicState *s, unsigned fn, unsigned word,
                             uint32_t val)
{
    vfnic_fdb_input_set(s, &s->fn[fn].mac_filter[word], val,
                        word & 1 ? 0xffff | VFNIC_MAC_VALID : UINT32_MAX);
}

void vfnic_fn_set_policy(VfnicState *s, unsigned fn, uint32_t policy)
{
    vfnic_fdb_input_set(s, &s->fn[fn].policy, policy, VFNIC_POL_PROMISC);
}

/* The inputs were replaced behind the setters' back: an incoming migration. */
void vfnic_fdb_changed(VfnicState *s)
{
    s->fdb_valid = false;
}

/*
 * Where a frame that entered the switch from src (a function or the
 * uplink) goes: the functions that take it, and whether the uplink does.
 */
static void vfnic_route(VfnicState *s, unsigned src, const uint8_t *buf,
                        size_t len, VfnicRoute *rt)
{
    VfnicFrameInfo fi;
    DECLARE_BITMAP(cand, VFNIC_NUM_FN);
    unsigned fn, n = vfnic_num_fn(s);
    bool owned = false;
    bool local = src == VFNIC_SRC_UPLINK || (s->glb_switch & VFNIC_SWITCH_VEB);

    rt->src = src;
    bitmap_zero(rt->fns, VFNIC_NUM_FN);
    vfnic_frame_info(buf, len, &fi);
    if (local) {
        vfnic_fdb_candidates(s, fi.dst, cand);
    }
    for (fn = local ? find_first_bit(cand, n) : n; fn < n;
         fn = find_next_bit(cand, n, fn + 1)) {
        int why;

        if (fn == src) {
            continue;
        }
        why = vfnic_fn_accepts(s, fn, &fi);
        if (why == VFNIC_NO) {
            continue;
        }
        owned |= why == VFNIC_YES_FILTER;
        set_bit(fn, rt->fns);
    }
    /* the uplink gets what no local function owns, and all flooding */
    rt->uplink = src != VFNIC_SRC_UPLINK && !owned && vfnic_uplink_up(s);
}

/*
 * Hand a frame to the ports rt names; true when one took it (a function's
 * ring or the uplink). Nothing a delivery does changes a route: the
 * functions' policy, links, addresses and number change only in register
 * and config writes, which the device refuses from its own DMA and MSI-X
 * messages while it is in an entry (vfnic_reentered()).
 */
bool vfnic_switch_send(VfnicState *s, const VfnicRoute *rt,
                       const uint8_t *buf, size_t len)
{
    unsigned fn, n = vfnic_num_fn(s);
    bool taken = false;

    for (fn = find_first_bit(rt->fns, n); fn < n;
         fn = find_next_bit(rt->fns, n, fn + 1)) {
        trace_vfnic_switch(rt->src, fn, len);
        taken |= vfnic_rx_deliver(s, fn, buf, len,
                                  s->fn[fn].vlan & VFNIC_VLAN_ENABLE);
    }
    if (rt->uplink) {
        vfnic_uplink_send(s, buf, len);
        taken = true;
    }
    if (!taken) {
        s->gstats[VFNIC_GSTAT_NO_DEST / 8]++;
    }
    return taken;
}

void vfnic_switch_route_uplink(VfnicState *s, const uint8_t *buf, size_t len,
                               VfnicRoute *rt)
{
    assert(len >= ETH_HLEN);
    vfnic_route(s, VFNIC_SRC_UPLINK, buf, len, rt);
}

bool vfnic_switch_from_uplink(VfnicState *s, const uint8_t *buf, size_t len)
{
    VfnicRoute rt;

    if (len < ETH_HLEN) {
        return false;
    }
    vfnic_switch_route_uplink(s, buf, len, &rt);
    return vfnic_switch_send(s, &rt, buf, len);
}

/* Anti-spoof: a VF may only send from its own MAC and VLANs. */
static bool vfnic_spoofed(const VfnicFn *f, const VfnicFrameInfo *fi,
                          const uint8_t *src)
{
    if (!vfnic_fn_owns_mac(f, src)) {
        return true;
    }
    if (f->vlan & VFNIC_VLAN_ENABLE) {
        return fi->tagged;      /* the port VLAN is the device's to add */
    }
    return fi->tagged && fi->vid && !vfnic_vlan_allowed(f, fi->vid);
}

/*
 * The route of a frame fn sent: last's, when the frame's header matches
 * everything vfnic_route() reads of the last one (its destination, and
 * its tag's TPID and TCI, which a frame this long has in full).
 */
static const VfnicRoute *vfnic_route_tx(VfnicState *s, unsigned fn,
                                        const uint8_t *frame, size_t len,
                                        VfnicTxRoute *last)
{
    uint16_t etype;
    uint32_t tag;

    if (len < ETH_HLEN + VFNIC_TAG_LEN) {
        last->valid = false;
        vfnic_route(s, fn, frame, len, &last->rt);
        return &last->rt;
    }
    /* an untagged frame's EtherType plays no part: ARP between IP shares */
    etype = lduw_be_p(frame + 12);
    tag = etype == ETH_P_VLAN || etype == ETH_P_DVLAN ?
          (uint32_t)etype << 16 | lduw_be_p(frame + 14) : 0;
    if (!last->valid || last->tag != tag ||
        memcmp(last->dst, frame, ETH_ALEN)) {
        vfnic_route(s, fn, frame, len, &last->rt);
        memcpy(last->dst, frame, ETH_ALEN);
        last->tag = tag;
        last->valid = true;
    }
    return &last->rt;
}

/*
 * A frame fn transmitted. frame has VFNIC_TAG_LEN bytes of headroom in
 * front of it, where a port VLAN tag may be inserted. last carries the
 * route of the frame before it in the same vfnic_tx_ring() call.
 */
void vfnic_switch_from_fn(VfnicState *s, unsigned fn, uint8_t *frame,
                          size_t len, VfnicTxRoute *last)
{
    VfnicFn *f = &s->fn[fn];
    VfnicFrameInfo fi;

    if (len < ETH_HLEN) {
        vfnic_stat_add(f, VFNIC_STAT_TX_ERR, 1);
        return;
    }
    if (fn != VFNIC_FN_PF && !vfnic_fn_link_up(s, fn)) {
        vfnic_stat_add(f, VFNIC_STAT_TX_DROP, 1);
        return;
    }
    vfnic_frame_info(frame, len, &fi);
    if (fn != VFNIC_FN_PF && (f->policy & VFNIC_POL_SPOOFCHK) &&
        vfnic_spoofed(f, &fi, frame + ETH_ALEN)) {
        trace_vfnic_spoof(fn - 1);
        vfnic_stat_add(f, VFNIC_STAT_TX_SPOOF, 1);
        return;
    }
    if (len > f->max_frame + (fi.tagged ? VFNIC_TAG_LEN : 0)) {
        vfnic_stat_add(f, VFNIC_STAT_TX_ERR, 1);
        return;
    }
    if ((f->vlan & VFNIC_VLAN_ENABLE) && !fi.tagged) {
        uint16_t tci = (f->vlan & VFNIC_VLAN_VID_MASK) |
                       ((f->vlan & VFNIC_VLAN_PCP_MASK) >>
                        VFNIC_VLAN_PCP_SHIFT) << 13;
        uint8_t *p = frame - VFNIC_TAG_LEN;

        memmove(p, frame, 2 * ETH_ALEN);
        stw_be_p(p + 12, vfnic_port_tpid(f));
        stw_be_p(p + 14, tci);
        frame = p;
        len += VFNIC_TAG_LEN;
    }

    vfnic_shaper_charge(s, fn, len);
    vfnic_stat_add(f, VFNIC_STAT_TX_PKTS, 1);
    vfnic_stat_add(f, VFNIC_STAT_TX_BYTES, len);
    if (frame[0] & 1) {
        vfnic_stat_add(f, is_broadcast_ether_addr(frame) ?
                       VFNIC_STAT_TX_BCAST : VFNIC_STAT_TX_MCAST, 1);
    }
    vfnic_switch_send(s, vfnic_route_tx(s, fn, frame, len, last), frame,
                      len);
}

static void vfnic_shaper_refill(VfnicFn *f, int64_t now)
{
    int64_t burst = MAX((int64_t)f->tx_rate * VFNIC_SHAPER_BURST_NS / 8000,
                        2 * VFNIC_FRAME_MAX);
    int64_t earned;

    if (f->tokens_ns < 0) {
        f->tokens = burst;
        f->tokens_ns = now;
        return;
    }
    /* rate is in Mbit/s: a byte takes 8000 / rate ns */
    earned = (now - f->tokens_ns) * f->tx_rate / 8000;
    f->tokens += earned;
    /* advance only by the time whole bytes took, so no fraction is lost */
    f->tokens_ns += earned * 8000 / f->tx_rate;
    if (f->tokens >= burst) {
        f->tokens = burst;
        f->tokens_ns = now;
    }
}

/* May fn send now? If not, the shaper timer will kick its rings later. */
bool vfnic_shaper_allows(VfnicState *s, unsigned fn)
{
    VfnicFn *f = &s->fn[fn];
    int64_t now;

    if (!f->tx_rate) {
        return true;
    }
    now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    vfnic_shaper_refill(f, now);
    if (f->tokens > 0) {
        return true;
    }
    /*
     * Wake when the first token is earned: 1 - tokens bytes counted from
     * tokens_ns, rounded up. Counting from now and rounding down woke the
     * timer before that, with tokens at 0, and it then re-armed every
     * nanosecond until a whole byte was earned (8000 / rate ns): at
     * 1 Mbit/s, 8000 timer runs, each kicking every ring and raising its
     * interrupt, whenever a VF's backlog reached the rate.
     */
    timer_mod_anticipate(s->shaper, f->tokens_ns +
                         DIV_ROUND_UP((1 - f->tokens) * 8000, f->tx_rate));
    return false;
}

void vfnic_shaper_charge(VfnicState *s, unsigned fn, size_t len)
{
    if (s->fn[fn].tx_rate) {
        s->fn[fn].tokens -= len;
    }
}
