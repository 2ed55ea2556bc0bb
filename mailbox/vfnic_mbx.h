/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-3-Clause) */
/*
 * vfnic PF-VF mailbox protocol: messages, opcode table, validation, the
 * PF's per-VF state machine and abuse policy.
 *
 * This is docs/mailbox.md in C, compiled unchanged into the PF kernel
 * module, the DPDK VF PMD and the tests. Every wire struct is pinned by a
 * size check so that a change to the layout cannot go unnoticed.
 *
 * A message is an 8-byte header followed by up to 248 bytes of payload, so
 * that it fits one VFNIC_MBX_BUF_SIZE buffer. The wire is little-endian.
 */
#ifndef VFNIC_MBX_H
#define VFNIC_MBX_H

#include "vfnic_mbx_types.h"
#include "vfnic_hw.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Version 1.0. Minor bumps only add opcodes; see docs/mailbox.md. */
#define VFNIC_MBX_VERSION_MAJOR		1
#define VFNIC_MBX_VERSION_MINOR		0

#define VFNIC_MBX_HDR_SIZE		8
#define VFNIC_MBX_MAX_PAYLOAD	(VFNIC_MBX_BUF_SIZE - VFNIC_MBX_HDR_SIZE)

/* Protocol limits that are not hardware registers. */
#define VFNIC_MBX_MAX_QP_CFG		VFNIC_VF_MAX_QP
#define VFNIC_MBX_MAX_MACS		VFNIC_ADM_MAC_FILTERS
#define VFNIC_MBX_MAX_VLANS		64
#define VFNIC_MBX_MTU_MIN		68
#define VFNIC_MBX_MTU_MAX		9000
#define VFNIC_MBX_VLAN_MAX		4095

enum vfnic_mbx_opcode {
	VFNIC_MBX_OP_VERSION		= 1,
	VFNIC_MBX_OP_RESET_VF		= 2,
	VFNIC_MBX_OP_GET_RESOURCES	= 3,
	VFNIC_MBX_OP_CONFIG_QUEUES	= 4,
	VFNIC_MBX_OP_ENABLE_QUEUES	= 5,
	VFNIC_MBX_OP_DISABLE_QUEUES	= 6,
	VFNIC_MBX_OP_ADD_MAC		= 7,
	VFNIC_MBX_OP_DEL_MAC		= 8,
	VFNIC_MBX_OP_ADD_VLAN		= 9,
	VFNIC_MBX_OP_DEL_VLAN		= 10,
	VFNIC_MBX_OP_SET_PROMISC	= 11,
	VFNIC_MBX_OP_SET_MTU		= 12,
	VFNIC_MBX_OP_SET_RSS_KEY	= 13,
	VFNIC_MBX_OP_SET_RSS_LUT	= 14,
	VFNIC_MBX_OP_SET_RSS_HASH	= 15,
	VFNIC_MBX_OP_GET_STATS		= 16,
	VFNIC_MBX_OP_GET_LINK		= 17,
	/* PF -> VF events */
	VFNIC_MBX_EV_LINK_CHANGE	= 32,
	VFNIC_MBX_EV_PF_RESET		= 33,
	VFNIC_MBX_EV_CONFIG_CHANGED	= 34,
	VFNIC_MBX_OP_TABLE_SIZE		/* one past the highest opcode */
};

/*
 * Status codes: carried in hdr.status of a reply (positive), and returned
 * negated by every function here. Transport-only codes (BUSY and below)
 * never appear on the wire.
 */
enum vfnic_mbx_status {
	VFNIC_MBX_OK		= 0,
	VFNIC_MBX_E_HDR		= 1,	/* flags, direction or status field */
	VFNIC_MBX_E_OPCODE	= 2,	/* opcode unknown */
	VFNIC_MBX_E_LEN		= 3,	/* payload length wrong for opcode */
	VFNIC_MBX_E_COUNT	= 4,	/* array count 0 or above maximum */
	VFNIC_MBX_E_RANGE	= 5,	/* a field's value is out of range */
	VFNIC_MBX_E_STATE	= 6,	/* not allowed in the VF's state */
	VFNIC_MBX_E_PERM	= 7,	/* needs a trusted VF */
	VFNIC_MBX_E_NOTSUP	= 8,	/* capability or minor not agreed */
	VFNIC_MBX_E_VERSION	= 9,	/* major version differs */
	VFNIC_MBX_E_RATE	= 10,	/* VF exceeded its message rate */
	VFNIC_MBX_E_DISABLED	= 11,	/* VF disabled by the PF */
	VFNIC_MBX_E_NOSPC	= 12,	/* PF table full (MAC, VLAN) */
	VFNIC_MBX_E_FAILED	= 13,	/* PF could not apply the request */
	VFNIC_MBX_E_WIRE_NR,		/* codes below may go on the wire */
	VFNIC_MBX_E_BUSY = VFNIC_MBX_E_WIRE_NR, /* peer has not acked yet */
	VFNIC_MBX_E_NOMSG,		/* nothing to receive */
	VFNIC_MBX_E_NOT_READY,		/* PF_READY is clear */
	VFNIC_MBX_E_SEQ,		/* reply does not answer the request */
	VFNIC_MBX_E_TIMEOUT,		/* for callers' polling loops */
	VFNIC_MBX_E_NR
};

