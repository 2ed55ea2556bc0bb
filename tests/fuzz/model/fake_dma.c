/*
 * Guest memory and DMA for the model harness: QEMU's memory API as the
 * model reaches it (flatview_translate() behind address_space_translate(),
 * address_space_get_iotlb_entry(), the MemoryRegionCache calls,
 * address_space_map()/unmap(), address_space_rw() behind pci_dma_*()),
 * over one fixed array of guest RAM, with an IOMMU in front of it.
 *
 * The fake is instrumented where QEMU is silent:
 *  - guest RAM is ASan-poisoned except, during a device entry, where a
 *    live mapping covers it and the mapping's function still reaches it
 *    through the IOMMU, so the model touching guest memory past a window
 *    it mapped, through one it already unmapped, or through one whose
 *    IOMMU page the guest unmapped since, is an ASan report;
 *  - every entry's changes to guest RAM are compared with a shadow copy
 *    afterwards: each changed byte must lie within what a write mapping
 *    reported dirty (address_space_unmap's access_len,
 *    address_space_cache_invalidate()) or a DMA write put
 *    there, by a function the harness allows to write it. A write through
 *    a read mapping, a write past the dirty length (lost to migration) and
 *    a write into memory the function's driver never gave it all fail.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include <sanitizer/asan_interface.h>
#include "exec/memory.h"
#include "qemu/rcu.h"
#include "fake_qemu.h"
#include "fuzz_check.h"

#define FAKE_MAX_FN     65
#define FAKE_MAX_MAPS   80
#define FAKE_SECTION    0x10000ULL

typedef struct FakeMap {
    PCIDevice *dev;             /* NULL: free */
    unsigned fn;
    const MemoryRegionCache *cache;     /* NULL: address_space_map()'s */
    uint64_t addr;
    uint64_t len;
    bool write;
} FakeMap;

typedef struct FakeWrite {
    PCIDevice *dev;
    uint64_t addr;
    uint64_t len;
} FakeWrite;

static uint8_t guest[GUEST_SIZE] QEMU_ALIGNED(FAKE_PAGE);
/* guest RAM as of the end of the last entry (what the guest last saw) */
static uint8_t shadow[GUEST_SIZE] QEMU_ALIGNED(FAKE_PAGE);
/* guest RAM as each input starts (fake_dma_snapshot) */
static uint8_t golden[GUEST_SIZE] QEMU_ALIGNED(FAKE_PAGE);
static unsigned long dirty[BITS_TO_LONGS(GUEST_SIZE / FAKE_PAGE)];
static unsigned long touched[BITS_TO_LONGS(GUEST_SIZE / FAKE_PAGE)];

static FakeDmaMode mode;
static unsigned long unmapped[FAKE_NFN][BITS_TO_LONGS(FAKE_PAGES)];
static FlatView views[FAKE_MAX_FN];
/* what function fn's IOMMU translates into: system memory, one per fn */
static FlatView tviews[FAKE_MAX_FN];
static AddressSpace targets[FAKE_MAX_FN];
static PCIDevice *devs[FAKE_MAX_FN];
static FakeMap maps[FAKE_MAX_MAPS];
static unsigned live;
static FakeWrite *writes;
static size_t nwrites, writes_cap;
static bool poisoned;
static bool in_entry;
/* a drain's bottom halves are running (FAKE_DRAIN_BAR) */
static unsigned draining;

/*
 * The two kinds of memory region a translation ends in: RAM, and nothing
 * (an IOMMU fault, an address no RAM backs). A peer's BAR is "nothing" to
 * address_space_map() and MMIO to address_space_rw().
 */
static MemoryRegion ram_mr = { .ram = true };
static MemoryRegion none_mr;

/* ASan granules are 8 bytes: poison whole ones, then re-open live maps. */
static void guest_poison(uint64_t addr, uint64_t len)
{
    uint64_t start = QEMU_ALIGN_DOWN(addr, 8);
    uint64_t end = MIN(QEMU_ALIGN_UP(addr + len, 8), GUEST_SIZE);
    unsigned i;

    ASAN_POISON_MEMORY_REGION(guest + start, end - start);
    for (i = 0; in_entry && live && i < FAKE_MAX_MAPS; i++) {
        if (maps[i].dev && maps[i].addr < end &&
            maps[i].addr + maps[i].len > start) {
            ASAN_UNPOISON_MEMORY_REGION(guest + maps[i].addr, maps[i].len);
        }
    }
}

