// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The traffic generator (GLB_TGEN_*): frames built in the device enter the
 * switch as if from the uplink, to whichever function owns their
 * destination, and are counted exactly: what the generator says it sent is
 * what the functions received, dropped for want of a descriptor, or left
 * for nobody.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "vfnic_env.h"

static const uint8_t mac_vf0[6] = { 0x02, 0, 0, 0, 0, 0x10 };
static const uint8_t mac_vf1[6] = { 0x02, 0, 0, 0, 0, 0x11 };
static const uint8_t mac_nobody[6] = { 0x02, 0, 0, 0, 0, 0x99 };
static const uint8_t tgen_src[6] = VFNIC_TGEN_SRC_MAC;
#define RX	VFNIC_VF_TO_FN(1)
#define WAIT_S	10	/* generous: the machine running the tests is loaded */

struct tgen_env {
	struct env e;
	struct env_qp qp0, qp1;
};

static int setup(void **state)
{
	struct tgen_env *s = calloc(1, sizeof(*s));

	if (!s)
		return -1;
	*state = s;
	if (env_start(&s->e, NULL) ||
	    env_vf_pair(&s->e, mac_vf0, &s->qp0, mac_vf1, &s->qp1, 64))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	struct tgen_env *s = *state;

	assert_true(qtest_alive(s->e.qt));
	env_stop(&s->e);
	free(s);
	return 0;
}

static void tgen_set(struct env *e, const uint8_t dst[6], uint32_t len,
		     uint64_t count)
{
	env_pf_wr(e, VFNIC_GLB_TGEN_DST_LO, dst[0] | dst[1] << 8 |
		  dst[2] << 16 | (uint32_t)dst[3] << 24);
	env_pf_wr(e, VFNIC_GLB_TGEN_DST_HI, dst[4] | dst[5] << 8);
	env_pf_wr(e, VFNIC_GLB_TGEN_LEN, len);
	env_pf_wr(e, VFNIC_GLB_TGEN_COUNT_LO, (uint32_t)count);
	env_pf_wr(e, VFNIC_GLB_TGEN_COUNT_HI, count >> 32);
}

/* Wait for the device to clear ENABLE after COUNT frames. */
static void wait_done(struct env *e)
{
	time_t end = time(NULL) + WAIT_S;

	while (env_pf_rd(e, VFNIC_GLB_TGEN_CTRL) & VFNIC_TGEN_ENABLE) {
		if (time(NULL) > end)
			fail_msg("generator still on after %d s, sent %llu",
				 WAIT_S, (unsigned long long)env_pf_rd64(
					 e, VFNIC_GLB_TGEN_SENT_LO));
		usleep(1000);
	}
}

static uint64_t wait_sent_above(struct env *e, uint64_t floor)
{
	time_t end = time(NULL) + WAIT_S;
	uint64_t sent;

	while ((sent = env_pf_rd64(e, VFNIC_GLB_TGEN_SENT_LO)) <= floor) {
		if (time(NULL) > end)
			fail_msg("generator sent %llu, not above %llu in %d s",
				 (unsigned long long)sent,
				 (unsigned long long)floor, WAIT_S);
		usleep(1000);
	}
	return sent;
}

/* Send COUNT frames of len bytes to dst and wait until all are sent. */
static void tgen_run(struct env *e, const uint8_t dst[6], uint32_t len,
		     uint64_t count)
{
	tgen_set(e, dst, len, count);
	env_pf_wr(e, VFNIC_GLB_TGEN_CTRL, VFNIC_TGEN_ENABLE);
	wait_done(e);
	assert_int_equal(env_pf_rd64(e, VFNIC_GLB_TGEN_SENT_LO), count);
}

/*
 * qp holds exactly n frames of len bytes (at most 128) to dst, numbered
 * from 0, as the generator builds them, and nothing after them.
 */
