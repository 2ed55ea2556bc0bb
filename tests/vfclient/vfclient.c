// SPDX-License-Identifier: (GPL-2.0-only OR BSD-3-Clause)
/*
 * vfclient: a test VF driver in userspace. It opens one vfnic VF through
 * VFIO (the VF bound to vfio-pci), maps its BAR0 and speaks the mailbox
 * protocol of docs/mailbox.md with the mailbox/ code compiled unchanged,
 * so in-guest tests can send good and malformed messages to vfnic_pf;
 * vfclient_dma.c drives the VF's rings directly (frames, hostile DMA).
 *
 *   vfclient BDF COMMAND [ARGS] [COMMAND [ARGS]]...
 *
 * Commands run in order in one process: opening the VF makes vfio-pci
 * reset it (FLR), so the PF forgets a negotiation when the process ends.
 * Every reply, event and error is printed as one line; the exit status is
 * 0 when every command succeeded, 1 otherwise, 2 on usage errors.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <linux/pci_regs.h>
#include <linux/vfio.h>

#include "vfclient.h"

void out(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "vfclient: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

u64 now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

u32 reg_read(void *ctx, u32 off)
{
	struct client *c = ctx;
	u32 v;

	if (c->bar) {
		v = *(volatile u32 *)(c->bar + off);
		__sync_synchronize();
		return v;
	}
	if (pread(c->device, &v, 4, c->bar_off + off) != 4)
		die("BAR0 read at 0x%x: %s", off, strerror(errno));
	return v;
}

void reg_write(void *ctx, u32 off, u32 val)
{
	struct client *c = ctx;

	if (c->bar) {
		__sync_synchronize();	/* buffer before doorbell */
		*(volatile u32 *)(c->bar + off) = val;
		return;
	}
	if (pwrite(c->device, &val, 4, c->bar_off + off) != 4)
		die("BAR0 write at 0x%x: %s", off, strerror(errno));
}

static void vfio_open(struct client *c)
{
	struct vfio_group_status gs = { .argsz = sizeof(gs) };
	struct vfio_region_info ri = { .argsz = sizeof(ri) };
	struct vfio_iommu_type1_dma_map map = { .argsz = sizeof(map) };
	char path[PATH_MAX + 16], link[PATH_MAX], *g;
	u16 cmd;
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group",
		 c->bdf);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		die("%s: %s (is the VF there, with an IOMMU?)", path,
		    strerror(errno));
	link[n] = 0;
	g = strrchr(link, '/');
	snprintf(path, sizeof(path), "/dev/vfio/%s", g ? g + 1 : link);

	c->container = open("/dev/vfio/vfio", O_RDWR);
	if (c->container < 0)
		die("/dev/vfio/vfio: %s", strerror(errno));
	if (ioctl(c->container, VFIO_GET_API_VERSION) != VFIO_API_VERSION ||
	    !ioctl(c->container, VFIO_CHECK_EXTENSION, VFIO_TYPE1_IOMMU))
		die("VFIO: no type1 IOMMU support");
	c->group = open(path, O_RDWR);
	if (c->group < 0)
		die("%s: %s (is %s bound to vfio-pci?)", path, strerror(errno),
		    c->bdf);
	if (ioctl(c->group, VFIO_GROUP_GET_STATUS, &gs) ||
	    !(gs.flags & VFIO_GROUP_FLAGS_VIABLE))
		die("%s: group not viable (all its devices must be bound to vfio-pci)",
		    path);
	if (ioctl(c->group, VFIO_GROUP_SET_CONTAINER, &c->container) ||
	    ioctl(c->container, VFIO_SET_IOMMU, VFIO_TYPE1_IOMMU))
		die("%s: cannot set up the container: %s", path,
		    strerror(errno));
	c->device = ioctl(c->group, VFIO_GROUP_GET_DEVICE_FD, c->bdf);
	if (c->device < 0)
		die("%s: cannot get the device: %s", c->bdf, strerror(errno));

	ri.index = VFIO_PCI_CONFIG_REGION_INDEX;
	if (ioctl(c->device, VFIO_DEVICE_GET_REGION_INFO, &ri))
		die("config region: %s", strerror(errno));
	c->cfg_off = ri.offset;
	ri.argsz = sizeof(ri);
	ri.index = VFIO_PCI_BAR0_REGION_INDEX;
	if (ioctl(c->device, VFIO_DEVICE_GET_REGION_INFO, &ri))
		die("BAR0 region: %s", strerror(errno));
	if (ri.size < VFNIC_VF_BAR0_SIZE)
		die("BAR0 is %llu bytes, expected %u", (unsigned long long)ri.size,
		    VFNIC_VF_BAR0_SIZE);
	c->bar_off = ri.offset;
	if (ri.flags & VFIO_REGION_INFO_FLAG_MMAP) {
		void *p = mmap(NULL, VFNIC_VF_BAR0_SIZE, PROT_READ | PROT_WRITE,
			       MAP_SHARED, c->device, ri.offset);

		if (p != MAP_FAILED)
			c->bar = p;
	}

	/* memory decoding and bus mastering, for the rings */
	if (pread(c->device, &cmd, 2, c->cfg_off + PCI_COMMAND) != 2)
		die("config read: %s", strerror(errno));
	cmd |= PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
	if (pwrite(c->device, &cmd, 2, c->cfg_off + PCI_COMMAND) != 2)
		die("config write: %s", strerror(errno));

	c->dma = mmap(NULL, DMA_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (c->dma == MAP_FAILED)
		die("DMA buffer: %s", strerror(errno));
	memset(c->dma, 0, DMA_SIZE);
	map.vaddr = (uintptr_t)c->dma;
	map.iova = DMA_IOVA;
	map.size = DMA_SIZE;
	map.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE;
	if (ioctl(c->container, VFIO_IOMMU_MAP_DMA, &map))
		die("VFIO_IOMMU_MAP_DMA: %s", strerror(errno));

	c->io.read = reg_read;
	c->io.write = reg_write;
	c->io.ctx = c;
	c->io.base = VFNIC_MBX_VF_BASE;
	c->seq = 1;
}

