/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * move, forward, exchange, swap, min, max: the <utility> subset kernel C++
 * uses. See type_traits.h for why these are ours and not std's.
 *
 * Call them qualified, mos::move(x): on the host, an unqualified move(x)
 * with a std:: argument also finds std::move by argument-dependent lookup,
 * and the call is ambiguous.
 */
#ifndef MOS_UTILITY_H
#define MOS_UTILITY_H

#include <mos/type_traits.h>

namespace mos {

template <class T>
constexpr remove_reference_t<T> &&move(T &&v) noexcept
{
	return static_cast<remove_reference_t<T> &&>(v);
}

template <class T>
constexpr T &&forward(remove_reference_t<T> &v) noexcept
{
	return static_cast<T &&>(v);
}

template <class T>
constexpr T &&forward(remove_reference_t<T> &&v) noexcept
{
	static_assert(!is_lvalue_reference_v<T>, "forwarding an rvalue as an lvalue");
	return static_cast<T &&>(v);
}

template <class T, class U = T>
constexpr T exchange(T &obj, U &&replacement) noexcept
{
	T old = mos::move(obj);
	obj = mos::forward<U>(replacement);
	return old;
}

template <class T>
constexpr void swap(T &a, T &b) noexcept
{
	T tmp = mos::move(a);
	a = mos::move(b);
	b = mos::move(tmp);
}

template <class T>
constexpr const T &min(const T &a, const T &b) noexcept
{
	return b < a ? b : a;
}

template <class T>
constexpr const T &max(const T &a, const T &b) noexcept
{
	return a < b ? b : a;
}

} // namespace mos

#endif /* MOS_UTILITY_H */
