/* SPDX-License-Identifier: GPL-2.0 */
/* vfctl_config.h: the declarative configuration of vfctl apply (docs/vfctl.md). */
#ifndef VFCTL_CONFIG_H
#define VFCTL_CONFIG_H

#include <stdio.h>

#include <jansson.h>

#include "vfctl.h"

struct vfctl_vf_cfg {
	int index;
	struct vfctl_attrs attrs;
	char driver[VFCTL_NAME_LEN]; /* "" if not managed, "default" or a driver */
	char vm[VFCTL_NAME_LEN]; /* "" if none */
};

struct vfctl_pf_cfg {
	char name[VFCTL_NAME_LEN]; /* as written: interface or PCI address */
	int num_vfs;
	int autoprobe; /* -1: derived (off when a VF wants vfio-pci) */
	int nvfs;
	struct vfctl_vf_cfg *vfs;
};

struct vfctl_config {
	int npfs;
	struct vfctl_pf_cfg *pfs;
	json_t *source; /* the validated tree, kept in the state for release */
};

json_t *vfctl_config_load_tree(struct vfctl_ctx *ctx, const char *file);
int vfctl_config_parse(struct vfctl_ctx *ctx, json_t *root, const char *file,
		       struct vfctl_config *cfg);
int vfctl_config_load(struct vfctl_ctx *ctx, const char *file, struct vfctl_config *cfg);
void vfctl_config_free(struct vfctl_config *cfg);

/* libvf_apply.c */
int vfctl_apply(struct vfctl_ctx *ctx, const struct vfctl_config *cfg);

/* libvf_assign.c: VFs to VMs */
enum vfctl_assign_form {
	VFCTL_QEMU_ARGS,
	VFCTL_LIBVIRT_XML,
	VFCTL_QMP
};
int vfctl_device_id(const char *vf_bdf, char *buf, size_t len);
struct vfctl_assign_opts {
	enum vfctl_assign_form form;
	const char *qmp_path; /* VFCTL_QMP */
	const char *bus; /* VFCTL_QMP, VFCTL_QEMU_ARGS: the bus to plug into, or NULL */
	FILE *out;
};
int vfctl_assign(struct vfctl_ctx *ctx, const struct vfctl_pf *pf, int index, const char *vm,
		 const struct vfctl_assign_opts *o);
int vfctl_release(struct vfctl_ctx *ctx, const struct vfctl_pf *pf, int index,
		  const char *qmp_path);
bool vfctl_names_vf(struct vfctl_ctx *ctx, const char *key, const struct vfctl_pf *pf, int index);
const struct vfctl_vf_cfg *vfctl_vf_cfg(struct vfctl_ctx *ctx, const struct vfctl_config *cfg,
					const struct vfctl_pf *pf, int index);

/* libvf_vmproc.c: VFs whose VM has exited */
void vfctl_vm_proc_record(struct vfctl_ctx *ctx, json_t *st, const char *key, pid_t pid);
int vfctl_vm_proc_exited(struct vfctl_ctx *ctx, json_t *st, const char *key, pid_t *pid);
int vfctl_vf_vm_proc(struct vfctl_ctx *ctx, json_t *st, const struct vfctl_pf *pf, int index,
		     pid_t *pid);
int vfctl_state_key_vf(struct vfctl_ctx *ctx, const char *key, struct vfctl_pf *pf, int *index);
int vfctl_reconcile(struct vfctl_ctx *ctx, int *failed);

/* libvf_unit.c: the boot-time systemd unit */
int vfctl_install_unit(struct vfctl_ctx *ctx, const char *file, const char *dir);

/* libvf_qmp.c: a QMP client, just enough for device_add and device_del */
struct vfctl_qmp;
struct vfctl_qmp *vfctl_qmp_open(struct vfctl_ctx *ctx, const char *path);
void vfctl_qmp_close(struct vfctl_qmp *q);
pid_t vfctl_qmp_peer(const struct vfctl_qmp *q);
int vfctl_qmp_execute(struct vfctl_ctx *ctx, struct vfctl_qmp *q, const char *cmd, json_t *args);
int vfctl_qmp_wait_deleted(struct vfctl_ctx *ctx, struct vfctl_qmp *q, const char *id);

#endif