static const char *status_name(int err)
{
	static const char *const names[VFNIC_MBX_E_NR] = {
		"OK", "E_HDR", "E_OPCODE", "E_LEN", "E_COUNT", "E_RANGE",
		"E_STATE", "E_PERM", "E_NOTSUP", "E_VERSION", "E_RATE",
		"E_DISABLED", "E_NOSPC", "E_FAILED", "E_BUSY", "E_NOMSG",
		"E_NOT_READY", "E_SEQ", "E_TIMEOUT",
	};
	unsigned int e = err < 0 ? -err : err;

	return e < VFNIC_MBX_E_NR ? names[e] : "E_UNKNOWN";
}

static void print_event(const struct vfnic_mbx_msg *m)
{
	switch (m->hdr.opcode) {
	case VFNIC_MBX_EV_LINK_CHANGE:
		out("event LINK_CHANGE link_up=%u speed=%u",
		    m->payload.link.link_up, m->payload.link.speed_mbps);
		break;
	case VFNIC_MBX_EV_CONFIG_CHANGED:
		out("event CONFIG_CHANGED changed=0x%x",
		    m->payload.changed.changed);
		break;
	default:
		out("event %s", vfnic_mbx_op_name(m->hdr.opcode));
	}
}

static int wait_ready(struct client *c, unsigned int ms)
{
	u64 end = now_ms() + ms;

	while (!vfnic_mbx_vf_pf_ready(&c->io)) {
		if (now_ms() > end)
			return -VFNIC_MBX_E_NOT_READY;
		usleep(1000);
	}
	return 0;
}

/*
 * Receive one message within @ms. Events are printed and, with
 * @want_reply, skipped. Returns the size received or a negative code.
 */
static int recv_msg(struct client *c, struct vfnic_mbx_msg *m,
		    unsigned int ms, bool want_reply)
{
	u64 end = now_ms() + ms;
	int size, err;

	for (;;) {
		size = vfnic_mbx_vf_recv(&c->io, m);
		if (size >= 0) {
			err = vfnic_mbx_validate(m, size);
			if (err)
				out("invalid message from the PF: opcode %u: %s",
				    m->hdr.opcode, vfnic_mbx_strerror(err));
			if (m->hdr.flags == VFNIC_MBX_F_EVENT) {
				print_event(m);
				if (want_reply)
					continue;
			}
			return size;
		}
		if (now_ms() > end)
			return -VFNIC_MBX_E_TIMEOUT;
		usleep(500);
	}
}

