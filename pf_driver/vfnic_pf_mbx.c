// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfnic_pf: the PF's side of the PF-VF mailbox (docs/mailbox.md), run from
 * the misc interrupt thread. Transport, validation, the per-VF state
 * machine, rate limit and abuse policy are mailbox/'s; this file is the
 * policy: what each request does to the device and to the PF's record.
 *
 * For every request (docs/mailbox.md section 6): find the VF, take its
 * lock, vfnic_mbx_pf_check() (disabled, rate, validation, state), carry it
 * out, vfnic_mbx_vf_apply(), reply. The outbox holds one reply and a set
 * of coalesced events; the next message goes when the VF acks the last.
 * While a reply waits, the VF's next request is left in VF2PF (REQ set):
 * a VF that never takes its replies only stalls itself.
 *
 * Queues and RSS: every function programs its own queue and RSS registers
 * in its own function block (hardware.md section 4), which the PF cannot
 * reach. CONFIG_QUEUES, ENABLE/DISABLE_QUEUES and SET_RSS_* are therefore
 * validated and recorded here (the state machine needs them), not applied:
 * the device enforces the queue grant (ADM_NUM_QP) and the IOMMU the ring
 * addresses.
 */
#include <linux/ratelimit.h>

#include "vfnic_pf.h"

static u32 vfnic_io_read(void *ctx, u32 off)
{
	struct vfnic_pf *pf = ctx;

	return readl(pf->hw + off);
}

static void vfnic_io_write(void *ctx, u32 off, u32 val)
{
	struct vfnic_pf *pf = ctx;

	writel(val, pf->hw + off);
}

void vfnic_mbx_io_init(struct vfnic_vf *vf)
{
	vf->io.read = vfnic_io_read;
	vf->io.write = vfnic_io_write;
	vf->io.ctx = vf->pf;
	vf->io.base = vfnic_mbx_pf_base(vf->id);
}

/* Every PF write of MBX_CTRL carries the level we keep in vf->ready. */
void vfnic_vf_set_ready(struct vfnic_vf *vf, bool ready)
{
	vf->ready = ready;
	vfnic_mbx_pf_set_ready(&vf->io, ready);
}

static void vfnic_link_payload(struct vfnic_vf *vf, struct vfnic_mbx_link *l)
{
	bool up = vfnic_vf_link_up(vf);

	l->link_up = up;
	l->speed_mbps = up ? vfnic_pf_speed(vf->pf) : 0;
}

/* Post the next outbox message if PF2VF is free. Under vf->lock. */
void vfnic_vf_flush(struct vfnic_vf *vf)
{
	struct vfnic_mbx_msg msg;
	int err;

	if (!vf->active || !vf->ready || vfnic_mbx_pf_msg_done(&vf->io))
		return;
	if (vf->reply_pending) {
		err = vfnic_mbx_pf_send(&vf->io, &vf->reply, vf->ready);
		if (!err)
			vf->reply_pending = false;
		return;
	}
	if (vf->ev_pending & VFNIC_VF_EV_PF_RESET) {
		vfnic_mbx_init_event(&msg, VFNIC_MBX_EV_PF_RESET, vf->ev_seq);
		vf->ev_pending &= ~VFNIC_VF_EV_PF_RESET;
	} else if (vf->ev_pending & VFNIC_VF_EV_LINK) {
		vfnic_mbx_init_event(&msg, VFNIC_MBX_EV_LINK_CHANGE,
				     vf->ev_seq);
		vfnic_link_payload(vf, &msg.payload.link);
		vf->ev_pending &= ~VFNIC_VF_EV_LINK;
	} else if (vf->ev_changed) {
		vfnic_mbx_init_event(&msg, VFNIC_MBX_EV_CONFIG_CHANGED,
				     vf->ev_seq);
		msg.payload.changed.changed = vf->ev_changed;
		vf->ev_changed = 0;
	} else {
		return;
	}
	vf->ev_seq++;
	vfnic_mbx_pf_send(&vf->io, &msg, vf->ready);
}

/*
 * Queue an event for a VF that negotiated (one that has not yet sent
 * VERSION learns everything from GET_RESOURCES). Under vf->lock.
 */
void vfnic_vf_notify(struct vfnic_vf *vf, u32 ev, u32 changed)
{
	if (!vf->active || vf->mbx.state < VFNIC_MBX_VF_VERSIONED)
		return;
	vf->ev_pending |= ev;
	vf->ev_changed |= changed & VFNIC_MBX_CHG_ALL;
	vfnic_vf_flush(vf);
}

