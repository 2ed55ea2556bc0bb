// SPDX-License-Identifier: (GPL-2.0-only OR BSD-3-Clause)
/*
 * Mailbox messages: the opcode table, encoding, the wire layout, and
 * vfnic_mbx_validate() on every kind of malformed message.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "vfnic_mbx.h"
#include "mailbox_test_msgs.h"

#define E(x)	(-VFNIC_MBX_E_##x)

static unsigned int size_of(const struct vfnic_mbx_msg *m)
{
	return vfnic_mbx_size(m);
}

static void test_table_consistent(void **state)
{
	unsigned int code, other, requests = 0, events = 0;

	(void)state;
	for (code = 0; code < 256; code++) {
		const struct vfnic_mbx_op *op = vfnic_mbx_op_lookup(code);
		unsigned int largest;

		if (!op)
			continue;
		largest = op->len + op->max_count * op->elem_size;
		assert_true(largest <= VFNIC_MBX_MAX_PAYLOAD);
		assert_true(op->reply_len <= VFNIC_MBX_MAX_PAYLOAD);
		assert_true(op->min_minor <= VFNIC_MBX_VERSION_MINOR);
		/* An array has a count inside its fixed part, and a maximum. */
		if (op->elem_size) {
			assert_true(op->count_off + 2 <= op->len);
			assert_true(op->max_count > 0);
		} else {
			assert_int_equal(op->max_count, 0);
		}
		if (op->dir == VFNIC_MBX_DIR_REQ) {
			requests++;
			assert_true(op->states != 0);
			assert_false(op->states &
				     VFNIC_MBX_ST(VFNIC_MBX_VF_DISABLED));
		} else {
			events++;
			assert_int_equal(op->states, 0);
			assert_int_equal(op->reply_len, 0);
			assert_null(op->vf_check);
		}
		for (other = 0; other < code; other++) {
			const char *name = vfnic_mbx_op_name(other);

			if (vfnic_mbx_op_lookup(other))
				assert_string_not_equal(op->name, name);
		}
	}
	assert_int_equal(requests, 17);
	assert_int_equal(events, 3);
	/* The array rows agree with the structs that carry them. */
	assert_int_equal(vfnic_mbx_op_lookup(VFNIC_MBX_OP_CONFIG_QUEUES)->len +
			 VFNIC_MBX_MAX_QP_CFG * sizeof(struct vfnic_mbx_qp_cfg),
			 sizeof(struct vfnic_mbx_qp_cfg_list));
	assert_int_equal(vfnic_mbx_op_lookup(VFNIC_MBX_OP_ADD_MAC)->len +
			 VFNIC_MBX_MAX_MACS * sizeof(struct vfnic_mbx_mac),
			 sizeof(struct vfnic_mbx_mac_list));
	assert_int_equal(vfnic_mbx_op_lookup(VFNIC_MBX_OP_DEL_VLAN)->len +
			 VFNIC_MBX_MAX_VLANS * sizeof(u16),
			 sizeof(struct vfnic_mbx_vlan_list));
}

static void test_lookup_and_names(void **state)
{
	(void)state;
	assert_null(vfnic_mbx_op_lookup(0));
	assert_null(vfnic_mbx_op_lookup(18));
	assert_null(vfnic_mbx_op_lookup(VFNIC_MBX_OP_TABLE_SIZE));
	assert_null(vfnic_mbx_op_lookup(1000));
	assert_string_equal(vfnic_mbx_op_name(VFNIC_MBX_OP_SET_RSS_LUT),
			    "SET_RSS_LUT");
	assert_string_equal(vfnic_mbx_op_name(VFNIC_MBX_EV_PF_RESET),
			    "PF_RESET");
	assert_string_equal(vfnic_mbx_op_name(200), "UNKNOWN");
	assert_string_equal(vfnic_mbx_state_name(VFNIC_MBX_VF_RUNNING),
			    "RUNNING");
	assert_string_equal(vfnic_mbx_state_name(99), "INVALID");
}

static void test_strerror(void **state)
{
	int e, f;

	(void)state;
	for (e = 0; e < VFNIC_MBX_E_NR; e++) {
		assert_non_null(vfnic_mbx_strerror(-e));
		assert_string_equal(vfnic_mbx_strerror(-e),
				    vfnic_mbx_strerror(e));
		for (f = 0; f < e; f++)
			assert_string_not_equal(vfnic_mbx_strerror(e),
						vfnic_mbx_strerror(f));
	}
	assert_string_equal(vfnic_mbx_strerror(E(PERM)), "VF not trusted");
	assert_string_equal(vfnic_mbx_strerror(-1000), "unknown error");
}

