// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Device-model tests of vfnic: QEMU runs with -qtest and no guest OS; these
 * tests drive config space, MMIO and guest memory as a driver would.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vfnic_env.h"

#define NVFS	4
#define SRIOV(r) (ENV_SRIOV_CAP + (r))
#define ETH_BCAST { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }

static const uint8_t mac_vf0[6] = { 0x02, 0, 0, 0, 0, 0x10 };
static const uint8_t mac_vf1[6] = { 0x02, 0, 0, 0, 0, 0x11 };

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));

	if (!e || env_start(e, NULL))
		return -1;
	*state = e;
	return 0;
}

static int setup_vfs(void **state)
{
	struct env *e;

	if (setup(state))
		return -1;
	e = *state;
	if (env_enable_vfs(e, NVFS) != NVFS)
		return -1;
	env_set_mac(e, VFNIC_VF_TO_FN(0), mac_vf0);
	env_set_mac(e, VFNIC_VF_TO_FN(1), mac_vf1);
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;

	/* no test may leave QEMU dead: guest input never crashes it */
	assert_true(qtest_alive(e->qt));
	env_stop(e);
	free(e);
	return 0;
}

static void test_pf_identity(void **state)
{
	struct env *e = *state;

	assert_int_equal(env_cfg_read(e, 1, 0, 0x00, 2), VFNIC_PCI_VENDOR_ID);
	assert_int_equal(env_cfg_read(e, 1, 0, 0x02, 2), VFNIC_PCI_DEVICE_ID_PF);
	assert_int_equal(env_cfg_read(e, 1, 0, 0x0b, 1), 0x02);	/* network */
	assert_int_equal(env_pf_rd(e, VFNIC_GLB_VERSION), VFNIC_VERSION);
	assert_int_equal(env_pf_rd(e, VFNIC_FN_ID), 0);
	/* the SR-IOV capability, as lspci will show it */
	assert_int_equal(env_cfg_read(e, 1, 0, SRIOV(0), 2), 0x0010);
	assert_int_equal(env_cfg_read(e, 1, 0, SRIOV(0x0c), 2), 64);	/* Initial */
	assert_int_equal(env_cfg_read(e, 1, 0, SRIOV(0x0e), 2), 64);	/* Total */
	assert_int_equal(env_cfg_read(e, 1, 0, SRIOV(0x14), 2), VFNIC_VF_OFFSET);
	assert_int_equal(env_cfg_read(e, 1, 0, SRIOV(0x16), 2), VFNIC_VF_STRIDE);
	assert_int_equal(env_cfg_read(e, 1, 0, SRIOV(0x1a), 2),
			 VFNIC_PCI_DEVICE_ID_VF);
	/* ARI is the first extended capability */
	assert_int_equal(env_cfg_read(e, 1, 0, 0x100, 2), 0x000e);
	/* PF MAC from the mac= property */
	assert_int_equal(env_pf_rd(e, VFNIC_FN_MAC_LO), 0x00005452);
	assert_int_equal(env_pf_rd(e, VFNIC_FN_MAC_HI),
			 0x0100 | VFNIC_MAC_VALID);
}

static void test_total_vfs_property(void **state)
{
	struct env e;

	(void)state;
	assert_int_equal(env_start(&e, "total-vfs=8"), 0);
	assert_int_equal(env_cfg_read(&e, 1, 0, SRIOV(0x0e), 2), 8);
	assert_int_equal(env_pf_rd(&e, VFNIC_GLB_TOTAL_VFS), 8);
	/* more than TotalVFs: VF Enable does nothing */
	assert_int_equal(env_enable_vfs(&e, 9), 0);
	assert_true(qtest_log_has(e.qt, "exceeds TotalVFs"));
	env_disable_vfs(&e);
	assert_int_equal(env_enable_vfs(&e, 8), 8);
	env_stop(&e);
}

static void test_enable_64_vfs(void **state)
{
	struct env *e = *state;
	unsigned vf;

	assert_int_equal(env_enable_vfs(e, 64), 64);
	for (vf = 0; vf < 64; vf++) {
		/* SR-IOV: VF IDs read as 0xffff, class is the PF's */
		assert_int_equal(env_cfg_read(e, 1, 1 + vf, 0x00, 4), 0xffffffff);
		assert_int_equal(env_cfg_read(e, 1, 1 + vf, 0x08, 4) >> 8,
				 0x020000);
		assert_int_equal(env_rd(e, VFNIC_VF_TO_FN(vf), VFNIC_FN_ID),
				 VFNIC_FN_ID_IS_VF | VFNIC_VF_TO_FN(vf));
	}
	assert_int_equal(env_rd(e, VFNIC_VF_TO_FN(0), VFNIC_FN_CAPS) &
			 VFNIC_FN_CAPS_QP_MASK, VFNIC_VF_MAX_QP);
	env_disable_vfs(e);
	assert_int_equal(env_pf_rd(e, VFNIC_GLB_NUM_VFS), 0);
	assert_int_equal(env_cfg_read(e, 1, 1, 0x08, 4), 0xffffffff);
}

