// SPDX-License-Identifier: GPL-2.0-only
/*
 * The block device: /dev/multios_swap<id>, bio-based like zram, with
 * zram's rw_page shortcut for single pages. Reads and writes go to the
 * store a page at a time; a bio may start or end inside a page (512-byte
 * logical blocks, so that file systems with 1 KiB and 2 KiB blocks
 * work), and such a piece is a read-modify-write of its page that the
 * store makes atomic (mswap_store_write_partial). Discard and the swap
 * layer's slot-free notification empty whole slots at once.
 */
#include <linux/bio.h>
#include <linux/highmem.h>
#include <linux/module.h>
#include <linux/pagemap.h>
#include <linux/slab.h>

#include "swapdev.h"

#define SECTORS_PER_PAGE_SHIFT	(PAGE_SHIFT - SECTOR_SHIFT)
#define SECTORS_PER_PAGE	BIT(SECTORS_PER_PAGE_SHIFT)

static bool io_valid(struct mswap_dev *d, struct bio *bio)
{
	u64 end = bio->bi_iter.bi_sector + (bio->bi_iter.bi_size >> SECTOR_SHIFT);

	return d->store && end <= (d->disksize >> SECTOR_SHIFT);
}

/* `len` bytes at `pg_off` of `page` <-> offset `off` of slot `index`. */
static int bvec_rw(struct mswap_store *s, struct page *page, u32 pg_off,
		   u32 len, u64 index, u32 off, bool write)
{
	void *buf, *tmp;
	int ret;

	if (len == PAGE_SIZE) {
		buf = kmap_local_page(page);
		if (write) {
			ret = mswap_store_write(s, index, buf);
		} else {
			ret = mswap_store_read(s, index, buf);
			flush_dcache_page(page);
		}
		kunmap_local(buf);
		return ret;
	}
	/* A piece of a page: the store merges it under the slot's generation. */
	if (write)
		return mswap_store_write_partial(s, index, off, len, page, pg_off);
	tmp = kmalloc(PAGE_SIZE, GFP_NOIO);
	if (!tmp)
		return -ENOMEM;
	ret = mswap_store_read(s, index, tmp);
	if (!ret)
		memcpy_to_page(page, pg_off, tmp + off, len);
	kfree(tmp);
	return ret;
}

static void bio_rw(struct mswap_dev *d, struct bio *bio)
{
	bool write = op_is_write(bio_op(bio));
	u64 index = bio->bi_iter.bi_sector >> SECTORS_PER_PAGE_SHIFT;
	u32 off = (bio->bi_iter.bi_sector & (SECTORS_PER_PAGE - 1)) << SECTOR_SHIFT;
	unsigned long start = bio_start_io_acct(bio);
	struct bvec_iter iter;
	struct bio_vec bv;
	u32 done, n;
	int ret;

	bio_for_each_segment(bv, bio, iter) {
		for (done = 0; done < bv.bv_len; done += n) {
			n = min_t(u32, bv.bv_len - done, PAGE_SIZE - off);
			ret = bvec_rw(d->store, bv.bv_page, bv.bv_offset + done, n,
				      index, off, write);
			if (ret) {
				atomic64_inc(write ? &d->failed_writes : &d->failed_reads);
				bio->bi_status = BLK_STS_IOERR;
				goto out;
			}
			off += n;
			if (off == PAGE_SIZE) {
				off = 0;
				index++;
			}
		}
	}
out:
	bio_end_io_acct(bio, start);
	bio_endio(bio);
}

/* Frees the slots the range covers whole; a partly covered page stays. */
static void bio_discard(struct mswap_dev *d, struct bio *bio)
{
	u64 index = bio->bi_iter.bi_sector >> SECTORS_PER_PAGE_SHIFT;
	u32 off = (bio->bi_iter.bi_sector & (SECTORS_PER_PAGE - 1)) << SECTOR_SHIFT;
	u32 size = bio->bi_iter.bi_size;

	if (off) {
		if (size <= PAGE_SIZE - off)
			goto out;
		size -= PAGE_SIZE - off;
		index++;
	}
	for (; size >= PAGE_SIZE; size -= PAGE_SIZE, index++)
		mswap_store_free(d->store, index);
out:
	bio_endio(bio);
}

