// SPDX-License-Identifier: GPL-2.0-only
/*
 * The page store of a multios_swap device: each slot, one PAGE_SIZE
 * page (4, 16 or 64 KiB: the core takes it at create), holds a
 * same-filled value, a reference to a shared (deduplicated) object, or
 * an object of its own, compressed with the device's algorithm or kept
 * whole, in zsmalloc, or a block of the backing device it was written
 * back to. The slot table and dedup index are the C++ core's
 * (Documentation/dev/swap-core.rst); this file owns zsmalloc, the
 * compressors, the checksums and writeback.
 *
 * Locking, outermost first: slot lock (a bit spinlock, preemption off),
 * this CPU's stream (local lock), a dedup bucket lock, zsmalloc's locks.
 * A write takes the stream without the slot lock to build its new
 * contents, then the slot lock alone to swap them in (store_write()).
 * Nothing here sleeps under them; the one allocation that may sleep
 * (zs_malloc's slow path) and backing device I/O run with all of them
 * dropped.
 */
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/cpuhotplug.h>
#include <linux/build_bug.h>
#include <linux/crypto.h>
#include <linux/lz4.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/random.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <linux/zsmalloc.h>

#include "swapdev.h"

const char * const mswap_algorithms[] = { "lz4", "zstd", "deflate", NULL };

int mswap_algorithm_index(const char *name)
{
	int i;

	for (i = 0; mswap_algorithms[i]; i++)
		if (!strcmp(name, mswap_algorithms[i]))
			return i;
	return -EINVAL;
}

/* ---- per-CPU compression streams ---- */

/*
 * A stream's compressed output: room for a page's worst case with each
 * algorithm at any page size (a 64 KiB page may grow to 65,824 bytes
 * with zstd, 65,809 with LZ4, less with deflate; LZ4's bound is a
 * constant, checked here). An output that does not fit fails the
 * compression anyway, and the page is stored whole: nothing overflows.
 */
#define MSWAP_COMP_BUFFER_SIZE	(2 * PAGE_SIZE)
static_assert(LZ4_COMPRESSBOUND(PAGE_SIZE) <= MSWAP_COMP_BUFFER_SIZE);

/*
 * A store's streams exist for online CPUs only, as zram's zcomp does: a
 * CPU hot-plug state (multi-instance, one instance per store) allocates
 * a CPU's compressor and buffers before the CPU comes up and frees them
 * once it is dead. The state lives exactly as long as some store does
 * (a count under streams_state_lock): the KUnit suite's stores exist
 * before module_init runs and a load can fail after them, so neither
 * init nor exit may own it.
 */
static DEFINE_MUTEX(streams_state_lock);
static int streams_state;	/* the dynamic state while streams_users > 0 */
static unsigned int streams_users;

static void stream_free(struct mswap_stream *st)
{
	if (!IS_ERR_OR_NULL(st->tfm))
		crypto_free_comp(st->tfm);
	kfree(st->buffer);
	kfree(st->page);
	st->tfm = NULL;
	st->buffer = NULL;
	st->page = NULL;
}

/*
 * Runs under the CPU hot-plug lock: the compressor's module is already
 * loaded and held by the store's own tfm (streams_alloc()), so this
 * never waits for modprobe, which takes that lock too.
 */
static int stream_prepare(unsigned int cpu, struct hlist_node *node)
{
	struct mswap_store *s = hlist_entry(node, struct mswap_store, cpu_node);
	struct mswap_stream *st = per_cpu_ptr(s->streams, cpu);
	struct crypto_comp *tfm;

	tfm = crypto_alloc_comp(mswap_algorithms[s->algorithm], 0, 0);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	st->tfm = tfm;
	st->buffer = kmalloc(MSWAP_COMP_BUFFER_SIZE, GFP_KERNEL);
	st->page = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!st->buffer || !st->page) {
		stream_free(st);
		return -ENOMEM;
	}
	return 0;
}

static int stream_dead(unsigned int cpu, struct hlist_node *node)
{
	struct mswap_store *s = hlist_entry(node, struct mswap_store, cpu_node);

	stream_free(per_cpu_ptr(s->streams, cpu));
	return 0;
}

/* The state, set up for the first user; negative errno if it cannot be. */
static int streams_state_get(void)
{
	int ret = 0;

	mutex_lock(&streams_state_lock);
	if (!streams_users) {
		ret = cpuhp_setup_state_multi(CPUHP_BP_PREPARE_DYN, "block/multios_swap:prepare",
					      stream_prepare, stream_dead);
		if (ret > 0)
			streams_state = ret;
	}
	if (ret >= 0) {
		streams_users++;
		ret = streams_state;
	}
	mutex_unlock(&streams_state_lock);
	return ret;
}

