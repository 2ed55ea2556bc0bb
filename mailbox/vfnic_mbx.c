// SPDX-License-Identifier: (GPL-2.0-only OR BSD-3-Clause)
/*
 * vfnic mailbox protocol: the opcode table and what it drives: encoding,
 * validation, and the per-opcode hooks of the PF's state machine (whose
 * engine is in vfnic_mbx_pf.c).
 *
 * Validation is not a switch of per-opcode length rules: each opcode has
 * one row in vfnic_mbx_ops[] and generic code reads the row. Only checks
 * that a row cannot express (values, not lengths) are small functions the
 * row points to. The same table prints the opcode table in docs/mailbox.md
 * (gen_doc.c), so the spec cannot drift from the code.
 */
#include "vfnic_mbx.h"

#define ST_ALIVE	(VFNIC_MBX_ST(VFNIC_MBX_VF_RESET) |		\
			 VFNIC_MBX_ST(VFNIC_MBX_VF_VERSIONED) |		\
			 VFNIC_MBX_ST(VFNIC_MBX_VF_RESOURCES) |		\
			 VFNIC_MBX_ST(VFNIC_MBX_VF_RUNNING))
#define ST_NEGOTIATE	(VFNIC_MBX_ST(VFNIC_MBX_VF_RESET) |		\
			 VFNIC_MBX_ST(VFNIC_MBX_VF_VERSIONED))
#define ST_VERSIONED	(VFNIC_MBX_ST(VFNIC_MBX_VF_VERSIONED) |		\
			 VFNIC_MBX_ST(VFNIC_MBX_VF_RESOURCES) |		\
			 VFNIC_MBX_ST(VFNIC_MBX_VF_RUNNING))
#define ST_CONFIG	(VFNIC_MBX_ST(VFNIC_MBX_VF_RESOURCES) |		\
			 VFNIC_MBX_ST(VFNIC_MBX_VF_RUNNING))

#define QP_MASK_ALL	((1u << VFNIC_VF_MAX_QP) - 1)

static bool mbx_is_pow2(unsigned int v)
{
	return v && !(v & (v - 1));
}

