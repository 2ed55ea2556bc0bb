/*
 * QOM, PCI, PCIe, SR-IOV and MSI-X for the model harness: just what
 * vfnic.c and vfnic_vf.c call, with QEMU 7.2's semantics where the model
 * depends on them (hw/pci/pcie_sriov.c: VFs exist from VF Enable with
 * NumVFs <= TotalVFs until VF Enable is cleared; FLR resets the VF through
 * its reset handler with BCR_FLR still set, then clears it and the command
 * register; a BAR decodes only with the function's memory enable; DMA
 * needs its bus mastering, see fake_dma.c).
 *
 * QOM is reduced to a table of the types the model registers: the harness
 * creates an instance by calling the type's class_init once and its
 * realize, as qdev would. A cast checks the object really is of the type
 * it is cast to, which is all QOM's own check does for these types.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/module.h"
#include "qemu/range.h"
#include "hw/pci/msix.h"
#include "hw/pci/pcie.h"
#include "hw/pci/pcie_sriov.h"
#include <sanitizer/asan_interface.h>
#include "hw/qdev-properties.h"
#include "migration/vmstate.h"
#include "vfnic_hw.h"
#include "fake_qemu.h"

#define FAKE_MAX_TYPES  4
#define FAKE_MAX_INITS  4

static FakeType types[FAKE_MAX_TYPES];
static unsigned ntypes;
static void (*inits[FAKE_MAX_INITS])(void);
static unsigned ninits;
PCIDevice *fake_pf;

/* The model's constructors (type_init) land here before main(). */
void register_module_init(void (*fn)(void), module_init_type type)
{
    assert(type == MODULE_INIT_QOM && ninits < FAKE_MAX_INITS);
    inits[ninits++] = fn;
}

Type type_register_static(const TypeInfo *info)
{
    assert(ntypes < FAKE_MAX_TYPES);
    assert(!strcmp(info->parent, TYPE_PCI_DEVICE));
    types[ntypes].info = info;
    return (Type)&types[ntypes++];
}

void fake_qom_init(void)
{
    unsigned i;

    for (i = 0; i < ninits; i++) {
        inits[i]();
    }
    for (i = 0; i < ntypes; i++) {
        types[i].klass = g_new0(PCIDeviceClass, 1);
        types[i].info->class_init(OBJECT_CLASS(types[i].klass),
                                  types[i].info->class_data);
    }
}

const FakeType *fake_type(const char *name)
{
    unsigned i;

    for (i = 0; i < ntypes; i++) {
        if (!strcmp(types[i].info->name, name)) {
            return &types[i];
        }
    }
    return NULL;
}

static const FakeType *type_of(Object *obj)
{
    unsigned i;

    for (i = 0; i < ntypes; i++) {
        if (obj->class == OBJECT_CLASS(types[i].klass)) {
            return &types[i];
        }
    }
    return NULL;
}

/* Devices live as long as the harness: nothing to count. */
Object *object_ref(void *objptr)
{
    return objptr;
}

void object_unref(void *objptr)
{
}

Object *object_dynamic_cast_assert(Object *obj, const char *typename,
                                   const char *file, int line,
                                   const char *func)
{
    const FakeType *t = type_of(obj);

    /* every object here is a PCI device of a registered type */
    assert(t);
    if (strcmp(typename, TYPE_DEVICE) && strcmp(typename, TYPE_PCI_DEVICE) &&
        strcmp(typename, t->info->name)) {
        fprintf(stderr, "%s:%d: %s: %s is not a %s\n", file, line, func,
                t->info->name, typename);
        abort();
    }
    return obj;
}

ObjectClass *object_class_dynamic_cast_assert(ObjectClass *klass,
                                              const char *typename,
                                              const char *file, int line,
                                              const char *func)
{
    return klass;
}

const char *object_get_typename(const Object *obj)
{
    return type_of((Object *)obj)->info->name;
}

/* The model's properties: their defaults, as qdev would set them. */
const PropertyInfo qdev_prop_uint16;
const PropertyInfo qdev_prop_uint32;
const PropertyInfo qdev_prop_macaddr;
const PropertyInfo qdev_prop_netdev;

void device_class_set_props(DeviceClass *dc, Property *p)
{
    dc->props_ = p;
}

