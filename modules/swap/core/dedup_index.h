/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * DedupIndex: which stored objects hold which page contents, so a page
 * written twice is stored once and shared with a reference count.
 *
 * A hash table from a page's 64-bit content hash (page_hash()) to
 * entries {object handle, compressed size, reference count}. The hash
 * only finds candidates: an entry is shared only after the caller's
 * equal() callback has compared the full page contents with the stored
 * object and said yes. Two different pages with the same hash are two
 * entries in one chain.
 *
 * Concurrency: no global lock. Each bucket is one word, the chain's head
 * pointer with bit 0 as its lock (BitLock, like the kernel's hlist_bl),
 * so the table costs 8 bytes a bucket and writers of different buckets
 * never meet. An entry's count and its place in the chain change only
 * under its bucket's lock, so "last reference gone" and "unlinked" are
 * one step: a lookup can never share an entry that is being freed.
 * equal() runs under the bucket lock (preemption off): it may map and
 * decompress the candidate (zsmalloc allows that in atomic context) but
 * must not sleep, allocate with Gfp::Kernel or take a slot lock.
 *
 * Allocation on the I/O path is Gfp::Atomic and never sleeps; failure
 * is -MOS_ENOMEM, and the caller stores the page unshared instead.
 */
#ifndef MOS_SWAP_DEDUP_INDEX_H
#define MOS_SWAP_DEDUP_INDEX_H

#include <stdint.h>

#include <mos/alloc.h>
#include <mos/atomic.h>
#include <mos/result.h>

namespace mos::swapdev {

/* One stored object and its sharers. Fields are the index's. */
struct DedupEntry {
	DedupEntry *next;	/* chain, under the bucket lock */
	uint64_t hash;
	uint64_t handle;	/* never changes while the entry lives */
	uint32_t size;		/* stored (compressed) bytes; never changes */
	uint32_t refs;		/* sharers, under the bucket lock */
};

/*
 * The caller's full comparison: does the object `handle` (`size` stored
 * bytes) hold exactly the page the caller is storing? Runs under a
 * bucket lock (see above).
 */
struct DedupEqual {
	bool (*fn)(void *ctx, uint64_t handle, uint32_t size);
	void *ctx;

	bool operator()(uint64_t handle, uint32_t size) const { return fn(ctx, handle, size); }
};

struct DedupStats {
	uint64_t entries;	/* distinct stored objects in the index */
	uint64_t dup_pages;	/* pages that share an object, beyond the first */
	uint64_t bytes_saved;	/* stored bytes those pages did not need */
	uint64_t index_bytes;	/* buckets plus entries */
};

class DedupIndex {
public:
	/*
	 * An index sized for a device of nr_pages pages: a power-of-two
	 * bucket count of about one bucket per four pages (chains stay
	 * short even when every page is distinct). Process context.
	 */
	static Result<OwnedPtr<DedupIndex>> create(uint64_t nr_pages, Gfp gfp);

	/* What insert() did: shared an existing entry, or added a new one. */
	struct Insert {
		DedupEntry *entry;
		bool shared;	/* true: the caller's own object is unused, free it */
	};

	/*
	 * The entry proven equal to the caller's page, with a reference
	 * taken for the caller, or nullptr. For a write that has not stored
	 * its page yet: a hit skips compression entirely.
	 */
	DedupEntry *find_get(uint64_t hash, DedupEqual equal);

	/*
	 * The caller stored its page as `handle`: either share an entry
	 * proven equal that appeared meanwhile (refs++, shared = true), or
	 * index the caller's object with one reference. -MOS_ENOMEM if the
	 * entry cannot be allocated (Gfp::Atomic); nothing changed then.
	 */
	Result<Insert> insert(uint64_t hash, uint64_t handle, uint32_t size,
			      DedupEqual equal);

	/*
	 * Drops one reference. True when it was the last: the entry is gone
	 * and the caller must free the object, whose handle it read from the
	 * entry before calling (handle and size never change).
	 */
	[[nodiscard]] bool release(DedupEntry *entry);

	/* An entry's current reference count (tests and debugging). */
	uint32_t refs(DedupEntry *entry);

	DedupStats stats() const;
	uint64_t bucket_count() const { return nbuckets_; }

	/*
	 * Walks every chain under its lock: each entry in the bucket its
	 * hash selects, refs > 0, totals equal to the statistics. Returns
	 * the number of entries, or -MOS_EINVAL (with a warning) if broken.
	 * The totals are only comparable when no one else uses the index.
	 */
	Result<uint64_t> check();

	DedupIndex(Atomic<uintptr_t> *buckets, uint64_t nbuckets);
	~DedupIndex();
	DedupIndex(const DedupIndex &) = delete;
	DedupIndex &operator=(const DedupIndex &) = delete;

private:
	Atomic<uintptr_t> &bucket(uint64_t hash) { return buckets_[hash & (nbuckets_ - 1)]; }
	DedupEntry *find_locked(Atomic<uintptr_t> &b, uint64_t hash, DedupEqual equal);
	void share_locked(DedupEntry *entry);

	Atomic<uintptr_t> *buckets_;
	uint64_t nbuckets_;
	Atomic<uint64_t> entries_;
	Atomic<uint64_t> dup_pages_;
	Atomic<uint64_t> bytes_saved_;
};

} // namespace mos::swapdev

#endif /* MOS_SWAP_DEDUP_INDEX_H */