/* hdr.flags: exactly one of these. */
#define VFNIC_MBX_F_REQ		0x01	/* VF -> PF request */
#define VFNIC_MBX_F_REPLY	0x02	/* PF -> VF, answers a request */
#define VFNIC_MBX_F_EVENT	0x04	/* PF -> VF, unsolicited */

struct vfnic_mbx_hdr {
	u8 opcode;		/* enum vfnic_mbx_opcode */
	u8 flags;		/* VFNIC_MBX_F_* */
	u16 len;		/* payload bytes after the header */
	u16 seq;		/* chosen by the VF, echoed by the reply */
	u16 status;		/* replies: enum vfnic_mbx_status; else 0 */
};

/* VERSION: request and reply. */
struct vfnic_mbx_version {
	u16 major;
	u16 minor;
};

/* Capability bits, offered in GET_RESOURCES and granted in its reply. */
#define VFNIC_MBX_CAP_RSS		0x00000001	/* SET_RSS_* */
#define VFNIC_MBX_CAP_VLAN		0x00000002	/* ADD/DEL_VLAN */
#define VFNIC_MBX_CAP_CSUM		0x00000004	/* checksum offload */
#define VFNIC_MBX_CAP_ALL		0x00000007

/* GET_RESOURCES request: what the VF driver can use. */
struct vfnic_mbx_caps {
	u32 caps;		/* VFNIC_MBX_CAP_* */
	u32 rsvd;
};

/* GET_RESOURCES reply flags: the administrator's settings. */
#define VFNIC_MBX_RES_TRUSTED		0x00000001
#define VFNIC_MBX_RES_PORT_VLAN		0x00000002	/* VLAN ops refused */
#define VFNIC_MBX_RES_ADMIN_MAC		0x00000004	/* MAC set by admin */
#define VFNIC_MBX_RES_ALL		0x00000007

/* GET_RESOURCES reply. */
struct vfnic_mbx_resources {
	u32 caps;		/* granted: offered by the PF & asked */
	u32 flags;		/* VFNIC_MBX_RES_* */
	u16 num_qp;		/* queue pairs 0..num_qp-1 usable */
	u16 num_vectors;	/* MSI-X vectors */
	u16 max_mtu;
	u16 max_macs;		/* MAC filters besides the primary */
	u16 max_vlans;
	u16 rss_key_size;	/* VFNIC_RSS_KEY_SIZE */
	u16 rss_lut_size;	/* VFNIC_RSS_RETA_SIZE */
	u8 mac[6];		/* primary MAC */
	u8 rsvd[4];
};

/* CONFIG_QUEUES: one queue pair. Rings are VFNIC_DESC_SIZE aligned. */
struct vfnic_mbx_qp_cfg {
	u64 rx_ring_dma;
	u64 tx_ring_dma;
	u16 qp_id;
	u16 rx_ring_len;	/* descriptors, power of 2 */
	u16 tx_ring_len;
	u16 rsvd;
	u32 rx_buf_size;	/* VFNIC_RX_BUF_MIN..VFNIC_RX_BUF_MAX */
	u32 rsvd2;
};

struct vfnic_mbx_qp_cfg_list {
	u16 count;
	u16 rsvd[3];
	struct vfnic_mbx_qp_cfg qp[VFNIC_MBX_MAX_QP_CFG];
};

/* ENABLE_QUEUES, DISABLE_QUEUES: bit q is queue pair q. */
struct vfnic_mbx_queue_select {
	u32 rx_mask;
	u32 tx_mask;
};

/* ADD_MAC, DEL_MAC */
struct vfnic_mbx_mac {
	u8 addr[6];
	u8 rsvd[2];
};

struct vfnic_mbx_mac_list {
	u16 count;
	u16 rsvd;
	struct vfnic_mbx_mac mac[VFNIC_MBX_MAX_MACS];
};