static void mark(unsigned long *bits, uint64_t addr, uint64_t len)
{
    uint64_t p;

    for (p = addr / FAKE_PAGE; p <= (addr + len - 1) / FAKE_PAGE; p++) {
        set_bit(p, bits);
    }
}

/* The harness's own accesses: the guest's CPU, between device entries. */
void fake_guest_write(uint64_t addr, const void *buf, size_t len)
{
    if (!len || addr >= GUEST_SIZE) {
        return;
    }
    len = MIN(len, GUEST_SIZE - addr);
    ASAN_UNPOISON_MEMORY_REGION(guest + addr, len);
    memcpy(guest + addr, buf, len);
    memcpy(shadow + addr, buf, len);
    guest_poison(addr, len);
    mark(dirty, addr, len);
}

void fake_guest_read(uint64_t addr, void *buf, size_t len)
{
    memset(buf, 0, len);
    if (addr < GUEST_SIZE) {
        memcpy(buf, shadow + addr, MIN(len, GUEST_SIZE - addr));
    }
}

uint64_t fake_guest_ldq(uint64_t addr)
{
    uint64_t v;

    fake_guest_read(addr, &v, sizeof(v));
    return le64_to_cpu(v);
}

void fake_dma_reset(void)
{
    unsigned long p;

    if (!poisoned) {
        ASAN_POISON_MEMORY_REGION(guest, GUEST_SIZE);
        poisoned = true;
    }
    /* back to the snapshot, touching only the pages dirtied since */
    for (p = find_first_bit(dirty, GUEST_SIZE / FAKE_PAGE);
         p < GUEST_SIZE / FAKE_PAGE;
         p = find_next_bit(dirty, GUEST_SIZE / FAKE_PAGE, p + 1)) {
        ASAN_UNPOISON_MEMORY_REGION(guest + p * FAKE_PAGE, FAKE_PAGE);
        memcpy(guest + p * FAKE_PAGE, golden + p * FAKE_PAGE, FAKE_PAGE);
        ASAN_POISON_MEMORY_REGION(guest + p * FAKE_PAGE, FAKE_PAGE);
        memcpy(shadow + p * FAKE_PAGE, golden + p * FAKE_PAGE, FAKE_PAGE);
    }
    bitmap_zero(dirty, GUEST_SIZE / FAKE_PAGE);
    bitmap_zero(touched, GUEST_SIZE / FAKE_PAGE);
    memset(unmapped, 0, sizeof(unmapped));
    memset(maps, 0, sizeof(maps));
    live = 0;
    in_entry = false;
    nwrites = 0;
    mode = FAKE_DMA_IOMMU;
}

void fake_dma_snapshot(void)
{
    unsigned long p;

    assert(!live);
    for (p = find_first_bit(dirty, GUEST_SIZE / FAKE_PAGE);
         p < GUEST_SIZE / FAKE_PAGE;
         p = find_next_bit(dirty, GUEST_SIZE / FAKE_PAGE, p + 1)) {
        memcpy(golden + p * FAKE_PAGE, shadow + p * FAKE_PAGE, FAKE_PAGE);
    }
    bitmap_zero(dirty, GUEST_SIZE / FAKE_PAGE);
}

void fake_dma_set_mode(FakeDmaMode m)
{
    mode = m;
}

FakeDmaMode fake_dma_mode(void)
{
    return mode;
}

void fake_dma_toggle_page(unsigned fn, unsigned page)
{
    change_bit(page % FAKE_PAGES, unmapped[fn % FAKE_NFN]);
}

void fake_dma_attach(PCIDevice *d, unsigned fn)
{
    assert(fn < FAKE_MAX_FN);
    if (!d) {
        /* the device goes away: a mapping it left would dangle */
        unsigned i;

        for (i = 0; i < FAKE_MAX_MAPS; i++) {
            assert(maps[i].dev != devs[fn]);
        }
        devs[fn] = NULL;
        return;
    }
    devs[fn] = d;
    d->bus_master_as.current_map = &views[fn];
    targets[fn].current_map = &tviews[fn];
}

