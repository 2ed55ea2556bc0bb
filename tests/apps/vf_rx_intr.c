/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vf_rx_intr: an app that sleeps on its rx queue's interrupt instead of
 * polling, as l3fwd-power does (tests/guest/test_pmd_rx_intr.sh).
 *
 *   vf_rx_intr EAL-ARGS -- SECONDS
 *
 * Starts port 0 with one queue pair and intr_conf.rxq, adds queue 0's
 * event to this thread's epoll set and arms it. It waits 1 s with nothing
 * sent and prints "quiet: N wake-ups in 1 s", then prints "waiting" and
 * waits up to SECONDS for frames to wake it, takes them with rx_burst and
 * prints "woken: N frames". It then prints "disarmed" and, disarmed, lets
 * frames come for 3 s; armed again with those waiting, it must wake at once
 * (the device fires only for new frames): "armed with N waiting: W
 * wake-ups". Exit status 0 when the quiet second had no wake-up, frames
 * woke it, and the waiting frames did too; 1 otherwise.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_interrupts.h>
#include <rte_mbuf.h>

#define PORT		0
#define NB_DESC		256
#define NB_MBUF		2048
#define BURST		32

static int
port_start(struct rte_mempool *mp)
{
	struct rte_eth_conf conf = { .intr_conf.rxq = 1 };
	struct rte_eth_link link;
	unsigned int i;
	int err;

	err = rte_eth_dev_configure(PORT, 1, 1, &conf);
	if (err == 0)
		err = rte_eth_rx_queue_setup(PORT, 0, NB_DESC, rte_socket_id(),
					     NULL, mp);
	if (err == 0)
		err = rte_eth_tx_queue_setup(PORT, 0, NB_DESC, rte_socket_id(),
					     NULL);
	if (err == 0)
		err = rte_eth_dev_start(PORT);
	for (i = 0; err == 0 && i < 100; i++) {
		if (rte_eth_link_get_nowait(PORT, &link) == 0 &&
		    link.link_status == RTE_ETH_LINK_UP)
			return 0;
		usleep(100000);
	}
	return err ? err : -ETIMEDOUT;
}

/* Events already signalled (the eventfd counts on while disarmed). */
static void
events_drop(void)
{
	struct rte_epoll_event ev[1];

	while (rte_epoll_wait(RTE_EPOLL_PER_THREAD, ev, 1, 0) > 0)
		;
}

/* Frames now in the queue, taken for up to a second. */
static unsigned int
drain(void)
{
	struct rte_mbuf *m[BURST];
	unsigned int total = 0, i;
	uint16_t n;

	for (i = 0; i < 1000; i++) {
		n = rte_eth_rx_burst(PORT, 0, m, BURST);
		total += n;
		rte_pktmbuf_free_bulk(m, n);
		if (n == 0 && total)
			break;
		usleep(1000);
	}
	return total;
}

int
main(int argc, char **argv)
{
	struct rte_epoll_event ev[1];
	struct rte_mempool *mp;
	unsigned int seconds, frames;
	int n, quiet, err, waiting, late;

	n = rte_eal_init(argc, argv);
	if (n < 0) {
		fprintf(stderr, "EAL init failed\n");
		return 1;
	}
	argc -= n;
	argv += n;
	if (argc != 2 || (seconds = atoi(argv[1])) == 0) {
		fprintf(stderr, "usage: vf_rx_intr EAL-ARGS -- SECONDS\n");
		return 1;
	}
	mp = rte_pktmbuf_pool_create("mbufs", NB_MBUF, 256, 0,
				     RTE_MBUF_DEFAULT_BUF_SIZE,
				     rte_socket_id());
	if (mp == NULL || !rte_eth_dev_is_valid_port(PORT)) {
		fprintf(stderr, "no mbuf pool or no port %u\n", PORT);
		return 1;
	}
	err = port_start(mp);
	if (err) {
		printf("port start: %s\n", rte_strerror(-err));
		return 1;
	}
	err = rte_eth_dev_rx_intr_ctl_q(PORT, 0, RTE_EPOLL_PER_THREAD,
					RTE_INTR_EVENT_ADD, NULL);
	if (err == 0)
		err = rte_eth_dev_rx_intr_enable(PORT, 0);
	if (err) {
		printf("rx queue interrupt: %s\n", rte_strerror(-err));
		return 1;
	}
	quiet = rte_epoll_wait(RTE_EPOLL_PER_THREAD, ev, 1, 1000);
	printf("quiet: %d wake-ups in 1 s\nwaiting\n", quiet);
	fflush(stdout);
	n = rte_epoll_wait(RTE_EPOLL_PER_THREAD, ev, 1, seconds * 1000);
	rte_eth_dev_rx_intr_disable(PORT, 0);
	if (n <= 0) {
		printf("no wake-up in %u s\n", seconds);
		return 1;
	}
	frames = drain();
	printf("woken: %u frames\ndisarmed\n", frames);
	fflush(stdout);
	events_drop();
	sleep(3);
	events_drop();
	waiting = rte_eth_rx_queue_count(PORT, 0);
	rte_eth_dev_rx_intr_enable(PORT, 0);
	late = rte_epoll_wait(RTE_EPOLL_PER_THREAD, ev, 1, 1000);
	rte_eth_dev_rx_intr_disable(PORT, 0);
	printf("armed with %d waiting: %d wake-ups\n", waiting, late);
	drain();
	rte_eth_dev_stop(PORT);
	rte_eth_dev_close(PORT);
	rte_eal_cleanup();
	return quiet == 0 && frames > 0 && waiting > 0 && late == 1 ? 0 : 1;
}