static void test_mailbox(void **state)
{
	struct env *e = *state;
	unsigned fn = VFNIC_VF_TO_FN(2);
	uint32_t pfview = VFNIC_ADM(fn, 0);

	env_msix_setup(e, 0, VFNIC_MSIX_MISC);
	env_msix_setup(e, fn, VFNIC_MSIX_MISC);
	env_pf_wr(e, VFNIC_FN_IMS, VFNIC_INT_MBX);
	env_wr(e, fn, VFNIC_FN_IMS, VFNIC_INT_MBX | VFNIC_INT_RESET);

	/* VF -> PF request */
	env_wr(e, fn, VFNIC_MBX_VF2PF, 0xcafe0001);
	env_wr(e, fn, VFNIC_MBX_CTRL, VFNIC_MBX_REQ);
	assert_true(env_msix_fired(e, 0, VFNIC_MSIX_MISC));
	assert_int_equal(env_pf_rd(e, VFNIC_GLB_MBX_REQ_LO), 1u << 2);
	assert_int_equal(env_pf_rd(e, pfview + VFNIC_MBX_CTRL), VFNIC_MBX_REQ);
	assert_int_equal(env_pf_rd(e, pfview + VFNIC_MBX_VF2PF), 0xcafe0001);
	/* the buffer is the PF's until it acknowledges */
	env_wr(e, fn, VFNIC_MBX_VF2PF, 0xbad);
	assert_int_equal(env_pf_rd(e, pfview + VFNIC_MBX_VF2PF), 0xcafe0001);
	env_pf_wr(e, VFNIC_GLB_MBX_REQ_LO, 1u << 2);
	assert_int_equal(env_pf_rd(e, VFNIC_GLB_MBX_REQ_LO), 0);
	env_pf_wr(e, pfview + VFNIC_MBX_CTRL, VFNIC_MBX_REQ | VFNIC_MBX_PF_READY);
	assert_true(env_msix_fired(e, fn, VFNIC_MSIX_MISC));
	assert_int_equal(env_rd(e, fn, VFNIC_MBX_CTRL), VFNIC_MBX_PF_READY);

	/* PF -> VF message */
	env_pf_wr(e, pfview + VFNIC_MBX_PF2VF + 4, 0x12345678);
	env_pf_wr(e, pfview + VFNIC_MBX_CTRL, VFNIC_MBX_PFMSG | VFNIC_MBX_PF_READY);
	assert_true(env_msix_fired(e, fn, VFNIC_MSIX_MISC));
	assert_int_equal(env_rd(e, fn, VFNIC_MBX_PF2VF + 4), 0x12345678);
	env_pf_wr(e, pfview + VFNIC_MBX_PF2VF + 4, 0xbad);	/* VF owns it */
	assert_int_equal(env_rd(e, fn, VFNIC_MBX_PF2VF + 4), 0x12345678);
	env_wr(e, fn, VFNIC_MBX_PF2VF, 0xbad);			/* read-only */
	env_wr(e, fn, VFNIC_MBX_CTRL, VFNIC_MBX_PFMSG);
	assert_true(env_msix_fired(e, 0, VFNIC_MSIX_MISC));
	assert_int_equal(env_pf_rd(e, VFNIC_GLB_MBX_ACK_LO), 1u << 2);
	assert_int_equal(env_rd(e, fn, VFNIC_MBX_CTRL), VFNIC_MBX_PF_READY);

	/* dropping PF_READY tells the VF */
	env_pf_wr(e, pfview + VFNIC_MBX_CTRL, 0);
	assert_true(env_msix_fired(e, fn, VFNIC_MSIX_MISC));
	assert_true(env_rd(e, fn, VFNIC_FN_ICR) & VFNIC_INT_RESET);
	/* and a VF cannot fake a PF message or ready state */
	env_wr(e, fn, VFNIC_MBX_CTRL, VFNIC_MBX_PFMSG | VFNIC_MBX_PF_READY);
	assert_int_equal(env_rd(e, fn, VFNIC_MBX_CTRL), 0);
}

static void test_vf_to_vf(void **state)
{
	struct env *e = *state;
	struct env_qp tx, rx;
	uint8_t f[128], got[256];
	uint16_t sta;
	size_t n = env_frame(f, mac_vf1, mac_vf0, 100);

	env_qp_setup(e, &tx, VFNIC_VF_TO_FN(0), 0, 64);
	env_qp_setup(e, &rx, VFNIC_VF_TO_FN(1), 0, 64);
	env_tx(e, &tx, f, n, VFNIC_TXD_CMD_EOP, 0);

	assert_int_equal(env_rx(e, &rx, got, sizeof(got), &sta, NULL), n);
	assert_memory_equal(got, f, n);
	assert_true(sta & VFNIC_RXD_STA_EOP);
	assert_int_equal(env_rd(e, VFNIC_VF_TO_FN(0),
				VFNIC_QP_REG(0, VFNIC_TXQ_HEAD)), 1);
	assert_int_equal(env_stat(e, VFNIC_VF_TO_FN(0), VFNIC_STAT_TX_PKTS), 1);
	assert_int_equal(env_stat(e, VFNIC_VF_TO_FN(1), VFNIC_STAT_RX_PKTS), 1);
	assert_int_equal(env_stat(e, VFNIC_VF_TO_FN(1), VFNIC_STAT_RX_BYTES), n);
	/* unicast to VF1 reached no one else: VF2 has no rx ring, no drop */
	assert_int_equal(env_stat(e, VFNIC_VF_TO_FN(2), VFNIC_STAT_RX_DROP), 0);
	/* the tx descriptor was written back done */
	{
		uint16_t st;

		qtest_memread(e->qt, tx.tx_ring + VFNIC_TXD_STATUS, &st, 2);
		assert_int_equal(st, VFNIC_TXD_STA_DD);
	}
}

