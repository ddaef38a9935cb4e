/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * multios_swap shim: what its C files share. Kernel C only.
 *
 * Two layers: a store (store.c) keeps PAGE_SIZE pages (4, 16 or 64 KiB)
 * by slot index in zsmalloc through the C++ core (slot table, dedup
 * index, page hash);
 * a device (blkdev.c, sysfs.c) is a gendisk whose bios become store
 * calls. KUnit (kunit/store_kunit.c) drives the store with no disk.
 */
#ifndef MULTIOS_SWAP_SHIM_H
#define MULTIOS_SWAP_SHIM_H

#include <linux/atomic.h>
#include <linux/blkdev.h>
#include <linux/local_lock.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include <multios/swap.h>

#define MSWAP_ALGO_MAX		16

/* The compression algorithms a device offers, in crypto API names. */
extern const char * const mswap_algorithms[];
int mswap_algorithm_index(const char *name);

/*
 * One per CPU: a compressor and its buffers, used under the local lock;
 * allocated while the CPU is online (store.c's hot-plug state).
 */
struct mswap_stream {
	local_lock_t lock;
	struct crypto_comp *tfm;
	u8 *buffer;		/* compressed output, MSWAP_COMP_BUFFER_SIZE */
	u8 *page;		/* a decompressed page, for compare */
};

/* backing.c: a device's backing block device and its blocks. */
struct mswap_backing {
	struct block_device *bdev;
	char *path;
	unsigned long *bitmap;		/* one bit per PAGE_SIZE block, set: used */
	u64 nr_blocks;
	atomic64_t bd_count;		/* blocks in use */
	atomic64_t bd_reads;		/* pages read back */
	atomic64_t bd_writes;		/* pages written back */
};

int mswap_backing_init(void);
void mswap_backing_exit(void);
int mswap_backing_open(const char *path, void *holder, struct mswap_backing **out);
void mswap_backing_close(struct mswap_backing *b);
long mswap_backing_alloc_block(struct mswap_backing *b);
void mswap_backing_free_block(struct mswap_backing *b, u64 blk);
int mswap_backing_write(struct mswap_backing *b, u64 blk, struct page *page);
int mswap_backing_read(struct mswap_backing *b, u64 blk, struct page *page);

/* What `writeback` moves: zram's idle, huge and huge_idle, or one page. */
#define MSWAP_WB_IDLE		BIT(0)
#define MSWAP_WB_HUGE		BIT(1)

/* Sub-page writes of pages with equal index modulo this queue on one mutex. */
#define MSWAP_PARTIAL_LOCKS	64
/* Losses to whole-page writes after which a sub-page writer holds them off. */
#define MSWAP_PARTIAL_TRIES	8

struct mswap_store {
	struct mos_swap_slots *slots;
	struct mos_swap_dedup *dedup;	/* NULL: dedup off */
	struct mswap_backing *backing;	/* NULL: none; the device's */
	struct zs_pool *pool;
	struct mswap_stream __percpu *streams;	/* prepared for online CPUs */
	struct hlist_node cpu_node;	/* instance of the streams' hot-plug state */
	int streams_state;		/* the state, while this store counts as a user */
	int streams_online;		/* that state once added, else 0 */
	struct crypto_comp *module_tfm;	/* holds the compressor's module */
	u32 *csums;			/* per slot: low 32 bits of the page hash */
	u64 hash_key;			/* the page hash's secret seed, per store */
	u64 nr_pages;
	size_t huge_size;		/* objects this big are stored whole */
	int algorithm;			/* index in mswap_algorithms */
	unsigned long limit_pages;	/* 0: none; READ_ONCE/WRITE_ONCE */
	atomic_long_t max_used_pages;
	atomic64_t comp_objects;	/* compressed objects and their bytes */
	atomic64_t comp_bytes;
	atomic64_t huge_objects;	/* objects stored whole */
	atomic64_t huge_pages_since;
	atomic64_t writestall;
	atomic64_t partial_retries;	/* sub-page writes redone after a race */
	struct mutex partial_locks[MSWAP_PARTIAL_LOCKS];
	/* Sub-page writers on that mutex that lost MSWAP_PARTIAL_TRIES times. */
	atomic_t partial_starving[MSWAP_PARTIAL_LOCKS];
#if IS_ENABLED(CONFIG_KUNIT)
	/* KUnit: called between a sub-page write's merge and its commit. */
	void (*partial_hook)(struct mswap_store *s, u64 index);
#endif
};