void vfnic_vfs_notify_link(struct vfnic_pf *pf)
{
	int i;

	for (i = 0; i < pf->total_vfs; i++) {
		struct vfnic_vf *vf = &pf->vf[i];

		mutex_lock(&vf->lock);
		if (vf->link_state == IFLA_VF_LINK_STATE_AUTO)
			vfnic_vf_notify(vf, VFNIC_VF_EV_LINK, 0);
		mutex_unlock(&vf->lock);
	}
}

/* Before a PF reset: PF_RESET to every VF we set up (best effort). */
void vfnic_vfs_notify_reset(struct vfnic_pf *pf)
{
	int i;

	for (i = 0; i < pf->total_vfs; i++) {
		struct vfnic_vf *vf = &pf->vf[i];

		mutex_lock(&vf->lock);
		if (vf->active && vf->ready) {
			vf->ev_pending |= VFNIC_VF_EV_PF_RESET;
			vfnic_vf_flush(vf);
		}
		mutex_unlock(&vf->lock);
	}
}

/*
 * Forget what the VF asked for and what was queued for it, and program what
 * the PF decided for it. Under vf->lock.
 */
void vfnic_vf_restart(struct vfnic_vf *vf)
{
	vfnic_vf_clear_requested(vf);
	vf->reply_pending = false;
	vf->ev_pending = 0;
	vf->ev_changed = 0;
	vfnic_vf_hw_program(vf);
}

/* The device stops the VF's rings, whatever its driver does next. */
void vfnic_vf_stop_queues(struct vfnic_vf *vf)
{
	vfnic_wr(vf->pf, vfnic_vf_adm(vf, VFNIC_ADM_CTRL), VFNIC_ADM_CTRL_QRESET);
}

/*
 * The administrator's reset (ip link set PF vf N state ...): forgives a VF
 * disabled for abuse, forgets what it asked for, and makes it start over
 * (PF_READY 1 -> 0 raises its RESET cause). Under vf->lock.
 */
void vfnic_vf_admin_reset(struct vfnic_vf *vf)
{
	struct vfnic_mbx_msg left;

	vfnic_mbx_vf_admin_reset(&vf->mbx);
	vfnic_vf_stop_queues(vf);
	vfnic_vf_restart(vf);
	if (vf->active) {
		/* the request it left while disabled (vfnic_vf_service()) */
		vfnic_mbx_pf_recv(&vf->io, &left, false);
		vfnic_vf_set_ready(vf, false);
		vfnic_vf_set_ready(vf, true);
	}
}

void vfnic_vf_write_filter(struct vfnic_vf *vf, int i)
{
	u32 reg = vfnic_vf_adm(vf, VFNIC_ADM_MAC_FILTER) + i * 8;
	bool used = vf->filter_used & BIT(i);

	vfnic_wr(vf->pf, reg, used ? vfnic_mac_lo(vf->filter[i]) : 0);
	vfnic_wr(vf->pf, reg + 4, used ?
		 vfnic_mac_hi(vf->filter[i]) | VFNIC_MAC_VALID : 0);
}

static int vfnic_vf_find_filter(struct vfnic_vf *vf, const u8 *addr)
{
	int i;

	for (i = 0; i < VFNIC_ADM_MAC_FILTERS; i++)
		if ((vf->filter_used & BIT(i)) &&
		    ether_addr_equal(vf->filter[i], addr))
			return i;
	return -1;
}

/*
 * An untrusted VF whose MAC the administrator set has that MAC as its only
 * unicast address, as with igb, ixgbe and ice: the device takes a filter's
 * address as the VF's own, for delivery and for anti-spoofing.
 */
static bool vfnic_vf_mac_pinned(const struct vfnic_vf *vf)
{
	return vf->admin_mac && !vf->trusted;
}

/* A VF whose MAC is pinned (now) keeps no unicast filter. */
void vfnic_vf_apply_mac_pin(struct vfnic_vf *vf)
{
	int i;

	if (!vfnic_vf_mac_pinned(vf))
		return;
	for (i = 0; i < VFNIC_ADM_MAC_FILTERS; i++) {
		if ((vf->filter_used & BIT(i)) &&
		    is_unicast_ether_addr(vf->filter[i])) {
			vf->filter_used &= ~BIT(i);
			vfnic_vf_write_filter(vf, i);
		}
	}
}

