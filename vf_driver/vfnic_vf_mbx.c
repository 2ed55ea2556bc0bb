/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net_vfnic_vf: requests to the PF over the mailbox (docs/mailbox.md).
 *
 * Transport, encoding and validation are mailbox/'s, compiled unchanged into
 * this driver; here are the VF's policy: one request at a time under
 * mbx_lock, bounded polling waits, events that arrive while waiting for a
 * reply handed to vfnic_vf_handle_event(), and the mapping of the PF's
 * status codes to errno values for the ethdev API.
 */
#include <errno.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ether.h>
#include <rte_log.h>

#include "vfnic_mbx.h"
#include "vfnic_vf.h"

static u32
mbx_read(void *ctx, u32 off)
{
	return vfnic_rd32(ctx, off);
}

static void
mbx_write(void *ctx, u32 off, u32 val)
{
	vfnic_wr32(ctx, off, val);
}

void
vfnic_vf_mbx_init(struct vfnic_vf_adapter *ad)
{
	ad->io.read = mbx_read;
	ad->io.write = mbx_write;
	ad->io.ctx = ad;
	ad->io.base = VFNIC_MBX_VF_BASE;
	/*
	 * mbx_lock is not initialised here: this runs again on every port
	 * reset, possibly in the interrupt thread while a control thread
	 * holds it. The adapter is zeroed at probe, and zero is unlocked.
	 */
}

/* cycles * 1000 would wrap after some 70 days of uptime at 3 GHz */
static uint64_t
now_ms(void)
{
	return rte_get_timer_cycles() / RTE_MAX(rte_get_timer_hz() / 1000, 1ULL);
}

static int
to_errno(int err)
{
	switch (-err) {
	case VFNIC_MBX_OK:
		return 0;
	case VFNIC_MBX_E_PERM:
		return -EPERM;
	case VFNIC_MBX_E_NOTSUP:
		return -ENOTSUP;
	case VFNIC_MBX_E_NOSPC:
		return -ENOSPC;
	case VFNIC_MBX_E_RANGE:
	case VFNIC_MBX_E_COUNT:
		return -EINVAL;
	case VFNIC_MBX_E_STATE:
	case VFNIC_MBX_E_BUSY:
	case VFNIC_MBX_E_RATE:
		return -EBUSY;
	case VFNIC_MBX_E_TIMEOUT:
		return -ETIMEDOUT;
	case VFNIC_MBX_E_NOT_READY:
		return -EAGAIN;
	default:
		return -EIO;
	}
}

int
vfnic_vf_mbx_wait_ready(struct vfnic_vf_adapter *ad, unsigned int ms)
{
	uint64_t end = now_ms() + ms;

	while (!vfnic_mbx_vf_pf_ready(&ad->io)) {
		if (now_ms() > end)
			return -ETIMEDOUT;
		rte_delay_us_sleep(1000);
	}
	return 0;
}

/* Take one message from PF2VF if there is one; events are dispatched. */
static int
recv_one(struct vfnic_vf_adapter *ad, struct vfnic_mbx_msg *msg)
{
	int size, err;

	size = vfnic_mbx_vf_recv(&ad->io, msg);
	if (size < 0)
		return size;
	err = vfnic_mbx_validate(msg, size);
	if (err) {
		PMD_DRV_LOG(ERR, "invalid message from the PF: opcode %u: %s",
			    msg->hdr.opcode, vfnic_mbx_strerror(err));
		return err;
	}
	if (msg->hdr.flags == VFNIC_MBX_F_EVENT) {
		vfnic_vf_handle_event(ad, msg);
		return -VFNIC_MBX_E_NOMSG;
	}
	return 0;
}

/* Send @req and wait for its reply in @reply. Under mbx_lock. */
static int
request_locked(struct vfnic_vf_adapter *ad, struct vfnic_mbx_msg *req,
	       struct vfnic_mbx_msg *reply)
{
	const char *name = vfnic_mbx_op_name(req->hdr.opcode);
	uint64_t end;
	int err;

