// SPDX-License-Identifier: (GPL-2.0-only OR BSD-3-Clause)
/*
 * libFuzzer harness for the PF side of the mailbox: a hostile VF drives the
 * PF's per-VF state machine, rate limiter and abuse policy through the fake
 * register file (tests/unit/mailbox_fake_regs.c), with the same pipeline
 * the PF driver runs (pf_driver/vfnic_pf_mbx.c): recv, vfnic_mbx_pf_check,
 * carry out, vfnic_mbx_vf_apply, reply, send when PF2VF is free.
 *
 * The input is a sequence of commands (cmd_* below): raw buffers of any
 * length, valid messages with bytes patched, PF service, the VF taking what
 * the PF posted, time, FLR, the administrator's reset and trust, events, PF
 * ready toggles, and a second VF. After every command the harness checks:
 *   - the PF touched only this VF's mailbox registers, never past a buffer
 *     and never over an unacked message (the fake counts faults);
 *   - the VF's state stays in the documented set and moves only along the
 *     documented edges (docs/mailbox.md section 4), and its bookkeeping is
 *     consistent with the state (enabled queues are configured, etc.);
 *   - every reply and event the PF posts is well-formed: it passes the
 *     VF's own vfnic_mbx_validate() and answers the request it replies to;
 *   - a DISABLED VF gets no reply, and the other VF's mailbox is untouched.
 * A violated invariant aborts, which libFuzzer reports as a crash.
 */
#include <stdio.h>
#include <stdlib.h>

#include "vfnic_mbx_transport.h"
#include "mailbox_fake_regs.h"
#include "mailbox_test_msgs.h"
#include "fuzz_check.h"
#include "fuzz_input.h"

#define NVF		2
#define MS		1000000ull

/* A request the PF answered, and the status it decided on. */
struct expect {
	bool valid;
	struct vfnic_mbx_hdr req;
	int status;
};

/* The PF driver's record of one VF (struct vfnic_vf, the mailbox part). */
struct pf_vf {
	struct vfnic_mbx_vf mbx;
	struct vfnic_mbx_io io;
	struct vfnic_mbx_msg reply;
	bool reply_pending;
	bool ready;
	u16 ev_seq;
	/* the request vf->reply answers, and the one PF2VF answers */
	struct expect pending, posted;
};

struct world {
	struct fake_mbx_hw hw;
	struct pf_vf vf[NVF];
	struct vfnic_mbx_policy pol;
	u64 now;
	unsigned int cur;
};

/* Edges of docs/mailbox.md section 4 that one request may take. */
static bool edge_ok(unsigned int from, unsigned int to)
{
	static const u16 next[VFNIC_MBX_VF_NR_STATES] = {
		[VFNIC_MBX_VF_DISABLED] = VFNIC_MBX_ST(VFNIC_MBX_VF_DISABLED),
		[VFNIC_MBX_VF_RESET] = VFNIC_MBX_ST(VFNIC_MBX_VF_VERSIONED),
		[VFNIC_MBX_VF_VERSIONED] = VFNIC_MBX_ST(VFNIC_MBX_VF_RESOURCES),
		[VFNIC_MBX_VF_RESOURCES] = VFNIC_MBX_ST(VFNIC_MBX_VF_RUNNING),
		[VFNIC_MBX_VF_RUNNING] = VFNIC_MBX_ST(VFNIC_MBX_VF_RESOURCES),
	};

	if (from == to)
		return true;
	if (from == VFNIC_MBX_VF_DISABLED)
		return false;
	if (to == VFNIC_MBX_VF_DISABLED || to == VFNIC_MBX_VF_RESET)
		return true;
	return next[from] & VFNIC_MBX_ST(to);
}