static void test_broadcast_floods(void **state)
{
	struct env *e = *state;
	static const uint8_t bcast[6] = ETH_BCAST;
	struct env_qp tx, rx1, rx2, pf;
	uint8_t f[64], got[128];

	env_qp_setup(e, &tx, VFNIC_VF_TO_FN(0), 0, 32);
	env_qp_setup(e, &rx1, VFNIC_VF_TO_FN(1), 0, 32);
	env_qp_setup(e, &rx2, VFNIC_VF_TO_FN(2), 0, 32);
	env_qp_setup(e, &pf, 0, 0, 32);
	env_tx(e, &tx, f, env_frame(f, bcast, mac_vf0, 60), VFNIC_TXD_CMD_EOP, 0);
	assert_int_equal(env_rx(e, &rx1, got, sizeof(got), NULL, NULL), 60);
	assert_int_equal(env_rx(e, &rx2, got, sizeof(got), NULL, NULL), 60);
	assert_int_equal(env_rx(e, &pf, got, sizeof(got), NULL, NULL), 60);
	assert_int_equal(env_rx(e, &tx, got, sizeof(got), NULL, NULL), 0);
	assert_int_equal(env_stat(e, VFNIC_VF_TO_FN(0), VFNIC_STAT_TX_BCAST), 1);
	/* and it went out of the uplink */
	assert_int_equal(env_pf_rd(e, VFNIC_GLB_STATS + VFNIC_GSTAT_UPLINK_TX), 1);
}

static void test_anti_spoof(void **state)
{
	struct env *e = *state;
	static const uint8_t forged[6] = { 0x02, 0, 0, 0, 0, 0x99 };
	unsigned vf0 = VFNIC_VF_TO_FN(0);
	struct env_qp tx, rx;
	uint8_t f[64], got[128];

	env_qp_setup(e, &tx, vf0, 0, 32);
	env_qp_setup(e, &rx, VFNIC_VF_TO_FN(1), 0, 32);
	env_tx(e, &tx, f, env_frame(f, mac_vf1, forged, 60), VFNIC_TXD_CMD_EOP, 0);
	assert_int_equal(env_rx(e, &rx, got, sizeof(got), NULL, NULL), 0);
	assert_int_equal(env_stat(e, vf0, VFNIC_STAT_TX_SPOOF), 1);
	assert_int_equal(env_stat(e, vf0, VFNIC_STAT_TX_PKTS), 0);

	/* with spoofchk off the same frame passes */
	env_pf_wr(e, VFNIC_ADM(vf0, VFNIC_ADM_POLICY), 0);
	env_tx(e, &tx, f, 60, VFNIC_TXD_CMD_EOP, 0);
	assert_int_equal(env_rx(e, &rx, got, sizeof(got), NULL, NULL), 60);
	assert_memory_equal(got + 6, forged, 6);
}

static void test_port_vlan(void **state)
{
	struct env *e = *state;
	unsigned vf0 = VFNIC_VF_TO_FN(0), vf1 = VFNIC_VF_TO_FN(1);
	struct env_qp tx, rx;
	uint8_t f[64], got[128], tagged[64];
	uint16_t sta, vlan;

	env_qp_setup(e, &tx, vf0, 0, 32);
	env_qp_setup(e, &rx, vf1, 0, 32);
	/* VF0: port VLAN 100, priority 2; VF1 is a member of VLAN 100 */
	env_pf_wr(e, VFNIC_ADM(vf0, VFNIC_ADM_VLAN),
		  VFNIC_VLAN_ENABLE | 2 << VFNIC_VLAN_PCP_SHIFT | 100);
	env_pf_wr(e, VFNIC_ADM(vf1, VFNIC_ADM_VLAN_FILTER + 100 / 32 * 4),
		  1u << (100 % 32));
	env_frame(f, mac_vf1, mac_vf0, 60);
	env_tx(e, &tx, f, 60, VFNIC_TXD_CMD_EOP, 0);
	assert_int_equal(env_rx(e, &rx, got, sizeof(got), &sta, NULL), 64);
	memcpy(tagged, f, 12);
	tagged[12] = 0x81;
	tagged[13] = 0x00;
	tagged[14] = (2 << 5) | (100 >> 8);
	tagged[15] = 100 & 0xff;
	memcpy(tagged + 16, f + 12, 48);
	assert_memory_equal(got, tagged, 64);

	/* VF1 asks for rx stripping: the tag moves into the descriptor */
	env_wr(e, vf1, VFNIC_FN_VLAN_STRIP, 1);
	env_tx(e, &tx, f, 60, VFNIC_TXD_CMD_EOP, 0);
	assert_int_equal(env_rx(e, &rx, got, sizeof(got), &sta, &vlan), 60);
	assert_true(sta & VFNIC_RXD_STA_VLAN);
	assert_int_equal(vlan, (2 << 13) | 100);
	assert_memory_equal(got, f, 60);

	/* a VF with a port VLAN may not tag frames itself */
	env_tx(e, &tx, f, 60, VFNIC_TXD_CMD_EOP | VFNIC_TXD_CMD_VLAN, 200);
	assert_int_equal(env_stat(e, vf0, VFNIC_STAT_TX_SPOOF), 1);
}

