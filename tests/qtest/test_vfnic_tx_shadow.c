// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The tx tails in memory (FN_TX_TAIL_SHADOW): after a doorbell the device
 * polls the tails a driver writes to RAM and tells it, through the
 * doorbell-wanted words, when it needs doorbells again; a bad tail or
 * address there only ever stops the function that gave it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "vfnic_env.h"

static const uint8_t mac_vf0[6] = { 0x02, 0, 0, 0, 0, 0x10 };
static const uint8_t mac_vf1[6] = { 0x02, 0, 0, 0, 0, 0x11 };
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
#define TX	VFNIC_VF_TO_FN(0)
#define RX	VFNIC_VF_TO_FN(1)
#define WAIT_S	10	/* generous: the machine running the tests is loaded */

struct shadow_env {
	struct env e;
	struct env_qp tx, rx;
	uint64_t block;		/* 64-byte aligned: env_alloc hands out pages */
};

/* The device polls for poll_us after it last found work. */
static int setup_poll(void **state, const char *opts)
{
	struct shadow_env *s = calloc(1, sizeof(*s));
	uint32_t one = 1, zero = 0;
	unsigned q;

	if (!s)
		return -1;
	*state = s;
	if (env_start(&s->e, opts) ||
	    env_vf_pair(&s->e, mac_vf0, &s->tx, mac_vf1, &s->rx, 64))
		return -1;
	s->block = env_alloc(&s->e, VFNIC_TX_SHADOW_SIZE);
	/* as hardware.md asks: tails of the empty rings, doorbells wanted */
	for (q = 0; q < VFNIC_MAX_QP; q++) {
		qtest_memwrite(s->e.qt, s->block + VFNIC_TX_SHADOW_TAIL(q),
			       &zero, 4);
		qtest_memwrite(s->e.qt, s->block + VFNIC_TX_SHADOW_WANTED(q),
			       &one, 4);
	}
	return 0;
}

static int setup_long(void **state)
{
	return setup_poll(state, "poll-us=30000000");
}

static int setup_short(void **state)
{
	return setup_poll(state, "poll-us=300000");
}

static int teardown(void **state)
{
	struct shadow_env *s = *state;

	assert_true(qtest_alive(s->e.qt));
	env_stop(&s->e);
	free(s);
	return 0;
}

static void block_enable(struct shadow_env *s, uint64_t addr)
{
	env_wr(&s->e, TX, VFNIC_FN_TX_TAIL_SHADOW_HI, addr >> 32);
	env_wr(&s->e, TX, VFNIC_FN_TX_TAIL_SHADOW_LO,
	       (uint32_t)addr | VFNIC_TX_SHADOW_ENABLE);
}

static uint32_t wanted(struct shadow_env *s)
{
	uint32_t v;

	qtest_memread(s->e.qt, s->block + VFNIC_TX_SHADOW_WANTED(s->tx.q),
		      &v, 4);
	return v;
}

static void post(struct shadow_env *s, unsigned n)
{
	uint8_t f[60];

	env_frame(f, mac_vf1, mac_vf0, sizeof(f));
	while (n--)
		env_tx_post(&s->e, &s->tx, f, sizeof(f), VFNIC_TXD_CMD_EOP, 0);
}

