/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Text: a piece of a caller's buffer (a sysfs store's), not
 * NUL-terminated, and the strict number parsers every numa parser uses.
 * Strict means what a script would write and nothing else: no sign, no
 * spaces, no base prefix for decimal, and a value that overflows is
 * refused, not wrapped.
 */
#ifndef MOS_NUMA_TEXT_SCAN_H
#define MOS_NUMA_TEXT_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include <mos/result.h>

namespace mos::numa {

struct Text {
	const char *data = nullptr;
	size_t len = 0;

	bool empty() const { return len == 0; }

	bool equals(const char *word) const
	{
		size_t i = 0;
		for (; i < len && word[i]; i++) {
			if (data[i] != word[i])
				return false;
		}
		return i == len && !word[i];
	}

	/* Splits at the first `sep`: false (and nothing written) if none. */
	bool split(char sep, Text *head, Text *tail) const
	{
		for (size_t i = 0; i < len; i++) {
			if (data[i] == sep) {
				*head = {data, i};
				*tail = {data + i + 1, len - i - 1};
				return true;
			}
		}
		return false;
	}
};

/* What `echo` appends, once: "0-3\n" is "0-3", "0-3\n\n" is not. */
inline Text strip_newline(Text t)
{
	if (t.len && t.data[t.len - 1] == '\n')
		t.len--;
	return t;
}

/* Fields separated by runs of blanks; the text must not start with one. */
class Fields {
public:
	explicit Fields(Text t) : rest_(t) {}

	/* The next field, or an empty Text at the end. */
	Text next()
	{
		size_t i = 0;
		while (i < rest_.len && !is_blank(rest_.data[i]))
			i++;
		Text field{rest_.data, i};
		while (i < rest_.len && is_blank(rest_.data[i]))
			i++;
		rest_ = {rest_.data + i, rest_.len - i};
		return field;
	}

	/* Peeks at the next field without taking it. */
	Text peek() const { return Fields(rest_).next(); }

	bool at_end() const { return rest_.empty(); }

private:
	static bool is_blank(char c) { return c == ' ' || c == '\t'; }

	Text rest_;
};

/* Decimal digits only, at most max. */
inline Result<uint64_t> parse_decimal(Text t, uint64_t max)
{
	uint64_t v = 0;
	if (t.empty())
		return Error(-MOS_EINVAL);
	for (size_t i = 0; i < t.len; i++) {
		char c = t.data[i];
		if (c < '0' || c > '9')
			return Error(-MOS_EINVAL);
		unsigned digit = unsigned(c - '0');
		if (digit > max || v > (max - digit) / 10)
			return Error(-MOS_EINVAL);
		v = v * 10 + digit;
	}
	return v;
}

/* "0x" (or "0X") and 1..16 hex digits. */
inline Result<uint64_t> parse_hex(Text t)
{
	uint64_t v = 0;
	if (t.len < 3 || t.data[0] != '0' || (t.data[1] != 'x' && t.data[1] != 'X'))
		return Error(-MOS_EINVAL);
	for (size_t i = 2; i < t.len; i++) {
		char c = t.data[i];
		unsigned digit;
		if (c >= '0' && c <= '9')
			digit = unsigned(c - '0');
		else if (c >= 'a' && c <= 'f')
			digit = unsigned(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			digit = unsigned(c - 'A' + 10);
		else
			return Error(-MOS_EINVAL);
		if (v >> 60)
			return Error(-MOS_EINVAL);
		v = (v << 4) | digit;
	}
	return v;
}

} // namespace mos::numa

#endif /* MOS_NUMA_TEXT_SCAN_H */
