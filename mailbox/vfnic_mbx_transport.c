// SPDX-License-Identifier: (GPL-2.0-only OR BSD-3-Clause)
/*
 * vfnic mailbox transport: copy a message in and out of the 256-byte
 * VF2PF/PF2VF buffers and drive the REQ/PFMSG doorbells in VFNIC_MBX_CTRL.
 *
 * The handshake (docs/mailbox.md, "Transport"):
 *   VF: VF2PF <- request; CTRL <- REQ       (PF interrupted, GLB_MBX_REQ)
 *   PF: request <- VF2PF; CTRL <- REQ       (ack: REQ clears, VF ICR.MBX)
 *   PF: PF2VF <- reply/event; CTRL <- PFMSG
 *   VF: reply <- PF2VF; CTRL <- PFMSG       (ack: PFMSG clears, PF intr.)
 * Only what the message holds is copied: its header says how long it is.
 * Words are packed little-endian by hand, so the bytes in the buffer are
 * the wire bytes whatever the CPU.
 */
#include "vfnic_mbx_transport.h"

static u32 rd(const struct vfnic_mbx_io *io, u32 reg)
{
	return io->read(io->ctx, io->base + reg);
}

static void wr(const struct vfnic_mbx_io *io, u32 reg, u32 val)
{
	io->write(io->ctx, io->base + reg, val);
}

static u32 pf_ctrl(bool ready)
{
	return ready ? VFNIC_MBX_PF_READY : 0;
}

static int copy_out(const struct vfnic_mbx_io *io, u32 buf,
		    const struct vfnic_mbx_msg *msg)
{
	const u8 *p = (const u8 *)msg;
	unsigned int size, i;

	if (msg->hdr.len > VFNIC_MBX_MAX_PAYLOAD)
		return -VFNIC_MBX_E_LEN;
	size = vfnic_mbx_size(msg);
	for (i = 0; i < size; i += 4)
		wr(io, buf + i, (u32)p[i] | (u32)p[i + 1] << 8 |
				(u32)p[i + 2] << 16 | (u32)p[i + 3] << 24);
	return 0;
}

static void put_word(u8 *p, u32 w)
{
	p[0] = w;
	p[1] = w >> 8;
	p[2] = w >> 16;
	p[3] = w >> 24;
}

/*
 * Read the header, then only as many words as it claims, but never more
 * than the buffer: a hostile length cannot make us read past it. Returns
 * the bytes the message occupies, for vfnic_mbx_validate().
 */
static int copy_in(const struct vfnic_mbx_io *io, u32 buf,
		   struct vfnic_mbx_msg *msg)
{
	u8 *p = (u8 *)msg;
	unsigned int size, i;

	memset(msg, 0, sizeof(*msg));
	put_word(p, rd(io, buf));
	put_word(p + 4, rd(io, buf + 4));
	size = VFNIC_MBX_HDR_SIZE + msg->hdr.len;
	if (size > VFNIC_MBX_BUF_SIZE)
		size = VFNIC_MBX_BUF_SIZE;
	for (i = VFNIC_MBX_HDR_SIZE; i < size; i += 4)
		put_word(p + i, rd(io, buf + i));
	return size;
}

bool vfnic_mbx_vf_pf_ready(const struct vfnic_mbx_io *io)
{
	return rd(io, VFNIC_MBX_CTRL) & VFNIC_MBX_PF_READY;
}

/* Post a request. The VF validates it first (vfnic_mbx_validate()). */
int vfnic_mbx_vf_send(const struct vfnic_mbx_io *io,
		      const struct vfnic_mbx_msg *msg)
{
	u32 ctrl = rd(io, VFNIC_MBX_CTRL);
	int err;

	if (!(ctrl & VFNIC_MBX_PF_READY))
		return -VFNIC_MBX_E_NOT_READY;
	/* VF2PF still holds a request the PF has not taken. */
	if (ctrl & VFNIC_MBX_REQ)
		return -VFNIC_MBX_E_BUSY;
	err = copy_out(io, VFNIC_MBX_VF2PF, msg);
	if (err)
		return err;
	wr(io, VFNIC_MBX_CTRL, VFNIC_MBX_REQ);
	return 0;
}

/*
 * Has the PF taken the last request? 0 yes, -BUSY not yet, -NOT_READY if
 * the PF went away meanwhile (FLR, PF reset): the VF must reset, not wait.
 */
int vfnic_mbx_vf_req_done(const struct vfnic_mbx_io *io)
{
	u32 ctrl = rd(io, VFNIC_MBX_CTRL);

	if (!(ctrl & VFNIC_MBX_REQ))
		return 0;
	return ctrl & VFNIC_MBX_PF_READY ? -VFNIC_MBX_E_BUSY :
					   -VFNIC_MBX_E_NOT_READY;
}

/*
 * Take a reply or event and ack it. Works without PF_READY: the PF sends
 * PF_RESET just before it drops PF_READY. Returns the size copied.
 */
int vfnic_mbx_vf_recv(const struct vfnic_mbx_io *io,
		      struct vfnic_mbx_msg *msg)
{
	int size;

	if (!(rd(io, VFNIC_MBX_CTRL) & VFNIC_MBX_PFMSG))
		return -VFNIC_MBX_E_NOMSG;
	size = copy_in(io, VFNIC_MBX_PF2VF, msg);
	wr(io, VFNIC_MBX_CTRL, VFNIC_MBX_PFMSG);
	return size;
}

void vfnic_mbx_pf_set_ready(const struct vfnic_mbx_io *io, bool ready)
{
	wr(io, VFNIC_MBX_CTRL, pf_ctrl(ready));
}

/*
 * Take the VF's request and ack it at once, so VF2PF is free again while
 * the PF works. Clearing the VF's GLB_MBX_REQ bit is the interrupt
 * handler's job, before it calls this. Returns the size copied.
 */
int vfnic_mbx_pf_recv(const struct vfnic_mbx_io *io,
		      struct vfnic_mbx_msg *msg, bool ready)
{
	int size;

	if (!(rd(io, VFNIC_MBX_CTRL) & VFNIC_MBX_REQ))
		return -VFNIC_MBX_E_NOMSG;
	size = copy_in(io, VFNIC_MBX_VF2PF, msg);
	wr(io, VFNIC_MBX_CTRL, VFNIC_MBX_REQ | pf_ctrl(ready));
	return size;
}

/* Post a reply or event; -BUSY while the VF has not acked the last one. */
int vfnic_mbx_pf_send(const struct vfnic_mbx_io *io,
		      const struct vfnic_mbx_msg *msg, bool ready)
{
	int err;

	if (rd(io, VFNIC_MBX_CTRL) & VFNIC_MBX_PFMSG)
		return -VFNIC_MBX_E_BUSY;
	err = copy_out(io, VFNIC_MBX_PF2VF, msg);
	if (err)
		return err;
	wr(io, VFNIC_MBX_CTRL, VFNIC_MBX_PFMSG | pf_ctrl(ready));
	return 0;
}

/* Has the VF acked the last reply or event? 0 yes, -BUSY not yet. */
int vfnic_mbx_pf_msg_done(const struct vfnic_mbx_io *io)
{
	return rd(io, VFNIC_MBX_CTRL) & VFNIC_MBX_PFMSG ?
	       -VFNIC_MBX_E_BUSY : 0;
}
