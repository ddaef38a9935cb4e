// SPDX-License-Identifier: GPL-2.0-only
//
// The host stand-in for what the shim provides: a zsmalloc-like object
// store (handle -> stored page, thread-safe, counts live objects), the
// equal() callback that compares a page with a stored object, and the
// free ops a slot gives memory back through.
#ifndef MOS_SWAP_TEST_OBJECT_STORE_H
#define MOS_SWAP_TEST_OBJECT_STORE_H

#include <array>
#include <cstdint>
#include <cstring>
#include <map>
#include <mutex>
#include <stdexcept>

#include <multios/swap.h>

namespace swap_test {

using Page = std::array<uint8_t, MOS_SWAP_PAGE_SIZE>;

class ObjectStore {
public:
	/* "Compresses" a page: any size in 1..4096 stands for its length. */
	uint64_t store(const Page &page, uint32_t *size)
	{
		std::lock_guard<std::mutex> guard(lock_);
		uint64_t handle = next_++;
		objects_[handle] = page;
		*size = 100 + page[0] % 64;
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

	uint64_t alloc_block() { return write_block(Page{}); }

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

inline Page page_of(uint64_t seed)
{
	Page p;
	for (size_t i = 0; i < p.size(); i++)
		p[i] = uint8_t((seed * 131 + i * 7 + (i >> 5) * seed) & 0xff);
	return p;
}

} // namespace swap_test

#endif
