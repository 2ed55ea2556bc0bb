/*
 * vfnic: the physical function, which owns the device core.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/log.h"
#include "qemu/module.h"
#include "qemu/timer.h"
#include "hw/pci/msix.h"
#include "hw/pci/pcie.h"
#include "hw/pci/pcie_sriov.h"
#include "hw/qdev-properties.h"
#include "migration/vmstate.h"
#include "vfnic.h"
#include "trace.h"

#define VFNIC_CAP_MSIX      0x70
#define VFNIC_CAP_PCIE      0xa0
#define VFNIC_CAP_ARI       0x100
#define VFNIC_CAP_SRIOV     0x160

/* On the data path: no QOM cast, whose cache misses cost a type lookup. */
PCIDevice *vfnic_fn_dev(VfnicState *s, unsigned fn)
{
    PCIDevice *pf = &s->parent_obj;

    if (fn == VFNIC_FN_PF) {
        return pf;
    }
    return pcie_sriov_get_vf_at_index(pf, fn - 1);
}

/* Functions that exist now: the PF and the enabled VFs. */
unsigned vfnic_num_fn(VfnicState *s)
{
    return 1 + pcie_sriov_num_vfs(&s->parent_obj);
}

bool vfnic_uplink_up(VfnicState *s)
{
    return !qemu_get_queue(s->nic)->link_down;
}

void vfnic_uplink_send(VfnicState *s, const uint8_t *buf, size_t len)
{
    s->gstats[VFNIC_GSTAT_UPLINK_TX / 8]++;
    qemu_send_packet(qemu_get_queue(s->nic), buf, len);
}

static ssize_t vfnic_receive(NetClientState *nc, const uint8_t *buf,
                             size_t len)
{
    VfnicState *s = qemu_get_nic_opaque(nc);

    s->gstats[VFNIC_GSTAT_UPLINK_RX / 8]++;
    s->in_dma++;
    vfnic_switch_from_uplink(s, buf, len);
    vfnic_rx_flush(s);
    vfnic_dma_end(s);
    s->in_dma--;
    return len;
}

static void vfnic_set_link_status(NetClientState *nc)
{
    vfnic_update_links(qemu_get_nic_opaque(nc));
}

static NetClientInfo vfnic_net_info = {
    .type = NET_CLIENT_DRIVER_NIC,
    .size = sizeof(NICState),
    .receive = vfnic_receive,
    .link_status_changed = vfnic_set_link_status,
};

static void vfnic_write_config(PCIDevice *d, uint32_t addr, uint32_t val,
                               int len)
{
    VfnicState *s = VFNIC(d);
    uint16_t cap = d->exp.sriov_cap;
    uint16_t nvfs_before = pcie_sriov_num_vfs(d);
    unsigned vf;

    /*
     * The device's own DMA or MSI-X message can reach its config space
     * through the ECAM window: in an entry, that could take away the VFs
     * (and their PCIDevices) the entry is working for.
     */
    if (vfnic_reentered(s, addr)) {
        return;
    }
    if (range_covers_byte(addr, len, cap + PCI_SRIOV_CTRL) && !nvfs_before) {
        unsigned shift = (cap + PCI_SRIOV_CTRL - addr) * 8;
        uint16_t want = pci_get_word(d->config + cap + PCI_SRIOV_NUM_VF);

        /* QEMU 7.2's pcie_sriov does not hold NumVFs to TotalVFs */
        if ((val >> shift) & PCI_SRIOV_CTRL_VFE && want > s->total_vfs) {
            qemu_log_mask(LOG_GUEST_ERROR,
                          "vfnic: NumVFs %u exceeds TotalVFs %u, "
                          "VF Enable ignored\n", want, s->total_vfs);
            val &= ~((uint32_t)PCI_SRIOV_CTRL_VFE << shift);
        }
    }

    pci_default_write_config(d, addr, val, len);

    if (pcie_sriov_num_vfs(d) != nvfs_before) {
        trace_vfnic_sriov(nvfs_before, pcie_sriov_num_vfs(d));
        /* VFs start from scratch, whatever a previous set left behind */
        for (vf = 0; vf < VFNIC_MAX_VFS; vf++) {
            vfnic_fn_reset(s, VFNIC_VF_TO_FN(vf));
        }
        s->mbx_req = s->mbx_ack = s->vflr = 0;
    }
}

