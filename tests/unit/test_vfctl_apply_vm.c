// SPDX-License-Identifier: GPL-2.0
/*
 * vfctl apply and the VMs of its configuration (vm:) against the fake sysfs
 * and /proc tree (vfctl_fixture.c): an assignment the previous configuration
 * made and this one drops (its vm:, its VF entry, its PF) is forgotten when
 * nobody has the VF, also in the apply that removes the VF, and back after a
 * rollback; it stays while its VM holds the VF or runs, and while its
 * release has failed, until reconcile releases it; a VF that a live VM has
 * is refused to another VM before anything changes, and goes to it once
 * that VM is gone; assignments made by vfctl assign are left alone. The
 * changes counted are the assignments changed.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "vfctl.h"
#include "vfctl_config.h"
#include "vfctl_fake_sysfs.h"

#include "vfctl_fixture.h"

#define PF2 "0000:02:00.0"

/* eth0 with VF 0 for web0 and VF 1 for web1 */
#define CONF_BOTH                                        \
	"pfs:\n  - pf: eth0\n    num_vfs: 2\n    vfs:\n" \
	"      - vf: 0\n        vm: web0\n"              \
	"      - vf: 1\n        vm: web1\n"
#define CONF_WEB1                                        \
	"pfs:\n  - pf: eth0\n    num_vfs: 2\n    vfs:\n" \
	"      - vf: 1\n        vm: web1\n"
/* eth0 with no vm: at all */
#define CONF_NONE "pfs:\n  - pf: eth0\n    num_vfs: 2\n"

static char out[8192];

/*
 * apply: vfctl apply of the YAML text; what it logs (stdout) in out, and
 * shown in the test's output too
 */
static int apply(struct fx *f, const char *yaml)
{
	struct vfctl_config cfg;
	char path[512];
	int ret, fd, saved;
	FILE *fp;
	size_t n;

	assert_int_equal(write_conf(f, yaml, path, sizeof(path)), 0);
	assert_int_equal(vfctl_config_load(&f->ctx, path, &cfg), 0);
	snprintf(path, sizeof(path), "%s/apply.out", f->t.root);
	fflush(stdout);
	saved = dup(1);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(saved >= 0 && fd >= 0);
	dup2(fd, 1);
	close(fd);
	ret = vfctl_apply(&f->ctx, &cfg);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	vfctl_config_free(&cfg);
	fp = fopen(path, "r");
	assert_non_null(fp);
	n = fread(out, 1, sizeof(out) - 1, fp);
	fclose(fp);
	out[n] = '\0';
	fputs(out, stdout);
	return ret;
}

static void assert_out(const char *sub)
{
	if (!strstr(out, sub))
		fail_msg("apply: expected '%s' in its output, seen:\n%s", sub, out);
}

/* assigned: the VM VF index of PF (by address or interface) is assigned to, "" if none */
static const char *assigned(struct fx *f, const char *pf, const char *ifname, int index)
{
	return fake_state_vm(&f->ctx, pf, ifname, index);
}

#define vm_of(f, index) assigned((f), PF, "eth0", (index))

/* set_state: state.json from text */
static void set_state(struct fx *f, const char *text)
{
	assert_int_equal(fake_state_set(&f->ctx, text), 0);
}

/* state_size: the number of members of the state's object what ("assignments") */
static size_t state_size(struct fx *f, const char *what)
{
	json_t *st = vfctl_state_load(&f->ctx);
	size_t n = json_object_size(json_object_get(st, what));

	json_decref(st);
	return n;
}

/* record_vm: pid recorded in the state as the VM process of key ("eth0/1") */
static void record_vm(struct fx *f, const char *key, int pid, int start)
{
	json_t *st = vfctl_state_load(&f->ctx);
	json_t *procs = json_object_get(st, "vm_processes");

	if (!procs) {
		procs = json_object();
		json_object_set_new(st, "vm_processes", procs);
	}
	json_object_set_new(procs, key,
			    json_pack("{s:i,s:i,s:s}", "pid", pid, "start", start, "boot", ""));
	assert_int_equal(vfctl_state_save(&f->ctx, st), 0);
	json_decref(st);
}