/* Is addr new to vf: not its MAC, a filter, nor earlier in the list? */
static bool vfnic_vf_mac_new(struct vfnic_vf *vf,
			     const struct vfnic_mbx_mac_list *l, unsigned int i)
{
	const u8 *addr = l->mac[i].addr;
	unsigned int j;

	if (ether_addr_equal(addr, vf->mac) ||
	    vfnic_vf_find_filter(vf, addr) >= 0)
		return false;
	for (j = 0; j < i; j++)
		if (ether_addr_equal(addr, l->mac[j].addr))
			return false;
	return true;
}

static int vfnic_vf_add_macs(struct vfnic_vf *vf,
			     const struct vfnic_mbx_mac_list *l)
{
	unsigned int i, need = 0;

	for (i = 0; i < l->count; i++) {
		if (!vfnic_vf_mac_new(vf, l, i))
			continue;
		if (is_unicast_ether_addr(l->mac[i].addr) &&
		    vfnic_vf_mac_pinned(vf))
			return -VFNIC_MBX_E_PERM;
		need++;
	}
	if (need > VFNIC_ADM_MAC_FILTERS - hweight32(vf->filter_used))
		return -VFNIC_MBX_E_NOSPC;
	for (i = 0; i < l->count; i++) {
		const u8 *addr = l->mac[i].addr;
		int slot;

		if (!vfnic_vf_mac_new(vf, l, i))
			continue;
		slot = ffz(vf->filter_used);
		ether_addr_copy(vf->filter[slot], addr);
		vf->filter_used |= BIT(slot);
		vfnic_vf_write_filter(vf, slot);
	}
	return 0;
}

static int vfnic_vf_del_macs(struct vfnic_vf *vf,
			     const struct vfnic_mbx_mac_list *l)
{
	unsigned int i;

	for (i = 0; i < l->count; i++) {
		int slot = vfnic_vf_find_filter(vf, l->mac[i].addr);

		if (slot < 0)
			continue;
		vf->filter_used &= ~BIT(slot);
		vfnic_vf_write_filter(vf, slot);
	}
	return 0;
}

static int vfnic_vf_vlans(struct vfnic_vf *vf,
			  const struct vfnic_mbx_vlan_list *l, bool add)
{
	unsigned int i;

	if (vf->vlan || vf->qos)
		return -VFNIC_MBX_E_PERM;	/* the port VLAN rules */
	for (i = 0; i < l->count; i++) {
		u16 vid = l->vid[i];

		if (add)
			set_bit(vid, vf->vlans);
		else
			clear_bit(vid, vf->vlans);
		vfnic_vf_hw_write_vlan_word(vf, vid / 32);
	}
	return 0;
}

static void vfnic_vf_resources(struct vfnic_vf *vf,
			       const struct vfnic_mbx_msg *req,
			       struct vfnic_mbx_resources *r)
{
	bool port_vlan = vf->vlan || vf->qos;

	r->caps = vfnic_mbx_caps_grant(&vf->mbx, req->payload.caps.caps);
	r->flags = (vf->trusted ? VFNIC_MBX_RES_TRUSTED : 0) |
		   (port_vlan ? VFNIC_MBX_RES_PORT_VLAN : 0) |
		   (vf->admin_mac ? VFNIC_MBX_RES_ADMIN_MAC : 0);
	r->num_qp = vf->num_qp;
	r->num_vectors = VFNIC_VF_MSIX_VECTORS;
	r->max_mtu = VFNIC_MBX_MTU_MAX;
	r->max_macs = VFNIC_ADM_MAC_FILTERS;
	r->max_vlans = port_vlan ? 0 : VFNIC_MBX_VLAN_MAX + 1;
	r->rss_key_size = VFNIC_RSS_KEY_SIZE;
	r->rss_lut_size = VFNIC_RSS_RETA_SIZE;
	ether_addr_copy(r->mac, vf->mac);
}

static void vfnic_vf_stats(struct vfnic_vf *vf, struct vfnic_mbx_stats *st)
{
	u64 *out = (u64 *)st;
	u32 base = vfnic_vf_adm(vf, VFNIC_ADM_STATS);
	int i;

	/* struct vfnic_mbx_stats mirrors the counter block (mailbox.h) */
	for (i = 0; i < VFNIC_STAT_COUNT; i++)
		out[i] = vfnic_rd64(vf->pf, base + i * 8);
}

/* Carry out a request that passed vfnic_mbx_pf_check(); fill the reply. */
static int vfnic_vf_dispatch(struct vfnic_vf *vf,
			     const struct vfnic_mbx_msg *req,
			     struct vfnic_mbx_msg *reply)
{
	struct vfnic_pf *pf = vf->pf;
	int err = 0;

