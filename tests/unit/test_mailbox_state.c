// SPDX-License-Identifier: (GPL-2.0-only OR BSD-3-Clause)
/*
 * The PF's per-VF state machine, trust and capability gating, the rate
 * limiter and the abuse policy, and vfnic_mbx_pf_check() that ties them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "vfnic_mbx.h"
#include "mailbox_test_msgs.h"

#define E(x)		(-VFNIC_MBX_E_##x)
#define MS		1000000ull
#define SEC		1000000000ull

static const struct vfnic_mbx_policy unlimited = { 0, 0, 8, SEC };
static u64 now = 5 * SEC;

/* What the PF driver does per request: check, (carry out), apply. */
static int pf(struct vfnic_mbx_vf *vf, const struct vfnic_mbx_msg *m)
{
	int err;

	now += MS;
	err = vfnic_mbx_pf_check(vf, &unlimited, m, vfnic_mbx_size(m), now);
	if (!err)
		vfnic_mbx_vf_apply(vf, m);
	return err;
}

static int pf_op(struct vfnic_mbx_vf *vf, unsigned int opcode)
{
	struct vfnic_mbx_msg m;

	test_msg(&m, opcode);
	return pf(vf, &m);
}

static int pf_queues(struct vfnic_mbx_vf *vf, unsigned int opcode,
		     u32 rx, u32 tx)
{
	struct vfnic_mbx_msg m;

	test_msg(&m, opcode);
	m.payload.queues.rx_mask = rx;
	m.payload.queues.tx_mask = tx;
	return pf(vf, &m);
}

static int pf_config_qp(struct vfnic_mbx_vf *vf, unsigned int qp)
{
	struct vfnic_mbx_msg m;

	vfnic_mbx_init_req(&m, VFNIC_MBX_OP_CONFIG_QUEUES, 1);
	test_qp(&m.payload.qp_cfg.qp[0], qp);
	vfnic_mbx_set_count(&m, 1);
	return pf(vf, &m);
}

/* A VF through VERSION and GET_RESOURCES asking for @caps. */
static void bring_up(struct vfnic_mbx_vf *vf, unsigned int num_qp,
		     u32 offered, u32 asked)
{
	struct vfnic_mbx_msg m;

	vfnic_mbx_vf_init(vf, num_qp, offered, false);
	assert_int_equal(pf_op(vf, VFNIC_MBX_OP_VERSION), 0);
	test_msg(&m, VFNIC_MBX_OP_GET_RESOURCES);
	m.payload.caps.caps = asked;
	assert_int_equal(pf(vf, &m), 0);
	assert_int_equal(vf->state, VFNIC_MBX_VF_RESOURCES);
}

static void test_zeroed_vf_is_disabled(void **state)
{
	struct vfnic_mbx_vf vf;

	(void)state;
	memset(&vf, 0, sizeof(vf));
	assert_int_equal(pf_op(&vf, VFNIC_MBX_OP_VERSION), E(DISABLED));
	assert_int_equal(vf.stats.dropped, 1);
	vfnic_mbx_vf_init(&vf, 2, 0, false);
	assert_int_equal(vf.state, VFNIC_MBX_VF_RESET);
}