/*
 * The configuration drops a vm: it had set, then a whole VF entry, then a
 * whole PF; no VM has the VF: the assignment is forgotten, one change each,
 * and the next apply has nothing to change.
 */
static void test_apply_forgets_dropped_vm(void **state)
{
	struct fx *f = *state;

	fake_pf(&f->t, PF2, "eth1", 4, 1);
	fake_vf(&f->t, PF2, 0, "0000:02:00.1", 20, NULL);

	assert_int_equal(apply(f, CONF_BOTH), 2);
	assert_string_equal(vm_of(f, 0), "web0");
	assert_string_equal(vm_of(f, 1), "web1");
	/* VF 1's entry keeps its place, without vm: */
	assert_int_equal(apply(f, "pfs:\n  - pf: eth0\n    num_vfs: 2\n    vfs:\n"
				  "      - vf: 0\n        vm: web0\n"
				  "      - vf: 1\n"),
			 1);
	assert_out("PF eth0 VF 1: vm web1 -> none (no longer configured, and web1 is not "
		   "running)");
	assert_out("applied 1 change(s)");
	assert_string_equal(vm_of(f, 1), "");
	assert_string_equal(vm_of(f, 0), "web0");
	assert_int_equal(apply(f, "pfs:\n  - pf: eth0\n    num_vfs: 2\n    vfs:\n"
				  "      - vf: 0\n        vm: web0\n"
				  "      - vf: 1\n"),
			 0);
	assert_out("nothing to change");
	/* VF 0's entry gone */
	assert_int_equal(apply(f, "pfs:\n  - pf: eth0\n    num_vfs: 2\n    vfs:\n"
				  "      - vf: 1\n"),
			 1);
	assert_string_equal(vm_of(f, 0), "");
	assert_int_equal(state_size(f, "assignments"), 0);
	/* a PF gone from the configuration: its VF's VM with it */
	assert_int_equal(apply(f, "pfs:\n  - pf: eth0\n    num_vfs: 2\n"
				  "  - pf: eth1\n    num_vfs: 1\n    vfs:\n"
				  "      - vf: 0\n        vm: web2\n"),
			 1);
	assert_string_equal(assigned(f, PF2, "eth1", 0), "web2");
	assert_int_equal(apply(f, CONF_NONE), 1);
	assert_out("PF eth1 VF 0: vm web2 -> none");
	assert_string_equal(assigned(f, PF2, "eth1", 0), "");
	assert_int_equal(apply(f, CONF_NONE), 0);
}

/*
 * An assignment the configuration drops in the apply that removes its VF
 * (2 -> 1 goes through 0): the VF is not in use, so the count changes; a
 * failed count change rolls the forgotten assignment back with the rest.
 */
static void test_apply_dropped_vm_frees_vf(void **state)
{
	struct fx *f = *state;

	assert_int_equal(apply(f, CONF_WEB1), 1);
	/* 2 -> 3: VF 2 never appears; rolled back, web1 with it */
	assert_int_equal(apply(f, "pfs:\n  - pf: eth0\n    num_vfs: 3\n"), -1);
	assert_err(&f->ctx, "waiting for VF 2 to appear");
	assert_string_equal(fake_read(&f->t, "sys/bus/pci/devices/" PF "/sriov_numvfs"), "2");
	assert_string_equal(vm_of(f, 1), "web1");
	/* 2 -> 1: the count and the assignment */
	assert_int_equal(apply(f, "pfs:\n  - pf: eth0\n    num_vfs: 1\n"), 2);
	assert_string_equal(fake_read(&f->t, "sys/bus/pci/devices/" PF "/sriov_numvfs"), "1");
	assert_string_equal(vm_of(f, 1), "");
}

/*
 * A VF whose VM has it when the configuration drops the vm: stays that VM's
 * (not an error, not a change), said so; VF 0, whose VM does not run, is
 * forgotten in the same apply. Once the VM exits, reconcile releases the VF.
 * The same for a VM whose recorded QEMU runs without holding the VF.
 */