static void test_flr(void **state)
{
	struct env *e = *state;
	unsigned fn = VFNIC_VF_TO_FN(0);
	struct env_qp qp;
	uint8_t f[64];

	env_msix_setup(e, 0, VFNIC_MSIX_MISC);
	env_pf_wr(e, VFNIC_FN_IMS, VFNIC_INT_VFLR);
	env_qp_setup(e, &qp, fn, 0, 32);
	env_tx(e, &qp, f, env_frame(f, mac_vf1, mac_vf0, 60),
	       VFNIC_TXD_CMD_EOP, 0);
	env_pf_wr(e, VFNIC_ADM(fn, VFNIC_MBX_CTRL), VFNIC_MBX_PF_READY);
	assert_int_equal(env_stat(e, fn, VFNIC_STAT_TX_PKTS), 1);

	/* Initiate FLR in the VF's PCIe Device Control */
	env_cfg_write(e, 1, 1, ENV_PCIE_CAP + 8, 2,
		      env_cfg_read(e, 1, 1, ENV_PCIE_CAP + 8, 2) | 0x8000);
	assert_true(env_msix_fired(e, 0, VFNIC_MSIX_MISC));
	assert_int_equal(env_pf_rd(e, VFNIC_GLB_VFLR_LO), 1);
	/* FLR cleared the VF's config space too; restore it as an OS would */
	assert_int_equal(env_cfg_read(e, 1, 1, 0x04, 2) & 0x6, 0);
	env_cfg_write(e, 1, 1, 0x04, 2, 0x6);
	assert_int_equal(env_rd(e, fn, VFNIC_QP_REG(0, VFNIC_TXQ_CTRL)), 0);
	assert_int_equal(env_rd(e, fn, VFNIC_QP_REG(0, VFNIC_RXQ_BASE_LO)), 0);
	assert_int_equal(env_rd(e, fn, VFNIC_MBX_CTRL), 0);
	/* the function counters are the PF's record: a VF cannot erase them */
	assert_int_equal(env_stat(e, fn, VFNIC_STAT_TX_PKTS), 1);
	/* what the PF decided survives */
	assert_int_equal(env_rd(e, fn, VFNIC_FN_MAC_HI),
			 0x1000 | VFNIC_MAC_VALID);
	/* other VFs are untouched */
	assert_int_equal(env_pf_rd(e, VFNIC_GLB_VFLR_LO) & ~1u, 0);
}

static void test_rate_limit(void **state)
{
	struct env *e = *state;
	unsigned vf0 = VFNIC_VF_TO_FN(0), vf1 = VFNIC_VF_TO_FN(1);
	struct env_qp tx, rx;
	uint8_t f[1000], got[1024];
	unsigned i, n = 0;

	env_qp_setup(e, &tx, vf0, 0, 64);
	env_qp_setup(e, &rx, vf1, 0, 64);
	/* 8 Mbit/s: one byte per microsecond; burst is two 9600-byte frames */
	env_pf_wr(e, VFNIC_ADM(vf0, VFNIC_ADM_TX_RATE), 8);
	env_frame(f, mac_vf1, mac_vf0, sizeof(f));
	for (i = 0; i < 40; i++)
		env_tx(e, &tx, f, sizeof(f), VFNIC_TXD_CMD_EOP, 0);
	/* the virtual clock stands still under qtest: only the burst went */
	assert_int_equal(env_stat(e, vf0, VFNIC_STAT_TX_PKTS), 20);
	assert_int_equal(env_rd(e, vf0, VFNIC_QP_REG(0, VFNIC_TXQ_HEAD)), 20);
	/* 10 ms later 10 more frames' worth of tokens have come in */
	qtest_clock_step(e->qt, 10 * 1000 * 1000);
	assert_in_range(env_stat(e, vf0, VFNIC_STAT_TX_PKTS), 29, 31);
	qtest_clock_step(e->qt, 20 * 1000 * 1000);
	assert_int_equal(env_stat(e, vf0, VFNIC_STAT_TX_PKTS), 40);
	/* shaped, not dropped: every frame arrived */
	while (env_rx(e, &rx, got, sizeof(got), NULL, NULL) == sizeof(f))
		n++;
	assert_int_equal(n, 40);
	assert_int_equal(env_stat(e, vf0, VFNIC_STAT_TX_DROP), 0);
}

static void test_pf_queue_reset(void **state)
{
	struct env *e = *state;
	unsigned fn = VFNIC_VF_TO_FN(1);
	struct env_qp qp;

	env_qp_setup(e, &qp, fn, 0, 32);
	env_wr(e, fn, VFNIC_MBX_VF2PF, 0x1234);
	env_pf_wr(e, VFNIC_ADM(fn, VFNIC_ADM_CTRL), VFNIC_ADM_CTRL_QRESET);
	assert_int_equal(env_rd(e, fn, VFNIC_QP_REG(0, VFNIC_TXQ_CTRL)), 0);
	assert_int_equal(env_rd(e, fn, VFNIC_QP_REG(0, VFNIC_RXQ_CTRL)), 0);
	assert_int_equal(env_rd(e, fn, VFNIC_QP_REG(0, VFNIC_RXQ_BASE_LO)), 0);
	/* the mailbox is the PF's channel to the VF: it stays */
	assert_int_equal(env_rd(e, fn, VFNIC_MBX_VF2PF), 0x1234);
	/* a VF cannot do this to itself or others: it has no admin block */
	env_wr(e, fn, VFNIC_ADM_CTRL, VFNIC_ADM_CTRL_QRESET);
	assert_true(qtest_log_has(e->qt, "read-only or unknown register"));
}

