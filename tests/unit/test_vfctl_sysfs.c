// SPDX-License-Identifier: GPL-2.0
/*
 * vfctl library against a fake sysfs and /proc tree (vfctl_fake_sysfs.c):
 * PF and VF lookup by name and address, in-use detection naming the holder,
 * destroy and N->M refused while a VF is in use, readiness timeouts,
 * IOMMU group viability, driver_override binding (never new_id), state and
 * status; a configuration and its state surviving a bus renumbering;
 * concurrent vfctl apply runs serializing on the state lock. What
 * needs a kernel peer (netlink, real binding) is covered by
 * tests/guest/test_vfctl_apply.sh.
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
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

#define PF "0000:01:00.0"
#define VF0 "0000:01:00.1"
#define VF1 "0000:01:00.2"

struct fx {
	struct fake_tree t;
	struct vfctl_ctx ctx;
};

#define assert_err(ctx, sub)                                                         \
	do {                                                                         \
		if (!strstr((ctx)->err, (sub)))                                      \
			fail_msg("error: expected '%s' in '%s'", (sub), (ctx)->err); \
	} while (0)

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	fake_tree_new(&f->t);
	fake_ctx(&f->t, &f->ctx);
	fake_pf(&f->t, PF, "eth0", 8, 2);
	fake_vf(&f->t, PF, 0, VF0, 10, NULL);
	fake_vf(&f->t, PF, 1, VF1, 11, "vfio-pci");
	fake_device(&f->t, "0000:00:1f.0", 3, "lpc_ich"); /* not SR-IOV */
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	vfctl_ctx_fini(&f->ctx);
	fake_tree_free(&f->t);
	free(f);
	return 0;
}

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

/* write_file: root/name holding text; its path in path */
static int write_file(struct fx *f, const char *name, const char *text, char *path, size_t len)
{
	FILE *fp;

	snprintf(path, len, "%s/%s", f->t.root, name);
	fp = fopen(path, "w");
	if (!fp)
		return -1;
	fputs(text, fp);
	fclose(fp);
	return 0;
}

