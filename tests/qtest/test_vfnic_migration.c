// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vfnic state survives migration: the PF's core (function and admin
 * blocks, mailbox, rings, counters) and the VFs QEMU must re-create on the
 * destination before their own state arrives.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "vfnic_env.h"

static const uint8_t mac_vf0[6] = { 0x02, 0, 0, 0, 0, 0x10 };
static const uint8_t mac_vf1[6] = { 0x02, 0, 0, 0, 0, 0x11 };

static void wait_for(struct qtest *qt, const char *cmd, const char *want)
{
	int i;

	for (i = 0; i < 300; i++) {
		const char *r = qtest_qmp(qt, cmd);

		if (strstr(r, want))
			return;
		assert_null(strstr(r, "\"failed\""));
		usleep(100 * 1000);
	}
	fail_msg("%s never reported %s", cmd, want);
}

/* Migrate src through a file to dst, a new machine with dst_opts on vfnic. */
static void migrate(struct env *src, struct env *dst, const char *dst_opts)
{
	char file[128], incoming[256], cmd[256];

	snprintf(file, sizeof(file), "/tmp/vfnic-migration-%d", getpid());
	snprintf(cmd, sizeof(cmd), "{\"execute\": \"migrate\", \"arguments\": "
		 "{\"uri\": \"exec:cat > %s\"}}", file);
	assert_null(strstr(qtest_qmp(src->qt, cmd), "error"));
	wait_for(src->qt, "{\"execute\": \"query-migrate\"}",
		 "\"status\": \"completed\"");
	env_stop(src);

	snprintf(incoming, sizeof(incoming), "-incoming 'exec:cat %s'", file);
	assert_int_equal(env_boot(dst, dst_opts, incoming), 0);
	wait_for(dst->qt, "{\"execute\": \"query-status\"}",
		 "\"status\": \"running\"");
	unlink(file);
}

static void test_migrate_vfs(void **state)
{
	struct env src, dst;
	struct env_qp tx, rx, tx2, rx2;
	uint8_t f[64], got[128];
	unsigned vf0 = VFNIC_VF_TO_FN(0), vf1 = VFNIC_VF_TO_FN(1);

	(void)state;
	assert_int_equal(env_start(&src, NULL), 0);
	assert_int_equal(env_enable_vfs(&src, 3), 3);
	env_set_mac(&src, vf0, mac_vf0);
	env_set_mac(&src, vf1, mac_vf1);
	env_pf_wr(&src, VFNIC_ADM(vf1, VFNIC_ADM_TX_RATE), 1000);
	env_pf_wr(&src, VFNIC_FN_VLAN_STRIP, 1);
	env_qp_setup(&src, &tx, vf0, 0, 32);
	env_qp_setup(&src, &rx, vf1, 0, 32);
	env_frame(f, mac_vf1, mac_vf0, 60);
	env_tx(&src, &tx, f, 60, VFNIC_TXD_CMD_EOP, 0);
	assert_int_equal(env_rx(&src, &rx, got, sizeof(got), NULL, NULL), 60);
	/* a mailbox request in flight */
	env_wr(&src, vf0, VFNIC_MBX_VF2PF, 0xfeed);
	env_wr(&src, vf0, VFNIC_MBX_CTRL, VFNIC_MBX_REQ);

	migrate(&src, &dst, NULL);

	/* the VFs exist again, with what the PF and the VFs had set */
	assert_int_equal(env_pf_rd(&dst, VFNIC_GLB_NUM_VFS), 3);
	assert_int_equal(env_pf_rd(&dst, VFNIC_FN_VLAN_STRIP), 1);
	assert_int_equal(env_rd(&dst, vf1, VFNIC_FN_ID),
			 VFNIC_FN_ID_IS_VF | vf1);
	assert_int_equal(env_rd(&dst, vf1, VFNIC_FN_MAC_HI),
			 0x1100 | VFNIC_MAC_VALID);
	assert_int_equal(env_pf_rd(&dst, VFNIC_ADM(vf1, VFNIC_ADM_TX_RATE)),
			 1000);
	assert_int_equal(env_stat(&dst, vf1, VFNIC_STAT_RX_PKTS), 1);
	assert_int_equal(env_stat(&dst, vf0, VFNIC_STAT_TX_PKTS), 1);
	assert_int_equal(env_pf_rd(&dst, VFNIC_GLB_MBX_REQ_LO), 1);
	assert_int_equal(env_pf_rd(&dst, VFNIC_ADM(vf0, VFNIC_MBX_VF2PF)),
			 0xfeed);
	/* and the rings carry on where they were */
	tx2 = tx;
	rx2 = rx;
	dst.brk = src.brk;
	env_tx(&dst, &tx2, f, 60, VFNIC_TXD_CMD_EOP, 0);
	assert_int_equal(env_rx(&dst, &rx2, got, sizeof(got), NULL, NULL), 60);
	assert_memory_equal(got, f, 60);
	assert_true(qtest_alive(dst.qt));
	env_stop(&dst);
}

