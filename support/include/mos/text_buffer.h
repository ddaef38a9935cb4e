/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * TextBuffer: bounded text output for sysfs and procfs show functions.
 *
 * sysfs hands a show() callback one page; procfs a seq_file. The C++
 * formatters write into a caller-owned buffer through this class, which
 * never overruns it and remembers whether anything was cut, so a show()
 * can return -E2BIG instead of a silently truncated table. What was cut
 * stays cut: the buffer keeps the longest prefix that fits, NUL-terminated,
 * and later appends add nothing.
 */
#ifndef MOS_TEXT_BUFFER_H
#define MOS_TEXT_BUFFER_H

#include <stdarg.h>
#include <stddef.h>
#include <multios/runtime.h>

namespace mos {

class TextBuffer {
public:
	TextBuffer(char *buf, size_t size) : buf_(buf), size_(size)
	{
		if (size_)
			buf_[0] = '\0';
	}

	void append(const char *fmt, ...) __attribute__((format(printf, 2, 3)))
	{
		va_list ap;

		if (truncated_ || size_ == 0) {
			truncated_ = true;
			return;
		}
		va_start(ap, fmt);
		int n = mos_vsnprintf(buf_ + len_, size_ - len_, fmt, ap);
		va_end(ap);
		if (n < 0 || static_cast<size_t>(n) >= size_ - len_) {
			// Keep what fitted, but never report it as complete.
			truncated_ = true;
			len_ = size_ - 1;
			return;
		}
		len_ += static_cast<size_t>(n);
	}

	// A CPU or node list in the kernel's cpulist format ("0-3,8").
	template <typename Pred>
	void append_list(unsigned int count, Pred is_member)
	{
		bool first = true;
		unsigned int i = 0;

		while (i < count) {
			if (!is_member(i)) {
				i++;
				continue;
			}
			unsigned int start = i;

			while (i + 1 < count && is_member(i + 1))
				i++;
			if (start == i)
				append(first ? "%u" : ",%u", start);
			else
				append(first ? "%u-%u" : ",%u-%u", start, i);
			first = false;
			i++;
		}
	}

	// An ascending chain first, next(first), ... ending in kEnd, as a
	// list: the same text as append_list(), in time proportional to the
	// chain rather than to every id there is.
	static constexpr unsigned int kEnd = ~0u;

	template <typename Next>
	void append_chain(unsigned int first, Next next)
	{
		bool lead = true;

		for (unsigned int id = first; id != kEnd;) {
			unsigned int start = id, end = id, following;

			while ((following = next(end)) == end + 1)
				end = following;
			if (start == end)
				append(lead ? "%u" : ",%u", start);
			else
				append(lead ? "%u-%u" : ",%u-%u", start, end);
			lead = false;
			id = following;
		}
	}

	// The length to return from show(), or -E2BIG if something was cut.
	int result() const
	{
		return truncated_ ? -MOS_E2BIG : static_cast<int>(len_);
	}

	size_t length() const { return len_; }

private:
	char *buf_;
	size_t size_;
	size_t len_ = 0;
	bool truncated_ = false;
};

} // namespace mos

#endif /* MOS_TEXT_BUFFER_H */
