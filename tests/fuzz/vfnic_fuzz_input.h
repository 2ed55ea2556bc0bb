/*
 * The input of the vfnic model's two harnesses, vfnic_model/vfnic_fuzz.c
 * (inside QEMU) and model/fuzz_model.c (outside it): the guest both set
 * up, and the command stream that drives it. Both decode with
 * vfnic_fuzz_decode(), so an input means the same operations to both and
 * vfnic_model's corpus replays in the model harness. fuzz_model.c adds
 * commands of its own from OP_NR_COMMON on. The opcodes and operand bytes
 * are what the corpora and gen-corpus.sh hold: append, never renumber.
 *
 * Include qemu/osdep.h and vfnic_hw.h first (vfnic_hw.h is in
 * hw/net/vfnic/ of QEMU's tree; scripts/build-qemu-fuzz.sh copies this
 * header and fuzz_input.h next to vfnic_fuzz.c there).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef VFNIC_FUZZ_INPUT_H
#define VFNIC_FUZZ_INPUT_H

#include "hw/pci/pci_regs.h"
#include "fuzz_input.h"

/* The PF at 00:03.0 with three VFs; its capabilities as vfnic.c places them */
#define VFNIC_FUZZ_NVF          3
#define VFNIC_FUZZ_NFN          (1 + VFNIC_FUZZ_NVF)
#define VFNIC_FUZZ_PF_DEVFN     (3 << 3)
#define VFNIC_FUZZ_MSIX_CAP     0x70
#define VFNIC_FUZZ_PCIE_CAP     0xa0
#define VFNIC_FUZZ_SRIOV_CAP    0x160

/*
 * Function fn's MAC is 02:00:00:00:00:fn: the set-up programs it and
 * frames the input addresses to a function use it (docs/fuzzing.md).
 */
#define VFNIC_FUZZ_MAC_LO       0x00000002u     /* bytes 0-3 */
#define VFNIC_FUZZ_MAC_HI(fn)   ((uint32_t)(fn) << 8)   /* bytes 4-5 */

/*
 * Guest RAM: a MiB per function from VFNIC_FUZZ_WIN, queue pair 0's rx
 * and tx rings, then its rx and tx buffers.
 */
#define VFNIC_FUZZ_WIN          0x100000ULL
#define VFNIC_FUZZ_FN_MEM_SIZE  0x100000ULL
#define VFNIC_FUZZ_WIN_SIZE     (VFNIC_FUZZ_NFN * VFNIC_FUZZ_FN_MEM_SIZE)
#define VFNIC_FUZZ_FN_MEM(fn)   \
    (VFNIC_FUZZ_WIN + (uint64_t)(fn) * VFNIC_FUZZ_FN_MEM_SIZE)
#define VFNIC_FUZZ_RING_LEN     32
#define VFNIC_FUZZ_BUF_SIZE     2048
#define VFNIC_FUZZ_RX_RING(fn)  VFNIC_FUZZ_FN_MEM(fn)
#define VFNIC_FUZZ_TX_RING(fn)  (VFNIC_FUZZ_FN_MEM(fn) + 0x1000)
#define VFNIC_FUZZ_RX_BUF(fn, i) \
    (VFNIC_FUZZ_FN_MEM(fn) + 0x10000 + (i) * VFNIC_FUZZ_BUF_SIZE)
#define VFNIC_FUZZ_TX_BUF(fn, i) \
    (VFNIC_FUZZ_FN_MEM(fn) + 0x40000 + (i) * VFNIC_FUZZ_BUF_SIZE)

/* An opcode byte (modulo the number of commands), then its operands. */
enum {
    OP_FN_WRITE,        /* fn, offset in the function block, value */
    OP_FN_READ,         /* fn, offset */
    OP_PF_WRITE,        /* offset past the function block, value */
    OP_PF_READ,         /* offset */
    OP_MEM_WRITE,       /* address in the window, length, bytes */
    OP_TX,              /* fn, len, cmd, vlan, selector, 16 frame bytes */
                        /* and a buffer address if the selector asks */
    OP_RX_REFILL,       /* fn, descriptors to give back */
    OP_CLOCK,           /* microseconds */
    OP_FLR,             /* vf */
    OP_SRIOV,           /* NumVFs for a VF disable and re-enable */
    OP_CFG_WRITE,       /* fn, which register, value */
    OP_MBX,             /* fn, 4 words and the doorbell */
    OP_NR_COMMON
};

#define VFNIC_FUZZ_TX_HEAD      16      /* frame bytes a tx command writes */
#define VFNIC_FUZZ_MEM_MAX      64      /* bytes a memory write writes */

/* One decoded command of OP_NR_COMMON; fields not named for it are unset. */
typedef struct VfnicFuzzCmd {
    unsigned op;
    /*
     * The function: FN_*, TX, RX_REFILL, CFG_WRITE, MBX; the VF's function
     * (1..VFNIC_FUZZ_NVF) for FLR; 0 for PF_*.
     */
    unsigned fn;
    /* FN_*, PF_*: offset in BAR0; CFG_WRITE: config space offset */
    uint32_t reg;
    /* the value FN_WRITE, PF_WRITE, CFG_WRITE write, MBX's doorbell */
    uint32_t val;
    /* RX_REFILL: descriptors; SRIOV: NumVFs; MEM_WRITE: bytes */
    unsigned count;
    int64_t ns;                 /* CLOCK */
    /* MEM_WRITE: where, inside the window; TX: the buffer, if tx.any_addr */
    uint64_t addr;
    /* MEM_WRITE: the bytes; TX: the frame's first bytes */
    uint8_t data[VFNIC_FUZZ_MEM_MAX];
    struct {
        unsigned len, cmd, vlan;
        bool any_addr;          /* the buffer is addr, RAM or not */
    } tx;
    uint32_t mbx[4];            /* MBX: the buffer's words */
} VfnicFuzzCmd;