static void test_bad_input(void **state)
{
	struct env *e = *state;
	unsigned fn = VFNIC_VF_TO_FN(0);
	struct env_qp qp, rx;
	uint8_t d[VFNIC_DESC_SIZE] = { 0 }, f[64], got[128];
	uint64_t wild = 0xfff00000000ULL;	/* nothing there */
	uint16_t len = 60, cmd = VFNIC_TXD_CMD_EOP;

	/* a ring that is not a power of two does not start */
	env_wr(e, fn, VFNIC_QP_REG(1, VFNIC_TXQ_LEN), 100);
	env_wr(e, fn, VFNIC_QP_REG(1, VFNIC_TXQ_CTRL), VFNIC_Q_CTRL_ENABLE);
	assert_int_equal(env_rd(e, fn, VFNIC_QP_REG(1, VFNIC_TXQ_CTRL)),
			 VFNIC_Q_CTRL_ERROR);
	/* queue pairs beyond the grant are not there */
	env_wr(e, fn, VFNIC_QP_REG(VFNIC_VF_MAX_QP, VFNIC_TXQ_LEN), 64);
	assert_int_equal(env_rd(e, fn, VFNIC_QP_REG(VFNIC_VF_MAX_QP,
						    VFNIC_TXQ_LEN)), 0);
	/* a VF cannot reset the device or change its own MAC */
	env_wr(e, fn, VFNIC_FN_CTRL, VFNIC_FN_CTRL_RST);
	env_wr(e, fn, VFNIC_FN_MAC_LO, 0x11223344);
	assert_int_equal(env_rd(e, fn, VFNIC_FN_MAC_LO), 0x00000002);

	/* a tx buffer at an unmapped address stops only that ring */
	env_qp_setup(e, &qp, fn, 0, 32);
	env_qp_setup(e, &rx, VFNIC_VF_TO_FN(1), 0, 32);
	memcpy(d + VFNIC_TXD_ADDR, &wild, 8);
	memcpy(d + VFNIC_TXD_LEN, &len, 2);
	memcpy(d + VFNIC_TXD_CMD, &cmd, 2);
	qtest_memwrite(e->qt, qp.tx_ring, d, sizeof(d));
	env_wr(e, fn, VFNIC_QP_REG(0, VFNIC_TXQ_TAIL), 1);
	assert_int_equal(env_rd(e, fn, VFNIC_QP_REG(0, VFNIC_TXQ_CTRL)),
			 VFNIC_Q_CTRL_ERROR);
	assert_int_equal(env_stat(e, fn, VFNIC_STAT_TX_ERR), 1);
	assert_true(qtest_log_has(e->qt, "DMA at 0xfff00000000 failed"));
	/* a zero-length descriptor drops its frame, marks it, goes on */
	{
		struct env_qp q2;

		env_qp_setup(e, &q2, VFNIC_VF_TO_FN(2), 0, 32);
		len = 0;
		memcpy(d + VFNIC_TXD_ADDR, &q2.tx_bufs, 8);
		memcpy(d + VFNIC_TXD_LEN, &len, 2);
		qtest_memwrite(e->qt, q2.tx_ring, d, sizeof(d));
		q2.tx_next = 1;
		env_wr(e, q2.fn, VFNIC_QP_REG(0, VFNIC_TXQ_TAIL), 1);
		assert_int_equal(env_stat(e, q2.fn, VFNIC_STAT_TX_ERR), 1);
		qtest_memread(e->qt, q2.tx_ring + VFNIC_TXD_STATUS, &len, 2);
		assert_int_equal(len, VFNIC_TXD_STA_DD | VFNIC_TXD_STA_ERR);
	}
	/* VF1 still works */
	{
		struct env_qp tx1;
		static const uint8_t mac_vf3[6] = { 0x02, 0, 0, 0, 0, 0x13 };

		env_set_mac(e, VFNIC_VF_TO_FN(3), mac_vf3);
		env_qp_setup(e, &tx1, VFNIC_VF_TO_FN(3), 0, 32);
		env_tx(e, &tx1, f, env_frame(f, mac_vf1, mac_vf3, 60),
		       VFNIC_TXD_CMD_EOP, 0);
		assert_int_equal(env_rx(e, &rx, got, sizeof(got), NULL, NULL),
				 60);
	}
}

/*
 * A receive buffer in the ECAM window: delivering a frame there writes the
 * PF's SR-IOV control (the frame's first bytes, 02 00: VF Enable clear)
 * and the registers after it, from inside the device's own tx entry,
 * which is still working for VF 0. The device refuses, as it does DMA
 * into its registers: the VFs stay, and so does QEMU.
 */
