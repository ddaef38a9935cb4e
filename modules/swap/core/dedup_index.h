/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * DedupIndex: which stored objects hold which page contents, so a page
 * written twice is stored once and shared with a reference count.
 *
 * A hash table from a page's 64-bit content hash (page_hash(), keyed
 * per device) to entries {object handle, compressed size, reference
 * count}. The hash only finds candidates: an entry is shared only after
 * the caller's equal() callback has compared the full page contents
 * with the stored object and said yes. Two different pages with the
 * same hash are two entries in one chain.
 *
 * BOUNDED WORK PER CALL, WHATEVER THE HASHES. Every call runs under a
 * bucket lock with preemption off, equal() may decompress a candidate
 * there, and release() also runs from the swap layer's slot-free
 * notification under its spinlock. So:
 *   - find_get() and insert() call equal() at most max_compares times,
 *     and walk at most max_chain entries: no chain is longer;
 *   - insert() does not index a page when its chain is full, or when
 *     it compared max_compares candidates of the page's hash and none
 *     was equal: it returns -MOS_ENOSPC (counted in DedupStats::refused)
 *     and the caller stores the page unshared, as after -MOS_ENOMEM.
 *     So no more than max_compares entries share a hash, and a lookup
 *     that stops after max_compares compares misses nothing;
 *   - release() unlinks in O(1) through pprev (the kernel's hlist),
 *     without walking the chain.
 * A flood of equal hashes (which the per-device key makes hard, not
 * impossible: page.h) then costs sharing, never time.
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

#include "page.h"

namespace mos::swapdev {

/* One stored object and its sharers. Fields are the index's. */
struct DedupEntry {
	DedupEntry *next;	/* chain, under the bucket lock */
	/*
	 * The link that points here: &previous->next, or nullptr for the
	 * first entry, whose link is the bucket word (with its lock bit).
	 * Under the bucket lock.
	 */
	DedupEntry **pprev;
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
	uint64_t refused;	/* stored unshared: chain full or compares spent */
};

class DedupIndex {
public:
	/* equal() calls per find_get() or insert(); entries per chain. */
	static constexpr uint32_t max_compares = 4;
	static constexpr uint32_t max_chain = 32;

	/*
	 * An index sized for a device of nr_pages pages: a power-of-two
	 * bucket count of about one bucket per four pages (chains stay
	 * short even when every page is distinct). Process context. Its
	 * pages are page_size bytes, the size its device's slot table has:
	 * an object bigger than that is refused, and one index never holds
	 * pages of two sizes.
	 */
	static Result<OwnedPtr<DedupIndex>> create(uint64_t nr_pages, PageSize page_size,
						   Gfp gfp);

	/* What insert() did: shared an existing entry, or added a new one. */
	struct Insert {
		DedupEntry *entry;
		bool shared;	/* true: the caller's own object is unused, free it */
	};

	/*
	 * The entry proven equal to the caller's page, with a reference
	 * taken for the caller, or nullptr. For a write that has not stored
	 * its page yet: a hit skips compression entirely. At most
	 * max_compares equal() calls.
	 */
	DedupEntry *find_get(uint64_t hash, DedupEqual equal);

	/*
	 * The caller stored its page as `handle`: either share an entry
	 * proven equal that appeared meanwhile (refs++, shared = true), or
	 * index the caller's object with one reference. At most
	 * max_compares equal() calls. Errors, after which nothing changed
	 * and the caller keeps its object unshared:
	 *   -MOS_EINVAL  size is 0 or over the index's page size;
	 *   -MOS_ENOSPC  the chain is full, or max_compares candidates with
	 *                this hash were compared and none was equal
	 *                (counted in refused);
	 *   -MOS_ENOMEM  the entry cannot be allocated (Gfp::Atomic).
	 */
	Result<Insert> insert(uint64_t hash, uint64_t handle, uint32_t size,
			      DedupEqual equal);

	/*
	 * Drops one reference. True when it was the last: the entry is gone
	 * and the caller must free the object, whose handle it read from the
	 * entry before calling (handle and size never change). O(1): the
	 * entry is unlinked through pprev, the chain is not walked.
	 */
	[[nodiscard]] bool release(DedupEntry *entry);

	/* An entry's current reference count (tests and debugging). */
	uint32_t refs(DedupEntry *entry);

	DedupStats stats() const;
	uint64_t bucket_count() const { return nbuckets_; }
	PageSize page_size() const { return page_size_; }

	/*
	 * Walks every chain under its lock: each entry in the bucket its
	 * hash selects, refs > 0, pprev pointing at the link that points to
	 * it, at most max_chain entries and at most max_compares of one
	 * hash, totals equal to the statistics. Returns
	 * the number of entries, or -MOS_EINVAL (with a warning) if broken.
	 * The totals are only comparable when no one else uses the index.
	 */
	Result<uint64_t> check();

	DedupIndex(Atomic<uintptr_t> *buckets, uint64_t nbuckets, PageSize page_size);
	~DedupIndex();
	DedupIndex(const DedupIndex &) = delete;
	DedupIndex &operator=(const DedupIndex &) = delete;

private:
	struct Probe;

	Atomic<uintptr_t> &bucket(uint64_t hash) { return buckets_[hash & (nbuckets_ - 1)]; }
	Probe probe_locked(Atomic<uintptr_t> &b, uint64_t hash, DedupEqual equal);
	void share_locked(DedupEntry *entry);
	Result<Insert> add_locked(Atomic<uintptr_t> &b, uint64_t hash, uint64_t handle,
				  uint32_t size);
	[[nodiscard]] bool unlink_locked(Atomic<uintptr_t> &b, DedupEntry *entry);
	Result<uint64_t> check_chain_locked(uint64_t i, uint64_t *dups, uint64_t *saved);

	Atomic<uintptr_t> *buckets_;
	uint64_t nbuckets_;
	PageSize page_size_;
	Atomic<uint64_t> entries_;
	Atomic<uint64_t> dup_pages_;
	Atomic<uint64_t> bytes_saved_;
	Atomic<uint64_t> refused_;
};

} // namespace mos::swapdev

#endif /* MOS_SWAP_DEDUP_INDEX_H */