unsigned fake_dma_live_maps(void)
{
    return live;
}

static PCIDevice *view_dev(FlatView *fv, unsigned *fn)
{
    assert(fv >= views && fv < views + FAKE_MAX_FN);
    *fn = fv - views;
    /*
     * The only bottom halves are the device's: DMA in one that a drain
     * runs inside an entry means that the device works inside itself.
     */
    CHECK(!draining, "function %u does DMA in a bottom half run by a "
          "nested aio_poll() inside a device entry", *fn);
    /* DMA by a function that no longer exists is a use after free */
    assert(devs[*fn]);
    return devs[*fn];
}

static PCIDevice *as_dev(AddressSpace *as, unsigned *fn)
{
    return view_dev(as->current_map, fn);
}

/* Bytes from addr that fn reaches in one translation; 0 is a fault. */
static uint64_t reach(PCIDevice *d, unsigned fn, uint64_t addr)
{
    uint64_t off;

    /* bus mastering off: QEMU disables the bus-master address space */
    if (!(pci_get_word(d->config + PCI_COMMAND) & PCI_COMMAND_MASTER)) {
        return 0;
    }
    if (mode == FAKE_DMA_FLAT) {
        return addr < GUEST_SIZE ? GUEST_SIZE - addr : 0;
    }
    if (fn >= FAKE_NFN || addr < FN_MEM(fn) ||
        addr - FN_MEM(fn) >= FN_MEM_SIZE) {
        return 0;
    }
    off = addr - FN_MEM(fn);
    if (test_bit(off / FAKE_PAGE, unmapped[fn])) {
        return 0;
    }
    return FAKE_PAGE - (off & (FAKE_PAGE - 1));
}

/* A peer's BAR0 (no-IOMMU mode only): the device and the offset in it. */
static PCIDevice *peer_bar(PCIDevice *d, uint64_t addr, hwaddr *off)
{
    unsigned fn;

    if (mode != FAKE_DMA_FLAT ||
        !(pci_get_word(d->config + PCI_COMMAND) & PCI_COMMAND_MASTER)) {
        return NULL;
    }
    if (addr >= FAKE_PF_BAR0 && addr < FAKE_PF_BAR0 + 0x100000) {
        *off = addr - FAKE_PF_BAR0;
        return devs[0];
    }
    if (addr >= FAKE_VF_BAR0 && addr < FAKE_VF_BAR0 + 0x100000) {
        fn = 1 + (addr - FAKE_VF_BAR0) / 0x4000;
        *off = (addr - FAKE_VF_BAR0) % 0x4000;
        return fn < FAKE_MAX_FN ? devs[fn] : NULL;
    }
    return NULL;
}

/* The draining device's register (no-IOMMU mode only). */
static bool drain_bar(PCIDevice *d, uint64_t addr)
{
    return mode == FAKE_DMA_FLAT &&
           (pci_get_word(d->config + PCI_COMMAND) & PCI_COMMAND_MASTER) &&
           addr >= FAKE_DRAIN_BAR && addr < FAKE_DRAIN_BAR + FAKE_PAGE;
}

MemoryRegion *flatview_translate(FlatView *fv, hwaddr addr, hwaddr *xlat,
                                 hwaddr *plen, bool is_write,
                                 MemTxAttrs attrs)
{
    unsigned fn;
    PCIDevice *d = view_dev(fv, &fn);
    uint64_t r = reach(d, fn, addr);

    *xlat = addr;
    if (!r) {
        return &none_mr;
    }
    *plen = MIN(*plen, r);
    return &ram_mr;
}

bool memory_region_is_ram_device(MemoryRegion *mr)
{
    return mr->ram_device;
}

void *address_space_map(AddressSpace *as, hwaddr addr, hwaddr *plen,
                        bool is_write, MemTxAttrs attrs)
{
    unsigned fn, i;
    PCIDevice *d = as_dev(as, &fn);
    uint64_t r = reach(d, fn, addr);

    /*
     * QEMU would map MMIO or a fault through its one bounce buffer; the
     * model maps only what it found to be RAM, so this is a refusal, as
     * QEMU's is when that buffer is busy.
     */
    if (!r || !*plen) {
        *plen = 0;
        return NULL;
    }
    *plen = MIN(*plen, r);
    for (i = 0; i < FAKE_MAX_MAPS && maps[i].dev; i++) {
        continue;
    }
    assert(i < FAKE_MAX_MAPS);  /* the model keeps at most 32 */
    maps[i] = (FakeMap){ d, fn, NULL, addr, *plen, is_write };
    live++;
    ASAN_UNPOISON_MEMORY_REGION(guest + addr, *plen);
    mark(touched, addr, *plen);
    return guest + addr;
}

