/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-3-Clause) */
/*
 * Known-good messages for the mailbox tests: one valid instance of every
 * opcode, which the malformed-message tests then break one field at a time.
 */
#ifndef MAILBOX_TEST_MSGS_H
#define MAILBOX_TEST_MSGS_H

#include "vfnic_mbx.h"

static const u8 test_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x03 };

static inline void test_qp(struct vfnic_mbx_qp_cfg *q, unsigned int id)
{
	q->qp_id = id;
	q->rx_ring_dma = 0x100000 + id * 0x10000;
	q->tx_ring_dma = 0x108000 + id * 0x10000;
	q->rx_ring_len = 512;
	q->tx_ring_len = 1024;
	q->rx_buf_size = 2048;
}

/* A valid request or event of @opcode, as the table and checks want it. */
static inline void test_msg(struct vfnic_mbx_msg *m, unsigned int opcode)
{
	const struct vfnic_mbx_op *op = vfnic_mbx_op_lookup(opcode);
	unsigned int i;

	if (op->dir == VFNIC_MBX_DIR_EVENT)
		vfnic_mbx_init_event(m, opcode, 0);
	else
		vfnic_mbx_init_req(m, opcode, 0x1234);

	switch (opcode) {
	case VFNIC_MBX_OP_VERSION:
		m->payload.version.major = VFNIC_MBX_VERSION_MAJOR;
		m->payload.version.minor = VFNIC_MBX_VERSION_MINOR;
		break;
	case VFNIC_MBX_OP_GET_RESOURCES:
		m->payload.caps.caps = VFNIC_MBX_CAP_ALL;
		break;
	case VFNIC_MBX_OP_CONFIG_QUEUES:
		test_qp(&m->payload.qp_cfg.qp[0], 0);
		test_qp(&m->payload.qp_cfg.qp[1], 1);
		vfnic_mbx_set_count(m, 2);
		break;
	case VFNIC_MBX_OP_ENABLE_QUEUES:
	case VFNIC_MBX_OP_DISABLE_QUEUES:
		m->payload.queues.rx_mask = 0x3;
		m->payload.queues.tx_mask = 0x3;
		break;
	case VFNIC_MBX_OP_ADD_MAC:
	case VFNIC_MBX_OP_DEL_MAC:
		memcpy(m->payload.macs.mac[0].addr, test_mac, 6);
		vfnic_mbx_set_count(m, 1);
		break;
	case VFNIC_MBX_OP_ADD_VLAN:
	case VFNIC_MBX_OP_DEL_VLAN:
		m->payload.vlans.vid[0] = 100;
		m->payload.vlans.vid[1] = 4095;
		vfnic_mbx_set_count(m, 2);
		break;
	case VFNIC_MBX_OP_SET_PROMISC:
		m->payload.promisc.flags = VFNIC_MBX_PROMISC_ALL;
		break;
	case VFNIC_MBX_OP_SET_MTU:
		m->payload.mtu.mtu = 1500;
		break;
	case VFNIC_MBX_OP_SET_RSS_KEY:
		for (i = 0; i < VFNIC_RSS_KEY_SIZE; i++)
			m->payload.rss_key.key[i] = i * 7;
		break;
	case VFNIC_MBX_OP_SET_RSS_LUT:
		for (i = 0; i < VFNIC_RSS_RETA_SIZE; i++)
			m->payload.rss_lut.lut[i] = i % 2;
		break;
	case VFNIC_MBX_OP_SET_RSS_HASH:
		m->payload.rss_hash.hash = VFNIC_MBX_RSS_HASH_ALL;
		break;
	case VFNIC_MBX_EV_LINK_CHANGE:
		m->payload.link.speed_mbps = 10000;
		m->payload.link.link_up = 1;
		break;
	case VFNIC_MBX_EV_CONFIG_CHANGED:
		m->payload.changed.changed = VFNIC_MBX_CHG_MAC;
		break;
	default:
		break;
	}
}

/* A valid successful GET_RESOURCES reply, for the VF-side checks. */
static inline void test_resources_reply(struct vfnic_mbx_msg *reply,
					const struct vfnic_mbx_msg *req)
{
	struct vfnic_mbx_resources *r = &reply->payload.resources;

	vfnic_mbx_init_reply(reply, req, 0);
	r->caps = VFNIC_MBX_CAP_RSS;
	r->num_qp = 2;
	r->num_vectors = 3;
	r->max_mtu = 9000;
	r->max_macs = 16;
	r->max_vlans = 64;
	r->rss_key_size = VFNIC_RSS_KEY_SIZE;
	r->rss_lut_size = VFNIC_RSS_RETA_SIZE;
	memcpy(r->mac, test_mac, 6);
}

#endif /* MAILBOX_TEST_MSGS_H */
