// SPDX-License-Identifier: GPL-2.0
/* The vfctl tests' fixture on the fake tree (vfctl_fixture.h). */
#include <stdio.h>
#include <stdlib.h>

#include "vfctl_fixture.h"

int fx_setup(void **state)
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

int fx_teardown(void **state)
{
	struct fx *f = *state;

	vfctl_ctx_fini(&f->ctx);
	fake_tree_free(&f->t);
	free(f);
	return 0;
}

int write_file(struct fx *f, const char *name, const char *text, char *path, size_t len)
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

int write_conf(struct fx *f, const char *text, char *path, size_t len)
{
	return write_file(f, "conf.yaml", text, path, len);
}