static void log_write(PCIDevice *d, uint64_t addr, uint64_t len)
{
    if (!len) {
        return;
    }
    if (nwrites == writes_cap) {
        writes_cap = writes_cap ? writes_cap * 2 : 256;
        writes = g_renew(FakeWrite, writes, writes_cap);
    }
    writes[nwrites++] = (FakeWrite){ d, addr, len };
    mark(touched, addr, len);
    mark(dirty, addr, len);
}

void address_space_unmap(AddressSpace *as, void *buffer, hwaddr len,
                         bool is_write, hwaddr access_len)
{
    unsigned fn, i;
    PCIDevice *d = as_dev(as, &fn);
    uint64_t addr = (uint8_t *)buffer - guest;

    for (i = 0; i < FAKE_MAX_MAPS; i++) {
        if (maps[i].dev == d && !maps[i].cache && maps[i].addr == addr &&
            maps[i].len == len && maps[i].write == is_write) {
            break;
        }
    }
    /* unmapping what was never mapped, or with another length */
    assert(i < FAKE_MAX_MAPS);
    assert(access_len <= len);
    maps[i].dev = NULL;
    live--;
    if (is_write) {
        log_write(d, addr, access_len);
    }
    guest_poison(addr, len);
}

/*
 * The IOMMU as address_space_get_iotlb_entry() reports it: fn's pages are
 * FAKE_PAGE long and map to the same address of fn's view of system
 * memory (targets[fn]). With no IOMMU (FAKE_DMA_FLAT) the translation
 * stays in the device's own address space, as in QEMU, which then has no
 * IOMMU region to go through.
 */
IOMMUTLBEntry address_space_get_iotlb_entry(AddressSpace *as, hwaddr addr,
                                            bool is_write, MemTxAttrs attrs)
{
    unsigned fn;
    PCIDevice *d = as_dev(as, &fn);
    hwaddr off;
    IOMMUTLBEntry e = {
        .iova = addr & ~(FAKE_PAGE - 1),
        .translated_addr = addr & ~(FAKE_PAGE - 1),
        .addr_mask = FAKE_PAGE - 1,
        .perm = IOMMU_RW,
    };

    assert(fake_rcu_depth());
    if (reach(d, fn, addr)) {
        e.target_as = mode == FAKE_DMA_FLAT ? as : &targets[fn];
    } else if (peer_bar(d, addr, &off) || drain_bar(d, addr)) {
        e.target_as = as;       /* found, and not RAM */
    } else {
        e = (IOMMUTLBEntry){ 0 };
    }
    return e;
}

/*
 * A cache of targets[fn] (system memory as fn's IOMMU reaches it) or,
 * without an IOMMU, of fn's own address space. Only RAM gets a pointer,
 * as in QEMU; a live one is a mapping like address_space_map()'s, except
 * that it may outlive the device entry.
 */
