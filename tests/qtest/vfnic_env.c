// SPDX-License-Identifier: GPL-2.0-or-later
#include "vfnic_env.h"

#include <stdio.h>
#include <string.h>

#define ECAM_BASE	0xb0000000ULL
#define RP_DEVFN	(2 << 3)
#define RX_BUF_SIZE	2048

uint64_t env_ecam(int bus, int devfn, int reg)
{
	return ECAM_BASE + ((uint64_t)bus << 20) + ((uint64_t)devfn << 12) + reg;
}

uint32_t env_cfg_read(struct env *e, int bus, int devfn, int reg, int size)
{
	uint64_t a = env_ecam(bus, devfn, reg);

	return size == 4 ? qtest_readl(e->qt, a) :
	       size == 2 ? qtest_readw(e->qt, a) : qtest_readb(e->qt, a);
}

void env_cfg_write(struct env *e, int bus, int devfn, int reg, int size,
		   uint32_t val)
{
	uint64_t a = env_ecam(bus, devfn, reg);

	if (size == 4)
		qtest_writel(e->qt, a, val);
	else if (size == 2)
		qtest_writew(e->qt, a, val);
	else
		qtest_writeb(e->qt, a, val);
}

static void cfg_bar64(struct env *e, int devfn, int reg, uint64_t addr)
{
	env_cfg_write(e, ENV_PF_BUS, devfn, reg, 4, (uint32_t)addr);
	env_cfg_write(e, ENV_PF_BUS, devfn, reg + 4, 4, addr >> 32);
}

int env_boot(struct env *e, const char *vfnic_opts, const char *extra)
{
	char args[1024];

	snprintf(args, sizeof(args),
		 "-device pcie-root-port,id=rp1,bus=pcie.0,chassis=1,slot=1,"
		 "addr=0x2 -netdev hubport,id=up,hubid=0 "
		 "-device vfnic,bus=rp1,netdev=up,mac=52:54:00:00:00:01%s%s %s",
		 vfnic_opts && *vfnic_opts ? "," : "",
		 vfnic_opts ? vfnic_opts : "", extra ? extra : "");
	e->qt = qtest_start(args);
	e->brk = 0x100000;
	return e->qt ? 0 : -1;
}

int env_start(struct env *e, const char *vfnic_opts)
{
	if (env_boot(e, vfnic_opts, NULL))
		return -1;

	/* MCH PCIEXBAR (00:00.0 0x60): ECAM at 0xb0000000, 256 buses */
	qtest_outl(e->qt, 0xcf8, 0x80000000 | 0x60);
	qtest_outl(e->qt, 0xcfc, (uint32_t)ECAM_BASE | 1);
	/* root port: bus 1 behind it, a memory window, ARI forwarding */
	env_cfg_write(e, 0, RP_DEVFN, 0x18, 4, 0x00010100);
	env_cfg_write(e, 0, RP_DEVFN, 0x20, 4, 0xc07fc000);
	env_cfg_write(e, 0, RP_DEVFN, 0x24, 4, 0x0000fff0);
	env_cfg_write(e, 0, RP_DEVFN, 0x04, 2, 0x6);
	{
		int cap = 0x40;	/* find the root port's PCIe capability */

		cap = env_cfg_read(e, 0, RP_DEVFN, 0x34, 1);
		while (cap && env_cfg_read(e, 0, RP_DEVFN, cap, 1) != 0x10)
			cap = env_cfg_read(e, 0, RP_DEVFN, cap + 1, 1);
		if (cap)
			env_cfg_write(e, 0, RP_DEVFN, cap + 0x28, 2, 1 << 5);
	}
	/* the PF's BARs and the VF BARs in its SR-IOV capability */
	cfg_bar64(e, 0, 0x10, ENV_PF_BAR0);
	cfg_bar64(e, 0, 0x1c, ENV_PF_BAR3);
	cfg_bar64(e, 0, ENV_SRIOV_CAP + 0x24, ENV_VF_BAR0);
	cfg_bar64(e, 0, ENV_SRIOV_CAP + 0x24 + 12, ENV_VF_BAR3);
	env_cfg_write(e, ENV_PF_BUS, 0, 0x04, 2, 0x6);
	return 0;
}

void env_stop(struct env *e)
{
	qtest_quit(e->qt);
	e->qt = NULL;
}

uint32_t env_enable_vfs(struct env *e, unsigned n)
{
	unsigned vf;

	env_cfg_write(e, ENV_PF_BUS, 0, ENV_SRIOV_CAP + 0x10, 2, n);
	/* VF Enable, VF MSE, ARI Capable Hierarchy */
	env_cfg_write(e, ENV_PF_BUS, 0, ENV_SRIOV_CAP + 0x08, 2, 0x19);
	for (vf = 0; vf < n && vf < VFNIC_MAX_VFS; vf++)
		/* QEMU 7.2 maps VF BARs only with the VF's own MEM bit */
		env_cfg_write(e, ENV_PF_BUS, 1 + vf, 0x04, 2, 0x6);
	return env_pf_rd(e, VFNIC_GLB_NUM_VFS);
}

