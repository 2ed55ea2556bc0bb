/*
 * libFuzzer harness for the vfnic model built outside QEMU: the model's
 * own sources (qemu-model/, unchanged) against QEMU 7.2's headers and the
 * small fakes of fake_*.c, one process, no fork.
 *
 * The input is the command stream of tests/fuzz/vfnic_model/vfnic_fuzz.c,
 * decoded by the same vfnic_fuzz_input.h (so its corpus replays here),
 * plus what that harness could not do: frames from the wire, the uplink's
 * link, the IOMMU (mode and unmapped pages), system reset and a direct
 * admin-block write. The set-up is the same too, each function's MAC
 * 02:00:00:00:00:fn, the address the seeds' frames use.
 * Each input starts from a snapshot of that set-up (snapshot_restore()).
 * Every device entry is wrapped in entry_begin() and entry_end(), which
 * check the invariants of fuzz_invariants.c.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "hw/pci/msix.h"
#include "hw/pci/pcie_sriov.h"
#include "net/eth.h"
#include "vfnic.h"
#include "fake_qemu.h"
#include "fuzz_check.h"
#include "fuzz_invariants.h"
#include "vfnic_fuzz_input.h"

#define NVF             VFNIC_FUZZ_NVF
#define NFN             VFNIC_FUZZ_NFN
#define SRIOV_CAP       VFNIC_FUZZ_SRIOV_CAP
#define WIRE_MAX        16384

/* The fakes' guest memory is the layout the input addresses. */
QEMU_BUILD_BUG_ON(FAKE_NFN != VFNIC_FUZZ_NFN);
QEMU_BUILD_BUG_ON(FN_MEM(0) != VFNIC_FUZZ_WIN ||
                  FN_MEM_SIZE != VFNIC_FUZZ_FN_MEM_SIZE);

/* Commands past vfnic_fuzz.c's (vfnic_fuzz_input.h) */
enum {
    OP_WIRE = OP_NR_COMMON, /* selector, length, n, n frame bytes */
    OP_LINK,            /* uplink down (bit 0) */
    OP_IOMMU,           /* 0x80|mode, or fn and a page to (un)map */
    OP_SYS_RESET,       /* system reset, then firmware and drivers again */
    OP_ADM_WRITE,       /* fn, offset in its admin block, value */
    OP_NR
};

static VfnicState *s;
static PCIDevice *pf;

static PCIDevice *fn_dev(unsigned fn)
{
    return vfnic_fn_dev(s, fn);
}

/* The guest's CPU: MMIO of a function's BAR0, config writes. */
static void wr(unsigned fn, uint32_t off, uint32_t val)
{
    PCIDevice *d = fn_dev(fn);
    uint64_t v = val;

    if (d) {
        entry_begin(fn);
        fake_mmio(d, off, &v, true);
        entry_end(false);
    }
}

static uint32_t rd(unsigned fn, uint32_t off)
{
    PCIDevice *d = fn_dev(fn);
    uint64_t v = 0;

    if (d) {
        entry_begin(-1);
        fake_mmio(d, off, &v, false);
        entry_end(false);
    }
    return v;
}

static void cfg(unsigned fn, uint32_t reg, uint16_t val)
{
    PCIDevice *d = fn_dev(fn);

    if (d) {
        entry_begin(-1);
        fake_pci_config_write(d, reg, val, 2);
        /* VFs come and go with the PF's SR-IOV registers */
        entry_end(!fn && reg >= SRIOV_CAP);
    }
}

static void mem_write64(uint64_t addr, uint64_t val)
{
    val = cpu_to_le64(val);
    fake_guest_write(addr, &val, 8);
}

static void mem_write16(uint64_t addr, uint16_t val)
{
    val = cpu_to_le16(val);
    fake_guest_write(addr, &val, 2);
}