static void test_every_opcode_valid(void **state)
{
	struct vfnic_mbx_msg m;
	unsigned int code;

	(void)state;
	for (code = 0; code < VFNIC_MBX_OP_TABLE_SIZE; code++) {
		if (!vfnic_mbx_op_lookup(code))
			continue;
		test_msg(&m, code);
		assert_int_equal(vfnic_mbx_validate(&m, size_of(&m)), 0);
		/* Extra bytes copied beyond the message do not matter. */
		assert_int_equal(vfnic_mbx_validate(&m, sizeof(m)), 0);
	}
}

/* The bytes on the wire, independently of the C structs. */
static void test_wire_layout(void **state)
{
	struct vfnic_mbx_msg m;
	const u8 *b = (const u8 *)&m;

	(void)state;
	test_msg(&m, VFNIC_MBX_OP_CONFIG_QUEUES);
	m.payload.qp_cfg.qp[1].rx_ring_dma = 0x1122334455667780ull;
	assert_int_equal(b[0], VFNIC_MBX_OP_CONFIG_QUEUES);
	assert_int_equal(b[1], VFNIC_MBX_F_REQ);
	assert_int_equal(b[2] | b[3] << 8, 8 + 2 * 32);	/* len */
	assert_int_equal(b[4] | b[5] << 8, 0x1234);	/* seq */
	assert_int_equal(b[6] | b[7] << 8, 0);		/* status */
	assert_int_equal(b[8] | b[9] << 8, 2);		/* count */
	/* qp[1] starts at 8 + 8 + 32: rx_ring_dma little-endian. */
	assert_int_equal(b[48], 0x80);
	assert_int_equal(b[55], 0x11);
	assert_int_equal(b[48 + 16], 1);		/* qp_id */
	assert_int_equal(b[48 + 18] | b[48 + 19] << 8, 512);
	assert_int_equal(b[48 + 24] | b[48 + 25] << 8, 2048);
	assert_int_equal(size_of(&m), 80);
	assert_int_equal(offsetof(struct vfnic_mbx_stats, rx_drop),
			 VFNIC_STAT_RX_DROP);
	assert_int_equal(offsetof(struct vfnic_mbx_stats, tx_mcast),
			 VFNIC_STAT_TX_MCAST);
}

/* Encode into bytes, decode from a copy of just those bytes. */
static void test_encode_decode_roundtrip(void **state)
{
	struct vfnic_mbx_msg m, d;
	u8 wire[VFNIC_MBX_BUF_SIZE];
	unsigned int i, n;

	(void)state;
	assert_int_equal(vfnic_mbx_init_req(&m, VFNIC_MBX_OP_ADD_VLAN, 7), 0);
	for (i = 0; i < 5; i++)
		m.payload.vlans.vid[i] = 10 * i;
	assert_int_equal(vfnic_mbx_set_count(&m, 5), 0);
	n = size_of(&m);
	assert_int_equal(n, 8 + 4 + 5 * 2);
	memcpy(wire, &m, n);

	memset(&d, 0xa5, sizeof(d));
	memcpy(&d, wire, n);
	assert_int_equal(vfnic_mbx_validate(&d, n), 0);
	assert_int_equal(vfnic_mbx_count(&d), 5);
	assert_int_equal(d.hdr.seq, 7);
	for (i = 0; i < 5; i++)
		assert_int_equal(d.payload.vlans.vid[i], 10 * i);
	assert_int_equal(vfnic_mbx_count(&m), 5);
	test_msg(&m, VFNIC_MBX_OP_SET_MTU);
	assert_int_equal(vfnic_mbx_count(&m), E(OPCODE));
}

static void test_init_errors(void **state)
{
	struct vfnic_mbx_msg m;

	(void)state;
	assert_int_equal(vfnic_mbx_init_req(&m, VFNIC_MBX_EV_LINK_CHANGE, 0),
			 E(OPCODE));
	assert_int_equal(vfnic_mbx_init_event(&m, VFNIC_MBX_OP_GET_LINK, 0),
			 E(OPCODE));
	assert_int_equal(vfnic_mbx_init_req(&m, 0, 0), E(OPCODE));
	assert_int_equal(vfnic_mbx_init_req(&m, 300, 0), E(OPCODE));
	assert_int_equal(vfnic_mbx_init_event(&m, VFNIC_MBX_EV_PF_RESET, 9),
			 0);
	assert_int_equal(m.hdr.flags, VFNIC_MBX_F_EVENT);
	assert_int_equal(m.hdr.len, 0);
}

