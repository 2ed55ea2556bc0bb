/*
 * vfnic-fuzz: a libFuzzer target for the vfnic model, built into QEMU's
 * qemu-fuzz-x86_64 (scripts/build-qemu-fuzz.sh copies it into
 * tests/qtest/fuzz/). It drives what a malicious guest reaches: register
 * writes and reads of the PF's and the VFs' BAR0, descriptor rings and
 * packet buffers in guest memory (anywhere, including addresses no RAM
 * backs), bus mastering, MSI-X, FLR, VF disable and enable, and time.
 *
 * Set-up, once (pre_fuzz): what firmware and the PF driver would do. ECAM
 * on, the PF's BARs and its SR-IOV VF BARs placed, VFNIC_FUZZ_NVF VFs
 * enabled with memory decoding and bus mastering, MSI-X pointing into RAM,
 * each function given its MAC 02:00:00:00:00:fn (the address the seeds'
 * frames use), its queue pairs, PF_READY, and queue pair 0
 * with enabled rx and tx rings whose rx descriptors hold buffers. Every
 * input then runs in a forked child (as QEMU's generic-fuzz does), so it
 * starts from that state and cannot leave anything behind; the parent
 * aborts if the child did not exit cleanly, so libFuzzer keeps the input.
 *
 * Input: a sequence of commands, an opcode byte and fixed-size operands
 * (missing bytes read as zero), decoded by vfnic_fuzz_input.h as the model
 * harness outside QEMU (tests/fuzz/model) decodes them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include <sys/wait.h>
#include "qemu/module.h"
#include "qemu/rcu.h"

#include "fuzz.h"
#include "fork_fuzz.h"
#include "hw/pci/pci_regs.h"
#include "../../../hw/net/vfnic/vfnic_hw.h"
#include "vfnic_fuzz_input.h"

/* seconds one input may take; below fuzz.sh's libFuzzer -timeout=25 */
#define VFNIC_FUZZ_CHILD_TIMEOUT 20
#define NFN             VFNIC_FUZZ_NFN

#define ECAM            0xb0000000ULL
#define PF_DEVFN        VFNIC_FUZZ_PF_DEVFN
#define PF_BAR0         0xc0000000ULL
#define PF_BAR3         0xc0100000ULL
#define VF_BAR0         0xc0200000ULL
#define VF_BAR3         0xc0300000ULL
#define SRIOV_CAP       VFNIC_FUZZ_SRIOV_CAP
#define MSI_RAM         0x80000ULL

static uint64_t ecam(int devfn, int reg)
{
    return ECAM + ((uint64_t)devfn << 12) + reg;
}

static int fn_devfn(unsigned fn)
{
    return PF_DEVFN + fn;       /* VF offset 1, stride 1 */
}

static uint64_t fn_bar0(unsigned fn)
{
    return fn ? VF_BAR0 + (uint64_t)(fn - 1) * VFNIC_VF_BAR0_SIZE : PF_BAR0;
}

static uint64_t fn_bar3(unsigned fn)
{
    return fn ? VF_BAR3 + (uint64_t)(fn - 1) * VFNIC_MSIX_BAR_SIZE : PF_BAR3;
}

static void wr(QTestState *s, unsigned fn, uint32_t off, uint32_t val)
{
    qtest_writel(s, fn_bar0(fn) + off, val);
}

static void wr64(QTestState *s, uint64_t addr, uint64_t val)
{
    qtest_writeq(s, addr, val);
}

static void enable_vfs(QTestState *s, unsigned n)
{
    unsigned fn;

    qtest_writew(s, ecam(PF_DEVFN, SRIOV_CAP + PCI_SRIOV_NUM_VF), n);
    /* VF Enable, VF MSE, ARI Capable Hierarchy */
    qtest_writew(s, ecam(PF_DEVFN, SRIOV_CAP + PCI_SRIOV_CTRL), 0x19);
    for (fn = 1; fn <= n; fn++) {
        /* QEMU 7.2 maps VF BARs only with the VF's own MEM bit */
        qtest_writew(s, ecam(fn_devfn(fn), PCI_COMMAND), 0x6);
    }
}

