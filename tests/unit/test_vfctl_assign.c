// SPDX-License-Identifier: GPL-2.0
/*
 * vfctl assign/release against the fake sysfs tree and a fake QMP server (a
 * child process on a Unix socket speaking just enough QMP): QEMU arguments,
 * libvirt XML, device_add, device_del waiting for DEVICE_DELETED among other
 * events, a bounded wait when it never comes, QMP errors reported, state;
 * the QEMU process recorded from SO_PEERCRED, and the VF released by
 * reconcile once that process has exited or its pid was reused; release
 * restoring the VF against a fake netlink VF table (linked with --wrap in
 * place of vfctl_nl_get and vfctl_nl_set), and forgetting the VM only once
 * the VF is restored; a failed restore retried (without a second device_del)
 * and holding up neither the other VFs nor apply.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <linux/if_ether.h>

#include "vfctl.h"
#include "vfctl_config.h"
#include "vfctl_fake_sysfs.h"

#define PF "0000:01:00.0"
#define VF1 "0000:01:00.2"

struct fx {
	struct fake_tree t;
	struct vfctl_ctx ctx;
	struct vfctl_pf pf;
	char sock[300];
	char log[300];
	pid_t server;
};

/*
 * The fake netlink VF table that release restores, standing in for the
 * kernel's: ctx->no_netlink is off in the tests that use it.
 */
static struct {
	struct vfctl_attrs vf[2];
	bool refuse; /* every set fails, as a PF driver refusing it would */
} fake_nl;

int __wrap_vfctl_nl_get(struct vfctl_ctx *ctx, const struct vfctl_pf *pf, int index,
			struct vfctl_attrs *a);
int __wrap_vfctl_nl_set(struct vfctl_ctx *ctx, const struct vfctl_pf *pf, int index,
			const struct vfctl_attrs *a);

int __wrap_vfctl_nl_get(struct vfctl_ctx *ctx, const struct vfctl_pf *pf, int index,
			struct vfctl_attrs *a)
{
	(void)ctx;
	(void)pf;
	assert_in_range(index, 0, 1);
	*a = fake_nl.vf[index];
	a->mask = VA_ALL;
	return 0;
}

int __wrap_vfctl_nl_set(struct vfctl_ctx *ctx, const struct vfctl_pf *pf, int index,
			const struct vfctl_attrs *a)
{
	struct vfctl_attrs *have = &fake_nl.vf[index];

	assert_in_range(index, 0, 1);
	if (fake_nl.refuse)
		return vfctl_error(ctx, "PF %s VF %d: setting trust off: Operation not supported",
				   pf->ifname, index);
	if (a->mask & VA_MAC)
		memcpy(have->mac, a->mac, 6);
	if (a->mask & VA_VLAN) {
		have->vlan = a->vlan;
		have->qos = a->qos;
		have->proto = a->proto;
	}
	if (a->mask & VA_RATE)
		have->rate = a->rate;
	if (a->mask & VA_SPOOFCHK)
		have->spoofchk = a->spoofchk;
	if (a->mask & VA_TRUST)
		have->trust = a->trust;
	if (a->mask & VA_STATE)
		have->state = a->state;
	return 0;
}

static const uint8_t vm_mac[6] = { 2, 0, 0, 0, 9, 9 };

/* the VF as a VM left it: every attribute off its default */
static void dirty_vf(int index)
{
	struct vfctl_attrs *a = &fake_nl.vf[index];

	memcpy(a->mac, vm_mac, 6);
	a->vlan = 100;
	a->qos = 2;
	a->proto = ETH_P_8021AD;
	a->rate = 50;
	a->spoofchk = false;
	a->trust = true;
	a->state = VF_STATE_DISABLE;
}