static void test_dma_into_config_space(void **state)
{
	struct env *e = *state;
	struct env_qp tx, rx;
	uint64_t ctrl = env_ecam(ENV_PF_BUS, 0, SRIOV(8));
	uint8_t f[64];

	env_qp_setup(e, &tx, VFNIC_VF_TO_FN(0), 0, 32);
	env_qp_setup(e, &rx, VFNIC_VF_TO_FN(1), 0, 32);
	qtest_writeq(e->qt, rx.rx_ring + VFNIC_RXD_ADDR, ctrl);
	env_tx(e, &tx, f, env_frame(f, mac_vf1, mac_vf0, 60), VFNIC_TXD_CMD_EOP,
	       0);
	assert_int_equal(env_cfg_read(e, ENV_PF_BUS, 0, SRIOV(8), 2) & 1, 1);
	assert_int_equal(env_pf_rd(e, VFNIC_GLB_NUM_VFS), NVFS);
	assert_true(qtest_log_has(e->qt, "DMA into vfnic registers or config"));
	/* and the VFs still pass frames, into the next descriptor */
	rx.rx_next = 1;
	env_tx(e, &tx, f, 60, VFNIC_TXD_CMD_EOP, 0);
	assert_int_equal(env_rx(e, &rx, f, sizeof(f), NULL, NULL), 60);
}

static void test_link_state(void **state)
{
	struct env *e = *state;
	unsigned fn = VFNIC_VF_TO_FN(1);

	env_msix_setup(e, fn, VFNIC_MSIX_MISC);
	env_wr(e, fn, VFNIC_FN_IMS, VFNIC_INT_LINK);
	assert_true(env_rd(e, fn, VFNIC_FN_STATUS) & VFNIC_FN_STATUS_LINK_UP);
	env_pf_wr(e, VFNIC_ADM(fn, VFNIC_ADM_POLICY),
		  VFNIC_LINK_DISABLE << VFNIC_POL_LINK_SHIFT);
	assert_false(env_rd(e, fn, VFNIC_FN_STATUS) & VFNIC_FN_STATUS_LINK_UP);
	assert_true(env_msix_fired(e, fn, VFNIC_MSIX_MISC));
	/* the invalid link state 3 is refused and changes nothing */
	env_pf_wr(e, VFNIC_ADM(fn, VFNIC_ADM_POLICY), 3 << VFNIC_POL_LINK_SHIFT);
	assert_int_equal(env_pf_rd(e, VFNIC_ADM(fn, VFNIC_ADM_POLICY)),
			 VFNIC_LINK_DISABLE << VFNIC_POL_LINK_SHIFT);
	env_pf_wr(e, VFNIC_ADM(fn, VFNIC_ADM_POLICY), 0);
	assert_true(env_rd(e, fn, VFNIC_FN_STATUS) & VFNIC_FN_STATUS_LINK_UP);
	assert_true(env_msix_fired(e, fn, VFNIC_MSIX_MISC));
}

static uint32_t uplink_tx(struct env *e)
{
	return env_pf_rd(e, VFNIC_GLB_STATS + VFNIC_GSTAT_UPLINK_TX);
}

/*
 * VF0 sends a frame to dst; how many bytes qp (0 if nothing) and the wire
 * (0 or 1 frame) got.
 */
static size_t vf0_send(struct env *e, struct env_qp *tx, struct env_qp *qp,
		       const uint8_t *dst, uint32_t *wire)
{
	uint8_t f[64], got[128];
	uint32_t before = uplink_tx(e);
	size_t n;

	env_tx(e, tx, f, env_frame(f, dst, mac_vf0, 60), VFNIC_TXD_CMD_EOP, 0);
	n = env_rx(e, qp, got, sizeof(got), NULL, NULL);
	if (n)
		assert_memory_equal(got, f, 60);
	*wire = uplink_tx(e) - before;
	return n;
}

/*
 * A VF whose link the administrator disabled sends nothing: its frames are
 * taken off the ring and counted as TX_DROP, not delivered to another VF
 * nor to the wire; with its link back, the next frame goes.
 */
static void test_link_disabled_drops(void **state)
{
	struct env *e = *state;
	unsigned fn = VFNIC_VF_TO_FN(0);
	uint32_t drop = VFNIC_ADM(fn, VFNIC_ADM_STATS) + VFNIC_STAT_TX_DROP;
	struct env_qp tx, rx;
	uint32_t wire, before = env_pf_rd(e, drop);

	env_qp_setup(e, &tx, fn, 0, 32);
	env_qp_setup(e, &rx, VFNIC_VF_TO_FN(1), 0, 32);
	env_pf_wr(e, VFNIC_ADM(fn, VFNIC_ADM_POLICY),
		  VFNIC_LINK_DISABLE << VFNIC_POL_LINK_SHIFT);
	assert_int_equal(vf0_send(e, &tx, &rx, mac_vf1, &wire), 0);
	assert_int_equal(wire, 0);
	assert_int_equal(vf0_send(e, &tx, &rx, mac_vf1, &wire), 0);
	assert_int_equal(env_pf_rd(e, drop) - before, 2);
	env_pf_wr(e, VFNIC_ADM(fn, VFNIC_ADM_POLICY), 0);
	assert_int_equal(vf0_send(e, &tx, &rx, mac_vf1, &wire), 60);
	assert_int_equal(env_pf_rd(e, drop) - before, 2);
}

/*
 * One doorbell, one pass over the ring: the device reuses the route of a
 * frame for the next one with the same header, so each change of
 * destination or tag within the burst (either way) must still route anew,
 * and so must a frame too short to hold a tag.
 */