static void apply_defaults(Object *obj, DeviceClass *dc)
{
    Property *p;

    for (p = dc->props_; p && p->name; p++) {
        if (p->info == &qdev_prop_uint16 && p->set_default) {
            *(uint16_t *)((uint8_t *)obj + p->offset) = p->defval.u;
        } else if (p->info == &qdev_prop_uint32 && p->set_default) {
            *(uint32_t *)((uint8_t *)obj + p->offset) = p->defval.u;
        }
    }
}

/* Migration is not fuzzed: the descriptions only need to link. */
const VMStateInfo vmstate_info_bool;
const VMStateInfo vmstate_info_int64;
const VMStateInfo vmstate_info_uint8;
const VMStateInfo vmstate_info_uint32;
const VMStateInfo vmstate_info_uint64;
const VMStateInfo vmstate_info_timer;
const VMStateDescription vmstate_pci_device;
const VMStateDescription vmstate_msix;

void error_setg_internal(Error **errp, const char *src, int line,
                         const char *func, const char *fmt, ...)
{
    va_list ap;

    /* a failed realize is a broken harness, not a finding */
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (%s:%d)\n", src, line);
    abort();
}

PCIDevice *fake_pci_new(const char *type, int devfn, void *storage)
{
    const FakeType *t = fake_type(type);
    PCIDevice *d;

    assert(t);
    if (storage) {
        d = memset(storage, 0, t->info->instance_size);
    } else {
        d = g_malloc0(t->info->instance_size);
    }
    OBJECT(d)->class = OBJECT_CLASS(t->klass);
    d->devfn = devfn;
    d->config = g_malloc0(PCIE_CONFIG_SPACE_SIZE);
    apply_defaults(OBJECT(d), DEVICE_CLASS(t->klass));
    return d;
}

void fake_pci_free(PCIDevice *d, bool owned)
{
    g_free(d->config);
    if (owned) {
        g_free(d);
    }
}

static PCIDeviceClass *pci_class(PCIDevice *d)
{
    return PCI_DEVICE_CLASS(OBJECT(d)->class);
}

void pci_register_bar(PCIDevice *d, int region_num, uint8_t attr,
                      MemoryRegion *memory)
{
    d->io_regions[region_num].memory = memory;
    d->io_regions[region_num].size = int128_get64(memory->size);
    d->io_regions[region_num].type = attr;
}

void memory_region_init(MemoryRegion *mr, Object *owner, const char *name,
                        uint64_t size)
{
    memset(mr, 0, sizeof(*mr));
    mr->size = int128_make64(size);
    mr->owner = owner;
    mr->dev = (DeviceState *)owner;
}

void memory_region_init_io(MemoryRegion *mr, Object *owner,
                           const MemoryRegionOps *ops, void *opaque,
                           const char *name, uint64_t size)
{
    memory_region_init(mr, owner, name, size);
    mr->ops = ops;
    mr->opaque = opaque;
}

/*
 * A 4-byte access of d's BAR0, from the guest's CPU or a peer's DMA: it
 * decodes only with memory enabled, and QEMU's reentrancy guard refuses
 * an access to a device already in the middle of one.
 */
bool fake_mmio(PCIDevice *d, hwaddr off, uint64_t *val, bool write)
{
    MemoryRegion *mr = d ? d->io_regions[VFNIC_BAR_REGS].memory : NULL;
    MemReentrancyGuard *g;

    if (!mr || !mr->ops ||
        !(pci_get_word(d->config + PCI_COMMAND) & PCI_COMMAND_MEMORY) ||
        off >= int128_get64(mr->size)) {
        *val = 0;
        return false;
    }
    g = &DEVICE(d)->mem_reentrancy_guard;
    if (g->engaged_in_io) {
        *val = 0;
        return false;
    }
    g->engaged_in_io = true;
    if (write) {
        mr->ops->write(mr->opaque, off, *val, 4);
    } else {
        *val = mr->ops->read(mr->opaque, off, 4);
    }
    g->engaged_in_io = false;
    return true;
}

/* MSI-X: the capability, the enable and mask bits, and a count. */
int msix_init(PCIDevice *d, unsigned short nentries, MemoryRegion *table_bar,
              uint8_t table_bar_nr, unsigned table_offset,
              MemoryRegion *pba_bar, uint8_t pba_bar_nr, unsigned pba_offset,
              uint8_t cap_pos, Error **errp)
{
    d->msix_cap = cap_pos;
    d->msix_entries_nr = nentries;
    d->cap_present |= QEMU_PCI_CAP_MSIX;
    pci_set_word(d->config + cap_pos + PCI_MSIX_FLAGS, nentries - 1);
    return 0;
}