/*
 * Zeroes the range: whole pages are freed (an empty slot reads as
 * zeroes and uses no memory), a page the range covers partly gets
 * zeroes written over that part (our logical block is 512 bytes; zram
 * offers write-zeroes only with 4 KiB blocks, so it never sees one).
 * REQ_NOUNMAP changes nothing: a page of zeroes holds no memory however
 * it is kept, so nothing is reserved for a later rewrite either way.
 */
static void bio_write_zeroes(struct mswap_dev *d, struct bio *bio)
{
	u64 index = bio->bi_iter.bi_sector >> SECTORS_PER_PAGE_SHIFT;
	u32 off = (bio->bi_iter.bi_sector & (SECTORS_PER_PAGE - 1)) << SECTOR_SHIFT;
	u32 size = bio->bi_iter.bi_size;
	u32 n;
	int ret;

	while (size) {
		n = min_t(u32, size, PAGE_SIZE - off);
		if (n == PAGE_SIZE) {
			mswap_store_free(d->store, index);
		} else {
			ret = mswap_store_write_partial(d->store, index, off, n,
							ZERO_PAGE(0), 0);
			if (ret) {
				atomic64_inc(&d->failed_writes);
				bio->bi_status = BLK_STS_IOERR;
				break;
			}
		}
		size -= n;
		off = 0;
		index++;
		cond_resched();
	}
	bio_endio(bio);
}

static void mswap_submit_bio(struct bio *bio)
{
	struct mswap_dev *d = bio->bi_bdev->bd_disk->private_data;

	if (!io_valid(d, bio)) {
		atomic64_inc(&d->invalid_io);
		bio_io_error(bio);
		return;
	}
	switch (bio_op(bio)) {
	case REQ_OP_READ:
	case REQ_OP_WRITE:
		bio_rw(d, bio);
		break;
	case REQ_OP_DISCARD:
		bio_discard(d, bio);
		break;
	case REQ_OP_WRITE_ZEROES:
		bio_write_zeroes(d, bio);
		break;
	default:
		bio->bi_status = BLK_STS_NOTSUPP;
		bio_endio(bio);
	}
}

/*
 * One whole page from the swap layer without a bio: 6.1's bdev_read_page()
 * and bdev_write_page() call it, as they call zram's. Having rw_page is
 * also what makes swapon set SWP_SYNCHRONOUS_IO (6.1 tests exactly that),
 * so a swap-in of a page mapped once skips the swap cache and readahead
 * and frees its slot, and our object, as soon as the page is back: the
 * swap path zram users get (mpage readahead of the raw device may call
 * it too). It runs in the caller's context, as submit_bio() of a
 * bio-based device does; unlike a bio read, a read of a written-back
 * slot here does not need the worker (no bio list is open). On an error
 * the caller retries with a bio, which counts and reports it; anything
 * but a plain page-aligned page is left to that path too.
 */
static int mswap_rw_page(struct block_device *bdev, sector_t sector,
			 struct page *page, enum req_op op)
{
	struct mswap_dev *d = bdev->bd_disk->private_data;
	bool write = op_is_write(op);
	unsigned long start;
	int ret;

	if (PageTransHuge(page) || (sector & (SECTORS_PER_PAGE - 1)) || !d->store ||
	    sector + SECTORS_PER_PAGE > (d->disksize >> SECTOR_SHIFT))
		return -EOPNOTSUPP;
	start = bdev_start_io_acct(bdev->bd_disk->part0, SECTORS_PER_PAGE, op, jiffies);
	ret = bvec_rw(d->store, page, 0, PAGE_SIZE, sector >> SECTORS_PER_PAGE_SHIFT, 0,
		      write);
	bdev_end_io_acct(bdev->bd_disk->part0, op, start);
	if (!ret)
		page_endio(page, write, 0);
	return ret;
}