static void test_happy_path(void **state)
{
	struct vfnic_mbx_vf vf;
	struct vfnic_mbx_msg m;

	(void)state;
	vfnic_mbx_vf_init(&vf, 2, VFNIC_MBX_CAP_RSS | VFNIC_MBX_CAP_VLAN,
			  false);
	assert_int_equal(pf_op(&vf, VFNIC_MBX_OP_VERSION), 0);
	assert_int_equal(vf.state, VFNIC_MBX_VF_VERSIONED);
	/* Granted: offered and asked. */
	test_msg(&m, VFNIC_MBX_OP_GET_RESOURCES);
	m.payload.caps.caps = VFNIC_MBX_CAP_RSS | VFNIC_MBX_CAP_CSUM;
	assert_int_equal(pf(&vf, &m), 0);
	assert_int_equal(vf.state, VFNIC_MBX_VF_RESOURCES);
	assert_int_equal(vf.caps, VFNIC_MBX_CAP_RSS);
	assert_int_equal(vfnic_mbx_caps_grant(&vf, m.payload.caps.caps),
			 VFNIC_MBX_CAP_RSS);

	assert_int_equal(pf_op(&vf, VFNIC_MBX_OP_CONFIG_QUEUES), 0);
	assert_int_equal(vf.qp_configured, 0x3);
	assert_int_equal(vf.state, VFNIC_MBX_VF_RESOURCES);
	assert_int_equal(pf_op(&vf, VFNIC_MBX_OP_ADD_MAC), 0);
	assert_int_equal(pf_op(&vf, VFNIC_MBX_OP_SET_RSS_LUT), 0);
	assert_int_equal(pf_queues(&vf, VFNIC_MBX_OP_ENABLE_QUEUES, 3, 3), 0);
	assert_int_equal(vf.state, VFNIC_MBX_VF_RUNNING);
	assert_int_equal(vf.rx_enabled, 3);
	assert_int_equal(pf_op(&vf, VFNIC_MBX_OP_GET_STATS), 0);
	/* Re-reading resources while running (after CONFIG_CHANGED). */
	assert_int_equal(pf_op(&vf, VFNIC_MBX_OP_GET_RESOURCES), 0);
	assert_int_equal(vf.state, VFNIC_MBX_VF_RUNNING);

	/* RUNNING while any queue is on; back to RESOURCES with none. */
	assert_int_equal(pf_queues(&vf, VFNIC_MBX_OP_DISABLE_QUEUES, 1, 3), 0);
	assert_int_equal(vf.state, VFNIC_MBX_VF_RUNNING);
	assert_int_equal(vf.rx_enabled, 2);
	assert_int_equal(vf.tx_enabled, 0);
	assert_int_equal(pf_queues(&vf, VFNIC_MBX_OP_DISABLE_QUEUES, 2, 0), 0);
	assert_int_equal(vf.state, VFNIC_MBX_VF_RESOURCES);

	assert_int_equal(pf_op(&vf, VFNIC_MBX_OP_RESET_VF), 0);
	assert_int_equal(vf.state, VFNIC_MBX_VF_RESET);
	assert_int_equal(vf.caps, 0);
	assert_int_equal(vf.qp_configured, 0);
	assert_int_equal(vf.num_qp, 2);		/* the admin's, kept */
	assert_int_equal(vf.stats.msgs, 11);
}

/* Every request, in every state: exactly the table's states succeed. */
static void test_order_enforced(void **state)
{
	unsigned int code, st;

	(void)state;
	for (st = VFNIC_MBX_VF_RESET; st < VFNIC_MBX_VF_NR_STATES; st++) {
		for (code = 0; code < VFNIC_MBX_OP_TABLE_SIZE; code++) {
			const struct vfnic_mbx_op *op =
				vfnic_mbx_op_lookup(code);
			struct vfnic_mbx_vf vf;
			struct vfnic_mbx_msg m;
			int err;

			if (!op || op->dir != VFNIC_MBX_DIR_REQ)
				continue;
			vfnic_mbx_vf_init(&vf, 4, VFNIC_MBX_CAP_ALL, true);
			vf.state = st;
			vf.caps = VFNIC_MBX_CAP_ALL;
			vf.qp_configured = 0xf;
			test_msg(&m, code);
			err = vfnic_mbx_vf_allowed(&vf, &m);
			if (op->states & VFNIC_MBX_ST(st))
				assert_int_equal(err, 0);
			else
				assert_int_equal(err, E(STATE));
		}
	}
}

static void test_no_config_before_resources(void **state)
{
	struct vfnic_mbx_vf vf;

	(void)state;
	vfnic_mbx_vf_init(&vf, 2, VFNIC_MBX_CAP_ALL, true);
	assert_int_equal(pf_op(&vf, VFNIC_MBX_OP_GET_RESOURCES), E(STATE));
	assert_int_equal(pf_op(&vf, VFNIC_MBX_OP_CONFIG_QUEUES), E(STATE));
	assert_int_equal(pf_op(&vf, VFNIC_MBX_OP_VERSION), 0);
	assert_int_equal(pf_op(&vf, VFNIC_MBX_OP_CONFIG_QUEUES), E(STATE));
	assert_int_equal(pf_op(&vf, VFNIC_MBX_OP_ENABLE_QUEUES), E(STATE));
	assert_int_equal(pf_op(&vf, VFNIC_MBX_OP_SET_PROMISC), E(STATE));
	/* Failures change nothing. */
	assert_int_equal(vf.state, VFNIC_MBX_VF_VERSIONED);
	assert_int_equal(vf.qp_configured, 0);
	assert_int_equal(vf.stats.errors[VFNIC_MBX_E_STATE], 5);
	assert_int_equal(pf_op(&vf, VFNIC_MBX_OP_GET_RESOURCES), 0);
	assert_int_equal(pf_op(&vf, VFNIC_MBX_OP_VERSION), E(STATE));
}

