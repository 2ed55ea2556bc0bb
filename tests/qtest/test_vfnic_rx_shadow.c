// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The rx tail in memory (FN_RX_TAIL_SHADOW): the device takes a polling
 * driver's tail from RAM when its register copy runs out, and a bad value
 * or address there only ever hurts the function that gave it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "vfnic_env.h"

static const uint8_t mac_vf0[6] = { 0x02, 0, 0, 0, 0, 0x10 };
static const uint8_t mac_vf1[6] = { 0x02, 0, 0, 0, 0, 0x11 };
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
#define TX	VFNIC_VF_TO_FN(0)
#define RX	VFNIC_VF_TO_FN(1)

struct shadow_env {
	struct env e;
	struct env_qp tx, rx;
	uint64_t shadow;	/* 64-byte aligned: env_alloc hands out pages */
};

static int setup(void **state)
{
	struct shadow_env *s = calloc(1, sizeof(*s));

	if (!s)
		return -1;
	*state = s;
	if (env_start(&s->e, NULL) ||
	    env_vf_pair(&s->e, mac_vf0, &s->tx, mac_vf1, &s->rx, 64))
		return -1;
	/* restart the rx ring: head = tail = 0, nothing given by register */
	env_wr(&s->e, RX, VFNIC_QP_REG(0, VFNIC_RXQ_CTRL), 0);
	env_wr(&s->e, RX, VFNIC_QP_REG(0, VFNIC_RXQ_CTRL), VFNIC_Q_CTRL_ENABLE);
	s->shadow = env_alloc(&s->e, 64);
	return 0;
}

static int teardown(void **state)
{
	struct shadow_env *s = *state;

	assert_true(qtest_alive(s->e.qt));
	env_stop(&s->e);
	free(s);
	return 0;
}

static void set_shadow_tail(struct shadow_env *s, uint32_t tail)
{
	qtest_memwrite(s->e.qt, s->shadow + 4 * s->rx.q, &tail, 4);
}

static void shadow_enable(struct shadow_env *s, uint64_t addr)
{
	env_wr(&s->e, RX, VFNIC_FN_RX_TAIL_SHADOW_HI, addr >> 32);
	env_wr(&s->e, RX, VFNIC_FN_RX_TAIL_SHADOW_LO,
	       (uint32_t)addr | VFNIC_RX_SHADOW_ENABLE);
}

static void send(struct shadow_env *s, unsigned n)
{
	uint8_t f[60];

	env_frame(f, mac_vf1, mac_vf0, sizeof(f));
	while (n--)
		env_tx(&s->e, &s->tx, f, sizeof(f), VFNIC_TXD_CMD_EOP, 0);
}

static void test_tail_from_memory(void **state)
{
	struct shadow_env *s = *state;
	uint8_t got[128];
	uint16_t sta;
	unsigned i;

	assert_true(env_rd(&s->e, RX, VFNIC_FN_CAPS) & VFNIC_FN_CAPS_RX_SHADOW);
	set_shadow_tail(s, 0);
	shadow_enable(s, s->shadow);
	assert_int_equal(env_rd(&s->e, RX, VFNIC_FN_RX_TAIL_SHADOW_LO),
			 (uint32_t)s->shadow | VFNIC_RX_SHADOW_ENABLE);

	/* nothing given anywhere: the frame is dropped for want of room */
	send(s, 1);
	assert_int_equal(env_stat(&s->e, RX, VFNIC_STAT_RX_DROP), 1);

	/* five descriptors given in memory only */
	set_shadow_tail(s, 5);
	send(s, 6);
	assert_int_equal(env_stat(&s->e, RX, VFNIC_STAT_RX_PKTS), 5);
	assert_int_equal(env_stat(&s->e, RX, VFNIC_STAT_RX_DROP), 2);
	/* the register shows the tail the device took from memory */
	assert_int_equal(env_rd(&s->e, RX, VFNIC_QP_REG(0, VFNIC_RXQ_TAIL)), 5);
	assert_int_equal(env_rd(&s->e, RX, VFNIC_QP_REG(0, VFNIC_RXQ_HEAD)), 5);
	/* (env_rx gives each slot back through the tail register) */
	for (i = 0; i < 5; i++)
		assert_int_equal(env_rx(&s->e, &s->rx, got, sizeof(got), &sta,
					NULL), 60);
	assert_int_equal(env_rx(&s->e, &s->rx, got, sizeof(got), &sta, NULL),
			 0);

	/* the tail register still works beside it */
	send(s, 1);
	assert_int_equal(env_stat(&s->e, RX, VFNIC_STAT_RX_PKTS), 6);
}

