// SPDX-License-Identifier: GPL-2.0
/*
 * libvf_yaml.c: a configuration file into a jansson tree. JSON is read by
 * jansson; YAML by libyaml's event parser, mappings and sequences becoming
 * objects and arrays, every scalar a string (the validator gives them types),
 * so both formats go through one validator.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <yaml.h>

#include "vfctl.h"
#include "vfctl_config.h"

struct yctx {
	yaml_parser_t p;
	const char *file;
	struct vfctl_ctx *ctx;
};

static json_t *y_node(struct yctx *y, yaml_event_t *ev, int depth);

static int y_next(struct yctx *y, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&y->p, ev))
		return vfctl_error(y->ctx, "%s:%zu:%zu: YAML: %s", y->file,
				   y->p.problem_mark.line + 1, y->p.problem_mark.column + 1,
				   y->p.problem ? y->p.problem : "syntax error");
	return 0;
}

static json_t *y_node(struct yctx *y, yaml_event_t *ev, int depth)
{
	yaml_event_t e;
	json_t *j, *v;
	char *key;

	if (depth > 32) {
		vfctl_error(y->ctx, "%s: nested too deeply", y->file);
		return NULL;
	}
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		return json_stringn((const char *)ev->data.scalar.value, ev->data.scalar.length);
	case YAML_ALIAS_EVENT:
		vfctl_error(y->ctx, "%s:%zu: YAML aliases are not supported", y->file,
			    ev->start_mark.line + 1);
		return NULL;
	case YAML_SEQUENCE_START_EVENT:
		j = json_array();
		for (;;) {
			if (y_next(y, &e))
				goto fail;
			if (e.type == YAML_SEQUENCE_END_EVENT) {
				yaml_event_delete(&e);
				return j;
			}
			v = y_node(y, &e, depth + 1);
			yaml_event_delete(&e);
			if (!v)
				goto fail;
			json_array_append_new(j, v);
		}
	case YAML_MAPPING_START_EVENT:
		j = json_object();
		for (;;) {
			if (y_next(y, &e))
				goto fail;
			if (e.type == YAML_MAPPING_END_EVENT) {
				yaml_event_delete(&e);
				return j;
			}
			if (e.type != YAML_SCALAR_EVENT) {
				vfctl_error(y->ctx, "%s:%zu: mapping keys must be scalars", y->file,
					    e.start_mark.line + 1);
				yaml_event_delete(&e);
				goto fail;
			}
			key = strndup((const char *)e.data.scalar.value, e.data.scalar.length);
			if (json_object_get(j, key)) {
				vfctl_error(y->ctx, "%s:%zu: duplicate key '%s'", y->file,
					    e.start_mark.line + 1, key);
				free(key);
				yaml_event_delete(&e);
				goto fail;
			}
			yaml_event_delete(&e);
			if (y_next(y, &e)) {
				free(key);
				goto fail;
			}
			v = y_node(y, &e, depth + 1);
			yaml_event_delete(&e);
			if (!v) {
				free(key);
				goto fail;
			}
			json_object_set_new(j, key, v);
			free(key);
		}
	default:
		vfctl_error(y->ctx, "%s:%zu: unexpected YAML event", y->file,
			    ev->start_mark.line + 1);
		return NULL;
	}
fail:
	json_decref(j);
	return NULL;
}

static json_t *load_yaml(struct vfctl_ctx *ctx, const char *file, FILE *f)
{
	struct yctx y = { .file = file, .ctx = ctx };
	yaml_event_t e;
	json_t *root = NULL;

	yaml_parser_initialize(&y.p);
	yaml_parser_set_input_file(&y.p, f);
	for (;;) {
		if (y_next(&y, &e))
			break;
		if (e.type == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&e);
			if (!root)
				vfctl_error(ctx, "%s: empty configuration", file);
			break;
		}
		if (e.type == YAML_MAPPING_START_EVENT || e.type == YAML_SEQUENCE_START_EVENT ||
		    e.type == YAML_SCALAR_EVENT) {
			if (root) {
				vfctl_error(ctx, "%s: more than one YAML document", file);
				json_decref(root);
				root = NULL;
				yaml_event_delete(&e);
				break;
			}
			root = y_node(&y, &e, 0);
			if (!root) {
				yaml_event_delete(&e);
				break;
			}
		}
		yaml_event_delete(&e);
	}
	if (root && !y.p.stream_end_produced && ctx->err[0]) {
		json_decref(root);
		root = NULL;
	}
	yaml_parser_delete(&y.p);
	return root;
}

/* vfctl_config_load_tree: FILE (.json, or YAML otherwise) into a jansson tree */
json_t *vfctl_config_load_tree(struct vfctl_ctx *ctx, const char *file)
{
	size_t n = strlen(file);
	json_error_t je;
	json_t *root;
	FILE *f;

	ctx->err[0] = '\0';
	if (n > 5 && !strcmp(file + n - 5, ".json")) {
		root = json_load_file(file, JSON_REJECT_DUPLICATES, &je);
		if (!root)
			vfctl_error(ctx, "%s:%d:%d: JSON: %s", file, je.line, je.column, je.text);
		return root;
	}
	f = fopen(file, "r");
	if (!f) {
		vfctl_error(ctx, "%s: %s", file, strerror(errno));
		return NULL;
	}
	root = load_yaml(ctx, file, f);
	fclose(f);
	return root;
}
