/*
 * The model harness's invariants (fuzz_model.c runs them): what must hold
 * after every device entry (an MMIO access, a config write, a frame from
 * the wire, a link change, a timer), beyond ASan and UBSan:
 *  - the entry left no RCU read lock, rx cache or DMA nesting behind, and
 *    no more DMA windows open than the model keeps (VFNIC_DMA_WINS);
 *  - every byte of guest memory the entry changed was written by a
 *    function into one of its own rings enabled before the entry, or into
 *    an rx buffer one of those rings' descriptors gave it, within the
 *    buffer size, and reported dirty (fake_dma.c);
 *  - every ring is stopped, enabled with valid geometry and head and tail
 *    inside it, or in error; no function that does not exist has a ring
 *    enabled or a mailbox bit set; interrupt causes are defined ones; each
 *    function's link state is the one it was last told of;
 *  - a MAC table the switch takes as current is the one its inputs give;
 *  - a frame a VF sends onto the wire passes anti-spoofing (its MAC or a
 *    filter, its port VLAN tag), and no frame from the wire goes back out;
 *  - every expiry of the shaper's timer lets a frame go;
 *  - a system reset leaves every function as a freshly reset device.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "hw/pci/pci.h"
#include "hw/pci/pcie_sriov.h"
#include "net/eth.h"
#include "vfnic.h"
#include "fake_qemu.h"
#include "fuzz_check.h"
#include "fuzz_invariants.h"

static VfnicState *s;
static VfnicFn *golden;         /* every function after a device reset */
/* rings enabled when the current entry began, a bit per queue pair */
static uint16_t rx_on[VFNIC_NUM_FN], tx_on[VFNIC_NUM_FN];

void invariants_init(VfnicState *dev)
{
    s = dev;
    if (!golden) {
        golden = g_memdup2(s->fn, sizeof(s->fn));
    }
}

static unsigned dev_fn(PCIDevice *d)
{
    return pci_is_vf(d) ? VFNIC_VF_TO_FN(pcie_sriov_vf_number(d)) : 0;
}

/*
 * What a function may write in guest memory: its rings that were enabled
 * when the entry began, the buffers their rx descriptors named then, and
 * the doorbell-wanted words of its tx tails in memory.
 * Ranges wrap at 2^64, as the device's address (and QEMU's DMA loop) do:
 * a buffer at 0xffffffffffffffff continues at 0.
 */
static uint64_t allowed(PCIDevice *d, uint64_t addr)
{
    unsigned fn = dev_fn(d), q, i;
    VfnicFn *f = &s->fn[fn];
    uint64_t words = (f->tx_shadow & ~(uint64_t)(VFNIC_TX_SHADOW_ALIGN - 1)) +
                     VFNIC_TX_SHADOW_WANTED(0);

    if ((f->tx_shadow & VFNIC_TX_SHADOW_ENABLE) &&
        addr - words < VFNIC_MAX_QP * 4) {
        return VFNIC_MAX_QP * 4 - (addr - words);
    }
    for (q = 0; q < VFNIC_MAX_QP; q++) {
        VfnicRing *rx = &f->qp[q].rx, *tx = &f->qp[q].tx;
        uint64_t size;

        if (tx_on[fn] & (1u << q)) {
            size = (uint64_t)tx->len * VFNIC_DESC_SIZE;
            if (addr - tx->base < size) {
                return size - (addr - tx->base);
            }
        }
        if (!(rx_on[fn] & (1u << q))) {
            continue;
        }
        size = (uint64_t)rx->len * VFNIC_DESC_SIZE;
        if (addr - rx->base < size) {
            return size - (addr - rx->base);
        }
        for (i = 0; i < rx->len; i++) {
            uint64_t buf = fake_guest_ldq(rx->base + i * VFNIC_DESC_SIZE +
                                          VFNIC_RXD_ADDR);

            if (addr - buf < rx->buf_size) {
                return rx->buf_size - (addr - buf);
            }
        }
    }
    return 0;
}