static void streams_state_put(void)
{
	mutex_lock(&streams_state_lock);
	if (!WARN_ON_ONCE(!streams_users) && !--streams_users) {
		cpuhp_remove_multi_state(streams_state);
		streams_state = 0;
	}
	mutex_unlock(&streams_state_lock);
}

static void streams_free(struct mswap_store *s)
{
	if (s->streams_online)
		cpuhp_state_remove_instance(s->streams_online, &s->cpu_node);
	if (s->streams_state)
		streams_state_put();
	if (!IS_ERR_OR_NULL(s->module_tfm))
		crypto_free_comp(s->module_tfm);
	free_percpu(s->streams);
	s->streams = NULL;
}

static int streams_alloc(struct mswap_store *s)
{
	int cpu, state, ret;

	s->streams = alloc_percpu(struct mswap_stream);
	if (!s->streams)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		local_lock_init(&per_cpu_ptr(s->streams, cpu)->lock);
	/*
	 * Load the compressor's module here, outside the hot-plug lock, and
	 * keep it loaded while the store lives (zram's zcomp_create() loads
	 * it first for the same reason): modprobe under that lock waits for
	 * a hot-plug writer that waits for us.
	 */
	s->module_tfm = crypto_alloc_comp(mswap_algorithms[s->algorithm], 0, 0);
	if (IS_ERR(s->module_tfm))
		return PTR_ERR(s->module_tfm);
	state = streams_state_get();
	if (state < 0)
		return state;
	s->streams_state = state;
	/* Prepares every online CPU's stream; undoes them all on failure. */
	ret = cpuhp_state_add_instance(state, &s->cpu_node);
	if (ret)
		return ret;
	s->streams_online = state;
	return 0;
}

static struct mswap_stream *stream_get(struct mswap_store *s)
{
	local_lock(&s->streams->lock);
	return this_cpu_ptr(s->streams);
}

static void stream_put(struct mswap_store *s)
{
	local_unlock(&s->streams->lock);
}

/* ---- objects ---- */

/* The low 32 bits of the page's dedup hash are its checksum. */
static u32 page_csum(struct mswap_store *s, const void *page)
{
	return (u32)mos_swap_page_hash(page, PAGE_SIZE, s->hash_key);
}

/* Object `handle` of `size` bytes into `page`; -EIO if it does not decode. */
static int object_load(struct mswap_store *s, struct mswap_stream *st,
		       unsigned long handle, u32 size, void *page)
{
	unsigned int dlen = PAGE_SIZE;
	void *src;
	int ret = 0;

	src = zs_map_object(s->pool, handle, ZS_MM_RO);
	if (size == PAGE_SIZE) {
		memcpy(page, src, PAGE_SIZE);
	} else {
		ret = crypto_comp_decompress(st->tfm, src, size, page, &dlen);
		if (ret || dlen != PAGE_SIZE)
			ret = -EIO;
	}
	zs_unmap_object(s->pool, handle);
	return ret;
}

static void account_object(struct mswap_store *s, u32 size, bool add)
{
	long sign = add ? 1 : -1;

	if (size == PAGE_SIZE) {
		atomic64_add(sign, &s->huge_objects);
		if (add)
			atomic64_inc(&s->huge_pages_since);
	} else {
		atomic64_add(sign, &s->comp_objects);
		atomic64_add(sign * size, &s->comp_bytes);
	}
}

struct free_ctx {
	struct mswap_store *store;
	u32 size;
};

static void free_object(void *ctx, u64 handle)
{
	struct free_ctx *c = ctx;

	zs_free(c->store->pool, handle);
	account_object(c->store, c->size, false);
}

static void free_block(void *ctx, u64 block)
{
	struct free_ctx *c = ctx;

	/* Only a store with a backing device has written-back slots. */
	if (!WARN_ON_ONCE(!c->store->backing))
		mswap_backing_free_block(c->store->backing, block);
}

/* What the core calls to free an object of `size` bytes or a block. */
static void free_ops_init(struct mos_swap_free_ops *ops, struct free_ctx *c,
			  struct mswap_store *s, u32 size)
{
	c->store = s;
	c->size = size;
	ops->free_object = free_object;
	ops->free_block = free_block;
	ops->ctx = c;
}

/* Empties slot `index`, whose lock the caller holds. */
static void slot_free_locked(struct mswap_store *s, u64 index)
{
	struct mos_swap_slot_info info;
	struct mos_swap_free_ops ops;
	struct free_ctx c;

	mos_swap_slot_get(s->slots, index, &info);
	if (info.state == MOS_SWAP_SLOT_EMPTY)
		return;
	free_ops_init(&ops, &c, s, info.size);
	mos_swap_slot_free(s->slots, index, s->dedup, &ops);
}

