/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fixture of the vfctl tests that run against the fake sysfs and /proc
 * tree (vfctl_fake_sysfs.c): one PF, eth0 with 8 VFs of which 2 exist, VF 1
 * bound to vfio-pci, and a device that is no PF.
 */
#ifndef VFCTL_FIXTURE_H
#define VFCTL_FIXTURE_H

#include <stddef.h>
#include <string.h>

#include "vfctl.h"
#include "vfctl_fake_sysfs.h"

#define PF "0000:01:00.0"
#define VF0 "0000:01:00.1"
#define VF1 "0000:01:00.2"

struct fx {
	struct fake_tree t;
	struct vfctl_ctx ctx;
};

/* cmocka's fail_msg, so this is for files that include cmocka.h first */
#define assert_err(ctx, sub)                                                         \
	do {                                                                         \
		if (!strstr((ctx)->err, (sub)))                                      \
			fail_msg("error: expected '%s' in '%s'", (sub), (ctx)->err); \
	} while (0)

int fx_setup(void **state);
int fx_teardown(void **state);
/* write_file: root/name holding text; its path in path */
int write_file(struct fx *f, const char *name, const char *text, char *path, size_t len);
int write_conf(struct fx *f, const char *text, char *path, size_t len);

#endif
