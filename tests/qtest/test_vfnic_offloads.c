// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Offloads of vfnic: RSS (which fields are hashed for which packet types,
 * the Toeplitz hash in the descriptor, the queue the RETA picks) and the
 * tx checksums a descriptor asks for.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vfnic_env.h"

#define TX	VFNIC_VF_TO_FN(0)
#define RX	VFNIC_VF_TO_FN(1)

static const uint8_t mac_tx[6] = { 0x02, 0, 0, 0, 0, 0x10 };
static const uint8_t mac_rx[6] = { 0x02, 0, 0, 0, 0, 0x11 };
/* the well-known Microsoft verification key */
static const uint8_t key[VFNIC_RSS_KEY_SIZE] = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67,
	0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0, 0xd0, 0xca, 0x2b, 0xcb,
	0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30,
	0xf2, 0x0c, 0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

struct rss_env {
	struct env e;
	struct env_qp tx, rx[2];
};

static int setup(void **state)
{
	struct rss_env *s = calloc(1, sizeof(*s));
	unsigned i;

	if (!s)
		return -1;
	*state = s;
	if (env_start(&s->e, NULL) ||
	    env_vf_pair(&s->e, mac_tx, &s->tx, mac_rx, &s->rx[0], 64))
		return -1;
	env_qp_setup(&s->e, &s->rx[1], RX, 1, 64);
	for (i = 0; i < VFNIC_RSS_KEY_SIZE; i += 4) {
		uint32_t w;

		memcpy(&w, key + i, 4);
		env_wr(&s->e, RX, VFNIC_RSS_KEY + i, w);
	}
	/* entry i -> queue i & 1 */
	for (i = 0; i < VFNIC_RSS_RETA_SIZE; i += 4)
		env_wr(&s->e, RX, VFNIC_RSS_RETA + i, 0x01000100);
	return 0;
}

static int teardown(void **state)
{
	struct rss_env *s = *state;

	assert_true(qtest_alive(s->e.qt));
	env_stop(&s->e);
	free(s);
	return 0;
}

/* The reference Toeplitz hash, bit by bit. */
static uint32_t toeplitz(const uint8_t *in, size_t len)
{
	uint32_t hash = 0, win = (uint32_t)key[0] << 24 | key[1] << 16 |
			key[2] << 8 | key[3];
	size_t i;
	int b;

	for (i = 0; i < len; i++) {
		for (b = 7; b >= 0; b--) {
			size_t bit = i * 8 + (7 - b) + 32;

			if (in[i] & (1 << b))
				hash ^= win;
			win = win << 1 | ((key[bit / 8] >> (7 - bit % 8)) & 1);
		}
	}
	return hash;
}

/* An IPv4 frame of protocol proto with ports sport, dport. */
static size_t ipv4_frame(uint8_t *f, uint8_t proto, uint16_t sport,
			 uint16_t dport)
{
	uint8_t *ip = f + 14, *l4 = ip + 20;

	memset(f, 0, 64);
	env_eth_hdr(f, mac_rx, mac_tx, 0x0800);
	ip[0] = 0x45;
	ip[3] = 50;			/* total length */
	ip[8] = 64;
	ip[9] = proto;
	memcpy(ip + 12, (uint8_t[]){ 66, 9, 149, 187 }, 4);
	memcpy(ip + 16, (uint8_t[]){ 161, 142, 100, 80 }, 4);
	l4[0] = sport >> 8;
	l4[1] = sport & 0xff;
	l4[2] = dport >> 8;
	l4[3] = dport & 0xff;
	return 64;
}

/* Send f and find it on one of VF 1's queues: which, status, hash. */
static int send_and_find(struct rss_env *s, const uint8_t *f, size_t len,
			 uint16_t *sta, uint32_t *hash)
{
	uint8_t got[128];
	unsigned q;

	env_tx(&s->e, &s->tx, f, len, VFNIC_TXD_CMD_EOP, 0);
	for (q = 0; q < 2; q++) {
		uint64_t d = s->rx[q].rx_ring +
			     (uint64_t)s->rx[q].rx_next * VFNIC_DESC_SIZE;

		qtest_memread(s->e.qt, d + VFNIC_RXD_RSS, hash, 4);
		if (env_rx(&s->e, &s->rx[q], got, sizeof(got), sta, NULL) == len) {
			assert_memory_equal(got, f, len);
			return q;
		}
	}
	return -1;
}

