/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-3-Clause) */
/*
 * A fake vfnic register file for the mailbox transport tests: the
 * VFNIC_MBX_* registers of a few VFs, with the semantics docs/hardware.md
 * gives them, seen from the PF (through VFNIC_ADM) and from each VF (its
 * own BAR0). Accesses the hardware would not accept are counted as faults.
 */
#ifndef MAILBOX_FAKE_REGS_H
#define MAILBOX_FAKE_REGS_H

#include "vfnic_mbx_transport.h"

#define FAKE_NUM_VFS	8
#define FAKE_BUF_WORDS	(VFNIC_MBX_BUF_SIZE / 4)

struct fake_mbx_vf {
	struct fake_mbx_hw *hw;
	unsigned int n;
	u32 vf2pf[FAKE_BUF_WORDS];
	u32 pf2vf[FAKE_BUF_WORDS];
	bool req, pfmsg, pf_ready;
	unsigned int vf_irqs;		/* ICR.MBX raised at the VF */
	unsigned int pf_irqs;		/* mailbox interrupts at the PF */
	unsigned int buf_writes;	/* buffer writes since last doorbell */
	unsigned int buf_reads;
	unsigned int ctrl_writes;
	unsigned int words_before_doorbell;
};

struct fake_mbx_hw {
	struct fake_mbx_vf vf[FAKE_NUM_VFS];
	u64 glb_req;			/* GLB_MBX_REQ bits */
	u64 glb_ack;			/* GLB_MBX_ACK bits */
	unsigned int faults;
	const char *last_fault;
};

void fake_mbx_init(struct fake_mbx_hw *hw);
void fake_mbx_vf_io(struct fake_mbx_hw *hw, unsigned int vf,
		    struct vfnic_mbx_io *io);
void fake_mbx_pf_io(struct fake_mbx_hw *hw, unsigned int vf,
		    struct vfnic_mbx_io *io);
void fake_mbx_flr(struct fake_mbx_hw *hw, unsigned int vf);

#endif /* MAILBOX_FAKE_REGS_H */
