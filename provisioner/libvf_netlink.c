// SPDX-License-Identifier: GPL-2.0
/*
 * libvf_netlink.c: per-VF attributes over rtnetlink with libnl-route-3's
 * rtnl_link_vf_* API: the PF's link is read with its VF table
 * (RTEXT_FILTER_VF, which libnl requests), a change is an rtnl_link carrying
 * one rtnl_link_vf, sent with rtnl_link_change(), and read back.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>

#include <linux/if_ether.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <netlink/route/link/sriov.h>

#include "vfctl.h"

static int nl_open(struct vfctl_ctx *ctx)
{
	int err;

	if (ctx->nl)
		return 0;
	ctx->nl = nl_socket_alloc();
	if (!ctx->nl)
		return vfctl_error(ctx, "netlink: out of memory");
	err = nl_connect(ctx->nl, NETLINK_ROUTE);
	if (err < 0) {
		nl_socket_free(ctx->nl);
		ctx->nl = NULL;
		return vfctl_error(ctx, "netlink: connecting to rtnetlink: %s", nl_geterror(err));
	}
	return 0;
}

static int get_link(struct vfctl_ctx *ctx, const struct vfctl_pf *pf, struct rtnl_link **link)
{
	int err;

	if (ctx->no_netlink)
		return vfctl_error(ctx, "PF %s: netlink disabled (fake sysfs tree)", pf->bdf);
	if (!pf->ifindex)
		return vfctl_error(ctx, "PF %s: has no network interface (is its driver bound?)",
				   pf->bdf);
	if (nl_open(ctx))
		return -1;
	err = rtnl_link_get_kernel(ctx->nl, pf->ifindex, NULL, link);
	if (err < 0)
		return vfctl_error(ctx, "PF %s (%s): reading link: %s", pf->ifname, pf->bdf,
				   nl_geterror(err));
	return 0;
}

/*
 * vfctl_nl_vfs_ready: the first of VFs 0..n-1 missing from the PF's netlink
 * VF table, n if none is, -1 on error. A PF driver that is still setting a
 * VF up (i40e, ice: "VF n still in reset") refuses ndo_get_vf_config, and
 * rtnetlink leaves that VF out of IFLA_VFINFO_LIST although IFLA_NUM_VF
 * already counts it: the count alone does not say the VF can be configured.
 */
int vfctl_nl_vfs_ready(struct vfctl_ctx *ctx, const struct vfctl_pf *pf, int n)
{
	struct rtnl_link *link;
	struct rtnl_link_vf *vf;
	uint32_t num = 0;
	int i = 0;

	if (get_link(ctx, pf, &link))
		return -1;
	if (rtnl_link_get_num_vf(link, &num) < 0 || !rtnl_link_has_vf_list(link))
		num = 0;
	for (; i < n && (uint32_t)i < num; i++) {
		vf = rtnl_link_vf_get(link, i);
		if (!vf)
			break;
		rtnl_link_vf_put(vf);
	}
	rtnl_link_put(link);
	return i;
}

int vfctl_nl_get(struct vfctl_ctx *ctx, const struct vfctl_pf *pf, int index, struct vfctl_attrs *a)
{
	struct rtnl_link *link;
	struct rtnl_link_vf *vf;
	struct nl_addr *addr;
	nl_vf_vlans_t *vlans;
	struct nl_vf_rate rate;
	uint32_t v;

	memset(a, 0, sizeof(*a));
	if (get_link(ctx, pf, &link))
		return -1;
	vf = rtnl_link_has_vf_list(link) ? rtnl_link_vf_get(link, index) : NULL;
	if (!vf) {
		rtnl_link_put(link);
		return vfctl_error(ctx, "PF %s: VF %d not in the netlink VF table", pf->ifname,
				   index);
	}
	if (!rtnl_link_vf_get_addr(vf, &addr) && nl_addr_get_len(addr) >= 6) {
		memcpy(a->mac, nl_addr_get_binary_addr(addr), 6);
		a->mask |= VA_MAC;
	}
	a->proto = ETH_P_8021Q;
	if (!rtnl_link_vf_get_vlans(vf, &vlans) && vlans && vlans->size > 0) {
		a->vlan = vlans->vlans[0].vf_vlan;
		a->qos = vlans->vlans[0].vf_vlan_qos;
		if (vlans->vlans[0].vf_vlan_proto)
			a->proto = vlans->vlans[0].vf_vlan_proto;
		rtnl_link_vf_vlan_put(vlans);
	}
	if (!a->vlan) {
		a->qos = 0;
		a->proto = ETH_P_8021Q;
	}
	a->mask |= VA_VLAN;
	if (!rtnl_link_vf_get_rate(vf, &rate))
		a->rate = rate.api == RTNL_LINK_VF_RATE_API_OLD ? rate.rate : rate.max_tx_rate;
	a->mask |= VA_RATE;
	if (!rtnl_link_vf_get_spoofchk(vf, &v)) {
		a->spoofchk = v;
		a->mask |= VA_SPOOFCHK;
	}
	if (!rtnl_link_vf_get_trust(vf, &v)) {
		a->trust = v;
		a->mask |= VA_TRUST;
	}
	if (!rtnl_link_vf_get_linkstate(vf, &v)) {
		a->state = v;
		a->mask |= VA_STATE;
	}
	rtnl_link_vf_put(vf);
	rtnl_link_put(link);
	return 0;
}