static void test_set_count_bounds(void **state)
{
	struct vfnic_mbx_msg m;

	(void)state;
	vfnic_mbx_init_req(&m, VFNIC_MBX_OP_ADD_MAC, 1);
	assert_int_equal(vfnic_mbx_set_count(&m, 0), E(COUNT));
	assert_int_equal(vfnic_mbx_set_count(&m, VFNIC_MBX_MAX_MACS + 1),
			 E(COUNT));
	assert_int_equal(vfnic_mbx_set_count(&m, VFNIC_MBX_MAX_MACS), 0);
	assert_int_equal(m.hdr.len, 4 + 8 * VFNIC_MBX_MAX_MACS);
	assert_int_equal(m.payload.macs.count, VFNIC_MBX_MAX_MACS);
	vfnic_mbx_init_req(&m, VFNIC_MBX_OP_SET_MTU, 1);
	assert_int_equal(vfnic_mbx_set_count(&m, 1), E(OPCODE));
	/* An array message whose count was never set does not validate. */
	vfnic_mbx_init_req(&m, VFNIC_MBX_OP_DEL_MAC, 1);
	assert_int_equal(vfnic_mbx_validate(&m, sizeof(m)), E(COUNT));
}

static void test_init_reply(void **state)
{
	struct vfnic_mbx_msg req, r;

	(void)state;
	test_msg(&req, VFNIC_MBX_OP_GET_STATS);
	assert_int_equal(vfnic_mbx_init_reply(&r, &req, 0), 0);
	assert_int_equal(r.hdr.opcode, VFNIC_MBX_OP_GET_STATS);
	assert_int_equal(r.hdr.flags, VFNIC_MBX_F_REPLY);
	assert_int_equal(r.hdr.seq, 0x1234);
	assert_int_equal(r.hdr.status, 0);
	assert_int_equal(r.hdr.len, sizeof(struct vfnic_mbx_stats));
	assert_int_equal(vfnic_mbx_validate(&r, size_of(&r)), 0);

	vfnic_mbx_init_reply(&r, &req, E(NOSPC));
	assert_int_equal(r.hdr.status, VFNIC_MBX_E_NOSPC);
	assert_int_equal(r.hdr.len, 0);
	assert_int_equal(vfnic_mbx_validate(&r, size_of(&r)), 0);

	/* Transport-only codes never reach the wire. */
	vfnic_mbx_init_reply(&r, &req, E(BUSY));
	assert_int_equal(r.hdr.status, VFNIC_MBX_E_FAILED);

	/* VERSION carries the PF's version even when refusing. */
	test_msg(&req, VFNIC_MBX_OP_VERSION);
	req.payload.version.major = 7;
	vfnic_mbx_init_reply(&r, &req, E(VERSION));
	assert_int_equal(r.hdr.status, VFNIC_MBX_E_VERSION);
	assert_int_equal(r.hdr.len, 4);
	assert_int_equal(r.payload.version.major, VFNIC_MBX_VERSION_MAJOR);
	assert_int_equal(r.payload.version.minor, VFNIC_MBX_VERSION_MINOR);
	assert_int_equal(vfnic_mbx_validate(&r, size_of(&r)), 0);

	/* A request with an unknown opcode is answered E_OPCODE. */
	req.hdr.opcode = 99;
	vfnic_mbx_init_reply(&r, &req, 0);
	assert_int_equal(r.hdr.status, VFNIC_MBX_E_OPCODE);
	assert_int_equal(r.hdr.opcode, 99);
	assert_int_equal(r.hdr.len, 0);
	/* ...and the VF accepts that answer as valid, and nothing else */
	assert_int_equal(vfnic_mbx_validate(&r, size_of(&r)), 0);
	assert_int_equal(vfnic_mbx_check_reply(&req, &r), E(OPCODE));
	r.hdr.status = VFNIC_MBX_OK;
	assert_int_equal(vfnic_mbx_validate(&r, size_of(&r)), E(OPCODE));
	r.hdr.status = VFNIC_MBX_E_OPCODE;
	r.hdr.len = 4;
	assert_int_equal(vfnic_mbx_validate(&r, size_of(&r)), E(OPCODE));

	/*
	 * An event's opcode sent as a request gets the same answer, and the
	 * VF can parse it (found by tests/fuzz/mailbox).
	 */
	req.hdr.opcode = VFNIC_MBX_EV_LINK_CHANGE;
	vfnic_mbx_init_reply(&r, &req, E(HDR));
	assert_int_equal(r.hdr.status, VFNIC_MBX_E_OPCODE);
	assert_int_equal(r.hdr.len, 0);
	assert_int_equal(vfnic_mbx_validate(&r, size_of(&r)), 0);
	assert_int_equal(vfnic_mbx_check_reply(&req, &r), E(OPCODE));
	r.hdr.status = VFNIC_MBX_OK;
	assert_int_equal(vfnic_mbx_validate(&r, size_of(&r)), E(HDR));
}

