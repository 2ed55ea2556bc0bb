// SPDX-License-Identifier: (GPL-2.0-only OR BSD-3-Clause)
/*
 * vfnic mailbox, PF side: the PF's view of each VF (the state machine of
 * docs/mailbox.md section 4), the rate limiter and the abuse policy, and
 * vfnic_mbx_pf_check(), the ingress pipeline that runs them in order.
 *
 * Pure functions of their arguments: time comes from the caller, locking
 * is the caller's (the PF driver's per-VF configuration lock).
 */
#include "vfnic_mbx.h"

#define NSEC_PER_SEC_U32 1000000000u

void vfnic_mbx_vf_init(struct vfnic_mbx_vf *vf, unsigned int num_qp,
		       u32 caps_offered, bool trusted)
{
	memset(vf, 0, sizeof(*vf));
	vf->num_qp = num_qp > VFNIC_VF_MAX_QP ? VFNIC_VF_MAX_QP : num_qp;
	vf->caps_offered = caps_offered & VFNIC_MBX_CAP_ALL;
	vf->trusted = trusted;
	vf->state = VFNIC_MBX_VF_RESET;
}

/*
 * FLR or RESET_VF: forget what was negotiated. A disabled VF stays
 * disabled and its abuse count stays: the VF itself can trigger both, so
 * neither may launder it. Only vfnic_mbx_vf_admin_reset() forgives.
 */
void vfnic_mbx_vf_reset(struct vfnic_mbx_vf *vf)
{
	vf->minor = 0;
	vf->caps = 0;
	vf->qp_configured = 0;
	vf->rx_enabled = 0;
	vf->tx_enabled = 0;
	if (vf->state != VFNIC_MBX_VF_DISABLED)
		vf->state = VFNIC_MBX_VF_RESET;
}

void vfnic_mbx_vf_admin_reset(struct vfnic_mbx_vf *vf)
{
	vf->state = VFNIC_MBX_VF_RESET;
	vfnic_mbx_vf_reset(vf);
	memset(&vf->abuse, 0, sizeof(vf->abuse));
	memset(&vf->rate, 0, sizeof(vf->rate));
}

/* May this validated request be carried out now? */
int vfnic_mbx_vf_allowed(const struct vfnic_mbx_vf *vf,
			 const struct vfnic_mbx_msg *msg)
{
	const struct vfnic_mbx_op *op = vfnic_mbx_op_lookup(msg->hdr.opcode);

	if (vf->state == VFNIC_MBX_VF_DISABLED)
		return -VFNIC_MBX_E_DISABLED;
	if (!op)
		return -VFNIC_MBX_E_OPCODE;
	if (op->dir != VFNIC_MBX_DIR_REQ || msg->hdr.flags != VFNIC_MBX_F_REQ)
		return -VFNIC_MBX_E_HDR;
	if (vf->state >= VFNIC_MBX_VF_NR_STATES ||
	    !(op->states & VFNIC_MBX_ST(vf->state)))
		return -VFNIC_MBX_E_STATE;
	if (vf->state >= VFNIC_MBX_VF_VERSIONED && op->min_minor > vf->minor)
		return -VFNIC_MBX_E_NOTSUP;
	if (op->trust && !vf->trusted)
		return -VFNIC_MBX_E_PERM;
	if (op->cap && !(vf->caps & op->cap))
		return -VFNIC_MBX_E_NOTSUP;
	return op->vf_check ? op->vf_check(vf, msg) : 0;
}

/* The PF carried @msg out successfully: move the VF on. */
void vfnic_mbx_vf_apply(struct vfnic_mbx_vf *vf,
			const struct vfnic_mbx_msg *msg)
{
	const struct vfnic_mbx_op *op = vfnic_mbx_op_lookup(msg->hdr.opcode);

	if (!op || op->dir != VFNIC_MBX_DIR_REQ ||
	    vf->state == VFNIC_MBX_VF_DISABLED)
		return;
	/* next_state RESET starts over; any other only moves forward. */
	if (op->next_state == VFNIC_MBX_VF_RESET)
		vfnic_mbx_vf_reset(vf);
	if (op->vf_apply)
		op->vf_apply(vf, msg);
	if (op->next_state > vf->state)
		vf->state = op->next_state;
}