/* ---- the store ---- */

int mswap_store_create(const char *name, u64 nr_pages, const char *algorithm, bool dedup,
		       struct mswap_store **out)
{
	struct mswap_store *s;
	int algo = mswap_algorithm_index(algorithm);
	int i, ret;

	if (algo < 0 || !nr_pages)
		return -EINVAL;
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	s->nr_pages = nr_pages;
	s->algorithm = algo;
	for (i = 0; i < MSWAP_PARTIAL_LOCKS; i++)
		mutex_init(&s->partial_locks[i]);
	/* Secret: pages that share a hash cannot be built for it (issue 17). */
	s->hash_key = get_random_u64();
	/* Slots and dedup entries of PAGE_SIZE pages; -EINVAL if unsupported. */
	ret = mos_swap_slots_create(nr_pages, PAGE_SIZE, &s->slots);
	if (ret)
		goto fail;
	if (dedup) {
		ret = mos_swap_dedup_create(nr_pages, PAGE_SIZE, &s->dedup);
		if (ret)
			goto fail;
	}
	ret = -ENOMEM;
	s->csums = kvcalloc(nr_pages, sizeof(*s->csums), GFP_KERNEL);
	if (!s->csums)
		goto fail;
	s->pool = zs_create_pool(name);
	if (!s->pool)
		goto fail;
	s->huge_size = zs_huge_class_size(s->pool);
	ret = streams_alloc(s);
	if (ret)
		goto fail;
	*out = s;
	return 0;
fail:
	mswap_store_destroy(s);
	return ret;
}

void mswap_store_destroy(struct mswap_store *s)
{
	u64 i;

	if (s->slots) {
		for (i = 0; i < s->nr_pages; i++) {
			mswap_store_free(s, i);
			if (!(i % 4096))
				cond_resched();
		}
	}
	streams_free(s);
	if (s->pool)
		zs_destroy_pool(s->pool);
	kvfree(s->csums);
	if (s->dedup)
		mos_swap_dedup_destroy(s->dedup);
	if (s->slots)
		mos_swap_slots_destroy(s->slots);
	kfree_sensitive(s);	/* the hash key */
}

struct write_ctx {
	struct mswap_store *store;
	struct mswap_stream *stream;
	const void *page;
};

/* The dedup core's full compare: does this object hold exactly our page? */
static bool object_equal(void *ctx, u64 handle, u32 size)
{
	struct write_ctx *w = ctx;

	if (object_load(w->store, w->stream, handle, size, w->stream->page))
		return false;
	return !memcmp(w->stream->page, w->page, PAGE_SIZE);
}

static void update_used_max(struct mswap_store *s, unsigned long used)
{
	long old = atomic_long_read(&s->max_used_pages);

	do {
		if (used <= old)
			return;
	} while (!atomic_long_try_cmpxchg(&s->max_used_pages, &old, used));
}

/*
 * Compresses the page (or keeps it whole) into a new object; *handle may
 * already hold one of the right size from the slow path. Returns the
 * stored size, or a negative errno with nothing allocated.
 */
static long object_store(struct mswap_store *s, struct mswap_stream *st,
			 const void *page, unsigned long *handle, u32 *prealloc)
{
	unsigned int len = MSWAP_COMP_BUFFER_SIZE;
	unsigned long used, limit;
	const void *src = st->buffer;
	void *dst;

	if (crypto_comp_compress(st->tfm, page, PAGE_SIZE, st->buffer, &len) ||
	    len >= s->huge_size) {
		len = PAGE_SIZE;
		src = page;
	}
	if (*handle && *prealloc != len) {
		zs_free(s->pool, *handle);
		*handle = 0;
	}
	if (!*handle) {
		*handle = zs_malloc(s->pool, len, __GFP_KSWAPD_RECLAIM | __GFP_NOWARN |
				    __GFP_HIGHMEM | __GFP_MOVABLE);
		if (IS_ERR_VALUE(*handle)) {
			*handle = 0;
			*prealloc = len;
			return -EAGAIN;	/* retry outside the local lock */
		}
	}
	used = zs_get_total_pages(s->pool);
	update_used_max(s, used);
	limit = READ_ONCE(s->limit_pages);
	if (limit && used > limit) {
		zs_free(s->pool, *handle);
		*handle = 0;
		return -ENOMEM;
	}
	dst = zs_map_object(s->pool, *handle, ZS_MM_WO);
	memcpy(dst, src, len);
	zs_unmap_object(s->pool, *handle);
	account_object(s, len, true);
	return len;
}