/*
 * vfctl_nl_rate: the rate request for max_tx_rate max on VF index of orig (the
 * PF's link as read). IFLA_VF_RATE carries both rates, so the VF's current
 * minimum goes along, as iproute2 sends it; a 0 would clear it.
 */
void vfctl_nl_rate(struct rtnl_link *orig, int index, unsigned int max, struct nl_vf_rate *rate)
{
	struct rtnl_link_vf *vf =
		rtnl_link_has_vf_list(orig) ? rtnl_link_vf_get(orig, index) : NULL;
	struct nl_vf_rate have;

	memset(rate, 0, sizeof(*rate));
	rate->api = RTNL_LINK_VF_RATE_API_NEW;
	rate->max_tx_rate = max;
	/* only the new API has a minimum; the old one reports none */
	if (vf && !rtnl_link_vf_get_rate(vf, &have) && have.api == RTNL_LINK_VF_RATE_API_NEW)
		rate->min_tx_rate = have.min_tx_rate;
	if (vf)
		rtnl_link_vf_put(vf);
}

/* one attribute group per request, so that a refusal names what was refused */
static int nl_set_one(struct vfctl_ctx *ctx, struct rtnl_link *orig, const struct vfctl_pf *pf,
		      int index, const struct vfctl_attrs *a, unsigned int bit)
{
	struct rtnl_link *change = rtnl_link_alloc();
	struct rtnl_link_vf *vf = rtnl_link_vf_alloc();
	nl_vf_vlans_t *vlans = NULL;
	struct nl_addr *addr = NULL;
	struct nl_vf_rate rate;
	long long deadline;
	char what[128];
	int err = -NLE_NOMEM;

	if (!change || !vf)
		goto out;
	rtnl_link_vf_set_index(vf, index);
	switch (bit) {
	case VA_MAC:
		addr = nl_addr_build(AF_LLC, a->mac, 6);
		if (!addr)
			goto out;
		rtnl_link_vf_set_addr(vf, addr);
		break;
	case VA_VLAN:
		err = rtnl_link_vf_vlan_alloc(&vlans, 1);
		if (err < 0)
			goto out;
		vlans->vlans[0].vf_vlan = a->vlan;
		vlans->vlans[0].vf_vlan_qos = a->qos;
		/*
		 * libnl 3.7 sends vf_vlan_proto unconverted into the __be16 of
		 * IFLA_VF_VLAN_INFO (and reads it back with ntohs): 802.1Q goes
		 * as IFLA_VF_VLAN, which has no protocol, 802.1ad must be
		 * given in network order.
		 */
		vlans->vlans[0].vf_vlan_proto =
			a->vlan && a->proto == ETH_P_8021AD ? htons(ETH_P_8021AD) : ETH_P_8021Q;
		rtnl_link_vf_set_vlans(vf, vlans);
		break;
	case VA_RATE:
		vfctl_nl_rate(orig, index, a->rate, &rate);
		rtnl_link_vf_set_rate(vf, &rate);
		break;
	case VA_SPOOFCHK:
		rtnl_link_vf_set_spoofchk(vf, a->spoofchk);
		break;
	case VA_TRUST:
		rtnl_link_vf_set_trust(vf, a->trust);
		break;
	case VA_STATE:
		rtnl_link_vf_set_linkstate(vf, a->state);
		break;
	}
	err = rtnl_link_vf_add(change, vf);
	if (err < 0)
		goto out;
	/* a VF still being set up is refused with EAGAIN or EBUSY: retry, bounded */
	deadline = vfctl_now_ms() + ctx->timeout_ms;
	while ((err = rtnl_link_change(ctx->nl, orig, change, 0)) == -NLE_AGAIN ||
	       err == -NLE_BUSY) {
		if (vfctl_now_ms() >= deadline)
			break;
		vfctl_sleep_ms(50);
	}
out:
	if (vlans)
		rtnl_link_vf_vlan_put(vlans);
	if (addr)
		nl_addr_put(addr);
	if (vf)
		rtnl_link_vf_put(vf);
	if (change)
		rtnl_link_put(change);
	if (err < 0) {
		vfctl_attrs_describe(a, bit, what, sizeof(what));
		return vfctl_error(
			ctx, "PF %s VF %d: setting %s: %s (see dmesg for the driver's reason)",
			pf->ifname, index, what, nl_geterror(err));
	}
	return 0;
}

/* vfctl_nl_set: set the attributes in a->mask, then read back to confirm */
int vfctl_nl_set(struct vfctl_ctx *ctx, const struct vfctl_pf *pf, int index,
		 const struct vfctl_attrs *a)
{
	struct vfctl_attrs seen;
	struct rtnl_link *orig;
	unsigned int bit, bad;
	char w[128], s[128];

	if (get_link(ctx, pf, &orig))
		return -1;
	for (bit = 1; bit & VA_ALL; bit <<= 1) {
		if (!(a->mask & bit))
			continue;
		if (nl_set_one(ctx, orig, pf, index, a, bit)) {
			rtnl_link_put(orig);
			return -1;
		}
	}
	rtnl_link_put(orig);
	if (vfctl_nl_get(ctx, pf, index, &seen))
		return -1;
	bad = vfctl_attrs_diff(a, &seen);
	if (bad) {
		vfctl_attrs_describe(a, bad, w, sizeof(w));
		vfctl_attrs_describe(&seen, bad, s, sizeof(s));
		return vfctl_error(ctx,
				   "PF %s VF %d: read back after setting: expected %s, seen %s",
				   pf->ifname, index, w, s);
	}
	return 0;
}