static void mswap_slot_free_notify(struct block_device *bdev, unsigned long index)
{
	struct mswap_dev *d = bdev->bd_disk->private_data;

	if (!mswap_store_try_free(d->store, index)) {
		atomic64_inc(&d->miss_free);
		return;
	}
	atomic64_inc(&d->notify_free);
}

static int mswap_open(struct block_device *bdev, fmode_t mode)
{
	struct mswap_dev *d = bdev->bd_disk->private_data;

	/* A reset or a hot_remove claimed it (dev_claim): no new users. */
	return d->claim ? -EBUSY : 0;
}

/* .owner pins the module while the device is open, swapon included. */
static const struct block_device_operations mswap_fops = {
	.owner = THIS_MODULE,
	.open = mswap_open,
	.submit_bio = mswap_submit_bio,
	.rw_page = mswap_rw_page,
	.swap_slot_free_notify = mswap_slot_free_notify,
};

int mswap_dev_init_store(struct mswap_dev *d, u64 disksize)
{
	struct mswap_store *s;
	int ret;

	down_write(&d->init_lock);
	if (d->store) {
		ret = -EBUSY;
		goto out;
	}
	ret = mswap_store_create(d->disk->disk_name, disksize >> PAGE_SHIFT, d->algorithm,
				 d->dedup, &s);
	if (ret)
		goto out;
	s->limit_pages = d->limit_pages;
	s->backing = d->backing;
	d->store = s;
	d->disksize = disksize;
	set_capacity_and_notify(d->disk, disksize >> SECTOR_SHIFT);
out:
	up_write(&d->init_lock);
	return ret;
}

static void dev_clear(struct mswap_dev *d)
{
	down_write(&d->init_lock);
	if (d->store)
		mswap_store_destroy(d->store);
	d->store = NULL;
	/* As zram's reset: the backing device goes with the store. */
	if (d->backing)
		mswap_backing_close(d->backing);
	d->backing = NULL;
	d->disksize = 0;
	d->limit_pages = 0;	/* as zram's reset clears its limit */
	atomic64_set(&d->compacted_pages, 0);
	atomic64_set(&d->failed_reads, 0);
	atomic64_set(&d->failed_writes, 0);
	atomic64_set(&d->invalid_io, 0);
	atomic64_set(&d->notify_free, 0);
	atomic64_set(&d->miss_free, 0);
	mswap_get_defaults(d->algorithm, &d->dedup);
	set_capacity_and_notify(d->disk, 0);
	up_write(&d->init_lock);
}

bool mswap_is_own_disk(struct block_device *bdev)
{
	return bdev->bd_disk->fops == &mswap_fops;
}

/*
 * backing_dev: a block device path, or NULL for none. Only before
 * disksize (-EBUSY after); the old device, if any, is let go only once
 * the new one is open, so a failure changes nothing.
 */
int mswap_dev_set_backing(struct mswap_dev *d, const char *path)
{
	struct mswap_backing *b = NULL;
	int ret = 0;

	down_write(&d->init_lock);
	if (d->store) {
		ret = -EBUSY;
		goto out;
	}
	if (path) {
		ret = mswap_backing_open(path, d, &b);
		if (ret)
			goto out;
	}
	if (d->backing)
		mswap_backing_close(d->backing);
	d->backing = b;
out:
	up_write(&d->init_lock);
	return ret;
}

/*
 * Reset and remove take the device for themselves: -EBUSY while it is
 * open (swapon included) or the other one has it; new opens fail until
 * it is let go (mswap_open).
 */
static int dev_claim(struct mswap_dev *d)
{
	struct gendisk *disk = d->disk;

	mutex_lock(&disk->open_mutex);
	if (disk_openers(disk) || d->claim) {
		mutex_unlock(&disk->open_mutex);
		return -EBUSY;
	}
	d->claim = true;
	mutex_unlock(&disk->open_mutex);

	/* Dirty page cache of the raw device reaches the store first. */
	sync_blockdev(disk->part0);
	return 0;
}