/*
 * What a write puts into a slot, made complete before the slot is
 * touched: a pattern, an object of its own, or a dedup reference.
 */
struct new_contents {
	enum mos_swap_slot_state state;
	u64 value;		/* pattern or handle */
	u32 size;		/* STORED: stored bytes */
	struct mos_swap_dedup_entry *entry;	/* DEDUPED: our reference */
};

/* Gives back what contents_prepare() took (a write that lost its race). */
static void contents_drop(struct mswap_store *s, struct new_contents *nc)
{
	u64 handle;
	u32 size;

	switch (nc->state) {
	case MOS_SWAP_SLOT_STORED:
		zs_free(s->pool, nc->value);
		account_object(s, nc->size, false);
		break;
	case MOS_SWAP_SLOT_DEDUPED:
		/* Read before the release, which may free the entry. */
		handle = mos_swap_dedup_entry_handle(nc->entry);
		size = mos_swap_dedup_entry_size(nc->entry);
		if (mos_swap_dedup_release(s->dedup, nc->entry)) {
			zs_free(s->pool, handle);
			account_object(s, size, false);
		}
		break;
	default:
		break;
	}
}

/*
 * The new object for `page`: a share of an equal stored page, or the
 * page compressed into zsmalloc (and indexed, with dedup on). May sleep
 * (zs_malloc's slow path). Nothing is allocated on an error (-ENOMEM:
 * mem_limit or no memory).
 */
static int contents_prepare(struct mswap_store *s, const void *page, u64 hash,
			    struct new_contents *nc)
{
	struct write_ctx w = { .store = s, .page = page };
	struct mos_swap_dedup_entry *entry = NULL;
	unsigned long handle = 0;
	u32 prealloc = 0;
	long size;
	int ret;

again:
	w.stream = stream_get(s);
	if (s->dedup)
		entry = mos_swap_dedup_find_get(s->dedup, hash, object_equal, &w);
	if (entry) {
		stream_put(s);
		if (handle)	/* preallocated, then an equal page turned up */
			zs_free(s->pool, handle);
		nc->state = MOS_SWAP_SLOT_DEDUPED;
		nc->entry = entry;
		return 0;
	}
	size = object_store(s, w.stream, page, &handle, &prealloc);
	if (size == -EAGAIN) {
		stream_put(s);
		atomic64_inc(&s->writestall);
		handle = zs_malloc(s->pool, prealloc, GFP_NOIO | __GFP_HIGHMEM |
				   __GFP_MOVABLE);
		if (IS_ERR_VALUE(handle))
			return -ENOMEM;
		goto again;
	}
	if (size < 0) {
		stream_put(s);
		return size;
	}
	nc->state = MOS_SWAP_SLOT_STORED;
	nc->value = handle;
	nc->size = size;
	if (s->dedup) {
		ret = mos_swap_dedup_insert(s->dedup, hash, handle, size, object_equal, &w,
					    &entry);
		if (ret == 1) {
			/* An equal page was stored meanwhile: share it. */
			zs_free(s->pool, handle);
			account_object(s, size, false);
		}
		if (ret >= 0) {
			nc->state = MOS_SWAP_SLOT_DEDUPED;
			nc->entry = entry;
		}
	}
	stream_put(s);
	return 0;
}

/* Puts prepared contents into the empty slot `index`, under its lock. */
static int contents_commit(struct mswap_store *s, u64 index, struct new_contents *nc)
{
	switch (nc->state) {
	case MOS_SWAP_SLOT_SAME_FILLED:
		return mos_swap_slot_set_same_filled(s->slots, index, nc->value);
	case MOS_SWAP_SLOT_STORED:
		return mos_swap_slot_set_stored(s->slots, index, nc->value, nc->size);
	case MOS_SWAP_SLOT_DEDUPED:
		return mos_swap_slot_set_deduped(s->slots, index, nc->entry);
	default:
		return -EINVAL;
	}
}

/*
 * Writes `page` to slot `index`. The new contents are made complete
 * first (compressed, stored, indexed) with no slot lock held; only then,
 * under the lock, is the old contents released and the new put in. So a
 * write that fails (mem_limit, no memory) leaves the slot exactly as it
 * was, as zram_write_page() does. With `expect` (a sub-page write's
 * merge) the write happens only if the slot's generation is still
 * *expect, that is if nobody changed the page since it was read;
 * -ESTALE otherwise, with the slot unchanged.
 */
