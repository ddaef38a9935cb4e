// SPDX-License-Identifier: GPL-2.0-only
/*
 * The backing device of a multios_swap device, as zram's backing_dev:
 * a block device opened exclusively (no swapon, no mount meanwhile),
 * cut into blocks of one page (PAGE_SIZE) handed out by a bitmap.
 * Writeback copies idle or incompressible pages to it (store.c); a read
 * of a written-back slot reads its block back.
 *
 * All block I/O here is synchronous, one page at a time, from process
 * context. A read asked for inside our own ->submit_bio (a swap-in of a
 * written-back page) must not wait there for a bio of its own: the
 * block layer only queues bios submitted under current->bio_list and
 * runs them after ->submit_bio returns, so submit_bio_wait() would wait
 * forever. Such a read is handed to a worker of our workqueue and
 * waited for (zram 6.1 does the same for partial reads).
 */
#include <linux/bio.h>
#include <linux/bitmap.h>
#include <linux/blkdev.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "swapdev.h"

#define BACKING_MODE	(FMODE_READ | FMODE_WRITE | FMODE_EXCL)

static struct workqueue_struct *backing_wq;

int mswap_backing_open(const char *path, void *holder, struct mswap_backing **out)
{
	struct mswap_backing *b;
	struct block_device *bdev;
	int ret;

	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	b->path = kstrdup(path, GFP_KERNEL);
	if (!b->path) {
		ret = -ENOMEM;
		goto free;
	}
	bdev = blkdev_get_by_path(path, BACKING_MODE, holder);
	if (IS_ERR(bdev)) {
		ret = PTR_ERR(bdev);
		goto free;
	}
	b->bdev = bdev;
	ret = -EINVAL;
	/* Our own disks: writeback would write into the slots it frees. */
	if (mswap_is_own_disk(bdev))
		goto put;
	b->nr_blocks = bdev_nr_bytes(bdev) >> PAGE_SHIFT;
	if (!b->nr_blocks)
		goto put;
	ret = -ENOMEM;
	b->bitmap = kvcalloc(BITS_TO_LONGS(b->nr_blocks), sizeof(long), GFP_KERNEL);
	if (!b->bitmap)
		goto put;
	*out = b;
	return 0;
put:
	blkdev_put(bdev, BACKING_MODE);
free:
	kfree(b->path);
	kfree(b);
	return ret;
}

/* Every block must have been freed (the store is gone). */
void mswap_backing_close(struct mswap_backing *b)
{
	WARN_ON(atomic64_read(&b->bd_count));
	blkdev_put(b->bdev, BACKING_MODE);
	kvfree(b->bitmap);
	kfree(b->path);
	kfree(b);
}

/* A free block, now taken, or -ENOSPC. Never sleeps. */
long mswap_backing_alloc_block(struct mswap_backing *b)
{
	unsigned long blk = 0;

	for (;;) {
		blk = find_next_zero_bit(b->bitmap, b->nr_blocks, blk);
		if (blk >= b->nr_blocks)
			return -ENOSPC;
		if (!test_and_set_bit(blk, b->bitmap))
			break;
	}
	atomic64_inc(&b->bd_count);
	return blk;
}

/* Under a slot lock (the core's free ops): never sleeps. */
void mswap_backing_free_block(struct mswap_backing *b, u64 blk)
{
	if (WARN_ON_ONCE(blk >= b->nr_blocks || !test_and_clear_bit(blk, b->bitmap)))
		return;
	atomic64_dec(&b->bd_count);
}

static int backing_rw(struct mswap_backing *b, u64 blk, struct page *page,
		      blk_opf_t opf)
{
	struct bio_vec bv;
	struct bio bio;
	int ret;

	bio_init(&bio, b->bdev, &bv, 1, opf);
	bio.bi_iter.bi_sector = blk << (PAGE_SHIFT - SECTOR_SHIFT);
	__bio_add_page(&bio, page, PAGE_SIZE, 0);
	ret = submit_bio_wait(&bio);
	bio_uninit(&bio);
	return ret;
}

/* Process context, not inside a ->submit_bio: the writeback writer. */
int mswap_backing_write(struct mswap_backing *b, u64 blk, struct page *page)
{
	int ret;

	might_sleep();
	ret = backing_rw(b, blk, page, REQ_OP_WRITE | REQ_SYNC);
	if (!ret)
		atomic64_inc(&b->bd_writes);
	return ret;
}

struct backing_read {
	struct work_struct work;
	struct mswap_backing *backing;
	u64 blk;
	struct page *page;
	int ret;
};

static void backing_read_work(struct work_struct *work)
{
	struct backing_read *r = container_of(work, struct backing_read, work);

	r->ret = backing_rw(r->backing, r->blk, r->page, REQ_OP_READ);
}

/* Process context; may be inside our ->submit_bio (see the top). */
int mswap_backing_read(struct mswap_backing *b, u64 blk, struct page *page)
{
	struct backing_read r = { .backing = b, .blk = blk, .page = page };

	might_sleep();
	if (!current->bio_list) {
		r.ret = backing_rw(b, blk, page, REQ_OP_READ);
	} else {
		INIT_WORK_ONSTACK(&r.work, backing_read_work);
		queue_work(backing_wq, &r.work);
		flush_work(&r.work);
		destroy_work_on_stack(&r.work);
	}
	if (!r.ret)
		atomic64_inc(&b->bd_reads);
	return r.ret;
}

/* Module init/exit. WQ_MEM_RECLAIM: swap-ins go through it under pressure. */
int mswap_backing_init(void)
{
	backing_wq = alloc_workqueue("multios_swap_bd", WQ_MEM_RECLAIM | WQ_UNBOUND, 0);
	return backing_wq ? 0 : -ENOMEM;
}

void mswap_backing_exit(void)
{
	destroy_workqueue(backing_wq);
	backing_wq = NULL;
}