static void check_vf(const struct world *w, unsigned int i)
{
	const struct vfnic_mbx_vf *v = &w->vf[i].mbx;
	u32 granted = (1u << v->num_qp) - 1;

	CHECK(v->state < VFNIC_MBX_VF_NR_STATES, "vf %u state %u", i,
	      v->state);
	CHECK(v->minor <= VFNIC_MBX_VERSION_MINOR, "vf %u minor %u", i,
	      v->minor);
	CHECK(!(v->caps & ~v->caps_offered), "vf %u caps %#x offered %#x", i,
	      v->caps, v->caps_offered);
	CHECK(!(v->qp_configured & ~granted), "vf %u configured %#x", i,
	      v->qp_configured);
	CHECK(!((v->rx_enabled | v->tx_enabled) & ~v->qp_configured),
	      "vf %u enabled rx %#x tx %#x configured %#x", i, v->rx_enabled,
	      v->tx_enabled, v->qp_configured);
	if (v->state == VFNIC_MBX_VF_DISABLED)
		return;
	CHECK((v->state == VFNIC_MBX_VF_RUNNING) ==
	      !!(v->rx_enabled | v->tx_enabled),
	      "vf %u %s with rx %#x tx %#x enabled", i,
	      vfnic_mbx_state_name(v->state), v->rx_enabled, v->tx_enabled);
	if (v->state < VFNIC_MBX_VF_RESOURCES)
		CHECK(!v->caps && !v->qp_configured,
		      "vf %u %s with caps %#x, queues %#x", i,
		      vfnic_mbx_state_name(v->state), v->caps,
		      v->qp_configured);
}

/* The PF's dispatch for a request that passed the checks; may fail it. */
static int carry_out(struct pf_vf *vf, const struct vfnic_mbx_msg *req,
		     struct vfnic_mbx_msg *reply, unsigned int fail)
{
	struct vfnic_mbx_resources *r = &reply->payload.resources;

	vfnic_mbx_init_reply(reply, req, 0);
	switch (req->hdr.opcode) {
	case VFNIC_MBX_OP_GET_RESOURCES:
		r->caps = vfnic_mbx_caps_grant(&vf->mbx,
					       req->payload.caps.caps);
		r->flags = vf->mbx.trusted ? VFNIC_MBX_RES_TRUSTED : 0;
		r->num_qp = vf->mbx.num_qp;
		r->num_vectors = VFNIC_VF_MSIX_VECTORS;
		r->max_mtu = VFNIC_MBX_MTU_MAX;
		r->max_macs = VFNIC_ADM_MAC_FILTERS;
		r->max_vlans = VFNIC_MBX_VLAN_MAX + 1;
		r->rss_key_size = VFNIC_RSS_KEY_SIZE;
		r->rss_lut_size = VFNIC_RSS_RETA_SIZE;
		memcpy(r->mac, test_mac, sizeof(r->mac));
		break;
	case VFNIC_MBX_OP_GET_STATS:
		memset(&reply->payload.stats, 0xa5,
		       sizeof(reply->payload.stats));
		break;
	case VFNIC_MBX_OP_GET_LINK:
		reply->payload.link.link_up = 1;
		reply->payload.link.speed_mbps = 10000;
		break;
	case VFNIC_MBX_OP_ADD_MAC:
	case VFNIC_MBX_OP_ADD_VLAN:
		/* tables full, port VLAN set: the driver's own refusals */
		if (fail == 1)
			return -VFNIC_MBX_E_NOSPC;
		if (fail == 2)
			return -VFNIC_MBX_E_PERM;
		break;
	default:
		if (fail == 3)
			return -VFNIC_MBX_E_FAILED;
		break;
	}
	return 0;
}

static void flush(struct pf_vf *vf)
{
	if (!vf->ready || !vf->reply_pending ||
	    vfnic_mbx_pf_msg_done(&vf->io))
		return;
	if (!vfnic_mbx_pf_send(&vf->io, &vf->reply, vf->ready)) {
		vf->reply_pending = false;
		vf->posted = vf->pending;
	}
}