int64_t address_space_cache_init(MemoryRegionCache *cache, AddressSpace *as,
                                 hwaddr addr, hwaddr len, bool is_write)
{
    unsigned fn, i;
    PCIDevice *d;
    uint64_t r;

    assert(len > 0);
    if (as->current_map >= tviews && as->current_map < tviews + FAKE_MAX_FN) {
        fn = as->current_map - tviews;
        d = devs[fn];
        assert(d);
        r = addr < GUEST_SIZE ? GUEST_SIZE - addr : 0;
    } else {
        d = as_dev(as, &fn);
        /* behind an IOMMU, the device's space is the IOMMU region: MMIO */
        r = mode == FAKE_DMA_FLAT ? reach(d, fn, addr) : 0;
        /*
         * Without an IOMMU, RAM comes in sections of FAKE_SECTION, as
         * QEMU's flat views split it (holes, overlapping regions): a
         * window ends at one, and one that would start in another
         * section than addr starts at addr instead.
         */
        r = MIN(r, FAKE_SECTION - (addr & (FAKE_SECTION - 1)));
    }
    *cache = (MemoryRegionCache){
        .fv = as->current_map, .xlat = addr, .len = len,
        .is_write = is_write, .mrs.mr = r ? &ram_mr : &none_mr,
    };
    if (!r) {
        return len;
    }
    cache->len = MIN(len, r);
    for (i = 0; i < FAKE_MAX_MAPS && maps[i].dev; i++) {
        continue;
    }
    assert(i < FAKE_MAX_MAPS);  /* the model keeps at most VFNIC_DMA_WINS */
    maps[i] = (FakeMap){ d, fn, cache, addr, cache->len, is_write };
    live++;
    if (in_entry) {
        ASAN_UNPOISON_MEMORY_REGION(guest + addr, cache->len);
    }
    mark(touched, addr, cache->len);
    cache->ptr = guest + addr;
    return cache->len;
}

/* Two functions may map the same memory (no IOMMU): go by the cache. */
static FakeMap *cache_map(MemoryRegionCache *cache)
{
    uint64_t addr = (uint8_t *)cache->ptr - guest;
    unsigned i;

    for (i = 0; i < FAKE_MAX_MAPS; i++) {
        if (maps[i].dev && maps[i].cache == cache) {
            assert(maps[i].addr == addr && maps[i].len == cache->len &&
                   maps[i].write == cache->is_write);
            return &maps[i];
        }
    }
    g_assert_not_reached();     /* a cache that was never set up */
}

void address_space_cache_invalidate(MemoryRegionCache *cache, hwaddr addr,
                                    hwaddr access_len)
{
    FakeMap *m;

    assert(cache->is_write && cache->ptr);
    m = cache_map(cache);
    assert(addr <= m->len && access_len <= m->len - addr);
    log_write(m->dev, m->addr + addr, access_len);
}

void address_space_cache_destroy(MemoryRegionCache *cache)
{
    FakeMap *m;

    if (!cache->mrs.mr) {
        return;
    }
    if (cache->ptr) {
        m = cache_map(cache);
        m->dev = NULL;
        live--;
        guest_poison(m->addr, m->len);
    }
    cache->mrs.mr = NULL;
    cache->ptr = NULL;
}

/* One 4-byte MMIO access of a peer's BAR, as QEMU splits a DMA into. */
static bool peer_access(PCIDevice *peer, hwaddr off, uint8_t *buf,
                        uint64_t len, bool is_write)
{
    uint64_t val = 0;

    /* the BAR takes 4-byte accesses only (valid.min/max_access_size) */
    if (len != 4 || (off & 3)) {
        return false;
    }
    if (is_write) {
        val = ldl_le_p(buf);
    }
    if (!fake_mmio(peer, off, &val, is_write)) {
        return false;
    }
    if (!is_write) {
        stl_le_p(buf, val);
    }
    return true;
}

MemTxResult address_space_rw(AddressSpace *as, hwaddr addr, MemTxAttrs attrs,
                             void *buf, hwaddr len, bool is_write)
{
    unsigned fn;
    PCIDevice *d = as_dev(as, &fn);
    MemTxResult res = MEMTX_OK;
    uint8_t *p = buf;

    /* like flatview_{read,write}_continue: piece by piece, on past errors */
    while (len) {
        uint64_t r = reach(d, fn, addr), n;
        PCIDevice *peer;
        hwaddr off;

        if (r) {
            n = MIN(len, r);
            ASAN_UNPOISON_MEMORY_REGION(guest + addr, n);
            if (is_write) {
                memcpy(guest + addr, p, n);
                log_write(d, addr, n);
            } else {
                memcpy(p, guest + addr, n);
            }
            guest_poison(addr, n);
        } else if ((peer = peer_bar(d, addr, &off))) {
            n = MIN(len, 4 - (addr & 3));
            if (!peer_access(peer, off, p, n, is_write)) {
                res |= MEMTX_ERROR;
            }
        } else if (drain_bar(d, addr)) {
            n = MIN(len, 4 - (addr & 3));
            draining++;
            fake_run_bhs(1);
            draining--;
            if (!is_write) {
                memset(p, 0, n);
            }
        } else {
            /* the rest of the IOMMU page (or one byte) faults */
            n = MIN(len, FAKE_PAGE - (addr & (FAKE_PAGE - 1)));
            res |= MEMTX_DECODE_ERROR;
            fake_count.dma_faults++;
            if (!is_write) {
                memset(p, 0xff, n);
            }
        }
        addr += n;
        p += n;
        len -= n;
    }
    return res;
}