/* ADD_VLAN, DEL_VLAN */
struct vfnic_mbx_vlan_list {
	u16 count;
	u16 rsvd;
	u16 vid[VFNIC_MBX_MAX_VLANS];	/* 0..VFNIC_MBX_VLAN_MAX */
};

/* SET_PROMISC: the values of VFNIC_RX_FILTER_* on purpose. */
#define VFNIC_MBX_PROMISC_UNICAST	VFNIC_RX_FILTER_PROMISC
#define VFNIC_MBX_PROMISC_ALLMULTI	VFNIC_RX_FILTER_ALLMULTI
#define VFNIC_MBX_PROMISC_ALL		(VFNIC_MBX_PROMISC_UNICAST | \
					 VFNIC_MBX_PROMISC_ALLMULTI)

struct vfnic_mbx_promisc {
	u32 flags;
};

struct vfnic_mbx_mtu {
	u16 mtu;
	u16 rsvd;
};

struct vfnic_mbx_rss_key {
	u8 key[VFNIC_RSS_KEY_SIZE];
};

/* Each entry is a queue pair below the VF's num_qp. */
struct vfnic_mbx_rss_lut {
	u8 lut[VFNIC_RSS_RETA_SIZE];
};

#define VFNIC_MBX_RSS_HASH_ALL	(VFNIC_RSS_IPV4 | VFNIC_RSS_TCP4 | \
				 VFNIC_RSS_UDP4 | VFNIC_RSS_IPV6 | \
				 VFNIC_RSS_TCP6 | VFNIC_RSS_UDP6)

struct vfnic_mbx_rss_hash {
	u32 hash;		/* VFNIC_RSS_* */
};

/* GET_STATS reply: the VFNIC_STAT_* counters, in register order. */
struct vfnic_mbx_stats {
	u64 rx_pkts;
	u64 rx_bytes;
	u64 tx_pkts;
	u64 tx_bytes;
	u64 rx_drop;
	u64 tx_spoof;
	u64 tx_err;
	u64 rx_err;
	u64 rx_bcast;
	u64 rx_mcast;
	u64 tx_bcast;
	u64 tx_mcast;
	u64 tx_drop;
};

/* GET_LINK reply, LINK_CHANGE event. */
struct vfnic_mbx_link {
	u32 speed_mbps;
	u8 link_up;		/* 0 or 1 */
	u8 rsvd[3];
};

/* CONFIG_CHANGED event: what the administrator changed. */
#define VFNIC_MBX_CHG_MAC		0x00000001
#define VFNIC_MBX_CHG_VLAN		0x00000002
#define VFNIC_MBX_CHG_TRUST		0x00000004
#define VFNIC_MBX_CHG_LINK		0x00000008
#define VFNIC_MBX_CHG_RATE		0x00000010
#define VFNIC_MBX_CHG_SPOOFCHK		0x00000020
#define VFNIC_MBX_CHG_ALL		0x0000003f

struct vfnic_mbx_config_changed {
	u32 changed;		/* VFNIC_MBX_CHG_* */
	u32 rsvd;
};

/* One mailbox buffer. Aligned, so payloads can be read in place. */
struct vfnic_mbx_msg {
	struct vfnic_mbx_hdr hdr;
	union {
		u8 raw[VFNIC_MBX_MAX_PAYLOAD];
		struct vfnic_mbx_version version;
		struct vfnic_mbx_caps caps;
		struct vfnic_mbx_resources resources;
		struct vfnic_mbx_qp_cfg_list qp_cfg;
		struct vfnic_mbx_queue_select queues;
		struct vfnic_mbx_mac_list macs;
		struct vfnic_mbx_vlan_list vlans;
		struct vfnic_mbx_promisc promisc;
		struct vfnic_mbx_mtu mtu;
		struct vfnic_mbx_rss_key rss_key;
		struct vfnic_mbx_rss_lut rss_lut;
		struct vfnic_mbx_rss_hash rss_hash;
		struct vfnic_mbx_stats stats;
		struct vfnic_mbx_link link;
		struct vfnic_mbx_config_changed changed;
		u64 align;
	} payload;
};

#define VFNIC_MBX_CHECK_STRUCT_LEN(n, X) \
	VFNIC_MBX_BUILD_CHECK(X, sizeof(struct X) == (n))