static uint32_t mem32(struct env *e, uint64_t addr)
{
	uint32_t v;

	qtest_memread(e->qt, addr, &v, 4);
	return v;
}

static void wait_mem32(struct env *e, uint64_t addr, uint32_t want)
{
	int i;

	for (i = 0; i < 1000 && mem32(e, addr) != want; i++)
		usleep(10 * 1000);
	assert_int_equal(mem32(e, addr), want);
}

/*
 * Migrated while the device polls a VF's tx tail in memory, which told its
 * driver not to ring: the destination knows the block, polls, and asks for
 * doorbells again once idle, or the driver would never ring again.
 */
static void test_migrate_tx_polling(void **state)
{
	struct env src, dst;
	struct env_qp tx, rx, tx2, rx2;
	uint8_t f[60], got[128];
	unsigned vf0 = VFNIC_VF_TO_FN(0);
	uint64_t block, word;
	uint32_t one = 1, tail;

	(void)state;
	assert_int_equal(env_start(&src, "poll-us=60000000"), 0);
	assert_int_equal(env_vf_pair(&src, mac_vf0, &tx, mac_vf1, &rx, 32), 0);
	block = env_alloc(&src, VFNIC_TX_SHADOW_SIZE);
	word = block + VFNIC_TX_SHADOW_WANTED(0);
	qtest_memwrite(src.qt, word, &one, 4);
	env_wr(&src, vf0, VFNIC_FN_TX_TAIL_SHADOW_LO,
	       (uint32_t)block | VFNIC_TX_SHADOW_ENABLE);
	env_frame(f, mac_vf1, mac_vf0, sizeof(f));
	env_tx(&src, &tx, f, sizeof(f), VFNIC_TXD_CMD_EOP, 0);
	wait_mem32(&src, word, 0);

	migrate(&src, &dst, "poll-us=1000");
	assert_int_equal(env_rd(&dst, vf0, VFNIC_FN_TX_TAIL_SHADOW_LO),
			 (uint32_t)block | VFNIC_TX_SHADOW_ENABLE);
	wait_mem32(&dst, word, 1);

	/* the driver rings as asked, and the ring carries on */
	tx2 = tx;
	rx2 = rx;
	dst.brk = src.brk;
	env_tx_post(&dst, &tx2, f, sizeof(f), VFNIC_TXD_CMD_EOP, 0);
	tail = tx2.tx_next;
	qtest_memwrite(dst.qt, block + VFNIC_TX_SHADOW_TAIL(0), &tail, 4);
	env_wr(&dst, vf0, VFNIC_QP_REG(0, VFNIC_TXQ_TAIL), tail);
	assert_int_equal(env_rx(&dst, &rx2, got, sizeof(got), NULL, NULL), 60);
	assert_true(qtest_alive(dst.qt));
	env_stop(&dst);
}

static uint64_t tgen_sent(struct env *e)
{
	return env_pf_rd64(e, VFNIC_GLB_TGEN_SENT_LO);
}

/*
 * Migrated while the traffic generator runs: its registers arrive, and it
 * goes on from where it was, though the destination's poll-us is 0.
 */
static void test_migrate_tgen(void **state)
{
	struct env src, dst;
	uint64_t sent;
	int i;

	(void)state;
	assert_int_equal(env_start(&src, NULL), 0);
	env_pf_wr(&src, VFNIC_GLB_TGEN_DST_LO, 0x00000002);
	env_pf_wr(&src, VFNIC_GLB_TGEN_DST_HI, 0x9900);
	env_pf_wr(&src, VFNIC_GLB_TGEN_LEN, 128);
	env_pf_wr(&src, VFNIC_GLB_TGEN_CTRL, VFNIC_TGEN_ENABLE);
	for (i = 0; i < 10000 && !tgen_sent(&src); i++)
		usleep(1000);
	assert_true(tgen_sent(&src) > 0);

	migrate(&src, &dst, NULL);
	assert_int_equal(env_pf_rd(&dst, VFNIC_GLB_TGEN_CTRL),
			 VFNIC_TGEN_ENABLE);
	assert_int_equal(env_pf_rd(&dst, VFNIC_GLB_TGEN_LEN), 128);
	assert_int_equal(env_pf_rd(&dst, VFNIC_GLB_TGEN_DST_LO), 0x00000002);
	assert_int_equal(env_pf_rd(&dst, VFNIC_GLB_TGEN_DST_HI), 0x9900);
	sent = tgen_sent(&dst);
	assert_true(sent > 0);
	for (i = 0; i < 10000 && tgen_sent(&dst) == sent; i++)
		usleep(1000);
	assert_true(tgen_sent(&dst) > sent);
	env_stop(&dst);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_migrate_vfs),
		cmocka_unit_test(test_migrate_tx_polling),
		cmocka_unit_test(test_migrate_tgen),
	};

	return cmocka_run_group_tests_name("vfnic migration (qtest)", tests,
					   NULL, NULL);
}