/* Post raw bytes (not validated) once REQ is clear. */
static int post(struct client *c, const struct vfnic_mbx_msg *m,
		unsigned int size)
{
	const u8 *p = (const u8 *)m;
	u64 end = now_ms() + 100;
	unsigned int i;
	int err;

	err = wait_ready(c, 2000);
	if (err)
		return err;
	while ((err = vfnic_mbx_vf_req_done(&c->io)) == -VFNIC_MBX_E_BUSY) {
		if (now_ms() > end)
			return -VFNIC_MBX_E_TIMEOUT;
		usleep(500);
	}
	if (err)
		return err;
	for (i = 0; i < size; i += 4)
		reg_write(c, VFNIC_MBX_VF2PF + i, p[i] | p[i + 1] << 8 |
			  p[i + 2] << 16 | (u32)p[i + 3] << 24);
	reg_write(c, VFNIC_MBX_CTRL, VFNIC_MBX_REQ);
	return 0;
}

/* Send @req, wait for its reply. Returns the PF's status (<= 0). */
static int request(struct client *c, struct vfnic_mbx_msg *req,
		   struct vfnic_mbx_msg *reply, bool validate)
{
	int err;

	if (validate) {
		err = vfnic_mbx_validate(req, vfnic_mbx_size(req));
		if (err)
			die("%s: the request itself is invalid: %s",
			    vfnic_mbx_op_name(req->hdr.opcode),
			    vfnic_mbx_strerror(err));
	}
	err = post(c, req, vfnic_mbx_size(req));
	if (err)
		return err;
	for (;;) {
		err = recv_msg(c, reply, 1000, true);
		if (err < 0)
			return err;
		err = vfnic_mbx_check_reply(req, reply);
		if (err != -VFNIC_MBX_E_SEQ)
			return err;
		out("unexpected reply: opcode %u seq %u", reply->hdr.opcode,
		    reply->hdr.seq);
	}
}

static int do_req(struct client *c, struct vfnic_mbx_msg *req,
		  struct vfnic_mbx_msg *reply)
{
	int err = request(c, req, reply, true);

	out("reply %s status=%s", vfnic_mbx_op_name(req->hdr.opcode),
	    status_name(err));
	if (err)
		c->failed = 1;
	return err;
}

static void init_req(struct client *c, struct vfnic_mbx_msg *m,
		     unsigned int op)
{
	vfnic_mbx_init_req(m, op, c->seq++);
}

void parse_mac(const char *s, u8 *mac)
{
	unsigned int b[6], i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3],
		   &b[4], &b[5]) != 6)
		die("%s: not a MAC address", s);
	for (i = 0; i < 6; i++)
		mac[i] = b[i];
}

static void cmd_version(struct client *c, unsigned int major,
			unsigned int minor)
{
	struct vfnic_mbx_msg req, reply;

	init_req(c, &req, VFNIC_MBX_OP_VERSION);
	req.payload.version.major = major;
	req.payload.version.minor = minor;
	if (!do_req(c, &req, &reply) || reply.hdr.len)
		out("version pf=%u.%u", reply.payload.version.major,
		    reply.payload.version.minor);
}

static void cmd_resources(struct client *c, u32 caps)
{
	struct vfnic_mbx_msg req, reply;
	const struct vfnic_mbx_resources *r = &reply.payload.resources;

	init_req(c, &req, VFNIC_MBX_OP_GET_RESOURCES);
	req.payload.caps.caps = caps;
	if (do_req(c, &req, &reply))
		return;
	c->num_qp = r->num_qp;
	out("resources caps=0x%x flags=0x%x num_qp=%u num_vectors=%u max_mtu=%u max_macs=%u max_vlans=%u mac=%02x:%02x:%02x:%02x:%02x:%02x",
	    r->caps, r->flags, r->num_qp, r->num_vectors, r->max_mtu,
	    r->max_macs, r->max_vlans, r->mac[0], r->mac[1], r->mac[2],
	    r->mac[3], r->mac[4], r->mac[5]);
}