VFNIC_MBX_CHECK_STRUCT_LEN(8, vfnic_mbx_hdr);
VFNIC_MBX_CHECK_STRUCT_LEN(4, vfnic_mbx_version);
VFNIC_MBX_CHECK_STRUCT_LEN(8, vfnic_mbx_caps);
VFNIC_MBX_CHECK_STRUCT_LEN(32, vfnic_mbx_resources);
VFNIC_MBX_CHECK_STRUCT_LEN(32, vfnic_mbx_qp_cfg);
VFNIC_MBX_CHECK_STRUCT_LEN(136, vfnic_mbx_qp_cfg_list);
VFNIC_MBX_CHECK_STRUCT_LEN(8, vfnic_mbx_queue_select);
VFNIC_MBX_CHECK_STRUCT_LEN(8, vfnic_mbx_mac);
VFNIC_MBX_CHECK_STRUCT_LEN(132, vfnic_mbx_mac_list);
VFNIC_MBX_CHECK_STRUCT_LEN(132, vfnic_mbx_vlan_list);
VFNIC_MBX_CHECK_STRUCT_LEN(4, vfnic_mbx_promisc);
VFNIC_MBX_CHECK_STRUCT_LEN(4, vfnic_mbx_mtu);
VFNIC_MBX_CHECK_STRUCT_LEN(40, vfnic_mbx_rss_key);
VFNIC_MBX_CHECK_STRUCT_LEN(128, vfnic_mbx_rss_lut);
VFNIC_MBX_CHECK_STRUCT_LEN(4, vfnic_mbx_rss_hash);
VFNIC_MBX_CHECK_STRUCT_LEN(104, vfnic_mbx_stats);
VFNIC_MBX_CHECK_STRUCT_LEN(8, vfnic_mbx_link);
VFNIC_MBX_CHECK_STRUCT_LEN(8, vfnic_mbx_config_changed);
VFNIC_MBX_CHECK_STRUCT_LEN(VFNIC_MBX_BUF_SIZE, vfnic_mbx_msg);
/* The stats reply mirrors the counter block, so the PF copies in order. */
VFNIC_MBX_BUILD_CHECK(stats_count,
		      sizeof(struct vfnic_mbx_stats) == VFNIC_STAT_COUNT * 8);
VFNIC_MBX_BUILD_CHECK(stats_last, offsetof(struct vfnic_mbx_stats, tx_drop) ==
		      VFNIC_STAT_TX_DROP);
VFNIC_MBX_BUILD_CHECK(hdr_size,
		      sizeof(struct vfnic_mbx_hdr) == VFNIC_MBX_HDR_SIZE);

/*
 * The PF's view of one VF, kept by the PF driver and moved along by
 * vfnic_mbx_vf_apply(). DISABLED is 0 so that zeroed memory is safe.
 */
enum vfnic_mbx_vf_state {
	VFNIC_MBX_VF_DISABLED	= 0,	/* shut off for abuse; admin reset */
	VFNIC_MBX_VF_RESET	= 1,	/* after FLR or RESET_VF: VERSION */
	VFNIC_MBX_VF_VERSIONED	= 2,	/* version agreed: GET_RESOURCES */
	VFNIC_MBX_VF_RESOURCES	= 3,	/* resources known: configure */
	VFNIC_MBX_VF_RUNNING	= 4,	/* at least one queue enabled */
	VFNIC_MBX_VF_NR_STATES
};

#define VFNIC_MBX_ST(s)		(1u << (s))

/* Opcode table row. Direction: */
#define VFNIC_MBX_DIR_REQ	0	/* VF request, PF reply */
#define VFNIC_MBX_DIR_EVENT	1	/* PF event, no reply */

struct vfnic_mbx_vf;

struct vfnic_mbx_op {
	const char *name;
	u8 dir;			/* VFNIC_MBX_DIR_* */
	u8 trust;		/* needs a trusted VF */
	u8 min_minor;		/* first protocol minor with this opcode */
	u8 next_state;		/* success: RESET starts over, others raise */
	u16 len;		/* fixed payload of request or event */
	u16 elem_size;		/* array element size, 0 if no array */
	u16 count_off;		/* payload offset of the u16 element count */
	u16 max_count;
	u16 reply_len;		/* payload of a successful reply */
	u16 states;		/* VFNIC_MBX_ST() of states it is allowed in */
	u32 cap;		/* VFNIC_MBX_CAP_* that must be granted */
	/* Value checks of request or event and of reply. Optional. */
	int (*check)(const struct vfnic_mbx_msg *msg);
	int (*check_reply)(const struct vfnic_mbx_msg *msg);
	/* Checks against the PF's view of the VF, and its update. Optional. */
	int (*vf_check)(const struct vfnic_mbx_vf *vf,
			const struct vfnic_mbx_msg *msg);
	void (*vf_apply)(struct vfnic_mbx_vf *vf,
			 const struct vfnic_mbx_msg *msg);
};

