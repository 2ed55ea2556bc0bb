// SPDX-License-Identifier: (GPL-2.0-only OR BSD-3-Clause)
/*
 * The mailbox transport against a fake register file that behaves as
 * docs/hardware.md says: doorbells, acks, interrupts, PF_READY as a level,
 * FLR. Ends with a whole VF bring-up through transport and PF pipeline.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "vfnic_mbx_transport.h"
#include "mailbox_fake_regs.h"
#include "mailbox_test_msgs.h"

#define E(x)	(-VFNIC_MBX_E_##x)

struct rig {
	struct fake_mbx_hw hw;
	struct vfnic_mbx_io vf, pf;
	struct fake_mbx_vf *regs;
};

static int setup(void **state)
{
	static struct rig rig;

	fake_mbx_init(&rig.hw);
	fake_mbx_vf_io(&rig.hw, 3, &rig.vf);
	fake_mbx_pf_io(&rig.hw, 3, &rig.pf);
	rig.regs = &rig.hw.vf[3];
	*state = &rig;
	return 0;
}

static int no_faults(void **state)
{
	struct rig *r = *state;

	if (r->hw.faults)
		fail_msg("hardware fault: %s", r->hw.last_fault);
	return 0;
}

static void test_pf_base(void **state)
{
	(void)state;
	assert_int_equal(vfnic_mbx_pf_base(0), VFNIC_ADM_BASE +
			 VFNIC_ADM_STRIDE);
	assert_int_equal(vfnic_mbx_pf_base(63) + VFNIC_MBX_CTRL,
			 VFNIC_ADM(64, VFNIC_MBX_CTRL));
}

static void test_request_roundtrip(void **state)
{
	struct rig *r = *state;
	struct vfnic_mbx_msg req, got;

	vfnic_mbx_pf_set_ready(&r->pf, true);
	assert_true(vfnic_mbx_vf_pf_ready(&r->vf));
	test_msg(&req, VFNIC_MBX_OP_CONFIG_QUEUES);
	assert_int_equal(vfnic_mbx_vf_send(&r->vf, &req), 0);

	/* The doorbell: REQ on both sides, GLB_MBX_REQ bit 3, PF irq. */
	assert_true(r->regs->req);
	assert_int_equal(r->hw.glb_req, 1u << 3);
	assert_int_equal(r->regs->pf_irqs, 1);
	/* Exactly the message's 80 bytes went out, all before the bell. */
	assert_int_equal(r->regs->words_before_doorbell, 80 / 4);
	assert_int_equal(vfnic_mbx_vf_req_done(&r->vf), E(BUSY));

	assert_int_equal(vfnic_mbx_pf_recv(&r->pf, &got, true), 80);
	assert_memory_equal(&got, &req, 80);
	assert_int_equal(vfnic_mbx_validate(&got, 80), 0);
	/* Acked: REQ clear, VF interrupted, PF_READY kept. */
	assert_false(r->regs->req);
	assert_int_equal(r->regs->vf_irqs, 1);
	assert_true(r->regs->pf_ready);
	assert_int_equal(vfnic_mbx_vf_req_done(&r->vf), 0);
	/* Nothing more to take. */
	assert_int_equal(vfnic_mbx_pf_recv(&r->pf, &got, true), E(NOMSG));
}

static void test_reply_roundtrip(void **state)
{
	struct rig *r = *state;
	struct vfnic_mbx_msg req, reply, got;

	vfnic_mbx_pf_set_ready(&r->pf, true);
	test_msg(&req, VFNIC_MBX_OP_GET_STATS);
	vfnic_mbx_init_reply(&reply, &req, 0);
	reply.payload.stats.tx_drop = 0x0102030405060708ull;
	assert_int_equal(vfnic_mbx_vf_recv(&r->vf, &got), E(NOMSG));
	assert_int_equal(vfnic_mbx_pf_send(&r->pf, &reply, true), 0);
	assert_true(r->regs->pfmsg);
	assert_int_equal(r->regs->words_before_doorbell, (8 + 104) / 4);
	assert_int_equal(vfnic_mbx_pf_msg_done(&r->pf), E(BUSY));

	assert_int_equal(vfnic_mbx_vf_recv(&r->vf, &got), 8 + 104);
	assert_int_equal(vfnic_mbx_validate(&got, 8 + 104), 0);
	assert_int_equal(vfnic_mbx_check_reply(&req, &got), 0);
	assert_true(got.payload.stats.tx_drop == 0x0102030405060708ull);
	/* The VF's ack: PFMSG clear, PF interrupted, GLB_MBX_ACK bit 3. */
	assert_false(r->regs->pfmsg);
	assert_int_equal(r->hw.glb_ack, 1u << 3);
	assert_int_equal(r->regs->pf_irqs, 1);
	assert_int_equal(vfnic_mbx_pf_msg_done(&r->pf), 0);
	assert_true(r->regs->pf_ready);
}