static void enable_vfs(unsigned n)
{
    unsigned fn;

    cfg(0, SRIOV_CAP + PCI_SRIOV_NUM_VF, n);
    /* VF Enable, VF MSE, ARI Capable Hierarchy */
    cfg(0, SRIOV_CAP + PCI_SRIOV_CTRL, 0x19);
    for (fn = 1; fn <= n; fn++) {
        cfg(fn, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
    }
}

/* What the vfnic_pf driver and a VF driver would have set up. */
static void setup_fn(unsigned fn)
{
    uint32_t adm = VFNIC_ADM(fn, 0);
    uint64_t rx = VFNIC_FUZZ_RX_RING(fn), tx = VFNIC_FUZZ_TX_RING(fn);
    unsigned i;

    cfg(fn, VFNIC_FUZZ_MSIX_CAP + PCI_MSIX_FLAGS, PCI_MSIX_FLAGS_ENABLE);
    wr(0, adm + VFNIC_ADM_MAC_LO, VFNIC_FUZZ_MAC_LO);
    wr(0, adm + VFNIC_ADM_MAC_HI, VFNIC_MAC_VALID | VFNIC_FUZZ_MAC_HI(fn));
    wr(0, adm + VFNIC_ADM_MAX_FRAME, 1518);
    if (fn) {
        wr(0, adm + VFNIC_ADM_NUM_QP, VFNIC_VF_MAX_QP);
        wr(0, adm + VFNIC_MBX_CTRL, VFNIC_MBX_PF_READY);
    }
    wr(fn, VFNIC_FN_IMS, ~0u);
    for (i = 0; i < VFNIC_FUZZ_RING_LEN; i++) {
        mem_write64(rx + i * VFNIC_DESC_SIZE, VFNIC_FUZZ_RX_BUF(fn, i));
    }
    wr(fn, VFNIC_QP_REG(0, VFNIC_RXQ_BASE_LO), (uint32_t)rx);
    wr(fn, VFNIC_QP_REG(0, VFNIC_RXQ_BASE_HI), rx >> 32);
    wr(fn, VFNIC_QP_REG(0, VFNIC_RXQ_LEN), VFNIC_FUZZ_RING_LEN);
    wr(fn, VFNIC_QP_REG(0, VFNIC_RXQ_BUF_SIZE), VFNIC_FUZZ_BUF_SIZE);
    wr(fn, VFNIC_QP_REG(0, VFNIC_RXQ_CTRL), VFNIC_Q_CTRL_ENABLE);
    wr(fn, VFNIC_QP_REG(0, VFNIC_RXQ_TAIL), VFNIC_FUZZ_RING_LEN - 1);
    wr(fn, VFNIC_QP_REG(0, VFNIC_TXQ_BASE_LO), (uint32_t)tx);
    wr(fn, VFNIC_QP_REG(0, VFNIC_TXQ_BASE_HI), tx >> 32);
    wr(fn, VFNIC_QP_REG(0, VFNIC_TXQ_LEN), VFNIC_FUZZ_RING_LEN);
    wr(fn, VFNIC_QP_REG(0, VFNIC_TXQ_CTRL), VFNIC_Q_CTRL_ENABLE);
    wr(fn, VFNIC_QP_REG(0, VFNIC_QP_INT), VFNIC_QP_INT_ENABLE | 1);
}

/* Firmware (the PF's memory and bus mastering, VFs) and the drivers. */
static void setup(void)
{
    unsigned fn;

    cfg(0, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
    enable_vfs(NVF);
    CHECK(rd(0, VFNIC_GLB_NUM_VFS) == NVF, "set-up: VFs not enabled");
    for (fn = 0; fn < NFN; fn++) {
        setup_fn(fn);
    }
    for (fn = 1; fn < NFN; fn++) {
        CHECK(rd(fn, VFNIC_FN_ID) == (VFNIC_FN_ID_IS_VF | fn),
              "set-up: VF %u does not answer", fn - 1);
    }
}

static void device_create(void)
{
    const FakeType *t = fake_type(TYPE_VFNIC);
    static void *storage;
    Error *err = NULL;

    /*
     * The PF's 170 KB live in one allocation reused by every input (fresh
     * ones cost more page faults than the rest of an input); the VFs are
     * allocated and freed as QEMU does, so ASan sees their lifetimes.
     */
    if (!storage) {
        storage = g_malloc(t->info->instance_size);
    }
    pf = fake_pci_new(TYPE_VFNIC, VFNIC_FUZZ_PF_DEVFN, storage);
    fake_pf = pf;
    s = VFNIC(pf);
    s->conf.macaddr = (MACAddr){ .a = { 0x52, 0x54, 0, 0, 0, 1 } };
    /* -device vfnic,poll-us=...: the tx tails in memory are polled */
    s->poll_us = 500;
    t->klass->realize(pf, &err);
    fake_dma_attach(pf, VFNIC_FN_PF);
    /* the machine's reset, after realize */
    fake_pci_reset(pf);
    invariants_init(s);
}

/* VFNIC_FUZZ_STATS=1: what an input did, to see that seeds do what they say */
static void print_stats(void)
{
    static int stats = -1;
    unsigned fn;

    if (stats < 0) {
        stats = !!getenv("VFNIC_FUZZ_STATS");
    }
    if (!stats) {
        return;
    }
    for (fn = 0; fn < NFN; fn++) {
        const uint64_t *st = s->fn[fn].stats;

        fprintf(stderr, "fn %u: rx %" PRIu64 " tx %" PRIu64 " spoof %" PRIu64
                " txerr %" PRIu64 " rxerr %" PRIu64 " rxdrop %" PRIu64
                " msix %" PRIu64 "/%" PRIu64 "\n", fn,
                st[VFNIC_STAT_RX_PKTS / 8], st[VFNIC_STAT_TX_PKTS / 8],
                st[VFNIC_STAT_TX_SPOOF / 8], st[VFNIC_STAT_TX_ERR / 8],
                st[VFNIC_STAT_RX_ERR / 8], st[VFNIC_STAT_RX_DROP / 8],
                fake_count.msix_sent[fn], fake_count.msix_pending[fn]);
    }
    fprintf(stderr, "uplink frames %" PRIu64 ", DMA faults %" PRIu64
            ", guest errors logged %" PRIu64 ", VFs %u\n",
            fake_count.uplink_frames, fake_count.dma_faults,
            fake_count.log_lines, vfnic_num_fn(s) - 1);
}

/* A frame on queue pair 0 of @fn: descriptor at the tail, then the doorbell. */
static void op_tx(const VfnicFuzzCmd *c)
{
    uint32_t tail = rd(c->fn, VFNIC_QP_REG(0, VFNIC_TXQ_TAIL)) %
                    VFNIC_FUZZ_RING_LEN;
    uint64_t buf = VFNIC_FUZZ_TX_BUF(c->fn, tail);
    uint64_t desc = VFNIC_FUZZ_TX_RING(c->fn) + tail * VFNIC_DESC_SIZE;

    fake_guest_write(buf, c->data, VFNIC_FUZZ_TX_HEAD);
    mem_write64(desc + VFNIC_TXD_ADDR, c->tx.any_addr ? c->addr : buf);
    mem_write16(desc + VFNIC_TXD_LEN, c->tx.len);
    mem_write16(desc + VFNIC_TXD_VLAN, c->tx.vlan);
    mem_write16(desc + VFNIC_TXD_CMD, c->tx.cmd);
    mem_write16(desc + VFNIC_TXD_STATUS, 0);
    wr(c->fn, VFNIC_QP_REG(0, VFNIC_TXQ_TAIL),
       (tail + 1) % VFNIC_FUZZ_RING_LEN);
}

static void op_rx_refill(const VfnicFuzzCmd *c)
{
    uint32_t tail = rd(c->fn, VFNIC_QP_REG(0, VFNIC_RXQ_TAIL)) %
                    VFNIC_FUZZ_RING_LEN;
    uint64_t ring = VFNIC_FUZZ_RX_RING(c->fn);
    unsigned i;

    for (i = 0; i < c->count; i++) {
        unsigned d = (tail + i) % VFNIC_FUZZ_RING_LEN;

        mem_write64(ring + d * VFNIC_DESC_SIZE, VFNIC_FUZZ_RX_BUF(c->fn, d));
        mem_write64(ring + d * VFNIC_DESC_SIZE + 8, 0);
    }
    wr(c->fn, VFNIC_QP_REG(0, VFNIC_RXQ_TAIL),
       (tail + c->count) % VFNIC_FUZZ_RING_LEN);
}

static void op_mbx(const VfnicFuzzCmd *c)
{
    unsigned i;

    for (i = 0; i < ARRAY_SIZE(c->mbx); i++) {
        wr(c->fn, VFNIC_MBX_VF2PF + i * 4, c->mbx[i]);
    }
    wr(c->fn, VFNIC_MBX_CTRL, c->val);
}

/* A frame from the wire, delivered as QEMU's net layer does. */
static void op_wire(FuzzInput *in)
{
    static uint8_t frame[WIRE_MAX];
    unsigned sel = fuzz_take8(in), len = fuzz_take16(in) % (WIRE_MAX + 1);
    unsigned n = MIN(fuzz_take8(in), len), i;
    NetClientState *nc = qemu_get_queue(fake_nic());
    MemReentrancyGuard *g = &DEVICE(pf)->mem_reentrancy_guard;

    memset(frame, 0, len);
    for (i = 0; i < n; i++) {
        frame[i] = fuzz_take8(in);
    }
    if (len >= ETH_ALEN && (sel & 0xc0) == 0x80) {
        memcpy(frame, (uint8_t[]){ 2, 0, 0, 0, 0, sel % NFN }, ETH_ALEN);
    } else if (len >= ETH_ALEN && (sel & 0xc0) == 0xc0) {
        memset(frame, 0xff, ETH_ALEN);
    }
    if (nc->link_down) {
        return;
    }
    entry_begin(SENDER_UPLINK);
    g->engaged_in_io = true;
    nc->info->receive(nc, frame, len);
    g->engaged_in_io = false;
    entry_end(false);
}

static void snapshot_restore(void);

/*
 * Time passes: the shaper's timer fires (check_shaper()), and so do the
 * slices of the device's polling of the tx tails in memory; then the main
 * loop turns, each turn an entry of its own, and runs the first slice a
 * doorbell asked for.
 */
static void op_clock(int64_t ns)
{
    uint64_t before = tx_frames();
    unsigned fired, turn;

    entry_begin(-1);
    fired = fake_clock_step(ns, s->shaper);
    entry_end(false);
    check_shaper(before, fired);
    for (turn = 0; turn < 2; turn++) {
        entry_begin(-1);
        fake_run_bhs(1);
        entry_end(false);
    }
}

/*
 * A system reset must leave every function as a freshly reset device
 * (checked); the firmware and drivers then set it up as at start, which
 * is the snapshot the input started from: restoring it is the cheap way
 * to run that same set-up on the device the reset left (the clock, link
 * and guest memory go back too, as after a reboot).
 */
static void op_sys_reset(void)
{
    NetClientState *nc = qemu_get_queue(fake_nic());

    entry_begin(-1);
    fake_pci_reset(pf);
    entry_end(true);
    check_sys_reset(nc->link_down);
    snapshot_restore();
}

/* vfnic_fuzz.c's commands, as the model harness carries them out */
static void run_common(const VfnicFuzzCmd *c)
{
    switch (c->op) {
    case OP_FN_WRITE:
    case OP_PF_WRITE:
        wr(c->fn, c->reg, c->val);
        break;
    case OP_FN_READ:
    case OP_PF_READ:
        rd(c->fn, c->reg);
        break;
    case OP_MEM_WRITE:
        fake_guest_write(c->addr, c->data, c->count);
        break;
    case OP_TX:
        op_tx(c);
        break;
    case OP_RX_REFILL:
        op_rx_refill(c);
        break;
    case OP_CLOCK:
        op_clock(c->ns);
        break;
    case OP_FLR:
        cfg(c->fn, VFNIC_FUZZ_PCIE_CAP + PCI_EXP_DEVCTL,
            PCI_EXP_DEVCTL_BCR_FLR);
        break;
    case OP_SRIOV:
        /* VF Enable off (ARI stays), then on with the new NumVFs */
        cfg(0, SRIOV_CAP + PCI_SRIOV_CTRL, 0x10);
        enable_vfs(c->count);
        break;
    case OP_CFG_WRITE:
        cfg(c->fn, c->reg, c->val);
        break;
    case OP_MBX:
        op_mbx(c);
        break;
    }
}

static void run(FuzzInput *in)
{
    while (in->n) {
        unsigned op = fuzz_take8(in) % OP_NR, fn, b;
        uint32_t off;
        NetClientState *nc;
        VfnicFuzzCmd c;

        if (op < OP_NR_COMMON) {
            vfnic_fuzz_decode(in, op, &c);
            run_common(&c);
            continue;
        }
        switch (op) {
        case OP_WIRE:
            op_wire(in);
            break;
        case OP_LINK:
            nc = qemu_get_queue(fake_nic());
            nc->link_down = fuzz_take8(in) & 1;
            entry_begin(-1);
            nc->info->link_status_changed(nc);
            entry_end(false);
            break;
        case OP_IOMMU:
            b = fuzz_take8(in);
            if (b & 0x80) {
                fake_dma_set_mode(b & 1 ? FAKE_DMA_FLAT : FAKE_DMA_IOMMU);
            } else {
                fake_dma_toggle_page(b % NFN, fuzz_take8(in));
            }
            break;
        case OP_SYS_RESET:
            op_sys_reset();
            break;
        case OP_ADM_WRITE:
            fn = fuzz_take8(in) % NFN;
            off = fuzz_take16(in) % VFNIC_ADM_STRIDE & ~3u;
            wr(0, VFNIC_ADM(fn, off), fuzz_take32(in));
            break;
        }
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
const char *__asan_default_options(void);

/*
 * A smaller quarantine than ASan's 256 MB: a freed VF is still caught
 * when used within the input (tens of KB), and new inputs stop paying page
 * faults for memory the quarantine keeps cycling through.
 */
const char *__asan_default_options(void)
{
    return "quarantine_size_mb=4";
}
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fake_qom_init();
    fake_misc_reset();
    fake_dma_reset();
    fake_uplink_check = uplink_check;
    return 0;
}

/*
 * Every input starts from the device as set up, restored from a snapshot
 * of it: the PF's and the VFs' objects and configuration spaces, guest
 * memory (the pages the last input dirtied), the clock and the link.
 * Creating the device and running the set-up through the model for every
 * input would cost most of an input; the snapshot is what that same,
 * deterministic set-up produced. The fakes keep one object per VF number
 * (poisoned while that VF does not exist), so an input that disabled or
 * added VFs is undone by restoring the same objects.
 */
typedef struct Snapshot {
    bool valid;
    uint8_t *inst[NFN];
    uint8_t *config[NFN];
    size_t size[NFN];
} Snapshot;

static Snapshot snap;

static void snapshot_take(void)
{
    unsigned fn;

    /* windows map guest memory, which the fake rewinds apart from them */
    vfnic_dma_forget(s, NULL);
    for (fn = 0; fn < NFN; fn++) {
        PCIDevice *d = fn_dev(fn);
        const char *type = fn ? TYPE_VFNIC_VF : TYPE_VFNIC;

        snap.size[fn] = fake_type(type)->info->instance_size;
        snap.inst[fn] = g_memdup2(d, snap.size[fn]);
        snap.config[fn] = g_memdup2(d->config, PCIE_CONFIG_SPACE_SIZE);
    }
    fake_dma_snapshot();
    fake_misc_snapshot();
    snap.valid = true;
}

static void snapshot_restore(void)
{
    unsigned fn;

    fake_pci_restore_vfs(NVF);
    for (fn = 0; fn < NFN; fn++) {
        PCIDevice *d = fn ? fake_pci_vf(fn - 1) : pf;

        memcpy(d, snap.inst[fn], snap.size[fn]);
        memcpy(d->config, snap.config[fn], PCIE_CONFIG_SPACE_SIZE);
    }
    qemu_get_queue(fake_nic())->link_down = false;
    fake_dma_reset();
    fake_misc_rewind();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FuzzInput in = { data, size };

    if (snap.valid) {
        snapshot_restore();
    } else {
        device_create();
        setup();
        snapshot_take();
    }
    run(&in);
    check_state(true);
    print_stats();
    return 0;
}
