// SPDX-License-Identifier: GPL-2.0
/* libvf_attrs.c: VF attributes as text: parsing, comparing and describing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <linux/if_ether.h>

#include "vfctl.h"

static const char *const state_names[] = { "auto", "enable", "disable" };

/* vfctl_attrs_diff: the bits of want->mask whose values differ in have */
int vfctl_attrs_diff(const struct vfctl_attrs *want, const struct vfctl_attrs *have)
{
	unsigned int d = 0, m = want->mask;

	if ((m & VA_MAC) && (!(have->mask & VA_MAC) || memcmp(want->mac, have->mac, 6)))
		d |= VA_MAC;
	if ((m & VA_VLAN) &&
	    (!(have->mask & VA_VLAN) || want->vlan != have->vlan ||
	     (want->vlan && (want->qos != have->qos || want->proto != have->proto))))
		d |= VA_VLAN;
	if ((m & VA_RATE) && (!(have->mask & VA_RATE) || want->rate != have->rate))
		d |= VA_RATE;
	if ((m & VA_SPOOFCHK) && (!(have->mask & VA_SPOOFCHK) || want->spoofchk != have->spoofchk))
		d |= VA_SPOOFCHK;
	if ((m & VA_TRUST) && (!(have->mask & VA_TRUST) || want->trust != have->trust))
		d |= VA_TRUST;
	if ((m & VA_STATE) && (!(have->mask & VA_STATE) || want->state != have->state))
		d |= VA_STATE;
	return (int)d;
}

const char *vfctl_state_name(unsigned int s)
{
	return s < 3 ? state_names[s] : "?";
}

void vfctl_attrs_describe(const struct vfctl_attrs *a, unsigned int mask, char *buf, size_t len)
{
	size_t n = 0;
	char mac[24];

	buf[0] = '\0';
#define ADD(...) (n += snprintf(buf + n, n < len ? len - n : 0, __VA_ARGS__))
	if (mask & VA_MAC) {
		vfctl_format_mac(a->mac, mac, sizeof(mac));
		ADD("%smac %s", n ? ", " : "", mac);
	}
	if (mask & VA_VLAN) {
		if (a->vlan)
			ADD("%svlan %u qos %u proto %s", n ? ", " : "", a->vlan, a->qos,
			    a->proto == ETH_P_8021AD ? "802.1ad" : "802.1Q");
		else
			ADD("%svlan 0", n ? ", " : "");
	}
	if (mask & VA_RATE)
		ADD("%srate %u", n ? ", " : "", a->rate);
	if (mask & VA_SPOOFCHK)
		ADD("%sspoofchk %s", n ? ", " : "", a->spoofchk ? "on" : "off");
	if (mask & VA_TRUST)
		ADD("%strust %s", n ? ", " : "", a->trust ? "on" : "off");
	if (mask & VA_STATE)
		ADD("%sstate %s", n ? ", " : "", vfctl_state_name(a->state));
#undef ADD
}

static int parse_uint(const char *s, unsigned long max, unsigned int *out)
{
	char *end;
	unsigned long v;

	if (!*s || *s == '-')
		return -1;
	v = strtoul(s, &end, 10);
	if (*end || v > max)
		return -1;
	*out = (unsigned int)v;
	return 0;
}

static int parse_bool(const char *s, bool *out)
{
	if (!strcasecmp(s, "on") || !strcasecmp(s, "true") || !strcmp(s, "1") ||
	    !strcasecmp(s, "yes"))
		*out = true;
	else if (!strcasecmp(s, "off") || !strcasecmp(s, "false") || !strcmp(s, "0") ||
		 !strcasecmp(s, "no"))
		*out = false;
	else
		return -1;
	return 0;
}

/*
 * vfctl_set_parse: the ATTR VALUE pairs of "vfctl set" on top of @have, the
 * VF's current attributes, into @want (mask: the attributes given). As in
 * "ip link set ... vf N vlan V [qos Q] [proto P]", vlan means qos 0 and
 * 802.1Q unless they are given too; qos or proto without vlan change the
 * VF's current VLAN, and with no VLAN to apply to they are refused.
 */
