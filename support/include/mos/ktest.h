/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A test vocabulary for bodies that run both under KUnit in the kernel
 * and under GoogleTest on the host. A body is a plain function
 *
 *	extern "C" void mos_kt_foo(struct mos_test *t);
 *
 * that reports through mos_test_fail(): the kernel shim turns that into
 * KUNIT_FAIL, the host adapter into a GoogleTest failure at the same file
 * and line. EXPECT records and goes on; ASSERT records and returns from
 * the body (so bodies return void).
 */
#ifndef MOS_KTEST_H
#define MOS_KTEST_H

#include <stddef.h>
#include <stdint.h>
#include <multios/runtime.h>
#include <mos/type_traits.h>

#define MOS_KT_LIKELY(x) __builtin_expect(!!(x), 1)

namespace mos::kt {

/* Integers, enums, bools, strings and pointers, in the mos_log() subset. */
template <class T>
inline void format_value(char *buf, size_t size, const T &v)
{
	if constexpr (is_same_v<T, const char *> || is_same_v<T, char *>)
		mos_snprintf(buf, size, "\"%s\"", v ? v : "(null)");
	else if constexpr (is_pointer_v<T> || is_same_v<T, decltype(nullptr)>)
		mos_snprintf(buf, size, "ptr %llu", (unsigned long long)(uintptr_t)v);
	else if constexpr (is_signed_v<T> || __is_enum(T))
		mos_snprintf(buf, size, "%lld", (long long)v);
	else
		mos_snprintf(buf, size, "%llu", (unsigned long long)v);
}

template <class A, class B>
inline bool report_compare(struct mos_test *t, const char *file, int line,
			   const char *what, bool ok, const A &a, const B &b)
{
	if (MOS_KT_LIKELY(ok))
		return true;
	char left[64], right[64], msg[256];
	format_value(left, sizeof(left), a);
	format_value(right, sizeof(right), b);
	mos_snprintf(msg, sizeof(msg), "%s (%s vs %s)", what, left, right);
	mos_test_fail(t, file, line, msg);
	return false;
}

inline bool report(struct mos_test *t, const char *file, int line,
		   const char *what, bool ok)
{
	if (!ok)
		mos_test_fail(t, file, line, what);
	return ok;
}

} // namespace mos::kt

#define MOS_KT_CHECK_(t, cond, what) \
	::mos::kt::report((t), __FILE__, __LINE__, what, !!(cond))
#define MOS_KT_CMP_(t, a, op, b)                                               \
	({                                                                     \
		const auto mos_kt_a_ = (a);                                    \
		const auto mos_kt_b_ = (b);                                    \
		::mos::kt::report_compare((t), __FILE__, __LINE__,             \
					  #a " " #op " " #b,                   \
					  mos_kt_a_ op mos_kt_b_, mos_kt_a_,   \
					  mos_kt_b_);                          \
	})

#define MOS_KT_EXPECT(t, cond) ((void)MOS_KT_CHECK_(t, cond, "EXPECT(" #cond ")"))
#define MOS_KT_EXPECT_TRUE(t, cond) MOS_KT_EXPECT(t, cond)
#define MOS_KT_EXPECT_FALSE(t, cond) \
	((void)MOS_KT_CHECK_(t, !(cond), "EXPECT_FALSE(" #cond ")"))
#define MOS_KT_EXPECT_EQ(t, a, b) ((void)MOS_KT_CMP_(t, a, ==, b))
#define MOS_KT_EXPECT_NE(t, a, b) ((void)MOS_KT_CMP_(t, a, !=, b))
#define MOS_KT_EXPECT_LT(t, a, b) ((void)MOS_KT_CMP_(t, a, <, b))
#define MOS_KT_EXPECT_LE(t, a, b) ((void)MOS_KT_CMP_(t, a, <=, b))
#define MOS_KT_EXPECT_GT(t, a, b) ((void)MOS_KT_CMP_(t, a, >, b))
#define MOS_KT_EXPECT_GE(t, a, b) ((void)MOS_KT_CMP_(t, a, >=, b))
/* A Result that succeeded / that failed with exactly this negative errno. */
#define MOS_KT_EXPECT_OK(t, result) \
	((void)MOS_KT_CHECK_(t, (result).is_ok(), "EXPECT_OK(" #result ")"))
#define MOS_KT_EXPECT_ERR(t, result, err)                                       \
	do {                                                                   \
		const auto &mos_kt_r_ = (result);                              \
		if (MOS_KT_CHECK_(t, mos_kt_r_.is_error(),                     \
				  "EXPECT_ERR(" #result ") got a value"))      \
			MOS_KT_EXPECT_EQ(t, mos_kt_r_.error(), err);            \
	} while (0)

#define MOS_KT_ASSERT(t, cond)                                         \
	do {                                                           \
		if (!MOS_KT_CHECK_(t, cond, "ASSERT(" #cond ")"))      \
			return;                                        \
	} while (0)
#define MOS_KT_ASSERT_TRUE(t, cond) MOS_KT_ASSERT(t, cond)
#define MOS_KT_ASSERT_FALSE(t, cond)                                       \
	do {                                                               \
		if (!MOS_KT_CHECK_(t, !(cond), "ASSERT_FALSE(" #cond ")")) \
			return;                                            \
	} while (0)
#define MOS_KT_ASSERT_CMP_(t, a, op, b)           \
	do {                                      \
		if (!MOS_KT_CMP_(t, a, op, b))    \
			return;                   \
	} while (0)
#define MOS_KT_ASSERT_EQ(t, a, b) MOS_KT_ASSERT_CMP_(t, a, ==, b)
#define MOS_KT_ASSERT_NE(t, a, b) MOS_KT_ASSERT_CMP_(t, a, !=, b)
#define MOS_KT_ASSERT_LT(t, a, b) MOS_KT_ASSERT_CMP_(t, a, <, b)
#define MOS_KT_ASSERT_LE(t, a, b) MOS_KT_ASSERT_CMP_(t, a, <=, b)
#define MOS_KT_ASSERT_GT(t, a, b) MOS_KT_ASSERT_CMP_(t, a, >, b)
#define MOS_KT_ASSERT_GE(t, a, b) MOS_KT_ASSERT_CMP_(t, a, >=, b)
#define MOS_KT_ASSERT_OK(t, result) \
	MOS_KT_ASSERT(t, (result).is_ok())

#endif /* MOS_KTEST_H */