void env_disable_vfs(struct env *e)
{
	env_cfg_write(e, ENV_PF_BUS, 0, ENV_SRIOV_CAP + 0x08, 2, 0x10);
}

static uint64_t fn_bar0(unsigned fn)
{
	return fn ? ENV_VF_BAR0 + (uint64_t)(fn - 1) * VFNIC_VF_BAR0_SIZE :
		    ENV_PF_BAR0;
}

uint32_t env_rd(struct env *e, unsigned fn, uint32_t off)
{
	return qtest_readl(e->qt, fn_bar0(fn) + off);
}

void env_wr(struct env *e, unsigned fn, uint32_t off, uint32_t val)
{
	qtest_writel(e->qt, fn_bar0(fn) + off, val);
}

uint32_t env_pf_rd(struct env *e, uint32_t off)
{
	return env_rd(e, 0, off);
}

uint64_t env_pf_rd64(struct env *e, uint32_t off)
{
	uint32_t hi = env_pf_rd(e, off + 4), lo = env_pf_rd(e, off);

	/* a carry between the two reads: read again */
	if (env_pf_rd(e, off + 4) != hi)
		return env_pf_rd64(e, off);
	return (uint64_t)hi << 32 | lo;
}

void env_pf_wr(struct env *e, uint32_t off, uint32_t val)
{
	env_wr(e, 0, off, val);
}

uint64_t env_stat(struct env *e, unsigned fn, uint32_t stat)
{
	return env_rd(e, fn, VFNIC_STATS + stat) |
	       (uint64_t)env_rd(e, fn, VFNIC_STATS + stat + 4) << 32;
}

static uint64_t msi_slot(unsigned fn, unsigned vec)
{
	return ENV_MSI_ADDR + (fn * 16 + vec) * 4;
}

void env_msix_setup(struct env *e, unsigned fn, unsigned vec)
{
	uint64_t table = (fn ? ENV_VF_BAR3 + (uint64_t)(fn - 1) *
			  VFNIC_MSIX_BAR_SIZE : ENV_PF_BAR3) +
			 VFNIC_MSIX_TABLE_OFF + vec * 16;
	int devfn = fn;		/* VF n is devfn n + 1 = fn */

	qtest_writel(e->qt, msi_slot(fn, vec), 0);
	qtest_writel(e->qt, table, (uint32_t)msi_slot(fn, vec));
	qtest_writel(e->qt, table + 4, 0);
	qtest_writel(e->qt, table + 8, 0x1000 + fn * 16 + vec);
	qtest_writel(e->qt, table + 12, 0);
	env_cfg_write(e, ENV_PF_BUS, devfn, ENV_MSIX_CAP + 2, 2, 0x8000);
	env_cfg_write(e, ENV_PF_BUS, devfn, 0x04, 2,
		      env_cfg_read(e, ENV_PF_BUS, devfn, 0x04, 2) | 0x4);
}

int env_msix_fired(struct env *e, unsigned fn, unsigned vec)
{
	uint32_t v = qtest_readl(e->qt, msi_slot(fn, vec));

	qtest_writel(e->qt, msi_slot(fn, vec), 0);
	return v == 0x1000 + fn * 16 + vec;
}

uint64_t env_alloc(struct env *e, size_t len)
{
	uint64_t a = e->brk;

	e->brk += (len + 4095) & ~4095ULL;
	return a;
}

void env_set_mac(struct env *e, unsigned fn, const uint8_t mac[6])
{
	env_pf_wr(e, VFNIC_ADM(fn, VFNIC_ADM_MAC_LO),
		  mac[0] | mac[1] << 8 | mac[2] << 16 | (uint32_t)mac[3] << 24);
	env_pf_wr(e, VFNIC_ADM(fn, VFNIC_ADM_MAC_HI),
		  (mac[4] | mac[5] << 8) | VFNIC_MAC_VALID);
}

void env_eth_hdr(uint8_t *f, const uint8_t dst[6], const uint8_t src[6],
		 uint16_t type)
{
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	f[12] = type >> 8;
	f[13] = type & 0xff;
}

size_t env_frame(uint8_t *f, const uint8_t dst[6], const uint8_t src[6],
		 size_t len)
{
	size_t i;

	env_eth_hdr(f, dst, src, ENV_ETH_TEST);
	for (i = 14; i < len; i++)
		f[i] = (uint8_t)(i * 7);
	return len;
}

static void rx_post(struct env *e, struct env_qp *qp, unsigned i)
{
	uint8_t d[VFNIC_DESC_SIZE] = { 0 };
	uint64_t buf = qp->rx_bufs + (uint64_t)i * RX_BUF_SIZE;

	memcpy(d, &buf, 8);
	qtest_memwrite(e->qt, qp->rx_ring + i * VFNIC_DESC_SIZE, d, sizeof(d));
}