static int write_conf(struct fx *f, const char *text, char *path, size_t len)
{
	return write_file(f, "conf.yaml", text, path, len);
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
	/* 2 -> 4 while VF 1 is assigned: refused before anything changes */
	assert_apply_refused(f, "pfs:\n  - pf: " PF "\n    num_vfs: 4\n",
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

/* spawn_vfctl: the vfctl CLI (VFCTL, the sanitized build) on the fake tree with @args, output to @out */
static pid_t spawn_vfctl(struct fx *f, const char *out, const char *const *args)
{
	const char *vfctl = getenv("VFCTL");
	const char *argv[16] = { vfctl,	    "--sysfs-root", f->t.root, "--proc-root",
				 f->t.proc, "--state-dir",  f->t.state };
	size_t n = 7;
	pid_t pid;
	int fd;

	if (!vfctl)
		fail_msg("VFCTL: expected the path of vfctl (set by make -C provisioner test), "
			 "seen none");
	while (*args && n < sizeof(argv) / sizeof(argv[0]) - 1)
		argv[n++] = *args++;
	argv[n] = NULL;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
			_exit(126);
		execv(vfctl, (char *const *)argv);
		_exit(127);
	}
	return pid;
}

/* run_vfctl: vfctl --timeout @timeout apply @conf, started */
static pid_t run_vfctl(struct fx *f, const char *timeout, const char *conf, const char *out)
{
	const char *const args[] = { "--timeout", timeout, "apply", conf, NULL };

	return spawn_vfctl(f, out, args);
}

/* exit_status: wait up to 30 s for @pid, its exit status; fails on a timeout or a signal */
static int exit_status(pid_t pid)
{
	long long deadline = vfctl_now_ms() + 30000;
	int st;

	while (waitpid(pid, &st, WNOHANG) == 0) {
		if (vfctl_now_ms() > deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			fail_msg("vfctl pid %d: expected it to exit within 30 s, seen it running",
				 pid);
		}
		vfctl_sleep_ms(20);
	}
	if (!WIFEXITED(st))
		fail_msg("vfctl pid %d: expected an exit, seen status 0x%x", pid, st);
	return WEXITSTATUS(st);
}

/* has_lock_open: whether process @pid has the state lock @lock open */
static bool has_lock_open(pid_t pid, const char *lock)
{
	char dir[64], p[PATH_MAX], target[PATH_MAX];
	struct dirent *e;
	bool found = false;
	ssize_t n;
	DIR *d;

	snprintf(dir, sizeof(dir), "/proc/%d/fd", pid);
	d = opendir(dir);
	if (!d)
		return false;
	while (!found && (e = readdir(d))) {
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		n = readlink(p, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		found = !strcmp(target, lock);
	}
	closedir(d);
	return found;
}

/* run_cli: vfctl on the fake tree with @args (NULL-terminated); its exit status, output in @out */
static int run_cli(struct fx *f, const char *out, const char *const *args)
{
	return exit_status(spawn_vfctl(f, out, args));
}

static const char *slurp(const char *path)
{
	static char buf[4096];
	size_t n = 0;
	FILE *fp = fopen(path, "r");

	if (fp) {
		n = fread(buf, 1, sizeof(buf) - 1, fp);
		fclose(fp);
	}
	buf[n] = '\0';
	return buf;
}

/* --timeout: a number of seconds, 0 < T <= 3600, else bad usage (status 2) */
static void test_cli_timeout(void **state)
{
	static const char *const bad[] = {
		"abc", "", "-1", "0", "nan", "inf", "1e10", "3601", "5x"
	};
	struct fx *f = *state;
	char out[512];
	size_t i;

	snprintf(out, sizeof(out), "%s/cli.out", f->t.root);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *args[] = { "--timeout", bad[i], "status", NULL };

		if (run_cli(f, out, args) != 2)
			fail_msg("--timeout '%s': expected status 2, seen otherwise; output:\n%s",
				 bad[i], slurp(out));
		if (!strstr(slurp(out), "--timeout"))
			fail_msg("--timeout '%s': expected an error naming it, seen:\n%s", bad[i],
				 slurp(out));
	}
	{
		const char *args[] = { "--timeout", "0.5", "status", NULL };

		if (run_cli(f, out, args) != 0)
			fail_msg("--timeout 0.5: expected status 0; output:\n%s", slurp(out));
	}
}

/* create takes a count up to VFCTL_MAX_VFS (as num_vfs does), an index stops one below */
static void test_cli_create_count(void **state)
{
	const char *create256[] = { "create", "eth0", "256", NULL };
	const char *create257[] = { "create", "eth0", "257", NULL };
	const char *bind256[] = { "bind", "eth0", "256", "default", NULL };
	struct fx *f = *state;
	char out[512];

	snprintf(out, sizeof(out), "%s/cli.out", f->t.root);
	assert_int_equal(run_cli(f, out, create256), 1);
	if (!strstr(slurp(out), "256 VFs requested, the device has 8"))
		fail_msg("create eth0 256: expected the device's limit, seen:\n%s", slurp(out));
	assert_int_equal(run_cli(f, out, create257), 1);
	if (!strstr(slurp(out), "'257' is not a VF count (0-256)"))
		fail_msg("create eth0 257: expected a bad count, seen:\n%s", slurp(out));
	assert_int_equal(run_cli(f, out, bind256), 1);
	if (!strstr(slurp(out), "'256' is not a VF index (0-255)"))
		fail_msg("bind eth0 256: expected a bad index, seen:\n%s", slurp(out));
	assert_string_equal(fake_read(&f->t, "sys/bus/pci/devices/" PF "/sriov_numvfs"), "2");
}

/*
 * Two vfctl apply runs started together serialize on STATE_DIR/lock. Run 1
 * (2 -> 3 VFs) holds the lock while it waits for VF 2 to appear; meanwhile a
 * run with a short --timeout is refused, naming run 1's pid, having changed
 * nothing; run 2 (VF 1 for VM web1) waits and, once VF 2 appears and run 1
 * is done, applies on top of run 1's result.
 */
static void test_concurrent_apply(void **state)
{
	struct fx *f = *state;
	char c1[512], c2[512], o1[512], o2[512], o3[512], lock[PATH_MAX], want[128];
	long long deadline;
	pid_t r1, r2, r3;
	json_t *st;
	int fd;

	assert_int_equal(
		write_file(f, "c1.yaml", "pfs:\n  - pf: eth0\n    num_vfs: 3\n", c1, sizeof(c1)),
		0);
	assert_int_equal(write_file(f, "c2.yaml",
				    "pfs:\n  - pf: eth0\n    num_vfs: 3\n    vfs:\n"
				    "      - vf: 1\n        vm: web1\n",
				    c2, sizeof(c2)),
			 0);
	snprintf(o1, sizeof(o1), "%s/run1.out", f->t.root);
	snprintf(o2, sizeof(o2), "%s/run2.out", f->t.root);
	snprintf(o3, sizeof(o3), "%s/run3.out", f->t.root);
	snprintf(lock, sizeof(lock), "%s/lock", f->t.state);

	/* run 1 has the lock once it has written the new count, and keeps it until VF 2 */
	r1 = run_vfctl(f, "30", c1, o1);
	deadline = vfctl_now_ms() + 30000;
	while (strcmp(fake_read(&f->t, "sys/bus/pci/devices/" PF "/sriov_numvfs"), "3")) {
		if (vfctl_now_ms() > deadline)
			fail_msg("run 1: expected sriov_numvfs 3 within 30 s, seen '%s'; "
				 "output:\n%s",
				 fake_read(&f->t, "sys/bus/pci/devices/" PF "/sriov_numvfs"),
				 slurp(o1));
		vfctl_sleep_ms(20);
	}

	/* a run that will not wait long is refused, naming the holder, and changes nothing */
	r3 = run_vfctl(f, "0.3", c2, o3);
	assert_int_equal(exit_status(r3), 1);
	snprintf(want, sizeof(want), "held by another vfctl (pid %d) for more than 300 ms", r1);
	if (!strstr(slurp(o3), want))
		fail_msg("refused run: expected '%s' in its output, seen:\n%s", want, slurp(o3));
	st = vfctl_state_load(&f->ctx);
	assert_null(vfctl_state_vm(st, PF, "eth0", 1));
	json_decref(st);

	/* run 2 opens the lock and waits on it: nothing of its configuration appears */
	r2 = run_vfctl(f, "30", c2, o2);
	deadline = vfctl_now_ms() + 30000;
	while (!has_lock_open(r2, lock)) {
		if (vfctl_now_ms() > deadline)
			fail_msg("run 2: expected it to open %s within 30 s; output:\n%s", lock,
				 slurp(o2));
		vfctl_sleep_ms(20);
	}
	/* a few of its 50 ms retries: a run not held back would be done by now */
	vfctl_sleep_ms(300);
	if (waitpid(r2, &fd, WNOHANG) != 0)
		fail_msg("run 2: expected it waiting for the lock, seen it done; output:\n%s",
			 slurp(o2));
	st = vfctl_state_load(&f->ctx);
	assert_null(vfctl_state_vm(st, PF, "eth0", 1));
	json_decref(st);

	/* VF 2 appears: run 1 finishes, then run 2 applies on top of it */
	fake_vf(&f->t, PF, 2, "0000:01:00.3", 12, NULL);
	if (exit_status(r1) != 0)
		fail_msg("run 1: expected status 0, seen failure; output:\n%s", slurp(o1));
	if (exit_status(r2) != 0)
		fail_msg("run 2: expected status 0, seen failure; output:\n%s", slurp(o2));
	if (!strstr(slurp(o1), "applied"))
		fail_msg("run 1: expected 'applied', seen:\n%s", slurp(o1));
	if (!strstr(slurp(o2), "applied"))
		fail_msg("run 2: expected 'applied', seen:\n%s", slurp(o2));

	/* the final state is run 2's configuration on run 1's VFs, and the lock is free */
	assert_string_equal(fake_read(&f->t, "sys/bus/pci/devices/" PF "/sriov_numvfs"), "3");
	st = vfctl_state_load(&f->ctx);
	assert_string_equal(vfctl_state_vm(st, PF, "eth0", 1), "web1");
	json_decref(st);
	f->ctx.timeout_ms = 0;
	fd = vfctl_state_lock(&f->ctx);
	assert_true(fd >= 0);
	vfctl_state_unlock(&f->ctx, fd);
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
		cmocka_unit_test_setup_teardown(test_pf_lookup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pf_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vf_lookup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_destroy_refused_while_held, setup, teardown),
		cmocka_unit_test_setup_teardown(test_held_through_iommufd, setup, teardown),
		cmocka_unit_test_setup_teardown(test_destroy_refused_while_assigned, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_numvfs_range_and_readiness, setup, teardown),
		cmocka_unit_test_setup_teardown(test_readiness_late_vf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_autoprobe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bind_viability, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bind_override, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bind_unknown_driver, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bind_no_iommu, setup, teardown),
		cmocka_unit_test_setup_teardown(test_state_lock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status_json, setup, teardown),
		cmocka_unit_test_setup_teardown(test_apply_fake, setup, teardown),
		cmocka_unit_test_setup_teardown(test_apply_same_pf_twice, setup, teardown),
		cmocka_unit_test_setup_teardown(test_apply_rollback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_apply_unknown_driver, setup, teardown),
		cmocka_unit_test_setup_teardown(test_state_corrupt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cli_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cli_create_count, setup, teardown),
		cmocka_unit_test_setup_teardown(test_concurrent_apply, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bus_renumbered, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