static void test_version_negotiation(void **state)
{
	struct vfnic_mbx_vf vf;
	struct vfnic_mbx_msg m, r;

	(void)state;
	vfnic_mbx_vf_init(&vf, 2, 0, false);
	test_msg(&m, VFNIC_MBX_OP_VERSION);
	m.payload.version.major = VFNIC_MBX_VERSION_MAJOR + 1;
	assert_int_equal(pf(&vf, &m), E(VERSION));
	assert_int_equal(vf.state, VFNIC_MBX_VF_RESET);
	/* The refusal tells the VF what the PF speaks. */
	vfnic_mbx_init_reply(&r, &m, E(VERSION));
	assert_int_equal(r.payload.version.major, VFNIC_MBX_VERSION_MAJOR);
	assert_int_equal(vfnic_mbx_check_reply(&m, &r), E(VERSION));

	/* A newer VF (higher minor) talks at the PF's minor. */
	m.payload.version.major = VFNIC_MBX_VERSION_MAJOR;
	m.payload.version.minor = VFNIC_MBX_VERSION_MINOR + 7;
	assert_int_equal(pf(&vf, &m), 0);
	assert_int_equal(vf.minor, VFNIC_MBX_VERSION_MINOR);
	assert_int_equal(vf.state, VFNIC_MBX_VF_VERSIONED);
	/* Asking again before GET_RESOURCES is allowed and may go lower. */
	m.payload.version.minor = 0;
	assert_int_equal(pf(&vf, &m), 0);
	assert_int_equal(vf.minor, 0);
	/* A version mismatch is not abuse. */
	assert_int_equal(vf.abuse.bad, 0);
}

static void test_trust_required(void **state)
{
	struct vfnic_mbx_vf vf;
	unsigned int i;

	(void)state;
	bring_up(&vf, 2, 0, 0);
	assert_int_equal(pf_op(&vf, VFNIC_MBX_OP_SET_PROMISC), E(PERM));
	vf.trusted = true;			/* ip link set ... trust on */
	assert_int_equal(pf_op(&vf, VFNIC_MBX_OP_SET_PROMISC), 0);
	vf.trusted = false;
	/* Refusals for trust never disable a VF: a user may retry. */
	for (i = 0; i < 50; i++)
		assert_int_equal(pf_op(&vf, VFNIC_MBX_OP_SET_PROMISC),
				 E(PERM));
	assert_int_equal(vf.state, VFNIC_MBX_VF_RESOURCES);
	assert_int_equal(vf.stats.errors[VFNIC_MBX_E_PERM], 51);
}

static void test_capabilities(void **state)
{
	struct vfnic_mbx_vf vf;

	(void)state;
	/* Offered, not asked. */
	bring_up(&vf, 2, VFNIC_MBX_CAP_ALL, VFNIC_MBX_CAP_CSUM);
	assert_int_equal(pf_op(&vf, VFNIC_MBX_OP_ADD_VLAN), E(NOTSUP));
	assert_int_equal(pf_op(&vf, VFNIC_MBX_OP_SET_RSS_KEY), E(NOTSUP));
	assert_int_equal(pf_op(&vf, VFNIC_MBX_OP_SET_RSS_HASH), E(NOTSUP));
	/* Asked, not offered. */
	bring_up(&vf, 2, VFNIC_MBX_CAP_RSS, VFNIC_MBX_CAP_ALL);
	assert_int_equal(vf.caps, VFNIC_MBX_CAP_RSS);
	assert_int_equal(pf_op(&vf, VFNIC_MBX_OP_DEL_VLAN), E(NOTSUP));
	assert_int_equal(pf_op(&vf, VFNIC_MBX_OP_SET_RSS_KEY), 0);
	/* Both. */
	bring_up(&vf, 2, VFNIC_MBX_CAP_ALL, VFNIC_MBX_CAP_ALL);
	assert_int_equal(pf_op(&vf, VFNIC_MBX_OP_ADD_VLAN), 0);
	assert_int_equal(vf.abuse.bad, 0);
}