static void test_udp4_four_tuple(void **state)
{
	struct rss_env *s = *state;
	unsigned seen[2] = { 0 }, i;
	uint8_t f[64], tuple[12];
	uint16_t sta;
	uint32_t hash;

	env_wr(&s->e, RX, VFNIC_RSS_CTRL, VFNIC_RSS_UDP4);
	for (i = 0; i < 16; i++) {
		size_t n = ipv4_frame(f, 17, 2794 + i, 1766);
		int q = send_and_find(s, f, n, &sta, &hash);

		memcpy(tuple, f + 14 + 12, 8);
		memcpy(tuple + 8, f + 34, 4);
		assert_true(q >= 0);
		assert_true(sta & VFNIC_RXD_STA_RSS);
		assert_int_equal(hash, toeplitz(tuple, 12));
		assert_int_equal(q, (hash % VFNIC_RSS_RETA_SIZE) & 1);
		seen[q]++;
	}
	/* the first one is the key's published test vector */
	ipv4_frame(f, 17, 2794, 1766);
	memcpy(tuple, f + 26, 8);
	memcpy(tuple + 8, f + 34, 4);
	assert_int_equal(toeplitz(tuple, 12), 0x51ccc178);
	assert_true(seen[0] && seen[1]);
}

static void test_types_not_enabled(void **state)
{
	struct rss_env *s = *state;
	uint8_t f[64], addrs[8];
	uint16_t sta;
	uint32_t hash;
	size_t n;

	/* TCP/IPv4 only: a UDP frame gets no hash and queue 0 */
	env_wr(&s->e, RX, VFNIC_RSS_CTRL, VFNIC_RSS_TCP4);
	n = ipv4_frame(f, 17, 2794, 1766);
	assert_int_equal(send_and_find(s, f, n, &sta, &hash), 0);
	assert_false(sta & VFNIC_RXD_STA_RSS);

	/* plain IPv4 too: the same frame is hashed over the addresses only */
	env_wr(&s->e, RX, VFNIC_RSS_CTRL, VFNIC_RSS_TCP4 | VFNIC_RSS_IPV4);
	assert_true(send_and_find(s, f, n, &sta, &hash) >= 0);
	assert_true(sta & VFNIC_RXD_STA_RSS);
	memcpy(addrs, f + 26, 8);
	assert_int_equal(hash, toeplitz(addrs, 8));
	assert_int_equal(hash, 0x323e8fc2);	/* the published vector */

	/* a later fragment has no ports: addresses only, even for TCP */
	n = ipv4_frame(f, 6, 2794, 1766);
	f[14 + 7] = 0x10;		/* fragment offset 16 */
	assert_true(send_and_find(s, f, n, &sta, &hash) >= 0);
	assert_int_equal(hash, toeplitz(addrs, 8));
}

/* The ones' complement sum of len bytes, folded; 0xffff if data is valid. */
static uint16_t csum_fold(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

static void test_tx_checksums(void **state)
{
	struct rss_env *s = *state;
	uint8_t f[64], got[128], *ip = got + 14, *udp = ip + 20;
	uint16_t sta;
	uint32_t pseudo;
	size_t n = ipv4_frame(f, 17, 2794, 1766);

	f[14 + 20 + 5] = 30;		/* UDP length: 8 + 22 */
	memset(f + 42, 0x5a, 22);	/* payload; both checksums left 0 */
	env_tx(&s->e, &s->tx, f, n, VFNIC_TXD_CMD_EOP | VFNIC_TXD_CMD_CSUM, 0);
	assert_int_equal(env_rx(&s->e, &s->rx[0], got, sizeof(got), &sta, NULL),
			 n);
	assert_int_equal(csum_fold(0, ip, 20), 0xffff);
	pseudo = (ip[12] << 8 | ip[13]) + (ip[14] << 8 | ip[15]) +
		 (ip[16] << 8 | ip[17]) + (ip[18] << 8 | ip[19]) + 17 + 30;
	assert_true(udp[6] || udp[7]);
	assert_int_equal(csum_fold(pseudo, udp, 30), 0xffff);
	/* without CSUM the frame goes as it was given */
	env_tx(&s->e, &s->tx, f, n, VFNIC_TXD_CMD_EOP, 0);
	assert_int_equal(env_rx(&s->e, &s->rx[0], got, sizeof(got), &sta, NULL),
			 n);
	assert_memory_equal(got, f, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_udp4_four_tuple, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_types_not_enabled, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_tx_checksums, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