/* Program qp 0's rings in our own BAR (the VF owns them), tell the PF. */
static void cmd_config_queues(struct client *c)
{
	struct vfnic_mbx_msg req, reply;
	struct vfnic_mbx_qp_cfg *q = &req.payload.qp_cfg.qp[0];
	u64 rx = DMA_IOVA + DMA_RX_RING, tx = DMA_IOVA + DMA_TX_RING;

	reg_write(c, VFNIC_QP_REG(0, VFNIC_RXQ_CTRL), 0);
	reg_write(c, VFNIC_QP_REG(0, VFNIC_TXQ_CTRL), 0);
	reg_write(c, VFNIC_QP_REG(0, VFNIC_RXQ_BASE_LO), (u32)rx);
	reg_write(c, VFNIC_QP_REG(0, VFNIC_RXQ_BASE_HI), rx >> 32);
	reg_write(c, VFNIC_QP_REG(0, VFNIC_RXQ_LEN), RING_LEN);
	reg_write(c, VFNIC_QP_REG(0, VFNIC_RXQ_BUF_SIZE), RX_BUF);
	reg_write(c, VFNIC_QP_REG(0, VFNIC_TXQ_BASE_LO), (u32)tx);
	reg_write(c, VFNIC_QP_REG(0, VFNIC_TXQ_BASE_HI), tx >> 32);
	reg_write(c, VFNIC_QP_REG(0, VFNIC_TXQ_LEN), RING_LEN);

	init_req(c, &req, VFNIC_MBX_OP_CONFIG_QUEUES);
	vfnic_mbx_set_count(&req, 1);
	q->rx_ring_dma = rx;
	q->tx_ring_dma = tx;
	q->qp_id = 0;
	q->rx_ring_len = RING_LEN;
	q->tx_ring_len = RING_LEN;
	q->rx_buf_size = RX_BUF;
	do_req(c, &req, &reply);
}

static void cmd_queues(struct client *c, unsigned int op)
{
	struct vfnic_mbx_msg req, reply;

	init_req(c, &req, op);
	req.payload.queues.rx_mask = 1;
	req.payload.queues.tx_mask = 1;
	do_req(c, &req, &reply);
}

/* s: MAC[,MAC...], one request */
static void cmd_mac(struct client *c, unsigned int op, const char *s)
{
	struct vfnic_mbx_msg req, reply;
	unsigned int n = 0;

	init_req(c, &req, op);
	for (;;) {
		if (n == VFNIC_MBX_MAX_MACS)
			die("%s: more than %d MAC addresses", s,
			    VFNIC_MBX_MAX_MACS);
		parse_mac(s, req.payload.macs.mac[n++].addr);
		s = strchr(s, ',');
		if (!s)
			break;
		s++;
	}
	vfnic_mbx_set_count(&req, n);
	do_req(c, &req, &reply);
}

static void cmd_vlan(struct client *c, unsigned int op, unsigned int vid)
{
	struct vfnic_mbx_msg req, reply;

	init_req(c, &req, op);
	vfnic_mbx_set_count(&req, 1);
	req.payload.vlans.vid[0] = vid;
	do_req(c, &req, &reply);
}

static void cmd_u32(struct client *c, unsigned int op, u32 v)
{
	struct vfnic_mbx_msg req, reply;

	init_req(c, &req, op);
	if (op == VFNIC_MBX_OP_SET_MTU)
		req.payload.mtu.mtu = v;
	else
		req.payload.promisc.flags = v;
	do_req(c, &req, &reply);
}

static void cmd_simple(struct client *c, unsigned int op)
{
	struct vfnic_mbx_msg req, reply;

	init_req(c, &req, op);
	if (do_req(c, &req, &reply))
		return;
	if (op == VFNIC_MBX_OP_GET_LINK)
		out("link up=%u speed=%u", reply.payload.link.link_up,
		    reply.payload.link.speed_mbps);
	else if (op == VFNIC_MBX_OP_GET_STATS)
		out("stats rx_pkts=%llu tx_pkts=%llu tx_spoof=%llu tx_drop=%llu",
		    (unsigned long long)reply.payload.stats.rx_pkts,
		    (unsigned long long)reply.payload.stats.tx_pkts,
		    (unsigned long long)reply.payload.stats.tx_spoof,
		    (unsigned long long)reply.payload.stats.tx_drop);
}