static void test_check_reply(void **state)
{
	struct vfnic_mbx_msg req, r;

	(void)state;
	test_msg(&req, VFNIC_MBX_OP_SET_MTU);
	vfnic_mbx_init_reply(&r, &req, 0);
	assert_int_equal(vfnic_mbx_check_reply(&req, &r), 0);
	vfnic_mbx_init_reply(&r, &req, E(RANGE));
	assert_int_equal(vfnic_mbx_check_reply(&req, &r), E(RANGE));
	r.hdr.seq++;
	assert_int_equal(vfnic_mbx_check_reply(&req, &r), E(SEQ));
	vfnic_mbx_init_reply(&r, &req, 0);
	r.hdr.opcode = VFNIC_MBX_OP_GET_LINK;
	assert_int_equal(vfnic_mbx_check_reply(&req, &r), E(SEQ));
	/* An event arriving while the VF waits is not the reply. */
	test_msg(&r, VFNIC_MBX_EV_LINK_CHANGE);
	r.hdr.opcode = req.hdr.opcode;
	r.hdr.seq = req.hdr.seq;
	assert_int_equal(vfnic_mbx_check_reply(&req, &r), E(SEQ));
}

static void test_bad_size(void **state)
{
	struct vfnic_mbx_msg m;

	(void)state;
	test_msg(&m, VFNIC_MBX_OP_GET_LINK);
	assert_int_equal(vfnic_mbx_validate(&m, 0), E(LEN));
	assert_int_equal(vfnic_mbx_validate(&m, 7), E(LEN));
	assert_int_equal(vfnic_mbx_validate(&m, 8), 0);
	assert_int_equal(vfnic_mbx_validate(&m, 257), E(LEN));
	/* Header claims more than was copied: truncated. */
	test_msg(&m, VFNIC_MBX_OP_SET_RSS_LUT);
	assert_int_equal(vfnic_mbx_validate(&m, 8 + 127), E(LEN));
	m.hdr.len = 0xffff;
	assert_int_equal(vfnic_mbx_validate(&m, sizeof(m)), E(LEN));
	m.hdr.len = VFNIC_MBX_MAX_PAYLOAD + 1;
	assert_int_equal(vfnic_mbx_validate(&m, sizeof(m)), E(LEN));
}

static void test_bad_header(void **state)
{
	static const u8 bad_flags[] = {
		0, 0x03, 0x05, 0x06, 0x07, 0x08, 0x81, 0xff,
	};
	struct vfnic_mbx_msg m;
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(bad_flags); i++) {
		test_msg(&m, VFNIC_MBX_OP_GET_STATS);
		m.hdr.flags = bad_flags[i];
		assert_int_equal(vfnic_mbx_validate(&m, size_of(&m)), E(HDR));
	}
	/* Request flag on an event, event flag on a request. */
	test_msg(&m, VFNIC_MBX_EV_PF_RESET);
	m.hdr.flags = VFNIC_MBX_F_REQ;
	assert_int_equal(vfnic_mbx_validate(&m, size_of(&m)), E(HDR));
	m.hdr.flags = VFNIC_MBX_F_REPLY;
	assert_int_equal(vfnic_mbx_validate(&m, size_of(&m)), E(HDR));
	test_msg(&m, VFNIC_MBX_OP_RESET_VF);
	m.hdr.flags = VFNIC_MBX_F_EVENT;
	assert_int_equal(vfnic_mbx_validate(&m, size_of(&m)), E(HDR));
	/* Requests and events carry no status. */
	test_msg(&m, VFNIC_MBX_OP_RESET_VF);
	m.hdr.status = VFNIC_MBX_E_RANGE;
	assert_int_equal(vfnic_mbx_validate(&m, size_of(&m)), E(HDR));
}