	/*
	 * Numbered here, under the lock: the interrupt thread and the control
	 * path both send, and two requests with one number would let a late
	 * reply to the first answer the second.
	 */
	req->hdr.seq = ad->seq++;
	err = vfnic_mbx_validate(req, vfnic_mbx_size(req));
	if (err) {
		PMD_DRV_LOG(ERR, "%s: request invalid: %s", name,
			    vfnic_mbx_strerror(err));
		return to_errno(err);
	}
	end = now_ms() + VFNIC_VF_REQ_WAIT_MS;
	while ((err = vfnic_mbx_vf_send(&ad->io, req)) == -VFNIC_MBX_E_BUSY) {
		if (now_ms() > end)
			break;
		rte_delay_us_block(VFNIC_VF_POLL_US);
	}
	if (err)
		goto out;
	end = now_ms() + VFNIC_VF_REPLY_WAIT_MS;
	for (;;) {
		err = recv_one(ad, reply);
		if (err == 0) {
			err = vfnic_mbx_check_reply(req, reply);
			if (err != -VFNIC_MBX_E_SEQ)
				break;
			PMD_DRV_LOG(WARNING, "%s: stale reply opcode %u seq %u",
				    name, reply->hdr.opcode, reply->hdr.seq);
			continue;
		}
		if (err != -VFNIC_MBX_E_NOMSG)
			break;
		if (!vfnic_mbx_vf_pf_ready(&ad->io)) {
			err = -VFNIC_MBX_E_NOT_READY;
			break;
		}
		if (now_ms() > end) {
			err = -VFNIC_MBX_E_TIMEOUT;
			break;
		}
		rte_delay_us_block(VFNIC_VF_POLL_US);
	}
out:
	if (err)
		PMD_DRV_LOG(ERR, "%s: %s", name, vfnic_mbx_strerror(err));
	return to_errno(err);
}

/*
 * Most replies carry only their status, which request_locked() turns into
 * the return value: those callers pass a NULL @reply.
 */
static int
request(struct vfnic_vf_adapter *ad, struct vfnic_mbx_msg *req,
	struct vfnic_mbx_msg *reply)
{
	struct vfnic_mbx_msg status_only;
	int err;

	if (reply == NULL)
		reply = &status_only;
	memset(reply, 0, sizeof(*reply));
	rte_spinlock_lock(&ad->mbx_lock);
	err = request_locked(ad, req, reply);
	rte_spinlock_unlock(&ad->mbx_lock);
	return err;
}

static void
init_req(struct vfnic_mbx_msg *m, unsigned int op)
{
	memset(m, 0, sizeof(*m));
	vfnic_mbx_init_req(m, op, 0);	/* request_locked() numbers it */
}

int
vfnic_vf_mbx_get_resources(struct vfnic_vf_adapter *ad)
{
	struct vfnic_mbx_msg req, reply;
	int err;

	init_req(&req, VFNIC_MBX_OP_GET_RESOURCES);
	req.payload.caps.caps = VFNIC_MBX_CAP_ALL;
	err = request(ad, &req, &reply);
	if (err)
		return err;
	ad->res = reply.payload.resources;
	ad->num_qp = RTE_MIN(ad->res.num_qp, VFNIC_VF_MAX_QP);
	memcpy(ad->mac.addr_bytes, ad->res.mac, RTE_ETHER_ADDR_LEN);
	return 0;
}

/* VERSION then GET_RESOURCES, once PF_READY is up. */
int
vfnic_vf_mbx_negotiate(struct vfnic_vf_adapter *ad)
{
	struct vfnic_mbx_msg req, reply;
	int err;

	err = vfnic_vf_mbx_wait_ready(ad, VFNIC_VF_READY_WAIT_MS);
	if (err) {
		PMD_DRV_LOG(ERR, "PF_READY not set after %u ms: is vfnic_pf loaded?",
			    VFNIC_VF_READY_WAIT_MS);
		return err;
	}
	init_req(&req, VFNIC_MBX_OP_VERSION);
	req.payload.version.major = VFNIC_MBX_VERSION_MAJOR;
	req.payload.version.minor = VFNIC_MBX_VERSION_MINOR;
	err = request(ad, &req, &reply);
	if (err) {
		if (reply.hdr.status == VFNIC_MBX_E_VERSION)
			PMD_DRV_LOG(ERR, "PF speaks mailbox %u.%u, we %u.%u",
				    reply.payload.version.major,
				    reply.payload.version.minor,
				    VFNIC_MBX_VERSION_MAJOR,
				    VFNIC_MBX_VERSION_MINOR);
		return err;
	}
	return vfnic_vf_mbx_get_resources(ad);
}

int
vfnic_vf_mbx_reset_vf(struct vfnic_vf_adapter *ad)
{
	struct vfnic_mbx_msg req;

	init_req(&req, VFNIC_MBX_OP_RESET_VF);
	return request(ad, &req, NULL);
}

int
vfnic_vf_mbx_config_queues(struct vfnic_vf_adapter *ad,
			   const struct vfnic_mbx_qp_cfg *qp, uint16_t count)
{
	struct vfnic_mbx_msg req;

	init_req(&req, VFNIC_MBX_OP_CONFIG_QUEUES);
	vfnic_mbx_set_count(&req, count);
	memcpy(req.payload.qp_cfg.qp, qp, count * sizeof(*qp));
	return request(ad, &req, NULL);
}

int
vfnic_vf_mbx_queues(struct vfnic_vf_adapter *ad, bool enable,
		    uint32_t rx_mask, uint32_t tx_mask)
{
	struct vfnic_mbx_msg req;

	init_req(&req, enable ? VFNIC_MBX_OP_ENABLE_QUEUES :
				VFNIC_MBX_OP_DISABLE_QUEUES);
	req.payload.queues.rx_mask = rx_mask;
	req.payload.queues.tx_mask = tx_mask;
	return request(ad, &req, NULL);
}