static void vfnic_realize(PCIDevice *d, Error **errp)
{
    VfnicState *s = VFNIC(d);
    int i;

    if (s->total_vfs > VFNIC_MAX_VFS) {
        error_setg(errp, "vfnic: total-vfs %u exceeds %u", s->total_vfs,
                   VFNIC_MAX_VFS);
        return;
    }

    pci_config_set_revision(d->config, VFNIC_PCI_REVISION);
    pci_set_word(d->config + PCI_SUBSYSTEM_VENDOR_ID, VFNIC_PCI_VENDOR_ID);
    pci_set_word(d->config + PCI_SUBSYSTEM_ID, VFNIC_PCI_DEVICE_ID_PF);

    memory_region_init_io(&s->mmio, OBJECT(d), &vfnic_pf_mmio_ops, s,
                          "vfnic-mmio", VFNIC_PF_BAR0_SIZE);
    pci_register_bar(d, VFNIC_BAR_REGS, PCI_BASE_ADDRESS_MEM_TYPE_64,
                     &s->mmio);
    memory_region_init(&s->msix, OBJECT(d), "vfnic-msix",
                       VFNIC_MSIX_BAR_SIZE);
    pci_register_bar(d, VFNIC_BAR_MSIX, PCI_BASE_ADDRESS_MEM_TYPE_64,
                     &s->msix);

    if (msix_init(d, VFNIC_PF_MSIX_VECTORS, &s->msix, VFNIC_BAR_MSIX,
                  VFNIC_MSIX_TABLE_OFF, &s->msix, VFNIC_BAR_MSIX,
                  VFNIC_MSIX_PBA_OFF, VFNIC_CAP_MSIX, errp) < 0) {
        return;
    }
    for (i = 0; i < VFNIC_PF_MSIX_VECTORS; i++) {
        msix_vector_use(d, i);
    }

    if (pcie_endpoint_cap_init(d, VFNIC_CAP_PCIE) < 0) {
        error_setg(errp, "vfnic: failed to add the PCIe capability");
        return;
    }
    pcie_cap_deverr_init(d);
    pcie_ari_init(d, VFNIC_CAP_ARI, 0);
    pcie_sriov_pf_init(d, VFNIC_CAP_SRIOV, TYPE_VFNIC_VF,
                       VFNIC_PCI_DEVICE_ID_VF, s->total_vfs, s->total_vfs,
                       VFNIC_VF_OFFSET, VFNIC_VF_STRIDE);
    pcie_sriov_pf_init_vf_bar(d, VFNIC_BAR_REGS, PCI_BASE_ADDRESS_MEM_TYPE_64,
                              VFNIC_VF_BAR0_SIZE);
    pcie_sriov_pf_init_vf_bar(d, VFNIC_BAR_MSIX, PCI_BASE_ADDRESS_MEM_TYPE_64,
                              VFNIC_MSIX_BAR_SIZE);

    qemu_macaddr_default_if_unset(&s->conf.macaddr);
    s->nic = qemu_new_nic(&vfnic_net_info, &s->conf,
                          object_get_typename(OBJECT(d)), DEVICE(d)->id,
                          &DEVICE(d)->mem_reentrancy_guard, s);
    qemu_format_nic_info_str(qemu_get_queue(s->nic), s->conf.macaddr.a);
    s->shaper = timer_new_ns(QEMU_CLOCK_VIRTUAL, vfnic_tx_resume, s);
    vfnic_poll_init(s);
}

static void vfnic_exit(PCIDevice *d)
{
    VfnicState *s = VFNIC(d);

    pcie_sriov_pf_exit(d);
    vfnic_poll_fini(s);
    vfnic_dma_forget(s, NULL);
    timer_free(s->shaper);
    qemu_del_nic(s->nic);
    msix_uninit(d, &s->msix, &s->msix);
}

static void vfnic_qdev_reset(DeviceState *dev)
{
    VfnicState *s = VFNIC(dev);
    PCIDevice *d = PCI_DEVICE(dev);
    unsigned fn;

    pcie_sriov_pf_disable_vfs(d);
    vfnic_poll_stop(s);
    vfnic_dma_forget(s, NULL);
    for (fn = 0; fn < VFNIC_NUM_FN; fn++) {
        vfnic_fn_reset(s, fn);
    }
    s->glb_switch = VFNIC_SWITCH_VEB;
    s->mbx_req = s->mbx_ack = s->vflr = 0;
    vfnic_tgen_reset(s);
    memset(s->gstats, 0, sizeof(s->gstats));
    timer_del(s->shaper);
    msix_reset(d);
}