static void test_unknown_opcodes(void **state)
{
	struct vfnic_mbx_msg m;
	unsigned int code;

	(void)state;
	for (code = 0; code < 256; code++) {
		if (vfnic_mbx_op_lookup(code))
			continue;
		memset(&m, 0, sizeof(m));
		m.hdr.opcode = code;
		m.hdr.flags = VFNIC_MBX_F_REQ;
		assert_int_equal(vfnic_mbx_validate(&m, 8), E(OPCODE));
	}
}

/* Every fixed-length message, one byte short and one byte long. */
static void test_fixed_len_off_by_one(void **state)
{
	struct vfnic_mbx_msg m, r;
	unsigned int code, checked = 0;

	(void)state;
	for (code = 0; code < VFNIC_MBX_OP_TABLE_SIZE; code++) {
		const struct vfnic_mbx_op *op = vfnic_mbx_op_lookup(code);

		if (!op || op->elem_size)
			continue;
		test_msg(&m, code);
		m.hdr.len = op->len + 1;
		assert_int_equal(vfnic_mbx_validate(&m, sizeof(m)), E(LEN));
		if (op->len) {
			m.hdr.len = op->len - 1;
			assert_int_equal(vfnic_mbx_validate(&m, sizeof(m)),
					 E(LEN));
		}
		if (op->dir == VFNIC_MBX_DIR_REQ) {
			test_msg(&m, code);
			vfnic_mbx_init_reply(&r, &m, 0);
			r.hdr.len = op->reply_len + 1;
			assert_int_equal(vfnic_mbx_validate(&r, sizeof(r)),
					 E(LEN));
		}
		checked++;
	}
	assert_int_equal(checked, 15);
}

static void fill_elem(struct vfnic_mbx_msg *m, unsigned int opcode,
		      unsigned int n)
{
	switch (opcode) {
	case VFNIC_MBX_OP_CONFIG_QUEUES:
		test_qp(&m->payload.qp_cfg.qp[n], n);
		break;
	case VFNIC_MBX_OP_ADD_MAC:
	case VFNIC_MBX_OP_DEL_MAC:
		memcpy(m->payload.macs.mac[n].addr, test_mac, 6);
		m->payload.macs.mac[n].addr[5] = n;
		break;
	default:
		m->payload.vlans.vid[n] = n * 60;
		break;
	}
}

static void test_array_counts(void **state)
{
	static const unsigned int arrays[] = {
		VFNIC_MBX_OP_CONFIG_QUEUES, VFNIC_MBX_OP_ADD_MAC,
		VFNIC_MBX_OP_DEL_MAC, VFNIC_MBX_OP_ADD_VLAN,
		VFNIC_MBX_OP_DEL_VLAN,
	};
	struct vfnic_mbx_msg m;
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(arrays) / sizeof(arrays[0]); i++) {
		const struct vfnic_mbx_op *op = vfnic_mbx_op_lookup(arrays[i]);
		u16 *count = (u16 *)(m.payload.raw + op->count_off);
		unsigned int good, n;

		test_msg(&m, arrays[i]);
		good = *count;
		*count = 0;
		assert_int_equal(vfnic_mbx_validate(&m, sizeof(m)), E(COUNT));
		*count = op->max_count + 1;
		assert_int_equal(vfnic_mbx_validate(&m, sizeof(m)), E(COUNT));
		*count = 0xffff;
		assert_int_equal(vfnic_mbx_validate(&m, sizeof(m)), E(COUNT));
		/* Count and length disagree, either way. */
		*count = good + 1;
		assert_int_equal(vfnic_mbx_validate(&m, sizeof(m)), E(LEN));
		*count = good;
		m.hdr.len += op->elem_size;
		assert_int_equal(vfnic_mbx_validate(&m, sizeof(m)), E(LEN));
		m.hdr.len -= 1 + op->elem_size;
		assert_int_equal(vfnic_mbx_validate(&m, sizeof(m)), E(LEN));
		/* Too short to hold even the count. */
		m.hdr.len = op->len - 1;
		assert_int_equal(vfnic_mbx_validate(&m, sizeof(m)), E(LEN));
		/* The maximum is fine, and fits the buffer. */
		test_msg(&m, arrays[i]);
		for (n = 0; n < op->max_count; n++)
			fill_elem(&m, arrays[i], n);
		assert_int_equal(vfnic_mbx_set_count(&m, op->max_count), 0);
		assert_int_equal(vfnic_mbx_validate(&m, size_of(&m)), 0);
		assert_true(size_of(&m) <= VFNIC_MBX_BUF_SIZE);
	}
}