/* Up to VFNIC_MBX_MAX_MACS addresses in one request: all or none added. */
int
vfnic_vf_mbx_macs(struct vfnic_vf_adapter *ad, bool add,
		  const struct rte_ether_addr *mac, unsigned int n)
{
	struct vfnic_mbx_msg req;
	unsigned int i;

	init_req(&req, add ? VFNIC_MBX_OP_ADD_MAC : VFNIC_MBX_OP_DEL_MAC);
	vfnic_mbx_set_count(&req, n);
	for (i = 0; i < n && i < VFNIC_MBX_MAX_MACS; i++)
		memcpy(req.payload.macs.mac[i].addr, mac[i].addr_bytes,
		       RTE_ETHER_ADDR_LEN);
	return request(ad, &req, NULL);
}

int
vfnic_vf_mbx_mac(struct vfnic_vf_adapter *ad, bool add,
		 const struct rte_ether_addr *mac)
{
	return vfnic_vf_mbx_macs(ad, add, mac, 1);
}

/* Up to VFNIC_MBX_MAX_VLANS VLAN IDs in one request. */
int
vfnic_vf_mbx_vlans(struct vfnic_vf_adapter *ad, bool add,
		   const uint16_t *vid, unsigned int n)
{
	struct vfnic_mbx_msg req;

	init_req(&req, add ? VFNIC_MBX_OP_ADD_VLAN : VFNIC_MBX_OP_DEL_VLAN);
	vfnic_mbx_set_count(&req, n);
	memcpy(req.payload.vlans.vid, vid, n * sizeof(*vid));
	return request(ad, &req, NULL);
}

int
vfnic_vf_mbx_vlan(struct vfnic_vf_adapter *ad, bool add, uint16_t vid)
{
	return vfnic_vf_mbx_vlans(ad, add, &vid, 1);
}

int
vfnic_vf_mbx_promisc(struct vfnic_vf_adapter *ad, uint32_t flags)
{
	struct vfnic_mbx_msg req;

	init_req(&req, VFNIC_MBX_OP_SET_PROMISC);
	req.payload.promisc.flags = flags;
	return request(ad, &req, NULL);
}

int
vfnic_vf_mbx_mtu(struct vfnic_vf_adapter *ad, uint16_t mtu)
{
	struct vfnic_mbx_msg req;

	init_req(&req, VFNIC_MBX_OP_SET_MTU);
	req.payload.mtu.mtu = mtu;
	return request(ad, &req, NULL);
}

/* SET_RSS_KEY, SET_RSS_LUT, SET_RSS_HASH from the adapter's copy. */
int
vfnic_vf_mbx_rss(struct vfnic_vf_adapter *ad)
{
	struct vfnic_mbx_msg req;
	int err;

	init_req(&req, VFNIC_MBX_OP_SET_RSS_KEY);
	memcpy(req.payload.rss_key.key, ad->rss_key, VFNIC_RSS_KEY_SIZE);
	err = request(ad, &req, NULL);
	if (err)
		return err;
	init_req(&req, VFNIC_MBX_OP_SET_RSS_LUT);
	memcpy(req.payload.rss_lut.lut, ad->rss_lut, VFNIC_RSS_RETA_SIZE);
	err = request(ad, &req, NULL);
	if (err)
		return err;
	init_req(&req, VFNIC_MBX_OP_SET_RSS_HASH);
	req.payload.rss_hash.hash = ad->rss_hash;
	return request(ad, &req, NULL);
}

int
vfnic_vf_mbx_get_link(struct vfnic_vf_adapter *ad, bool *up, uint32_t *speed)
{
	struct vfnic_mbx_msg req, reply;
	int err;

	init_req(&req, VFNIC_MBX_OP_GET_LINK);
	err = request(ad, &req, &reply);
	if (err)
		return err;
	*up = reply.payload.link.link_up;
	*speed = reply.payload.link.speed_mbps;
	return 0;
}

/* Events that arrive outside a request: from the misc vector or alarm. */
void
vfnic_vf_mbx_poll_events(struct vfnic_vf_adapter *ad)
{
	struct vfnic_mbx_msg msg;
	int err;

	if (!rte_spinlock_trylock(&ad->mbx_lock))
		return;		/* the requester dispatches them */
	do {
		err = recv_one(ad, &msg);
		if (err == 0)
			PMD_DRV_LOG(WARNING, "reply opcode %u seq %u with no request",
				    msg.hdr.opcode, msg.hdr.seq);
	} while (err != -VFNIC_MBX_E_NOMSG);
	rte_spinlock_unlock(&ad->mbx_lock);
}