/* vfnic_vf_handle(): one request from VF2PF, checked, answered or not. */
static void handle(struct world *w, unsigned int i, unsigned int fail)
{
	struct pf_vf *vf = &w->vf[i];
	struct vfnic_mbx_msg req;
	unsigned int before = vf->mbx.state;
	int size, err;

	size = vfnic_mbx_pf_recv(&vf->io, &req, vf->ready);
	if (size < 0)
		return;
	CHECK((unsigned int)size == (req.hdr.len > VFNIC_MBX_MAX_PAYLOAD ?
		       VFNIC_MBX_BUF_SIZE : vfnic_mbx_size(&req)),
	      "vf %u: recv returned %d for len %u", i, size, req.hdr.len);
	err = vfnic_mbx_pf_check(&vf->mbx, &w->pol, &req, size, w->now);
	CHECK(err <= 0 && -err < VFNIC_MBX_E_WIRE_NR,
	      "vf %u: pf_check returned %d", i, err);
	if (vf->mbx.state == VFNIC_MBX_VF_DISABLED) {
		CHECK(err, "vf %u: a disabled VF's request passed", i);
		return;
	}
	CHECK(vf->mbx.state == before,
	      "vf %u: a check moved %s to %s", i,
	      vfnic_mbx_state_name(before),
	      vfnic_mbx_state_name(vf->mbx.state));
	if (err) {
		vfnic_mbx_init_reply(&vf->reply, &req, err);
	} else {
		err = carry_out(vf, &req, &vf->reply, fail);
		if (err)
			vfnic_mbx_init_reply(&vf->reply, &req, err);
		else
			vfnic_mbx_vf_apply(&vf->mbx, &req);
	}
	CHECK(edge_ok(before, vf->mbx.state), "vf %u: %s moved %s to %s", i,
	      vfnic_mbx_op_name(req.hdr.opcode), vfnic_mbx_state_name(before),
	      vfnic_mbx_state_name(vf->mbx.state));
	vf->reply_pending = true;
	vf->pending.valid = true;
	vf->pending.req = req.hdr;
	vf->pending.status = err;
}

/* vfnic_vf_service(): up to 8 requests while no reply waits. */
static void service(struct world *w, unsigned int i, unsigned int fail)
{
	struct pf_vf *vf = &w->vf[i];
	unsigned int n;

	flush(vf);
	for (n = 0; n < 8 && !vf->reply_pending; n++) {
		if (!(vf->io.read(vf->io.ctx, vf->io.base + VFNIC_MBX_CTRL) &
		      VFNIC_MBX_REQ))
			break;
		handle(w, i, fail);
		flush(vf);
	}
}

/* An opcode the PF has no request of is answered E_OPCODE, whatever else. */
static unsigned int wire_status(const struct expect *e)
{
	const struct vfnic_mbx_op *op = vfnic_mbx_op_lookup(e->req.opcode);

	if (!op || op->dir != VFNIC_MBX_DIR_REQ)
		return VFNIC_MBX_E_OPCODE;
	return -e->status;
}

/* The VF takes what PF2VF holds; it must be a message it can parse. */
static void vf_take(struct world *w, unsigned int i)
{
	struct pf_vf *vf = &w->vf[i];
	struct vfnic_mbx_io io;
	struct vfnic_mbx_msg m;
	int size, err;

	fake_mbx_vf_io(&w->hw, i, &io);
	size = vfnic_mbx_vf_recv(&io, &m);
	if (size < 0)
		return;
	err = vfnic_mbx_validate(&m, size);
	CHECK(!err, "vf %u: PF posted %s flags %#x len %u status %u: %s", i,
	      vfnic_mbx_op_name(m.hdr.opcode), m.hdr.flags, m.hdr.len,
	      m.hdr.status, vfnic_mbx_strerror(err));
	if (m.hdr.flags != VFNIC_MBX_F_REPLY)
		return;
	CHECK(vf->posted.valid, "vf %u: a reply nobody asked for", i);
	CHECK(m.hdr.opcode == vf->posted.req.opcode &&
	      m.hdr.seq == vf->posted.req.seq,
	      "vf %u: reply %u/%u to request %u/%u", i, m.hdr.opcode,
	      m.hdr.seq, vf->posted.req.opcode, vf->posted.req.seq);
	CHECK(m.hdr.status == wire_status(&vf->posted),
	      "vf %u: reply status %u, PF decided %d", i, m.hdr.status,
	      vf->posted.status);
	vf->posted.valid = false;
}