/* Buffer words hold the wire bytes, little-endian, whatever the CPU. */
static void test_buffer_byte_order(void **state)
{
	struct rig *r = *state;
	struct vfnic_mbx_msg req;

	vfnic_mbx_pf_set_ready(&r->pf, true);
	test_msg(&req, VFNIC_MBX_OP_SET_MTU);
	assert_int_equal(vfnic_mbx_vf_send(&r->vf, &req), 0);
	assert_int_equal(r->regs->vf2pf[0], VFNIC_MBX_OP_SET_MTU |
			 VFNIC_MBX_F_REQ << 8 | 4 << 16);
	assert_int_equal(r->regs->vf2pf[1], 0x1234);
	assert_int_equal(r->regs->vf2pf[2], 1500);
	assert_int_equal(r->regs->words_before_doorbell, 3);
}

static void test_vf_send_not_ready(void **state)
{
	struct rig *r = *state;
	struct vfnic_mbx_msg req;

	test_msg(&req, VFNIC_MBX_OP_VERSION);
	assert_false(vfnic_mbx_vf_pf_ready(&r->vf));
	assert_int_equal(vfnic_mbx_vf_send(&r->vf, &req), E(NOT_READY));
	assert_int_equal(r->regs->buf_writes + r->regs->ctrl_writes, 0);
	assert_false(r->regs->req);
}

static void test_vf_send_busy(void **state)
{
	struct rig *r = *state;
	struct vfnic_mbx_msg a, b, got;

	vfnic_mbx_pf_set_ready(&r->pf, true);
	test_msg(&a, VFNIC_MBX_OP_VERSION);
	test_msg(&b, VFNIC_MBX_OP_GET_LINK);
	assert_int_equal(vfnic_mbx_vf_send(&r->vf, &a), 0);
	/* The PF has not taken the first: the second must not clobber it. */
	assert_int_equal(vfnic_mbx_vf_send(&r->vf, &b), E(BUSY));
	assert_int_equal(vfnic_mbx_pf_recv(&r->pf, &got, true), 12);
	assert_int_equal(got.hdr.opcode, VFNIC_MBX_OP_VERSION);
	assert_int_equal(vfnic_mbx_vf_send(&r->vf, &b), 0);
	assert_int_equal(vfnic_mbx_pf_recv(&r->pf, &got, true), 8);
	assert_int_equal(got.hdr.opcode, VFNIC_MBX_OP_GET_LINK);
}

static void test_pf_send_busy(void **state)
{
	struct rig *r = *state;
	struct vfnic_mbx_msg ev, ev2, got;

	vfnic_mbx_pf_set_ready(&r->pf, true);
	test_msg(&ev, VFNIC_MBX_EV_LINK_CHANGE);
	test_msg(&ev2, VFNIC_MBX_EV_CONFIG_CHANGED);
	assert_int_equal(vfnic_mbx_pf_send(&r->pf, &ev, true), 0);
	assert_int_equal(vfnic_mbx_pf_send(&r->pf, &ev2, true), E(BUSY));
	assert_int_equal(vfnic_mbx_vf_recv(&r->vf, &got), 16);
	assert_int_equal(got.hdr.opcode, VFNIC_MBX_EV_LINK_CHANGE);
	assert_int_equal(vfnic_mbx_pf_send(&r->pf, &ev2, true), 0);
	assert_int_equal(vfnic_mbx_vf_recv(&r->vf, &got), 16);
	assert_int_equal(got.hdr.opcode, VFNIC_MBX_EV_CONFIG_CHANGED);
	assert_int_equal(vfnic_mbx_validate(&got, 16), 0);
}

