// SPDX-License-Identifier: GPL-2.0
/*
 * vfctl library against a fake sysfs and /proc tree (vfctl_fake_sysfs.c):
 * PF and VF lookup by name and address, in-use detection naming the holder,
 * destroy and N->M refused while a VF is in use, readiness timeouts,
 * IOMMU group viability, driver_override binding (never new_id), state and
 * status; a configuration and its state surviving a bus renumbering
 * (the command line itself: test_vfctl_cli.c). What needs a kernel peer (netlink, real binding) is covered by
 * tests/guest/test_vfctl_apply.sh.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "vfctl.h"
#include "vfctl_config.h"
#include "vfctl_status.h"
#include "vfctl_fake_sysfs.h"

#include "vfctl_fixture.h"

static void test_pf_lookup(void **state)
{
	struct fx *f = *state;
	struct vfctl_pf a, b;

	assert_int_equal(vfctl_pf_lookup(&f->ctx, "eth0", &a), 0);
	assert_string_equal(a.bdf, PF);
	assert_string_equal(a.ifname, "eth0");
	assert_int_equal(a.total_vfs, 8);
	assert_int_equal(a.num_vfs, 2);
	assert_int_equal(a.autoprobe, 1);
	assert_int_equal(vfctl_pf_lookup(&f->ctx, PF, &b), 0);
	assert_string_equal(b.ifname, "eth0");
	assert_int_equal(vfctl_pf_lookup(&f->ctx, "eth9", &a), -1);
	assert_err(&f->ctx, "PF eth9: no such interface");
	assert_int_equal(vfctl_pf_lookup(&f->ctx, "0000:02:00.0", &a), -1);
	assert_err(&f->ctx, "PF 0000:02:00.0: no such PCI device");
	assert_int_equal(vfctl_pf_lookup(&f->ctx, "0000:00:1f.0", &a), -1);
	assert_err(&f->ctx, "not SR-IOV capable");
	assert_int_equal(vfctl_pf_lookup(&f->ctx, "../etc", &a), -1);
}

static void test_pf_list(void **state)
{
	struct fx *f = *state;
	struct vfctl_pf *pfs;

	assert_int_equal(vfctl_pf_list(&f->ctx, &pfs), 1);
	assert_string_equal(pfs[0].bdf, PF);
	free(pfs);
}

static void test_vf_lookup(void **state)
{
	struct fx *f = *state;
	struct vfctl_pf pf;
	struct vfctl_vf vf;

	assert_int_equal(vfctl_pf_lookup(&f->ctx, "eth0", &pf), 0);
	assert_int_equal(vfctl_vf_lookup(&f->ctx, &pf, 1, &vf), 0);
	assert_string_equal(vf.bdf, VF1);
	assert_string_equal(vf.driver, "vfio-pci");
	assert_int_equal(vf.group, 11);
	assert_int_equal(vf.holder.pid, 0);
	assert_int_equal(vfctl_vf_lookup(&f->ctx, &pf, 0, &vf), 0);
	assert_string_equal(vf.driver, "");
	assert_int_equal(vfctl_vf_lookup(&f->ctx, &pf, 2, &vf), -1);
	assert_err(&f->ctx, "VF 2 does not exist (2 VFs)");
}

static void test_destroy_refused_while_held(void **state)
{
	struct fx *f = *state;
	struct vfctl_pf pf;
	char why[512];

	fake_holder(&f->t, 4242, "qemu-system-x86", "/dev/vfio/11");
	fake_holder(&f->t, 4243, "bash", "/dev/null");
	assert_int_equal(vfctl_pf_lookup(&f->ctx, "eth0", &pf), 0);
	assert_int_equal(vfctl_vf_in_use(&f->ctx, &pf, 0, why, sizeof(why)), 0);
	assert_int_equal(vfctl_vf_in_use(&f->ctx, &pf, 1, why, sizeof(why)), 1);
	assert_string_equal(why, "VF 1 (" VF1 ") is held open by pid 4242 (qemu-system-x86) "
				 "through /dev/vfio/11");
	assert_int_equal(vfctl_set_numvfs(&f->ctx, &pf, 0), -1);
	assert_err(&f->ctx, "PF " PF ": refusing to remove VFs: VF 1 (" VF1
			    ") is held open by pid 4242 (qemu-system-x86)");
	assert_string_equal(fake_read(&f->t, "sys/bus/pci/devices/" PF "/sriov_numvfs"), "2");
	/* N->M goes through 0: refused the same way */
	assert_int_equal(vfctl_set_numvfs(&f->ctx, &pf, 1), -1);
	assert_err(&f->ctx, "held open by pid 4242");
	assert_string_equal(fake_read(&f->t, "sys/bus/pci/devices/" PF "/sriov_numvfs"), "2");
	/* --force */
	f->ctx.force = true;
	assert_int_equal(vfctl_set_numvfs(&f->ctx, &pf, 0), 0);
	assert_string_equal(fake_read(&f->t, "sys/bus/pci/devices/" PF "/sriov_numvfs"), "0");
}