/* the VF with the defaults of docs/vfctl.md; its MAC, which no default names, kept */
static void assert_defaults(int index)
{
	const struct vfctl_attrs *a = &fake_nl.vf[index];

	assert_int_equal(a->vlan, 0);
	assert_int_equal(a->rate, 0);
	assert_true(a->spoofchk);
	assert_false(a->trust);
	assert_int_equal(a->state, VF_STATE_AUTO);
	assert_memory_equal(a->mac, vm_mac, 6);
}

enum {
	DELETE_OK,
	DELETE_NEVER,
	DELETE_ONCE, /* DeviceNotFound for a second device_del, as QEMU answers it */
	ADD_ERROR
};

/* the fake QEMU: greeting, then one reply per line; what it got goes to log */
static void serve(const char *sock, const char *logpath, int mode)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int l = socket(AF_UNIX, SOCK_STREAM, 0), c;
	FILE *in, *out, *log = fopen(logpath, "w");
	char line[4096];
	bool deleted = false;

	strcpy(sa.sun_path, sock);
	if (l < 0 || bind(l, (struct sockaddr *)&sa, sizeof(sa)) || listen(l, 4))
		_exit(1);
	while ((c = accept(l, NULL, NULL)) >= 0) {
		in = fdopen(c, "r");
		out = fdopen(dup(c), "w");
		fputs("{\"QMP\": {\"version\": {}, \"capabilities\": []}}\n", out);
		fflush(out);
		while (fgets(line, sizeof(line), in)) {
			fputs(line, log);
			fflush(log);
			if (strstr(line, "device_add") && mode == ADD_ERROR) {
				fputs("{\"error\": {\"class\": \"GenericError\", \"desc\": "
				      "\"vfio 0000:01:00.2: group 11 is not viable\"}}\n",
				      out);
			} else if (strstr(line, "device_del") && mode == DELETE_ONCE && deleted) {
				fputs("{\"error\": {\"class\": \"DeviceNotFound\", \"desc\": "
				      "\"Device 'vfctl-0000-01-00.2' not found\"}}\n",
				      out);
			} else if (strstr(line, "device_del")) {
				deleted = true;
				fputs("{\"return\": {}}\n", out);
				fflush(out);
				usleep(50000);
				fputs("{\"event\": \"DEVICE_DELETED\", \"data\": {\"path\": "
				      "\"/machine/peripheral/other\", \"device\": \"other\"}}\n",
				      out);
				if (mode != DELETE_NEVER)
					fputs("{\"event\": \"DEVICE_DELETED\", \"data\": "
					      "{\"device\": "
					      "\"vfctl-0000-01-00.2\"}}\n",
					      out);
			} else {
				fputs("{\"event\": \"RESUME\"}\n{\"return\": {}}\n", out);
			}
			fflush(out);
		}
		fclose(in);
		fclose(out);
	}
	_exit(0);
}

static int start_server(struct fx *f, int mode)
{
	f->server = fork();
	if (f->server == 0)
		serve(f->sock, f->log, mode);
	while (access(f->sock, F_OK))
		usleep(10000);
	/* the fake QEMU is a live process in the fake /proc too */
	fake_process(&f->t, f->server, "qemu-system-x86", 'S', 100);
	return 0;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	fake_tree_new(&f->t);
	fake_ctx(&f->t, &f->ctx);
	fake_pf(&f->t, PF, "eth0", 8, 2);
	fake_vf(&f->t, PF, 0, "0000:01:00.1", 10, NULL);
	fake_vf(&f->t, PF, 1, VF1, 11, "vfio-pci");
	snprintf(f->sock, sizeof(f->sock), "%s/qmp.sock", f->t.root);
	snprintf(f->log, sizeof(f->log), "%s/qmp.log", f->t.root);
	assert_int_equal(vfctl_pf_lookup(&f->ctx, "eth0", &f->pf), 0);
	memset(&fake_nl, 0, sizeof(fake_nl));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	if (f->server > 0) {
		kill(f->server, SIGTERM);
		waitpid(f->server, NULL, 0);
	}
	vfctl_ctx_fini(&f->ctx);
	fake_tree_free(&f->t);
	free(f);
	return 0;
}