/*
 * Windows the model kept open from earlier entries: what their function
 * still reaches is open to it again, and is checked at the end of the
 * entry like any mapping; a page the guest unmapped since stays poisoned.
 */
void fake_dma_entry_begin(void)
{
    unsigned i;
    uint64_t a, n;

    in_entry = true;
    nwrites = 0;
    for (i = 0; live && i < FAKE_MAX_MAPS; i++) {
        FakeMap *m = &maps[i];

        for (a = m->addr; m->dev && a < m->addr + m->len; a += n) {
            n = MIN(QEMU_ALIGN_UP(a + 1, FAKE_PAGE), m->addr + m->len) - a;
            if (reach(m->dev, m->fn, a)) {
                ASAN_UNPOISON_MEMORY_REGION(guest + a, n);
            }
            mark(touched, a, n);
        }
    }
}

/*
 * How many bytes from a are covered by one write of a function allowed to
 * write there: the shorter of the write and the allowed run. 0: none.
 */
static uint64_t covered(uint64_t a, FakeAllowedFn *allowed)
{
    size_t i;

    for (i = 0; i < nwrites; i++) {
        uint64_t n;

        if (a < writes[i].addr || a >= writes[i].addr + writes[i].len) {
            continue;
        }
        n = allowed(writes[i].dev, a);
        if (n) {
            return MIN(n, writes[i].addr + writes[i].len - a);
        }
    }
    return 0;
}

/* The first changed byte of page p that no allowed write explains, or -1 */
static int64_t check_page(unsigned long p, FakeAllowedFn *allowed)
{
    uint64_t base = p * FAKE_PAGE, ok_until = 0, i, j;

    if (!memcmp(guest + base, shadow + base, FAKE_PAGE)) {
        return -1;
    }
    for (i = base; i < base + FAKE_PAGE; i += 8) {
        if (!memcmp(guest + i, shadow + i, 8)) {
            continue;
        }
        for (j = i; j < i + 8; j++) {
            uint64_t n;

            if (j < ok_until || guest[j] == shadow[j]) {
                continue;
            }
            n = covered(j, allowed);
            if (!n) {
                return j;
            }
            ok_until = j + n;
        }
    }
    return -1;
}

int64_t fake_dma_entry_end(FakeAllowedFn *allowed)
{
    unsigned long p, np = GUEST_SIZE / FAKE_PAGE;
    int64_t bad = -1;

    in_entry = false;
    /* first check every page against the state before the entry ... */
    for (p = find_first_bit(touched, np); p < np;
         p = find_next_bit(touched, np, p + 1)) {
        ASAN_UNPOISON_MEMORY_REGION(guest + p * FAKE_PAGE, FAKE_PAGE);
        if (bad < 0) {
            bad = check_page(p, allowed);
        }
    }
    /* ... then take the entry's result as what the guest sees now */
    for (p = find_first_bit(touched, np); p < np;
         p = find_next_bit(touched, np, p + 1)) {
        memcpy(shadow + p * FAKE_PAGE, guest + p * FAKE_PAGE, FAKE_PAGE);
        ASAN_POISON_MEMORY_REGION(guest + p * FAKE_PAGE, FAKE_PAGE);
        set_bit(p, dirty);
    }
    bitmap_zero(touched, np);
    nwrites = 0;
    return bad;
}

/*
 * RCU, as rcu_read_lock()/unlock() reach it: one thread, no grace period
 * ever waits, so the reader's depth is all there is to keep (and check).
 */
unsigned long rcu_gp_ctr;
QemuEvent rcu_gp_event;
static __thread struct rcu_reader_data rcu_reader;

struct rcu_reader_data *get_ptr_rcu_reader(void)
{
    return &rcu_reader;
}

void qemu_event_set(QemuEvent *ev)
{
}

unsigned fake_rcu_depth(void)
{
    return rcu_reader.depth;
}
