/*
 * vfnic-fuzz: a libFuzzer target for the vfnic model, built into QEMU's
 * qemu-fuzz-x86_64 (scripts/build-qemu-fuzz.sh copies it into
 * tests/qtest/fuzz/). It drives what a malicious guest reaches: register
 * writes and reads of the PF's and the VFs' BAR0, descriptor rings and
 * packet buffers in guest memory (anywhere, including addresses no RAM
 * backs), bus mastering, MSI-X, FLR, VF disable and enable, and time.
 *
 * Set-up, once (pre_fuzz): what firmware and the PF driver would do. ECAM
 * on, the PF's BARs and its SR-IOV VF BARs placed, VFNIC_FUZZ_VFS VFs
 * enabled with memory decoding and bus mastering, MSI-X pointing into RAM,
 * each function given a MAC, its queue pairs, PF_READY, and queue pair 0
 * with enabled rx and tx rings whose rx descriptors hold buffers. Every
 * input then runs in a forked child (as QEMU's generic-fuzz does), so it
 * starts from that state and cannot leave anything behind; the parent
 * aborts if the child did not exit cleanly, so libFuzzer keeps the input.
 *
 * Input: a sequence of commands, an opcode byte and fixed-size operands
 * (missing bytes read as zero); see the OP_* list.
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

#define VFNIC_FUZZ_VFS  3
/* seconds one input may take; below fuzz.sh's libFuzzer -timeout=25 */
#define VFNIC_FUZZ_CHILD_TIMEOUT 20
#define NFN             (1 + VFNIC_FUZZ_VFS)

#define ECAM            0xb0000000ULL
#define PF_DEVFN        (3 << 3)
#define PF_BAR0         0xc0000000ULL
#define PF_BAR3         0xc0100000ULL
#define VF_BAR0         0xc0200000ULL
#define VF_BAR3         0xc0300000ULL
#define SRIOV_CAP       0x160
#define PCIE_CAP        0xa0
#define MSIX_CAP        0x70
#define MSI_RAM         0x80000ULL
#define RING_LEN        32
#define BUF_SIZE        2048

/* Guest RAM the fuzzer writes: one MiB per function, rings then buffers. */
#define WIN             0x100000ULL
#define WIN_SIZE        (NFN * 0x100000ULL)
#define FN_MEM(fn)      (WIN + (uint64_t)(fn) * 0x100000)
#define RX_RING(fn)     FN_MEM(fn)
#define TX_RING(fn)     (FN_MEM(fn) + 0x1000)
#define RX_BUF(fn, i)   (FN_MEM(fn) + 0x10000 + (i) * BUF_SIZE)
#define TX_BUF(fn, i)   (FN_MEM(fn) + 0x40000 + (i) * BUF_SIZE)

enum {
    OP_FN_WRITE,        /* fn, offset in the function block, value */
    OP_FN_READ,         /* fn, offset */
    OP_PF_WRITE,        /* offset past the function block, value */
    OP_PF_READ,         /* offset */
    OP_MEM_WRITE,       /* address in the window, length, bytes */
    OP_TX,              /* fn, len, cmd, vlan, address, 16 frame bytes */
    OP_RX_REFILL,       /* fn, descriptors to give back */
    OP_CLOCK,           /* microseconds */
    OP_FLR,             /* vf */
    OP_SRIOV,           /* NumVFs for a VF disable and re-enable */
    OP_CFG_WRITE,       /* fn, which register, value */
    OP_MBX,             /* fn, 4 words and the doorbell */
    OP_NR
};

typedef struct Input {
    const uint8_t *p;
    size_t n;
} Input;

static unsigned take8(Input *in)
{
    if (!in->n) {
        return 0;
    }
    in->n--;
    return *in->p++;
}

static unsigned take16(Input *in)
{
    unsigned lo = take8(in);

    return lo | take8(in) << 8;
}

