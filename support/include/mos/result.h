/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Result<T>: a T, or a negative kernel errno (-MOS_ENOMEM, ...).
 *
 * The C++ form of the kernel's "return value or -errno" convention, in the
 * manner of Rust-for-Linux's Result and SerenityOS's ErrorOr. It is
 * [[nodiscard]], so an ignored failure is a compile error under -Werror.
 * MOS_TRY keeps the happy path straight:
 *
 *	Result<Pool *> make_pool(Gfp gfp)
 *	{
 *		MOS_TRY_ASSIGN(auto buf, make_owned<Buffer>(gfp));
 *		MOS_TRY(buf->fill());
 *		return buf.release();
 *	}
 *
 * For trivially copyable T (Result<int>, Result<Foo *>) Result is itself
 * trivially copyable, so it comes back in registers like a plain int.
 * Misuse (value() of an error, error() of a value) is a bug, reported with
 * the caller's file and line.
 */
#ifndef MOS_RESULT_H
#define MOS_RESULT_H

#include <multios/runtime.h>
#include <mos/bug.h>
#include <mos/new.h>
#include <mos/utility.h>

namespace mos {

/* Largest errno value the kernel's IS_ERR_VALUE() accepts. */
inline constexpr int max_errno = 4095;

/* A negative errno. Built explicitly, so `return Error(-MOS_EINVAL);` reads. */
class Error {
public:
	constexpr explicit Error(int negative_errno) : code_(negative_errno)
	{
		if (negative_errno >= 0 || negative_errno < -max_errno) {
			MOS_WARN_REPORT(__builtin_FILE(), __builtin_LINE(),
					"mos::Error needs a negative errno");
			code_ = -MOS_EINVAL;
		}
	}

	constexpr int code() const { return code_; }

private:
	int code_;
};

template <class T>
class [[nodiscard]] Result {
	/* Then every special member is the defaulted, trivial one. */
	static constexpr bool trivial = is_trivially_copyable_v<T>;

public:
	using value_type = T;

	template <class U = T>
		requires(is_constructible_v<T, U &&> &&
			 !is_same_v<remove_cvref_t<U>, Result> &&
			 !is_same_v<remove_cvref_t<U>, Error>)
	Result(U &&value) : error_(0)
	{
		new (&value_) T(mos::forward<U>(value));
	}

	Result(Error error) : error_(error.code()) {}

	Result(const Result &) requires trivial = default;
	Result(const Result &other) requires(!trivial) : error_(other.error_)
	{
		if (!error_)
			new (&value_) T(other.value_);
	}

	Result(Result &&) requires trivial = default;
	Result(Result &&other) requires(!trivial) : error_(other.error_)
	{
		if (!error_)
			new (&value_) T(mos::move(other.value_));
	}

	/* Assigning over a Result is rare; rebuild it in place. */
	Result &operator=(const Result &) requires trivial = default;
	Result &operator=(const Result &other) requires(!trivial)
	{
		return *this = Result(other);
	}

	Result &operator=(Result &&) requires trivial = default;
	Result &operator=(Result &&other) requires(!trivial)
	{
		if (this != &other) {
			this->~Result();
			new (this) Result(mos::move(other));
		}
		return *this;
	}

	~Result() requires trivial = default;
	~Result() requires(!trivial)
	{
		if (!error_)
			value_.~T();
	}

	bool is_ok() const { return error_ == 0; }
	bool is_error() const { return error_ != 0; }

	/* The negative errno. Asking a successful Result for it is a bug. */
	int error(const char *file = __builtin_FILE(),
		  int line = __builtin_LINE()) const
	{
		if (MOS_UNLIKELY(!error_))
			::mos::bug(file, line, "Result::error() on a value");
		return error_;
	}

	T &value(const char *file = __builtin_FILE(), int line = __builtin_LINE())
	{
		check_value(file, line);
		return value_;
	}

	const T &value(const char *file = __builtin_FILE(),
		       int line = __builtin_LINE()) const
	{
		check_value(file, line);
		return value_;
	}

	/* Moves the value out; what MOS_TRY and MOS_TRY_ASSIGN use. */
	T release_value(const char *file = __builtin_FILE(),
			int line = __builtin_LINE())
	{
		check_value(file, line);
		return mos::move(value_);
	}

	T value_or(T fallback) { return error_ ? mos::move(fallback) : mos::move(value_); }

private:
	void check_value(const char *file, int line) const
	{
		if (MOS_UNLIKELY(error_))
			::mos::bug(file, line, "Result::value() on an error");
	}

	union {
		T value_;
	};
	int error_;
};

template <>
class [[nodiscard]] Result<void> {
public:
	using value_type = void;

	Result() : error_(0) {}
	Result(Error error) : error_(error.code()) {}

	bool is_ok() const { return error_ == 0; }
	bool is_error() const { return error_ != 0; }

	int error(const char *file = __builtin_FILE(),
		  int line = __builtin_LINE()) const
	{
		if (MOS_UNLIKELY(!error_))
			::mos::bug(file, line, "Result::error() on success");
		return error_;
	}

	void release_value() const {}

private:
	int error_;
};

/*
 * The errno of a Result that is an error, or 0: for handing a Result back
 * to kernel C as an int.
 */
template <class T>
inline int to_errno(const Result<T> &result)
{
	return result.is_ok() ? 0 : result.error();
}

} // namespace mos

#define MOS_CONCAT_(a, b) a##b
#define MOS_CONCAT(a, b) MOS_CONCAT_(a, b)

/*
 * Evaluates a Result expression; on error returns it from the enclosing
 * function (which must return some Result<U>), otherwise yields the value.
 */
#define MOS_TRY(expr)                                                     \
	({                                                                \
		auto &&mos_try_ = (expr);                                 \
		if (MOS_UNLIKELY(mos_try_.is_error()))                    \
			return ::mos::Error(mos_try_.error());            \
		static_cast<decltype(mos_try_) &&>(mos_try_).release_value(); \
	})

/*
 * MOS_TRY_ASSIGN(auto p, make_owned<Foo>(gfp)) declares p; with a plain
 * name it assigns an existing variable. Returns early on error like MOS_TRY.
 */
#define MOS_TRY_ASSIGN(target, expr) \
	MOS_TRY_ASSIGN_(target, expr, MOS_CONCAT(mos_try_assign_, __COUNTER__))
#define MOS_TRY_ASSIGN_(target, expr, tmp)                                \
	auto &&tmp = (expr);                                              \
	if (MOS_UNLIKELY(tmp.is_error()))                                 \
		return ::mos::Error(tmp.error());                         \
	target = static_cast<decltype(tmp) &&>(tmp).release_value()

#endif /* MOS_RESULT_H */
