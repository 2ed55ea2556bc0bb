/*
 * The model harness's invariants (fuzz_invariants.c): fuzz_model.c wraps
 * every device entry in entry_begin() and entry_end() and calls the rest
 * where its command needs them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef FUZZ_MODEL_FUZZ_INVARIANTS_H
#define FUZZ_MODEL_FUZZ_INVARIANTS_H

#include "vfnic.h"

/* fake_sender of a frame from the wire */
#define SENDER_UPLINK   (-2)

/* @s as created and reset: the golden state a system reset must restore */
void invariants_init(VfnicState *s);

/*
 * @sender: the function whose MMIO this is (its frames to the wire are
 * checked against its MAC), SENDER_UPLINK, or -1 (anyone). @all: check
 * every function, not only those that exist; after an entry that may
 * change which exist (config writes, resets) and at the end of an input.
 */
void entry_begin(int sender);
void entry_end(bool all);
void check_state(bool all);

/* fake_uplink_check: every frame the model sends onto the wire */
bool uplink_check(const uint8_t *buf, size_t len);

/* Around a clock step: tx_frames() before it, the timers that fired */
uint64_t tx_frames(void);
void check_shaper(uint64_t frames_before, unsigned fired);

/* After the PF's reset handler, with the uplink's link as it was */
void check_sys_reset(bool link_down);

#endif