/* QEMU with iommufd opens the VF's own /dev/vfio/devices/vfioN, not its group */
static void test_held_through_iommufd(void **state)
{
	struct fx *f = *state;
	struct vfctl_pf pf;
	struct vfctl_vf vf;
	char why[512];

	fake_vfio_cdev(&f->t, VF1, "vfio0");
	fake_holder(&f->t, 4243, "bash", "/dev/vfio/devices/vfio1"); /* another VF's */
	assert_int_equal(vfctl_pf_lookup(&f->ctx, "eth0", &pf), 0);
	assert_int_equal(vfctl_vf_lookup(&f->ctx, &pf, 1, &vf), 0);
	assert_int_equal(vf.holder.pid, 0);
	fake_holder(&f->t, 4242, "qemu-system-x86", "/dev/vfio/devices/vfio0");
	assert_int_equal(vfctl_vf_in_use(&f->ctx, &pf, 1, why, sizeof(why)), 1);
	assert_string_equal(why, "VF 1 (" VF1 ") is held open by pid 4242 (qemu-system-x86) "
				 "through /dev/vfio/devices/vfio0");
	assert_int_equal(vfctl_set_numvfs(&f->ctx, &pf, 0), -1);
	assert_err(&f->ctx, "held open by pid 4242");
	assert_string_equal(fake_read(&f->t, "sys/bus/pci/devices/" PF "/sriov_numvfs"), "2");
}

static void test_destroy_refused_while_assigned(void **state)
{
	struct fx *f = *state;
	struct vfctl_pf pf;
	json_t *st = vfctl_state_load(&f->ctx);

	json_object_set_new(json_object_get(st, "assignments"), "eth0/0", json_string("web1"));
	assert_int_equal(vfctl_state_save(&f->ctx, st), 0);
	json_decref(st);
	assert_int_equal(vfctl_pf_lookup(&f->ctx, PF, &pf), 0);
	assert_int_equal(vfctl_set_numvfs(&f->ctx, &pf, 0), -1);
	assert_err(&f->ctx, "VF 0 (" VF0 ") is assigned to VM web1");
}

static void test_numvfs_range_and_readiness(void **state)
{
	struct fx *f = *state;
	struct vfctl_pf pf;
	long long t0;

	assert_int_equal(vfctl_pf_lookup(&f->ctx, "eth0", &pf), 0);
	assert_int_equal(vfctl_set_numvfs(&f->ctx, &pf, 9), -1);
	assert_err(&f->ctx, "9 VFs requested, the device has 8");
	/* 2 -> 3 through 0: VF 2 never appears in the fake tree, so the wait times out */
	t0 = vfctl_now_ms();
	assert_int_equal(vfctl_set_numvfs(&f->ctx, &pf, 3), -1);
	assert_true(vfctl_now_ms() - t0 >= 200);
	assert_err(&f->ctx, "timed out after 200 ms waiting for VF 2 to appear (virtfn2)");
	assert_string_equal(fake_read(&f->t, "sys/bus/pci/devices/" PF "/sriov_numvfs"), "3");
	/* once it is there, the wait succeeds */
	fake_vf(&f->t, PF, 2, "0000:01:00.3", 12, NULL);
	assert_int_equal(vfctl_wait_ready(&f->ctx, &pf, 3), 0);
}