static int store_write(struct mswap_store *s, u64 index, const void *page,
		       const u32 *expect)
{
	struct new_contents nc = {};
	struct mos_swap_slot_info info;
	u64 hash = 0, pattern;
	int ret;

	if (index >= s->nr_pages)
		return -EINVAL;
	if (mos_swap_page_same_filled(page, PAGE_SIZE, &pattern)) {
		nc.state = MOS_SWAP_SLOT_SAME_FILLED;
		nc.value = pattern;
	} else {
		hash = mos_swap_page_hash(page, PAGE_SIZE, s->hash_key);
		ret = contents_prepare(s, page, hash, &nc);
		if (ret)
			return ret;
	}
	mos_swap_slot_lock(s->slots, index);
	if (expect) {
		mos_swap_slot_get(s->slots, index, &info);
		if (info.generation != *expect) {
			mos_swap_slot_unlock(s->slots, index);
			contents_drop(s, &nc);
			return -ESTALE;
		}
	}
	slot_free_locked(s, index);
	ret = contents_commit(s, index, &nc);
	/*
	 * The slot was just emptied and every object is at most a page:
	 * set_* (-EBUSY, -EINVAL) cannot fail but on a bug. If it does, the
	 * new contents go back and the write fails, the slot left empty
	 * (the old contents are gone already), never half set.
	 */
	if (WARN_ON_ONCE(ret)) {
		mos_swap_slot_unlock(s->slots, index);
		contents_drop(s, &nc);
		return -EIO;
	}
	s->csums[index] = (u32)hash;
	mos_swap_slot_unlock(s->slots, index);
	return 0;
}

/*
 * Whole-page writes and frees of a page do not queue behind its sub-page
 * writers, unless one of those has lost to them again and again: then
 * they wait on its mutex, so that it wins its next try (a sub-page
 * writer must neither spin forever nor fail its caller's I/O).
 */
static struct mutex *partial_gate(struct mswap_store *s, u64 index)
{
	unsigned int i = index % MSWAP_PARTIAL_LOCKS;

	if (likely(!atomic_read(&s->partial_starving[i])))
		return NULL;
	mutex_lock(&s->partial_locks[i]);
	return &s->partial_locks[i];
}

int mswap_store_write(struct mswap_store *s, u64 index, const void *page)
{
	struct mutex *gate = partial_gate(s, index);
	int ret;

	ret = store_write(s, index, page, NULL);
	if (gate)
		mutex_unlock(gate);
	return ret;
}

/*
 * Slot `index` was written back to `block` when its lock was dropped:
 * read the block through a page of our own (the caller's buffer may be
 * any kernel address, and a user's O_DIRECT buffer may change under us)
 * and check it is the page that was written before copying it out.
 */
static int read_block(struct mswap_store *s, u64 index, u64 block, void *page)
{
	struct page *bounce;
	void *src;
	int ret;

	bounce = alloc_page(GFP_NOIO | __GFP_NOWARN);
	if (!bounce)
		return -ENOMEM;
	ret = mswap_backing_read(s->backing, block, bounce);
	if (!ret) {
		src = kmap_local_page(bounce);
		if (page_csum(s, src) == READ_ONCE(s->csums[index]))
			memcpy(page, src, PAGE_SIZE);
		else
			ret = -EIO;
		kunmap_local(src);
	}
	__free_page(bounce);
	return ret;
}

/*
 * Decodes the object into `page` and checks it. The check runs on the
 * caller's buffer, which saves a copy on every swap-in; but a bio's page
 * may be a user's O_DIRECT buffer that another thread of theirs writes
 * while we read. So a mismatch is decided in this CPU's own buffer: if
 * the object decodes right there, it is copied out and the read succeeds
 * (the caller raced itself); only an object that is wrong is -EIO.
 */
static int object_read_checked(struct mswap_store *s, u64 index,
			       const struct mos_swap_slot_info *info, void *page)
{
	struct mswap_stream *st = stream_get(s);
	int ret;

	ret = object_load(s, st, info->value, info->size, page);
	if (!ret && page_csum(s, page) != s->csums[index]) {
		ret = object_load(s, st, info->value, info->size, st->page);
		if (!ret && page_csum(s, st->page) == s->csums[index])
			memcpy(page, st->page, PAGE_SIZE);
		else
			ret = -EIO;
	}
	stream_put(s);
	return ret;
}

/*
 * Reads slot `index` into `page`; *generation (if not NULL) gets the
 * slot's generation at the time (a sub-page write's merge).
 */