/* A burst in one doorbell fills every descriptor the tail in memory gives. */
static void test_burst_from_memory(void **state)
{
	struct shadow_env *s = *state;
	uint8_t f[60];
	unsigned i;

	env_frame(f, mac_vf1, mac_vf0, sizeof(f));
	set_shadow_tail(s, 40);
	shadow_enable(s, s->shadow);
	for (i = 0; i < 48; i++)
		env_tx_post(&s->e, &s->tx, f, sizeof(f), VFNIC_TXD_CMD_EOP, 0);
	env_wr(&s->e, TX, VFNIC_QP_REG(0, VFNIC_TXQ_TAIL), s->tx.tx_next);
	assert_int_equal(env_stat(&s->e, RX, VFNIC_STAT_RX_PKTS), 40);
	assert_int_equal(env_stat(&s->e, RX, VFNIC_STAT_RX_DROP), 8);
}

static void test_bad_tail_in_memory(void **state)
{
	struct shadow_env *s = *state;

	set_shadow_tail(s, 64);		/* outside the ring of 64 */
	shadow_enable(s, s->shadow);
	send(s, 2);
	assert_int_equal(env_stat(&s->e, RX, VFNIC_STAT_RX_DROP), 2);
	assert_int_equal(env_rd(&s->e, RX, VFNIC_QP_REG(0, VFNIC_RXQ_TAIL)), 0);
	/* the ring keeps running and takes a good value later */
	assert_int_equal(env_rd(&s->e, RX, VFNIC_QP_REG(0, VFNIC_RXQ_CTRL)),
			 VFNIC_Q_CTRL_ENABLE);
	set_shadow_tail(s, 1);
	send(s, 1);
	assert_int_equal(env_stat(&s->e, RX, VFNIC_STAT_RX_PKTS), 1);

	/* a misaligned address is refused and the old one kept */
	env_wr(&s->e, RX, VFNIC_FN_RX_TAIL_SHADOW_LO, (uint32_t)s->shadow | 0x21);
	assert_int_equal(env_rd(&s->e, RX, VFNIC_FN_RX_TAIL_SHADOW_LO),
			 (uint32_t)s->shadow | VFNIC_RX_SHADOW_ENABLE);
}

static void test_shadow_dma_fault(void **state)
{
	struct shadow_env *s = *state;
	struct env_qp other;
	uint8_t f[60], got[128];
	uint16_t sta;

	/* nothing is mapped there: the VF's own rx ring stops, nothing else */
	shadow_enable(s, 0xfff000000000ULL);
	send(s, 1);
	assert_int_equal(env_rd(&s->e, RX, VFNIC_QP_REG(0, VFNIC_RXQ_CTRL)),
			 VFNIC_Q_CTRL_ERROR);
	assert_int_equal(env_stat(&s->e, RX, VFNIC_STAT_RX_ERR), 1);

	/* the PF still receives what the switch gives it */
	env_qp_setup(&s->e, &other, VFNIC_FN_PF, 0, 64);
	env_frame(f, bcast, mac_vf0, sizeof(f));
	env_tx(&s->e, &s->tx, f, sizeof(f), VFNIC_TXD_CMD_EOP, 0);
	assert_int_equal(env_rx(&s->e, &other, got, sizeof(got), &sta, NULL),
			 60);
}

static void test_queue_reset_clears(void **state)
{
	struct shadow_env *s = *state;

	shadow_enable(s, s->shadow);
	env_pf_wr(&s->e, VFNIC_ADM(RX, VFNIC_ADM_CTRL), VFNIC_ADM_CTRL_QRESET);
	assert_int_equal(env_rd(&s->e, RX, VFNIC_FN_RX_TAIL_SHADOW_LO), 0);
	assert_int_equal(env_rd(&s->e, RX, VFNIC_FN_RX_TAIL_SHADOW_HI), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_tail_from_memory, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_burst_from_memory, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_bad_tail_in_memory, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_shadow_dma_fault, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_queue_reset_clears, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