const struct vfnic_mbx_op *vfnic_mbx_op_lookup(unsigned int opcode);
const char *vfnic_mbx_op_name(unsigned int opcode);
const char *vfnic_mbx_strerror(int err);
const char *vfnic_mbx_state_name(unsigned int state);

/* Encode. All return 0 or a negative VFNIC_MBX_E_* code. */
int vfnic_mbx_init_req(struct vfnic_mbx_msg *msg, unsigned int opcode,
		       u16 seq);
int vfnic_mbx_init_event(struct vfnic_mbx_msg *msg, unsigned int opcode,
			 u16 seq);
int vfnic_mbx_set_count(struct vfnic_mbx_msg *msg, unsigned int count);
int vfnic_mbx_init_reply(struct vfnic_mbx_msg *reply,
			 const struct vfnic_mbx_msg *req, int err);

/* Decode. */
static inline unsigned int vfnic_mbx_size(const struct vfnic_mbx_msg *msg)
{
	return VFNIC_MBX_HDR_SIZE + msg->hdr.len;
}

int vfnic_mbx_count(const struct vfnic_mbx_msg *msg);
int vfnic_mbx_validate(const struct vfnic_mbx_msg *msg, size_t size);
int vfnic_mbx_check_reply(const struct vfnic_mbx_msg *req,
			  const struct vfnic_mbx_msg *reply);

/* PF side: per-VF state, rate limit and abuse policy. */
struct vfnic_mbx_policy {
	u32 rate;		/* messages per second, sustained */
	u32 burst;		/* messages in a burst */
	u32 bad_max;		/* malformed messages tolerated per window */
	u64 bad_window_ns;
};

#define VFNIC_MBX_POLICY_DEFAULT { 200, 64, 10, 10000000000ull }

struct vfnic_mbx_rate {
	u64 credit_ns;		/* time earned, each message costs 1/rate */
	u64 last_ns;
	bool primed;		/* false: first message fills the bucket */
};

struct vfnic_mbx_abuse {
	u64 window_start_ns;
	u32 bad;		/* malformed messages in this window */
};

struct vfnic_mbx_vf_stats {
	u64 msgs;		/* requests received, all outcomes */
	u64 rate_limited;
	u64 dropped;		/* received while disabled */
	u32 disabled;		/* times disabled for abuse */
	u32 errors[VFNIC_MBX_E_WIRE_NR];	/* by error code */
};

struct vfnic_mbx_vf {
	u8 state;		/* enum vfnic_mbx_vf_state */
	bool trusted;		/* administrator's setting */
	u16 minor;		/* agreed protocol minor */
	u16 num_qp;		/* queue pairs granted by the administrator */
	u32 caps_offered;	/* VFNIC_MBX_CAP_* the PF offers */
	u32 caps;		/* granted in GET_RESOURCES */
	u32 qp_configured;	/* queue pairs set up by CONFIG_QUEUES */
	u32 rx_enabled;
	u32 tx_enabled;
	struct vfnic_mbx_rate rate;
	struct vfnic_mbx_abuse abuse;
	struct vfnic_mbx_vf_stats stats;
};

void vfnic_mbx_vf_init(struct vfnic_mbx_vf *vf, unsigned int num_qp,
		       u32 caps_offered, bool trusted);
void vfnic_mbx_vf_reset(struct vfnic_mbx_vf *vf);
void vfnic_mbx_vf_admin_reset(struct vfnic_mbx_vf *vf);
int vfnic_mbx_vf_allowed(const struct vfnic_mbx_vf *vf,
			 const struct vfnic_mbx_msg *msg);
void vfnic_mbx_vf_apply(struct vfnic_mbx_vf *vf,
			const struct vfnic_mbx_msg *msg);
int vfnic_mbx_pf_check(struct vfnic_mbx_vf *vf,
		       const struct vfnic_mbx_policy *pol,
		       const struct vfnic_mbx_msg *msg, size_t size,
		       u64 now_ns);

static inline u32 vfnic_mbx_caps_grant(const struct vfnic_mbx_vf *vf,
				       u32 asked)
{
	return vf->caps_offered & asked & VFNIC_MBX_CAP_ALL;
}

bool vfnic_mbx_err_is_malformed(int err);
bool vfnic_mbx_rate_allow(struct vfnic_mbx_rate *r,
			  const struct vfnic_mbx_policy *pol, u64 now_ns);
bool vfnic_mbx_abuse_note(struct vfnic_mbx_abuse *a,
			  const struct vfnic_mbx_policy *pol, u64 now_ns);

#ifdef __cplusplus
}
#endif

#endif /* VFNIC_MBX_H */
