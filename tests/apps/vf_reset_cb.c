/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vf_reset_cb: an app that resets its port from the RTE_ETH_EVENT_INTR_RESET
 * callback, as some DPDK apps do, where testpmd only prints the event
 * (tests/guest/test_pmd_events.sh). The callback runs in the EAL interrupt
 * thread, inside the PMD's own interrupt handler; a PMD that waits there
 * for that handler to return never returns.
 *
 *   vf_reset_cb EAL-ARGS -- SECONDS
 *
 * Starts port 0 with one queue pair, prints "started", then waits up to
 * SECONDS for the callback to have reset the port, and for 2 s more
 * without another reset event, and prints "resets in callback: N, last
 * returned R". A reset that failed there is not retried: the driver must
 * get it right from the callback. It then configures and starts the port
 * again from the main thread, and prints "restarted, link up". Exit status
 * 0 for that, 1 for anything else.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#define PORT		0
#define NB_DESC		256
#define NB_MBUF		2048

static volatile int nb_resets;
static volatile int reset_rc;

static int
on_reset(uint16_t port, enum rte_eth_event_type ev __rte_unused,
	 void *arg __rte_unused, void *ret __rte_unused)
{
	reset_rc = rte_eth_dev_reset(port);
	nb_resets++;
	return 0;
}

static int
port_start(struct rte_mempool *mp)
{
	struct rte_eth_conf conf = { 0 };
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
	return err;
}

static int
link_up_within(unsigned int seconds)
{
	struct rte_eth_link link;

	for (unsigned int i = 0; i < 10 * seconds; i++) {
		if (rte_eth_link_get_nowait(PORT, &link) == 0 &&
		    link.link_status == RTE_ETH_LINK_UP)
			return 1;
		usleep(100000);
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct rte_mempool *mp;
	unsigned int seconds, i, quiet;
	int n, err, seen;

	n = rte_eal_init(argc, argv);
	if (n < 0) {
		fprintf(stderr, "EAL init failed\n");
		return 1;
	}
	argc -= n;
	argv += n;
	if (argc != 2 || (seconds = atoi(argv[1])) == 0) {
		fprintf(stderr, "usage: vf_reset_cb EAL-ARGS -- SECONDS\n");
		return 1;
	}
	mp = rte_pktmbuf_pool_create("mbufs", NB_MBUF, 256, 0,
				     RTE_MBUF_DEFAULT_BUF_SIZE,
				     rte_socket_id());
	if (mp == NULL || !rte_eth_dev_is_valid_port(PORT)) {
		fprintf(stderr, "no mbuf pool or no port %u\n", PORT);
		return 1;
	}
	rte_eth_dev_callback_register(PORT, RTE_ETH_EVENT_INTR_RESET,
				      on_reset, NULL);
	err = port_start(mp);
	if (err || !link_up_within(10)) {
		fprintf(stderr, "port start: %s\n", rte_strerror(-err));
		return 1;
	}
	printf("started\n");
	fflush(stdout);
	for (i = 0; i < 10 * seconds && !nb_resets; i++)
		usleep(100000);
	if (!nb_resets) {
		printf("no reset in callback within %u s\n", seconds);
		return 1;
	}
	for (seen = nb_resets, quiet = 0; quiet < 20 && i < 10 * seconds; i++) {
		usleep(100000);
		quiet = nb_resets == seen ? quiet + 1 : 0;
		seen = nb_resets;
	}
	printf("resets in callback: %d, last returned %d\n", nb_resets,
	       reset_rc);
	fflush(stdout);
	err = reset_rc;
	if (err == 0)
		err = port_start(mp);
	if (err || !link_up_within(10)) {
		printf("restart failed: %s\n", rte_strerror(-err));
		return 1;
	}
	printf("restarted, link up\n");
	rte_eth_dev_stop(PORT);
	rte_eth_dev_close(PORT);
	rte_eal_cleanup();
	return 0;
}
