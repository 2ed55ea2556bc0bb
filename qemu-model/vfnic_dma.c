/*
 * vfnic: frame DMA through windows of guest memory kept from one device
 * entry to the next.
 *
 * Translating every buffer address through the IOMMU (an IOTLB hash lookup
 * under the IOMMU's lock, plus two flat view walks) costs more than copying
 * a small frame, and mapping the page it lies in costs three of those. So
 * the device keeps windows: host mappings (MemoryRegionCache) of the IOMMU
 * pages a function's DMA reached, per function and direction.
 *
 * A window is only used within a device entry (a doorbell, an uplink
 * frame, a shaper tick) after one translation in that entry has shown that
 * the IOMMU still maps its page to the same place of the same flat view.
 * The IOMMU processes the guest's invalidations, and the PCI core the
 * guest's Bus Master Enable, under the BQL, as the device entry runs; so a
 * window checked in an entry stays as valid as the IOMMU's own IOTLB entry
 * until the entry returns, and the next entry checks it again. That keeps
 * the device's view of memory exactly the IOMMU's, with no notifier:
 * intel-iommu reports unmaps to a notifier only in caching mode, which a
 * guest cannot be made to run. Pages the device wrote are marked dirty at
 * the end of each entry (vfnic_dma_end()), for migration and for TCG's
 * translated code, as unmapping them would.
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

/* The largest piece of an IOMMU page that a window covers. */
#define VFNIC_DMA_HUGE      (2 * MiB)

/*
 * Where the device's address space maps addr: the IOMMU page holding it
 * (behind no IOMMU, the identity map, in pieces of VFNIC_DMA_HUGE), the
 * address space it translates into and addr's address there. False when
 * the access would fault; the translation reports that fault just as the
 * access itself would.
 */
static bool vfnic_dma_lookup(PCIDevice *d, dma_addr_t addr, bool write,
                             IOMMUTLBEntry *e)
{
    AddressSpace *as = pci_get_address_space(d);

    *e = address_space_get_iotlb_entry(as, addr, write,
                                       MEMTXATTRS_UNSPECIFIED);
    if (!e->target_as) {
        return false;
    }
    if (e->target_as == as) {
        /* no IOMMU: the flat view maps the device's addresses as they are */
        e->iova = QEMU_ALIGN_DOWN(addr, VFNIC_DMA_HUGE);
        e->translated_addr = e->iova;
        e->addr_mask = VFNIC_DMA_HUGE - 1;
    }
    return true;
}

/* Is w's mapping still the one e (the translation of addr) gives? */
static bool vfnic_dma_current(const VfnicDmaWin *w, const IOMMUTLBEntry *e)
{
    return e->target_as == w->target && w->iova >= e->iova &&
           w->iova + w->len - 1 <= e->iova + e->addr_mask &&
           e->translated_addr + (w->iova - e->iova) == w->taddr &&
           address_space_to_flatview(w->target) == w->cache.fv;
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

/* Mark what the entry wrote through w dirty, as unmapping it would. */
static void vfnic_dma_flush(VfnicDmaWin *w)
{
    if (w->dirty_hi > w->dirty_lo) {
        address_space_cache_invalidate(&w->cache, w->dirty_lo,
                                       w->dirty_hi - w->dirty_lo);
    }
    w->dirty_lo = w->dirty_hi = 0;
}

static void vfnic_dma_close(VfnicDmaWin *w)
{
    vfnic_dma_flush(w);
    address_space_cache_destroy(&w->cache);
    w->dev = NULL;
}

/*
 * Map a window around addr, translated as e: the piece of the IOMMU page
 * that holds addr, or from addr to the end of that page when the piece
 * does not start in RAM. False when addr is not plain RAM.
 */
static bool vfnic_dma_open(VfnicState *s, VfnicDmaWin *w, PCIDevice *d,
                           dma_addr_t addr, bool write,
                           const IOMMUTLBEntry *e)
{
    dma_addr_t page_end = e->iova + e->addr_mask;
    dma_addr_t start = MAX(e->iova, QEMU_ALIGN_DOWN(addr, VFNIC_DMA_HUGE));
    dma_addr_t end = MIN(page_end, start + VFNIC_DMA_HUGE - 1);
    int64_t len;

    if (w->dev) {
        vfnic_dma_close(w);
    }
    w->target = e->target_as;
    w->write = write;
    for (;;) {
        w->iova = start;
        w->taddr = e->translated_addr + (start - e->iova);
        len = address_space_cache_init(&w->cache, w->target, w->taddr,
                                       end - start + 1, write);
        if (w->cache.ptr && len > addr - start) {
            break;
        }
        address_space_cache_destroy(&w->cache);
        if (start == addr) {
            return false;
        }
        start = addr;           /* the piece starts in another region */
    }
    trace_vfnic_dma_map(d->devfn, start, len, write);
    w->dev = d;
    w->len = len;
    w->entry = s->dma_entry;
    w->dirty_lo = w->dirty_hi = 0;
    return true;
}

static bool vfnic_dma_holds(const VfnicDmaWin *w, dma_addr_t addr,
                            dma_addr_t len)
{
    return addr >= w->iova && addr - w->iova < w->len &&
           len <= w->len - (addr - w->iova);
}

/* The window of d holding [addr, addr + len), checked or mapped anew. */
static VfnicDmaWin *vfnic_dma_win(VfnicState *s, PCIDevice *d,
                                  dma_addr_t addr, dma_addr_t len, bool write)
{
    VfnicDmaWin *w = &s->dmaw[vfnic_dma_slot(d, addr, write)];
    bool ours = w->dev == d && w->write == write &&
                vfnic_dma_holds(w, addr, len);
    IOMMUTLBEntry e;

    if (ours && w->entry == s->dma_entry) {
        return w;
    }

    RCU_READ_LOCK_GUARD();
    if (!vfnic_dma_lookup(d, addr, write, &e)) {
        return NULL;
    }
    if (ours && vfnic_dma_current(w, &e)) {
        w->entry = s->dma_entry;
        return w;
    }
    if (!vfnic_dma_open(s, w, d, addr, write, &e) ||
        !vfnic_dma_holds(w, addr, len)) {
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
    memcpy(buf, (uint8_t *)w->cache.ptr + (addr - w->iova), len);
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
    memcpy((uint8_t *)w->cache.ptr + off, buf, len);
    if (w->dirty_lo == w->dirty_hi) {
        w->dirty_lo = off;
        w->dirty_hi = off + len;
    } else {
        w->dirty_lo = MIN(w->dirty_lo, off);
        w->dirty_hi = MAX(w->dirty_hi, off + len);
    }
    return MEMTX_OK;
}

void vfnic_dma_end(VfnicState *s)
{
    unsigned i;

    for (i = 0; i < VFNIC_DMA_WINS; i++) {
        if (s->dmaw[i].dev) {
            vfnic_dma_flush(&s->dmaw[i]);
        }
    }
    /* no window is valid in the next entry before it is checked again */
    s->dma_entry++;
}

void vfnic_dma_forget(VfnicState *s, PCIDevice *d)
{
    unsigned i;

    for (i = 0; i < VFNIC_DMA_WINS; i++) {
        if (s->dmaw[i].dev && (!d || s->dmaw[i].dev == d)) {
            vfnic_dma_close(&s->dmaw[i]);
        }
    }
}