/* send-raw HEX: the bytes as they are, no validation; report the answer. */
static int send_raw(struct client *c, const char *hex, bool quiet)
{
	struct vfnic_mbx_msg m, reply;
	unsigned int n = 0, b;
	int err;

	memset(&m, 0, sizeof(m));
	while (hex[0] && hex[1] && n < sizeof(m)) {
		if (sscanf(hex, "%2x", &b) != 1)
			die("send-raw: %s is not hex", hex);
		((u8 *)&m)[n++] = b;
		hex += 2;
	}
	if (n < VFNIC_MBX_HDR_SIZE)
		die("send-raw: need at least the %d header bytes",
		    VFNIC_MBX_HDR_SIZE);
	err = post(c, &m, (n + 3) & ~3u);
	if (!err) {
		err = recv_msg(c, &reply, quiet ? 300 : 1000, true);
		if (err >= 0)
			err = reply.hdr.flags == VFNIC_MBX_F_REPLY ?
			      -(int)reply.hdr.status : -VFNIC_MBX_E_SEQ;
	}
	if (!quiet)
		out("raw reply status=%s", err == -VFNIC_MBX_E_TIMEOUT ?
		    "none" : status_name(err));
	return err;
}

/* flood N: N malformed messages (unknown opcode); count the answers. */
static void cmd_flood(struct client *c, unsigned int count)
{
	unsigned int i, replied = 0, none = 0, other = 0;
	char hex[32];

	for (i = 0; i < count; i++) {
		int err;

		snprintf(hex, sizeof(hex), "ee01000000000000");
		hex[8] = "0123456789abcdef"[(c->seq >> 4) & 0xf];
		hex[9] = "0123456789abcdef"[c->seq++ & 0xf];
		err = send_raw(c, hex, true);
		if (err == -VFNIC_MBX_E_TIMEOUT)
			none++;
		else if (err == -VFNIC_MBX_E_OPCODE)
			replied++;
		else
			other++;
	}
	out("flood sent=%u refused=%u no_reply=%u other=%u", count, replied,
	    none, other);
}