/* The VF posts @len bytes of @buf as they are, if VF2PF is free. */
static void vf_post(struct world *w, unsigned int i, const u8 *buf,
		    unsigned int len)
{
	struct vfnic_mbx_io io;
	unsigned int off;

	fake_mbx_vf_io(&w->hw, i, &io);
	if (w->hw.vf[i].req)
		return;
	if (len > VFNIC_MBX_BUF_SIZE)
		len = VFNIC_MBX_BUF_SIZE;
	for (off = 0; off < len; off += 4) {
		u32 word = 0;
		unsigned int b;

		for (b = 0; b < 4 && off + b < len; b++)
			word |= (u32)buf[off + b] << (8 * b);
		io.write(io.ctx, VFNIC_MBX_VF2PF + off, word);
	}
	io.write(io.ctx, VFNIC_MBX_CTRL, VFNIC_MBX_REQ);
}

static void cmd_raw(struct world *w, FuzzInput *in)
{
	u8 buf[VFNIC_MBX_BUF_SIZE];
	unsigned int len = fuzz_take8(in) + 1, i;

	for (i = 0; i < len && i < sizeof(buf); i++)
		buf[i] = fuzz_take8(in);
	vf_post(w, w->cur, buf, len);
}

/* A valid message of an opcode, then up to 7 bytes changed anywhere. */
static void cmd_msg(struct world *w, FuzzInput *in)
{
	unsigned int opcode = fuzz_take8(in), n = fuzz_take8(in), i;
	struct vfnic_mbx_msg m;
	u8 *raw = (u8 *)&m;

	memset(&m, 0, sizeof(m));
	if (vfnic_mbx_op_lookup(opcode)) {
		test_msg(&m, opcode);
	} else {
		m.hdr.opcode = opcode;
		m.hdr.flags = VFNIC_MBX_F_REQ;
	}
	m.hdr.seq = fuzz_take16(in);
	for (i = 0; i < (n & 7); i++) {
		unsigned int off = fuzz_take8(in);

		raw[off % sizeof(m)] = fuzz_take8(in);
	}
	vf_post(w, w->cur, raw, n & 0x80 ? sizeof(m) : vfnic_mbx_size(&m));
}

/* FLR: the device drops the mailbox; vfnic_vflr_service() follows. */
static void cmd_flr(struct world *w)
{
	struct pf_vf *vf = &w->vf[w->cur];

	fake_mbx_flr(&w->hw, w->cur);
	vf->reply_pending = false;
	vf->pending.valid = vf->posted.valid = false;
	vfnic_mbx_vf_reset(&vf->mbx);
	vf->ready = true;
	vfnic_mbx_pf_set_ready(&vf->io, true);
}