static void test_reply_validation(void **state)
{
	struct vfnic_mbx_msg req, r;

	(void)state;
	test_msg(&req, VFNIC_MBX_OP_GET_LINK);
	vfnic_mbx_init_reply(&r, &req, 0);
	r.hdr.status = VFNIC_MBX_E_WIRE_NR;
	assert_int_equal(vfnic_mbx_validate(&r, size_of(&r)), E(HDR));
	/* Errors carry no payload, or the whole reply; nothing between. */
	r.hdr.status = VFNIC_MBX_E_FAILED;
	r.hdr.len = 0;
	assert_int_equal(vfnic_mbx_validate(&r, size_of(&r)), 0);
	r.hdr.len = sizeof(struct vfnic_mbx_link);
	assert_int_equal(vfnic_mbx_validate(&r, size_of(&r)), 0);
	r.hdr.len = 4;
	assert_int_equal(vfnic_mbx_validate(&r, size_of(&r)), E(LEN));
	/* A success without its payload. */
	r.hdr.status = 0;
	r.hdr.len = 0;
	assert_int_equal(vfnic_mbx_validate(&r, size_of(&r)), E(LEN));
	/* The VF checks values the PF sends too. */
	vfnic_mbx_init_reply(&r, &req, 0);
	r.payload.link.link_up = 2;
	assert_int_equal(vfnic_mbx_validate(&r, size_of(&r)), E(RANGE));
}

static void test_resources_reply_ranges(void **state)
{
	struct vfnic_mbx_msg req, r;

	(void)state;
	test_msg(&req, VFNIC_MBX_OP_GET_RESOURCES);
	test_resources_reply(&r, &req);
	assert_int_equal(vfnic_mbx_validate(&r, size_of(&r)), 0);
#define BAD_RES(stmt) do {						\
		test_resources_reply(&r, &req);				\
		stmt;							\
		assert_int_equal(vfnic_mbx_validate(&r, size_of(&r)),	\
				 E(RANGE));				\
	} while (0)
	BAD_RES(r.payload.resources.num_qp = 0);
	BAD_RES(r.payload.resources.num_qp = VFNIC_VF_MAX_QP + 1);
	BAD_RES(r.payload.resources.num_vectors = VFNIC_VF_MSIX_VECTORS + 1);
	BAD_RES(r.payload.resources.max_mtu = 67);
	BAD_RES(r.payload.resources.max_mtu = 9001);
	BAD_RES(r.payload.resources.max_macs = 17);
	BAD_RES(r.payload.resources.rss_key_size = 52);
	BAD_RES(r.payload.resources.rss_lut_size = 64);
	BAD_RES(r.payload.resources.caps = 0x80);
	BAD_RES(r.payload.resources.flags = 0x100);
	BAD_RES(r.payload.resources.rsvd[3] = 1);
#undef BAD_RES
}

/* One field at a time, just outside and just inside each range. */
struct range_case {
	const char *what;
	unsigned int opcode;
	void (*set)(struct vfnic_mbx_msg *m);
	int expect;
};

#define SETTER(name, stmt) \
	static void name(struct vfnic_mbx_msg *m) { stmt; }