static uint32_t take32(Input *in)
{
    uint32_t lo = take16(in);

    return lo | (uint32_t)take16(in) << 16;
}

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

    qtest_writew(s, ecam(PF_DEVFN, SRIOV_CAP + 0x10), n);
    /* VF Enable, VF MSE, ARI Capable Hierarchy */
    qtest_writew(s, ecam(PF_DEVFN, SRIOV_CAP + 0x08), 0x19);
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

    /* MSI-X: vectors write into RAM, enabled */
    for (vec = 0; vec < (fn ? VFNIC_VF_MSIX_VECTORS : VFNIC_PF_MSIX_VECTORS);
         vec++) {
        uint64_t e = fn_bar3(fn) + VFNIC_MSIX_TABLE_OFF + vec * 16;

        qtest_writel(s, e, MSI_RAM + (fn * 16 + vec) * 4);
        qtest_writel(s, e + 4, 0);
        qtest_writel(s, e + 8, fn * 16 + vec);
        qtest_writel(s, e + 12, 0);
    }
    qtest_writew(s, ecam(fn_devfn(fn), MSIX_CAP + 2), 0x8000);

    /* the PF driver: MAC, frame size, queue pairs, PF_READY */
    wr(s, 0, adm + VFNIC_ADM_MAC_LO, 0x00000002 | fn << 24);
    wr(s, 0, adm + VFNIC_ADM_MAC_HI, VFNIC_MAC_VALID);
    wr(s, 0, adm + VFNIC_ADM_MAX_FRAME, 1518);
    if (fn) {
        wr(s, 0, adm + VFNIC_ADM_NUM_QP, VFNIC_VF_MAX_QP);
        wr(s, 0, adm + VFNIC_MBX_CTRL, VFNIC_MBX_PF_READY);
    }

    /* the function's driver: queue pair 0, interrupts on */
    wr(s, fn, VFNIC_FN_IMS, ~0u);
    for (i = 0; i < RING_LEN; i++) {
        wr64(s, RX_RING(fn) + i * VFNIC_DESC_SIZE, RX_BUF(fn, i));
    }
    wr(s, fn, VFNIC_QP_REG(0, VFNIC_RXQ_BASE_LO), (uint32_t)RX_RING(fn));
    wr(s, fn, VFNIC_QP_REG(0, VFNIC_RXQ_BASE_HI), RX_RING(fn) >> 32);
    wr(s, fn, VFNIC_QP_REG(0, VFNIC_RXQ_LEN), RING_LEN);
    wr(s, fn, VFNIC_QP_REG(0, VFNIC_RXQ_BUF_SIZE), BUF_SIZE);
    wr(s, fn, VFNIC_QP_REG(0, VFNIC_RXQ_CTRL), VFNIC_Q_CTRL_ENABLE);
    wr(s, fn, VFNIC_QP_REG(0, VFNIC_RXQ_TAIL), RING_LEN - 1);
    wr(s, fn, VFNIC_QP_REG(0, VFNIC_TXQ_BASE_LO), (uint32_t)TX_RING(fn));
    wr(s, fn, VFNIC_QP_REG(0, VFNIC_TXQ_BASE_HI), TX_RING(fn) >> 32);
    wr(s, fn, VFNIC_QP_REG(0, VFNIC_TXQ_LEN), RING_LEN);
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
    enable_vfs(s, VFNIC_FUZZ_VFS);
    g_assert(qtest_readl(s, PF_BAR0 + VFNIC_GLB_NUM_VFS) == VFNIC_FUZZ_VFS);
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
static void op_tx(QTestState *s, Input *in)
{
    unsigned fn = take8(in) % NFN;
    unsigned len = take16(in), cmd = take16(in), vlan = take16(in);
    unsigned sel = take8(in);
    uint32_t tail = qtest_readl(s, fn_bar0(fn) +
                                VFNIC_QP_REG(0, VFNIC_TXQ_TAIL)) % RING_LEN;
    uint64_t buf = TX_BUF(fn, tail), desc = TX_RING(fn) + tail * 16;
    uint8_t frame[16];
    unsigned i;

    for (i = 0; i < sizeof(frame); i++) {
        frame[i] = take8(in);
    }
    /* the destination: another function's MAC most of the time */
    if (sel & 0x80) {
        frame[0] = 0x02;
        memset(frame + 1, 0, 4);
        frame[5] = sel % NFN;
    }
    qtest_memwrite(s, buf, frame, sizeof(frame));
    /* sometimes a buffer anywhere at all, RAM or not */
    wr64(s, desc + VFNIC_TXD_ADDR, sel & 0x40 ? take32(in) : buf);
    qtest_writew(s, desc + VFNIC_TXD_LEN, len);
    qtest_writew(s, desc + VFNIC_TXD_VLAN, vlan);
    qtest_writew(s, desc + VFNIC_TXD_CMD, cmd);
    qtest_writew(s, desc + VFNIC_TXD_STATUS, 0);
    wr(s, fn, VFNIC_QP_REG(0, VFNIC_TXQ_TAIL), (tail + 1) % RING_LEN);
}

