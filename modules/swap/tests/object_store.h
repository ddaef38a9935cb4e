// SPDX-License-Identifier: GPL-2.0-only
//
// The host stand-in for what the shim provides: a zsmalloc-like object
// store (handle -> stored page, thread-safe, counts live objects), the
// equal() callback that compares a page with a stored object, and the
// free ops a slot gives memory back through.
#ifndef MOS_SWAP_TEST_OBJECT_STORE_H
#define MOS_SWAP_TEST_OBJECT_STORE_H

#include <cstdint>
#include <cstring>
#include <map>
#include <mutex>
#include <stdexcept>
#include <vector>

#include <multios/swap.h>

namespace swap_test {

/* The page sizes a store may have, for tests that run at each. */
inline constexpr uint32_t kPageSizes[] = {MOS_SWAP_PAGE_SIZE_4K, MOS_SWAP_PAGE_SIZE_16K,
					  MOS_SWAP_PAGE_SIZE_64K};

/* One page of a store: zeroes, 4 KiB unless told. */
class Page : public std::vector<uint8_t> {
public:
	explicit Page(size_t size = MOS_SWAP_PAGE_SIZE_4K) : std::vector<uint8_t>(size) {}
};

/*
 * A page in words that are not all equal to their predecessor is
 * "incompressible": it is stored whole, as the shim stores a page whose
 * compressed form is not smaller (the largest object a slot records).
 */
inline bool incompressible(const Page &page)
{
	for (size_t i = 8; i < page.size(); i += 8) {
		if (!std::memcmp(&page[i], &page[i - 8], 8))
			return false;
	}
	return true;
}

class ObjectStore {
public:
	/*
	 * "Compresses" a page: an incompressible one (above) is kept whole,
	 * page.size() bytes; any other size in 100..163 stands for the rest.
	 */
	uint64_t store(const Page &page, uint32_t *size)
	{
		std::lock_guard<std::mutex> guard(lock_);
		uint64_t handle = next_++;
		objects_[handle] = page;
		*size = incompressible(page) ? uint32_t(page.size()) : 100 + page[0] % 64;
		return handle;
	}

	Page load(uint64_t handle)
	{
		std::lock_guard<std::mutex> guard(lock_);
		auto it = objects_.find(handle);
		if (it == objects_.end())
			throw std::runtime_error("load of a freed object");
		return it->second;
	}

	void free_object(uint64_t handle)
	{
		std::lock_guard<std::mutex> guard(lock_);
		if (objects_.erase(handle) != 1)
			throw std::runtime_error("double free of an object");
	}

	void free_block(uint64_t block)
	{
		std::lock_guard<std::mutex> guard(lock_);
		if (blocks_.erase(block) != 1)
			throw std::runtime_error("double free of a block");
	}

	/* The backing device: a block holding a page. */
	uint64_t write_block(const Page &page)
	{
		std::lock_guard<std::mutex> guard(lock_);
		uint64_t block = next_++;
		blocks_[block] = page;
		return block;
	}

	uint64_t alloc_block(size_t page_size = MOS_SWAP_PAGE_SIZE_4K)
	{
		return write_block(Page(page_size));
	}

	Page read_block(uint64_t block)
	{
		std::lock_guard<std::mutex> guard(lock_);
		return blocks_.at(block);
	}

	size_t live_objects()
	{
		std::lock_guard<std::mutex> guard(lock_);
		return objects_.size();
	}

	size_t live_blocks()
	{
		std::lock_guard<std::mutex> guard(lock_);
		return blocks_.size();
	}

	mos_swap_free_ops ops()
	{
		return {
			[](void *ctx, uint64_t h) { static_cast<ObjectStore *>(ctx)->free_object(h); },
			[](void *ctx, uint64_t b) { static_cast<ObjectStore *>(ctx)->free_block(b); },
			this,
		};
	}

private:
	std::mutex lock_;
	uint64_t next_ = 1;
	std::map<uint64_t, Page> objects_;
	std::map<uint64_t, Page> blocks_;
};

/* equal(): the full comparison the shim does, counted. */
struct Compare {
	ObjectStore *store;
	const Page *page;
	unsigned calls = 0;

	static bool fn(void *ctx, uint64_t handle, uint32_t)
	{
		auto *c = static_cast<Compare *>(ctx);
		c->calls++;
		return c->store->load(handle) == *c->page;
	}
};

inline Page page_of(uint64_t seed, size_t page_size = MOS_SWAP_PAGE_SIZE_4K)
{
	Page p(page_size);
	for (size_t i = 0; i < p.size(); i++)
		p[i] = uint8_t((seed * 131 + i * 7 + (i >> 5) * seed) & 0xff);
	return p;
}

/* Bytes that do not compress (xorshift64): every word differs from the last. */
inline Page random_page(uint64_t seed, size_t page_size = MOS_SWAP_PAGE_SIZE_4K)
{
	Page p(page_size);
	uint64_t x = seed * 0x9e3779b97f4a7c15ull + 1;
	for (size_t i = 0; i < p.size(); i += 8) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		std::memcpy(&p[i], &x, 8);
	}
	return p;
}

} // namespace swap_test

#endif