/* a VF that appears during the wait: the wait takes it, and no sooner */
static void test_readiness_late_vf(void **state)
{
	struct fx *f = *state;
	struct vfctl_pf pf;
	long long t0;
	pid_t child;
	int st;

	assert_int_equal(vfctl_pf_lookup(&f->ctx, "eth0", &pf), 0);
	fake_write(&f->t, "sys/bus/pci/devices/" PF "/sriov_numvfs", "3");
	pf.num_vfs = 3;
	f->ctx.timeout_ms = 10000;
	/* before the fork: the parent may run long after it on a loaded machine */
	t0 = vfctl_now_ms();
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		usleep(300000);
		fake_vf(&f->t, PF, 2, "0000:01:00.3", 12, NULL);
		_exit(0);
	}
	assert_int_equal(vfctl_wait_ready(&f->ctx, &pf, 3), 0);
	assert_true(vfctl_now_ms() - t0 >= 250);
	assert_true(vfctl_now_ms() - t0 < 10000);
	assert_int_equal(waitpid(child, &st, 0), child);
}

static void test_autoprobe(void **state)
{
	struct fx *f = *state;
	struct vfctl_pf pf;

	assert_int_equal(vfctl_pf_lookup(&f->ctx, "eth0", &pf), 0);
	assert_int_equal(vfctl_set_autoprobe(&f->ctx, &pf, false), 0);
	assert_string_equal(fake_read(&f->t, "sys/bus/pci/devices/" PF "/sriov_drivers_autoprobe"),
			    "0");
}

static void test_bind_viability(void **state)
{
	struct fx *f = *state;
	struct vfctl_pf pf;

	/* a network device in VF 0's IOMMU group keeps it from VFIO */
	fake_device(&f->t, "0000:01:00.7", 10, "e1000e");
	fake_driver(&f->t, "vfio-pci");
	assert_int_equal(vfctl_pf_lookup(&f->ctx, "eth0", &pf), 0);
	assert_int_equal(vfctl_bind(&f->ctx, &pf, 0, "vfio-pci"), -1);
	assert_err(&f->ctx, "VF 0 (" VF0 "): IOMMU group 10 is not viable for VFIO: 0000:01:00.7 "
			    "in the same group is bound to e1000e");
	assert_string_equal(fake_read(&f->t, "sys/bus/pci/devices/" VF0 "/driver_override"),
			    "(null)");
}

static void test_bind_override(void **state)
{
	struct fx *f = *state;
	struct vfctl_pf pf;

	assert_int_equal(vfctl_pf_lookup(&f->ctx, "eth0", &pf), 0);
	/* vfio-pci not loaded: with a fake root, vfctl does not modprobe */
	assert_int_equal(
		rmdir(strcat(strcpy((char[512]){ 0 }, f->t.root), "/sys/bus/pci/drivers/vfio-pci")),
		0);
	assert_int_equal(vfctl_bind(&f->ctx, &pf, 0, "vfio-pci"), -1);
	assert_err(&f->ctx, "vfio-pci: driver not loaded");
	fake_driver(&f->t, "vfio-pci");
	/* the fake kernel binds nothing: vfctl writes driver_override and drivers_probe, then
	 * sees no driver and says so */
	assert_int_equal(vfctl_bind(&f->ctx, &pf, 0, "vfio-pci"), -1);
	assert_err(&f->ctx, "expected driver vfio-pci after drivers_probe, seen none");
	/* the failed bind takes its override back ("\n": none) */
	assert_string_equal(fake_read(&f->t, "sys/bus/pci/devices/" VF0 "/driver_override"), "");
	assert_string_equal(fake_read(&f->t, "sys/bus/pci/drivers_probe"), VF0);
	assert_string_equal(fake_read(&f->t, "sys/bus/pci/drivers/vfio-pci/new_id"), "(missing)");
	/* already bound: nothing written */
	fake_write(&f->t, "sys/bus/pci/drivers_probe", "");
	assert_int_equal(vfctl_bind(&f->ctx, &pf, 1, "vfio-pci"), 0);
	assert_string_equal(fake_read(&f->t, "sys/bus/pci/drivers_probe"), "");
}

/*
 * A driver that is not registered is refused before anything is written;
 * a bind that fails after driver_override was written puts the previous
 * override back, so the next probe does not bind the failed driver.
 */