static const VMStateDescription vmstate_vfnic_ring = {
    .name = "vfnic-ring",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (VMStateField[]) {
        VMSTATE_UINT64(base, VfnicRing),
        VMSTATE_UINT32(len, VfnicRing),
        VMSTATE_UINT32(head, VfnicRing),
        VMSTATE_UINT32(tail, VfnicRing),
        VMSTATE_UINT32(ctrl, VfnicRing),
        VMSTATE_UINT32(buf_size, VfnicRing),
        VMSTATE_END_OF_LIST()
    }
};

static const VMStateDescription vmstate_vfnic_qp = {
    .name = "vfnic-queue-pair",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (VMStateField[]) {
        VMSTATE_STRUCT(rx, VfnicQueuePair, 1, vmstate_vfnic_ring, VfnicRing),
        VMSTATE_STRUCT(tx, VfnicQueuePair, 1, vmstate_vfnic_ring, VfnicRing),
        VMSTATE_UINT32(intr, VfnicQueuePair),
        VMSTATE_UINT64_ARRAY(stats, VfnicQueuePair, 4),
        VMSTATE_END_OF_LIST()
    }
};

static const VMStateDescription vmstate_vfnic_fn = {
    .name = "vfnic-function",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (VMStateField[]) {
        VMSTATE_UINT32(icr, VfnicFn),
        VMSTATE_UINT32(ims, VfnicFn),
        VMSTATE_UINT32(vlan_strip, VfnicFn),
        VMSTATE_UINT32(rss_ctrl, VfnicFn),
        VMSTATE_UINT8_ARRAY(rss_key, VfnicFn, VFNIC_RSS_KEY_SIZE),
        VMSTATE_UINT8_ARRAY(rss_reta, VfnicFn, VFNIC_RSS_RETA_SIZE),
        VMSTATE_UINT64(rx_shadow, VfnicFn),
        VMSTATE_STRUCT_ARRAY(qp, VfnicFn, VFNIC_MAX_QP, 1, vmstate_vfnic_qp,
                             VfnicQueuePair),
        VMSTATE_UINT64_ARRAY(stats, VfnicFn, VFNIC_STAT_COUNT),
        VMSTATE_UINT32(mac_lo, VfnicFn),
        VMSTATE_UINT32(mac_hi, VfnicFn),
        VMSTATE_UINT32(vlan, VfnicFn),
        VMSTATE_UINT32(policy, VfnicFn),
        VMSTATE_UINT32(tx_rate, VfnicFn),
        VMSTATE_UINT32(max_frame, VfnicFn),
        VMSTATE_UINT32(num_qp, VfnicFn),
        VMSTATE_UINT32_ARRAY(mac_filter, VfnicFn, VFNIC_ADM_MAC_FILTERS * 2),
        VMSTATE_UINT32_ARRAY(vlan_filter, VfnicFn, 4096 / 32),
        VMSTATE_UINT32(mbx_ctrl, VfnicFn),
        VMSTATE_UINT32_ARRAY(mbx_vf2pf, VfnicFn, VFNIC_MBX_BUF_SIZE / 4),
        VMSTATE_UINT32_ARRAY(mbx_pf2vf, VfnicFn, VFNIC_MBX_BUF_SIZE / 4),
        VMSTATE_INT64(tokens, VfnicFn),
        VMSTATE_INT64(tokens_ns, VfnicFn),
        VMSTATE_BOOL(link_up, VfnicFn),
        VMSTATE_END_OF_LIST()
    }
};

/*
 * VFs are devices QEMU creates when VF Enable is written, so on the
 * destination they do not exist yet when the PF's state arrives. Create
 * them from the restored SR-IOV control register; their own sections follow
 * the PF's in the stream (they were registered after it on the source).
 */
static int vfnic_post_load(void *opaque, int version_id)
{
    PCIDevice *d = PCI_DEVICE(opaque);
    uint16_t cap = d->exp.sriov_cap;
    uint16_t ctrl = pci_get_word(d->config + cap + PCI_SRIOV_CTRL);

    vfnic_fdb_changed(VFNIC(d));
    if ((ctrl & PCI_SRIOV_CTRL_VFE) && !pcie_sriov_num_vfs(d)) {
        pcie_sriov_config_write(d, cap + PCI_SRIOV_CTRL, ctrl, 2);
        if (!pcie_sriov_num_vfs(d)) {
            return -EINVAL;
        }
    }
    return 0;
}

