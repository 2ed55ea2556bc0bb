// SPDX-License-Identifier: GPL-2.0
/*
 * vfctl configuration files: the example (docs/examples/vfctl.yaml) and its
 * JSON twin parse to the same configuration; every kind of bad file is
 * rejected with a message naming the place and the cause.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <linux/if_ether.h>
#include <netlink/route/link.h>
#include <netlink/route/link/sriov.h>

#include "vfctl.h"
#include "vfctl_config.h"

static char dir[] = "/tmp/vfctl-config.XXXXXX";

static const char *write_file(const char *name, const char *text)
{
	static char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static const char *example(void)
{
	static char path[512];
	const char *d = getenv("VFCTL_EXAMPLES");

	snprintf(path, sizeof(path), "%s/vfctl.yaml", d ? d : "../../docs/examples");
	return path;
}

static void check_example(const struct vfctl_config *c)
{
	const struct vfctl_pf_cfg *pf;
	uint8_t mac[6] = { 2, 0, 0, 0, 1, 0 };

	assert_int_equal(c->npfs, 1);
	pf = &c->pfs[0];
	assert_string_equal(pf->name, "eth0");
	assert_int_equal(pf->num_vfs, 8);
	assert_int_equal(pf->autoprobe, -1);
	assert_int_equal(pf->nvfs, 8);
	assert_int_equal(pf->vfs[0].index, 0);
	assert_memory_equal(pf->vfs[0].attrs.mac, mac, 6);
	assert_int_equal(pf->vfs[0].attrs.mask, VA_MAC | VA_VLAN);
	assert_int_equal(pf->vfs[0].attrs.vlan, 100);
	assert_int_equal(pf->vfs[0].attrs.qos, 2);
	assert_int_equal(pf->vfs[0].attrs.proto, ETH_P_8021Q);
	assert_int_equal(pf->vfs[1].attrs.rate, 100);
	assert_int_equal(pf->vfs[2].attrs.proto, ETH_P_8021AD);
	assert_true(pf->vfs[3].attrs.trust);
	assert_false(pf->vfs[3].attrs.spoofchk);
	assert_int_equal(pf->vfs[3].attrs.mask, VA_MAC | VA_TRUST | VA_SPOOFCHK);
	assert_int_equal(pf->vfs[4].attrs.state, VF_STATE_ENABLE);
	assert_string_equal(pf->vfs[6].driver, "vfio-pci");
	assert_string_equal(pf->vfs[6].vm, "web1");
	assert_string_equal(pf->vfs[5].driver, "");
}

static void test_example_yaml(void **state)
{
	struct vfctl_ctx ctx;
	struct vfctl_config c;

	(void)state;
	vfctl_ctx_init(&ctx);
	if (vfctl_config_load(&ctx, example(), &c))
		fail_msg("%s: %s", example(), ctx.err);
	check_example(&c);
	vfctl_config_free(&c);
}

static void test_example_json(void **state)
{
	struct vfctl_ctx ctx;
	struct vfctl_config c;
	const char *p = write_file(
		"ex.json",
		"{\"pfs\": [{\"pf\": \"eth0\", \"num_vfs\": 8, \"vfs\": [\n"
		"{\"vf\": 0, \"mac\": \"02:00:00:00:01:00\", \"vlan\": 100, \"qos\": 2},\n"
		"{\"vf\": 1, \"mac\": \"02:00:00:00:01:01\", \"rate\": 100},\n"
		"{\"vf\": 2, \"mac\": \"02:00:00:00:01:02\", \"vlan\": 200, \"proto\": "
		"\"802.1ad\"},\n"
		"{\"vf\": 3, \"mac\": \"02:00:00:00:01:03\", \"trust\": true, \"spoofchk\": "
		"false},\n"
		"{\"vf\": 4, \"mac\": \"02:00:00:00:01:04\", \"state\": \"enable\"},\n"
		"{\"vf\": 5, \"mac\": \"02:00:00:00:01:05\"},\n"
		"{\"vf\": 6, \"mac\": \"02:00:00:00:01:06\", \"driver\": \"vfio-pci\", \"vm\": "
		"\"web1\"},\n"
		"{\"vf\": 7, \"mac\": \"02:00:00:00:01:07\", \"driver\": \"vfio-pci\"}]}]}\n");

	(void)state;
	vfctl_ctx_init(&ctx);
	if (vfctl_config_load(&ctx, p, &c))
		fail_msg("%s: %s", p, ctx.err);
	check_example(&c);
	vfctl_config_free(&c);
}

static const struct bad {
	const char *name;
	const char *text;
	const char *err;
} bad[] = {
	{ "a.yaml",
	  "pfs:\n  - pf: eth0\n    num_vfs: 2\n    vfs:\n      - vf: 1\n        macc: 1\n",
	  "bad.yaml: pfs[0] (pf eth0) vfs[0] (vf 1): unknown attribute 'macc'" },
	{ "a.yaml", "pfs:\n  - pf: eth0\n", "pfs[0] (pf eth0): missing 'num_vfs'" },
	{ "a.yaml", "pfs:\n  - num_vfs: 2\n", "pfs[0]: missing 'pf'" },
	{ "a.yaml", "pfs:\n  - pf: eth0\n    num_vfs: 2\n    vfs:\n      - vf: 2\n",
	  "(vf 2): VF index 2 but num_vfs is 2" },
	{ "a.yaml", "pfs:\n  - pf: eth0\n    num_vfs: -1\n", "num_vfs '-1' is not an integer" },
	{ "a.yaml", "pfs:\n  - pf: eth0\n    num_vfs: lots\n", "num_vfs 'lots' is not an integer" },
	{ "a.yaml", "pfs:\n  - pf: eth0\n    num_vfs: 2\n    vfs:\n      - vf: 1\n      - vf: 1\n",
	  "pfs[0] (pf eth0): VF 1 configured twice" },
	{ "a.yaml",
	  "pfs:\n  - pf: eth0\n    num_vfs: 2\n    vfs:\n      - vf: 0\n        mac: "
	  "02:00:00:00:00:01\n"
	  "      - vf: 1\n        mac: 02:00:00:00:00:01\n",
	  "VF 0 and VF 1 have the same MAC" },
	{ "a.yaml",
	  "pfs:\n  - pf: eth0\n    num_vfs: 1\n    vfs:\n      - vf: 0\n        mac: "
	  "02:00:00:00:00:01\n"
	  "  - pf: eth1\n    num_vfs: 2\n    vfs:\n      - vf: 1\n        mac: "
	  "02:00:00:00:00:01\n",
	  "bad.yaml: PF eth0 VF 0 and PF eth1 VF 1 have the same MAC" },
	{ "a.yaml",
	  "pfs:\n  - pf: eth0\n    num_vfs: 2\n    vfs:\n      - vf: 0\n        mac: "
	  "00:00:00:00:00:00\n",
	  "(vf 0): MAC 00:00:00:00:00:00 is all zero" },
	{ "a.yaml",
	  "pfs:\n  - pf: eth0\n    num_vfs: 2\n    vfs:\n      - vf: 0\n        mac: "
	  "02:00:00:00:00\n",
	  "(vf 0): mac '02:00:00:00:00' is not a MAC address" },
	{ "a.yaml",
	  "pfs:\n  - pf: eth0\n    num_vfs: 2\n    vfs:\n      - vf: 0\n        vlan: 4096\n",
	  "(vf 0): vlan '4096' is not 0-4095" },
	{ "a.yaml",
	  "pfs:\n  - pf: eth0\n    num_vfs: 2\n    vfs:\n      - vf: 0\n        vlan: 5\n        "
	  "qos: 8\n",
	  "(vf 0): qos '8' is not 0-7" },
	{ "a.yaml", "pfs:\n  - pf: eth0\n    num_vfs: 2\n    vfs:\n      - vf: 0\n        qos: 3\n",
	  "(vf 0): qos or proto given without a vlan" },
	{ "a.yaml",
	  "pfs:\n  - pf: eth0\n    num_vfs: 2\n    vfs:\n      - vf: 0\n        vlan: 5\n        "
	  "proto: 802.1x\n",
	  "proto '802.1x' is not 802.1Q or 802.1ad" },
	{ "a.yaml",
	  "pfs:\n  - pf: eth0\n    num_vfs: 2\n    vfs:\n      - vf: 0\n        state: up\n",
	  "state 'up' is not auto, enable or disable" },
	{ "a.yaml",
	  "pfs:\n  - pf: eth0\n    num_vfs: 2\n    vfs:\n      - vf: 0\n        trust: maybe\n",
	  "trust 'maybe' is not on or off" },
	{ "a.yaml",
	  "pfs:\n  - pf: eth0\n    num_vfs: 2\n    vfs:\n      - vf: 0\n        driver: vfio pci\n",
	  "driver 'vfio pci' is not a driver name" },
	{ "a.yaml",
	  "pfs:\n  - pf: eth0\n    num_vfs: 2\n    vfs:\n      - vf: 0\n        mac: [1, 2]\n",
	  "mac must be a scalar" },
	{ "a.yaml", "pfs:\n  - pf: eth0\n    num_vfs: 1\n  - pf: eth0\n    num_vfs: 2\n",
	  "PF eth0 configured twice" },
	{ "a.yaml", "pfs:\n  - pf: eth0\n    num_vfs: 1\n    speed: 10\n", "unknown key 'speed'" },
	{ "a.yaml", "pf: eth0\n", "unknown top-level key 'pf'" },
	{ "a.yaml", "pfs: eth0\n", "'pfs' must be a list" },
	{ "a.yaml", "pfs:\n  - pf: eth0\n   num_vfs: 2\n", "bad.yaml:3:4: YAML: " },
	{ "a.yaml", "pfs:\n  - pf: eth0\n    pf: eth1\n    num_vfs: 2\n",
	  "bad.yaml:3: duplicate key 'pf'" },
	{ "a.yaml", "a: &x 1\nb: *x\n", "aliases are not supported" },
	{ "a.yaml", "", "empty configuration" },
	{ "a.yaml", "pfs:\n  - pf: ../../x\n    num_vfs: 1\n",
	  "pf '../../x' is not an interface name" },
	{ "a.json", "{\"pfs\": [ {\"pf\": \"eth0\", } ]}", "bad.json:1:" },
	{ "a.json", "{\"pfs\": [], \"pfs\": []}", "bad.json:1:" },
	{ "a.json", "{\"pfs\": [{\"pf\": \"eth0\", \"num_vfs\": 1.5}]}",
	  "num_vfs must be a scalar" },
};

static void test_bad_files(void **state)
{
	struct vfctl_ctx ctx;
	struct vfctl_config c;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *ext = strrchr(bad[i].name, '.');
		char name[32];
		const char *p;

		snprintf(name, sizeof(name), "bad%s", ext);
		p = write_file(name, bad[i].text);
		vfctl_ctx_init(&ctx);
		if (vfctl_config_load(&ctx, p, &c) == 0)
			fail_msg("bad file %zu accepted:\n%s", i, bad[i].text);
		if (!strstr(ctx.err, bad[i].err))
			fail_msg("bad file %zu: expected '%s' in '%s'", i, bad[i].err, ctx.err);
		assert_int_equal(c.npfs, 0);
		assert_null(c.pfs);
	}
}

static void test_missing_file(void **state)
{
	struct vfctl_ctx ctx;
	struct vfctl_config c;

	(void)state;
	vfctl_ctx_init(&ctx);
	assert_int_equal(vfctl_config_load(&ctx, "/nonexistent/vfctl.yaml", &c), -1);
	assert_string_equal(ctx.err, "/nonexistent/vfctl.yaml: No such file or directory");
}

static void test_attr_parse(void **state)
{
	struct vfctl_ctx ctx;
	struct vfctl_attrs a = { 0 };
	char d[256];

	(void)state;
	vfctl_ctx_init(&ctx);
	assert_int_equal(vfctl_attr_parse(&ctx, &a, "mac", "02:AB:cd:00:00:01", "VF 1"), 0);
	assert_int_equal(vfctl_attr_parse(&ctx, &a, "vlan", "7", "VF 1"), 0);
	assert_int_equal(vfctl_attr_parse(&ctx, &a, "state", "disable", "VF 1"), 0);
	vfctl_attrs_describe(&a, a.mask, d, sizeof(d));
	assert_string_equal(d, "mac 02:ab:cd:00:00:01, vlan 7 qos 0 proto 802.1Q, state disable");
	assert_int_equal(vfctl_attr_parse(&ctx, &a, "mac", "01:00:5e:00:00:01", "VF 1"), -1);
	assert_string_equal(ctx.err, "VF 1: MAC 01:00:5e:00:00:01 is multicast");
	assert_int_equal(vfctl_attr_parse(&ctx, &a, "rate", "-5", "VF 1"), -1);
	assert_int_equal(vfctl_attr_parse(&ctx, &a, "colour", "red", "VF 1"), -1);
	assert_non_null(strstr(ctx.err, "unknown attribute 'colour'"));
}

/* qos and proto need a nonzero vlan in the same entry: with vlan 0 they would remove a VLAN */
static void test_qos_proto_need_vlan(void **state)
{
	static const char *const refused[] = { "qos: 0\n", "proto: 802.1Q\n",
					       "vlan: 0\n        qos: 0\n",
					       "vlan: 0\n        proto: 802.1ad\n" };
	struct vfctl_ctx ctx;
	struct vfctl_config c;
	char text[256];
	const char *p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		snprintf(text, sizeof(text),
			 "pfs:\n  - pf: eth0\n    num_vfs: 2\n    vfs:\n      - vf: 0\n        %s",
			 refused[i]);
		p = write_file("bad.yaml", text);
		vfctl_ctx_init(&ctx);
		if (vfctl_config_load(&ctx, p, &c) == 0)
			fail_msg("accepted:\n%s", text);
		if (!strstr(ctx.err, "(vf 0): qos or proto given without a vlan"))
			fail_msg("%s: expected 'qos or proto given without a vlan', seen '%s'",
				 text, ctx.err);
	}
	p = write_file("bad.yaml", "pfs:\n  - pf: eth0\n    num_vfs: 2\n    vfs:\n      - vf: 0\n"
				   "        vlan: 5\n        qos: 0\n        proto: 802.1Q\n");
	vfctl_ctx_init(&ctx);
	if (vfctl_config_load(&ctx, p, &c))
		fail_msg("vlan 5 qos 0 proto 802.1Q: %s", ctx.err);
	assert_int_equal(c.pfs[0].vfs[0].attrs.vlan, 5);
	vfctl_config_free(&c);
}