void entry_begin(int sender)
{
    unsigned fn, q, n = vfnic_num_fn(s);

    /* only functions that exist can DMA */
    memset(rx_on, 0, sizeof(rx_on));
    memset(tx_on, 0, sizeof(tx_on));
    for (fn = 0; fn < n; fn++) {
        rx_on[fn] = tx_on[fn] = 0;
        for (q = 0; q < VFNIC_MAX_QP; q++) {
            if (s->fn[fn].qp[q].rx.ctrl & VFNIC_Q_CTRL_ENABLE) {
                rx_on[fn] |= 1u << q;
            }
            if (s->fn[fn].qp[q].tx.ctrl & VFNIC_Q_CTRL_ENABLE) {
                tx_on[fn] |= 1u << q;
            }
        }
    }
    fake_sender = sender;
    fake_dma_entry_begin();
}

static void check_ring(unsigned fn, unsigned q, const char *dir,
                       const VfnicRing *r, bool rx, bool exists)
{
    CHECK(r->ctrl == 0 || r->ctrl == VFNIC_Q_CTRL_ENABLE ||
          r->ctrl == VFNIC_Q_CTRL_ERROR, "fn %u %s %u ctrl 0x%x", fn, dir,
          q, r->ctrl);
    if (!(r->ctrl & VFNIC_Q_CTRL_ENABLE)) {
        return;
    }
    CHECK(exists, "fn %u %s %u enabled on a function that does not exist",
          fn, dir, q);
    CHECK(is_power_of_2(r->len) && r->len >= VFNIC_Q_LEN_MIN &&
          r->len <= VFNIC_Q_LEN_MAX && !(r->base & (VFNIC_DESC_SIZE - 1)),
          "fn %u %s %u enabled with len %u base 0x%" PRIx64, fn, dir, q,
          r->len, r->base);
    CHECK(r->head < r->len && r->tail < r->len,
          "fn %u %s %u head %u tail %u len %u", fn, dir, q, r->head,
          r->tail, r->len);
    CHECK(!rx || (r->buf_size >= VFNIC_RX_BUF_MIN &&
                  r->buf_size <= VFNIC_RX_BUF_MAX),
          "fn %u rx %u buffer size %u", fn, q, r->buf_size);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

/* Append fn's (address, function) pair if the address is valid. */
static unsigned fdb_pair(uint64_t *pairs, unsigned n, unsigned fn,
                         uint32_t lo, uint32_t hi)
{
    if (hi & VFNIC_MAC_VALID) {
        pairs[n++] = ((uint64_t)(hi & 0xffff) << 32 | lo) << 8 | fn;
    }
    return n;
}

static void fdb_print(const char *who, const uint64_t *pairs, unsigned n,
                      unsigned i)
{
    if (i < n) {
        fprintf(stderr, "first difference: %s fn %u at MAC_LO 0x%08x "
                "MAC_HI 0x%04x\n", who, (unsigned)(pairs[i] & 0xff),
                (uint32_t)(pairs[i] >> 8), (unsigned)(pairs[i] >> 40));
    }
}

/*
 * Between rebuilds the switch trusts its MAC table: a valid one holds
 * exactly the (address, function) pairs of every function's MAC and valid
 * filters, and its promiscuous set is the functions with PROMISC. A write
 * of one of those that did not invalidate the table shows here.
 */
static void check_fdb(void)
{
    static uint64_t want[VFNIC_NUM_FN * (1 + VFNIC_ADM_MAC_FILTERS)];
    static uint64_t have[VFNIC_FDB_SIZE];
    unsigned fn, i, nw = 0, nh = 0;

    if (!s->fdb_valid) {
        return;
    }
    for (fn = 0; fn < VFNIC_NUM_FN; fn++) {
        const VfnicFn *f = &s->fn[fn];

        nw = fdb_pair(want, nw, fn, f->mac_lo, f->mac_hi);
        for (i = 0; i < VFNIC_ADM_MAC_FILTERS; i++) {
            nw = fdb_pair(want, nw, fn, f->mac_filter[2 * i],
                          f->mac_filter[2 * i + 1]);
        }
        CHECK(test_bit(fn, s->fdb_promisc) == !!(f->policy &
                                                 VFNIC_POL_PROMISC),
              "fn %u: MAC table's promiscuous bit %d, policy 0x%x", fn,
              test_bit(fn, s->fdb_promisc), f->policy);
    }
    for (i = 0; i < VFNIC_FDB_SIZE; i++) {
        if (s->fdb[i].key) {
            have[nh++] = (s->fdb[i].key & MAKE_64BIT_MASK(0, 48)) << 8 |
                         s->fdb[i].fn;
        }
    }
    qsort(want, nw, sizeof(want[0]), cmp_u64);
    qsort(have, nh, sizeof(have[0]), cmp_u64);
    i = 0;
    while (i < MIN(nw, nh) && want[i] == have[i]) {
        i++;
    }
    if (nw != nh || i != nw) {
        fdb_print("the functions have", want, nw, i);
        fdb_print("the MAC table has", have, nh, i);
    }
    CHECK(nw == nh && i == nw, "MAC table stale: %u entries for %u "
          "addresses", nh, nw);
}

/*
 * all: every function, not only those that exist; after an entry that may
 * change which exist (config writes, resets) and at the end of the input.
 */
void check_state(bool all)
{
    unsigned fn, q, n = vfnic_num_fn(s);
    uint64_t vfs = n - 1 == 64 ? ~0ULL : (1ULL << (n - 1)) - 1;

    for (fn = 0; fn < (all ? VFNIC_NUM_FN : n); fn++) {
        VfnicFn *f = &s->fn[fn];

        CHECK(f->num_qp >= 1 && f->num_qp <= vfnic_max_qp(fn),
              "fn %u num_qp %u", fn, f->num_qp);
        for (q = 0; q < VFNIC_MAX_QP; q++) {
            check_ring(fn, q, "rx", &f->qp[q].rx, true, fn < n);
            check_ring(fn, q, "tx", &f->qp[q].tx, false, fn < n);
        }
        CHECK(!(f->icr & ~(VFNIC_INT_MBX | VFNIC_INT_LINK | VFNIC_INT_VFLR |
                           VFNIC_INT_RESET)), "fn %u icr 0x%x", fn, f->icr);
        CHECK(!(f->mbx_ctrl & ~(VFNIC_MBX_REQ | VFNIC_MBX_PFMSG |
                                VFNIC_MBX_PF_READY)),
              "fn %u mailbox control 0x%x", fn, f->mbx_ctrl);
        CHECK(fn >= n || f->link_up == vfnic_fn_link_up(s, fn),
              "fn %u was last told link %d, it is %d", fn, f->link_up,
              vfnic_fn_link_up(s, fn));
    }
    CHECK(!((s->mbx_req | s->mbx_ack | s->vflr) & ~vfs),
          "mailbox or VFLR bits 0x%" PRIx64 " 0x%" PRIx64 " 0x%" PRIx64
          " for VFs that do not exist (%u)", s->mbx_req, s->mbx_ack, s->vflr,
          n - 1);
    check_fdb();
}

void entry_end(bool all)
{
    int64_t bad;

    CHECK(fake_dma_live_maps() <= VFNIC_DMA_WINS, "%u DMA mappings live "
          "after the entry, the model keeps %u windows", fake_dma_live_maps(),
          VFNIC_DMA_WINS);
    CHECK(!fake_rcu_depth(), "RCU read lock held after the entry");
    CHECK(!s->in_dma && !s->rxc_active, "in_dma %u, %u rx caches unflushed",
          s->in_dma, s->rxc_active);
    bad = fake_dma_entry_end(allowed);
    CHECK(bad < 0, "guest memory at 0x%" PRIx64 " changed by no DMA write "
          "of a function allowed to write there", bad);
    check_state(all);
    fake_sender = -1;
}

/*
 * docs/hardware.md: a MAC's HI word is bytes 4-5 and VALID; the rest is
 * reserved and ignored, in the function's MAC and in its filters alike.
 */
static bool owns_mac(const VfnicFn *f, const uint8_t *mac)
{
    uint32_t lo = ldl_le_p(mac), hi = lduw_le_p(mac + 4) | VFNIC_MAC_VALID;
    uint32_t mask = 0xffff | VFNIC_MAC_VALID;
    unsigned i;

    if (f->mac_lo == lo && (f->mac_hi & mask) == hi) {
        return true;
    }
    for (i = 0; i < VFNIC_ADM_MAC_FILTERS; i++) {
        if (f->mac_filter[2 * i] == lo &&
            (f->mac_filter[2 * i + 1] & mask) == hi) {
            return true;
        }
    }
    return false;
}

/* Every frame leaving on the wire, checked against who sent it. */
bool uplink_check(const uint8_t *buf, size_t len)
{
    const VfnicFn *f;
    uint16_t tpid;

    CHECK(fake_sender != SENDER_UPLINK, "a frame from the wire went back out");
    CHECK(len >= ETH_HLEN && len <= VFNIC_FRAME_MAX + 2 * VFNIC_TAG_LEN,
          "a frame of %zu bytes on the wire", len);
    if (fake_sender <= 0) {
        return true;            /* the PF, or a timer: anyone */
    }
    f = &s->fn[fake_sender];
    if (!(f->policy & VFNIC_POL_SPOOFCHK)) {
        return true;
    }
    CHECK(owns_mac(f, buf + ETH_ALEN), "fn %d sent from %02x:%02x:%02x:"
          "%02x:%02x:%02x, not its MAC (0x%08x 0x%08x) or a filter; policy "
          "0x%x", fake_sender, buf[6], buf[7], buf[8], buf[9], buf[10],
          buf[11], f->mac_lo, f->mac_hi, f->policy);
    if (f->vlan & VFNIC_VLAN_ENABLE) {
        tpid = f->vlan & VFNIC_VLAN_QINQ ? ETH_P_DVLAN : ETH_P_VLAN;
        CHECK(lduw_be_p(buf + 12) == tpid &&
              (lduw_be_p(buf + 14) & VFNIC_VLAN_VID_MASK) ==
              (f->vlan & VFNIC_VLAN_VID_MASK),
              "fn %d sent outside its port VLAN", fake_sender);
    }
    return true;
}

/* Frames the tx rings have consumed, sent or not: the shaper's progress. */
uint64_t tx_frames(void)
{
    uint64_t n = 0;
    unsigned fn, q;

    for (fn = 0; fn < vfnic_num_fn(s); fn++) {
        n += s->fn[fn].stats[VFNIC_STAT_TX_ERR / 8];
        for (q = 0; q < VFNIC_MAX_QP; q++) {
            n += s->fn[fn].qp[q].stats[VFNIC_QSTAT_TX_PKTS / 8];
        }
    }
    return n;
}

/*
 * The only timer is the tx shaper's, which exists to send frames a rate
 * held back: each expiry in a clock step must let one go, save one left
 * from before the step (its ring since stopped, its rate changed). A
 * timer firing without progress spins QEMU's main loop and the guest's
 * interrupt handler (each kick raises the queue's interrupt).
 */
void check_shaper(uint64_t frames_before, unsigned fired)
{
    uint64_t sent = tx_frames() - frames_before;

    CHECK(fired <= sent + 1, "the shaper's timer fired %u times in one step "
          "for %" PRIu64 " frames", fired, sent);
}

/*
 * A system reset leaves every function as the machine's reset left it
 * after realize, save the link each was last told of (a link the uplink
 * lost stays down), and the switch and global counters at their defaults.
 */
void check_sys_reset(bool link_down)
{
    if (!link_down) {
        CHECK(!memcmp(s->fn, golden, sizeof(s->fn)),
              "a function's state survived a system reset");
    }
    CHECK(s->glb_switch == VFNIC_SWITCH_VEB && !s->gstats[0] &&
          !s->gstats[1] && !s->gstats[2], "global state survived a reset");
    CHECK(!s->tgen.ctrl && s->tgen.len == VFNIC_TGEN_LEN_MIN &&
          !s->tgen.dst_lo && !s->tgen.dst_hi && !s->tgen.count &&
          !s->tgen.sent, "the traffic generator survived a reset");
}