/* burst N: N GET_LINK requests back to back; count OK and E_RATE. */
static void cmd_burst(struct client *c, unsigned int count)
{
	unsigned int i, ok = 0, limited = 0, other = 0;
	struct vfnic_mbx_msg req, reply;

	for (i = 0; i < count; i++) {
		int err;

		init_req(c, &req, VFNIC_MBX_OP_GET_LINK);
		err = request(c, &req, &reply, true);
		if (!err)
			ok++;
		else if (err == -VFNIC_MBX_E_RATE)
			limited++;
		else
			other++;
	}
	out("burst sent=%u ok=%u rate_limited=%u other=%u", count, ok, limited,
	    other);
	if (other)
		c->failed = 1;
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/*
 * latency N: N GET_LINK round trips, each timed from posting the request to
 * reading the reply, paced below the PF's sustained message rate (200/s in
 * VFNIC_MBX_POLICY_DEFAULT) so that no request is rate limited.
 */
static void cmd_latency(struct client *c, unsigned int count)
{
	struct vfnic_mbx_msg req, reply;
	struct timespec t0, t1;
	unsigned int i, n = 0, failed = 0;
	u64 *ns;

	if (!count)
		die("latency: need at least one request");
	ns = calloc(count, sizeof(*ns));
	if (!ns)
		die("latency: out of memory");
	for (i = 0; i < count; i++) {
		init_req(c, &req, VFNIC_MBX_OP_GET_LINK);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (request(c, &req, &reply, true)) {
			failed++;
		} else {
			clock_gettime(CLOCK_MONOTONIC, &t1);
			ns[n++] = (u64)(t1.tv_sec - t0.tv_sec) * 1000000000ull +
				  t1.tv_nsec - t0.tv_nsec;
		}
		usleep(6000);
	}
	if (!n) {
		out("latency sent=%u ok=0 failed=%u", count, failed);
		c->failed = 1;
		free(ns);
		return;
	}
	qsort(ns, n, sizeof(*ns), cmp_u64);
	out("latency sent=%u ok=%u failed=%u min_us=%.1f median_us=%.1f p99_us=%.1f max_us=%.1f",
	    count, n, failed, ns[0] / 1e3, ns[n / 2] / 1e3,
	    ns[(n * 99 + 99) / 100 - 1] / 1e3, ns[n - 1] / 1e3);
	if (failed)
		c->failed = 1;
	free(ns);
}

/*
 * stall: a VF that never takes its replies. GET_LINK requests are posted
 * and no reply is read: the PF takes the first (its reply fills PF2VF),
 * takes the second (its reply waits in the PF's outbox), and leaves the
 * third in VF2PF with REQ set. Each request gets 5 s to be taken.
 */
static void cmd_stall(struct client *c)
{
	struct vfnic_mbx_msg req;
	unsigned int taken = 0;
	u32 ctrl;
	u64 end;
	int err;

	while (taken < 6) {
		init_req(c, &req, VFNIC_MBX_OP_GET_LINK);
		err = post(c, &req, vfnic_mbx_size(&req));
		if (err)
			break;
		end = now_ms() + 5000;
		while ((reg_read(c, VFNIC_MBX_CTRL) & VFNIC_MBX_REQ) &&
		       now_ms() < end)
			usleep(1000);
		if (reg_read(c, VFNIC_MBX_CTRL) & VFNIC_MBX_REQ)
			break;
		taken++;
	}
	ctrl = reg_read(c, VFNIC_MBX_CTRL);
	out("stall taken=%u req=%u pfmsg=%u", taken, !!(ctrl & VFNIC_MBX_REQ),
	    !!(ctrl & VFNIC_MBX_PFMSG));
}

static void cmd_wait_event(struct client *c, unsigned int seconds)
{
	struct vfnic_mbx_msg m;
	int err = recv_msg(c, &m, seconds * 1000, false);

	if (err < 0) {
		out("no event within %us", seconds);
		c->failed = 1;
	} else if (m.hdr.flags != VFNIC_MBX_F_EVENT) {
		out("not an event: opcode %u flags 0x%x", m.hdr.opcode,
		    m.hdr.flags);
		c->failed = 1;
	}
}

static void cmd_show(struct client *c)
{
	out("regs fn_id=0x%x caps=0x%x status=0x%x mac_lo=0x%x mac_hi=0x%x mbx_ctrl=0x%x",
	    reg_read(c, VFNIC_FN_ID), reg_read(c, VFNIC_FN_CAPS),
	    reg_read(c, VFNIC_FN_STATUS), reg_read(c, VFNIC_FN_MAC_LO),
	    reg_read(c, VFNIC_FN_MAC_HI), reg_read(c, VFNIC_MBX_CTRL));
}

static void usage(void)
{
	fprintf(stderr,
		"usage: vfclient BDF COMMAND [ARGS] [COMMAND [ARGS]]...\n"
		"commands: wait-ready MS | version [MAJOR MINOR] | reset-vf |\n"
		"  get-resources [CAPS] | negotiate | config-queues |\n"
		"  enable-queues | disable-queues | add-mac MAC[,MAC...] |\n"
		"  del-mac MAC[,MAC...] | add-vlan VID | del-vlan VID |\n"
		"  promisc FLAGS | mtu N |\n"
		"  get-stats | get-link | send-raw HEX | flood N | burst N |\n"
		"  stall | wait-event SECONDS | latency N | sleep MS | show |\n"
		"  send-frame N [SRC_MAC|own [VID]] | recv-frames N MS |\n"
		"  tx-ring-at IOVA | rx-ring-at IOVA MS | tx-buf-at IOVA |\n"
		"  rx-buf-at IOVA MS | guard | check-guard | unmap-watch MS\n");
	exit(2);
}

unsigned long num_arg(char **argv, int i, int argc)
{
	char *end;
	unsigned long v;

	if (i >= argc)
		usage();
	v = strtoul(argv[i], &end, 0);
	if (*end)
		die("%s: not a number", argv[i]);
	return v;
}

int main(int argc, char **argv)
{
	struct client c = { 0 };
	int i;

	if (argc < 3)
		usage();
	c.bdf = argv[1];
	vfio_open(&c);
	for (i = 2; i < argc; i++) {
		const char *cmd = argv[i];

		if (!strcmp(cmd, "wait-ready")) {
			if (wait_ready(&c, num_arg(argv, ++i, argc))) {
				out("pf not ready");
				c.failed = 1;
			} else {
				out("pf ready");
			}
		} else if (!strcmp(cmd, "version")) {
			if (i + 2 < argc && argv[i + 1][0] >= '0' &&
			    argv[i + 1][0] <= '9') {
				unsigned int ma = num_arg(argv, ++i, argc);

				cmd_version(&c, ma, num_arg(argv, ++i, argc));
			} else {
				cmd_version(&c, VFNIC_MBX_VERSION_MAJOR,
					    VFNIC_MBX_VERSION_MINOR);
			}
		} else if (!strcmp(cmd, "negotiate")) {
			cmd_version(&c, VFNIC_MBX_VERSION_MAJOR,
				    VFNIC_MBX_VERSION_MINOR);
			cmd_resources(&c, VFNIC_MBX_CAP_ALL);
		} else if (!strcmp(cmd, "get-resources")) {
			cmd_resources(&c, i + 1 < argc && argv[i + 1][0] == '0' ?
				      num_arg(argv, ++i, argc) :
				      VFNIC_MBX_CAP_ALL);
		} else if (!strcmp(cmd, "reset-vf")) {
			cmd_simple(&c, VFNIC_MBX_OP_RESET_VF);
		} else if (!strcmp(cmd, "config-queues")) {
			cmd_config_queues(&c);
		} else if (!strcmp(cmd, "enable-queues")) {
			cmd_queues(&c, VFNIC_MBX_OP_ENABLE_QUEUES);
		} else if (!strcmp(cmd, "disable-queues")) {
			cmd_queues(&c, VFNIC_MBX_OP_DISABLE_QUEUES);
		} else if (!strcmp(cmd, "add-mac") || !strcmp(cmd, "del-mac")) {
			if (++i >= argc)
				usage();
			cmd_mac(&c, cmd[0] == 'a' ? VFNIC_MBX_OP_ADD_MAC :
				VFNIC_MBX_OP_DEL_MAC, argv[i]);
		} else if (!strcmp(cmd, "add-vlan") || !strcmp(cmd, "del-vlan")) {
			unsigned int vid = num_arg(argv, ++i, argc);

			cmd_vlan(&c, cmd[0] == 'a' ? VFNIC_MBX_OP_ADD_VLAN :
				 VFNIC_MBX_OP_DEL_VLAN, vid);
		} else if (!strcmp(cmd, "promisc")) {
			cmd_u32(&c, VFNIC_MBX_OP_SET_PROMISC,
				num_arg(argv, ++i, argc));
		} else if (!strcmp(cmd, "mtu")) {
			cmd_u32(&c, VFNIC_MBX_OP_SET_MTU, num_arg(argv, ++i, argc));
		} else if (!strcmp(cmd, "get-stats")) {
			cmd_simple(&c, VFNIC_MBX_OP_GET_STATS);
		} else if (!strcmp(cmd, "get-link")) {
			cmd_simple(&c, VFNIC_MBX_OP_GET_LINK);
		} else if (!strcmp(cmd, "send-raw")) {
			if (++i >= argc)
				usage();
			send_raw(&c, argv[i], false);
		} else if (!strcmp(cmd, "flood")) {
			cmd_flood(&c, num_arg(argv, ++i, argc));
		} else if (!strcmp(cmd, "burst")) {
			cmd_burst(&c, num_arg(argv, ++i, argc));
		} else if (!strcmp(cmd, "latency")) {
			cmd_latency(&c, num_arg(argv, ++i, argc));
		} else if (!strcmp(cmd, "stall")) {
			cmd_stall(&c);
		} else if (!strcmp(cmd, "wait-event")) {
			cmd_wait_event(&c, num_arg(argv, ++i, argc));
		} else if (!strcmp(cmd, "sleep")) {
			usleep(num_arg(argv, ++i, argc) * 1000);
		} else if (!strcmp(cmd, "show")) {
			cmd_show(&c);
		} else {
			int n = dma_command(&c, cmd, argc - i - 1, argv + i + 1);

			if (n < 0) {
				fprintf(stderr, "vfclient: unknown command %s\n",
					cmd);
				usage();
			}
			i += n;
		}
	}
	return c.failed;
}