int vfctl_set_parse(struct vfctl_ctx *ctx, const struct vfctl_attrs *have, int argc,
		    char *const *argv, const char *what, struct vfctl_attrs *want)
{
	bool vlan = false, qos_proto = false;
	int i;

	if (argc == 0 || argc % 2)
		return vfctl_error(ctx, "set: expected ATTR VALUE pairs");
	*want = *have;
	want->mask = 0;
	for (i = 0; i < argc; i += 2) {
		vlan |= !strcmp(argv[i], "vlan");
		qos_proto |= !strcmp(argv[i], "qos") || !strcmp(argv[i], "proto");
	}
	if (vlan) {
		want->qos = 0;
		want->proto = ETH_P_8021Q;
	}
	for (i = 0; i < argc; i += 2)
		if (vfctl_attr_parse(ctx, want, argv[i], argv[i + 1], what))
			return -1;
	if (qos_proto && !want->vlan)
		return vfctl_error(ctx, "%s: qos or proto given without a vlan (1-4095)", what);
	return 0;
}

/* vfctl_attr_parse: KEY VALUE into a; what names the VF in errors */
int vfctl_attr_parse(struct vfctl_ctx *ctx, struct vfctl_attrs *a, const char *key, const char *val,
		     const char *what)
{
	unsigned int i;

	if (!strcmp(key, "mac")) {
		if (vfctl_parse_mac(val, a->mac))
			return vfctl_error(ctx, "%s: mac '%s' is not a MAC address", what, val);
		if (a->mac[0] & 1)
			return vfctl_error(ctx, "%s: MAC %s is multicast", what, val);
		if (!(a->mac[0] | a->mac[1] | a->mac[2] | a->mac[3] | a->mac[4] | a->mac[5]))
			return vfctl_error(ctx, "%s: MAC %s is all zero", what, val);
		a->mask |= VA_MAC;
	} else if (!strcmp(key, "vlan")) {
		if (parse_uint(val, 4095, &a->vlan))
			return vfctl_error(ctx, "%s: vlan '%s' is not 0-4095", what, val);
		if (!(a->mask & VA_VLAN) && !a->proto)
			a->proto = ETH_P_8021Q;
		a->mask |= VA_VLAN;
	} else if (!strcmp(key, "qos")) {
		if (parse_uint(val, 7, &a->qos))
			return vfctl_error(ctx, "%s: qos '%s' is not 0-7", what, val);
		a->mask |= VA_VLAN;
	} else if (!strcmp(key, "proto")) {
		if (!strcasecmp(val, "802.1Q"))
			a->proto = ETH_P_8021Q;
		else if (!strcasecmp(val, "802.1ad"))
			a->proto = ETH_P_8021AD;
		else
			return vfctl_error(ctx, "%s: proto '%s' is not 802.1Q or 802.1ad", what,
					   val);
		a->mask |= VA_VLAN;
	} else if (!strcmp(key, "rate")) {
		if (parse_uint(val, 1000000, &a->rate))
			return vfctl_error(ctx, "%s: rate '%s' is not a number of Mbit/s", what,
					   val);
		a->mask |= VA_RATE;
	} else if (!strcmp(key, "spoofchk")) {
		if (parse_bool(val, &a->spoofchk))
			return vfctl_error(ctx, "%s: spoofchk '%s' is not on or off", what, val);
		a->mask |= VA_SPOOFCHK;
	} else if (!strcmp(key, "trust")) {
		if (parse_bool(val, &a->trust))
			return vfctl_error(ctx, "%s: trust '%s' is not on or off", what, val);
		a->mask |= VA_TRUST;
	} else if (!strcmp(key, "state")) {
		for (i = 0; i < 3 && strcmp(val, state_names[i]); i++)
			;
		if (i == 3)
			return vfctl_error(ctx, "%s: state '%s' is not auto, enable or disable",
					   what, val);
		a->state = i;
		a->mask |= VA_STATE;
	} else {
		return vfctl_error(ctx,
				   "%s: unknown attribute '%s' (mac, vlan, qos, proto, rate, "
				   "spoofchk, trust, state)",
				   what, key);
	}
	return 0;
}
