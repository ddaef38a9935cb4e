/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Placement new: the only form of `new` MultiOS C++ may use.
 *
 * Kernel C++ has no <new>, so the placement forms are declared here.
 * Every allocation goes through mos_alloc() with explicit flags (see
 * alloc.h); a plain `new T` would need a global operator new that the
 * module does not have, and tools/.../check_freestanding.sh rejects any
 * object that references one.
 */
#ifndef MOS_NEW_H
#define MOS_NEW_H

#ifdef MOS_HOSTED
#include <new>
#else
#include <stddef.h>

inline void *operator new(size_t, void *place) noexcept
{
	return place;
}

inline void operator delete(void *, void *) noexcept
{
}
#endif

#endif /* MOS_NEW_H */
