/*
 * vfnic: the virtual function, a thin shell around the PF's core.
 *
 * A VF owns its BAR0 (which is the core's function block for its function
 * number), its MSI-X BAR and its PCIe capabilities; every register access
 * and every reset goes to the core.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/module.h"
#include "hw/pci/msix.h"
#include "hw/pci/pcie.h"
#include "hw/pci/pcie_sriov.h"
#include "migration/vmstate.h"
#include "vfnic.h"
#include "trace.h"

#define VFNIC_VF_CAP_MSIX   0x70
#define VFNIC_VF_CAP_PCIE   0xa0
#define VFNIC_VF_CAP_ARI    0x100

OBJECT_DECLARE_SIMPLE_TYPE(VfnicVfState, VFNIC_VF)

struct VfnicVfState {
    PCIDevice parent_obj;

    MemoryRegion mmio;
    MemoryRegion msix;
};

static VfnicState *vfnic_vf_core(PCIDevice *d, unsigned *fn)
{
    *fn = VFNIC_VF_TO_FN(pcie_sriov_vf_number(d));
    return VFNIC(pcie_sriov_get_pf(d));
}

static uint64_t vfnic_vf_mmio_read(void *opaque, hwaddr addr, unsigned size)
{
    unsigned fn;
    VfnicState *s = vfnic_vf_core(opaque, &fn);

    return vfnic_reentered(s, addr) ? 0 : vfnic_fn_read(s, fn, addr);
}

static void vfnic_vf_mmio_write(void *opaque, hwaddr addr, uint64_t val,
                                unsigned size)
{
    unsigned fn;
    VfnicState *s = vfnic_vf_core(opaque, &fn);

    if (!vfnic_reentered(s, addr)) {
        vfnic_fn_write(s, fn, addr, val);
    }
}

static const MemoryRegionOps vfnic_vf_mmio_ops = {
    .read = vfnic_vf_mmio_read,
    .write = vfnic_vf_mmio_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {
        .min_access_size = 4,
        .max_access_size = 4,
    },
    .impl = {
        .min_access_size = 4,
        .max_access_size = 4,
    },
};

static void vfnic_vf_realize(PCIDevice *d, Error **errp)
{
    VfnicVfState *vf = VFNIC_VF(d);
    int i;

    pci_set_word(d->config + PCI_SUBSYSTEM_VENDOR_ID, VFNIC_PCI_VENDOR_ID);
    pci_set_word(d->config + PCI_SUBSYSTEM_ID, VFNIC_PCI_DEVICE_ID_VF);
    pci_config_set_revision(d->config, VFNIC_PCI_REVISION);

    memory_region_init_io(&vf->mmio, OBJECT(d), &vfnic_vf_mmio_ops, d,
                          "vfnic-vf-mmio", VFNIC_VF_BAR0_SIZE);
    pcie_sriov_vf_register_bar(d, VFNIC_BAR_REGS, &vf->mmio);
    memory_region_init(&vf->msix, OBJECT(d), "vfnic-vf-msix",
                       VFNIC_MSIX_BAR_SIZE);
    pcie_sriov_vf_register_bar(d, VFNIC_BAR_MSIX, &vf->msix);

    if (msix_init(d, VFNIC_VF_MSIX_VECTORS, &vf->msix, VFNIC_BAR_MSIX,
                  VFNIC_MSIX_TABLE_OFF, &vf->msix, VFNIC_BAR_MSIX,
                  VFNIC_MSIX_PBA_OFF, VFNIC_VF_CAP_MSIX, errp) < 0) {
        return;
    }
    for (i = 0; i < VFNIC_VF_MSIX_VECTORS; i++) {
        msix_vector_use(d, i);
    }

    if (pcie_endpoint_cap_init(d, VFNIC_VF_CAP_PCIE) < 0) {
        error_setg(errp, "vfnic-vf: failed to add the PCIe capability");
        return;
    }
    pcie_cap_flr_init(d);
    pcie_ari_init(d, VFNIC_VF_CAP_ARI, 0);
}

static void vfnic_vf_exit(PCIDevice *d)
{
    VfnicVfState *vf = VFNIC_VF(d);
    unsigned fn;

    /* its windows name it: drop them before the device goes */
    vfnic_dma_forget(vfnic_vf_core(d, &fn), d);
    msix_uninit(d, &vf->msix, &vf->msix);
}

static void vfnic_vf_write_config(PCIDevice *d, uint32_t addr, uint32_t val,
                                  int len)
{
    unsigned fn;

    /* an FLR from the device's own DMA would reset rings in use (vfnic.c) */
    if (vfnic_reentered(vfnic_vf_core(d, &fn), addr)) {
        return;
    }
    pci_default_write_config(d, addr, val, len);
    pcie_cap_flr_write_config(d, addr, val, len);
}

/*
 * The core state of a VF is reset by the PF whenever VFs come or go, and
 * by the PF's own reset; a VF's reset only has work of its own on FLR.
 * (A VF is also "reset" when QEMU creates it, which on an incoming
 * migration happens after its core state has arrived: it must survive.)
 */
static void vfnic_vf_qdev_reset(DeviceState *dev)
{
    PCIDevice *d = PCI_DEVICE(dev);
    uint16_t devctl = pci_get_word(d->config + d->exp.exp_cap +
                                   PCI_EXP_DEVCTL);
    unsigned fn;
    VfnicState *s = vfnic_vf_core(d, &fn);

    /* pcie_cap_flr_write_config leaves BCR_FLR set while it resets us */
    if (devctl & PCI_EXP_DEVCTL_BCR_FLR) {
        trace_vfnic_vf_flr(fn - 1);
        vfnic_vf_flr(s, fn - 1);
    }
    msix_reset(d);
}

static const VMStateDescription vmstate_vfnic_vf = {
    .name = "vfnic-vf",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (VMStateField[]) {
        VMSTATE_PCI_DEVICE(parent_obj, VfnicVfState),
        VMSTATE_MSIX(parent_obj, VfnicVfState),
        VMSTATE_END_OF_LIST()
    }
};

static void vfnic_vf_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    PCIDeviceClass *c = PCI_DEVICE_CLASS(klass);

    c->realize = vfnic_vf_realize;
    c->exit = vfnic_vf_exit;
    c->config_write = vfnic_vf_write_config;
    c->vendor_id = VFNIC_PCI_VENDOR_ID;
    c->device_id = VFNIC_PCI_DEVICE_ID_VF;
    c->revision = VFNIC_PCI_REVISION;
    c->class_id = PCI_CLASS_NETWORK_ETHERNET;

    dc->desc = "vfnic SR-IOV Ethernet controller (virtual function)";
    dc->reset = vfnic_vf_qdev_reset;
    dc->vmsd = &vmstate_vfnic_vf;
    dc->user_creatable = false;
    set_bit(DEVICE_CATEGORY_NETWORK, dc->categories);
}

static const TypeInfo vfnic_vf_info = {
    .name = TYPE_VFNIC_VF,
    .parent = TYPE_PCI_DEVICE,
    .instance_size = sizeof(VfnicVfState),
    .class_init = vfnic_vf_class_init,
    .interfaces = (InterfaceInfo[]) {
        { INTERFACE_PCIE_DEVICE },
        { }
    },
};

static void vfnic_vf_register_types(void)
{
    type_register_static(&vfnic_vf_info);
}

type_init(vfnic_vf_register_types)