SETTER(caps_rsvd, m->payload.caps.rsvd = 1)
SETTER(caps_unknown, m->payload.caps.caps = 0xffffffff)
SETTER(qp_id_high, m->payload.qp_cfg.qp[1].qp_id = VFNIC_VF_MAX_QP)
SETTER(qp_id_dup, m->payload.qp_cfg.qp[1].qp_id = 0)
SETTER(qp_rx_len_npow2, m->payload.qp_cfg.qp[0].rx_ring_len = 1000)
SETTER(qp_rx_len_small, m->payload.qp_cfg.qp[0].rx_ring_len = 16)
SETTER(qp_tx_len_big, m->payload.qp_cfg.qp[0].tx_ring_len = 8192)
SETTER(qp_len_min, m->payload.qp_cfg.qp[0].tx_ring_len = VFNIC_Q_LEN_MIN)
SETTER(qp_len_max, m->payload.qp_cfg.qp[0].rx_ring_len = VFNIC_Q_LEN_MAX)
SETTER(qp_rx_dma_zero, m->payload.qp_cfg.qp[1].rx_ring_dma = 0)
SETTER(qp_tx_dma_odd, m->payload.qp_cfg.qp[1].tx_ring_dma += 8)
SETTER(qp_buf_small, m->payload.qp_cfg.qp[0].rx_buf_size = 255)
SETTER(qp_buf_big, m->payload.qp_cfg.qp[0].rx_buf_size = 16385)
SETTER(qp_buf_max, m->payload.qp_cfg.qp[0].rx_buf_size = VFNIC_RX_BUF_MAX)
SETTER(qp_rsvd, m->payload.qp_cfg.qp[0].rsvd2 = 1)
SETTER(qp_list_rsvd, m->payload.qp_cfg.rsvd[2] = 1)
SETTER(queues_none, m->payload.queues.rx_mask = m->payload.queues.tx_mask = 0)
SETTER(queues_rx_only, m->payload.queues.tx_mask = 0)
SETTER(queues_high, m->payload.queues.tx_mask = 1u << VFNIC_VF_MAX_QP)
SETTER(mac_zero, memset(m->payload.macs.mac[0].addr, 0, 6))
SETTER(mac_rsvd, m->payload.macs.mac[0].rsvd[1] = 1)
SETTER(mac_mcast, m->payload.macs.mac[0].addr[0] = 0x01)
SETTER(vlan_4096, m->payload.vlans.vid[1] = 4096)
SETTER(vlan_rsvd, m->payload.vlans.rsvd = 1)
SETTER(promisc_unknown, m->payload.promisc.flags = 0x4)
SETTER(promisc_off, m->payload.promisc.flags = 0)
SETTER(mtu_small, m->payload.mtu.mtu = VFNIC_MBX_MTU_MIN - 1)
SETTER(mtu_min, m->payload.mtu.mtu = VFNIC_MBX_MTU_MIN)
SETTER(mtu_max, m->payload.mtu.mtu = VFNIC_MBX_MTU_MAX)
SETTER(mtu_big, m->payload.mtu.mtu = VFNIC_MBX_MTU_MAX + 1)
SETTER(mtu_rsvd, m->payload.mtu.rsvd = 1)
SETTER(lut_high, m->payload.rss_lut.lut[127] = VFNIC_VF_MAX_QP)
SETTER(lut_top, m->payload.rss_lut.lut[127] = VFNIC_VF_MAX_QP - 1)
SETTER(hash_unknown, m->payload.rss_hash.hash = 0x40)
SETTER(link_up2, m->payload.link.link_up = 2)
SETTER(link_rsvd, m->payload.link.rsvd[0] = 1)
SETTER(chg_none, m->payload.changed.changed = 0)
SETTER(chg_unknown, m->payload.changed.changed = 0x40)
SETTER(chg_all, m->payload.changed.changed = VFNIC_MBX_CHG_ALL)