static int store_read(struct mswap_store *s, u64 index, void *page, u32 *generation)
{
	struct mos_swap_slot_info info;
	int ret = 0;

	if (index >= s->nr_pages)
		return -EINVAL;
	mos_swap_slot_lock(s->slots, index);
	mos_swap_slot_get(s->slots, index, &info);
	switch (info.state) {
	case MOS_SWAP_SLOT_EMPTY:
		memset(page, 0, PAGE_SIZE);
		break;
	case MOS_SWAP_SLOT_SAME_FILLED:
		mos_swap_page_fill(page, PAGE_SIZE, info.value);
		break;
	case MOS_SWAP_SLOT_STORED:
	case MOS_SWAP_SLOT_DEDUPED:
		/* Never hand out a page that is not the one written. */
		ret = object_read_checked(s, index, &info, page);
		break;
	case MOS_SWAP_SLOT_WRITTEN_BACK:
		break;	/* below, unlocked: the block read sleeps */
	default:
		ret = -EIO;
	}
	if (info.state != MOS_SWAP_SLOT_EMPTY)
		mos_swap_slot_mark_accessed(s->slots, index);
	mos_swap_slot_unlock(s->slots, index);
	if (generation)
		*generation = info.generation;
	/*
	 * Like zram, the block is read after the lock is dropped: the swap
	 * layer neither frees nor rewrites a slot while it reads it. A raw
	 * device's writer may; the checksum then fails (-EIO), which a
	 * sub-page write tells from a bad block by the generation.
	 */
	if (info.state == MOS_SWAP_SLOT_WRITTEN_BACK)
		ret = read_block(s, index, info.value, page);
	return ret;
}

static bool generation_moved(struct mswap_store *s, u64 index, u32 generation)
{
	struct mos_swap_slot_info info;

	mos_swap_slot_lock(s->slots, index);
	mos_swap_slot_get(s->slots, index, &info);
	mos_swap_slot_unlock(s->slots, index);
	return info.generation != generation;
}

/*
 * A read of a written-back page that fails its check because the page
 * was rewritten meanwhile (its block freed and perhaps reused) reads the
 * new contents instead of failing: the swap layer never does that, a
 * raw device's reader and writer may.
 */
int mswap_store_read(struct mswap_store *s, u64 index, void *page)
{
	u32 generation;
	int ret, tries = 0;

	do {
		ret = store_read(s, index, page, &generation);
	} while (ret == -EIO && ++tries < 3 && generation_moved(s, index, generation));
	return ret;
}

#if IS_ENABLED(CONFIG_KUNIT)
/* KUnit: runs between a sub-page write's merge and its commit. */
static void partial_test_hook(struct mswap_store *s, u64 index)
{
	if (s->partial_hook)
		s->partial_hook(s, index);
}
#else
static inline void partial_test_hook(struct mswap_store *s, u64 index) { }
#endif

/*
 * Replaces `len` bytes at `off` of slot `index`'s page with those at
 * `src_off` of `src`: the read-modify-write of a bio that starts or ends
 * inside a page (512-byte logical blocks). Reads the page and its
 * generation, merges in a buffer of our own, and writes it only if the
 * generation is unchanged; otherwise another write got in between, and
 * it starts again from that write's page. So two writers of different
 * sectors of one page never lose each other's data, and a failed write
 * leaves the page as it was. Process context (may sleep).
 */
int mswap_store_write_partial(struct mswap_store *s, u64 index, u32 off, u32 len,
			      struct page *src, u32 src_off)
{
	unsigned int lock = index % MSWAP_PARTIAL_LOCKS, tries = 0;
	u32 generation;
	void *buf;
	int ret;

	if (index >= s->nr_pages || off >= PAGE_SIZE || len > PAGE_SIZE - off)
		return -EINVAL;
	buf = kmalloc(PAGE_SIZE, GFP_NOIO);
	if (!buf)
		return -ENOMEM;
	/*
	 * Sub-page writers of one page queue here rather than race: with
	 * the generation alone, eight writers of one page's sectors redid
	 * most merges (1,440 retries for 1,600 writes in the test guest,
	 * 20 ms a write). A whole-page write does not wait for it; the
	 * generation still catches that one.
	 */
	mutex_lock(&s->partial_locks[index % MSWAP_PARTIAL_LOCKS]);
	for (;;) {
		ret = store_read(s, index, buf, &generation);
		if (ret == -EIO && generation_moved(s, index, generation))
			ret = -ESTALE;	/* a written-back page rewritten under the read */
		if (!ret) {
			memcpy_from_page(buf + off, src, src_off, len);
			partial_test_hook(s, index);
			ret = store_write(s, index, buf, &generation);
		}
		if (ret != -ESTALE)
			break;
		atomic64_inc(&s->partial_retries);
		/*
		 * Each retry means another write of the page landed, so the
		 * device as a whole progresses; this writer might not, if
		 * whole-page writes of the page never stopped. After a few
		 * losses it makes them wait for its mutex (partial_gate()),
		 * and its next try wins.
		 */
		if (++tries == MSWAP_PARTIAL_TRIES)
			atomic_inc(&s->partial_starving[lock]);
		cond_resched();
	}
	if (tries >= MSWAP_PARTIAL_TRIES)
		atomic_dec(&s->partial_starving[lock]);
	mutex_unlock(&s->partial_locks[index % MSWAP_PARTIAL_LOCKS]);
	kfree(buf);
	return ret;
}