int mswap_dev_reset(struct mswap_dev *d)
{
	int ret = dev_claim(d);

	if (ret)
		return ret;
	dev_clear(d);

	mutex_lock(&d->disk->open_mutex);
	d->claim = false;
	mutex_unlock(&d->disk->open_mutex);
	return 0;
}

/* `d` is zeroed; `id` is its own (the idr's) and its minor. */
int mswap_dev_create(struct mswap_dev *d, int id, int major)
{
	struct gendisk *disk;
	int ret;

	d->id = id;
	init_rwsem(&d->init_lock);
	spin_lock_init(&d->wb_limit.lock);
	mswap_get_defaults(d->algorithm, &d->dedup);
	disk = blk_alloc_disk(NUMA_NO_NODE);
	if (!disk)
		return -ENOMEM;
	disk->major = major;
	disk->first_minor = id;
	disk->minors = 1;
	disk->flags |= GENHD_FL_NO_PART;
	disk->fops = &mswap_fops;
	disk->private_data = d;
	snprintf(disk->disk_name, sizeof(disk->disk_name), "multios_swap%d", id);
	set_capacity(disk, 0);
	blk_queue_flag_set(QUEUE_FLAG_NONROT, disk->queue);
	blk_queue_flag_clear(QUEUE_FLAG_ADD_RANDOM, disk->queue);
	blk_queue_flag_set(QUEUE_FLAG_STABLE_WRITES, disk->queue);
	/*
	 * 512-byte blocks, unlike zram's 4096: ext4 with 1 KiB blocks works.
	 * A partial page is a read-modify-write (bvec_rw).
	 */
	blk_queue_logical_block_size(disk->queue, SECTOR_SIZE);
	blk_queue_physical_block_size(disk->queue, PAGE_SIZE);
	blk_queue_io_min(disk->queue, PAGE_SIZE);
	blk_queue_io_opt(disk->queue, PAGE_SIZE);
	disk->queue->limits.discard_granularity = PAGE_SIZE;
	blk_queue_max_discard_sectors(disk->queue, UINT_MAX);
	/*
	 * A write-zeroes bio's size is nr_sects << 9 in a u32 that the
	 * block layer does not clamp (6.1 clamps only discards): a limit of
	 * UINT_MAX sectors let a 4 GiB BLKZEROOUT arrive as an empty bio and
	 * succeed having zeroed nothing. Whole pages, under 4 GiB.
	 */
	blk_queue_max_write_zeroes_sectors(disk->queue,
					   round_down(UINT_MAX >> SECTOR_SHIFT, SECTORS_PER_PAGE));
	d->disk = disk;
	ret = device_add_disk(NULL, disk, mswap_disk_groups);
	if (ret) {
		put_disk(disk);
		d->disk = NULL;
	}
	return ret;
}

/*
 * Module exit: no device is open (the module reference says so), but a
 * write to a device's sysfs file pins no module: a reset may be under
 * way. del_gendisk() removes the device's sysfs files and waits for the
 * writes in them to return, as zram_remove() relies on; once it has,
 * nothing reaches `d` through the disk (no file, no opener, no I/O), and
 * the dev_clear() after it frees whatever a write made meanwhile.
 */
void mswap_dev_destroy(struct mswap_dev *d)
{
	if (!d->disk)
		return;
	del_gendisk(d->disk);
	dev_clear(d);
	put_disk(d->disk);
	d->disk = NULL;
}

/*
 * hot_remove: -EBUSY while the device is open or being reset, else it
 * is destroyed. The claim is never let go: the disk is gone after it.
 */
int mswap_dev_remove(struct mswap_dev *d)
{
	int ret = dev_claim(d);

	if (ret)
		return ret;
	mswap_dev_destroy(d);
	return 0;
}