void msix_uninit(PCIDevice *d, MemoryRegion *table_bar, MemoryRegion *pba_bar)
{
    d->cap_present &= ~QEMU_PCI_CAP_MSIX;
}

void msix_vector_use(PCIDevice *d, unsigned vector)
{
    assert(vector < d->msix_entries_nr);
}

int msix_enabled(PCIDevice *d)
{
    return (d->cap_present & QEMU_PCI_CAP_MSIX) &&
           (pci_get_word(d->config + d->msix_cap + PCI_MSIX_FLAGS) &
            PCI_MSIX_FLAGS_ENABLE);
}

static unsigned fake_fn_of(PCIDevice *d)
{
    return pci_is_vf(d) ? 1 + pcie_sriov_vf_number(d) : 0;
}

void msix_notify(PCIDevice *d, unsigned vector)
{
    unsigned fn = fake_fn_of(d);

    /* the model checks both before it notifies; QEMU would drop these */
    assert(msix_enabled(d));
    assert(vector < d->msix_entries_nr);
    if (fn >= FAKE_NFN) {
        return;
    }
    if (pci_get_word(d->config + d->msix_cap + PCI_MSIX_FLAGS) &
        PCI_MSIX_FLAGS_MASKALL) {
        fake_count.msix_pending[fn]++;
    } else {
        fake_count.msix_sent[fn]++;
    }
}

void msix_reset(PCIDevice *d)
{
    pci_word_test_and_clear_mask(d->config + d->msix_cap + PCI_MSIX_FLAGS,
                                 PCI_MSIX_FLAGS_ENABLE |
                                 PCI_MSIX_FLAGS_MASKALL);
}

/* PCIe capabilities: where they are, and FLR's bit. */
int pcie_endpoint_cap_init(PCIDevice *d, uint8_t offset)
{
    d->exp.exp_cap = offset;
    d->cap_present |= QEMU_PCI_CAP_EXPRESS;
    return offset;
}

void pcie_cap_deverr_init(PCIDevice *d)
{
}

void pcie_ari_init(PCIDevice *d, uint16_t offset, uint16_t nextfn)
{
}

void pcie_cap_flr_init(PCIDevice *d)
{
    pci_long_test_and_set_mask(d->config + d->exp.exp_cap + PCI_EXP_DEVCAP,
                               PCI_EXP_DEVCAP_FLR);
}

/* SR-IOV, after hw/pci/pcie_sriov.c */
void pcie_sriov_pf_init(PCIDevice *d, uint16_t offset, const char *vfname,
                        uint16_t vf_dev_id, uint16_t init_vfs,
                        uint16_t total_vfs, uint16_t vf_offset,
                        uint16_t vf_stride)
{
    uint8_t *cfg = d->config + offset;

    d->exp.sriov_cap = offset;
    d->exp.sriov_pf.num_vfs = 0;
    d->exp.sriov_pf.vfname = vfname;
    d->exp.sriov_pf.vf = NULL;
    pci_set_word(cfg + PCI_SRIOV_VF_OFFSET, vf_offset);
    pci_set_word(cfg + PCI_SRIOV_VF_STRIDE, vf_stride);
    pci_set_word(cfg + PCI_SRIOV_VF_DID, vf_dev_id);
    pci_set_word(cfg + PCI_SRIOV_INITIAL_VF, init_vfs);
    pci_set_word(cfg + PCI_SRIOV_TOTAL_VF, total_vfs);
}

void pcie_sriov_pf_init_vf_bar(PCIDevice *d, int region_num, uint8_t type,
                               dma_addr_t size)
{
    d->exp.sriov_pf.vf_bar_type[region_num] = type;
}

void pcie_sriov_vf_register_bar(PCIDevice *d, int region_num,
                                MemoryRegion *memory)
{
    assert(pci_is_vf(d));
    d->io_regions[region_num].memory = memory;
    d->io_regions[region_num].size = int128_get64(memory->size);
}

/*
 * VF objects are kept, one per VF number, and reused when VFs come back:
 * the harness restores every input from a snapshot of the same objects.
 * While a VF does not exist its object and configuration space are
 * ASan-poisoned, so a model that keeps using a disabled VF is still
 * caught, as if it had been freed.
 */
#define FAKE_MAX_VFS    64

static PCIDevice *vf_obj[FAKE_MAX_VFS];
static uint8_t *vf_config[FAKE_MAX_VFS];
static PCIDevice *vf_array[FAKE_MAX_VFS];
static bool vf_live[FAKE_MAX_VFS];
static size_t vf_size;