void mswap_store_free(struct mswap_store *s, u64 index)
{
	struct mutex *gate = partial_gate(s, index);

	mos_swap_slot_lock(s->slots, index);
	slot_free_locked(s, index);
	mos_swap_slot_unlock(s->slots, index);
	if (gate)
		mutex_unlock(gate);
}

/*
 * The swap layer's notification runs under its own spinlock: never wait
 * for the slot (a busy one is counted in miss_free). Freeing a shared
 * page takes its dedup bucket's lock, whose holders compare at most four
 * pages (dedup_index.h): a short spin, never a sleep.
 */
bool mswap_store_try_free(struct mswap_store *s, u64 index)
{
	if (!mos_swap_slot_try_lock(s->slots, index))
		return false;
	slot_free_locked(s, index);
	mos_swap_slot_unlock(s->slots, index);
	return true;
}

void mswap_store_mark_idle(struct mswap_store *s)
{
	u64 i;

	for (i = 0; i < s->nr_pages; i++) {
		mos_swap_slot_lock(s->slots, i);
		mos_swap_slot_mark_idle(s->slots, i);
		mos_swap_slot_unlock(s->slots, i);
		if (!(i % 4096))
			cond_resched();
	}
}

/* ---- writeback ---- */

static bool writeback_wanted(const struct mos_swap_slot_info *info, unsigned int mode)
{
	if (info->state != MOS_SWAP_SLOT_STORED && info->state != MOS_SWAP_SLOT_DEDUPED)
		return false;
	if ((mode & MSWAP_WB_IDLE) && !info->idle)
		return false;
	if ((mode & MSWAP_WB_HUGE) && info->size != PAGE_SIZE)
		return false;
	return true;
}

/*
 * Loads slot `index` into `page` and marks it pending, if `mode` wants
 * it; takes a block into *block if it has none. 1: go on and write it;
 * 0: skip the slot; -ENOSPC: the backing device is full.
 */
static int writeback_start(struct mswap_store *s, u64 index, unsigned int mode,
			   long *block, struct page *page, u32 *generation)
{
	struct mos_swap_slot_info info;
	struct mswap_stream *st;
	void *dst;
	int ret;

	mos_swap_slot_lock(s->slots, index);
	mos_swap_slot_get(s->slots, index, &info);
	ret = 0;
	if (!writeback_wanted(&info, mode) || info.writeback_pending)
		goto out;
	*generation = info.generation;
	if (*block < 0)
		*block = mswap_backing_alloc_block(s->backing);
	if (*block < 0) {
		ret = *block;
		goto out;
	}
	dst = kmap_local_page(page);
	st = stream_get(s);
	ret = object_load(s, st, info.value, info.size, dst);
	stream_put(s);
	if (!ret && page_csum(s, dst) != s->csums[index])
		ret = -EIO;
	kunmap_local(dst);
	/* A page that does not decode stays where reads report it. */
	if (!ret && !mos_swap_slot_start_writeback(s->slots, index))
		ret = 1;
	else
		ret = 0;
out:
	mos_swap_slot_unlock(s->slots, index);
	return ret;
}

/*
 * Writes one slot's page to a block. 1: written back, the block is the
 * slot's now; 0: skipped or raced (the block, if any, is still ours);
 * negative: a full backing device or an I/O error.
 */
static int writeback_slot(struct mswap_store *s, u64 index, unsigned int mode,
			  long *block, struct page *page)
{
	struct mos_swap_free_ops ops;
	struct mos_swap_slot_info info;
	struct free_ctx c;
	u32 generation;
	int ret;

	ret = writeback_start(s, index, mode, block, page, &generation);
	if (ret <= 0)
		return ret;
	ret = mswap_backing_write(s->backing, *block, page);
	mos_swap_slot_lock(s->slots, index);
	if (ret) {
		mos_swap_slot_cancel_writeback(s->slots, index);
	} else {
		mos_swap_slot_get(s->slots, index, &info);
		free_ops_init(&ops, &c, s, info.size);
		/* -EAGAIN: freed, rewritten or read meanwhile; keep the block. */
		ret = mos_swap_slot_finish_writeback(s->slots, index, generation, *block,
						     s->dedup, &ops) ? 0 : 1;
	}
	mos_swap_slot_unlock(s->slots, index);
	if (ret == 1)
		*block = -1;
	return ret;
}