static bool mbx_all_zero(const u8 *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

static u32 mbx_qp_mask(unsigned int num_qp)
{
	return num_qp >= 32 ? ~0u : (1u << num_qp) - 1;
}

/* Value checks: called only once the length and count are right. */

static int check_caps(const struct vfnic_mbx_msg *msg)
{
	/* Unknown capability bits are fine: the PF grants what it knows. */
	return msg->payload.caps.rsvd ? -VFNIC_MBX_E_RANGE : 0;
}

static int check_resources(const struct vfnic_mbx_msg *msg)
{
	const struct vfnic_mbx_resources *r = &msg->payload.resources;

	if (r->caps & ~VFNIC_MBX_CAP_ALL || r->flags & ~VFNIC_MBX_RES_ALL ||
	    !r->num_qp || r->num_qp > VFNIC_VF_MAX_QP ||
	    r->num_vectors > VFNIC_VF_MSIX_VECTORS ||
	    r->max_mtu < VFNIC_MBX_MTU_MIN || r->max_mtu > VFNIC_MBX_MTU_MAX ||
	    r->max_macs > VFNIC_MBX_MAX_MACS ||
	    r->max_vlans > VFNIC_MBX_VLAN_MAX + 1 ||
	    r->rss_key_size != VFNIC_RSS_KEY_SIZE ||
	    r->rss_lut_size != VFNIC_RSS_RETA_SIZE ||
	    !mbx_all_zero(r->rsvd, sizeof(r->rsvd)))
		return -VFNIC_MBX_E_RANGE;
	return 0;
}

static bool ring_ok(u64 dma, unsigned int len)
{
	return dma && !(dma % VFNIC_DESC_SIZE) && mbx_is_pow2(len) &&
	       len >= VFNIC_Q_LEN_MIN && len <= VFNIC_Q_LEN_MAX;
}

static int check_qp_cfg(const struct vfnic_mbx_msg *msg)
{
	const struct vfnic_mbx_qp_cfg_list *l = &msg->payload.qp_cfg;
	u32 seen = 0;
	unsigned int i;

	if (!mbx_all_zero((const u8 *)l->rsvd, sizeof(l->rsvd)))
		return -VFNIC_MBX_E_RANGE;
	for (i = 0; i < l->count; i++) {
		const struct vfnic_mbx_qp_cfg *q = &l->qp[i];

		if (q->qp_id >= VFNIC_VF_MAX_QP || seen & (1u << q->qp_id) ||
		    !ring_ok(q->rx_ring_dma, q->rx_ring_len) ||
		    !ring_ok(q->tx_ring_dma, q->tx_ring_len) ||
		    q->rx_buf_size < VFNIC_RX_BUF_MIN ||
		    q->rx_buf_size > VFNIC_RX_BUF_MAX || q->rsvd || q->rsvd2)
			return -VFNIC_MBX_E_RANGE;
		seen |= 1u << q->qp_id;
	}
	return 0;
}

static int check_queues(const struct vfnic_mbx_msg *msg)
{
	const struct vfnic_mbx_queue_select *s = &msg->payload.queues;

	/* An empty selection is a driver bug, not a no-op to wave through. */
	if (!(s->rx_mask | s->tx_mask) ||
	    (s->rx_mask | s->tx_mask) & ~QP_MASK_ALL)
		return -VFNIC_MBX_E_RANGE;
	return 0;
}

static int check_macs(const struct vfnic_mbx_msg *msg)
{
	const struct vfnic_mbx_mac_list *l = &msg->payload.macs;
	unsigned int i;

	if (l->rsvd)
		return -VFNIC_MBX_E_RANGE;
	for (i = 0; i < l->count; i++)
		if (mbx_all_zero(l->mac[i].addr, sizeof(l->mac[i].addr)) ||
		    !mbx_all_zero(l->mac[i].rsvd, sizeof(l->mac[i].rsvd)))
			return -VFNIC_MBX_E_RANGE;
	return 0;
}

static int check_vlans(const struct vfnic_mbx_msg *msg)
{
	const struct vfnic_mbx_vlan_list *l = &msg->payload.vlans;
	unsigned int i;

	if (l->rsvd)
		return -VFNIC_MBX_E_RANGE;
	for (i = 0; i < l->count; i++)
		if (l->vid[i] > VFNIC_MBX_VLAN_MAX)
			return -VFNIC_MBX_E_RANGE;
	return 0;
}

static int check_promisc(const struct vfnic_mbx_msg *msg)
{
	return msg->payload.promisc.flags & ~VFNIC_MBX_PROMISC_ALL ?
	       -VFNIC_MBX_E_RANGE : 0;
}

static int check_mtu(const struct vfnic_mbx_msg *msg)
{
	const struct vfnic_mbx_mtu *m = &msg->payload.mtu;

	return m->mtu < VFNIC_MBX_MTU_MIN || m->mtu > VFNIC_MBX_MTU_MAX ||
	       m->rsvd ? -VFNIC_MBX_E_RANGE : 0;
}

static int check_rss_lut(const struct vfnic_mbx_msg *msg)
{
	unsigned int i;

	for (i = 0; i < VFNIC_RSS_RETA_SIZE; i++)
		if (msg->payload.rss_lut.lut[i] >= VFNIC_VF_MAX_QP)
			return -VFNIC_MBX_E_RANGE;
	return 0;
}

static int check_rss_hash(const struct vfnic_mbx_msg *msg)
{
	return msg->payload.rss_hash.hash & ~VFNIC_MBX_RSS_HASH_ALL ?
	       -VFNIC_MBX_E_RANGE : 0;
}

static int check_link(const struct vfnic_mbx_msg *msg)
{
	const struct vfnic_mbx_link *l = &msg->payload.link;

	return l->link_up > 1 || !mbx_all_zero(l->rsvd, sizeof(l->rsvd)) ?
	       -VFNIC_MBX_E_RANGE : 0;
}

static int check_changed(const struct vfnic_mbx_msg *msg)
{
	const struct vfnic_mbx_config_changed *c = &msg->payload.changed;

	return !c->changed || c->changed & ~VFNIC_MBX_CHG_ALL || c->rsvd ?
	       -VFNIC_MBX_E_RANGE : 0;
}

/* Checks against the PF's view of the VF: what the administrator granted. */

static int vf_check_version(const struct vfnic_mbx_vf *vf,
			    const struct vfnic_mbx_msg *msg)
{
	(void)vf;
	return msg->payload.version.major != VFNIC_MBX_VERSION_MAJOR ?
	       -VFNIC_MBX_E_VERSION : 0;
}

static int vf_check_qp_cfg(const struct vfnic_mbx_vf *vf,
			   const struct vfnic_mbx_msg *msg)
{
	const struct vfnic_mbx_qp_cfg_list *l = &msg->payload.qp_cfg;
	unsigned int i;

	for (i = 0; i < l->count; i++) {
		u32 bit = 1u << l->qp[i].qp_id;

		if (!(bit & mbx_qp_mask(vf->num_qp)))
			return -VFNIC_MBX_E_RANGE;
		/* Rings of a running queue cannot move under the device. */
		if (bit & (vf->rx_enabled | vf->tx_enabled))
			return -VFNIC_MBX_E_STATE;
	}
	return 0;
}

static int vf_check_enable(const struct vfnic_mbx_vf *vf,
			   const struct vfnic_mbx_msg *msg)
{
	u32 sel = msg->payload.queues.rx_mask | msg->payload.queues.tx_mask;

	if (sel & ~mbx_qp_mask(vf->num_qp))
		return -VFNIC_MBX_E_RANGE;
	if (sel & ~vf->qp_configured)
		return -VFNIC_MBX_E_STATE;
	return 0;
}

static int vf_check_disable(const struct vfnic_mbx_vf *vf,
			    const struct vfnic_mbx_msg *msg)
{
	u32 sel = msg->payload.queues.rx_mask | msg->payload.queues.tx_mask;

	return sel & ~mbx_qp_mask(vf->num_qp) ? -VFNIC_MBX_E_RANGE : 0;
}

static int vf_check_rss_lut(const struct vfnic_mbx_vf *vf,
			    const struct vfnic_mbx_msg *msg)
{
	unsigned int i;

	for (i = 0; i < VFNIC_RSS_RETA_SIZE; i++)
		if (msg->payload.rss_lut.lut[i] >= vf->num_qp)
			return -VFNIC_MBX_E_RANGE;
	return 0;
}

/* Bookkeeping after the PF carried a request out. */

static void vf_apply_version(struct vfnic_mbx_vf *vf,
			     const struct vfnic_mbx_msg *msg)
{
	u16 minor = msg->payload.version.minor;

	/* Both sides speak the lower minor: old VFs keep working. */
	vf->minor = minor > VFNIC_MBX_VERSION_MINOR ?
		    VFNIC_MBX_VERSION_MINOR : minor;
}

static void vf_apply_resources(struct vfnic_mbx_vf *vf,
			       const struct vfnic_mbx_msg *msg)
{
	vf->caps = vfnic_mbx_caps_grant(vf, msg->payload.caps.caps);
}

static void vf_apply_qp_cfg(struct vfnic_mbx_vf *vf,
			    const struct vfnic_mbx_msg *msg)
{
	unsigned int i;

	for (i = 0; i < msg->payload.qp_cfg.count; i++)
		vf->qp_configured |= 1u << msg->payload.qp_cfg.qp[i].qp_id;
}

static void vf_apply_enable(struct vfnic_mbx_vf *vf,
			    const struct vfnic_mbx_msg *msg)
{
	vf->rx_enabled |= msg->payload.queues.rx_mask;
	vf->tx_enabled |= msg->payload.queues.tx_mask;
}

static void vf_apply_disable(struct vfnic_mbx_vf *vf,
			     const struct vfnic_mbx_msg *msg)
{
	vf->rx_enabled &= ~msg->payload.queues.rx_mask;
	vf->tx_enabled &= ~msg->payload.queues.tx_mask;
	if (!(vf->rx_enabled | vf->tx_enabled) &&
	    vf->state == VFNIC_MBX_VF_RUNNING)
		vf->state = VFNIC_MBX_VF_RESOURCES;
}

#define PL(member)	sizeof(((struct vfnic_mbx_msg *)0)->payload.member)
#define ARRAY(type, member, max) \
	.len = offsetof(struct type, member), \
	.elem_size = sizeof(((struct type *)0)->member[0]), \
	.count_off = offsetof(struct type, count), .max_count = (max)

/* The protocol, one row per opcode. docs/mailbox.md is printed from it. */
static const struct vfnic_mbx_op vfnic_mbx_ops[VFNIC_MBX_OP_TABLE_SIZE] = {
	[VFNIC_MBX_OP_VERSION] = {
		.name = "VERSION", .len = PL(version),
		.reply_len = PL(version), .states = ST_NEGOTIATE,
		.next_state = VFNIC_MBX_VF_VERSIONED,
		.vf_check = vf_check_version, .vf_apply = vf_apply_version,
	},
	[VFNIC_MBX_OP_RESET_VF] = {
		.name = "RESET_VF", .states = ST_ALIVE,
		.next_state = VFNIC_MBX_VF_RESET,
	},
	[VFNIC_MBX_OP_GET_RESOURCES] = {
		.name = "GET_RESOURCES", .len = PL(caps),
		.reply_len = PL(resources), .states = ST_VERSIONED,
		.next_state = VFNIC_MBX_VF_RESOURCES,
		.check = check_caps, .check_reply = check_resources,
		.vf_apply = vf_apply_resources,
	},
	[VFNIC_MBX_OP_CONFIG_QUEUES] = {
		.name = "CONFIG_QUEUES",
		ARRAY(vfnic_mbx_qp_cfg_list, qp, VFNIC_MBX_MAX_QP_CFG),
		.states = ST_CONFIG, .check = check_qp_cfg,
		.vf_check = vf_check_qp_cfg, .vf_apply = vf_apply_qp_cfg,
	},
	[VFNIC_MBX_OP_ENABLE_QUEUES] = {
		.name = "ENABLE_QUEUES", .len = PL(queues),
		.states = ST_CONFIG, .next_state = VFNIC_MBX_VF_RUNNING,
		.check = check_queues,
		.vf_check = vf_check_enable, .vf_apply = vf_apply_enable,
	},
	[VFNIC_MBX_OP_DISABLE_QUEUES] = {
		.name = "DISABLE_QUEUES", .len = PL(queues),
		.states = ST_CONFIG, .check = check_queues,
		.vf_check = vf_check_disable, .vf_apply = vf_apply_disable,
	},
	[VFNIC_MBX_OP_ADD_MAC] = {
		.name = "ADD_MAC",
		ARRAY(vfnic_mbx_mac_list, mac, VFNIC_MBX_MAX_MACS),
		.states = ST_CONFIG, .check = check_macs,
	},
	[VFNIC_MBX_OP_DEL_MAC] = {
		.name = "DEL_MAC",
		ARRAY(vfnic_mbx_mac_list, mac, VFNIC_MBX_MAX_MACS),
		.states = ST_CONFIG, .check = check_macs,
	},
	[VFNIC_MBX_OP_ADD_VLAN] = {
		.name = "ADD_VLAN",
		ARRAY(vfnic_mbx_vlan_list, vid, VFNIC_MBX_MAX_VLANS),
		.states = ST_CONFIG, .cap = VFNIC_MBX_CAP_VLAN,
		.check = check_vlans,
	},
	[VFNIC_MBX_OP_DEL_VLAN] = {
		.name = "DEL_VLAN",
		ARRAY(vfnic_mbx_vlan_list, vid, VFNIC_MBX_MAX_VLANS),
		.states = ST_CONFIG, .cap = VFNIC_MBX_CAP_VLAN,
		.check = check_vlans,
	},
	[VFNIC_MBX_OP_SET_PROMISC] = {
		.name = "SET_PROMISC", .len = PL(promisc),
		.states = ST_CONFIG, .trust = 1, .check = check_promisc,
	},
	[VFNIC_MBX_OP_SET_MTU] = {
		.name = "SET_MTU", .len = PL(mtu),
		.states = ST_CONFIG, .check = check_mtu,
	},
	[VFNIC_MBX_OP_SET_RSS_KEY] = {
		.name = "SET_RSS_KEY", .len = PL(rss_key),
		.states = ST_CONFIG, .cap = VFNIC_MBX_CAP_RSS,
	},
	[VFNIC_MBX_OP_SET_RSS_LUT] = {
		.name = "SET_RSS_LUT", .len = PL(rss_lut),
		.states = ST_CONFIG, .cap = VFNIC_MBX_CAP_RSS,
		.check = check_rss_lut, .vf_check = vf_check_rss_lut,
	},
	[VFNIC_MBX_OP_SET_RSS_HASH] = {
		.name = "SET_RSS_HASH", .len = PL(rss_hash),
		.states = ST_CONFIG, .cap = VFNIC_MBX_CAP_RSS,
		.check = check_rss_hash,
	},
	[VFNIC_MBX_OP_GET_STATS] = {
		.name = "GET_STATS", .reply_len = PL(stats),
		.states = ST_CONFIG,
	},
	[VFNIC_MBX_OP_GET_LINK] = {
		.name = "GET_LINK", .reply_len = PL(link),
		.states = ST_CONFIG, .check_reply = check_link,
	},
	[VFNIC_MBX_EV_LINK_CHANGE] = {
		.name = "LINK_CHANGE", .dir = VFNIC_MBX_DIR_EVENT,
		.len = PL(link), .check = check_link,
	},
	[VFNIC_MBX_EV_PF_RESET] = {
		.name = "PF_RESET", .dir = VFNIC_MBX_DIR_EVENT,
	},
	[VFNIC_MBX_EV_CONFIG_CHANGED] = {
		.name = "CONFIG_CHANGED", .dir = VFNIC_MBX_DIR_EVENT,
		.len = PL(changed), .check = check_changed,
	},
};

const struct vfnic_mbx_op *vfnic_mbx_op_lookup(unsigned int opcode)
{
	if (opcode >= VFNIC_MBX_OP_TABLE_SIZE || !vfnic_mbx_ops[opcode].name)
		return NULL;
	return &vfnic_mbx_ops[opcode];
}

const char *vfnic_mbx_op_name(unsigned int opcode)
{
	const struct vfnic_mbx_op *op = vfnic_mbx_op_lookup(opcode);

	return op ? op->name : "UNKNOWN";
}

static const char *const vfnic_mbx_errors[VFNIC_MBX_E_NR] = {
	[VFNIC_MBX_OK]		= "ok",
	[VFNIC_MBX_E_HDR]	= "bad header",
	[VFNIC_MBX_E_OPCODE]	= "unknown opcode",
	[VFNIC_MBX_E_LEN]	= "bad length",
	[VFNIC_MBX_E_COUNT]	= "bad element count",
	[VFNIC_MBX_E_RANGE]	= "value out of range",
	[VFNIC_MBX_E_STATE]	= "not allowed in this state",
	[VFNIC_MBX_E_PERM]	= "VF not trusted",
	[VFNIC_MBX_E_NOTSUP]	= "not negotiated",
	[VFNIC_MBX_E_VERSION]	= "version mismatch",
	[VFNIC_MBX_E_RATE]	= "rate limited",
	[VFNIC_MBX_E_DISABLED]	= "VF disabled",
	[VFNIC_MBX_E_NOSPC]	= "no space",
	[VFNIC_MBX_E_FAILED]	= "PF failed",
	[VFNIC_MBX_E_BUSY]	= "mailbox busy",
	[VFNIC_MBX_E_NOMSG]	= "no message",
	[VFNIC_MBX_E_NOT_READY]	= "PF not ready",
	[VFNIC_MBX_E_SEQ]	= "reply does not match request",
	[VFNIC_MBX_E_TIMEOUT]	= "timeout",
};

const char *vfnic_mbx_strerror(int err)
{
	unsigned int e = err < 0 ? -(unsigned int)err : (unsigned int)err;

	return e < VFNIC_MBX_E_NR ? vfnic_mbx_errors[e] : "unknown error";
}

const char *vfnic_mbx_state_name(unsigned int state)
{
	static const char *const names[VFNIC_MBX_VF_NR_STATES] = {
		"DISABLED", "RESET", "VERSIONED", "RESOURCES", "RUNNING",
	};

	return state < VFNIC_MBX_VF_NR_STATES ? names[state] : "INVALID";
}

/* Encode */

static int init_msg(struct vfnic_mbx_msg *msg, unsigned int opcode,
		    u16 seq, unsigned int dir, u8 flags)
{
	const struct vfnic_mbx_op *op = vfnic_mbx_op_lookup(opcode);

	if (!op || op->dir != dir)
		return -VFNIC_MBX_E_OPCODE;
	memset(msg, 0, sizeof(*msg));
	msg->hdr.opcode = opcode;
	msg->hdr.flags = flags;
	msg->hdr.seq = seq;
	msg->hdr.len = op->len;
	return 0;
}

int vfnic_mbx_init_req(struct vfnic_mbx_msg *msg, unsigned int opcode,
		       u16 seq)
{
	return init_msg(msg, opcode, seq, VFNIC_MBX_DIR_REQ, VFNIC_MBX_F_REQ);
}

int vfnic_mbx_init_event(struct vfnic_mbx_msg *msg, unsigned int opcode,
			 u16 seq)
{
	return init_msg(msg, opcode, seq, VFNIC_MBX_DIR_EVENT,
			VFNIC_MBX_F_EVENT);
}

/* Store an array's element count and make hdr.len agree with it. */
int vfnic_mbx_set_count(struct vfnic_mbx_msg *msg, unsigned int count)
{
	const struct vfnic_mbx_op *op = vfnic_mbx_op_lookup(msg->hdr.opcode);
	u8 *p = msg->payload.raw;

	if (!op || !op->elem_size)
		return -VFNIC_MBX_E_OPCODE;
	if (!count || count > op->max_count)
		return -VFNIC_MBX_E_COUNT;
	p[op->count_off] = count & 0xff;
	p[op->count_off + 1] = count >> 8;
	msg->hdr.len = op->len + count * op->elem_size;
	return 0;
}

/*
 * A reply echoes opcode and seq. An error reply has no payload, except
 * VERSION: the VF learns the PF's version even when the majors differ.
 */
int vfnic_mbx_init_reply(struct vfnic_mbx_msg *reply,
			 const struct vfnic_mbx_msg *req, int err)
{
	const struct vfnic_mbx_op *op = vfnic_mbx_op_lookup(req->hdr.opcode);
	unsigned int status = err < 0 ? -(unsigned int)err : 0;

	if (status >= VFNIC_MBX_E_WIRE_NR)
		status = VFNIC_MBX_E_FAILED;
	if (!op || op->dir != VFNIC_MBX_DIR_REQ)
		status = VFNIC_MBX_E_OPCODE;
	memset(reply, 0, sizeof(*reply));
	reply->hdr.opcode = req->hdr.opcode;
	reply->hdr.flags = VFNIC_MBX_F_REPLY;
	reply->hdr.seq = req->hdr.seq;
	reply->hdr.status = status;
	if (req->hdr.opcode == VFNIC_MBX_OP_VERSION) {
		reply->payload.version.major = VFNIC_MBX_VERSION_MAJOR;
		reply->payload.version.minor = VFNIC_MBX_VERSION_MINOR;
		reply->hdr.len = op->reply_len;
	} else if (!status) {
		reply->hdr.len = op->reply_len;
	}
	return 0;
}

/* Decode */

static unsigned int read_count(const struct vfnic_mbx_op *op,
			       const struct vfnic_mbx_msg *msg)
{
	const u8 *p = msg->payload.raw + op->count_off;

	return p[0] | p[1] << 8;
}

int vfnic_mbx_count(const struct vfnic_mbx_msg *msg)
{
	const struct vfnic_mbx_op *op = vfnic_mbx_op_lookup(msg->hdr.opcode);

	if (!op || !op->elem_size)
		return -VFNIC_MBX_E_OPCODE;
	return read_count(op, msg);
}

static int validate_reply(const struct vfnic_mbx_op *op,
			  const struct vfnic_mbx_msg *msg)
{
	unsigned int len = msg->hdr.len;

	if (op->dir != VFNIC_MBX_DIR_REQ ||
	    msg->hdr.status >= VFNIC_MBX_E_WIRE_NR)
		return -VFNIC_MBX_E_HDR;
	if (len != op->reply_len && (!msg->hdr.status || len))
		return -VFNIC_MBX_E_LEN;
	if (len && op->check_reply)
		return op->check_reply(msg);
	return 0;
}

/*
 * Check a whole message of @size bytes (what the transport copied) against
 * its table row: header, length, array count, then values. Used by the PF
 * on every request, and by the VF before sending and on what it receives.
 */
int vfnic_mbx_validate(const struct vfnic_mbx_msg *msg, size_t size)
{
	unsigned int flags = msg->hdr.flags, len = msg->hdr.len, count;
	const struct vfnic_mbx_op *op;

	if (size < VFNIC_MBX_HDR_SIZE || size > VFNIC_MBX_BUF_SIZE)
		return -VFNIC_MBX_E_LEN;
	if (flags != VFNIC_MBX_F_REQ && flags != VFNIC_MBX_F_REPLY &&
	    flags != VFNIC_MBX_F_EVENT)
		return -VFNIC_MBX_E_HDR;
	op = vfnic_mbx_op_lookup(msg->hdr.opcode);
	if (!op || (flags == VFNIC_MBX_F_REPLY &&
		    op->dir != VFNIC_MBX_DIR_REQ)) {
		/*
		 * The PF's answer to an opcode that is no request (unknown,
		 * or an event's) is valid: vfnic_mbx_init_reply() sends it.
		 */
		if (flags == VFNIC_MBX_F_REPLY && !len &&
		    msg->hdr.status == VFNIC_MBX_E_OPCODE)
			return 0;
		return op ? -VFNIC_MBX_E_HDR : -VFNIC_MBX_E_OPCODE;
	}
	if (len > size - VFNIC_MBX_HDR_SIZE)
		return -VFNIC_MBX_E_LEN;
	if (flags == VFNIC_MBX_F_REPLY)
		return validate_reply(op, msg);

	if ((flags == VFNIC_MBX_F_REQ) != (op->dir == VFNIC_MBX_DIR_REQ) ||
	    msg->hdr.status)
		return -VFNIC_MBX_E_HDR;
	if (!op->elem_size) {
		if (len != op->len)
			return -VFNIC_MBX_E_LEN;
	} else {
		if (len < op->len)
			return -VFNIC_MBX_E_LEN;
		count = read_count(op, msg);
		if (!count || count > op->max_count)
			return -VFNIC_MBX_E_COUNT;
		if (len != op->len + count * op->elem_size)
			return -VFNIC_MBX_E_LEN;
	}
	return op->check ? op->check(msg) : 0;
}

/* VF side: does @reply (validated) answer @req? Returns the PF's status. */
int vfnic_mbx_check_reply(const struct vfnic_mbx_msg *req,
			  const struct vfnic_mbx_msg *reply)
{
	if (reply->hdr.flags != VFNIC_MBX_F_REPLY ||
	    reply->hdr.opcode != req->hdr.opcode ||
	    reply->hdr.seq != req->hdr.seq)
		return -VFNIC_MBX_E_SEQ;
	return -(int)reply->hdr.status;
}