static void test_bind_unknown_driver(void **state)
{
	struct fx *f = *state;
	struct vfctl_pf pf;

	assert_int_equal(vfctl_pf_lookup(&f->ctx, "eth0", &pf), 0);
	assert_int_equal(vfctl_bind(&f->ctx, &pf, 0, "vfio_pci"), -1);
	assert_err(&f->ctx, "driver 'vfio_pci': no such PCI driver");
	assert_int_equal(vfctl_bind(&f->ctx, &pf, 0, ".."), -1);
	assert_err(&f->ctx, "driver '..': not a driver name");
	assert_string_equal(fake_read(&f->t, "sys/bus/pci/devices/" VF0 "/driver_override"),
			    "(null)");
	assert_string_equal(fake_read(&f->t, "sys/bus/pci/drivers_probe"), "");

	/* registered, but the fake kernel binds nothing */
	fake_driver(&f->t, "ixgbevf");
	assert_int_equal(vfctl_bind(&f->ctx, &pf, 0, "ixgbevf"), -1);
	assert_err(&f->ctx, "expected driver ixgbevf after drivers_probe, seen none");
	assert_string_equal(fake_read(&f->t, "sys/bus/pci/drivers_probe"), VF0);
	assert_string_equal(fake_read(&f->t, "sys/bus/pci/devices/" VF0 "/driver_override"), "");
	/* longer than ixgbevf: writes do not truncate the fake's plain files */
	fake_write(&f->t, "sys/bus/pci/devices/" VF0 "/driver_override", "mlx5_core");
	assert_int_equal(vfctl_bind(&f->ctx, &pf, 0, "ixgbevf"), -1);
	assert_string_equal(fake_read(&f->t, "sys/bus/pci/devices/" VF0 "/driver_override"),
			    "mlx5_core");
}

static void test_bind_no_iommu(void **state)
{
	struct fx *f = *state;
	struct vfctl_pf pf;

	fake_vf(&f->t, PF, 0, VF0, -1, NULL);
	unlink(strcat(strcpy((char[512]){ 0 }, f->t.root),
		      "/sys/bus/pci/devices/" VF0 "/iommu_group"));
	fake_driver(&f->t, "vfio-pci");
	assert_int_equal(vfctl_pf_lookup(&f->ctx, "eth0", &pf), 0);
	assert_int_equal(vfctl_bind(&f->ctx, &pf, 0, "vfio-pci"), -1);
	assert_err(&f->ctx, "VF 0 (" VF0 "): no IOMMU group");
}

static void test_state_lock(void **state)
{
	struct fx *f = *state;
	char want[128];
	int a, b;

	a = vfctl_state_lock(&f->ctx);
	assert_true(a >= 0);
	/* flock is per open file: a second open of the lock waits, then times out */
	b = vfctl_state_lock(&f->ctx);
	assert_int_equal(b, -1);
	snprintf(want, sizeof(want), "held by another vfctl (pid %d) for more than 200 ms",
		 (int)getpid());
	assert_err(&f->ctx, want);
	vfctl_state_unlock(&f->ctx, a);
	b = vfctl_state_lock(&f->ctx);
	assert_true(b >= 0);
	vfctl_state_unlock(&f->ctx, b);
}

static void test_status_json(void **state)
{
	struct fx *f = *state;
	json_t *st, *vf;

	fake_holder(&f->t, 4242, "qemu-system-x86", "/dev/vfio/11");
	st = vfctl_status_json(&f->ctx, NULL);
	assert_non_null(st);
	assert_int_equal(json_array_size(json_object_get(st, "pfs")), 1);
	vf = json_array_get(json_object_get(json_array_get(json_object_get(st, "pfs"), 0), "vfs"),
			    1);
	assert_string_equal(json_string_value(json_object_get(vf, "bdf")), VF1);
	assert_string_equal(json_string_value(json_object_get(vf, "driver")), "vfio-pci");
	assert_int_equal(json_integer_value(json_object_get(vf, "iommu_group")), 11);
	assert_true(json_is_true(json_object_get(vf, "vfio_open")));
	assert_int_equal(json_integer_value(json_object_get(json_object_get(vf, "holder"), "pid")),
			 4242);
	assert_true(json_is_null(json_object_get(vf, "vm")));
	json_decref(st);
	assert_null(vfctl_status_json(&f->ctx, "eth7"));
	assert_err(&f->ctx, "PF eth7: no such interface");
}

/* apply eth0 with 2 VFs, VF 1 for VM web1: a change, the first time */
static void apply_web1(struct fx *f, struct vfctl_config *cfg)
{
	char path[512];

	assert_int_equal(write_conf(f,
				    "pfs:\n  - pf: eth0\n    num_vfs: 2\n    vfs:\n"
				    "      - vf: 1\n        vm: web1\n",
				    path, sizeof(path)),
			 0);
	assert_int_equal(vfctl_config_load(&f->ctx, path, cfg), 0);
	assert_true(vfctl_apply(&f->ctx, cfg) > 0);
}

