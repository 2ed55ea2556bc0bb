// SPDX-License-Identifier: (GPL-2.0-only OR BSD-3-Clause)
/*
 * Print what the opcode table says, for people and for tools:
 *   gen_doc          the opcode table of docs/mailbox.md (Markdown)
 *   gen_doc --dict   a libFuzzer/AFL dictionary of message headers
 * The Makefile splices the first into docs/mailbox.md (make doc) and fails
 * the tests when the two differ (make check-doc).
 */
#include <stdio.h>
#include <string.h>

#include "vfnic_mbx.h"

static void print_states(unsigned int states)
{
	const char *sep = "";
	unsigned int s;

	for (s = 0; s < VFNIC_MBX_VF_NR_STATES; s++) {
		if (!(states & VFNIC_MBX_ST(s)))
			continue;
		printf("%s%s", sep, vfnic_mbx_state_name(s));
		sep = ", ";
	}
}

static void print_caps(unsigned int cap)
{
	static const char *const names[] = { "RSS", "VLAN", "CSUM" };
	const char *sep = "";
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!(cap & (1u << i)))
			continue;
		printf("%s%s", sep, names[i]);
		sep = ", ";
	}
}

static void markdown(void)
{
	unsigned int code;

	printf("| Code | Name | Direction | Payload (bytes) | Reply (bytes) "
	       "| Allowed in | Success enters | Trust | Capability "
	       "| Since |\n");
	printf("|-----:|------|-----------|-----------------|---------------"
	       "|------------|----------------|-------|------------"
	       "|-------|\n");
	for (code = 0; code < VFNIC_MBX_OP_TABLE_SIZE; code++) {
		const struct vfnic_mbx_op *op = vfnic_mbx_op_lookup(code);
		bool req;

		if (!op)
			continue;
		req = op->dir == VFNIC_MBX_DIR_REQ;
		printf("| %u | %s | %s | %u", code, op->name,
		       req ? "VF→PF" : "PF→VF event", op->len);
		if (op->elem_size)
			printf(" + %u × count (count: u16 at +%u, 1..%u)",
			       op->elem_size, op->count_off, op->max_count);
		if (req)
			printf(" | %u | ", op->reply_len);
		else
			printf(" | — | any");
		print_states(op->states);
		printf(" | %s | %s | ",
		       op->next_state ? vfnic_mbx_state_name(op->next_state) :
		       "—", op->trust ? "yes" : "");
		print_caps(op->cap);
		printf(" | %u.%u |\n", VFNIC_MBX_VERSION_MAJOR, op->min_minor);
	}
}

static void dictionary(void)
{
	static const struct { unsigned int flag; const char *tag; } f[] = {
		{ VFNIC_MBX_F_REQ, "req" },
		{ VFNIC_MBX_F_REPLY, "reply" },
		{ VFNIC_MBX_F_EVENT, "event" },
	};
	unsigned int code, i;

	for (code = 0; code < VFNIC_MBX_OP_TABLE_SIZE; code++) {
		const struct vfnic_mbx_op *op = vfnic_mbx_op_lookup(code);

		if (!op)
			continue;
		for (i = 0; i < 3; i++) {
			unsigned int len = f[i].flag == VFNIC_MBX_F_REPLY ?
					   op->reply_len : op->len;

			if ((f[i].flag == VFNIC_MBX_F_EVENT) !=
			    (op->dir == VFNIC_MBX_DIR_EVENT))
				continue;
			/* opcode, flags, len: the first four header bytes */
			printf("%s_%s=\"\\x%02x\\x%02x\\x%02x\\x%02x\"\n",
			       op->name, f[i].tag, code, f[i].flag,
			       len & 0xff, len >> 8);
		}
	}
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--dict"))
		dictionary();
	else
		markdown();
	return 0;
}