static const struct range_case range_cases[] = {
	{ "caps rsvd", VFNIC_MBX_OP_GET_RESOURCES, caps_rsvd, E(RANGE) },
	{ "caps newer", VFNIC_MBX_OP_GET_RESOURCES, caps_unknown, 0 },
	{ "qp id", VFNIC_MBX_OP_CONFIG_QUEUES, qp_id_high, E(RANGE) },
	{ "qp dup", VFNIC_MBX_OP_CONFIG_QUEUES, qp_id_dup, E(RANGE) },
	{ "rx len", VFNIC_MBX_OP_CONFIG_QUEUES, qp_rx_len_npow2, E(RANGE) },
	{ "rx len<", VFNIC_MBX_OP_CONFIG_QUEUES, qp_rx_len_small, E(RANGE) },
	{ "tx len>", VFNIC_MBX_OP_CONFIG_QUEUES, qp_tx_len_big, E(RANGE) },
	{ "len min", VFNIC_MBX_OP_CONFIG_QUEUES, qp_len_min, 0 },
	{ "len max", VFNIC_MBX_OP_CONFIG_QUEUES, qp_len_max, 0 },
	{ "rx dma 0", VFNIC_MBX_OP_CONFIG_QUEUES, qp_rx_dma_zero, E(RANGE) },
	{ "tx dma", VFNIC_MBX_OP_CONFIG_QUEUES, qp_tx_dma_odd, E(RANGE) },
	{ "buf<", VFNIC_MBX_OP_CONFIG_QUEUES, qp_buf_small, E(RANGE) },
	{ "buf>", VFNIC_MBX_OP_CONFIG_QUEUES, qp_buf_big, E(RANGE) },
	{ "buf max", VFNIC_MBX_OP_CONFIG_QUEUES, qp_buf_max, 0 },
	{ "qp rsvd", VFNIC_MBX_OP_CONFIG_QUEUES, qp_rsvd, E(RANGE) },
	{ "list rsvd", VFNIC_MBX_OP_CONFIG_QUEUES, qp_list_rsvd, E(RANGE) },
	{ "no queues", VFNIC_MBX_OP_ENABLE_QUEUES, queues_none, E(RANGE) },
	{ "rx only", VFNIC_MBX_OP_ENABLE_QUEUES, queues_rx_only, 0 },
	{ "queue 4", VFNIC_MBX_OP_DISABLE_QUEUES, queues_high, E(RANGE) },
	{ "mac 0", VFNIC_MBX_OP_ADD_MAC, mac_zero, E(RANGE) },
	{ "mac rsvd", VFNIC_MBX_OP_DEL_MAC, mac_rsvd, E(RANGE) },
	{ "mac mcast", VFNIC_MBX_OP_ADD_MAC, mac_mcast, 0 },
	{ "vid 4096", VFNIC_MBX_OP_ADD_VLAN, vlan_4096, E(RANGE) },
	{ "vlan rsvd", VFNIC_MBX_OP_DEL_VLAN, vlan_rsvd, E(RANGE) },
	{ "promisc", VFNIC_MBX_OP_SET_PROMISC, promisc_unknown, E(RANGE) },
	{ "promisc 0", VFNIC_MBX_OP_SET_PROMISC, promisc_off, 0 },
	{ "mtu<", VFNIC_MBX_OP_SET_MTU, mtu_small, E(RANGE) },
	{ "mtu min", VFNIC_MBX_OP_SET_MTU, mtu_min, 0 },
	{ "mtu max", VFNIC_MBX_OP_SET_MTU, mtu_max, 0 },
	{ "mtu>", VFNIC_MBX_OP_SET_MTU, mtu_big, E(RANGE) },
	{ "mtu rsvd", VFNIC_MBX_OP_SET_MTU, mtu_rsvd, E(RANGE) },
	{ "lut", VFNIC_MBX_OP_SET_RSS_LUT, lut_high, E(RANGE) },
	{ "lut top", VFNIC_MBX_OP_SET_RSS_LUT, lut_top, 0 },
	{ "hash", VFNIC_MBX_OP_SET_RSS_HASH, hash_unknown, E(RANGE) },
	{ "link up", VFNIC_MBX_EV_LINK_CHANGE, link_up2, E(RANGE) },
	{ "link rsvd", VFNIC_MBX_EV_LINK_CHANGE, link_rsvd, E(RANGE) },
	{ "chg 0", VFNIC_MBX_EV_CONFIG_CHANGED, chg_none, E(RANGE) },
	{ "chg bit", VFNIC_MBX_EV_CONFIG_CHANGED, chg_unknown, E(RANGE) },
	{ "chg all", VFNIC_MBX_EV_CONFIG_CHANGED, chg_all, 0 },
};

static void test_value_ranges(void **state)
{
	struct vfnic_mbx_msg m;
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(range_cases) / sizeof(range_cases[0]); i++) {
		const struct range_case *c = &range_cases[i];
		int got;

		test_msg(&m, c->opcode);
		c->set(&m);
		got = vfnic_mbx_validate(&m, size_of(&m));
		if (got != c->expect)
			fail_msg("%s %s: expected %d (%s), got %d (%s)",
				 vfnic_mbx_op_name(c->opcode), c->what,
				 c->expect, vfnic_mbx_strerror(c->expect),
				 got, vfnic_mbx_strerror(got));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_consistent),
		cmocka_unit_test(test_lookup_and_names),
		cmocka_unit_test(test_strerror),
		cmocka_unit_test(test_every_opcode_valid),
		cmocka_unit_test(test_wire_layout),
		cmocka_unit_test(test_encode_decode_roundtrip),
		cmocka_unit_test(test_init_errors),
		cmocka_unit_test(test_set_count_bounds),
		cmocka_unit_test(test_init_reply),
		cmocka_unit_test(test_check_reply),
		cmocka_unit_test(test_bad_size),
		cmocka_unit_test(test_bad_header),
		cmocka_unit_test(test_unknown_opcodes),
		cmocka_unit_test(test_fixed_len_off_by_one),
		cmocka_unit_test(test_array_counts),
		cmocka_unit_test(test_reply_validation),
		cmocka_unit_test(test_resources_reply_ranges),
		cmocka_unit_test(test_value_ranges),
	};

	return cmocka_run_group_tests_name("mailbox messages", tests,
					   NULL, NULL);
}