/* apply of CONF fails with an error holding ERR, and the PF keeps its 2 VFs */
static void assert_apply_refused(struct fx *f, const char *conf, const char *err)
{
	struct vfctl_config cfg;
	char path[512];

	assert_int_equal(write_conf(f, conf, path, sizeof(path)), 0);
	assert_int_equal(vfctl_config_load(&f->ctx, path, &cfg), 0);
	assert_int_equal(vfctl_apply(&f->ctx, &cfg), -1);
	assert_err(&f->ctx, err);
	assert_string_equal(fake_read(&f->t, "sys/bus/pci/devices/" PF "/sriov_numvfs"), "2");
	vfctl_config_free(&cfg);
}

static void test_apply_fake(void **state)
{
	struct fx *f = *state;
	struct vfctl_config cfg;

	/* same count, no attributes: only the state and the autoprobe change, then nothing */
	apply_web1(f, &cfg);
	assert_int_equal(vfctl_apply(&f->ctx, &cfg), 0); /* "nothing to change" */
	vfctl_config_free(&cfg);
	{
		json_t *st = vfctl_state_load(&f->ctx);

		assert_string_equal(vfctl_state_vm(st, PF, "eth0", 1), "web1");
		json_decref(st);
	}
	/* a PF that does not exist: refused before anything changes */
	assert_apply_refused(f,
			     "pfs:\n  - pf: eth0\n    num_vfs: 2\n"
			     "  - pf: eth5\n    num_vfs: 1\n",
			     "PF eth5: no such interface");
	/*
	 * 2 -> 4 while VF 1 is assigned, and stays so (the PF named by address
	 * this time): refused before anything changes
	 */
	assert_apply_refused(f,
			     "pfs:\n  - pf: " PF "\n    num_vfs: 4\n    vfs:\n"
			     "      - vf: 1\n        vm: web1\n",
			     "changing 2 to 4 VFs goes through 0, but VF 1 (" VF1
			     ") is assigned to VM web1");
}

/* eth0 and its PCI address name one PF: applied twice, the second entry would undo the first */
static void test_apply_same_pf_twice(void **state)
{
	assert_apply_refused(*state,
			     "pfs:\n  - pf: eth0\n    num_vfs: 2\n"
			     "  - pf: " PF "\n    num_vfs: 1\n",
			     "PF eth0 and PF " PF " are the same device");
}

static void test_apply_rollback(void **state)
{
	/* 2 -> 3: VF 2 never appears, the readiness wait fails, the count goes back to 2 */
	assert_apply_refused(*state, "pfs:\n  - pf: eth0\n    num_vfs: 3\n",
			     "waiting for VF 2 to appear");
}

/* a driver that is not registered: apply refuses before any change */
static void test_apply_unknown_driver(void **state)
{
	struct fx *f = *state;

	assert_apply_refused(f,
			     "pfs:\n  - pf: eth0\n    num_vfs: 3\n    vfs:\n"
			     "      - vf: 0\n        driver: vfio_pci\n",
			     "PF eth0 VF 0: driver 'vfio_pci': no such PCI driver");
	assert_string_equal(fake_read(&f->t, "sys/bus/pci/devices/" PF "/sriov_drivers_autoprobe"),
			    "1");
	assert_string_equal(fake_read(&f->t, "sys/bus/pci/devices/" VF0 "/driver_override"),
			    "(null)");
}

/*
 * A state.json that exists but cannot be used is an error naming it, never
 * an empty state: that would forget the assignments that keep VFs in use.
 */
