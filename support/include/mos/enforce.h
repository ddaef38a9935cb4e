/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Include LAST in a kernel-side C++ file: from here on, what kernel C++
 * must not use is a compile error, not a review comment (like Zircon's
 * <ktl/enforce.h>).
 *
 *   std          there is no C++ standard library in the kernel; use mos::
 *   float double no FPU state in kernel code (and no soft-float library)
 *   malloc ...   allocation goes through mos/alloc.h with a Gfp
 *   printf       logging goes through mos/log.h
 *
 * GCC's poison applies to tokens written after it, not to the expansion
 * of macros defined before, so headers included earlier are unaffected.
 * Host builds (MOS_HOSTED) test with the standard library: no-op there.
 * support/tests/check_enforce.sh proves each poisoned use fails.
 */
#ifndef MOS_ENFORCE_H
#define MOS_ENFORCE_H

#ifndef MOS_HOSTED
#pragma GCC poison std
#pragma GCC poison float double
#pragma GCC poison malloc calloc realloc free
#pragma GCC poison printf sprintf snprintf
#endif

#endif /* MOS_ENFORCE_H */
