// SPDX-License-Identifier: GPL-2.0-only
/*
 * TextBuffer against a reference built with snprintf: whatever the
 * buffer size, it never writes past it, keeps exactly the prefix that
 * fits, NUL-terminated, and reports -E2BIG whenever something was cut.
 */
#include <gtest/gtest.h>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include <mos/text_buffer.h>

#include "test_support.h"

namespace {

using mos::TextBuffer;

constexpr size_t kCanary = 32;
constexpr char kCanaryByte = char(0xa5);

/* The kernel's cpulist format, written independently of append_list(). */
std::string reference_list(const std::vector<bool> &member)
{
	std::string s;
	char item[64];
	for (size_t i = 0; i < member.size();) {
		if (!member[i]) {
			i++;
			continue;
		}
		size_t end = i;
		while (end + 1 < member.size() && member[end + 1])
			end++;
		if (end == i)
			snprintf(item, sizeof(item), "%s%zu", s.empty() ? "" : ",", i);
		else
			snprintf(item, sizeof(item), "%s%zu-%zu", s.empty() ? "" : ",", i, end);
		s += item;
		i = end + 1;
	}
	return s;
}

/* One append to both the TextBuffer and the reference. */
void random_append(std::mt19937 &rng, TextBuffer &out, std::string &ref)
{
	char item[64];
	switch (rng() % 4) {
	case 0: {
		unsigned int v = rng() % 3 ? rng() % 100 : rng();
		out.append("%u", v);
		snprintf(item, sizeof(item), "%u", v);
		break;
	}
	case 1: {
		std::string word(rng() % 12, 'a' + char(rng() % 26));
		out.append("%s", word.c_str());
		snprintf(item, sizeof(item), "%s", word.c_str());
		break;
	}
	case 2: {
		int v = -int(rng() % 100000);
		out.append(" %d:%x\n", v, unsigned(v));
		snprintf(item, sizeof(item), " %d:%x\n", v, unsigned(v));
		break;
	}
	default: {
		std::vector<bool> member(rng() % 40);
		for (size_t i = 0; i < member.size(); i++)
			member[i] = rng() % 3 != 0;
		out.append_list(unsigned(member.size()),
				[&](unsigned int i) { return bool(member[i]); });
		ref += reference_list(member);
		return;
	}
	}
	ref += item;
}

TEST(TextBuffer, NeverWritesPastItsSize)
{
	std::mt19937 rng(20240917);
	for (int round = 0; round < 5000; round++) {
		size_t size = rng() % 48;
		std::vector<char> storage(size + kCanary, kCanaryByte);
		TextBuffer out(storage.data(), size);
		std::string ref;
		int appends = 1 + int(rng() % 6);
		for (int i = 0; i < appends; i++)
			random_append(rng, out, ref);

		SCOPED_TRACE(testing::Message() << "round " << round << ", size " << size
						<< ", reference \"" << ref << "\"");
		for (size_t i = size; i < storage.size(); i++)
			ASSERT_EQ(storage[i], kCanaryByte) << "wrote byte " << i;
		if (size == 0) {
			if (!ref.empty()) {
				EXPECT_EQ(out.result(), -MOS_E2BIG);
			}
			continue;
		}
		if (ref.size() < size) {
			EXPECT_EQ(out.result(), int(ref.size()));
			EXPECT_EQ(out.length(), ref.size());
			EXPECT_STREQ(storage.data(), ref.c_str());
		} else {
			EXPECT_EQ(out.result(), -MOS_E2BIG);
			EXPECT_EQ(out.length(), size - 1);
			EXPECT_EQ(storage[size - 1], '\0');
			EXPECT_EQ(std::string(storage.data()), ref.substr(0, size - 1));
		}
	}
}

/* Once cut, the text stays cut: a later short append does not extend it. */
TEST(TextBuffer, StaysTruncated)
{
	char buf[8];
	TextBuffer out(buf, sizeof(buf));
	out.append("%s", "0123456789");
	EXPECT_EQ(out.result(), -MOS_E2BIG);
	out.append("%s", "");
	out.append("x");
	EXPECT_EQ(out.result(), -MOS_E2BIG);
	EXPECT_STREQ(buf, "0123456");
}

TEST(TextBuffer, ExactFitIsComplete)
{
	char buf[4];
	TextBuffer out(buf, sizeof(buf));
	out.append("abc");
	EXPECT_EQ(out.result(), 3);
	out.append("%s", "");
	EXPECT_EQ(out.result(), 3);
	out.append("d");
	EXPECT_EQ(out.result(), -MOS_E2BIG);
	EXPECT_STREQ(buf, "abc");
}

} // namespace