struct mswap_store_stats {
	u64 orig_pages;
	u64 same_pages;
	u64 comp_objects;
	u64 comp_bytes;
	u64 huge_objects;
	u64 huge_pages_since;
	u64 used_pages;
	u64 max_used_pages;
	u64 writestall;
	u64 partial_retries;
};

/* name: the zsmalloc pool's (debugfs/zsmalloc/<name>), one per device. */
int mswap_store_create(const char *name, u64 nr_pages, const char *algorithm, bool dedup,
		       struct mswap_store **out);
void mswap_store_destroy(struct mswap_store *s);
int mswap_store_write(struct mswap_store *s, u64 index, const void *page);
int mswap_store_read(struct mswap_store *s, u64 index, void *page);
int mswap_store_write_partial(struct mswap_store *s, u64 index, u32 off, u32 len,
			      struct page *src, u32 src_off);
void mswap_store_free(struct mswap_store *s, u64 index);
bool mswap_store_try_free(struct mswap_store *s, u64 index);
void mswap_store_mark_idle(struct mswap_store *s);
/* zram's writeback_limit(_enable): pages writeback may still write. */
struct mswap_wb_limit {
	spinlock_t lock;	/* enable and pages, together */
	bool enable;
	u64 pages;
};

int mswap_store_writeback(struct mswap_store *s, unsigned int mode, u64 first,
			  u64 count, struct mswap_wb_limit *limit, u64 *written);
int mswap_store_corrupt(struct mswap_store *s, u64 index);
void mswap_store_get_stats(struct mswap_store *s, struct mswap_store_stats *st);
unsigned long mswap_store_compact(struct mswap_store *s);

/*
 * One block device, /dev/multios_swap<id>: allocated on its own by
 * main.c's mswap_add() and freed by mswap_remove() or module exit, only
 * after del_gendisk() (no sysfs file, opener or I/O can reach it then).
 */
struct mswap_dev {
	struct gendisk *disk;
	int id;
	/* Held for writing while the store is made or torn down. */
	struct rw_semaphore init_lock;
	struct mswap_store *store;	/* NULL until disksize is set */
	struct mswap_backing *backing;	/* set only while store is NULL */
	u64 disksize;
	char algorithm[MSWAP_ALGO_MAX];
	bool dedup;
	unsigned long limit_pages;
	bool claim;			/* reset or remove under way: open fails */
	atomic64_t failed_reads;
	atomic64_t failed_writes;
	atomic64_t invalid_io;
	atomic64_t notify_free;
	atomic64_t miss_free;
	atomic64_t compacted_pages;
	struct mswap_wb_limit wb_limit;	/* kept across reset, as zram's */
};

/* main.c: module-wide defaults (/sys/kernel/multios/swap) and knobs. */
extern bool mswap_debug_knobs;
void mswap_get_defaults(char *algorithm, bool *dedup);

/* main.c: the devices by id (hot_add, hot_remove). */
int mswap_add(void);
int mswap_remove(int id);

/* sysfs.c */
extern const struct attribute_group *mswap_disk_groups[];
int mswap_module_sysfs_init(void);
void mswap_module_sysfs_exit(void);
int mswap_control_init(void);
void mswap_control_exit(void);

/* blkdev.c */
int mswap_dev_create(struct mswap_dev *d, int id, int major);
void mswap_dev_destroy(struct mswap_dev *d);
int mswap_dev_remove(struct mswap_dev *d);
int mswap_dev_init_store(struct mswap_dev *d, u64 disksize);
int mswap_dev_reset(struct mswap_dev *d);
bool mswap_is_own_disk(struct block_device *bdev);
int mswap_dev_set_backing(struct mswap_dev *d, const char *path);

#endif /* MULTIOS_SWAP_SHIM_H */
