/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-3-Clause) */
/*
 * vfnic mailbox transport: moving one message through the VFNIC_MBX_*
 * registers of docs/hardware.md, from either side.
 *
 * Register access goes through caller callbacks, so the same code runs on
 * readl/writel in the kernel, rte_read32/rte_write32 in DPDK and a fake
 * register file in the tests. The callbacks must be ordered accessors
 * (not the _relaxed ones): the doorbell write must reach the device after
 * the buffer writes. Nothing here sleeps or loops waiting; a peer that has
 * not answered yet gives -VFNIC_MBX_E_BUSY or -VFNIC_MBX_E_NOMSG and the
 * caller decides how long to poll and with what delay.
 */
#ifndef VFNIC_MBX_TRANSPORT_H
#define VFNIC_MBX_TRANSPORT_H

#include "vfnic_mbx.h"

#ifdef __cplusplus
extern "C" {
#endif

struct vfnic_mbx_io {
	u32 (*read)(void *ctx, u32 off);
	void (*write)(void *ctx, u32 off, u32 val);
	void *ctx;
	u32 base;	/* added to every VFNIC_MBX_* offset */
};

/* io->base for the VF, in its own BAR0. */
#define VFNIC_MBX_VF_BASE	0

/* io->base for the PF's view of VF @vf's mailbox, in the PF's BAR0. */
static inline u32 vfnic_mbx_pf_base(unsigned int vf)
{
	return VFNIC_ADM(VFNIC_VF_TO_FN(vf), 0);
}

/* VF side */
bool vfnic_mbx_vf_pf_ready(const struct vfnic_mbx_io *io);
int vfnic_mbx_vf_send(const struct vfnic_mbx_io *io,
		      const struct vfnic_mbx_msg *msg);
int vfnic_mbx_vf_req_done(const struct vfnic_mbx_io *io);
int vfnic_mbx_vf_recv(const struct vfnic_mbx_io *io,
		      struct vfnic_mbx_msg *msg);

/*
 * PF side. Every PF write of CTRL also sets PF_READY to its bit in the
 * written value, so each call takes the level to keep: the PF driver's
 * own notion of whether it has set the VF up, never the value read back.
 */
void vfnic_mbx_pf_set_ready(const struct vfnic_mbx_io *io, bool ready);
int vfnic_mbx_pf_recv(const struct vfnic_mbx_io *io,
		      struct vfnic_mbx_msg *msg, bool ready);
int vfnic_mbx_pf_send(const struct vfnic_mbx_io *io,
		      const struct vfnic_mbx_msg *msg, bool ready);
int vfnic_mbx_pf_msg_done(const struct vfnic_mbx_io *io);

#ifdef __cplusplus
}
#endif

#endif /* VFNIC_MBX_TRANSPORT_H */