static void test_queue_rules(void **state)
{
	struct vfnic_mbx_vf vf;
	struct vfnic_mbx_msg m;

	(void)state;
	bring_up(&vf, 2, VFNIC_MBX_CAP_RSS, VFNIC_MBX_CAP_RSS);
	/* Valid for the protocol (< 4), beyond what this VF was granted. */
	assert_int_equal(pf_config_qp(&vf, 2), E(RANGE));
	assert_int_equal(pf_queues(&vf, VFNIC_MBX_OP_ENABLE_QUEUES, 4, 0),
			 E(RANGE));
	assert_int_equal(pf_queues(&vf, VFNIC_MBX_OP_DISABLE_QUEUES, 0, 8),
			 E(RANGE));
	/* Enabling needs the rings first. */
	assert_int_equal(pf_config_qp(&vf, 0), 0);
	assert_int_equal(pf_queues(&vf, VFNIC_MBX_OP_ENABLE_QUEUES, 1, 2),
			 E(STATE));
	assert_int_equal(pf_queues(&vf, VFNIC_MBX_OP_ENABLE_QUEUES, 1, 1), 0);
	/* Rings of an enabled queue cannot move; a stopped one's can. */
	assert_int_equal(pf_config_qp(&vf, 0), E(STATE));
	assert_int_equal(pf_config_qp(&vf, 1), 0);
	assert_int_equal(pf_queues(&vf, VFNIC_MBX_OP_DISABLE_QUEUES, 0, 1), 0);
	/* rx of pair 0 is still on. */
	assert_int_equal(pf_config_qp(&vf, 0), E(STATE));
	/* The RSS table may only point at granted queues. */
	test_msg(&m, VFNIC_MBX_OP_SET_RSS_LUT);
	m.payload.rss_lut.lut[5] = 2;
	assert_int_equal(pf(&vf, &m), E(RANGE));
	m.payload.rss_lut.lut[5] = 1;
	assert_int_equal(pf(&vf, &m), 0);
	/* Exceeding the grant is abuse (the VF was told); order is not. */
	assert_int_equal(vf.abuse.bad, 4);
}

static void test_reset_does_not_launder_abuse(void **state)
{
	struct vfnic_mbx_vf vf;
	struct vfnic_mbx_msg bad;
	unsigned int i;

	(void)state;
	bring_up(&vf, 2, 0, 0);
	test_msg(&bad, VFNIC_MBX_OP_SET_MTU);
	bad.hdr.len = 3;
	for (i = 0; i < unlimited.bad_max; i++)
		assert_int_equal(pf(&vf, &bad), E(LEN));
	/* Neither RESET_VF nor FLR forgives what came before. */
	assert_int_equal(pf_op(&vf, VFNIC_MBX_OP_RESET_VF), 0);
	vfnic_mbx_vf_reset(&vf);
	assert_int_equal(vf.state, VFNIC_MBX_VF_RESET);
	assert_int_equal(pf(&vf, &bad), E(LEN));
	assert_int_equal(vf.state, VFNIC_MBX_VF_DISABLED);
	assert_int_equal(vf.stats.disabled, 1);
	vfnic_mbx_vf_reset(&vf);			/* FLR */
	assert_int_equal(vf.state, VFNIC_MBX_VF_DISABLED);
	assert_int_equal(pf_op(&vf, VFNIC_MBX_OP_RESET_VF), E(DISABLED));
	assert_int_equal(pf_op(&vf, VFNIC_MBX_OP_VERSION), E(DISABLED));
	assert_int_equal(vf.stats.dropped, 2);
	/* An apply after the fact (a racing handler) changes nothing. */
	test_msg(&bad, VFNIC_MBX_OP_VERSION);
	vfnic_mbx_vf_apply(&vf, &bad);
	assert_int_equal(vf.state, VFNIC_MBX_VF_DISABLED);
	/* The administrator's reset does. */
	vfnic_mbx_vf_admin_reset(&vf);
	assert_int_equal(vf.state, VFNIC_MBX_VF_RESET);
	assert_int_equal(vf.abuse.bad, 0);
	assert_int_equal(vf.stats.disabled, 1);		/* history kept */
	assert_int_equal(pf_op(&vf, VFNIC_MBX_OP_VERSION), 0);
}