static void test_apply_keeps_vm_while_held(void **state)
{
	struct fx *f = *state;

	assert_int_equal(apply(f, CONF_BOTH), 2);
	/* web1's QEMU, started with VF 1 on its command line, holds its group */
	fake_holder(&f->t, 777, "qemu-system-x86", "/dev/vfio/11");
	assert_int_equal(apply(f, CONF_NONE), 1);
	assert_out("PF eth0 VF 1 (" VF1 "): vm web1 no longer configured, but VM web1 still has "
		   "the VF (held open by pid 777 (qemu-system-x86)): it stays assigned to web1 "
		   "until the VM exits; reconcile then restores the VF and forgets web1");
	assert_out("PF eth0 VF 0: vm web0 -> none");
	assert_string_equal(vm_of(f, 1), "web1");
	assert_string_equal(vm_of(f, 0), "");
	/* it exits (pid 777 gone from the fake /proc) */
	fake_holder(&f->t, 777, "qemu-system-x86", "/dev/null");
	assert_int_equal(vfctl_reconcile(&f->ctx, NULL), 1);
	assert_string_equal(vm_of(f, 1), "");

	/* recorded by assign --qmp, running, the VF not (or no longer) open */
	assert_int_equal(apply(f, CONF_WEB1), 1);
	fake_process(&f->t, 812, "qemu-system-x86", 'S', 100);
	record_vm(f, "eth0/1", 812, 100);
	assert_int_equal(apply(f, CONF_NONE), 0);
	assert_out("VM web1 still has the VF (its process, pid 812, is running)");
	assert_out("nothing to change");
	assert_string_equal(vm_of(f, 1), "web1");
	fake_process(&f->t, 812, "qemu-system-x86", 'Z', 100);
	assert_int_equal(apply(f, CONF_NONE), 1);
	assert_out("VM web1 (pid 812) has exited; releasing");
	assert_string_equal(vm_of(f, 1), "");
	assert_int_equal(state_size(f, "vm_processes"), 0);
}

/*
 * A VM that has exited but whose release failed (its restore: a driver not
 * loaded) keeps the VF assigned when the configuration drops it, so that
 * reconcile retries the restore, now to the new configuration's state.
 */
static void test_apply_keeps_vm_until_restored(void **state)
{
	struct fx *f = *state;

	set_state(f, "{\"config\": {\"pfs\": [{\"pf\": \"eth0\", \"num_vfs\": 2, \"vfs\": "
		     "[{\"vf\": 1, \"driver\": \"nosuchdrv\", \"vm\": \"web1\"}]}]}, "
		     "\"assignments\": {\"eth0/1\": \"web1\"}, \"vm_processes\": {\"eth0/1\": "
		     "{\"pid\": 99999, \"start\": 5, \"boot\": \"\"}}}");
	assert_int_equal(apply(f, CONF_NONE), 0);
	assert_out("vm web1 no longer configured; VM web1 (pid 99999) has exited but the VF's "
		   "release failed: it stays assigned until reconcile restores it");
	assert_string_equal(vm_of(f, 1), "web1");
	assert_int_equal(vfctl_reconcile(&f->ctx, NULL), 1);
	assert_string_equal(vm_of(f, 1), "");
}

/*
 * A configuration that gives a VF to web2 while web1 has it is refused
 * before anything changes, naming the VF, web1 and vfctl release. Once web1
 * is gone (exited, its release failed), web2 replaces it: one assignment,
 * under the configuration's name for the PF, and web1's process forgotten,
 * so that reconcile does not release the VF from web2.
 */
