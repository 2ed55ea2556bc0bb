/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmocka tests of how net_vfnic_vf's receive ring (vf_driver/vfnic_vf_rxtx.c)
 * uses the app's mempool: where a refill's buffer addresses come from for
 * each kind of pool, and how refills move mbufs through the pool's cache.
 * Each test swaps the fixture's pool for its own; the teardown puts it back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <rte_common.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mbuf_pool_ops.h>
#include <rte_mempool.h>

#include "vf_rxtx_fake.h"

#define N_OBJ		256
#define IOVA_OFF	(64ull << 30)	/* IOVA - VA of "mapped elsewhere" */

static int
save_fixture(void **state)
{
	*state = pool;
	return 0;
}

static int
restore_fixture(void **state)
{
	pool = *state;
	fake_iova_off = 0;
	return 0;
}

/* 10 rounds of 40 frames received and freed: payloads and addresses hold. */
static void
rx_roundtrip(struct fake_rx *d, struct vfnic_rx_queue *q)
{
	struct rte_mbuf *m[32];
	unsigned int i, j, n;

	for (i = 0; i < 10; i++) {
		for (j = 0; j < 40; j++)
			assert_int_equal(fake_rx_frame(d, 60 + j, (uint8_t)j,
						       0, 0), 0);
		while ((n = vfnic_recv_pkts(q, m, 32)) > 0) {
			for (j = 0; j < n; j++)
				check_payload(m[j], m[j]->pkt_len,
					      (uint8_t)(m[j]->pkt_len - 60));
			rte_pktmbuf_free_bulk(m, n);
		}
		check_rx_addrs(q);
	}
}

/* An empty pktmbuf pool of N_OBJ mbufs for the test to populate. */
static struct rte_mempool *
pool_empty(const char *name)
{
	struct rte_pktmbuf_pool_private priv = {
		.mbuf_data_room_size = RTE_MBUF_DEFAULT_BUF_SIZE,
	};
	struct rte_mempool *mp;

	mp = rte_mempool_create_empty(name, N_OBJ, sizeof(struct rte_mbuf) +
				      RTE_MBUF_DEFAULT_BUF_SIZE, 0,
				      sizeof(priv), SOCKET_ID_ANY, 0);
	assert_non_null(mp);
	assert_int_equal(rte_mempool_set_ops_byname(mp,
				rte_mbuf_best_mempool_ops(), NULL), 0);
	rte_pktmbuf_pool_init(mp, &priv);
	return mp;
}

/* Memory for n of mp's objects: they may not straddle a page. */
static size_t
pool_chunk_len(struct rte_mempool *mp, unsigned int n)
{
	struct rte_mempool_objsz sz;

	return (size_t)n * RTE_ALIGN_CEIL(rte_mempool_calc_obj_size(
					mp->elt_size, 0, &sz), 4096);
}

/* A pool of pinned external buffers: frames land in those buffers. */
static void
test_rx_pinned_pool(void **state)
{
	enum { ELT = 2048 + RTE_PKTMBUF_HEADROOM };
	struct rte_pktmbuf_extmem ext = {
		.elt_size = ELT, .buf_len = N_OBJ * ELT
	};
	struct rte_mempool *pinned;
	struct fake_rx d;
	struct vfnic_rx_queue *q;
	struct rte_mbuf *m[32];
	unsigned int i, j, n;

	(void)state;
	ext.buf_ptr = rte_malloc(NULL, ext.buf_len, 4096);
	assert_non_null(ext.buf_ptr);
	ext.buf_iova = rte_malloc_virt2iova(ext.buf_ptr);
	pinned = rte_pktmbuf_pool_create_extbuf("pinned", N_OBJ, 0, 0, ELT,
						SOCKET_ID_ANY, &ext, 1);
	assert_non_null(pinned);
	pool = pinned;
	q = rxq_new(&d, RING, 2048);
	for (i = 0; i < 10; i++) {
		for (j = 0; j < 40; j++)
			assert_int_equal(fake_rx_frame(&d, 60 + j, (uint8_t)j,
						       0, 0), 0);
		while ((n = vfnic_recv_pkts(q, m, 32)) > 0) {
			for (j = 0; j < n; j++) {
				assert_true(rte_pktmbuf_mtod(m[j], char *) >=
					    (char *)ext.buf_ptr);
				check_payload(m[j], m[j]->pkt_len,
					      (uint8_t)(m[j]->pkt_len - 60));
			}
			rte_pktmbuf_free_bulk(m, n);
		}
		check_rx_addrs(q);
	}
	rxq_done(q);
	rte_mempool_free(pinned);
	rte_free(ext.buf_ptr);
}

