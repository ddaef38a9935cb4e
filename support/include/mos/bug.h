/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * MOS_WARN_ON / MOS_BUG_ON: the kernel's WARN_ON() and BUG_ON() for C++.
 *
 * MOS_WARN_ON(cond) evaluates cond once, reports through mos_warn() with
 * the caller's file and line when it is true, and yields it, so that
 *     if (MOS_WARN_ON(n == 0)) return Error(-MOS_EINVAL);
 * reads like kernel C. Prefer it: MOS_BUG_ON stops the machine.
 *
 * A module may route its C++'s warnings elsewhere: when its Kbuild (and
 * its host build) defines MOS_WARN_HANDLER=name, every MOS_WARN_ON of
 * its objects, and every other report of the support library in them,
 * calls name(file, line, what) instead of mos_warn(), and the module
 * defines name. multios_sched does (mos_sched_warn, modules/sched/Kbuild):
 * its invariants break under run-queue locks, where a WARN() per hit
 * floods the console and panic_on_warn stops the machine; its handler
 * reports the first one and disables the class instead. Its KUnit module
 * and its host tests define the handler as a plain mos_warn(), so a
 * broken invariant still fails a test there.
 */
#ifndef MOS_BUG_H
#define MOS_BUG_H

#include <multios/runtime.h>

#define MOS_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define MOS_LIKELY(x) __builtin_expect(!!(x), 1)

#ifdef MOS_WARN_HANDLER
extern "C" void MOS_WARN_HANDLER(const char *file, int line, const char *what);
#define MOS_WARN_REPORT MOS_WARN_HANDLER
#else
#define MOS_WARN_REPORT mos_warn
#endif

#define MOS_WARN_ON(cond)                                                         \
	({                                                                        \
		bool mos_warn_on_ = !!(cond);                                     \
		if (MOS_UNLIKELY(mos_warn_on_))                                   \
			MOS_WARN_REPORT(__FILE__, __LINE__, "WARN_ON(" #cond ")"); \
		mos_warn_on_;                                                     \
	})

namespace mos {

/*
 * The C ABI's mos_bug() is not declared noreturn (see runtime.h: objtool
 * would otherwise see calls end functions). C++ calls it through here: a
 * trap right after the call tells the compiler nothing follows, and
 * objtool accepts a trap after a call whether or not it knows the callee
 * never returns (in multios_core it does, in other modules it cannot).
 * Always inlined: an out-of-line copy is itself a noreturn call that
 * objtool does not know, and every caller then "falls through to next
 * function" (seen building against Debian's headers, where GCC chose not
 * to inline it).
 */
[[noreturn]] __attribute__((always_inline)) inline void bug(const char *file, int line,
							    const char *what)
{
	mos_bug(file, line, what);
	__builtin_trap();
}

} // namespace mos

#define MOS_BUG_ON(cond)                                                      \
	do {                                                                  \
		if (MOS_UNLIKELY(cond))                                       \
			::mos::bug(__FILE__, __LINE__, "BUG_ON(" #cond ")"); \
	} while (0)

#endif /* MOS_BUG_H */
