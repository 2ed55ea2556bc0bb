// SPDX-License-Identifier: (GPL-2.0-only OR BSD-3-Clause)
/*
 * The fake register file. The PF's callbacks get the whole fake as context
 * and decode VFNIC_ADM(fn, reg) themselves, so a wrong io->base in the
 * transport shows up as a fault or as the wrong VF's mailbox moving.
 */
#include "mailbox_fake_regs.h"

static void fault(struct fake_mbx_hw *hw, const char *why)
{
	hw->faults++;
	hw->last_fault = why;
}

static u32 ctrl_value(const struct fake_mbx_vf *v)
{
	return (v->req ? VFNIC_MBX_REQ : 0) |
	       (v->pfmsg ? VFNIC_MBX_PFMSG : 0) |
	       (v->pf_ready ? VFNIC_MBX_PF_READY : 0);
}

/* Word index into a buffer, or -1 if @reg is not in [buf, buf + 256). */
static int buf_word(u32 reg, u32 buf)
{
	if (reg < buf || reg >= buf + VFNIC_MBX_BUF_SIZE)
		return -1;
	return (reg - buf) / 4;
}

static u32 mbx_read(struct fake_mbx_vf *v, u32 reg)
{
	int w;

	if (reg % 4) {
		fault(v->hw, "unaligned read");
		return ~0u;
	}
	if (reg == VFNIC_MBX_CTRL)
		return ctrl_value(v);
	v->buf_reads++;
	w = buf_word(reg, VFNIC_MBX_VF2PF);
	if (w >= 0)
		return v->vf2pf[w];
	w = buf_word(reg, VFNIC_MBX_PF2VF);
	if (w >= 0)
		return v->pf2vf[w];
	fault(v->hw, "read outside the mailbox");
	return ~0u;
}

static void vf_write(void *ctx, u32 off, u32 val)
{
	struct fake_mbx_vf *v = ctx;
	u64 bit = 1ull << v->n;
	int w;

	if (off % 4) {
		fault(v->hw, "unaligned write");
		return;
	}
	if (off == VFNIC_MBX_CTRL) {
		v->ctrl_writes++;
		/* Bits written as 1 act; PF_READY is the PF's to write. */
		if (val & VFNIC_MBX_REQ && !v->req) {
			v->req = true;
			v->hw->glb_req |= bit;
			v->pf_irqs++;
			v->words_before_doorbell = v->buf_writes;
			v->buf_writes = 0;
		}
		if (val & VFNIC_MBX_PFMSG && v->pfmsg) {
			v->pfmsg = false;
			v->hw->glb_ack |= bit;
			v->pf_irqs++;
		}
		return;
	}
	w = buf_word(off, VFNIC_MBX_VF2PF);
	if (w < 0) {
		fault(v->hw, "VF wrote outside VF2PF");
		return;
	}
	if (v->req) {
		fault(v->hw, "VF overwrote a pending request");
		return;
	}
	v->vf2pf[w] = val;
	v->buf_writes++;
}

static u32 vf_read(void *ctx, u32 off)
{
	return mbx_read(ctx, off);
}

static struct fake_mbx_vf *pf_decode(struct fake_mbx_hw *hw, u32 off,
				     u32 *reg)
{
	u32 fn;

	if (off < VFNIC_ADM_BASE)
		return NULL;
	fn = (off - VFNIC_ADM_BASE) / VFNIC_ADM_STRIDE;
	if (fn < VFNIC_VF_TO_FN(0) || fn >= VFNIC_VF_TO_FN(FAKE_NUM_VFS))
		return NULL;
	*reg = off - VFNIC_ADM(fn, 0);
	return &hw->vf[fn - VFNIC_VF_TO_FN(0)];
}

static u32 pf_read(void *ctx, u32 off)
{
	struct fake_mbx_hw *hw = ctx;
	struct fake_mbx_vf *v;
	u32 reg;

	v = pf_decode(hw, off, &reg);
	if (!v) {
		fault(hw, "PF read outside the VF admin blocks");
		return ~0u;
	}
	return mbx_read(v, reg);
}

static void pf_write(void *ctx, u32 off, u32 val)
{
	struct fake_mbx_hw *hw = ctx;
	struct fake_mbx_vf *v;
	u32 reg;
	int w;

	v = pf_decode(hw, off, &reg);
	if (!v || reg % 4) {
		fault(hw, "PF write outside the VF admin blocks");
		return;
	}
	if (reg == VFNIC_MBX_CTRL) {
		v->ctrl_writes++;
		if (val & VFNIC_MBX_REQ && v->req) {
			v->req = false;
			v->vf_irqs++;
		}
		if (val & VFNIC_MBX_PFMSG && !v->pfmsg) {
			v->pfmsg = true;
			v->vf_irqs++;
			v->words_before_doorbell = v->buf_writes;
			v->buf_writes = 0;
		}
		/* PF_READY is a level: the PF's written bit is the new one. */
		v->pf_ready = val & VFNIC_MBX_PF_READY;
		return;
	}
	w = buf_word(reg, VFNIC_MBX_PF2VF);
	if (w < 0) {
		fault(hw, "PF wrote outside PF2VF");
		return;
	}
	if (v->pfmsg) {
		fault(hw, "PF overwrote an unacked message");
		return;
	}
	v->pf2vf[w] = val;
	v->buf_writes++;
}

void fake_mbx_init(struct fake_mbx_hw *hw)
{
	unsigned int i;

	memset(hw, 0, sizeof(*hw));
	for (i = 0; i < FAKE_NUM_VFS; i++) {
		hw->vf[i].hw = hw;
		hw->vf[i].n = i;
	}
}

void fake_mbx_vf_io(struct fake_mbx_hw *hw, unsigned int vf,
		    struct vfnic_mbx_io *io)
{
	io->read = vf_read;
	io->write = vf_write;
	io->ctx = &hw->vf[vf];
	io->base = VFNIC_MBX_VF_BASE;
}

void fake_mbx_pf_io(struct fake_mbx_hw *hw, unsigned int vf,
		    struct vfnic_mbx_io *io)
{
	io->read = pf_read;
	io->write = pf_write;
	io->ctx = hw;
	io->base = vfnic_mbx_pf_base(vf);
}

/* FLR: the mailbox and PF_READY drop, as after a reset of the function. */
void fake_mbx_flr(struct fake_mbx_hw *hw, unsigned int vf)
{
	struct fake_mbx_vf *v = &hw->vf[vf];

	v->req = v->pfmsg = v->pf_ready = false;
	memset(v->vf2pf, 0, sizeof(v->vf2pf));
	memset(v->pf2vf, 0, sizeof(v->pf2vf));
	hw->glb_req &= ~(1ull << vf);
}