/* exactly six pairs of hex digits: no sign, space or other separator */
static void test_parse_mac(void **state)
{
	static const char *const refused[] = {
		"-2:00:00:00:00:01", "+2:00:00:00:00:01",  " 2:00:00:00:00:01", "02:00:00:00:00:0g",
		"02-00-00-00-00-01", "02:00:00:00:00:01 ", "2:00:00:00:00:01",	"02:0:00:00:00:001",
	};
	uint8_t mac[6], want[6] = { 0x02, 0xab, 0xcd, 0x00, 0x00, 0x01 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		if (vfctl_parse_mac(refused[i], mac) == 0)
			fail_msg("MAC '%s': expected refused, seen accepted", refused[i]);
	assert_int_equal(vfctl_parse_mac("02:AB:cd:00:00:01", mac), 0);
	assert_memory_equal(mac, want, 6);
}

/*
 * vfctl set as ip link reads "vf N vlan V [qos Q] [proto P]": vlan resets
 * qos and proto unless given; qos or proto alone change the current VLAN;
 * qos or proto with no VLAN to apply to are refused.
 */
static void test_set_vlan(void **state)
{
	struct vfctl_attrs have = { 0 }, want;
	struct vfctl_ctx ctx;
	char *vlan200[] = { "vlan", "200" };
	char *qos5[] = { "qos", "5" };
	char *vlan0[] = { "vlan", "0" };
	char *vlan0_qos3[] = { "vlan", "0", "qos", "3" };
	char *vlan7_ad[] = { "vlan", "7", "proto", "802.1ad" };
	char *proto_q[] = { "proto", "802.1Q" };

	(void)state;
	vfctl_ctx_init(&ctx);
	have.mask = VA_ALL;
	have.vlan = 100;
	have.qos = 2;
	have.proto = ETH_P_8021AD;
	have.rate = 10;
	assert_int_equal(vfctl_set_parse(&ctx, &have, 2, vlan200, "VF 3", &want), 0);
	assert_int_equal(want.mask, VA_VLAN);
	assert_int_equal(want.vlan, 200);
	assert_int_equal(want.qos, 0);
	assert_int_equal(want.proto, ETH_P_8021Q);
	assert_int_equal(vfctl_set_parse(&ctx, &have, 2, qos5, "VF 3", &want), 0);
	assert_int_equal(want.vlan, 100);
	assert_int_equal(want.qos, 5);
	assert_int_equal(want.proto, ETH_P_8021AD);
	assert_int_equal(vfctl_set_parse(&ctx, &have, 4, vlan7_ad, "VF 3", &want), 0);
	assert_int_equal(want.vlan, 7);
	assert_int_equal(want.qos, 0);
	assert_int_equal(want.proto, ETH_P_8021AD);
	assert_int_equal(vfctl_set_parse(&ctx, &have, 2, vlan0, "VF 3", &want), 0);
	assert_int_equal(want.vlan, 0);
	assert_int_equal(vfctl_attrs_diff(&want, &have), VA_VLAN);
	assert_int_equal(vfctl_set_parse(&ctx, &have, 4, vlan0_qos3, "VF 3", &want), -1);
	assert_string_equal(ctx.err, "VF 3: qos or proto given without a vlan (1-4095)");
	have.vlan = 0;
	have.qos = 0;
	have.proto = ETH_P_8021Q;
	assert_int_equal(vfctl_set_parse(&ctx, &have, 2, qos5, "VF 3", &want), -1);
	assert_int_equal(vfctl_set_parse(&ctx, &have, 2, proto_q, "VF 3", &want), -1);
	assert_int_equal(vfctl_set_parse(&ctx, &have, 1, vlan200, "VF 3", &want), -1);
	assert_string_equal(ctx.err, "set: expected ATTR VALUE pairs");
}

static void test_attrs_diff(void **state)
{
	struct vfctl_attrs want = { 0 }, have = { 0 };

	(void)state;
	want.mask = VA_VLAN | VA_TRUST;
	want.vlan = 0;
	want.qos = 3; /* ignored without a VLAN */
	have.mask = VA_ALL;
	have.proto = ETH_P_8021Q;
	assert_int_equal(vfctl_attrs_diff(&want, &have), 0);
	want.trust = true;
	assert_int_equal(vfctl_attrs_diff(&want, &have), VA_TRUST);
	want.vlan = 10;
	want.proto = ETH_P_8021AD;
	have.vlan = 10;
	have.qos = 3;
	assert_int_equal(vfctl_attrs_diff(&want, &have), VA_TRUST | VA_VLAN);
	have.mask = 0; /* unknown counts as different */
	want.mask = VA_RATE;
	assert_int_equal(vfctl_attrs_diff(&want, &have), VA_RATE);
}

/* add_vf: VF index to link's VF table, with the rate as the kernel reports it */
static void add_vf(struct rtnl_link *link, int index, struct nl_vf_rate *rate)
{
	struct rtnl_link_vf *vf = rtnl_link_vf_alloc();

	assert_non_null(vf);
	rtnl_link_vf_set_index(vf, index);
	rtnl_link_vf_set_rate(vf, rate);
	assert_int_equal(rtnl_link_vf_add(link, vf), 0);
	rtnl_link_vf_put(vf);
}

/* setting rate (max_tx_rate) keeps the VF's min_tx_rate, as ip link set ... vf N rate does */
static void test_rate_keeps_min(void **state)
{
	struct rtnl_link *link = rtnl_link_alloc();
	struct nl_vf_rate both = { .api = RTNL_LINK_VF_RATE_API_NEW,
				   .min_tx_rate = 30,
				   .max_tx_rate = 100 };
	struct nl_vf_rate old = { .api = RTNL_LINK_VF_RATE_API_OLD, .rate = 40 };
	struct nl_vf_rate r;

	(void)state;
	assert_non_null(link);
	add_vf(link, 3, &both);
	add_vf(link, 4, &old);
	vfctl_nl_rate(link, 3, 200, &r);
	assert_int_equal(r.api, RTNL_LINK_VF_RATE_API_NEW);
	assert_int_equal(r.max_tx_rate, 200);
	assert_int_equal(r.min_tx_rate, 30);
	/* the old API has no minimum; a VF missing from the table has none to keep */
	vfctl_nl_rate(link, 4, 0, &r);
	assert_int_equal(r.min_tx_rate, 0);
	vfctl_nl_rate(link, 5, 10, &r);
	assert_int_equal(r.max_tx_rate, 10);
	assert_int_equal(r.min_tx_rate, 0);
	rtnl_link_put(link);
}

static int group_setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int group_teardown(void **state)
{
	char p[256];

	(void)state;
	snprintf(p, sizeof(p), "%s/bad.yaml", dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/bad.json", dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/ex.json", dir);
	unlink(p);
	rmdir(dir);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example_yaml),
		cmocka_unit_test(test_example_json),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_attr_parse),
		cmocka_unit_test(test_attrs_diff),
		cmocka_unit_test(test_qos_proto_need_vlan),
		cmocka_unit_test(test_parse_mac),
		cmocka_unit_test(test_set_vlan),
		cmocka_unit_test(test_rate_keeps_min),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
