// SPDX-License-Identifier: GPL-2.0-only
//
// The dedup index: hash -> at most max_compares candidates -> full
// compare -> share; chains of at most max_chain entries, O(1) unlink.

#include "dedup_index.h"

#include <mos/bug.h>

#include "bit_lock.h"
#include <mos/enforce.h>	// last include: no std::, floating point or libc below

namespace mos::swapdev {

namespace {

/* Bit 0 of a bucket's head pointer is its lock (entries are 8-aligned). */
constexpr BitLock<uintptr_t> bucket_lock{1};
static_assert(alignof(DedupEntry) >= 2);

DedupEntry *head(const Atomic<uintptr_t> &b)
{
	return reinterpret_cast<DedupEntry *>(bucket_lock.get_locked(b));
}

void set_head(Atomic<uintptr_t> &b, DedupEntry *entry)
{
	bucket_lock.set_locked(b, reinterpret_cast<uintptr_t>(entry));
}

/* Holds one bucket's lock for a scope. */
class [[nodiscard]] BucketGuard {
public:
	explicit BucketGuard(Atomic<uintptr_t> &b) : b_(b) { bucket_lock.lock(b_); }
	~BucketGuard() { bucket_lock.unlock(b_); }
	BucketGuard(const BucketGuard &) = delete;
	BucketGuard &operator=(const BucketGuard &) = delete;

private:
	Atomic<uintptr_t> &b_;
};

constexpr uint64_t min_buckets = 64;
constexpr uint64_t max_buckets = 1ull << 30;

uint64_t buckets_for(uint64_t nr_pages)
{
	uint64_t n = min_buckets;
	while (n < nr_pages / 4 && n < max_buckets)
		n <<= 1;
	return n;
}

} // namespace

Result<OwnedPtr<DedupIndex>> DedupIndex::create(uint64_t nr_pages, PageSize page_size,
						Gfp gfp)
{
	if (nr_pages == 0)
		return Error(-MOS_EINVAL);
	uint64_t n = buckets_for(nr_pages);
	Atomic<uintptr_t> *buckets = MOS_TRY(alloc_array<Atomic<uintptr_t>>(gfp, n));
	DedupIndex *index = alloc_object<DedupIndex>(gfp, buckets, n, page_size);
	if (!index) {
		free_array(buckets, n);
		return Error(-MOS_ENOMEM);
	}
	return OwnedPtr<DedupIndex>::adopt(index);
}

DedupIndex::DedupIndex(Atomic<uintptr_t> *buckets, uint64_t nbuckets, PageSize page_size)
	: buckets_(buckets), nbuckets_(nbuckets), page_size_(page_size)
{
}

/*
 * The device is reset only after every slot was freed, so the index is
 * empty here; an entry left over is a leaked reference. Free it anyway.
 */
DedupIndex::~DedupIndex()
{
	for (uint64_t i = 0; i < nbuckets_; i++) {
		DedupEntry *entry = head(buckets_[i]);
		while (entry) {
			DedupEntry *next = entry->next;
			MOS_WARN_ON(entry->refs != 0);
			free_object(entry);
			entry = next;
		}
	}
	free_array(buckets_, nbuckets_);
}

/* What one walk of a chain found. */
struct DedupIndex::Probe {
	DedupEntry *equal;	/* proven equal, or nullptr */
	uint32_t length;	/* entries walked: the whole chain, unless it stopped */
	uint32_t compares;	/* equal() calls */
};

/*
 * Compares the caller's page with at most max_compares candidates of
 * its hash, and stops at the first equal one or when the compares are
 * spent. The walk is bounded too: no chain is longer than max_chain.
 */
DedupIndex::Probe DedupIndex::probe_locked(Atomic<uintptr_t> &b, uint64_t hash,
					   DedupEqual equal)
{
	Probe p{nullptr, 0, 0};

	for (DedupEntry *entry = head(b); entry; entry = entry->next) {
		p.length++;
		if (entry->hash != hash)
			continue;
		p.compares++;
		if (equal(entry->handle, entry->size)) {
			p.equal = entry;
			break;
		}
		if (p.compares == max_compares)
			break;
	}
	return p;
}

void DedupIndex::share_locked(DedupEntry *entry)
{
	entry->refs++;
	dup_pages_.inc();
	bytes_saved_.add(entry->size);
}

/* Links a new entry first in the chain: the head's pprev is nullptr. */
Result<DedupIndex::Insert> DedupIndex::add_locked(Atomic<uintptr_t> &b, uint64_t hash,
						  uint64_t handle, uint32_t size)
{
	DedupEntry *entry = alloc_object<DedupEntry>(Gfp::Atomic);
	if (!entry)
		return Error(-MOS_ENOMEM);
	DedupEntry *first = head(b);
	*entry = DedupEntry{first, nullptr, hash, handle, size, 1};
	if (first)
		first->pprev = &entry->next;
	set_head(b, entry);
	entries_.inc();
	return Insert{entry, false};
}

/* Unlinks in O(1). False, and nothing changed, if the links disagree. */
bool DedupIndex::unlink_locked(Atomic<uintptr_t> &b, DedupEntry *entry)
{
	DedupEntry *linked = entry->pprev ? *entry->pprev : head(b);
	if (MOS_WARN_ON(linked != entry))
		return false;
	if (entry->pprev)
		*entry->pprev = entry->next;
	else
		set_head(b, entry->next);
	if (entry->next)
		entry->next->pprev = entry->pprev;
	return true;
}

DedupEntry *DedupIndex::find_get(uint64_t hash, DedupEqual equal)
{
	Atomic<uintptr_t> &b = bucket(hash);
	BucketGuard guard(b);
	DedupEntry *entry = probe_locked(b, hash, equal).equal;
	if (entry)
		share_locked(entry);
	return entry;
}

Result<DedupIndex::Insert> DedupIndex::insert(uint64_t hash, uint64_t handle,
					      uint32_t size, DedupEqual equal)
{
	if (size == 0 || size > page_size_.bytes())
		return Error(-MOS_EINVAL);
	Atomic<uintptr_t> &b = bucket(hash);
	BucketGuard guard(b);
	Probe p = probe_locked(b, hash, equal);
	if (p.equal) {
		share_locked(p.equal);
		return Insert{p.equal, true};
	}
	/* Full, or compares spent on this hash: a further entry would be past the bounds. */
	if (p.compares == max_compares || p.length >= max_chain) {
		refused_.inc();
		return Error(-MOS_ENOSPC);
	}
	return add_locked(b, hash, handle, size);
}

bool DedupIndex::release(DedupEntry *entry)
{
	Atomic<uintptr_t> &b = bucket(entry->hash);
	BucketGuard guard(b);

	if (MOS_WARN_ON(entry->refs == 0))
		return false;
	if (entry->refs > 1) {
		entry->refs--;
		dup_pages_.dec();
		bytes_saved_.sub(entry->size);
		return false;
	}
	if (!unlink_locked(b, entry))
		return false; /* not where its links say: corrupted, keep it */
	entries_.dec();
	free_object(entry);
	return true;
}

uint32_t DedupIndex::refs(DedupEntry *entry)
{
	BucketGuard guard(bucket(entry->hash));
	return entry->refs;
}

DedupStats DedupIndex::stats() const
{
	uint64_t entries = entries_.load_relaxed();
	return DedupStats{
		.entries = entries,
		.dup_pages = dup_pages_.load_relaxed(),
		.bytes_saved = bytes_saved_.load_relaxed(),
		.index_bytes = nbuckets_ * sizeof(*buckets_) + entries * sizeof(DedupEntry),
		.refused = refused_.load_relaxed(),
	};
}

/* Checks chain i (its lock held); returns its length. */
Result<uint64_t> DedupIndex::check_chain_locked(uint64_t i, uint64_t *dups, uint64_t *saved)
{
	DedupEntry **link = nullptr;	/* the link to the entry: the bucket word first */
	uint64_t length = 0;

	for (DedupEntry *e = head(buckets_[i]); e; link = &e->next, e = e->next) {
		uint32_t same_hash = 0;
		for (DedupEntry *f = e; f; f = f->next)
			same_hash += f->hash == e->hash;
		if (MOS_WARN_ON((e->hash & (nbuckets_ - 1)) != i) ||
		    MOS_WARN_ON(e->refs == 0) || MOS_WARN_ON(e->pprev != link) ||
		    MOS_WARN_ON(++length > max_chain) || MOS_WARN_ON(same_hash > max_compares))
			return Error(-MOS_EINVAL);
		*dups += e->refs - 1;
		*saved += uint64_t(e->refs - 1) * e->size;
	}
	return length;
}

Result<uint64_t> DedupIndex::check()
{
	uint64_t entries = 0, dups = 0, saved = 0;

	for (uint64_t i = 0; i < nbuckets_; i++) {
		BucketGuard guard(buckets_[i]);
		entries += MOS_TRY(check_chain_locked(i, &dups, &saved));
	}
	if (MOS_WARN_ON(entries != entries_.load_relaxed()) ||
	    MOS_WARN_ON(dups != dup_pages_.load_relaxed()) ||
	    MOS_WARN_ON(saved != bytes_saved_.load_relaxed()))
		return Error(-MOS_EINVAL);
	return entries;
}

} // namespace mos::swapdev
