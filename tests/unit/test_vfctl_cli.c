// SPDX-License-Identifier: GPL-2.0
/*
 * The vfctl command line on the fake tree (vfctl_fixture.h), run as the
 * sanitized binary the Makefile names in VFCTL: --timeout and create's
 * count refused or taken as documented, and concurrent vfctl apply runs
 * serializing on the state lock.
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
#include "vfctl_fixture.h"

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

/* --timeout: a number of seconds, 1 ms <= T <= 3600 s, else bad usage (status 2) */
static void test_cli_timeout(void **state)
{
	static const char *const bad[] = { "abc", "",	 "-1",	 "0",	 "0.0004",
					   "nan", "inf", "1e10", "3601", "5x" };
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_cli_timeout, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_cli_create_count, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_concurrent_apply, fx_setup, fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