/* What the vfnic_pf driver and a VF driver would have set up. */
static void setup_fn(QTestState *s, unsigned fn)
{
    unsigned i, vec;
    uint32_t adm = VFNIC_ADM(fn, 0);
    uint64_t rx = VFNIC_FUZZ_RX_RING(fn), tx = VFNIC_FUZZ_TX_RING(fn);

    /* MSI-X: vectors write into RAM, enabled */
    for (vec = 0; vec < (fn ? VFNIC_VF_MSIX_VECTORS : VFNIC_PF_MSIX_VECTORS);
         vec++) {
        uint64_t e = fn_bar3(fn) + VFNIC_MSIX_TABLE_OFF + vec * 16;

        qtest_writel(s, e, MSI_RAM + (fn * 16 + vec) * 4);
        qtest_writel(s, e + 4, 0);
        qtest_writel(s, e + 8, fn * 16 + vec);
        qtest_writel(s, e + 12, 0);
    }
    qtest_writew(s, ecam(fn_devfn(fn), VFNIC_FUZZ_MSIX_CAP + PCI_MSIX_FLAGS),
                 PCI_MSIX_FLAGS_ENABLE);

    /* the PF driver: MAC, frame size, queue pairs, PF_READY */
    wr(s, 0, adm + VFNIC_ADM_MAC_LO, VFNIC_FUZZ_MAC_LO);
    wr(s, 0, adm + VFNIC_ADM_MAC_HI, VFNIC_MAC_VALID | VFNIC_FUZZ_MAC_HI(fn));
    wr(s, 0, adm + VFNIC_ADM_MAX_FRAME, 1518);
    if (fn) {
        wr(s, 0, adm + VFNIC_ADM_NUM_QP, VFNIC_VF_MAX_QP);
        wr(s, 0, adm + VFNIC_MBX_CTRL, VFNIC_MBX_PF_READY);
    }

    /* the function's driver: queue pair 0, interrupts on */
    wr(s, fn, VFNIC_FN_IMS, ~0u);
    for (i = 0; i < VFNIC_FUZZ_RING_LEN; i++) {
        wr64(s, rx + i * VFNIC_DESC_SIZE, VFNIC_FUZZ_RX_BUF(fn, i));
    }
    wr(s, fn, VFNIC_QP_REG(0, VFNIC_RXQ_BASE_LO), (uint32_t)rx);
    wr(s, fn, VFNIC_QP_REG(0, VFNIC_RXQ_BASE_HI), rx >> 32);
    wr(s, fn, VFNIC_QP_REG(0, VFNIC_RXQ_LEN), VFNIC_FUZZ_RING_LEN);
    wr(s, fn, VFNIC_QP_REG(0, VFNIC_RXQ_BUF_SIZE), VFNIC_FUZZ_BUF_SIZE);
    wr(s, fn, VFNIC_QP_REG(0, VFNIC_RXQ_CTRL), VFNIC_Q_CTRL_ENABLE);
    wr(s, fn, VFNIC_QP_REG(0, VFNIC_RXQ_TAIL), VFNIC_FUZZ_RING_LEN - 1);
    wr(s, fn, VFNIC_QP_REG(0, VFNIC_TXQ_BASE_LO), (uint32_t)tx);
    wr(s, fn, VFNIC_QP_REG(0, VFNIC_TXQ_BASE_HI), tx >> 32);
    wr(s, fn, VFNIC_QP_REG(0, VFNIC_TXQ_LEN), VFNIC_FUZZ_RING_LEN);
    wr(s, fn, VFNIC_QP_REG(0, VFNIC_TXQ_CTRL), VFNIC_Q_CTRL_ENABLE);
    wr(s, fn, VFNIC_QP_REG(0, VFNIC_QP_INT), VFNIC_QP_INT_ENABLE | 1);
}

