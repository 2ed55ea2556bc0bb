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
#include <stdio.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_interrupts.h>
#include <rte_mbuf.h>

#include "app_port.h"

#define BURST		32

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
		n = rte_eth_rx_burst(APP_PORT, 0, m, BURST);
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
	struct rte_eth_conf conf = { .intr_conf.rxq = 1 };
	struct rte_epoll_event ev[1];
	struct rte_mempool *mp;
	unsigned int seconds, frames;
	int n, quiet, err, waiting, late;

	if (app_init(argc, argv, "vf_rx_intr", &seconds, &mp))
		return 1;
	err = app_port_start(mp, &conf);
	if (err) {
		printf("port start: %s\n", rte_strerror(-err));
		return 1;
	}
	err = rte_eth_dev_rx_intr_ctl_q(APP_PORT, 0, RTE_EPOLL_PER_THREAD,
					RTE_INTR_EVENT_ADD, NULL);
	if (err == 0)
		err = rte_eth_dev_rx_intr_enable(APP_PORT, 0);
	if (err) {
		printf("rx queue interrupt: %s\n", rte_strerror(-err));
		return 1;
	}
	quiet = rte_epoll_wait(RTE_EPOLL_PER_THREAD, ev, 1, 1000);
	printf("quiet: %d wake-ups in 1 s\nwaiting\n", quiet);
	fflush(stdout);
	n = rte_epoll_wait(RTE_EPOLL_PER_THREAD, ev, 1, seconds * 1000);
	rte_eth_dev_rx_intr_disable(APP_PORT, 0);
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
	waiting = rte_eth_rx_queue_count(APP_PORT, 0);
	rte_eth_dev_rx_intr_enable(APP_PORT, 0);
	late = rte_epoll_wait(RTE_EPOLL_PER_THREAD, ev, 1, 1000);
	rte_eth_dev_rx_intr_disable(APP_PORT, 0);
	printf("armed with %d waiting: %d wake-ups\n", waiting, late);
	drain();
	rte_eth_dev_stop(APP_PORT);
	rte_eth_dev_close(APP_PORT);
	rte_eal_cleanup();
	return quiet == 0 && frames > 0 && waiting > 0 && late == 1 ? 0 : 1;
}
