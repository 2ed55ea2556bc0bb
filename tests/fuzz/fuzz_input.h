/*
 * A fuzzer input read as a byte stream: operands are taken in order,
 * little-endian, and bytes past the end read as zero, so every input,
 * however short, decodes to whole commands. Shared by the mailbox harness
 * and both model harnesses (scripts/build-qemu-fuzz.sh copies it into
 * QEMU's tree with vfnic_fuzz.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later OR BSD-3-Clause
 */
#ifndef FUZZ_INPUT_H
#define FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>

typedef struct FuzzInput {
    const uint8_t *p;
    size_t n;
} FuzzInput;

static inline unsigned fuzz_take8(FuzzInput *in)
{
    if (!in->n) {
        return 0;
    }
    in->n--;
    return *in->p++;
}

static inline unsigned fuzz_take16(FuzzInput *in)
{
    unsigned lo = fuzz_take8(in);

    return lo | fuzz_take8(in) << 8;
}

static inline uint32_t fuzz_take32(FuzzInput *in)
{
    uint32_t lo = fuzz_take16(in);

    return lo | (uint32_t)fuzz_take16(in) << 16;
}

#endif
