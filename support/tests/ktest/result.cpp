// SPDX-License-Identifier: GPL-2.0-only
/* Result and MOS_TRY: errors travel up unchanged, values come through. */
#include <mos/ktest.h>
#include <mos/result.h>
#include "ktest_cases.h"
#include <mos/enforce.h>

namespace {

mos::Result<int> parse_digit(int c)
{
	if (c < '0' || c > '9')
		return mos::Error(-MOS_EINVAL);
	return c - '0';
}

mos::Result<int> parse_two_digits(const char *s)
{
	int tens = MOS_TRY(parse_digit(s[0]));
	MOS_TRY_ASSIGN(int ones, parse_digit(s[1]));
	return tens * 10 + ones;
}

mos::Result<void> check_two_digits(const char *s, int *out)
{
	MOS_TRY_ASSIGN(*out, parse_two_digits(s));
	return {};
}

} // namespace

extern "C" void mos_kt_result_try(struct mos_test *t)
{
	auto ok = parse_two_digits("42");
	MOS_KT_ASSERT_OK(t, ok);
	MOS_KT_EXPECT_EQ(t, ok.value(), 42);

	MOS_KT_EXPECT_ERR(t, parse_two_digits("x2"), -MOS_EINVAL);
	MOS_KT_EXPECT_ERR(t, parse_two_digits("4x"), -MOS_EINVAL);

	int out = -1;
	MOS_KT_EXPECT_OK(t, check_two_digits("07", &out));
	MOS_KT_EXPECT_EQ(t, out, 7);
	MOS_KT_EXPECT_ERR(t, check_two_digits("?7", &out), -MOS_EINVAL);
	MOS_KT_EXPECT_EQ(t, out, 7);
	MOS_KT_EXPECT_EQ(t, parse_digit('x').value_or(-5), -5);
	MOS_KT_EXPECT_EQ(t, mos::to_errno(parse_digit('x')), -MOS_EINVAL);
}
