/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * container_of for member pointers: from an embedded node back to the
 * object that holds it, as intrusive lists and trees need.
 *
 * The offset is read out of the pointer-to-data-member itself: in the
 * Itanium C++ ABI, which all our targets (x86_64, arm64, riscv64) use,
 * it IS the member's byte offset, a ptrdiff_t. That avoids the usual
 * offsetof-on-a-fake-object tricks, which are undefined behaviour and
 * which UBSan rightly flags for polymorphic classes.
 */
#ifndef MOS_CONTAINER_OF_H
#define MOS_CONTAINER_OF_H

#include <stddef.h>

namespace mos {

template <class T, class M>
inline ptrdiff_t member_offset(M T::*member)
{
	static_assert(sizeof(member) == sizeof(ptrdiff_t),
		      "Itanium ABI data member pointer expected");
	return __builtin_bit_cast(ptrdiff_t, member);
}

template <class T, class M>
inline T *container_of(M *node, M T::*member)
{
	char *bytes = reinterpret_cast<char *>(node);
	return reinterpret_cast<T *>(bytes - member_offset(member));
}

template <class T, class M>
inline const T *container_of(const M *node, M T::*member)
{
	const char *bytes = reinterpret_cast<const char *>(node);
	return reinterpret_cast<const T *>(bytes - member_offset(member));
}

} // namespace mos

#endif /* MOS_CONTAINER_OF_H */