	vfnic_mbx_init_reply(reply, req, 0);
	switch (req->hdr.opcode) {
	case VFNIC_MBX_OP_VERSION:
	case VFNIC_MBX_OP_CONFIG_QUEUES:
	case VFNIC_MBX_OP_ENABLE_QUEUES:
	case VFNIC_MBX_OP_DISABLE_QUEUES:
		break;
	case VFNIC_MBX_OP_RESET_VF:
		vfnic_vf_stop_queues(vf);
		vfnic_vf_hw_reset_requested(vf);
		break;
	case VFNIC_MBX_OP_GET_RESOURCES:
		vfnic_vf_resources(vf, req, &reply->payload.resources);
		break;
	case VFNIC_MBX_OP_ADD_MAC:
		err = vfnic_vf_add_macs(vf, &req->payload.macs);
		break;
	case VFNIC_MBX_OP_DEL_MAC:
		err = vfnic_vf_del_macs(vf, &req->payload.macs);
		break;
	case VFNIC_MBX_OP_ADD_VLAN:
	case VFNIC_MBX_OP_DEL_VLAN:
		err = vfnic_vf_vlans(vf, &req->payload.vlans,
				     req->hdr.opcode == VFNIC_MBX_OP_ADD_VLAN);
		break;
	case VFNIC_MBX_OP_SET_PROMISC:
		vf->rx_filter = req->payload.promisc.flags;
		vfnic_vf_hw_write_policy(vf);
		break;
	case VFNIC_MBX_OP_SET_MTU:
		vf->mtu = req->payload.mtu.mtu;
		vfnic_wr(pf, vfnic_vf_adm(vf, VFNIC_ADM_MAX_FRAME),
			 vf->mtu + ETH_HLEN);
		break;
	case VFNIC_MBX_OP_SET_RSS_KEY:
		memcpy(vf->rss_key, req->payload.rss_key.key,
		       sizeof(vf->rss_key));
		break;
	case VFNIC_MBX_OP_SET_RSS_LUT:
		memcpy(vf->rss_lut, req->payload.rss_lut.lut,
		       sizeof(vf->rss_lut));
		break;
	case VFNIC_MBX_OP_SET_RSS_HASH:
		vf->rss_hash = req->payload.rss_hash.hash;
		break;
	case VFNIC_MBX_OP_GET_STATS:
		vfnic_vf_stats(vf, &reply->payload.stats);
		break;
	case VFNIC_MBX_OP_GET_LINK:
		vfnic_link_payload(vf, &reply->payload.link);
		break;
	default:
		err = -VFNIC_MBX_E_OPCODE;	/* the table knows no more */
	}
	if (err) {
		vfnic_mbx_init_reply(reply, req, err);
		if (-err < VFNIC_MBX_E_WIRE_NR)
			vf->mbx.stats.errors[-err]++;
		return err;
	}
	vfnic_mbx_vf_apply(&vf->mbx, req);
	return 0;
}

/*
 * Malformed messages are warned about under their own limit, so that a
 * flood cannot use up net_ratelimit() before the VF is disabled.
 */
static DEFINE_RATELIMIT_STATE(vfnic_malformed_rs, 5 * HZ, 5);

/* Take one request from VF2PF and answer it (or not). Under vf->lock. */
static void vfnic_vf_handle(struct vfnic_vf *vf)
{
	struct net_device *netdev = vf->pf->netdev;
	struct vfnic_mbx_msg req;
	bool was_disabled;
	int size, err;

	size = vfnic_mbx_pf_recv(&vf->io, &req, vf->ready);
	if (size < 0)
		return;
	was_disabled = vf->mbx.state == VFNIC_MBX_VF_DISABLED;
	err = vfnic_mbx_pf_check(&vf->mbx, &vf->pf->mbx_policy, &req, size,
				 ktime_get_ns());
	if (vf->mbx.state == VFNIC_MBX_VF_DISABLED) {
		/* Dropped unanswered; the first time, shut the VF off. */
		if (!was_disabled) {
			vfnic_vf_hw_write_policy(vf);
			if (net_ratelimit())
				netdev_warn(netdev, "vf %u: disabled after %u malformed mailbox messages (last: %s: %s)\n",
					    vf->id, vf->mbx.abuse.bad,
					    vfnic_mbx_op_name(req.hdr.opcode),
					    vfnic_mbx_strerror(err));
		}
		return;
	}
	if (err) {
		if (vfnic_mbx_err_is_malformed(err) &&
		    __ratelimit(&vfnic_malformed_rs))
			netdev_warn(netdev, "vf %u: malformed mailbox message refused (opcode %u %s, len %u): %s\n",
				    vf->id, req.hdr.opcode,
				    vfnic_mbx_op_name(req.hdr.opcode),
				    req.hdr.len, vfnic_mbx_strerror(err));
		else
			netdev_dbg(netdev, "vf %u: %s refused: %s\n", vf->id,
				   vfnic_mbx_op_name(req.hdr.opcode),
				   vfnic_mbx_strerror(err));
		vfnic_mbx_init_reply(&vf->reply, &req, err);
	} else {
		err = vfnic_vf_dispatch(vf, &req, &vf->reply);
		if (err)
			netdev_dbg(netdev, "vf %u: %s failed: %s\n", vf->id,
				   vfnic_mbx_op_name(req.hdr.opcode),
				   vfnic_mbx_strerror(err));
	}
	vf->reply_pending = true;
}