/*
 * Only messages no correct driver sends count towards disabling a VF.
 * State, trust and capability refusals can follow from races with the
 * administrator (trust revoked, FLR), so they are answered but forgiven.
 */
bool vfnic_mbx_err_is_malformed(int err)
{
	switch (-err) {
	case VFNIC_MBX_E_HDR:
	case VFNIC_MBX_E_OPCODE:
	case VFNIC_MBX_E_LEN:
	case VFNIC_MBX_E_COUNT:
	case VFNIC_MBX_E_RANGE:
		return true;
	default:
		return false;
	}
}

/*
 * Token bucket kept in nanoseconds of credit, so there is no 64-bit
 * division (a 32-bit kernel has none): a message costs 1e9 / rate ns, the
 * bucket holds burst messages' worth. rate == 0 means no limit.
 */
bool vfnic_mbx_rate_allow(struct vfnic_mbx_rate *r,
			  const struct vfnic_mbx_policy *pol, u64 now_ns)
{
	u64 cost, cap;

	if (!pol->rate)
		return true;
	cost = NSEC_PER_SEC_U32 / pol->rate;
	cap = cost * (pol->burst ? pol->burst : 1);
	if (r->credit_ns > cap)		/* the policy shrank */
		r->credit_ns = cap;
	if (!r->primed) {
		r->primed = true;
		r->credit_ns = cap;
	} else if (now_ns > r->last_ns) {
		/* A clock that went back earns nothing; it cannot underflow. */
		u64 earned = now_ns - r->last_ns;

		r->credit_ns = earned >= cap - r->credit_ns ?
			       cap : r->credit_ns + earned;
	}
	r->last_ns = now_ns;
	if (r->credit_ns < cost)
		return false;
	r->credit_ns -= cost;
	return true;
}

/*
 * Note one malformed message. True when it is the (bad_max + 1)th within
 * bad_window_ns of the first one counted: the VF should be disabled.
 */
bool vfnic_mbx_abuse_note(struct vfnic_mbx_abuse *a,
			  const struct vfnic_mbx_policy *pol, u64 now_ns)
{
	if (!a->bad || now_ns < a->window_start_ns ||
	    now_ns - a->window_start_ns >= pol->bad_window_ns) {
		a->window_start_ns = now_ns;
		a->bad = 0;
	}
	a->bad++;
	return pol->bad_max && a->bad > pol->bad_max;
}

/*
 * The PF's ingress pipeline for one request, in the order that costs a
 * misbehaving VF the least PF time: disabled, rate, validation, state.
 * Returns the status to reply with. If the VF is DISABLED afterwards, the
 * caller shuts it off (VFNIC_POL_DISABLED), logs, and sends no reply.
 */
int vfnic_mbx_pf_check(struct vfnic_mbx_vf *vf,
		       const struct vfnic_mbx_policy *pol,
		       const struct vfnic_mbx_msg *msg, size_t size,
		       u64 now_ns)
{
	int err;

	vf->stats.msgs++;
	if (vf->state == VFNIC_MBX_VF_DISABLED) {
		vf->stats.dropped++;
		return -VFNIC_MBX_E_DISABLED;
	}
	if (!vfnic_mbx_rate_allow(&vf->rate, pol, now_ns)) {
		vf->stats.rate_limited++;
		return -VFNIC_MBX_E_RATE;
	}
	err = vfnic_mbx_validate(msg, size);
	if (!err && msg->hdr.flags != VFNIC_MBX_F_REQ)
		err = -VFNIC_MBX_E_HDR;
	if (!err)
		err = vfnic_mbx_vf_allowed(vf, msg);
	if (!err)
		return 0;
	if (-err < VFNIC_MBX_E_WIRE_NR)
		vf->stats.errors[-err]++;
	if (vfnic_mbx_err_is_malformed(err) &&
	    vfnic_mbx_abuse_note(&vf->abuse, pol, now_ns)) {
		vf->state = VFNIC_MBX_VF_DISABLED;
		vf->stats.disabled++;
	}
	return err;
}
