// SPDX-License-Identifier: GPL-2.0-only
/*
 * The C++ runtime a MultiOS kernel module links: the few symbols GCC
 * emits references to even without exceptions and RTTI.
 *
 * - operator delete: a class with a virtual destructor gets a "deleting
 *   destructor" that calls it, even if the program never says `delete`.
 *   Objects come from mos_alloc() (alloc.h), so it is mos_free().
 * - __cxa_pure_virtual: what a vtable's pure slot points at; reaching it
 *   means a call through a half-built or half-destroyed object.
 *
 * No operator new is defined, on purpose: allocation is explicit
 * (mos/alloc.h) and a stray `new T` must fail to link.
 * The host build has libstdc++ for all of this and does not compile it.
 */
#ifndef MOS_HOSTED
#include <stddef.h>
#include <multios/runtime.h>
#include <mos/bug.h>

namespace std {
enum class align_val_t : size_t {};
} // namespace std

void operator delete(void *ptr) noexcept
{
	mos_free(ptr);
}

void operator delete(void *ptr, size_t) noexcept
{
	mos_free(ptr);
}

void operator delete(void *ptr, std::align_val_t) noexcept
{
	mos_free(ptr);
}

void operator delete(void *ptr, size_t, std::align_val_t) noexcept
{
	mos_free(ptr);
}

extern "C" void __cxa_pure_virtual(void)
{
	mos::bug(__FILE__, __LINE__, "pure virtual function called");
}
#endif
