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
#include <unistd.h>

#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "app_port.h"

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

int
main(int argc, char **argv)
{
	struct rte_eth_conf conf = { 0 };
	struct rte_mempool *mp;
	unsigned int seconds, i, quiet;
	int err, seen;

	if (app_init(argc, argv, "vf_reset_cb", &seconds, &mp))
		return 1;
	rte_eth_dev_callback_register(APP_PORT, RTE_ETH_EVENT_INTR_RESET,
				      on_reset, NULL);
	err = app_port_start(mp, &conf);
	if (err) {
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
		err = app_port_start(mp, &conf);
	if (err) {
		printf("restart failed: %s\n", rte_strerror(-err));
		return 1;
	}
	printf("restarted, link up\n");
	rte_eth_dev_stop(APP_PORT);
	rte_eth_dev_close(APP_PORT);
	rte_eal_cleanup();
	return 0;
}