static void expect_numbered(struct env *e, struct env_qp *qp,
			    const uint8_t dst[6], uint32_t len, uint32_t n)
{
	uint8_t got[128], want[128] = { 0 };
	uint32_t i;

	assert_true(len <= sizeof(want));
	env_eth_hdr(want, dst, tgen_src, VFNIC_TGEN_ETHERTYPE);
	for (i = 0; i < n; i++) {
		assert_int_equal(env_rx(e, qp, got, sizeof(got), NULL, NULL),
				 len);
		want[14] = i >> 24;
		want[15] = i >> 16;
		want[16] = i >> 8;
		want[17] = i;
		assert_memory_equal(got, want, len);
	}
	assert_int_equal(env_rx(e, qp, got, sizeof(got), NULL, NULL), 0);
}

/* COUNT frames reach the owner of their MAC, in order, as specified. */
static void test_count_to_vf(void **state)
{
	struct tgen_env *s = *state;
	struct env *e = &s->e;
	uint8_t got[128];

	tgen_run(e, mac_vf1, 100, 5);
	expect_numbered(e, &s->qp1, mac_vf1, 100, 5);
	assert_int_equal(env_stat(e, RX, VFNIC_STAT_RX_PKTS), 5);
	/* VF 0 got none, and the wire's own counter is for the wire */
	assert_int_equal(env_rx(e, &s->qp0, got, sizeof(got), NULL, NULL), 0);
	assert_int_equal(env_pf_rd64(e, VFNIC_GLB_STATS + VFNIC_GSTAT_UPLINK_RX), 0);
}

/*
 * Broadcast reaches every function, frame by frame, across bursts: the
 * device routes a burst once, and each frame is still delivered to all.
 */
static void test_broadcast_to_all(void **state)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct tgen_env *s = *state;
	struct env *e = &s->e;
	struct env_qp *qp[2] = { &s->qp0, &s->qp1 };
	uint32_t v;

	/* 40: a whole burst of 32 and part of the next */
	tgen_run(e, bcast, 60, 40);
	for (v = 0; v < 2; v++) {
		expect_numbered(e, qp[v], bcast, 60, 40);
		assert_int_equal(env_stat(e, VFNIC_VF_TO_FN(v),
					  VFNIC_STAT_RX_PKTS), 40);
	}
}

/* A ring that fills drops the rest, and each dropped frame is counted. */
static void test_full_ring_drops(void **state)
{
	struct tgen_env *s = *state;
	struct env *e = &s->e;
	uint8_t got[128];
	unsigned n = 0;

	tgen_run(e, mac_vf1, 60, 1000);
	/* the device never owns the last descriptor: 63 of 64 */
	assert_int_equal(env_stat(e, RX, VFNIC_STAT_RX_PKTS), 63);
	assert_int_equal(env_stat(e, RX, VFNIC_STAT_RX_DROP), 1000 - 63);
	while (env_rx(e, &s->qp1, got, sizeof(got), NULL, NULL) == 60)
		n++;
	assert_int_equal(n, 63);
}

/* Frames for a MAC nobody owns are counted as such, one by one. */
static void test_no_destination(void **state)
{
	struct tgen_env *s = *state;
	struct env *e = &s->e;
	uint64_t before = env_pf_rd64(e, VFNIC_GLB_STATS + VFNIC_GSTAT_NO_DEST);

	tgen_run(e, mac_nobody, 1514, 300);
	assert_int_equal(env_pf_rd64(e, VFNIC_GLB_STATS + VFNIC_GSTAT_NO_DEST),
			 before + 300);
	assert_int_equal(env_stat(e, RX, VFNIC_STAT_RX_PKTS), 0);
}