static void test_burst_routes_each_frame(void **state)
{
	static const uint8_t mac_vf2[6] = { 0x02, 0, 0, 0, 0, 0x12 };
	static const uint8_t nobody[6] = { 0x02, 0, 0, 0, 0, 0x99 };
	static const struct {
		const uint8_t *dst;
		uint16_t vid;		/* inserted by the device, 0: none */
		bool qinq;		/* tagged in the frame, 802.1ad, vid 7 */
		uint8_t len;
		int to;			/* VF 1 or 2, or 0: the uplink */
	} burst[] = {
		{ mac_vf1, 0, false, 60, 1 }, { mac_vf1, 0, false, 60, 1 },
		{ mac_vf2, 0, false, 60, 2 }, { mac_vf1, 0, false, 60, 1 },
		{ mac_vf1, 7, false, 60, 0 }, { mac_vf1, 0, false, 60, 1 },
		{ nobody, 0, false, 60, 0 }, { mac_vf1, 0, false, 60, 1 },
		/* routed anew, and not left as the route of the frame before */
		{ mac_vf2, 0, false, 16, 2 }, { mac_vf1, 0, false, 60, 1 },
		/* VF 2 takes VLAN 7 as 802.1Q only: the TPID is in the key */
		{ mac_vf2, 7, false, 60, 2 }, { mac_vf2, 0, true, 60, 0 },
		{ mac_vf2, 7, false, 60, 2 },
	};
	struct env *e = *state;
	struct env_qp tx, rx[3];	/* rx[1] and rx[2]: VFs 1 and 2 */
	uint8_t f[64], got[128];
	uint32_t wire = uplink_tx(e);
	unsigned i, n = sizeof(burst) / sizeof(burst[0]);
	size_t tag;

	env_set_mac(e, VFNIC_VF_TO_FN(2), mac_vf2);
	/* VF 0 may send VLAN 7 (anti-spoof stays on), VF 2 takes it */
	env_pf_wr(e, VFNIC_ADM(VFNIC_VF_TO_FN(0), VFNIC_ADM_VLAN_FILTER),
		  1u << 7);
	env_pf_wr(e, VFNIC_ADM(VFNIC_VF_TO_FN(2), VFNIC_ADM_VLAN_FILTER),
		  1u << 7);
	env_qp_setup(e, &tx, VFNIC_VF_TO_FN(0), 0, 32);
	env_qp_setup(e, &rx[1], VFNIC_VF_TO_FN(1), 0, 32);
	env_qp_setup(e, &rx[2], VFNIC_VF_TO_FN(2), 0, 32);
	for (i = 0; i < n; i++) {
		env_frame(f, burst[i].dst, mac_vf0, 60);
		f[14] = i;		/* which frame of the burst */
		if (burst[i].qinq)
			memcpy(f + 12, (uint8_t[]){ 0x88, 0xa8, 0, 7 }, 4);
		env_tx_post(e, &tx, f, burst[i].len, VFNIC_TXD_CMD_EOP |
			    (burst[i].vid ? VFNIC_TXD_CMD_VLAN : 0),
			    burst[i].vid);
	}
	env_wr(e, tx.fn, VFNIC_QP_REG(0, VFNIC_TXQ_TAIL), tx.tx_next);

	for (i = 0; i < n; i++) {
		if (!burst[i].to)
			continue;
		/* VF 2 does not strip: the inserted tag comes along */
		tag = burst[i].vid ? 4 : 0;
		assert_int_equal(env_rx(e, &rx[burst[i].to], got, sizeof(got),
					NULL, NULL), burst[i].len + tag);
		assert_int_equal(got[14 + tag], i);
	}
	assert_int_equal(env_rx(e, &rx[1], got, sizeof(got), NULL, NULL), 0);
	assert_int_equal(env_rx(e, &rx[2], got, sizeof(got), NULL, NULL), 0);
	/* the tagged frame VF 1 filters, the unknown MAC, the 802.1ad one */
	assert_int_equal(uplink_tx(e) - wire, 3);
}

/*
 * The switch looks destinations up in a MAC table it builds at the first
 * lookup after a change: the PF's own FN_MAC_LO/HI (hardware.md section
 * 4, ndo_set_mac_address) is such a change, as its admin block is.
 */
static void test_pf_own_mac(void **state)
{
	struct env *e = *state;
	static const uint8_t old_mac[6] = { 0x52, 0x54, 0, 0, 0, 0x01 };
	static const uint8_t new_mac[6] = { 0x02, 0, 0, 0, 0, 0x20 };
	struct env_qp tx, pf;
	uint32_t wire;

	env_qp_setup(e, &tx, VFNIC_VF_TO_FN(0), 0, 32);
	env_qp_setup(e, &pf, 0, 0, 32);
	/* the table is built now, with the PF at its mac= property */
	assert_int_equal(vf0_send(e, &tx, &pf, old_mac, &wire), 60);
	assert_int_equal(wire, 0);

	env_pf_wr(e, VFNIC_FN_MAC_LO, 0x00000002);
	env_pf_wr(e, VFNIC_FN_MAC_HI, 0x2000);
	assert_int_equal(env_pf_rd(e, VFNIC_FN_MAC_HI), 0x2000 | VFNIC_MAC_VALID);
	/* the PF's new MAC is local: the PF gets the frame, the wire not */
	assert_int_equal(vf0_send(e, &tx, &pf, new_mac, &wire), 60);
	assert_int_equal(wire, 0);
	/* and its old one is no one's here: out of the uplink only */
	assert_int_equal(vf0_send(e, &tx, &pf, old_mac, &wire), 0);
	assert_int_equal(wire, 1);
}