/*
 * Plain pools with IOVA = VA, with and without a private area: the queue
 * computes buffer addresses from the mbuf pointers (what spares a refill
 * reading the mbuf), and they are the addresses buf_iova gives.
 */
static void
test_rx_addr_from_pointer(void **state)
{
	static const uint16_t privs[] = { 0, 64 };
	struct rte_mempool *mp;
	struct fake_rx d;
	struct vfnic_rx_queue *q;
	unsigned int i;

	(void)state;
	for (i = 0; i < RTE_DIM(privs); i++) {
		mp = rte_pktmbuf_pool_create(i ? "priv64" : "priv0", N_OBJ, 0,
					     privs[i],
					     RTE_MBUF_DEFAULT_BUF_SIZE,
					     SOCKET_ID_ANY);
		assert_non_null(mp);
		pool = mp;
		q = rxq_new(&d, RING, 2048);
		assert_int_equal(q->va_data_off, sizeof(struct rte_mbuf) +
				 privs[i] + RTE_PKTMBUF_HEADROOM);
		rx_roundtrip(&d, q);
		rxq_done(q);
		rte_mempool_free(mp);
	}
}

/*
 * A pool whose IOVA is not its VA (memory a VFIO app mapped at an IOVA of
 * its own), behind a fake IOMMU: addresses come from buf_iova.
 */
static void
test_rx_pool_iova_not_va(void **state)
{
	struct rte_mempool *mp = pool_empty("iova_off");
	struct fake_rx d;
	struct vfnic_rx_queue *q;
	size_t len = pool_chunk_len(mp, N_OBJ);
	void *mem = rte_malloc(NULL, len, 4096);

	(void)state;
	assert_non_null(mem);
	fake_iova_off = IOVA_OFF;
	assert_int_equal(rte_mempool_populate_iova(mp, mem,
				(rte_iova_t)(uintptr_t)mem + IOVA_OFF, len,
				NULL, NULL), N_OBJ);
	rte_mempool_obj_iter(mp, rte_pktmbuf_init, NULL);
	pool = mp;
	q = rxq_new(&d, RING, 2048);
	assert_int_equal(q->va_data_off, 0);
	check_rx_addrs(q);
	rx_roundtrip(&d, q);
	rxq_done(q);
	rte_mempool_free(mp);
	rte_free(mem);
}

/* Two chunks, only the first at IOVA = VA: the whole pool reads buf_iova. */
static void
test_rx_pool_mixed_chunks(void **state)
{
	struct rte_mempool *mp = pool_empty("mixed");
	struct fake_rx d;
	struct vfnic_rx_queue *q;
	size_t len = pool_chunk_len(mp, N_OBJ / 2);
	void *mem[2];
	unsigned int i;

	(void)state;
	for (i = 0; i < 2; i++) {
		mem[i] = rte_malloc(NULL, len, 4096);
		assert_non_null(mem[i]);
		assert_int_equal(rte_mempool_populate_iova(mp, mem[i],
				(rte_iova_t)(uintptr_t)mem[i] + i * IOVA_OFF,
				len, NULL, NULL), N_OBJ / 2);
	}
	rte_mempool_obj_iter(mp, rte_pktmbuf_init, NULL);
	pool = mp;
	q = rxq_new(&d, RING, 2048);
	assert_int_equal(q->va_data_off, 0);
	check_rx_addrs(q);
	rxq_done(q);
	rte_mempool_free(mp);
	for (i = 0; i < 2; i++)
		rte_free(mem[i]);
}

