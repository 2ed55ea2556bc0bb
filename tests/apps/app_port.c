/* SPDX-License-Identifier: BSD-3-Clause */
/* What the test apps share (app_port.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_mbuf.h>

#include "app_port.h"

#define NB_DESC		256
#define NB_MBUF		2048

int
app_init(int argc, char **argv, const char *name, unsigned int *seconds,
	 struct rte_mempool **mp)
{
	int n = rte_eal_init(argc, argv);

	if (n < 0) {
		fprintf(stderr, "EAL init failed\n");
		return 1;
	}
	argc -= n;
	argv += n;
	if (argc != 2 || (*seconds = atoi(argv[1])) == 0) {
		fprintf(stderr, "usage: %s EAL-ARGS -- SECONDS\n", name);
		return 1;
	}
	*mp = rte_pktmbuf_pool_create("mbufs", NB_MBUF, 256, 0,
				      RTE_MBUF_DEFAULT_BUF_SIZE,
				      rte_socket_id());
	if (*mp == NULL || !rte_eth_dev_is_valid_port(APP_PORT)) {
		fprintf(stderr, "no mbuf pool or no port %u\n", APP_PORT);
		return 1;
	}
	return 0;
}

int
app_port_start(struct rte_mempool *mp, const struct rte_eth_conf *conf)
{
	struct rte_eth_link link;
	unsigned int i;
	int err;

	err = rte_eth_dev_configure(APP_PORT, 1, 1, conf);
	if (err == 0)
		err = rte_eth_rx_queue_setup(APP_PORT, 0, NB_DESC,
					     rte_socket_id(), NULL, mp);
	if (err == 0)
		err = rte_eth_tx_queue_setup(APP_PORT, 0, NB_DESC,
					     rte_socket_id(), NULL);
	if (err == 0)
		err = rte_eth_dev_start(APP_PORT);
	for (i = 0; err == 0 && i < 100; i++) {
		if (rte_eth_link_get_nowait(APP_PORT, &link) == 0 &&
		    link.link_status == RTE_ETH_LINK_UP)
			return 0;
		usleep(100000);
	}
	return err ? err : -ETIMEDOUT;
}