/* The PF's PROMISC bit in FN_RX_FILTER, set and cleared after a lookup. */
static void test_pf_promisc(void **state)
{
	struct env *e = *state;
	static const uint8_t unknown[6] = { 0x02, 0, 0, 0, 0, 0x99 };
	struct env_qp tx, pf;
	uint32_t wire;

	env_qp_setup(e, &tx, VFNIC_VF_TO_FN(0), 0, 32);
	env_qp_setup(e, &pf, 0, 0, 32);
	assert_int_equal(vf0_send(e, &tx, &pf, unknown, &wire), 0);
	assert_int_equal(wire, 1);

	env_pf_wr(e, VFNIC_FN_RX_FILTER, VFNIC_RX_FILTER_PROMISC);
	assert_int_equal(vf0_send(e, &tx, &pf, unknown, &wire), 60);
	/* promiscuous is not owning: the wire still gets the frame */
	assert_int_equal(wire, 1);

	env_pf_wr(e, VFNIC_FN_RX_FILTER, 0);
	assert_int_equal(vf0_send(e, &tx, &pf, unknown, &wire), 0);
	assert_int_equal(wire, 1);
}

/*
 * The admin block's inputs to the table, each changed after a lookup: a
 * VF's MAC, its unicast filters, its PROMISC policy bit.
 */
static void test_vf_mac_table(void **state)
{
	struct env *e = *state;
	static const uint8_t mac_new[6] = { 0x02, 0, 0, 0, 0, 0x21 };
	static const uint8_t mac_flt[6] = { 0x02, 0, 0, 0, 0, 0x22 };
	unsigned vf1 = VFNIC_VF_TO_FN(1);
	uint32_t flt = VFNIC_ADM(vf1, VFNIC_ADM_MAC_FILTER + 3 * 8);
	struct env_qp tx, rx;
	uint32_t wire;

	env_qp_setup(e, &tx, VFNIC_VF_TO_FN(0), 0, 32);
	env_qp_setup(e, &rx, vf1, 0, 32);
	assert_int_equal(vf0_send(e, &tx, &rx, mac_vf1, &wire), 60);
	assert_int_equal(wire, 0);

	env_set_mac(e, vf1, mac_new);
	assert_int_equal(vf0_send(e, &tx, &rx, mac_new, &wire), 60);
	assert_int_equal(wire, 0);
	assert_int_equal(vf0_send(e, &tx, &rx, mac_vf1, &wire), 0);
	assert_int_equal(wire, 1);

	/* filter 3: LO, then HI with VALID */
	env_pf_wr(e, flt, 0x00000002);
	env_pf_wr(e, flt + 4, 0x2200 | VFNIC_MAC_VALID);
	assert_int_equal(vf0_send(e, &tx, &rx, mac_flt, &wire), 60);
	assert_int_equal(wire, 0);
	env_pf_wr(e, flt + 4, 0x2200);		/* VALID cleared */
	assert_int_equal(vf0_send(e, &tx, &rx, mac_flt, &wire), 0);
	assert_int_equal(wire, 1);

	/* PROMISC through the admin block; SPOOFCHK stays */
	env_pf_wr(e, VFNIC_ADM(vf1, VFNIC_ADM_POLICY),
		  VFNIC_POL_SPOOFCHK | VFNIC_POL_PROMISC);
	assert_int_equal(vf0_send(e, &tx, &rx, mac_vf1, &wire), 60);
	assert_int_equal(wire, 1);
	env_pf_wr(e, VFNIC_ADM(vf1, VFNIC_ADM_POLICY), VFNIC_POL_SPOOFCHK);
	assert_int_equal(vf0_send(e, &tx, &rx, mac_vf1, &wire), 0);
	assert_int_equal(wire, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pf_identity, setup, teardown),
		cmocka_unit_test(test_total_vfs_property),
		cmocka_unit_test_setup_teardown(test_enable_64_vfs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mailbox, setup_vfs, teardown),
		cmocka_unit_test_setup_teardown(test_vf_to_vf, setup_vfs, teardown),
		cmocka_unit_test_setup_teardown(test_broadcast_floods, setup_vfs,
						teardown),
		cmocka_unit_test_setup_teardown(test_link_disabled_drops,
						setup_vfs, teardown),
		cmocka_unit_test_setup_teardown(test_burst_routes_each_frame,
						setup_vfs, teardown),
		cmocka_unit_test_setup_teardown(test_anti_spoof, setup_vfs, teardown),
		cmocka_unit_test_setup_teardown(test_port_vlan, setup_vfs, teardown),
		cmocka_unit_test_setup_teardown(test_flr, setup_vfs, teardown),
		cmocka_unit_test_setup_teardown(test_rate_limit, setup_vfs, teardown),
		cmocka_unit_test_setup_teardown(test_pf_queue_reset, setup_vfs,
						teardown),
		cmocka_unit_test_setup_teardown(test_bad_input, setup_vfs, teardown),
		cmocka_unit_test_setup_teardown(test_dma_into_config_space,
						setup_vfs, teardown),
		cmocka_unit_test_setup_teardown(test_link_state, setup_vfs, teardown),
		cmocka_unit_test_setup_teardown(test_pf_own_mac, setup_vfs, teardown),
		cmocka_unit_test_setup_teardown(test_pf_promisc, setup_vfs, teardown),
		cmocka_unit_test_setup_teardown(test_vf_mac_table, setup_vfs,
						teardown),
	};

	return cmocka_run_group_tests_name("vfnic model (qtest)", tests, NULL,
					   NULL);
}
