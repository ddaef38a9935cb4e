/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Allocation with explicit context, checked at every call site.
 *
 * There is no global operator new: every object comes from mos_alloc()
 * with a Gfp that says whether the caller may sleep, and every failure is
 * a null pointer or -MOS_ENOMEM that the caller must handle (Result is
 * [[nodiscard]]). Objects are constructed with placement new and
 * destroyed with free_object(); OwnedPtr and OwnedArray do that for you.
 *
 * Alignment: mos_alloc() is kmalloc(), which guarantees 8 bytes, and
 * natural alignment for power-of-two sizes. An over-aligned T (for
 * example CacheAligned<U>) is therefore allocated with its size rounded
 * up to a power of two, and the result is checked.
 */
#ifndef MOS_ALLOC_H
#define MOS_ALLOC_H

#include <stddef.h>
#include <stdint.h>
#include <multios/runtime.h>
#include <mos/bug.h>
#include <mos/cache.h>
#include <mos/new.h>
#include <mos/result.h>
#include <mos/utility.h>

namespace mos {

enum class Gfp : mos_gfp_t {
	Kernel = MOS_GFP_KERNEL, /* may sleep: process context only */
	Atomic = MOS_GFP_ATOMIC, /* never sleeps: under spinlocks, in IRQs */
	Zero = MOS_GFP_ZERO,	 /* modifier: zero the memory */
};

constexpr Gfp operator|(Gfp a, Gfp b)
{
	return Gfp(mos_gfp_t(a) | mos_gfp_t(b));
}

constexpr mos_gfp_t to_raw(Gfp gfp)
{
	return mos_gfp_t(gfp);
}

/* What kmalloc() guarantees for any size. */
inline constexpr size_t alloc_min_align = 8;

namespace detail {

constexpr uint64_t round_up_pow2(uint64_t n)
{
	uint64_t p = 1;
	while (p < n && p != 0)
		p <<= 1;
	return p; /* 0 on overflow */
}

/* Bytes to ask for so that the block is aligned for `align`; 0 if too big. */
constexpr size_t alloc_bytes(size_t bytes, size_t align)
{
	if (align <= alloc_min_align)
		return bytes;
	return round_up_pow2(bytes < align ? align : bytes);
}

template <class T>
inline void *alloc_storage(Gfp gfp, size_t bytes)
{
	size_t want = alloc_bytes(bytes, alignof(T));
	if (want == 0)
		return nullptr;
	void *p = mos_alloc(want, to_raw(gfp));
	if (p && MOS_WARN_ON(!is_aligned(p, alignof(T)))) {
		mos_free(p);
		return nullptr;
	}
	return p;
}

} // namespace detail

/* A new T built from args, or nullptr. Release it with free_object(). */
template <class T, class... Args>
[[nodiscard]] inline T *alloc_object(Gfp gfp, Args &&...args)
{
	void *p = detail::alloc_storage<T>(gfp, sizeof(T));
	if (!p)
		return nullptr;
	return new (p) T(mos::forward<Args>(args)...);
}

/*
 * Destroys and frees an object from alloc_object(). T must be the type
 * allocated, or a base with a virtual destructor at offset 0.
 */
template <class T>
inline void free_object(T *object)
{
	if (!object)
		return;
	object->~T();
	mos_free(object);
}

/* Sole owner of an object from alloc_object(); frees it when it goes. */
template <class T>
class OwnedPtr {
public:
	constexpr OwnedPtr() = default;
	constexpr OwnedPtr(decltype(nullptr)) {}

	/* Takes ownership of an object from alloc_object(). */
	static OwnedPtr adopt(T *object) { return OwnedPtr(object); }

	OwnedPtr(const OwnedPtr &) = delete;
	OwnedPtr &operator=(const OwnedPtr &) = delete;

	OwnedPtr(OwnedPtr &&other) : ptr_(other.leak()) {}

	template <class U>
		requires is_convertible_v<U *, T *>
	OwnedPtr(OwnedPtr<U> &&other) : ptr_(other.leak())
	{
	}