/* Oversized messages never leave; hostile lengths never overread. */
static void test_lengths_bounded(void **state)
{
	struct rig *r = *state;
	struct vfnic_mbx_msg m, got;

	vfnic_mbx_pf_set_ready(&r->pf, true);
	test_msg(&m, VFNIC_MBX_OP_SET_MTU);
	m.hdr.len = VFNIC_MBX_MAX_PAYLOAD + 1;
	assert_int_equal(vfnic_mbx_vf_send(&r->vf, &m), E(LEN));
	assert_int_equal(vfnic_mbx_pf_send(&r->pf, &m, true), E(LEN));
	assert_int_equal(r->regs->buf_writes, 0);
	assert_false(r->regs->req);

	/* A VF writes a header claiming 64 KiB straight into VF2PF. */
	r->regs->vf2pf[0] = VFNIC_MBX_OP_SET_MTU | VFNIC_MBX_F_REQ << 8 |
			    0xffffu << 16;
	r->regs->req = true;
	r->regs->buf_reads = 0;
	assert_int_equal(vfnic_mbx_pf_recv(&r->pf, &got, true),
			 VFNIC_MBX_BUF_SIZE);
	assert_int_equal(r->regs->buf_reads, VFNIC_MBX_BUF_SIZE / 4);
	assert_int_equal(vfnic_mbx_validate(&got, VFNIC_MBX_BUF_SIZE), E(LEN));
	/* A short one costs only its own words. */
	test_msg(&m, VFNIC_MBX_OP_GET_STATS);
	r->regs->buf_reads = 0;
	assert_int_equal(vfnic_mbx_vf_send(&r->vf, &m), 0);
	assert_int_equal(vfnic_mbx_pf_recv(&r->pf, &got, true), 8);
	assert_int_equal(r->regs->buf_reads, 2);
}

/* Every PF write of CTRL sets PF_READY: the caller's level decides. */
static void test_pf_ready_level(void **state)
{
	struct rig *r = *state;
	struct vfnic_mbx_msg m, got;

	vfnic_mbx_pf_set_ready(&r->pf, true);
	test_msg(&m, VFNIC_MBX_OP_RESET_VF);
	assert_int_equal(vfnic_mbx_vf_send(&r->vf, &m), 0);
	/* The PF tears the VF down while taking its request. */
	assert_int_equal(vfnic_mbx_pf_recv(&r->pf, &got, false), 8);
	assert_false(r->regs->pf_ready);
	assert_false(vfnic_mbx_vf_pf_ready(&r->vf));
	/* A reply sent while not ready does not raise it either. */
	vfnic_mbx_init_reply(&m, &got, 0);
	assert_int_equal(vfnic_mbx_pf_send(&r->pf, &m, false), 0);
	assert_false(r->regs->pf_ready);
	/* The VF still gets the message: PF_RESET precedes the drop. */
	assert_int_equal(vfnic_mbx_vf_recv(&r->vf, &got), 8);
	vfnic_mbx_pf_set_ready(&r->pf, true);
	assert_true(vfnic_mbx_vf_pf_ready(&r->vf));
	vfnic_mbx_pf_set_ready(&r->pf, false);
	assert_false(vfnic_mbx_vf_pf_ready(&r->vf));
}

static void test_flr_while_waiting(void **state)
{
	struct rig *r = *state;
	struct vfnic_mbx_msg m;

	vfnic_mbx_pf_set_ready(&r->pf, true);
	test_msg(&m, VFNIC_MBX_OP_GET_LINK);
	assert_int_equal(vfnic_mbx_vf_send(&r->vf, &m), 0);
	assert_int_equal(vfnic_mbx_vf_req_done(&r->vf), E(BUSY));
	/* PF reset with a request outstanding: waiting is pointless. */
	r->regs->pf_ready = false;
	assert_int_equal(vfnic_mbx_vf_req_done(&r->vf), E(NOT_READY));
	fake_mbx_flr(&r->hw, 3);
	assert_int_equal(vfnic_mbx_vf_req_done(&r->vf), 0);
	assert_int_equal(vfnic_mbx_vf_send(&r->vf, &m), E(NOT_READY));
	assert_int_equal(vfnic_mbx_pf_recv(&r->pf, &m, true), E(NOMSG));
}

/* The PF's io for VF 3 touches VF 3 only. */
static void test_vfs_isolated(void **state)
{
	struct rig *r = *state;
	struct vfnic_mbx_io vf5_io, pf5_io;
	struct vfnic_mbx_msg m, got;

	fake_mbx_vf_io(&r->hw, 5, &vf5_io);
	fake_mbx_pf_io(&r->hw, 5, &pf5_io);
	vfnic_mbx_pf_set_ready(&r->pf, true);
	assert_false(vfnic_mbx_vf_pf_ready(&vf5_io));
	vfnic_mbx_pf_set_ready(&pf5_io, true);
	test_msg(&m, VFNIC_MBX_OP_VERSION);
	assert_int_equal(vfnic_mbx_vf_send(&vf5_io, &m), 0);
	assert_int_equal(r->hw.glb_req, 1u << 5);
	assert_int_equal(vfnic_mbx_pf_recv(&r->pf, &got, true), E(NOMSG));
	assert_int_equal(vfnic_mbx_pf_recv(&pf5_io, &got, true), 12);
	assert_int_equal(r->regs->ctrl_writes, 1);	/* set_ready only */
}