/* What the driver does after posting: the tail to memory, then maybe the register. */
static bool publish(struct shadow_env *s, uint32_t tail)
{
	bool ring;

	qtest_memwrite(s->e.qt, s->block + VFNIC_TX_SHADOW_TAIL(s->tx.q),
		       &tail, 4);
	ring = wanted(s) != 0;
	if (ring)
		env_wr(&s->e, TX, VFNIC_QP_REG(s->tx.q, VFNIC_TXQ_TAIL), tail);
	return ring;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Wait for the VF's rx counter to reach n; false after WAIT_S. */
static bool wait_rx(struct shadow_env *s, uint64_t n)
{
	double end = now_s() + WAIT_S;

	while (env_stat(&s->e, RX, VFNIC_STAT_RX_PKTS) < n) {
		if (now_s() > end)
			return false;
		usleep(1000);
	}
	return true;
}

static bool wait_wanted(struct shadow_env *s, uint32_t want)
{
	double end = now_s() + WAIT_S;

	while ((wanted(s) != 0) != (want != 0)) {
		if (now_s() > end)
			return false;
		usleep(1000);
	}
	return true;
}

/* A doorbell starts the polling; then tails in memory alone are sent. */
static void test_polled_without_doorbell(void **state)
{
	struct shadow_env *s = *state;

	assert_true(env_rd(&s->e, TX, VFNIC_FN_CAPS) & VFNIC_FN_CAPS_TX_SHADOW);
	block_enable(s, s->block);
	assert_int_equal(env_rd(&s->e, TX, VFNIC_FN_TX_TAIL_SHADOW_LO),
			 (uint32_t)s->block | VFNIC_TX_SHADOW_ENABLE);

	/* not polling yet: the driver rings, and the frames go at once */
	post(s, 3);
	assert_true(publish(s, s->tx.tx_next));
	assert_int_equal(env_stat(&s->e, RX, VFNIC_STAT_RX_PKTS), 3);

	/* the device now polls and says so */
	assert_true(wait_wanted(s, 0));
	post(s, 2);
	assert_false(publish(s, s->tx.tx_next));
	assert_true(wait_rx(s, 5));
	assert_int_equal(env_rd(&s->e, TX, VFNIC_QP_REG(0, VFNIC_TXQ_HEAD)),
			 s->tx.tx_next);
	assert_int_equal(env_rd(&s->e, TX, VFNIC_QP_REG(0, VFNIC_TXQ_TAIL)),
			 s->tx.tx_next);
	assert_int_equal(env_stat(&s->e, TX, VFNIC_STAT_TX_PKTS), 5);
}

/* Idle for poll-us, the device asks for doorbells again and waits for one. */
static void test_doorbells_wanted_again(void **state)
{
	struct shadow_env *s = *state;
	uint64_t tx;

	block_enable(s, s->block);
	post(s, 1);
	assert_true(publish(s, s->tx.tx_next));
	assert_true(wait_wanted(s, 0));
	assert_true(wait_wanted(s, 1));

	/* a tail in memory without the doorbell it asks for stays unsent */
	post(s, 1);
	qtest_memwrite(s->e.qt, s->block + VFNIC_TX_SHADOW_TAIL(0),
		       &s->tx.tx_next, 4);
	usleep(200 * 1000);
	tx = env_stat(&s->e, TX, VFNIC_STAT_TX_PKTS);
	assert_int_equal(tx, 1);
	env_wr(&s->e, TX, VFNIC_QP_REG(0, VFNIC_TXQ_TAIL), s->tx.tx_next);
	assert_int_equal(env_stat(&s->e, RX, VFNIC_STAT_RX_PKTS), 2);
}

/* A tail outside the ring is ignored; the ring goes on. */
static void test_bad_tail_in_memory(void **state)
{
	struct shadow_env *s = *state;
	uint32_t bad = 64;	/* the ring has 64 descriptors */

	block_enable(s, s->block);
	post(s, 1);
	assert_true(publish(s, s->tx.tx_next));
	assert_true(wait_wanted(s, 0));
	qtest_memwrite(s->e.qt, s->block + VFNIC_TX_SHADOW_TAIL(0), &bad, 4);
	usleep(100 * 1000);
	assert_int_equal(env_rd(&s->e, TX, VFNIC_QP_REG(0, VFNIC_TXQ_TAIL)), 1);
	assert_int_equal(env_rd(&s->e, TX, VFNIC_QP_REG(0, VFNIC_TXQ_CTRL)),
			 VFNIC_Q_CTRL_ENABLE);
	assert_true(qtest_log_has(s->e.qt, "tx tail 64 in memory outside ring"));
	post(s, 1);
	publish(s, s->tx.tx_next);
	assert_true(wait_rx(s, 2));

	/* a misaligned address is refused and the old one kept */
	env_wr(&s->e, TX, VFNIC_FN_TX_TAIL_SHADOW_LO, (uint32_t)s->block | 0x21);
	assert_int_equal(env_rd(&s->e, TX, VFNIC_FN_TX_TAIL_SHADOW_LO),
			 (uint32_t)s->block | VFNIC_TX_SHADOW_ENABLE);
}

/* Nothing mapped at the block: the VF's tx ring stops, nothing else. */
static void test_block_dma_fault(void **state)
{
	struct shadow_env *s = *state;
	struct env_qp pf;
	uint8_t f[60], got[128];

	block_enable(s, 0xfff000000000ULL);
	post(s, 1);
	env_wr(&s->e, TX, VFNIC_QP_REG(0, VFNIC_TXQ_TAIL), s->tx.tx_next);
	assert_int_equal(env_stat(&s->e, RX, VFNIC_STAT_RX_PKTS), 1);
	/* the first poll writes the doorbell-wanted word: a fault */
	for (int i = 0; i < WAIT_S * 100 &&
	     env_rd(&s->e, TX, VFNIC_QP_REG(0, VFNIC_TXQ_CTRL)) !=
	     VFNIC_Q_CTRL_ERROR; i++)
		usleep(10 * 1000);
	assert_int_equal(env_rd(&s->e, TX, VFNIC_QP_REG(0, VFNIC_TXQ_CTRL)),
			 VFNIC_Q_CTRL_ERROR);
	assert_int_equal(env_stat(&s->e, TX, VFNIC_STAT_TX_ERR), 1);

	/* the other VF and the PF carry on */
	env_qp_setup(&s->e, &pf, VFNIC_FN_PF, 0, 64);
	env_frame(f, bcast, mac_vf1, sizeof(f));
	env_tx(&s->e, &s->rx, f, sizeof(f), VFNIC_TXD_CMD_EOP, 0);
	assert_int_equal(env_rx(&s->e, &pf, got, sizeof(got), NULL, NULL), 60);
}

/*
 * A frame whose last descriptor is not posted yet is looked at on every
 * pass, and must not raise the queue's interrupt each time: only sent
 * frames do.
 */
static void test_interrupt_only_when_sent(void **state)
{
	struct shadow_env *s = *state;
	uint8_t f[60];
	unsigned vec = 1;

	env_msix_setup(&s->e, TX, vec);
	env_wr(&s->e, TX, VFNIC_QP_REG(0, VFNIC_QP_INT),
	       VFNIC_QP_INT_ENABLE | vec);
	block_enable(s, s->block);
	env_frame(f, mac_vf1, mac_vf0, sizeof(f));
	env_tx_post(&s->e, &s->tx, f, 30, 0, 0);	/* no EOP */
	assert_true(publish(s, s->tx.tx_next));
	assert_true(wait_wanted(s, 0));
	usleep(100 * 1000);
	assert_false(env_msix_fired(&s->e, TX, vec));
	env_tx_post(&s->e, &s->tx, f + 30, 30, VFNIC_TXD_CMD_EOP, 0);
	assert_false(publish(s, s->tx.tx_next));
	assert_true(wait_rx(s, 1));
	assert_true(env_msix_fired(&s->e, TX, vec));
}

static void test_queue_reset_clears(void **state)
{
	struct shadow_env *s = *state;

	block_enable(s, s->block);
	env_pf_wr(&s->e, VFNIC_ADM(TX, VFNIC_ADM_CTRL), VFNIC_ADM_CTRL_QRESET);
	assert_int_equal(env_rd(&s->e, TX, VFNIC_FN_TX_TAIL_SHADOW_LO), 0);
	assert_int_equal(env_rd(&s->e, TX, VFNIC_FN_TX_TAIL_SHADOW_HI), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_polled_without_doorbell,
						setup_long, teardown),
		cmocka_unit_test_setup_teardown(test_doorbells_wanted_again,
						setup_short, teardown),
		cmocka_unit_test_setup_teardown(test_bad_tail_in_memory,
						setup_long, teardown),
		cmocka_unit_test_setup_teardown(test_block_dma_fault,
						setup_long, teardown),
		cmocka_unit_test_setup_teardown(test_interrupt_only_when_sent,
						setup_long, teardown),
		cmocka_unit_test_setup_teardown(test_queue_reset_clears,
						setup_long, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