	OwnedPtr &operator=(OwnedPtr &&other)
	{
		if (this != &other)
			reset(other.leak());
		return *this;
	}

	~OwnedPtr() { free_object(ptr_); }

	T *get() const { return ptr_; }
	T &operator*() const { return *ptr_; }
	T *operator->() const { return ptr_; }
	explicit operator bool() const { return ptr_ != nullptr; }

	/* Gives up ownership; the caller now frees the object. */
	[[nodiscard]] T *leak() { return mos::exchange(ptr_, nullptr); }

	void reset(T *object = nullptr) { free_object(mos::exchange(ptr_, object)); }

private:
	explicit OwnedPtr(T *object) : ptr_(object) {}

	T *ptr_ = nullptr;
};

/* make_owned<Foo>(Gfp::Kernel, args...): an OwnedPtr, or -MOS_ENOMEM. */
template <class T, class... Args>
inline Result<OwnedPtr<T>> make_owned(Gfp gfp, Args &&...args)
{
	T *object = alloc_object<T>(gfp, mos::forward<Args>(args)...);
	if (!object)
		return Error(-MOS_ENOMEM);
	return OwnedPtr<T>::adopt(object);
}

/*
 * n value-initialised T: -MOS_EOVERFLOW if n * sizeof(T) does not fit,
 * -MOS_EINVAL for n == 0, -MOS_ENOMEM if memory is short.
 * Release with free_array(p, n).
 */
template <class T>
inline Result<T *> alloc_array(Gfp gfp, size_t n)
{
	size_t bytes;
	if (n == 0)
		return Error(-MOS_EINVAL);
	if (__builtin_mul_overflow(n, sizeof(T), &bytes) ||
	    detail::alloc_bytes(bytes, alignof(T)) == 0)
		return Error(-MOS_EOVERFLOW);
	void *p = detail::alloc_storage<T>(gfp, bytes);
	if (!p)
		return Error(-MOS_ENOMEM);
	T *array = static_cast<T *>(p);
	for (size_t i = 0; i < n; i++)
		new (&array[i]) T();
	return array;
}

template <class T>
inline void free_array(T *array, size_t n)
{
	if (!array)
		return;
	for (size_t i = n; i > 0; i--)
		array[i - 1].~T();
	mos_free(array);
}

/* Sole owner of an array from alloc_array(), with its length. */
template <class T>
class OwnedArray {
public:
	constexpr OwnedArray() = default;

	static Result<OwnedArray> create(Gfp gfp, size_t n)
	{
		T *array = MOS_TRY(alloc_array<T>(gfp, n));
		return OwnedArray(array, n);
	}

	OwnedArray(const OwnedArray &) = delete;
	OwnedArray &operator=(const OwnedArray &) = delete;

	OwnedArray(OwnedArray &&other)
		: data_(mos::exchange(other.data_, nullptr)),
		  size_(mos::exchange(other.size_, 0))
	{
	}

	OwnedArray &operator=(OwnedArray &&other)
	{
		if (this != &other) {
			free_array(data_, size_);
			data_ = mos::exchange(other.data_, nullptr);
			size_ = mos::exchange(other.size_, 0);
		}
		return *this;
	}

	~OwnedArray() { free_array(data_, size_); }

	size_t size() const { return size_; }
	T *data() { return data_; }
	const T *data() const { return data_; }
	T *begin() { return data_; }
	T *end() { return data_ + size_; }
	const T *begin() const { return data_; }
	const T *end() const { return data_ + size_; }

	/* Out of bounds is memory corruption waiting to happen: stop here. */
	T &operator[](size_t i)
	{
		MOS_BUG_ON(i >= size_);
		return data_[i];
	}

	const T &operator[](size_t i) const
	{
		MOS_BUG_ON(i >= size_);
		return data_[i];
	}

private:
	OwnedArray(T *data, size_t size) : data_(data), size_(size) {}

	T *data_ = nullptr;
	size_t size_ = 0;
};

} // namespace mos

#endif /* MOS_ALLOC_H */