/* Requests taken from one VF per interrupt. */
#define VFNIC_MBX_PER_IRQ	8

static void vfnic_vf_service(struct vfnic_vf *vf)
{
	int n;

	if (!vf->active)
		return;
	vfnic_vf_flush(vf);
	for (n = 0; n < VFNIC_MBX_PER_IRQ && !vf->reply_pending; n++) {
		if (!(vfnic_rd(vf->pf, vf->io.base + VFNIC_MBX_CTRL) &
		      VFNIC_MBX_REQ))
			break;
		/*
		 * A disabled VF's request stays in VF2PF, unread and with
		 * REQ set: the device raises a request only when REQ goes
		 * from 0 to 1, so the VF costs us nothing more until FLR
		 * clears it or the administrator's reset takes it.
		 */
		if (vf->mbx.state == VFNIC_MBX_VF_DISABLED) {
			vf->mbx.stats.dropped++;
			break;
		}
		vfnic_vf_handle(vf);
		vfnic_vf_flush(vf);
	}
}

static u64 vfnic_take_bits(struct vfnic_pf *pf, u32 lo_reg, u32 hi_reg)
{
	u32 lo = vfnic_rd(pf, lo_reg), hi = vfnic_rd(pf, hi_reg);

	if (lo)
		vfnic_wr(pf, lo_reg, lo);
	if (hi)
		vfnic_wr(pf, hi_reg, hi);
	return lo | (u64)hi << 32;
}

/* Misc cause MBX: VFs that posted a request or took our message. */
void vfnic_mbx_service(struct vfnic_pf *pf)
{
	u64 req = vfnic_take_bits(pf, VFNIC_GLB_MBX_REQ_LO,
				  VFNIC_GLB_MBX_REQ_HI);
	u64 ack = vfnic_take_bits(pf, VFNIC_GLB_MBX_ACK_LO,
				  VFNIC_GLB_MBX_ACK_HI);
	DECLARE_BITMAP(pending, VFNIC_MAX_VFS);
	unsigned int i;

	bitmap_from_u64(pending, req | ack);
	for_each_set_bit(i, pending, VFNIC_MAX_VFS) {
		struct vfnic_vf *vf;

		if (i >= pf->total_vfs)
			break;
		vf = &pf->vf[i];
		mutex_lock(&vf->lock);
		vfnic_vf_service(vf);
		mutex_unlock(&vf->lock);
	}
}

/*
 * Misc cause VFLR: the device reset these VFs' function blocks and
 * mailboxes (PF_READY too) and kept their admin blocks. Forget the
 * negotiation and what the VF asked for, keep the administrator's
 * settings (and a DISABLED VF disabled), then raise PF_READY again.
 */
void vfnic_vflr_service(struct vfnic_pf *pf)
{
	DECLARE_BITMAP(bits, VFNIC_MAX_VFS);
	unsigned int i;

	bitmap_from_u64(bits, vfnic_take_bits(pf, VFNIC_GLB_VFLR_LO,
					      VFNIC_GLB_VFLR_HI));
	for_each_set_bit(i, bits, VFNIC_MAX_VFS) {
		struct vfnic_vf *vf;

		if (i >= pf->total_vfs)
			break;
		vf = &pf->vf[i];
		mutex_lock(&vf->lock);
		if (vf->active) {
			vfnic_mbx_vf_reset(&vf->mbx);
			vfnic_vf_restart(vf);
			vfnic_vf_set_ready(vf, true);
			pf->vflrs++;
			netdev_dbg(pf->netdev, "vf %u: FLR handled\n", i);
		}
		mutex_unlock(&vf->lock);
	}
}