/* An obj_init of the app's that starts each buffer 64 bytes further. */
static void
init_moved(struct rte_mempool *mp, void *arg, void *obj, unsigned int i)
{
	struct rte_mbuf *m = obj;

	rte_pktmbuf_init(mp, arg, obj, i);
	m->buf_addr = (char *)m->buf_addr + 64;
	m->buf_iova += 64;
	m->buf_len -= 64;
}

/*
 * Mbufs whose buffers are not where rte_pktmbuf_init() puts them: the
 * queue sees it in the mbufs it posts first, and frames land where the
 * app reads them.
 */
static void
test_rx_pool_moved_buffers(void **state)
{
	struct rte_mempool *mp = pool_empty("moved");
	struct fake_rx d;
	struct vfnic_rx_queue *q;

	(void)state;
	assert_int_equal(rte_mempool_populate_default(mp), N_OBJ);
	rte_mempool_obj_iter(mp, init_moved, NULL);
	pool = mp;
	q = rxq_new(&d, RING, 1024);
	assert_int_equal(q->va_data_off, 0);
	rx_roundtrip(&d, q);
	rxq_done(q);
	rte_mempool_free(mp);
}

/*
 * At the default rx_free_thresh, an app receiving bursts of up to 32 and
 * freeing them (testpmd's rxonly, with its mempool cache of 250) keeps
 * recycling the mbufs its lcore's cache holds, whatever number of frames
 * each burst finds: the pool's backend is never touched. A refill larger
 * than the cache's slack makes DPDK's cache spill all it holds to the
 * backend and fetch others, and the app then cycles through the whole
 * pool (docs/architecture.md, section 5).
 */
static void
test_rx_default_refill_in_cache(void **state)
{
	enum { N = 2048, CACHE = 250, NB_DESC = 512 };
	struct rte_mempool *cached;
	struct rte_mempool_cache *c;
	struct fake_rx d;
	struct vfnic_rx_queue *q;
	struct rte_mbuf *m[32];
	unsigned int backend, i, j, k;

	(void)state;
	cached = rte_pktmbuf_pool_create("cached", N, CACHE, 0,
					 RTE_MBUF_DEFAULT_BUF_SIZE,
					 SOCKET_ID_ANY);
	assert_non_null(cached);
	c = rte_mempool_default_cache(cached, rte_lcore_id());
	assert_non_null(c);
	pool = cached;
	q = rxq_new(&d, NB_DESC, 2048);
	q->free_thresh = VFNIC_RX_FREE_DEFAULT;	/* what queue setup sets */
	backend = rte_mempool_avail_count(cached) - c->len;
	for (i = 0; i < 4 * N / 32; i++) {
		k = 1 + i * 13 % 32;
		for (j = 0; j < k; j++)
			assert_int_equal(fake_rx_frame(&d, 60, 0, 0, 0), 0);
		assert_int_equal(vfnic_recv_pkts(q, m, 32), k);
		rte_pktmbuf_free_bulk(m, k);
		assert_int_equal(rte_mempool_avail_count(cached) - c->len,
				 backend);
	}
	rxq_done(q);
	rte_mempool_free(cached);
}

#define POOL_TEST(f) cmocka_unit_test_setup_teardown(f, save_fixture, \
						      restore_fixture)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		POOL_TEST(test_rx_pinned_pool),
		POOL_TEST(test_rx_addr_from_pointer),
		POOL_TEST(test_rx_pool_iova_not_va),
		POOL_TEST(test_rx_pool_mixed_chunks),
		POOL_TEST(test_rx_pool_moved_buffers),
		POOL_TEST(test_rx_default_refill_in_cache),
	};

	return fake_run("test_vf_rx_pool", tests, RTE_DIM(tests));
}