static const char *assigned(struct fx *f, int index)
{
	return fake_state_vm(&f->ctx, PF, "eth0", index);
}

/* set_state: state.json from @text */
static void set_state(struct fx *f, const char *text)
{
	assert_int_equal(fake_state_set(&f->ctx, text), 0);
}

/*
 * virt_xml_validate: the exit status of virt-xml-validate on a minimal
 * libvirt domain holding the device XML (libvirt has no schema for a lone
 * device); the validator's own messages go to the test log.
 */
static int virt_xml_validate(struct fx *f, const char *device)
{
	char path[400], cmd[512];
	FILE *fp;
	int st;

	snprintf(path, sizeof(path), "%s/domain.xml", f->t.root);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fprintf(fp,
		"<domain type='kvm'>\n  <name>l2</name>\n  <memory unit='MiB'>128</memory>\n"
		"  <os><type arch='x86_64' machine='q35'>hvm</type></os>\n  <devices>\n%s"
		"  </devices>\n</domain>\n",
		device);
	fclose(fp);
	snprintf(cmd, sizeof(cmd), "virt-xml-validate %s domain >&2", path);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/*
 * qemu_holds: the fake QEMU holds VF1's VFIO group open, as QEMU does from
 * device_add until DEVICE_DELETED, or (@holds false) no longer does
 */
static void qemu_holds(struct fx *f, bool holds)
{
	fake_holder(&f->t, f->server, "qemu-system-x86", holds ? "/dev/vfio/11" : "/dev/null");
}

static void test_qemu_args_and_xml(void **state)
{
	struct fx *f = *state;
	char *buf = NULL;
	size_t len = 0;
	struct vfctl_assign_opts o = { .form = VFCTL_QEMU_ARGS };

	o.out = open_memstream(&buf, &len);
	assert_int_equal(vfctl_assign(&f->ctx, &f->pf, 1, "web1", &o), 0);
	fclose(o.out);
	assert_string_equal(buf, "-device vfio-pci,host=" VF1 ",id=vfctl-0000-01-00.2\n");
	free(buf);
	assert_string_equal(assigned(f, 1), "web1");
	/* a second VM is refused, naming the first */
	o.out = open_memstream(&buf, &len);
	assert_int_equal(vfctl_assign(&f->ctx, &f->pf, 1, "web2", &o), -1);
	fclose(o.out);
	free(buf);
	assert_string_equal(f->ctx.err, "VF 1 (" VF1 "): already assigned to VM web1 "
					"(vfctl release first)");
	assert_int_equal(vfctl_release(&f->ctx, &f->pf, 1, NULL), 0);
	assert_string_equal(assigned(f, 1), "");
	o.form = VFCTL_LIBVIRT_XML;
	o.out = open_memstream(&buf, &len);
	assert_int_equal(vfctl_assign(&f->ctx, &f->pf, 1, "web2", &o), 0);
	fclose(o.out);
	assert_string_equal(buf, "<hostdev mode='subsystem' type='pci' managed='yes'>\n"
				 "  <source>\n"
				 "    <address domain='0x0000' bus='0x01' slot='0x00' "
				 "function='0x2'/>\n"
				 "  </source>\n"
				 "</hostdev>\n");
	/* libvirt's own schema accepts it; and the check can fail: a bad one is refused */
	assert_int_equal(virt_xml_validate(f, buf), 0);
	assert_int_not_equal(virt_xml_validate(f, "<hostdev mode='subsystem' type='pci' "
						  "managed='maybe'><source/></hostdev>\n"),
			     0);
	free(buf);
}

static void test_assign_held(void **state)
{
	struct fx *f = *state;
	struct vfctl_assign_opts o = { .form = VFCTL_QEMU_ARGS, .out = stdout };

	fake_holder(&f->t, 777, "dpdk-testpmd", "/dev/vfio/11");
	assert_int_equal(vfctl_assign(&f->ctx, &f->pf, 1, "web1", &o), -1);
	assert_string_equal(f->ctx.err, "VF 1 (" VF1 "): held open by pid 777 (dpdk-testpmd)");
}

static void test_qmp_hotplug(void **state)
{
	struct fx *f = *state;
	struct vfctl_assign_opts o = { .form = VFCTL_QMP, .qmp_path = f->sock, .bus = "rp1" };

	start_server(f, DELETE_OK);
	assert_int_equal(vfctl_assign(&f->ctx, &f->pf, 1, "l2", &o), 0);
	assert_string_equal(assigned(f, 1), "l2");
	qemu_holds(f, true);
	assert_int_equal(vfctl_release(&f->ctx, &f->pf, 1, f->sock), 0);
	assert_string_equal(assigned(f, 1), "");
	/* what QEMU was told, in order */
	{
		FILE *l = fopen(f->log, "r");
		char line[4][512];
		int i;

		assert_non_null(l);
		for (i = 0; i < 4; i++)
			assert_non_null(fgets(line[i], sizeof(line[i]), l));
		fclose(l);
		assert_non_null(strstr(line[0], "qmp_capabilities"));
		assert_non_null(strstr(line[1], "\"device_add\""));
		assert_non_null(strstr(line[1], "\"host\":\"" VF1 "\""));
		assert_non_null(strstr(line[1], "\"id\":\"vfctl-0000-01-00.2\""));
		assert_non_null(strstr(line[1], "\"bus\":\"rp1\""));
		assert_non_null(strstr(line[1], "\"driver\":\"vfio-pci\""));
		assert_non_null(strstr(line[3], "\"device_del\""));
	}
}

static void test_qmp_never_deleted(void **state)
{
	struct fx *f = *state;
	struct vfctl_assign_opts o = { .form = VFCTL_QMP, .qmp_path = f->sock };

	start_server(f, DELETE_NEVER);
	assert_int_equal(vfctl_assign(&f->ctx, &f->pf, 1, "l2", &o), 0);
	qemu_holds(f, true);
	assert_int_equal(vfctl_release(&f->ctx, &f->pf, 1, f->sock), -1);
	assert_non_null(strstr(f->ctx.err, "device vfctl-0000-01-00.2: no DEVICE_DELETED within "
					   "200 ms"));
	/* not unplugged: still assigned */
	assert_string_equal(assigned(f, 1), "l2");
}

static int qmp_lines(struct fx *f)
{
	FILE *l = fopen(f->log, "r");
	char line[512];
	int n = 0;

	assert_non_null(l);
	while (fgets(line, sizeof(line), l))
		n++;
	fclose(l);
	return n;
}

/*
 * A VF that apply recorded for a VM (vm: in the configuration) has not been
 * given to it: assign --qmp hot-plugs it, unless a live QEMU already has it
 * (holding it open, or recorded by an earlier hot-plug).
 */
static void test_qmp_after_apply(void **state)
{
	struct fx *f = *state;
	struct vfctl_assign_opts o = { .form = VFCTL_QMP, .qmp_path = f->sock };
	struct vfctl_config cfg;
	json_t *root = json_loads("{\"pfs\": [{\"pf\": \"eth0\", \"num_vfs\": 2, \"vfs\": "
				  "[{\"vf\": 1, \"vm\": \"web1\"}]}]}",
				  0, NULL);

	assert_int_equal(vfctl_config_parse(&f->ctx, root, "web1.json", &cfg), 0);
	cfg.source = root;
	assert_true(vfctl_apply(&f->ctx, &cfg) > 0);
	vfctl_config_free(&cfg);
	assert_string_equal(assigned(f, 1), "web1");
	/* a QEMU started with the VF on its command line holds it: nothing to plug (no server) */
	fake_holder(&f->t, 777, "qemu-system-x86", "/dev/vfio/11");
	assert_int_equal(vfctl_assign(&f->ctx, &f->pf, 1, "web1", &o), 0);
	fake_holder(&f->t, 777, "qemu-system-x86", "/dev/null");
	/* nobody has it: hot-plugged */
	start_server(f, DELETE_OK);
	assert_int_equal(vfctl_assign(&f->ctx, &f->pf, 1, "web1", &o), 0);
	assert_int_equal(qmp_lines(f), 2); /* qmp_capabilities, device_add */
	/* the QEMU it went to is recorded and alive: not plugged twice */
	assert_int_equal(vfctl_assign(&f->ctx, &f->pf, 1, "web1", &o), 0);
	assert_int_equal(qmp_lines(f), 2);
	assert_string_equal(assigned(f, 1), "web1");
}

/*
 * A VF whose configuration leaves its attributes open, or that has no entry
 * at all, goes back to the defaults: the next VM never gets the last one's.
 */
static void test_release_defaults(void **state)
{
	struct fx *f = *state;

	f->ctx.no_netlink = false;
	/* no configuration applied */
	dirty_vf(1);
	set_state(f, "{\"assignments\": {\"eth0/1\": \"web1\"}}");
	assert_int_equal(vfctl_release(&f->ctx, &f->pf, 1, NULL), 0);
	assert_defaults(1);
	assert_string_equal(assigned(f, 1), "");
	/* a configuration without an entry for the VF */
	dirty_vf(1);
	set_state(f, "{\"config\": {\"pfs\": [{\"pf\": \"eth0\", \"num_vfs\": 2, \"vfs\": "
		     "[{\"vf\": 0, \"trust\": true}]}]}, \"assignments\": {\"eth0/1\": "
		     "\"web1\"}}");
	assert_int_equal(vfctl_release(&f->ctx, &f->pf, 1, NULL), 0);
	assert_defaults(1);
	/* an entry: its values, and the defaults for what it leaves open */
	dirty_vf(1);
	set_state(f, "{\"config\": {\"pfs\": [{\"pf\": \"eth0\", \"num_vfs\": 2, \"vfs\": "
		     "[{\"vf\": 1, \"vlan\": 7}]}]}, \"assignments\": {\"eth0/1\": \"web1\"}}");
	assert_int_equal(vfctl_release(&f->ctx, &f->pf, 1, NULL), 0);
	assert_int_equal(fake_nl.vf[1].vlan, 7);
	assert_int_equal(fake_nl.vf[1].qos, 0);
	assert_int_equal(fake_nl.vf[1].proto, ETH_P_8021Q);
	assert_int_equal(fake_nl.vf[1].rate, 0);
	assert_true(fake_nl.vf[1].spoofchk);
	assert_false(fake_nl.vf[1].trust);
}

/*
 * A restore that fails keeps the assignment and the VM's process, so that
 * reconcile (or a second release) tries again rather than forgetting a VF
 * that still has the last VM's settings.
 */
static void test_release_restore_fails(void **state)
{
	struct fx *f = *state;
	int failed = 0;

	f->ctx.no_netlink = false;
	dirty_vf(1);
	fake_nl.refuse = true;
	/* the VM's process (pid 99999, no such process in the fake /proc) has exited */
	set_state(f, "{\"config\": {\"pfs\": [{\"pf\": \"eth0\", \"num_vfs\": 2, \"vfs\": "
		     "[{\"vf\": 1, \"vm\": \"web1\"}]}]}, \"assignments\": {\"eth0/1\": "
		     "\"web1\"}, \"vm_processes\": {\"eth0/1\": {\"pid\": 99999, \"start\": 5, "
		     "\"boot\": \"\"}}}");
	assert_int_equal(vfctl_release(&f->ctx, &f->pf, 1, NULL), -1);
	assert_non_null(strstr(f->ctx.err, "Operation not supported"));
	assert_string_equal(assigned(f, 1), "web1");
	assert_int_equal(vfctl_reconcile(&f->ctx, &failed), 0);
	assert_int_equal(failed, 1);
	assert_string_equal(assigned(f, 1), "web1");
	/* once the driver takes the settings, reconcile restores the VF and forgets the VM */
	fake_nl.refuse = false;
	assert_int_equal(vfctl_reconcile(&f->ctx, &failed), 1);
	assert_int_equal(failed, 0);
	assert_defaults(1);
	assert_string_equal(assigned(f, 1), "");
	assert_int_equal(vfctl_reconcile(&f->ctx, NULL), 0);
}

/*
 * release --qmp whose restore failed has unplugged the VF already; QEMU,
 * still running, would answer a second device_del with DeviceNotFound, so
 * the retry sends none (nobody holds the VF) and goes on to the restore.
 */
static void test_release_qmp_retry(void **state)
{
	struct fx *f = *state;
	struct vfctl_assign_opts o = { .form = VFCTL_QMP, .qmp_path = f->sock };

	start_server(f, DELETE_ONCE);
	assert_int_equal(vfctl_assign(&f->ctx, &f->pf, 1, "l2", &o), 0);
	qemu_holds(f, true);
	f->ctx.no_netlink = false;
	dirty_vf(1);
	fake_nl.refuse = true;
	assert_int_equal(vfctl_release(&f->ctx, &f->pf, 1, f->sock), -1);
	assert_int_equal(qmp_lines(f), 4); /* qmp_capabilities, device_add, again, device_del */
	assert_string_equal(assigned(f, 1), "l2");
	qemu_holds(f, false);
	fake_nl.refuse = false;
	assert_int_equal(vfctl_release(&f->ctx, &f->pf, 1, f->sock), 0);
	assert_int_equal(qmp_lines(f), 4);
	assert_defaults(1);
	assert_string_equal(assigned(f, 1), "");
}

/*
 * A VF whose restore keeps failing holds up neither the other VFs nor
 * apply, which may be the one that fixes the cause; reconcile reports it.
 */
static void test_apply_restore_fails(void **state)
{
	struct fx *f = *state;
	struct vfctl_config cfg;
	json_t *root = json_loads("{\"pfs\": [{\"pf\": \"eth0\", \"num_vfs\": 2}]}", 0, NULL);
	int failed = 0;

	/*
	 * both VMs (pid 99999, no such process in the fake /proc) have exited;
	 * VF 0, first, is to go back to a driver the kernel does not have
	 */
	set_state(f, "{\"config\": {\"pfs\": [{\"pf\": \"eth0\", \"num_vfs\": 2, \"vfs\": "
		     "[{\"vf\": 0, \"driver\": \"nosuchdrv\"}]}]}, \"assignments\": "
		     "{\"eth0/0\": \"web0\", \"eth0/1\": \"web1\"}, \"vm_processes\": "
		     "{\"eth0/0\": {\"pid\": 99999, \"start\": 5, \"boot\": \"\"}, "
		     "\"eth0/1\": {\"pid\": 99999, \"start\": 5, \"boot\": \"\"}}}");
	assert_int_equal(vfctl_reconcile(&f->ctx, &failed), 1);
	assert_int_equal(failed, 1);
	assert_string_equal(assigned(f, 0), "web0");
	assert_string_equal(assigned(f, 1), "");
	/* apply goes on, and its configuration drops the driver: the next reconcile succeeds */
	assert_int_equal(vfctl_config_parse(&f->ctx, root, "fix.json", &cfg), 0);
	cfg.source = root;
	assert_true(vfctl_apply(&f->ctx, &cfg) >= 0);
	vfctl_config_free(&cfg);
	assert_string_equal(assigned(f, 0), "web0");
	assert_int_equal(vfctl_reconcile(&f->ctx, &failed), 1);
	assert_int_equal(failed, 0);
	assert_string_equal(assigned(f, 0), "");
}

static void test_vm_exit(void **state)
{
	struct fx *f = *state;
	struct vfctl_assign_opts o = { .form = VFCTL_QMP, .qmp_path = f->sock };
	json_t *st, *rec;

	start_server(f, DELETE_OK);
	assert_int_equal(vfctl_assign(&f->ctx, &f->pf, 1, "l2", &o), 0);
	st = vfctl_state_load(&f->ctx);
	rec = json_object_get(json_object_get(st, "vm_processes"), "eth0/1");
	assert_int_equal(json_integer_value(json_object_get(rec, "pid")), f->server);
	assert_int_equal(json_integer_value(json_object_get(rec, "start")), 100);
	json_decref(st);
	/* QEMU alive: nothing to release */
	assert_int_equal(vfctl_reconcile(&f->ctx, NULL), 0);
	assert_string_equal(assigned(f, 1), "l2");
	/* a zombie has exited: release --qmp does not wait for a device_del nobody answers */
	fake_process(&f->t, f->server, "qemu-system-x86", 'Z', 100);
	assert_int_equal(vfctl_release(&f->ctx, &f->pf, 1, f->sock), 0);
	assert_int_equal(qmp_lines(f), 2); /* qmp_capabilities, device_add */
	assert_string_equal(assigned(f, 1), "");
	st = vfctl_state_load(&f->ctx);
	assert_null(json_object_get(json_object_get(st, "vm_processes"), "eth0/1"));
	json_decref(st);
	/* the same pid, started later: another process, so the VM has gone */
	fake_process(&f->t, f->server, "qemu-system-x86", 'S', 100);
	assert_int_equal(vfctl_assign(&f->ctx, &f->pf, 1, "l2", &o), 0);
	fake_process(&f->t, f->server, "bash", 'S', 250);
	assert_int_equal(vfctl_reconcile(&f->ctx, NULL), 1);
	assert_string_equal(assigned(f, 1), "");
	/* and the VF goes to the next VM */
	fake_process(&f->t, f->server, "qemu-system-x86", 'S', 300);
	assert_int_equal(vfctl_assign(&f->ctx, &f->pf, 1, "l3", &o), 0);
	assert_string_equal(assigned(f, 1), "l3");
	assert_int_equal(vfctl_reconcile(&f->ctx, NULL), 0);
}

static void test_qmp_error(void **state)
{
	struct fx *f = *state;
	struct vfctl_assign_opts o = { .form = VFCTL_QMP, .qmp_path = f->sock };

	start_server(f, ADD_ERROR);
	assert_int_equal(vfctl_assign(&f->ctx, &f->pf, 1, "l2", &o), -1);
	assert_non_null(
		strstr(f->ctx.err, "device_add: vfio 0000:01:00.2: group 11 is not viable"));
	assert_string_equal(assigned(f, 1), "");
}

static void test_qmp_no_socket(void **state)
{
	struct fx *f = *state;
	struct vfctl_assign_opts o = { .form = VFCTL_QMP, .qmp_path = "/nonexistent/qmp" };

	assert_int_equal(vfctl_assign(&f->ctx, &f->pf, 1, "l2", &o), -1);
	assert_string_equal(f->ctx.err,
			    "QMP /nonexistent/qmp: connecting: No such file or directory");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_qemu_args_and_xml, setup, teardown),
		cmocka_unit_test_setup_teardown(test_assign_held, setup, teardown),
		cmocka_unit_test_setup_teardown(test_qmp_hotplug, setup, teardown),
		cmocka_unit_test_setup_teardown(test_qmp_never_deleted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_qmp_after_apply, setup, teardown),
		cmocka_unit_test_setup_teardown(test_release_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_release_restore_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(test_release_qmp_retry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_apply_restore_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vm_exit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_qmp_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_qmp_no_socket, setup, teardown),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
