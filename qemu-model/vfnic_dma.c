/*
 * vfnic: frame DMA through windows of guest memory mapped for one device
 * entry.
 *
 * Translating every buffer address through the IOMMU (an IOTLB hash lookup
 * under the IOMMU's lock, plus the flat view walk) costs more than copying
 * a small frame. A device entry (a doorbell, an uplink frame, a shaper
 * tick) runs under the BQL, and the IOMMU processes the guest's
 * invalidations under the BQL too, so a translation the device made within
 * the entry stays as valid as the IOMMU's own IOTLB entry until the entry
 * returns. The device therefore keeps host mappings of the last IOMMU pages
 * it reached, per function and direction, and drops all of them before the
 * entry returns (vfnic_dma_end()): nothing outlives the entry, so there is
 * nothing to invalidate or migrate.
 *
 * Anything that is not plain RAM (an unmapped or read-only page, a BAR)
 * takes QEMU's ordinary DMA path, which reports the fault or performs the
 * MMIO access exactly as before.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "exec/memory.h"
#include "qemu/rcu.h"
#include "qemu/units.h"
#include "vfnic.h"
#include "trace.h"

/* The largest page the IOMMU maps that a window tries to cover whole. */
#define VFNIC_DMA_HUGE      (2 * MiB)
#define VFNIC_DMA_PAGE      (4 * KiB)

/*
 * Is [addr, addr + *len) plain RAM for d in this direction? On success
 * *len is clipped to where the translation ends (the IOMMU page, the RAM
 * block). Translating the one address the device is about to access
 * reports a fault exactly as the access itself would.
 */
static bool vfnic_dma_is_ram(AddressSpace *as, dma_addr_t addr, hwaddr *len,
                             bool write)
{
    MemoryRegion *mr;
    hwaddr xlat;

    RCU_READ_LOCK_GUARD();
    mr = address_space_translate(as, addr, &xlat, len, write,
                                 MEMTXATTRS_UNSPECIFIED);
    return memory_access_is_direct(mr, write);
}

/*
 * Windows are found by where they are: one slot per function, direction
 * and 2 MiB of I/O virtual address, so a lookup is one comparison.
 */
static unsigned vfnic_dma_slot(PCIDevice *d, dma_addr_t addr, bool write)
{
    return (d->devfn * 5 + (addr / VFNIC_DMA_HUGE) * 2 + write) %
           VFNIC_DMA_WINS;
}

static void vfnic_dma_unmap(VfnicDmaWin *w)
{
    address_space_unmap(pci_get_address_space(w->dev), w->host, w->len,
                        w->write, w->write ? w->dirty : 0);
    w->dev = NULL;
}

/*
 * Map a window around addr: the whole IOMMU page it lies in when that page
 * is a superpage (DPDK's hugepages are), else its 4 KiB page. NULL when
 * addr is not plain RAM.
 */
static VfnicDmaWin *vfnic_dma_map(VfnicState *s, PCIDevice *d,
                                  dma_addr_t addr, bool write)
{
    AddressSpace *as = pci_get_address_space(d);
    hwaddr to_end = VFNIC_DMA_HUGE - (addr & (VFNIC_DMA_HUGE - 1));
    hwaddr reach = to_end, len;
    dma_addr_t start;
    VfnicDmaWin *w;
    void *host;

    if (!vfnic_dma_is_ram(as, addr, &reach, write)) {
        return NULL;
    }
    /* past its own 4 KiB page, the translation is a superpage's */
    if (reach > VFNIC_DMA_PAGE - (addr & (VFNIC_DMA_PAGE - 1))) {
        start = QEMU_ALIGN_DOWN(addr, VFNIC_DMA_HUGE);
    } else {
        start = QEMU_ALIGN_DOWN(addr, VFNIC_DMA_PAGE);
    }
    len = addr + reach - start;
    /*
     * The page's start lies in the translation already made, so checking
     * it reports no new fault; it must be RAM of the same piece, or the
     * mapping below would read a device's registers into a bounce buffer.
     */
    if (start != addr) {
        hwaddr whole = len;

        if (!vfnic_dma_is_ram(as, start, &whole, write) || whole < len) {
            start = addr;
            len = reach;
        }
    }
    host = address_space_map(as, start, &len, write, MEMTXATTRS_UNSPECIFIED);
    if (!host) {
        return NULL;
    }

    trace_vfnic_dma_map(d->devfn, start, len, write);
    w = &s->dmaw[vfnic_dma_slot(d, addr, write)];
    if (w->dev) {
        vfnic_dma_unmap(w);
    }
    w->dev = d;
    w->iova = start;
    w->len = len;
    w->host = host;
    w->write = write;
    w->dirty = 0;
    return w;
}

static bool vfnic_dma_holds(const VfnicDmaWin *w, dma_addr_t addr,
                            dma_addr_t len)
{
    return addr >= w->iova && addr - w->iova < w->len &&
           len <= w->len - (addr - w->iova);
}

/* The window of d holding [addr, addr + len), mapping one if need be. */
static VfnicDmaWin *vfnic_dma_win(VfnicState *s, PCIDevice *d,
                                  dma_addr_t addr, dma_addr_t len, bool write)
{
    VfnicDmaWin *w = &s->dmaw[vfnic_dma_slot(d, addr, write)];

    if (w->dev == d && w->write == write && vfnic_dma_holds(w, addr, len)) {
        return w;
    }
    w = vfnic_dma_map(s, d, addr, write);
    if (w && !vfnic_dma_holds(w, addr, len)) {
        return NULL;            /* spans a page boundary: not worth it */
    }
    return w;
}

MemTxResult vfnic_dma_read(VfnicState *s, PCIDevice *d, dma_addr_t addr,
                           void *buf, dma_addr_t len)
{
    VfnicDmaWin *w = vfnic_dma_win(s, d, addr, len, false);

    if (!w) {
        return pci_dma_read(d, addr, buf, len);
    }
    /* the descriptor naming this buffer was read with a barrier before */
    memcpy(buf, w->host + (addr - w->iova), len);
    return MEMTX_OK;
}

MemTxResult vfnic_dma_write(VfnicState *s, PCIDevice *d, dma_addr_t addr,
                            const void *buf, dma_addr_t len)
{
    VfnicDmaWin *w = vfnic_dma_win(s, d, addr, len, true);
    dma_addr_t off;

    if (!w) {
        return pci_dma_write(d, addr, buf, len);
    }
    /* ordered before the descriptor write-back by that DMA's barrier */
    off = addr - w->iova;
    memcpy(w->host + off, buf, len);
    w->dirty = MAX(w->dirty, off + len);
    return MEMTX_OK;
}

void vfnic_dma_end(VfnicState *s)
{
    unsigned i;

    for (i = 0; i < VFNIC_DMA_WINS; i++) {
        if (s->dmaw[i].dev) {
            vfnic_dma_unmap(&s->dmaw[i]);
        }
    }
}