/* vfnic_vf_notify(): an event for a VF that negotiated. */
static void cmd_event(struct world *w, FuzzInput *in)
{
	static const u8 ev[] = { VFNIC_MBX_EV_LINK_CHANGE,
				 VFNIC_MBX_EV_PF_RESET,
				 VFNIC_MBX_EV_CONFIG_CHANGED };
	struct pf_vf *vf = &w->vf[w->cur];
	struct vfnic_mbx_msg m;
	unsigned int which = fuzz_take8(in) % 3;

	if (vf->mbx.state < VFNIC_MBX_VF_VERSIONED || !vf->ready ||
	    vf->reply_pending || vfnic_mbx_pf_msg_done(&vf->io))
		return;
	CHECK(!vfnic_mbx_init_event(&m, ev[which], vf->ev_seq++),
	      "init_event %u", ev[which]);
	if (ev[which] == VFNIC_MBX_EV_LINK_CHANGE) {
		m.payload.link.link_up = 1;
		m.payload.link.speed_mbps = 10000;
	} else if (ev[which] == VFNIC_MBX_EV_CONFIG_CHANGED) {
		m.payload.changed.changed = 1u << (fuzz_take8(in) % 6);
	}
	vfnic_mbx_pf_send(&vf->io, &m, vf->ready);
}

static void world_init(struct world *w, const FuzzInput *in)
{
	static const struct vfnic_mbx_policy def = VFNIC_MBX_POLICY_DEFAULT;
	/* The first byte picks what the administrator granted VF 0. */
	unsigned int cfg = in->n ? in->p[0] : 0, i;

	memset(w, 0, sizeof(*w));
	fake_mbx_init(&w->hw);
	w->pol = def;
	w->now = 1000 * MS;
	for (i = 0; i < NVF; i++) {
		struct pf_vf *vf = &w->vf[i];

		vfnic_mbx_vf_init(&vf->mbx, i ? 2 : 1 + (cfg & 3),
				  i ? VFNIC_MBX_CAP_ALL : cfg >> 2 & 7,
				  i ? false : cfg >> 5 & 1);
		fake_mbx_pf_io(&w->hw, i, &vf->io);
		vf->ready = true;
		vfnic_mbx_pf_set_ready(&vf->io, true);
	}
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static struct world w;
	FuzzInput in = { data, size };
	struct fake_mbx_vf other;
	unsigned int i;

	world_init(&w, &in);
	fuzz_take8(&in);
	while (in.n) {
		unsigned int op = fuzz_take8(&in), cur = w.cur;

		other = w.hw.vf[!cur];
		switch (op % 12) {
		case 0:
			cmd_raw(&w, &in);
			break;
		case 1:
		case 2:
			cmd_msg(&w, &in);
			break;
		case 3:
			service(&w, cur, fuzz_take8(&in) & 3);
			break;
		case 4:
			vf_take(&w, cur);
			break;
		case 5:
			w.now += (u64)fuzz_take16(&in) * (op & 0x80 ? 1000 : 1) * MS;
			break;
		case 6:
			cmd_flr(&w);
			break;
		case 7:
			vfnic_mbx_vf_admin_reset(&w.vf[cur].mbx);
			break;
		case 8:
			w.vf[cur].mbx.trusted = !w.vf[cur].mbx.trusted;
			break;
		case 9:
			cmd_event(&w, &in);
			break;
		case 10:
			/* PF reset: PF_READY drops, then comes back. */
			w.vf[cur].ready = !w.vf[cur].ready;
			vfnic_mbx_pf_set_ready(&w.vf[cur].io, w.vf[cur].ready);
			break;
		case 11:
			w.cur = !cur;
			break;
		}
		CHECK(!w.hw.faults, "register fault: %s", w.hw.last_fault);
		CHECK(!memcmp(&other, &w.hw.vf[!cur], sizeof(other)) ||
		      w.cur != cur, "vf %u's mailbox moved while vf %u ran",
		      !cur, cur);
		for (i = 0; i < NVF; i++)
			check_vf(&w, i);
	}
	/* Drain: what the PF still owes must come out well-formed. */
	for (i = 0; i < NVF; i++) {
		service(&w, i, 0);
		vf_take(&w, i);
		flush(&w.vf[i]);
		vf_take(&w, i);
		CHECK(!w.hw.faults, "register fault: %s", w.hw.last_fault);
		check_vf(&w, i);
	}
	return 0;
}
