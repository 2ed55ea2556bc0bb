/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the test apps in tests/apps share: EAL and their one argument, an
 * mbuf pool, and port 0 with one queue pair, started and with its link up.
 */
#ifndef APP_PORT_H
#define APP_PORT_H

#include <rte_ethdev.h>
#include <rte_mempool.h>

#define APP_PORT	0

/*
 * EAL from argv, then "-- SECONDS" into *seconds, and a pool: 0, or 1
 * with the reason printed (name is the app's, for its usage line).
 */
int app_init(int argc, char **argv, const char *name, unsigned int *seconds,
	     struct rte_mempool **mp);

/* Port 0 configured with conf, one queue pair, started, link up in 10 s. */
int app_port_start(struct rte_mempool *mp, const struct rte_eth_conf *conf);

#endif /* APP_PORT_H */