static void vfnic_pre_fuzz(QTestState *s)
{
    unsigned fn;

    /* MCH PCIEXBAR (00:00.0 0x60): ECAM at 0xb0000000 */
    qtest_outl(s, 0xcf8, 0x80000000 | 0x60);
    qtest_outl(s, 0xcfc, (uint32_t)ECAM | 1);

    qtest_writel(s, ecam(PF_DEVFN, PCI_BASE_ADDRESS_0), (uint32_t)PF_BAR0);
    qtest_writel(s, ecam(PF_DEVFN, PCI_BASE_ADDRESS_0 + 4), PF_BAR0 >> 32);
    qtest_writel(s, ecam(PF_DEVFN, PCI_BASE_ADDRESS_3), (uint32_t)PF_BAR3);
    qtest_writel(s, ecam(PF_DEVFN, PCI_BASE_ADDRESS_3 + 4), PF_BAR3 >> 32);
    qtest_writel(s, ecam(PF_DEVFN, SRIOV_CAP + 0x24), (uint32_t)VF_BAR0);
    qtest_writel(s, ecam(PF_DEVFN, SRIOV_CAP + 0x28), VF_BAR0 >> 32);
    qtest_writel(s, ecam(PF_DEVFN, SRIOV_CAP + 0x30), (uint32_t)VF_BAR3);
    qtest_writel(s, ecam(PF_DEVFN, SRIOV_CAP + 0x34), VF_BAR3 >> 32);
    qtest_writew(s, ecam(PF_DEVFN, PCI_COMMAND), 0x6);
    enable_vfs(s, VFNIC_FUZZ_NVF);
    g_assert(qtest_readl(s, PF_BAR0 + VFNIC_GLB_NUM_VFS) == VFNIC_FUZZ_NVF);
    for (fn = 0; fn < NFN; fn++) {
        setup_fn(s, fn);
    }
    /* every VF's BAR0 must answer, or the fuzzer would not reach VFs */
    for (fn = 1; fn < NFN; fn++) {
        g_assert(qtest_readl(s, fn_bar0(fn) + VFNIC_FN_ID) ==
                 (VFNIC_FN_ID_IS_VF | fn));
    }
    flush_events(s);
    /*
     * Enabling the VFs left flatviews for the RCU thread to free. Free
     * them now: a forked child inherits the queue and its own RCU thread
     * would free them again, and children did stall in that (the main
     * thread waiting for the BQL while the RCU thread finalized a memory
     * region), about once in a thousand inputs.
     */
    drain_call_rcu();
    counter_shm_init();
}

/* A frame on queue pair 0 of @fn: descriptor at the tail, then the doorbell. */
static void op_tx(QTestState *s, const VfnicFuzzCmd *c)
{
    uint32_t tail = qtest_readl(s, fn_bar0(c->fn) +
                                VFNIC_QP_REG(0, VFNIC_TXQ_TAIL)) %
                    VFNIC_FUZZ_RING_LEN;
    uint64_t buf = VFNIC_FUZZ_TX_BUF(c->fn, tail);
    uint64_t desc = VFNIC_FUZZ_TX_RING(c->fn) + tail * VFNIC_DESC_SIZE;

    qtest_memwrite(s, buf, c->data, VFNIC_FUZZ_TX_HEAD);
    wr64(s, desc + VFNIC_TXD_ADDR, c->tx.any_addr ? c->addr : buf);
    qtest_writew(s, desc + VFNIC_TXD_LEN, c->tx.len);
    qtest_writew(s, desc + VFNIC_TXD_VLAN, c->tx.vlan);
    qtest_writew(s, desc + VFNIC_TXD_CMD, c->tx.cmd);
    qtest_writew(s, desc + VFNIC_TXD_STATUS, 0);
    wr(s, c->fn, VFNIC_QP_REG(0, VFNIC_TXQ_TAIL),
       (tail + 1) % VFNIC_FUZZ_RING_LEN);
}

static void op_rx_refill(QTestState *s, const VfnicFuzzCmd *c)
{
    uint32_t tail = qtest_readl(s, fn_bar0(c->fn) +
                                VFNIC_QP_REG(0, VFNIC_RXQ_TAIL)) %
                    VFNIC_FUZZ_RING_LEN;
    uint64_t ring = VFNIC_FUZZ_RX_RING(c->fn);
    unsigned i;

    for (i = 0; i < c->count; i++) {
        unsigned d = (tail + i) % VFNIC_FUZZ_RING_LEN;

        wr64(s, ring + d * VFNIC_DESC_SIZE, VFNIC_FUZZ_RX_BUF(c->fn, d));
        wr64(s, ring + d * VFNIC_DESC_SIZE + 8, 0);
    }
    wr(s, c->fn, VFNIC_QP_REG(0, VFNIC_RXQ_TAIL),
       (tail + c->count) % VFNIC_FUZZ_RING_LEN);
}

static void op_mbx(QTestState *s, const VfnicFuzzCmd *c)
{
    unsigned i;

    for (i = 0; i < ARRAY_SIZE(c->mbx); i++) {
        wr(s, c->fn, VFNIC_MBX_VF2PF + i * 4, c->mbx[i]);
    }
    wr(s, c->fn, VFNIC_MBX_CTRL, c->val);
}