static void test_state_corrupt(void **state)
{
	static const char *const bad[] = { "{ \"assignments\": { \"eth0/0\": \"web1\"", "[]",
					   "{ \"assignments\": [] }",
					   "{ \"assignments\": {}, \"vm_processes\": 3 }" };
	struct fx *f = *state;
	struct vfctl_config cfg;
	struct vfctl_pf pf;
	char path[512];
	json_t *st;
	size_t i;

	/* no state file: an empty state */
	st = vfctl_state_load(&f->ctx);
	assert_non_null(st);
	assert_int_equal(json_object_size(json_object_get(st, "assignments")), 0);
	json_decref(st);

	assert_int_equal(mkdir(f->t.state, 0755), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(write_file(f, "state/state.json", bad[i], path, sizeof(path)), 0);
		f->ctx.err[0] = '\0';
		st = vfctl_state_load(&f->ctx);
		if (st)
			fail_msg("state.json '%s': expected an error, seen it loaded", bad[i]);
		assert_err(&f->ctx, path);
		assert_err(&f->ctx, "move it away");
	}
	/* nor may destroy or apply go ahead on it */
	assert_int_equal(vfctl_pf_lookup(&f->ctx, "eth0", &pf), 0);
	assert_int_equal(vfctl_set_numvfs(&f->ctx, &pf, 0), -1);
	assert_err(&f->ctx, "refusing to remove VFs: state ");
	assert_string_equal(fake_read(&f->t, "sys/bus/pci/devices/" PF "/sriov_numvfs"), "2");
	assert_int_equal(write_conf(f, "pfs:\n  - pf: eth0\n    num_vfs: 2\n", path, sizeof(path)),
			 0);
	assert_int_equal(vfctl_config_load(&f->ctx, path, &cfg), 0);
	assert_int_equal(vfctl_apply(&f->ctx, &cfg), -1);
	assert_err(&f->ctx, "move it away");
	vfctl_config_free(&cfg);
	assert_null(vfctl_status_json(&f->ctx, NULL));
}

/*
 * Names: the configuration and the state name a VF by its PF (interface or
 * address) and index. The same host after a bus renumbering (the PF moves
 * from 01:00.0 to 05:00.0, its VFs with it) keeps its configuration and
 * its assignments: nothing to change, the VM still assigned, and no BDF of
 * a VF nor an IOMMU group number anywhere in the state.
 */
static void test_bus_renumbered(void **state)
{
	struct fx *f = *state;
	struct vfctl_config cfg;
	struct fake_tree moved;
	struct vfctl_pf pf;
	struct vfctl_vf vf;
	char path[512], text[4096];
	json_t *st;
	FILE *fp;
	size_t n;

	apply_web1(f, &cfg);

	fake_tree_new(&moved);
	fake_pf(&moved, "0000:05:00.0", "eth0", 8, 2);
	fake_vf(&moved, "0000:05:00.0", 0, "0000:05:00.1", 20, NULL);
	fake_vf(&moved, "0000:05:00.0", 1, "0000:05:00.2", 21, "vfio-pci");
	snprintf(f->ctx.sysfs_root, sizeof(f->ctx.sysfs_root), "%s", moved.root);
	snprintf(f->ctx.proc_root, sizeof(f->ctx.proc_root), "%s", moved.proc);

	assert_int_equal(vfctl_apply(&f->ctx, &cfg), 0); /* nothing to change */
	vfctl_config_free(&cfg);
	assert_int_equal(vfctl_pf_lookup(&f->ctx, "eth0", &pf), 0);
	assert_string_equal(pf.bdf, "0000:05:00.0");
	st = vfctl_state_load(&f->ctx);
	assert_string_equal(vfctl_state_vm(st, pf.bdf, pf.ifname, 1), "web1");
	json_decref(st);
	/* destroy is refused for the VF at its new address, by name */
	assert_int_equal(vfctl_set_numvfs(&f->ctx, &pf, 0), -1);
	assert_err(&f->ctx, "VF 1 (0000:05:00.2) is assigned to VM web1");
	assert_int_equal(vfctl_vf_lookup(&f->ctx, &pf, 1, &vf), 0);
	assert_int_equal(vf.group, 21);

	snprintf(path, sizeof(path), "%s/state.json", f->t.state);
	fp = fopen(path, "r");
	assert_non_null(fp);
	n = fread(text, 1, sizeof(text) - 1, fp);
	fclose(fp);
	text[n] = '\0';
	if (strstr(text, "0000:") || strstr(text, "\"group\"") || strstr(text, "iommu"))
		fail_msg("state.json: expected no PCI address or IOMMU group, seen:\n%s", text);
	fake_tree_free(&moved);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pf_lookup, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_pf_list, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_vf_lookup, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_destroy_refused_while_held, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_held_through_iommufd, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_destroy_refused_while_assigned, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_numvfs_range_and_readiness, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_readiness_late_vf, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_autoprobe, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_bind_viability, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_bind_override, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_bind_unknown_driver, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_bind_no_iommu, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_state_lock, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_status_json, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_apply_fake, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_apply_same_pf_twice, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_apply_rollback, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_apply_unknown_driver, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_state_corrupt, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_bus_renumbered, fx_setup, fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