void env_qp_setup(struct env *e, struct env_qp *qp, unsigned fn, unsigned q,
		  unsigned len)
{
	unsigned i;

	memset(qp, 0, sizeof(*qp));
	qp->fn = fn;
	qp->q = q;
	qp->len = len;
	qp->rx_ring = env_alloc(e, len * VFNIC_DESC_SIZE);
	qp->tx_ring = env_alloc(e, len * VFNIC_DESC_SIZE);
	qp->rx_bufs = env_alloc(e, (size_t)len * RX_BUF_SIZE);
	qp->tx_bufs = env_alloc(e, (size_t)len * RX_BUF_SIZE);
	for (i = 0; i < len; i++)
		rx_post(e, qp, i);
	env_wr(e, fn, VFNIC_QP_REG(q, VFNIC_RXQ_BASE_LO), (uint32_t)qp->rx_ring);
	env_wr(e, fn, VFNIC_QP_REG(q, VFNIC_RXQ_BASE_HI), qp->rx_ring >> 32);
	env_wr(e, fn, VFNIC_QP_REG(q, VFNIC_RXQ_LEN), len);
	env_wr(e, fn, VFNIC_QP_REG(q, VFNIC_RXQ_BUF_SIZE), RX_BUF_SIZE);
	env_wr(e, fn, VFNIC_QP_REG(q, VFNIC_RXQ_CTRL), VFNIC_Q_CTRL_ENABLE);
	env_wr(e, fn, VFNIC_QP_REG(q, VFNIC_RXQ_TAIL), len - 1);
	env_wr(e, fn, VFNIC_QP_REG(q, VFNIC_TXQ_BASE_LO), (uint32_t)qp->tx_ring);
	env_wr(e, fn, VFNIC_QP_REG(q, VFNIC_TXQ_BASE_HI), qp->tx_ring >> 32);
	env_wr(e, fn, VFNIC_QP_REG(q, VFNIC_TXQ_LEN), len);
	env_wr(e, fn, VFNIC_QP_REG(q, VFNIC_TXQ_CTRL), VFNIC_Q_CTRL_ENABLE);
}

int env_vf_pair(struct env *e, const uint8_t mac0[6], struct env_qp *qp0,
		const uint8_t mac1[6], struct env_qp *qp1, unsigned len)
{
	if (env_enable_vfs(e, 2) != 2)
		return -1;
	env_set_mac(e, VFNIC_VF_TO_FN(0), mac0);
	env_set_mac(e, VFNIC_VF_TO_FN(1), mac1);
	env_qp_setup(e, qp0, VFNIC_VF_TO_FN(0), 0, len);
	env_qp_setup(e, qp1, VFNIC_VF_TO_FN(1), 0, len);
	return 0;
}

void env_tx(struct env *e, struct env_qp *qp, const void *frame,
	    size_t len, uint16_t cmd, uint16_t vlan)
{
	env_tx_post(e, qp, frame, len, cmd, vlan);
	env_wr(e, qp->fn, VFNIC_QP_REG(qp->q, VFNIC_TXQ_TAIL), qp->tx_next);
}

void env_tx_post(struct env *e, struct env_qp *qp, const void *frame,
		 size_t len, uint16_t cmd, uint16_t vlan)
{
	uint8_t d[VFNIC_DESC_SIZE] = { 0 };
	uint64_t buf = qp->tx_bufs + (uint64_t)qp->tx_next * RX_BUF_SIZE;
	uint16_t l = len;

	qtest_memwrite(e->qt, buf, frame, len);
	memcpy(d + VFNIC_TXD_ADDR, &buf, 8);
	memcpy(d + VFNIC_TXD_LEN, &l, 2);
	memcpy(d + VFNIC_TXD_VLAN, &vlan, 2);
	memcpy(d + VFNIC_TXD_CMD, &cmd, 2);
	qtest_memwrite(e->qt, qp->tx_ring + qp->tx_next * VFNIC_DESC_SIZE, d,
		       sizeof(d));
	qp->tx_next = (qp->tx_next + 1) % qp->len;
}

size_t env_rx(struct env *e, struct env_qp *qp, void *buf, size_t size,
	      uint16_t *status, uint16_t *vlan)
{
	uint8_t d[VFNIC_DESC_SIZE];
	uint16_t len, sta;

	qtest_memread(e->qt, qp->rx_ring + qp->rx_next * VFNIC_DESC_SIZE, d,
		      sizeof(d));
	memcpy(&sta, d + VFNIC_RXD_STATUS, 2);
	if (!(sta & VFNIC_RXD_STA_DD))
		return 0;
	memcpy(&len, d + VFNIC_RXD_LEN, 2);
	if (vlan)
		memcpy(vlan, d + VFNIC_RXD_VLAN, 2);
	if (status)
		*status = sta;
	qtest_memread(e->qt, qp->rx_bufs + (uint64_t)qp->rx_next * RX_BUF_SIZE,
		      buf, len < size ? len : size);
	rx_post(e, qp, qp->rx_next);
	env_wr(e, qp->fn, VFNIC_QP_REG(qp->q, VFNIC_RXQ_TAIL), qp->rx_next);
	qp->rx_next = (qp->rx_next + 1) % qp->len;
	return len;
}