static const VMStateDescription vmstate_vfnic_tx_shadow_fn = {
    .name = "vfnic-function/tx-shadow",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (VMStateField[]) {
        VMSTATE_UINT64(tx_shadow, VfnicFn),
        VMSTATE_END_OF_LIST()
    }
};

static bool vfnic_tx_shadow_needed(void *opaque)
{
    VfnicState *s = opaque;
    unsigned fn;

    for (fn = 0; fn < VFNIC_NUM_FN; fn++) {
        if (s->fn[fn].tx_shadow) {
            return true;
        }
    }
    return false;
}

/* Only a driver that keeps its tx tails in memory needs this section. */
static const VMStateDescription vmstate_vfnic_tx_shadow = {
    .name = "vfnic/tx-shadow",
    .version_id = 1,
    .minimum_version_id = 1,
    .needed = vfnic_tx_shadow_needed,
    .fields = (VMStateField[]) {
        VMSTATE_STRUCT_ARRAY(fn, VfnicState, VFNIC_NUM_FN, 1,
                             vmstate_vfnic_tx_shadow_fn, VfnicFn),
        VMSTATE_END_OF_LIST()
    }
};

static const VMStateDescription vmstate_vfnic = {
    .name = "vfnic",
    .version_id = 1,
    .minimum_version_id = 1,
    .post_load = vfnic_post_load,
    .fields = (VMStateField[]) {
        VMSTATE_PCI_DEVICE(parent_obj, VfnicState),
        VMSTATE_MSIX(parent_obj, VfnicState),
        VMSTATE_UINT32(glb_switch, VfnicState),
        VMSTATE_UINT64_ARRAY(gstats, VfnicState, 3),
        VMSTATE_UINT64(mbx_req, VfnicState),
        VMSTATE_UINT64(mbx_ack, VfnicState),
        VMSTATE_UINT64(vflr, VfnicState),
        VMSTATE_STRUCT_ARRAY(fn, VfnicState, VFNIC_NUM_FN, 1,
                             vmstate_vfnic_fn, VfnicFn),
        VMSTATE_TIMER_PTR(shaper, VfnicState),
        VMSTATE_END_OF_LIST()
    },
    .subsections = (const VMStateDescription * []) {
        &vmstate_vfnic_tx_shadow,
        &vmstate_vfnic_tgen,
        NULL
    }
};

static Property vfnic_properties[] = {
    DEFINE_NIC_PROPERTIES(VfnicState, conf),
    DEFINE_PROP_UINT16("total-vfs", VfnicState, total_vfs, VFNIC_MAX_VFS),
    /* 0: never poll, every tail in memory is followed by a doorbell */
    DEFINE_PROP_UINT32("poll-us", VfnicState, poll_us, 0),
    DEFINE_PROP_END_OF_LIST(),
};

static void vfnic_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    PCIDeviceClass *c = PCI_DEVICE_CLASS(klass);

    c->realize = vfnic_realize;
    c->exit = vfnic_exit;
    c->config_write = vfnic_write_config;
    c->vendor_id = VFNIC_PCI_VENDOR_ID;
    c->device_id = VFNIC_PCI_DEVICE_ID_PF;
    c->revision = VFNIC_PCI_REVISION;
    c->class_id = PCI_CLASS_NETWORK_ETHERNET;

    dc->desc = "vfnic SR-IOV Ethernet controller (physical function)";
    dc->reset = vfnic_qdev_reset;
    dc->vmsd = &vmstate_vfnic;
    device_class_set_props(dc, vfnic_properties);
    set_bit(DEVICE_CATEGORY_NETWORK, dc->categories);
}

static const TypeInfo vfnic_info = {
    .name = TYPE_VFNIC,
    .parent = TYPE_PCI_DEVICE,
    .instance_size = sizeof(VfnicState),
    .class_init = vfnic_class_init,
    .interfaces = (InterfaceInfo[]) {
        { INTERFACE_PCIE_DEVICE },
        { }
    },
};

static void vfnic_register_types(void)
{
    type_register_static(&vfnic_info);
}

type_init(vfnic_register_types)