static void run(QTestState *s, FuzzInput *in)
{
    VfnicFuzzCmd c;

    while (in->n) {
        vfnic_fuzz_decode(in, fuzz_take8(in) % OP_NR_COMMON, &c);
        switch (c.op) {
        case OP_FN_WRITE:
        case OP_PF_WRITE:
            wr(s, c.fn, c.reg, c.val);
            break;
        case OP_FN_READ:
        case OP_PF_READ:
            qtest_readl(s, fn_bar0(c.fn) + c.reg);
            break;
        case OP_MEM_WRITE:
            qtest_memwrite(s, c.addr, c.data, c.count);
            break;
        case OP_TX:
            op_tx(s, &c);
            break;
        case OP_RX_REFILL:
            op_rx_refill(s, &c);
            break;
        case OP_CLOCK:
            qtest_clock_step(s, c.ns);
            break;
        case OP_FLR:
            qtest_writew(s, ecam(fn_devfn(c.fn),
                                 VFNIC_FUZZ_PCIE_CAP + PCI_EXP_DEVCTL),
                         PCI_EXP_DEVCTL_BCR_FLR);
            break;
        case OP_SRIOV:
            /* VF Enable off (ARI stays), then on with the new NumVFs */
            qtest_writew(s, ecam(PF_DEVFN, SRIOV_CAP + PCI_SRIOV_CTRL), 0x10);
            enable_vfs(s, c.count);
            break;
        case OP_CFG_WRITE:
            qtest_writew(s, ecam(fn_devfn(c.fn), c.reg), c.val);
            break;
        case OP_MBX:
            op_mbx(s, &c);
            break;
        }
        flush_events(s);
    }
}

/*
 * VFNIC_FUZZ_STATS=1: each function's counters after the input (the PF's
 * read-only copy in the function's admin block), as the model harness
 * prints them, to see that seeds do what they say.
 */
static void print_stats(QTestState *s)
{
    unsigned fn;

    if (!getenv("VFNIC_FUZZ_STATS")) {
        return;
    }
    for (fn = 0; fn < NFN; fn++) {
        uint64_t st = PF_BAR0 + VFNIC_ADM(fn, VFNIC_ADM_STATS);

        fprintf(stderr, "fn %u: rx %u tx %u spoof %u txerr %u rxerr %u "
                "rxdrop %u\n", fn,
                qtest_readl(s, st + VFNIC_STAT_RX_PKTS),
                qtest_readl(s, st + VFNIC_STAT_TX_PKTS),
                qtest_readl(s, st + VFNIC_STAT_TX_SPOOF),
                qtest_readl(s, st + VFNIC_STAT_TX_ERR),
                qtest_readl(s, st + VFNIC_STAT_RX_ERR),
                qtest_readl(s, st + VFNIC_STAT_RX_DROP));
    }
}

static void vfnic_fuzz(QTestState *s, const unsigned char *data, size_t size)
{
    FuzzInput in = { data, size };
    pid_t pid = fork();
    int status;

    if (pid == 0) {
        sigset_t alrm;

        /*
         * A VF that stalls the model is a bug as much as a crash, and a
         * child stuck in a loop must not outlive a parent that libFuzzer
         * timed out: SIGALRM's default action ends it, the parent aborts.
         * QEMU's main loop blocks SIGALRM (it reads signals from a
         * signalfd), so unblock it first.
         */
        sigemptyset(&alrm);
        sigaddset(&alrm, SIGALRM);
        pthread_sigmask(SIG_UNBLOCK, &alrm, NULL);
        signal(SIGALRM, SIG_DFL);
        alarm(VFNIC_FUZZ_CHILD_TIMEOUT);
        run(s, &in);
        print_stats(s);
        _Exit(0);
    }
    g_assert(pid > 0);
    flush_events(s);
    g_assert(waitpid(pid, &status, 0) == pid);
    /* a sanitizer report or an abort in the child: keep this input */
    if (!WIFEXITED(status) || WEXITSTATUS(status)) {
        fprintf(stderr, "vfnic-fuzz: the input's child %s %d\n",
                WIFEXITED(status) ? "exited with" : "died of signal",
                WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
        abort();
    }
}

static GString *vfnic_fuzz_cmdline(FuzzTarget *t)
{
    /* Debian's QEMU source has no firmware blobs: use the packages' */
    return g_string_new("qemu-system-x86_64 -display none -machine "
                        "q35,accel=qtest -m 64M -nodefaults "
                        "-L /usr/share/seabios -L /usr/share/qemu "
                        "-netdev hubport,id=up,hubid=0 "
                        "-device vfnic,addr=0x3,netdev=up,"
                        "mac=52:54:00:00:00:01");
}

static void register_vfnic_fuzz_target(void)
{
    fuzz_add_target(&(FuzzTarget){
        .name = "vfnic-fuzz",
        .description = "vfnic PF and VF registers, rings, DMA, FLR, SR-IOV",
        .get_init_cmdline = vfnic_fuzz_cmdline,
        .pre_fuzz = vfnic_pre_fuzz,
        .fuzz = vfnic_fuzz,
    });
}

fuzz_target_init(register_vfnic_fuzz_target);