/* Send and poll as a driver would, with a bounded number of polls. */
static int vf_transact(struct rig *r, struct vfnic_mbx_vf *pf_vf,
		       const struct vfnic_mbx_msg *req,
		       struct vfnic_mbx_msg *reply, u64 now)
{
	static const struct vfnic_mbx_policy pol = VFNIC_MBX_POLICY_DEFAULT;
	struct vfnic_mbx_msg in, out;
	int size, err;

	assert_int_equal(vfnic_mbx_validate(req, vfnic_mbx_size(req)), 0);
	assert_int_equal(vfnic_mbx_vf_send(&r->vf, req), 0);

	/* PF interrupt handler: GLB_MBX_REQ, then the pipeline. */
	assert_true(r->hw.glb_req & 1u << 3);
	r->hw.glb_req &= ~(1ull << 3);
	size = vfnic_mbx_pf_recv(&r->pf, &in, true);
	assert_true(size > 0);
	err = vfnic_mbx_pf_check(pf_vf, &pol, &in, size, now);
	if (!err)
		vfnic_mbx_vf_apply(pf_vf, &in);
	vfnic_mbx_init_reply(&out, &in, err);
	if (!err && in.hdr.opcode == VFNIC_MBX_OP_GET_RESOURCES)
		test_resources_reply(&out, &in);
	assert_int_equal(vfnic_mbx_pf_send(&r->pf, &out, true), 0);

	assert_int_equal(vfnic_mbx_vf_req_done(&r->vf), 0);
	size = vfnic_mbx_vf_recv(&r->vf, reply);
	assert_true(size > 0);
	assert_int_equal(vfnic_mbx_validate(reply, size), 0);
	return vfnic_mbx_check_reply(req, reply);
}

static void test_bring_up_conversation(void **state)
{
	struct rig *r = *state;
	struct vfnic_mbx_vf pf_vf;
	struct vfnic_mbx_msg req, reply, ev;
	u64 now = 1000000000ull;

	vfnic_mbx_vf_init(&pf_vf, 2, VFNIC_MBX_CAP_RSS, false);
	vfnic_mbx_pf_set_ready(&r->pf, true);

	test_msg(&req, VFNIC_MBX_OP_VERSION);
	assert_int_equal(vf_transact(r, &pf_vf, &req, &reply, now++), 0);
	assert_int_equal(reply.payload.version.major, VFNIC_MBX_VERSION_MAJOR);
	test_msg(&req, VFNIC_MBX_OP_GET_RESOURCES);
	assert_int_equal(vf_transact(r, &pf_vf, &req, &reply, now++), 0);
	assert_memory_equal(reply.payload.resources.mac, test_mac, 6);
	test_msg(&req, VFNIC_MBX_OP_SET_PROMISC);
	assert_int_equal(vf_transact(r, &pf_vf, &req, &reply, now++),
			 E(PERM));
	assert_int_equal(reply.hdr.len, 0);
	test_msg(&req, VFNIC_MBX_OP_CONFIG_QUEUES);
	assert_int_equal(vf_transact(r, &pf_vf, &req, &reply, now++), 0);
	test_msg(&req, VFNIC_MBX_OP_ENABLE_QUEUES);
	assert_int_equal(vf_transact(r, &pf_vf, &req, &reply, now++), 0);
	assert_int_equal(pf_vf.state, VFNIC_MBX_VF_RUNNING);

	/* The administrator changes the MAC: an event, then a re-read. */
	vfnic_mbx_init_event(&ev, VFNIC_MBX_EV_CONFIG_CHANGED, 1);
	ev.payload.changed.changed = VFNIC_MBX_CHG_MAC;
	assert_int_equal(vfnic_mbx_pf_send(&r->pf, &ev, true), 0);
	assert_int_equal(vfnic_mbx_vf_recv(&r->vf, &reply), 16);
	assert_int_equal(vfnic_mbx_validate(&reply, 16), 0);
	assert_int_equal(reply.hdr.flags, VFNIC_MBX_F_EVENT);
	test_msg(&req, VFNIC_MBX_OP_GET_RESOURCES);
	assert_int_equal(vf_transact(r, &pf_vf, &req, &reply, now++), 0);
	assert_int_equal(pf_vf.state, VFNIC_MBX_VF_RUNNING);
	assert_int_equal(r->regs->vf_irqs, 2 * 6 + 1);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, no_faults)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pf_base),
		T(test_request_roundtrip),
		T(test_reply_roundtrip),
		T(test_buffer_byte_order),
		T(test_vf_send_not_ready),
		T(test_vf_send_busy),
		T(test_pf_send_busy),
		T(test_lengths_bounded),
		T(test_pf_ready_level),
		T(test_flr_while_waiting),
		T(test_vfs_isolated),
		T(test_bring_up_conversation),
	};

	return cmocka_run_group_tests_name("mailbox transport", tests,
					   NULL, NULL);
}