static inline void vfnic_fuzz_decode_tx(FuzzInput *in, VfnicFuzzCmd *c)
{
    unsigned sel, i;

    c->fn = fuzz_take8(in) % VFNIC_FUZZ_NFN;
    c->tx.len = fuzz_take16(in);
    c->tx.cmd = fuzz_take16(in);
    c->tx.vlan = fuzz_take16(in);
    sel = fuzz_take8(in);
    for (i = 0; i < VFNIC_FUZZ_TX_HEAD; i++) {
        c->data[i] = fuzz_take8(in);
    }
    /* the destination: another function's MAC most of the time */
    if (sel & 0x80) {
        c->data[0] = 0x02;
        memset(c->data + 1, 0, 4);
        c->data[5] = sel % VFNIC_FUZZ_NFN;
    }
    /* sometimes a buffer anywhere at all, RAM or not */
    c->tx.any_addr = sel & 0x40;
    if (c->tx.any_addr) {
        c->addr = fuzz_take32(in);
    }
}

static inline void vfnic_fuzz_decode_mem(FuzzInput *in, VfnicFuzzCmd *c)
{
    unsigned len, i;

    c->addr = VFNIC_FUZZ_WIN + fuzz_take32(in) % VFNIC_FUZZ_WIN_SIZE;
    len = fuzz_take8(in) % VFNIC_FUZZ_MEM_MAX + 1;
    for (i = 0; i < len; i++) {
        c->data[i] = fuzz_take8(in);
    }
    c->count = MIN(len, VFNIC_FUZZ_WIN + VFNIC_FUZZ_WIN_SIZE - c->addr);
}

/* The operands of @op (below OP_NR_COMMON), taken from @in into @c. */
static inline void vfnic_fuzz_decode(FuzzInput *in, unsigned op,
                                     VfnicFuzzCmd *c)
{
    static const uint16_t cfg_regs[] = {     /* all 16 bits wide */
        PCI_COMMAND,                                /* bus master, memory */
        VFNIC_FUZZ_MSIX_CAP + PCI_MSIX_FLAGS,       /* enable, mask */
        VFNIC_FUZZ_PCIE_CAP + PCI_EXP_DEVCTL,       /* FLR among others */
        VFNIC_FUZZ_SRIOV_CAP + PCI_SRIOV_CTRL,      /* PF: VF Enable */
        VFNIC_FUZZ_SRIOV_CAP + PCI_SRIOV_NUM_VF,    /* PF: NumVFs */
    };
    unsigned i;

    c->op = op;
    c->fn = 0;
    switch (op) {
    case OP_FN_WRITE:
    case OP_FN_READ:
        c->fn = fuzz_take8(in) % VFNIC_FUZZ_NFN;
        c->reg = fuzz_take16(in) % VFNIC_FN_BLOCK_SIZE & ~3u;
        if (op == OP_FN_WRITE) {
            c->val = fuzz_take32(in);
        }
        break;
    case OP_PF_WRITE:
    case OP_PF_READ:
        c->reg = VFNIC_FN_BLOCK_SIZE +
                 fuzz_take32(in) % (VFNIC_PF_BAR0_SIZE - VFNIC_FN_BLOCK_SIZE);
        c->reg &= ~3u;
        if (op == OP_PF_WRITE) {
            c->val = fuzz_take32(in);
        }
        break;
    case OP_MEM_WRITE:
        vfnic_fuzz_decode_mem(in, c);
        break;
    case OP_TX:
        vfnic_fuzz_decode_tx(in, c);
        break;
    case OP_RX_REFILL:
        c->fn = fuzz_take8(in) % VFNIC_FUZZ_NFN;
        c->count = fuzz_take8(in) % VFNIC_FUZZ_RING_LEN;
        break;
    case OP_CLOCK:
        c->ns = (int64_t)fuzz_take16(in) * 1000;
        break;
    case OP_FLR:
        c->fn = 1 + fuzz_take8(in) % VFNIC_FUZZ_NVF;
        break;
    case OP_SRIOV:
        c->count = fuzz_take8(in) % (VFNIC_FUZZ_NVF + 1);
        break;
    case OP_CFG_WRITE:
        c->fn = fuzz_take8(in) % VFNIC_FUZZ_NFN;
        c->reg = cfg_regs[fuzz_take8(in) % ARRAY_SIZE(cfg_regs)];
        c->val = fuzz_take16(in);
        break;
    case OP_MBX:
        c->fn = fuzz_take8(in) % VFNIC_FUZZ_NFN;
        for (i = 0; i < ARRAY_SIZE(c->mbx); i++) {
            c->mbx[i] = fuzz_take32(in);
        }
        c->val = fuzz_take8(in);
        break;
    }
}

#endif
