/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The few type traits MultiOS C++ needs, in namespace mos.
 *
 * Kernel code is built with -nostdinc++, so <type_traits> does not exist
 * there. Host builds use these same definitions (not std's) so that the
 * code under host test is exactly the code that goes into the module.
 * Where the language cannot express a trait, a compiler builtin does.
 */
#ifndef MOS_TYPE_TRAITS_H
#define MOS_TYPE_TRAITS_H

namespace mos {

template <class T, T V>
struct integral_constant {
	static constexpr T value = V;
};
using true_type = integral_constant<bool, true>;
using false_type = integral_constant<bool, false>;

template <class T> struct remove_reference { using type = T; };
template <class T> struct remove_reference<T &> { using type = T; };
template <class T> struct remove_reference<T &&> { using type = T; };
template <class T> using remove_reference_t = typename remove_reference<T>::type;

template <class T> struct remove_cv { using type = T; };
template <class T> struct remove_cv<const T> { using type = T; };
template <class T> struct remove_cv<volatile T> { using type = T; };
template <class T> struct remove_cv<const volatile T> { using type = T; };
template <class T> using remove_cv_t = typename remove_cv<T>::type;
template <class T> using remove_cvref_t = remove_cv_t<remove_reference_t<T>>;

template <class A, class B> inline constexpr bool is_same_v = false;
template <class A> inline constexpr bool is_same_v<A, A> = true;

template <bool B, class T = void> struct enable_if {};
template <class T> struct enable_if<true, T> { using type = T; };
template <bool B, class T = void> using enable_if_t = typename enable_if<B, T>::type;

template <bool B, class T, class F> struct conditional { using type = T; };
template <class T, class F> struct conditional<false, T, F> { using type = F; };
template <bool B, class T, class F>
using conditional_t = typename conditional<B, T, F>::type;

template <class T> inline constexpr bool is_lvalue_reference_v = false;
template <class T> inline constexpr bool is_lvalue_reference_v<T &> = true;

template <class T> inline constexpr bool is_pointer_v = false;
template <class T> inline constexpr bool is_pointer_v<T *> = true;
template <class T> inline constexpr bool is_pointer_v<T *const> = true;

namespace detail {
template <class T> inline constexpr bool is_integral = false;
template <> inline constexpr bool is_integral<bool> = true;
template <> inline constexpr bool is_integral<char> = true;
template <> inline constexpr bool is_integral<signed char> = true;
template <> inline constexpr bool is_integral<unsigned char> = true;
template <> inline constexpr bool is_integral<short> = true;
template <> inline constexpr bool is_integral<unsigned short> = true;
template <> inline constexpr bool is_integral<int> = true;
template <> inline constexpr bool is_integral<unsigned int> = true;
template <> inline constexpr bool is_integral<long> = true;
template <> inline constexpr bool is_integral<unsigned long> = true;
template <> inline constexpr bool is_integral<long long> = true;
template <> inline constexpr bool is_integral<unsigned long long> = true;
} // namespace detail

template <class T>
inline constexpr bool is_integral_v = detail::is_integral<remove_cv_t<T>>;

template <class T>
inline constexpr bool is_signed_v = is_integral_v<T> && T(-1) < T(0);
template <class T>
inline constexpr bool is_unsigned_v = is_integral_v<T> && T(0) < T(-1);

template <class T> T &&declval() noexcept;

/* Builtins: the same ones libstdc++ and libc++ build these traits from. */
template <class T, class... Args>
inline constexpr bool is_constructible_v = __is_constructible(T, Args...);

template <class T, class... Args>
inline constexpr bool is_trivially_constructible_v =
	__is_trivially_constructible(T, Args...);

template <class T>
inline constexpr bool is_trivially_copyable_v = __is_trivially_copyable(T);

#if defined(__clang__)
template <class T>
inline constexpr bool is_trivially_destructible_v =
	__is_trivially_destructible(T);
#else
template <class T>
inline constexpr bool is_trivially_destructible_v = __has_trivial_destructor(T);
#endif

template <class T>
inline constexpr bool is_trivially_copy_constructible_v =
	is_trivially_constructible_v<T, const T &>;
template <class T>
inline constexpr bool is_trivially_move_constructible_v =
	is_trivially_constructible_v<T, T &&>;

namespace detail {
template <class To> void accept_implicitly(To) noexcept;
} // namespace detail

template <class From, class To>
inline constexpr bool is_convertible_v =
	requires { detail::accept_implicitly<To>(declval<From>()); };

} // namespace mos

#endif /* MOS_TYPE_TRAITS_H */