/*
 * Process context (the sysfs writer), not atomic. Moves the slots in
 * [first, first + count) that `mode` selects to the backing device,
 * one synchronous page write each; *written counts them. Stops at the
 * first I/O error, when the backing device is full (-ENOSPC), or on a
 * fatal signal (-EINTR).
 */
/*
 * zram's writeback_limit: counted in 4 KiB units whatever PAGE_SIZE is,
 * as zram's (its FOUR_K()); with the limit enabled, each page written
 * back uses PAGE_SIZE / 4096 of them, and writeback stops with -EIO once
 * fewer than that are left (zram would go on and wrap). NULL: no limit
 * (KUnit).
 */
#define MSWAP_WB_UNITS_PER_PAGE	(PAGE_SIZE >> 12)

static bool wb_limit_reached(struct mswap_wb_limit *l)
{
	bool reached;

	if (!l)
		return false;
	spin_lock(&l->lock);
	reached = l->enable && l->pages < MSWAP_WB_UNITS_PER_PAGE;
	spin_unlock(&l->lock);
	return reached;
}

static void wb_limit_use(struct mswap_wb_limit *l)
{
	if (!l)
		return;
	spin_lock(&l->lock);
	if (l->enable)
		l->pages -= min_t(u64, l->pages, MSWAP_WB_UNITS_PER_PAGE);
	spin_unlock(&l->lock);
}

int mswap_store_writeback(struct mswap_store *s, unsigned int mode, u64 first,
			  u64 count, struct mswap_wb_limit *limit, u64 *written)
{
	struct page *page;
	long block = -1;
	u64 index;
	int ret = 0;

	*written = 0;
	if (!s->backing)
		return -ENODEV;
	if (first >= s->nr_pages || count > s->nr_pages - first)
		return -EINVAL;
	page = alloc_page(GFP_KERNEL);
	if (!page)
		return -ENOMEM;
	for (index = first; index < first + count; index++) {
		if (wb_limit_reached(limit)) {
			ret = -EIO;	/* as zram */
			break;
		}
		ret = writeback_slot(s, index, mode, &block, page);
		if (ret < 0)
			break;
		if (ret)
			wb_limit_use(limit);
		*written += ret;
		ret = 0;
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		cond_resched();
	}
	if (block >= 0)
		mswap_backing_free_block(s->backing, block);
	__free_page(page);
	return ret;
}

/* Test knob: flips bytes of the object slot `index` holds. */
int mswap_store_corrupt(struct mswap_store *s, u64 index)
{
	struct mos_swap_slot_info info;
	u8 *obj;
	int ret = 0;

	if (index >= s->nr_pages)
		return -EINVAL;
	mos_swap_slot_lock(s->slots, index);
	mos_swap_slot_get(s->slots, index, &info);
	if (info.state == MOS_SWAP_SLOT_STORED || info.state == MOS_SWAP_SLOT_DEDUPED) {
		obj = zs_map_object(s->pool, info.value, ZS_MM_RW);
		obj[info.size / 2] ^= 0x5a;
		obj[info.size - 1] ^= 0xa5;
		zs_unmap_object(s->pool, info.value);
	} else {
		ret = -EINVAL;	/* no object to corrupt */
	}
	mos_swap_slot_unlock(s->slots, index);
	return ret;
}

void mswap_store_get_stats(struct mswap_store *s, struct mswap_store_stats *st)
{
	struct mos_swap_slot_stats ss;

	mos_swap_slots_get_stats(s->slots, &ss);
	st->same_pages = ss.same_pages;
	st->orig_pages = ss.same_pages + ss.stored_pages + ss.deduped_pages +
			 ss.written_back_pages;
	st->comp_objects = atomic64_read(&s->comp_objects);
	st->comp_bytes = atomic64_read(&s->comp_bytes);
	st->huge_objects = atomic64_read(&s->huge_objects);
	st->huge_pages_since = atomic64_read(&s->huge_pages_since);
	st->used_pages = zs_get_total_pages(s->pool);
	st->max_used_pages = atomic_long_read(&s->max_used_pages);
	st->writestall = atomic64_read(&s->writestall);
	st->partial_retries = atomic64_read(&s->partial_retries);
}

unsigned long mswap_store_compact(struct mswap_store *s)
{
	return zs_compact(s->pool);
}