/* COUNT 0 runs until ENABLE is cleared, and then nothing more is sent. */
static void test_run_until_stopped(void **state)
{
	struct tgen_env *s = *state;
	struct env *e = &s->e;
	uint64_t sent;

	tgen_set(e, mac_nobody, 60, 0);
	env_pf_wr(e, VFNIC_GLB_TGEN_CTRL, VFNIC_TGEN_ENABLE);
	wait_sent_above(e, 10000);
	assert_int_equal(env_pf_rd(e, VFNIC_GLB_TGEN_CTRL), VFNIC_TGEN_ENABLE);
	env_pf_wr(e, VFNIC_GLB_TGEN_CTRL, 0);
	sent = env_pf_rd64(e, VFNIC_GLB_TGEN_SENT_LO);
	usleep(100 * 1000);
	assert_int_equal(env_pf_rd64(e, VFNIC_GLB_TGEN_SENT_LO), sent);
	assert_int_equal(env_pf_rd64(e, VFNIC_GLB_STATS + VFNIC_GSTAT_NO_DEST),
			 sent);
	/* enabling again starts the count afresh */
	env_pf_wr(e, VFNIC_GLB_TGEN_COUNT_LO, 7);
	env_pf_wr(e, VFNIC_GLB_TGEN_CTRL, VFNIC_TGEN_ENABLE);
	wait_done(e);
	assert_int_equal(env_pf_rd64(e, VFNIC_GLB_TGEN_SENT_LO), 7);
}

/* Lengths outside 60-1514 are refused; the device keeps the last good. */
static void test_bad_length(void **state)
{
	struct tgen_env *s = *state;
	struct env *e = &s->e;

	assert_int_equal(env_pf_rd(e, VFNIC_GLB_TGEN_LEN), 60);
	env_pf_wr(e, VFNIC_GLB_TGEN_LEN, 59);
	assert_int_equal(env_pf_rd(e, VFNIC_GLB_TGEN_LEN), 60);
	env_pf_wr(e, VFNIC_GLB_TGEN_LEN, 1514);
	env_pf_wr(e, VFNIC_GLB_TGEN_LEN, 1515);
	env_pf_wr(e, VFNIC_GLB_TGEN_LEN, 0xffffffff);
	assert_int_equal(env_pf_rd(e, VFNIC_GLB_TGEN_LEN), 1514);
	env_pf_wr(e, VFNIC_GLB_TGEN_DST_HI, 0xffffffff);
	assert_int_equal(env_pf_rd(e, VFNIC_GLB_TGEN_DST_HI), 0xffff);
	env_pf_wr(e, VFNIC_GLB_TGEN_CTRL, 0xfffffffe);
	assert_int_equal(env_pf_rd(e, VFNIC_GLB_TGEN_CTRL), 0);
	assert_int_equal(env_pf_rd64(e, VFNIC_GLB_TGEN_SENT_LO), 0);
}

/* A PF reset stops the generator and sets its registers to defaults. */
static void test_pf_reset_stops(void **state)
{
	struct tgen_env *s = *state;
	struct env *e = &s->e;

	tgen_set(e, mac_nobody, 200, 0);
	env_pf_wr(e, VFNIC_GLB_TGEN_CTRL, VFNIC_TGEN_ENABLE);
	wait_sent_above(e, 0);
	env_pf_wr(e, VFNIC_FN_CTRL, VFNIC_FN_CTRL_RST);
	assert_int_equal(env_pf_rd(e, VFNIC_GLB_TGEN_CTRL), 0);
	assert_int_equal(env_pf_rd(e, VFNIC_GLB_TGEN_LEN), 60);
	assert_int_equal(env_pf_rd(e, VFNIC_GLB_TGEN_DST_LO), 0);
	assert_int_equal(env_pf_rd(e, VFNIC_GLB_TGEN_DST_HI), 0);
	assert_int_equal(env_pf_rd64(e, VFNIC_GLB_TGEN_COUNT_LO), 0);
	assert_int_equal(env_pf_rd64(e, VFNIC_GLB_TGEN_SENT_LO), 0);
	usleep(50 * 1000);
	assert_int_equal(env_pf_rd64(e, VFNIC_GLB_TGEN_SENT_LO), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_count_to_vf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_broadcast_to_all, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_full_ring_drops, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_no_destination, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_run_until_stopped, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_bad_length, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pf_reset_stops, setup,
						teardown),
	};

	return cmocka_run_group_tests_name("vfnic traffic generator (qtest)",
					   tests, NULL, NULL);
}