static void op_rx_refill(QTestState *s, Input *in)
{
    unsigned fn = take8(in) % NFN, n = take8(in) % RING_LEN;
    uint32_t tail = qtest_readl(s, fn_bar0(fn) +
                                VFNIC_QP_REG(0, VFNIC_RXQ_TAIL)) % RING_LEN;
    unsigned i;

    for (i = 0; i < n; i++) {
        unsigned d = (tail + i) % RING_LEN;

        wr64(s, RX_RING(fn) + d * VFNIC_DESC_SIZE, RX_BUF(fn, d));
        wr64(s, RX_RING(fn) + d * VFNIC_DESC_SIZE + 8, 0);
    }
    wr(s, fn, VFNIC_QP_REG(0, VFNIC_RXQ_TAIL), (tail + n) % RING_LEN);
}

static void op_mem_write(QTestState *s, Input *in)
{
    uint64_t addr = WIN + (take32(in) % WIN_SIZE);
    unsigned len = take8(in) % 64 + 1, i;
    uint8_t buf[64];

    for (i = 0; i < len; i++) {
        buf[i] = take8(in);
    }
    len = MIN(len, WIN + WIN_SIZE - addr);
    qtest_memwrite(s, addr, buf, len);
}

static void op_cfg_write(QTestState *s, Input *in)
{
    static const uint16_t regs[] = {    /* 16-bit registers */
        PCI_COMMAND,                    /* bus master, memory */
        MSIX_CAP + 2,                   /* MSI-X enable, function mask */
        PCIE_CAP + PCI_EXP_DEVCTL,      /* FLR among others */
        SRIOV_CAP + 0x08,               /* PF: VF Enable */
        SRIOV_CAP + 0x10,               /* PF: NumVFs */
    };
    unsigned fn = take8(in) % NFN, r = take8(in) % ARRAY_SIZE(regs);

    qtest_writew(s, ecam(fn_devfn(fn), regs[r]), take16(in));
}

static void op_mbx(QTestState *s, Input *in)
{
    unsigned fn = take8(in) % NFN, i;

    for (i = 0; i < 4; i++) {
        wr(s, fn, VFNIC_MBX_VF2PF + i * 4, take32(in));
    }
    wr(s, fn, VFNIC_MBX_CTRL, take8(in));
}

static void run(QTestState *s, Input *in)
{
    while (in->n) {
        unsigned op = take8(in) % OP_NR, fn;
        uint32_t off;

        switch (op) {
        case OP_FN_WRITE:
            fn = take8(in) % NFN;
            off = take16(in) % VFNIC_FN_BLOCK_SIZE & ~3u;
            wr(s, fn, off, take32(in));
            break;
        case OP_FN_READ:
            fn = take8(in) % NFN;
            off = take16(in) % VFNIC_FN_BLOCK_SIZE & ~3u;
            qtest_readl(s, fn_bar0(fn) + off);
            break;
        case OP_PF_WRITE:
            off = VFNIC_FN_BLOCK_SIZE +
                  (take32(in) % (VFNIC_PF_BAR0_SIZE - VFNIC_FN_BLOCK_SIZE));
            wr(s, 0, off & ~3u, take32(in));
            break;
        case OP_PF_READ:
            off = VFNIC_FN_BLOCK_SIZE +
                  (take32(in) % (VFNIC_PF_BAR0_SIZE - VFNIC_FN_BLOCK_SIZE));
            qtest_readl(s, PF_BAR0 + (off & ~3u));
            break;
        case OP_MEM_WRITE:
            op_mem_write(s, in);
            break;
        case OP_TX:
            op_tx(s, in);
            break;
        case OP_RX_REFILL:
            op_rx_refill(s, in);
            break;
        case OP_CLOCK:
            qtest_clock_step(s, (int64_t)take16(in) * 1000);
            break;
        case OP_FLR:
            fn = 1 + take8(in) % VFNIC_FUZZ_VFS;
            qtest_writew(s, ecam(fn_devfn(fn), PCIE_CAP + PCI_EXP_DEVCTL),
                         PCI_EXP_DEVCTL_BCR_FLR);
            break;
        case OP_SRIOV:
            qtest_writew(s, ecam(PF_DEVFN, SRIOV_CAP + 0x08), 0x10);
            enable_vfs(s, take8(in) % (VFNIC_FUZZ_VFS + 1));
            break;
        case OP_CFG_WRITE:
            op_cfg_write(s, in);
            break;
        case OP_MBX:
            op_mbx(s, in);
            break;
        }
        flush_events(s);
    }
}

static void vfnic_fuzz(QTestState *s, const unsigned char *data, size_t size)
{
    Input in = { data, size };
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
