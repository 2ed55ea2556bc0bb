/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-3-Clause) */
/*
 * Fixed-width types for the mailbox code, wherever it is compiled.
 *
 * The same mailbox sources go into the PF kernel module, the DPDK PMD and
 * the userspace tests. The kernel has no libc, so everything the mailbox
 * uses (u8..u64, bool, size_t, memcpy/memset, offsetof) comes from here:
 * the kernel's own headers under __KERNEL__, the C library otherwise.
 */
#ifndef VFNIC_MBX_TYPES_H
#define VFNIC_MBX_TYPES_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/stddef.h>
#include <linux/string.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/*
 * An environment that already has the kernel's short names (a DPDK base
 * driver's osdep.h, say) defines VFNIC_MBX_HAVE_KTYPES before including us.
 */
#ifndef VFNIC_MBX_HAVE_KTYPES
#define VFNIC_MBX_HAVE_KTYPES
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
#endif
#endif /* __KERNEL__ */

/*
 * The wire format is little-endian and the wire structs use native types,
 * as virtchnl does; refuse to build where that would be wrong rather than
 * byte-swap every field in every user.
 */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "vfnic mailbox: wire structs assume a little-endian CPU"
#endif

/*
 * Compile-time check usable in C99 -pedantic, C++, and the kernel: a
 * constant division by zero is an error wherever the condition is false.
 */
#define VFNIC_MBX_BUILD_CHECK(name, cond) \
	enum { vfnic_mbx_check_##name = 1 / (int)(!!(cond)) }

#endif /* VFNIC_MBX_TYPES_H */