static void test_rate_limiter(void **state)
{
	const struct vfnic_mbx_policy pol = { 100, 4, 3, SEC };
	struct vfnic_mbx_rate r = { 0 };
	u64 t = 7 * SEC;
	unsigned int i;

	(void)state;
	/* A full bucket at start: burst messages, then refusal. */
	for (i = 0; i < 4; i++)
		assert_true(vfnic_mbx_rate_allow(&r, &pol, t));
	assert_false(vfnic_mbx_rate_allow(&r, &pol, t));
	/* 1/rate later, exactly one more. */
	assert_false(vfnic_mbx_rate_allow(&r, &pol, t + 10 * MS - 1));
	assert_true(vfnic_mbx_rate_allow(&r, &pol, t + 10 * MS));
	assert_false(vfnic_mbx_rate_allow(&r, &pol, t + 10 * MS));
	/* A long silence earns no more than a burst. */
	t += 3600 * SEC;
	for (i = 0; i < 4; i++)
		assert_true(vfnic_mbx_rate_allow(&r, &pol, t));
	assert_false(vfnic_mbx_rate_allow(&r, &pol, t));
	/* A clock going back earns nothing and breaks nothing. */
	assert_false(vfnic_mbx_rate_allow(&r, &pol, t - SEC));
	assert_false(vfnic_mbx_rate_allow(&r, &pol, t - SEC + 5 * MS));
	assert_true(vfnic_mbx_rate_allow(&r, &pol, t - SEC + 10 * MS));
	/* Sustained: 100 per second over 10 s, give or take the burst. */
	memset(&r, 0, sizeof(r));
	for (i = 0, t = 0; t < 10 * SEC; t += MS)
		i += vfnic_mbx_rate_allow(&r, &pol, t);
	assert_in_range(i, 1000, 1004);
	/* The end of time does not overflow. */
	assert_true(vfnic_mbx_rate_allow(&r, &pol, UINT64_MAX));
	/* rate 0: no limit. */
	for (i = 0; i < 1000; i++)
		assert_true(vfnic_mbx_rate_allow(&r, &unlimited, t));
}

static void test_abuse_window(void **state)
{
	const struct vfnic_mbx_policy pol = { 0, 0, 3, SEC };
	const struct vfnic_mbx_policy off = { 0, 0, 0, SEC };
	struct vfnic_mbx_abuse a = { 0, 0 };
	u64 t = 100 * SEC;
	unsigned int i;

	(void)state;
	for (i = 0; i < 3; i++)
		assert_false(vfnic_mbx_abuse_note(&a, &pol, t + i * MS));
	assert_true(vfnic_mbx_abuse_note(&a, &pol, t + SEC - 1));
	/* The window starts at the first bad message and then expires. */
	memset(&a, 0, sizeof(a));
	for (i = 0; i < 3; i++)
		assert_false(vfnic_mbx_abuse_note(&a, &pol, t));
	assert_false(vfnic_mbx_abuse_note(&a, &pol, t + SEC));
	assert_int_equal(a.bad, 1);
	assert_false(vfnic_mbx_abuse_note(&a, &pol, t + SEC + 1));
	/* bad_max 0 turns the policy off. */
	memset(&a, 0, sizeof(a));
	for (i = 0; i < 100; i++)
		assert_false(vfnic_mbx_abuse_note(&a, &off, t));
}

