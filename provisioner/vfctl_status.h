/* SPDX-License-Identifier: GPL-2.0 */
/* vfctl_status.h: vfctl status as JSON and text (libvf_status.c). */
#ifndef VFCTL_STATUS_H
#define VFCTL_STATUS_H

#include <stdio.h>

#include <jansson.h>

#include "vfctl.h"

json_t *vfctl_status_json(struct vfctl_ctx *ctx, const char *only);
void vfctl_status_print(json_t *root, FILE *f);

#endif