static PCIDevice *vf_take(PCIDevice *pf, unsigned i, int devfn)
{
    const FakeType *t = fake_type(pf->exp.sriov_pf.vfname);
    PCIDevice *vf;

    vf_size = t->info->instance_size;
    if (!vf_obj[i]) {
        vf_obj[i] = g_malloc(vf_size);
        vf_config[i] = g_malloc(PCIE_CONFIG_SPACE_SIZE);
    }
    ASAN_UNPOISON_MEMORY_REGION(vf_obj[i], t->info->instance_size);
    ASAN_UNPOISON_MEMORY_REGION(vf_config[i], PCIE_CONFIG_SPACE_SIZE);
    vf = fake_pci_new(t->info->name, devfn, vf_obj[i]);
    g_free(vf->config);
    vf->config = memset(vf_config[i], 0, PCIE_CONFIG_SPACE_SIZE);
    vf->exp.sriov_vf.pf = pf;
    vf->exp.sriov_vf.vf_number = i;
    vf_live[i] = true;
    return vf;
}

static void vf_park(unsigned i)
{
    fake_dma_attach(NULL, 1 + i);
    ASAN_POISON_MEMORY_REGION(vf_obj[i], vf_size);
    ASAN_POISON_MEMORY_REGION(vf_config[i], PCIE_CONFIG_SPACE_SIZE);
    vf_live[i] = false;
}

static void register_vfs(PCIDevice *pf)
{
    uint16_t cap = pf->exp.sriov_cap;
    uint16_t n = pci_get_word(pf->config + cap + PCI_SRIOV_NUM_VF);
    uint16_t off = pci_get_word(pf->config + cap + PCI_SRIOV_VF_OFFSET);
    uint16_t stride = pci_get_word(pf->config + cap + PCI_SRIOV_VF_STRIDE);
    Error *err = NULL;
    unsigned i;

    if (n > pci_get_word(pf->config + cap + PCI_SRIOV_TOTAL_VF)) {
        return;
    }
    assert(n <= FAKE_MAX_VFS);
    pf->exp.sriov_pf.vf = vf_array;
    for (i = 0; i < n; i++) {
        PCIDevice *vf = vf_take(pf, i, pf->devfn + off + i * stride);

        pci_class(vf)->realize(vf, &err);
        fake_dma_attach(vf, 1 + i);
        /* qdev_realize resets the new device */
        DEVICE_CLASS(pci_class(vf))->reset(DEVICE(vf));
        vf_array[i] = vf;
    }
    pf->exp.sriov_pf.num_vfs = n;
}

static void unregister_vfs(PCIDevice *pf)
{
    unsigned i;

    for (i = 0; i < pf->exp.sriov_pf.num_vfs; i++) {
        pci_class(vf_array[i])->exit(vf_array[i]);
        vf_park(i);
    }
    pf->exp.sriov_pf.vf = NULL;
    pf->exp.sriov_pf.num_vfs = 0;
    pci_set_word(pf->config + pf->exp.sriov_cap + PCI_SRIOV_NUM_VF, 0);
}

PCIDevice *fake_pci_vf(unsigned i)
{
    return vf_obj[i];
}

void fake_pci_restore_vfs(unsigned n)
{
    unsigned i;

    for (i = 0; i < FAKE_MAX_VFS && vf_obj[i]; i++) {
        if (i < n) {
            ASAN_UNPOISON_MEMORY_REGION(vf_obj[i], vf_size);
            ASAN_UNPOISON_MEMORY_REGION(vf_config[i],
                                        PCIE_CONFIG_SPACE_SIZE);
            vf_array[i] = vf_obj[i];
            vf_live[i] = true;
            fake_dma_attach(vf_obj[i], 1 + i);
        } else if (vf_live[i]) {
            vf_park(i);
        }
    }
}

void pcie_sriov_config_write(PCIDevice *d, uint32_t address, uint32_t val,
                             int len)
{
    uint16_t cap = d->exp.sriov_cap;

    if (!cap || address < cap || address - cap >= PCI_EXT_CAP_SRIOV_SIZEOF ||
        !range_covers_byte(address - cap, len, PCI_SRIOV_CTRL)) {
        return;
    }
    if (d->exp.sriov_pf.num_vfs) {
        if (!(val & PCI_SRIOV_CTRL_VFE)) {
            unregister_vfs(d);
        }
    } else if (val & PCI_SRIOV_CTRL_VFE) {
        register_vfs(d);
    }
}