static void test_apply_vm_changed_while_held(void **state)
{
	struct fx *f = *state;

	assert_int_equal(apply(f, CONF_WEB1), 1);
	fake_holder(&f->t, 777, "qemu-system-x86", "/dev/vfio/11");
	assert_int_equal(apply(f, "pfs:\n  - pf: eth0\n    num_vfs: 2\n"
				  "    drivers_autoprobe: off\n    vfs:\n"
				  "      - vf: 0\n        vm: web0\n"
				  "      - vf: 1\n        vm: web2\n"),
			 -1);
	assert_string_equal(f->ctx.err, "PF eth0 VF 1 (" VF1 "): assigned to VM web1, which still "
					"has it (held open by pid 777 (qemu-system-x86)); the "
					"configuration names VM web2: vfctl release eth0 1 first");
	assert_string_equal(fake_read(&f->t, "sys/bus/pci/devices/" PF "/sriov_drivers_autoprobe"),
			    "1");
	assert_string_equal(vm_of(f, 1), "web1");
	assert_string_equal(vm_of(f, 0), "");

	/* web1 has exited; its release failed, so reconcile left it assigned */
	set_state(f, "{\"config\": {\"pfs\": [{\"pf\": \"eth0\", \"num_vfs\": 2, \"vfs\": "
		     "[{\"vf\": 1, \"driver\": \"nosuchdrv\", \"vm\": \"web1\"}]}]}, "
		     "\"assignments\": {\"eth0/1\": \"web1\"}, \"vm_processes\": {\"eth0/1\": "
		     "{\"pid\": 99999, \"start\": 5, \"boot\": \"\"}}}");
	fake_holder(&f->t, 777, "qemu-system-x86", "/dev/null");
	assert_int_equal(apply(f, "pfs:\n  - pf: " PF "\n    num_vfs: 2\n    vfs:\n"
				  "      - vf: 1\n        vm: web2\n"),
			 1);
	assert_out("PF " PF " VF 1: vm web1 -> web2 (web1 is not running)");
	assert_string_equal(vm_of(f, 1), "web2");
	assert_int_equal(state_size(f, "assignments"), 1);
	assert_int_equal(state_size(f, "vm_processes"), 0);
	assert_int_equal(vfctl_reconcile(&f->ctx, NULL), 0);
	assert_string_equal(vm_of(f, 1), "web2");
}

/*
 * Assignments made by vfctl assign are not the configuration's: an apply
 * that names no VM leaves them, while it forgets the one the previous
 * configuration made (VF 0); also one the configuration had named for
 * another VM before a release and an assign.
 */
static void test_apply_leaves_assigned_vm(void **state)
{
	struct fx *f = *state;
	struct vfctl_assign_opts o = { .form = VFCTL_QEMU_ARGS };
	struct vfctl_pf pf;

	o.out = fopen("/dev/null", "w");
	assert_non_null(o.out);
	assert_int_equal(vfctl_pf_lookup(&f->ctx, "eth0", &pf), 0);
	assert_int_equal(apply(f, "pfs:\n  - pf: eth0\n    num_vfs: 2\n    vfs:\n"
				  "      - vf: 0\n        vm: web0\n"),
			 1);
	assert_int_equal(vfctl_assign(&f->ctx, &pf, 1, "web1", &o), 0);
	assert_int_equal(apply(f, "pfs:\n  - pf: eth0\n    num_vfs: 2\n    vfs:\n"
				  "      - vf: 0\n      - vf: 1\n"),
			 1);
	assert_string_equal(vm_of(f, 0), "");
	assert_string_equal(vm_of(f, 1), "web1");
	assert_int_equal(apply(f, CONF_NONE), 0);
	assert_string_equal(vm_of(f, 1), "web1");

	/* the configuration names web1; web1 released, VF 1 assigned to web3 by hand */
	assert_int_equal(apply(f, CONF_WEB1), 0);
	assert_int_equal(vfctl_release(&f->ctx, &pf, 1, NULL), 0);
	assert_int_equal(vfctl_assign(&f->ctx, &pf, 1, "web3", &o), 0);
	assert_int_equal(apply(f, CONF_NONE), 0);
	assert_string_equal(vm_of(f, 1), "web3");
	fclose(o.out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_apply_forgets_dropped_vm, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_apply_dropped_vm_frees_vf, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_apply_keeps_vm_while_held, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_apply_keeps_vm_until_restored, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_apply_vm_changed_while_held, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_apply_leaves_assigned_vm, fx_setup,
						fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
