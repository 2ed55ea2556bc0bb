/*
 * The small QEMU the model harness links against (fake_*.c): what the
 * vfnic model's sources call, faked honestly enough that the model runs
 * unchanged, and instrumented so the harness can check what it did.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef FUZZ_MODEL_FAKE_QEMU_H
#define FUZZ_MODEL_FAKE_QEMU_H

#include "qemu/osdep.h"
#include "hw/pci/pci.h"
#include "net/net.h"

/*
 * Guest memory: [0, GUEST_SIZE). Function fn (0..FAKE_NFN-1) owns the MiB
 * at FN_MEM(fn), the layout of ../vfnic_fuzz_input.h (fuzz_model.c checks).
 */
#define FAKE_NFN        4
#define GUEST_SIZE      0x500000ULL
#define FN_MEM(fn)      (0x100000ULL * ((fn) + 1))
#define FN_MEM_SIZE     0x100000ULL
#define FAKE_PAGE       0x1000ULL
#define FAKE_PAGES      (FN_MEM_SIZE / FAKE_PAGE)

/* Where a function's BAR0 sits for peer-to-peer DMA (no-IOMMU mode). */
#define FAKE_PF_BAR0    0xc0000000ULL
#define FAKE_VF_BAR0    0xc0200000ULL
/*
 * Another device's register (no-IOMMU mode), one whose access drains its
 * block backend: the fake runs the main loop's bottom halves there, as the
 * nested aio_poll() of such a drain would, inside the entry that reached
 * it. The model must do no DMA in them (fake_dma.c checks).
 */
#define FAKE_DRAIN_BAR  0xc0400000ULL

typedef enum {
    /*
     * An IOMMU gives each function its own MiB in 4 KiB pages, some of
     * which the input may unmap; everything else faults.
     */
    FAKE_DMA_IOMMU,
    /*
     * No IOMMU: every function reaches all of guest RAM (translations run
     * to the end of RAM, as QEMU's flat view gives them) and the BAR0s of
     * the vfnic functions (peer-to-peer).
     */
    FAKE_DMA_FLAT,
} FakeDmaMode;

typedef struct FakeCounters {
    uint64_t msix_sent[FAKE_NFN];
    uint64_t msix_pending[FAKE_NFN];
    uint64_t uplink_frames;
    uint64_t dma_faults;
    uint64_t log_lines;
} FakeCounters;

extern FakeCounters fake_count;

/* fake_dma.c */
/* back to the last snapshot (zeroed RAM before one), page by page */
void fake_dma_reset(void);
void fake_dma_snapshot(void);
void fake_dma_set_mode(FakeDmaMode mode);
FakeDmaMode fake_dma_mode(void);
void fake_dma_toggle_page(unsigned fn, unsigned page);
void fake_guest_write(uint64_t addr, const void *buf, size_t len);
void fake_guest_read(uint64_t addr, void *buf, size_t len);
uint64_t fake_guest_ldq(uint64_t addr);
/*
 * Called around every device entry: between entries no DMA mapping may
 * be live. After the entry, every guest byte the entry changed must have
 * been written through a write mapping (within its dirty length) or a DMA
 * write, by a function that the harness allows to write it; returns the
 * first offending address or -1. The harness's allowed() answers how many
 * bytes from addr d may write (0: none), reading guest memory as it was
 * before the entry (fake_guest_read still returns that while it runs).
 */
typedef uint64_t FakeAllowedFn(PCIDevice *d, uint64_t addr);
void fake_dma_entry_begin(void);
int64_t fake_dma_entry_end(FakeAllowedFn *allowed);
unsigned fake_dma_live_maps(void);
unsigned fake_rcu_depth(void);
/* The PCIDevice behind a function's bus-master address space. */
void fake_dma_attach(PCIDevice *d, unsigned fn);
/* MMIO dispatch of one function's BAR0, as a CPU or a peer would do it. */
bool fake_mmio(PCIDevice *d, hwaddr off, uint64_t *val, bool write);

/* fake_pci.c */
typedef struct FakeType {
    const TypeInfo *info;
    PCIDeviceClass *klass;
} FakeType;
void fake_qom_init(void);
const FakeType *fake_type(const char *name);
/* storage: where the instance lives (zeroed here), or NULL to allocate */
PCIDevice *fake_pci_new(const char *type, int devfn, void *storage);
void fake_pci_free(PCIDevice *d, bool owned);
void fake_pci_config_write(PCIDevice *d, uint32_t addr, uint32_t val,
                           int len);
uint32_t fake_pci_config_read(PCIDevice *d, uint32_t addr, int len);
void fake_pci_reset(PCIDevice *d);
/* the PF, for the fakes that need to find a function (vfnic.c's casts) */
extern PCIDevice *fake_pf;
/*
 * The object of VF i (kept while the VF does not exist, poisoned), and
 * back to exactly VFs 0..n-1 existing, for a snapshot's restore.
 */
PCIDevice *fake_pci_vf(unsigned i);
void fake_pci_restore_vfs(unsigned n);

/* fake_misc.c */
/* returns how many timers fired */
unsigned fake_clock_step(int64_t ns, const QEMUTimer *count);
unsigned fake_run_bhs(unsigned rounds);
int64_t fake_clock_ns(void);
void fake_misc_reset(void);
/* the clock and timers as they are now, and back to that */
void fake_misc_snapshot(void);
void fake_misc_rewind(void);
NICState *fake_nic(void);
/* who the harness says is sending now: a function, or -1 (don't know) */
extern int fake_sender;
extern bool (*fake_uplink_check)(const uint8_t *buf, size_t len);

#endif