void pcie_sriov_pf_disable_vfs(PCIDevice *d)
{
    uint16_t cap = d->exp.sriov_cap;
    uint32_t val = pci_get_byte(d->config + cap + PCI_SRIOV_CTRL);

    if (val & PCI_SRIOV_CTRL_VFE) {
        val &= ~PCI_SRIOV_CTRL_VFE;
        pci_set_byte(d->config + cap + PCI_SRIOV_CTRL, val);
        pcie_sriov_config_write(d, cap + PCI_SRIOV_CTRL, val, 1);
    }
}

void pcie_sriov_pf_exit(PCIDevice *d)
{
    unregister_vfs(d);
}

uint16_t pcie_sriov_vf_number(PCIDevice *d)
{
    assert(pci_is_vf(d));
    return d->exp.sriov_vf.vf_number;
}

PCIDevice *pcie_sriov_get_pf(PCIDevice *d)
{
    return d->exp.sriov_vf.pf;
}

PCIDevice *pcie_sriov_get_vf_at_index(PCIDevice *d, int n)
{
    assert(!pci_is_vf(d));
    return n < d->exp.sriov_pf.num_vfs ? d->exp.sriov_pf.vf[n] : NULL;
}

uint16_t pcie_sriov_num_vfs(PCIDevice *d)
{
    return d->exp.sriov_pf.num_vfs;
}

/*
 * Configuration writes: only the registers the harness lets a guest
 * write are writable (command, MSI-X control, device control, the SR-IOV
 * control and NumVFs), each with the bits QEMU's write masks allow.
 */
void pci_default_write_config(PCIDevice *d, uint32_t addr, uint32_t val,
                              int len)
{
    struct {
        uint16_t reg;
        uint16_t mask;
    } w[] = {
        { PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER |
                       PCI_COMMAND_INTX_DISABLE },
        { d->msix_cap + PCI_MSIX_FLAGS, PCI_MSIX_FLAGS_ENABLE |
                                        PCI_MSIX_FLAGS_MASKALL },
        { d->exp.exp_cap + PCI_EXP_DEVCTL, 0xffff },
        { d->exp.sriov_cap + PCI_SRIOV_CTRL, PCI_SRIOV_CTRL_VFE |
                                             PCI_SRIOV_CTRL_MSE |
                                             PCI_SRIOV_CTRL_ARI },
        { d->exp.sriov_cap + PCI_SRIOV_NUM_VF, 0xffff },
    };
    unsigned i;

    assert(len == 2);
    for (i = 0; i < ARRAY_SIZE(w); i++) {
        if (addr == w[i].reg && (i < 3 || d->exp.sriov_cap)) {
            uint16_t old = pci_get_word(d->config + addr);

            pci_set_word(d->config + addr,
                         (old & ~w[i].mask) | (val & w[i].mask));
        }
    }
    if (d->exp.sriov_cap) {
        pcie_sriov_config_write(d, addr, val, len);
    }
}

void pcie_cap_flr_write_config(PCIDevice *d, uint32_t addr, uint32_t val,
                               int len)
{
    uint8_t *devctl = d->config + d->exp.exp_cap + PCI_EXP_DEVCTL;

    if (!range_covers_byte(addr, len, d->exp.exp_cap + PCI_EXP_DEVCTL + 1) ||
        !(pci_get_word(devctl) & PCI_EXP_DEVCTL_BCR_FLR)) {
        return;
    }
    /* the reset handler sees BCR_FLR set: that is how it knows */
    fake_pci_reset(d);
    pci_word_test_and_clear_mask(devctl, PCI_EXP_DEVCTL_BCR_FLR);
}

/* pci_device_reset(): the device's reset handler, then PCI's part. */
void fake_pci_reset(PCIDevice *d)
{
    DEVICE_CLASS(pci_class(d))->reset(DEVICE(d));
    pci_word_test_and_clear_mask(d->config + PCI_COMMAND,
                                 PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER |
                                 PCI_COMMAND_INTX_DISABLE);
}

void fake_pci_config_write(PCIDevice *d, uint32_t addr, uint32_t val,
                           int len)
{
    pci_class(d)->config_write(d, addr, val, len);
}

uint32_t fake_pci_config_read(PCIDevice *d, uint32_t addr, int len)
{
    return len == 2 ? pci_get_word(d->config + addr) :
                      pci_get_long(d->config + addr);
}