static void test_pf_check_pipeline(void **state)
{
	const struct vfnic_mbx_policy pol = { 100, 2, 3, SEC };
	struct vfnic_mbx_vf vf;
	struct vfnic_mbx_msg m;
	u64 t = 50 * SEC;
	unsigned int i;

	(void)state;
	vfnic_mbx_vf_init(&vf, 2, 0, false);
	test_msg(&m, VFNIC_MBX_OP_SET_MTU);
	m.hdr.len = 2;
	/* Rate is checked before validation: a flood costs no parsing and
	 * a rate-limited malformed message is not counted as abuse. */
	assert_int_equal(vfnic_mbx_pf_check(&vf, &pol, &m, 12, t), E(LEN));
	assert_int_equal(vfnic_mbx_pf_check(&vf, &pol, &m, 12, t), E(LEN));
	assert_int_equal(vfnic_mbx_pf_check(&vf, &pol, &m, 12, t), E(RATE));
	assert_int_equal(vf.stats.rate_limited, 1);
	assert_int_equal(vf.abuse.bad, 2);
	assert_int_equal(vf.stats.errors[VFNIC_MBX_E_LEN], 2);

	/* A reply sent to the PF is malformed. */
	t += SEC / 10;
	test_msg(&m, VFNIC_MBX_OP_VERSION);
	m.hdr.flags = VFNIC_MBX_F_REPLY;
	assert_int_equal(vfnic_mbx_pf_check(&vf, &pol, &m, 12, t), E(HDR));
	/* So is an event. */
	t += SEC / 10;
	test_msg(&m, VFNIC_MBX_EV_PF_RESET);
	assert_int_equal(vfnic_mbx_pf_check(&vf, &pol, &m, 8, t), E(HDR));
	assert_int_equal(vf.state, VFNIC_MBX_VF_DISABLED);
	assert_int_equal(vf.stats.disabled, 1);
	assert_int_equal(vf.stats.errors[VFNIC_MBX_E_HDR], 2);
	/* Disabled: nothing is parsed or counted as an error any more. */
	for (i = 0; i < 10; i++) {
		t += SEC;
		test_msg(&m, VFNIC_MBX_OP_VERSION);
		assert_int_equal(vfnic_mbx_pf_check(&vf, &pol, &m, 12, t),
				 E(DISABLED));
	}
	assert_int_equal(vf.stats.dropped, 10);
	assert_int_equal(vf.stats.msgs, 15);

	/* Unknown opcodes count; state errors do not. */
	vfnic_mbx_vf_admin_reset(&vf);
	for (i = 0; i < 20; i++) {
		t += SEC / 10;
		test_msg(&m, VFNIC_MBX_OP_GET_STATS);
		assert_int_equal(vfnic_mbx_pf_check(&vf, &pol, &m, 8, t),
				 E(STATE));
	}
	assert_int_equal(vf.state, VFNIC_MBX_VF_RESET);
	for (i = 0; i < 4; i++) {
		t += SEC / 10;
		m.hdr.opcode = 200;
		assert_int_equal(vfnic_mbx_pf_check(&vf, &pol, &m, 8, t),
				 E(OPCODE));
	}
	assert_int_equal(vf.state, VFNIC_MBX_VF_DISABLED);
	assert_int_equal(vf.stats.disabled, 2);
}

static void test_malformed_classes(void **state)
{
	int e;

	(void)state;
	for (e = 0; e < VFNIC_MBX_E_NR; e++) {
		bool want = e == VFNIC_MBX_E_HDR || e == VFNIC_MBX_E_OPCODE ||
			    e == VFNIC_MBX_E_LEN || e == VFNIC_MBX_E_COUNT ||
			    e == VFNIC_MBX_E_RANGE;

		assert_int_equal(vfnic_mbx_err_is_malformed(-e), want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zeroed_vf_is_disabled),
		cmocka_unit_test(test_happy_path),
		cmocka_unit_test(test_order_enforced),
		cmocka_unit_test(test_no_config_before_resources),
		cmocka_unit_test(test_version_negotiation),
		cmocka_unit_test(test_trust_required),
		cmocka_unit_test(test_capabilities),
		cmocka_unit_test(test_queue_rules),
		cmocka_unit_test(test_reset_does_not_launder_abuse),
		cmocka_unit_test(test_rate_limiter),
		cmocka_unit_test(test_abuse_window),
		cmocka_unit_test(test_pf_check_pipeline),
		cmocka_unit_test(test_malformed_classes),
	};

	return cmocka_run_group_tests_name("mailbox PF state", tests,
					   NULL, NULL);
}
