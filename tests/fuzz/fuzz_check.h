/*
 * CHECK(cond, fmt, ...): a harness invariant. A violated one prints what
 * broke and aborts, which libFuzzer reports as a crash and keeps the input.
 * Shared by the mailbox harness and the model harness.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later OR BSD-3-Clause
 */
#ifndef FUZZ_CHECK_H
#define FUZZ_CHECK_H

#include <stdio.h>
#include <stdlib.h>

#define CHECK(cond, ...) do {                                           \
    if (!(cond)) {                                                      \
        fprintf(stderr, "invariant failed: %s: ", #cond);               \
        fprintf(stderr, __VA_ARGS__);                                   \
        fprintf(stderr, "\n");                                          \
        abort();                                                        \
    }                                                                   \
} while (0)

#endif
