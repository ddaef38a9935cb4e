// SPDX-License-Identifier: GPL-2.0-only
/*
 * Knobs and statistics: per device in /sys/block/multios_swap<id>/ with
 * zram's names where the meaning is the same, and the module-wide
 * defaults in /sys/kernel/multios/swap/. Every store parses and
 * validates first (-EINVAL, nothing changed), then takes init_lock and
 * changes state (-EBUSY if the device is in a state that forbids it).
 * Documentation/ABI/testing/sysfs-block-multios-swap lists them all.
 */
#include <linux/ctype.h>
#include <linux/cpumask.h>
#include <linux/crypto.h>
#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "../../core/shim/core.h"
#include "swapdev.h"

/* disksize caps at 1 TiB of pages: the slot table and index are sized by it. */
#define MSWAP_MAX_DISKSIZE	BIT_ULL(40)

static struct mswap_dev *to_mswap(struct device *dev)
{
	return dev_to_disk(dev)->private_data;
}

/*
 * A size in bytes: decimal digits, an optional K, M, G or T (either
 * case), an optional newline, and nothing else. Unlike memparse(), a
 * leading 0 is refused rather than read as octal ("010", "0x10"; "0"
 * alone is 0), and a value past U64_MAX is -EINVAL, never wrapped.
 */
static int parse_size(const char *buf, u64 *out)
{
	char digits[21];	/* U64_MAX has 20 */
	unsigned int shift;
	size_t n = 0;
	u64 v;

	while (isdigit(buf[n]))
		n++;
	if (!n || n >= sizeof(digits) || (buf[0] == '0' && n > 1))
		return -EINVAL;
	memcpy(digits, buf, n);
	digits[n] = '\0';
	switch (buf[n]) {
	case 'K':
	case 'k':
		shift = 10;
		break;
	case 'M':
	case 'm':
		shift = 20;
		break;
	case 'G':
	case 'g':
		shift = 30;
		break;
	case 'T':
	case 't':
		shift = 40;
		break;
	default:
		shift = 0;
		break;
	}
	if (shift)
		n++;
	if (buf[n] == '\n')
		n++;
	if (buf[n])
		return -EINVAL;
	if (kstrtoull(digits, 10, &v) || check_mul_overflow(v, BIT_ULL(shift), out))
		return -EINVAL;
	return 0;
}

static ssize_t disksize_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n", to_mswap(dev)->disksize);
}

static ssize_t disksize_store(struct device *dev, struct device_attribute *attr,
			      const char *buf, size_t len)
{
	u64 size;
	int ret;

	ret = parse_size(buf, &size);
	if (ret)
		return ret;
	/* The range first: PAGE_ALIGN() of a size near U64_MAX wraps to 0. */
	if (!size || size > MSWAP_MAX_DISKSIZE)
		return -EINVAL;
	ret = mswap_dev_init_store(to_mswap(dev), PAGE_ALIGN(size));
	return ret ? ret : len;
}

static ssize_t initstate_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct mswap_dev *d = to_mswap(dev);
	bool init;

	down_read(&d->init_lock);
	init = d->store;
	up_read(&d->init_lock);
	return sysfs_emit(buf, "%d\n", init);
}

static ssize_t reset_store(struct device *dev, struct device_attribute *attr,
			   const char *buf, size_t len)
{
	bool v;
	int ret;

	if (kstrtobool(buf, &v) || !v)
		return -EINVAL;
	ret = mswap_dev_reset(to_mswap(dev));
	return ret ? ret : len;
}

/*
 * zram's format (zcomp_available_show() of 6.1): each algorithm followed
 * by a space, the current one in brackets, then a newline, so the line
 * ends in a space and a newline. Only the algorithms the running kernel's
 * crypto API can provide (which may load their modules) are listed, and
 * the current one always is. crypto_has_comp() may sleep: no lock is
 * held here, the caller passes a copy of the current name.
 */
static ssize_t algorithms_show(char *buf, const char *current_algo)
{
	ssize_t n = 0;
	int i;

	for (i = 0; mswap_algorithms[i]; i++) {
		const char *name = mswap_algorithms[i];

		if (!strcmp(name, current_algo))
			n += sysfs_emit_at(buf, n, "[%s] ", name);
		else if (crypto_has_comp(name, 0, 0) == 1)
			n += sysfs_emit_at(buf, n, "%s ", name);
	}
	n += sysfs_emit_at(buf, n, "\n");
	return n;
}

/* A known algorithm the running kernel's crypto API can provide. */
static int parse_algorithm(const char *buf, char *name)
{
	char tmp[MSWAP_ALGO_MAX];

	if (strscpy(tmp, buf, sizeof(tmp)) < 0)
		return -EINVAL;
	strim(tmp);
	if (mswap_algorithm_index(tmp) < 0 || crypto_has_comp(tmp, 0, 0) != 1)
		return -EINVAL;
	strscpy(name, tmp, MSWAP_ALGO_MAX);
	return 0;
}

static ssize_t comp_algorithm_show(struct device *dev, struct device_attribute *attr,
				   char *buf)
{
	struct mswap_dev *d = to_mswap(dev);
	char name[MSWAP_ALGO_MAX];

	down_read(&d->init_lock);
	strscpy(name, d->algorithm, sizeof(name));
	up_read(&d->init_lock);
	return algorithms_show(buf, name);
}

static ssize_t comp_algorithm_store(struct device *dev, struct device_attribute *attr,
				    const char *buf, size_t len)
{
	struct mswap_dev *d = to_mswap(dev);
	char name[MSWAP_ALGO_MAX];
	int ret = parse_algorithm(buf, name);

	if (ret)
		return ret;
	down_write(&d->init_lock);
	if (d->store)
		ret = -EBUSY;
	else
		strscpy(d->algorithm, name, sizeof(d->algorithm));
	up_write(&d->init_lock);
	return ret ? ret : len;
}

static ssize_t dedup_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", to_mswap(dev)->dedup);
}

static ssize_t dedup_store(struct device *dev, struct device_attribute *attr,
			   const char *buf, size_t len)
{
	struct mswap_dev *d = to_mswap(dev);
	int ret = 0;
	bool v;

	if (kstrtobool(buf, &v))
		return -EINVAL;
	down_write(&d->init_lock);
	if (d->store)
		ret = -EBUSY;
	else
		d->dedup = v;
	up_write(&d->init_lock);
	return ret ? ret : len;
}

static ssize_t mem_limit_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n", (u64)to_mswap(dev)->limit_pages << PAGE_SHIFT);
}

static ssize_t mem_limit_store(struct device *dev, struct device_attribute *attr,
			       const char *buf, size_t len)
{
	struct mswap_dev *d = to_mswap(dev);
	u64 limit;

	if (parse_size(buf, &limit) || limit > MSWAP_MAX_DISKSIZE)
		return -EINVAL;
	down_write(&d->init_lock);
	d->limit_pages = PAGE_ALIGN(limit) >> PAGE_SHIFT;
	if (d->store)
		WRITE_ONCE(d->store->limit_pages, d->limit_pages);
	up_write(&d->init_lock);
	return len;
}

static ssize_t mem_used_max_show(struct device *dev, struct device_attribute *attr,
				 char *buf)
{
	struct mswap_dev *d = to_mswap(dev);
	u64 max = 0;

	down_read(&d->init_lock);
	if (d->store)
		max = atomic_long_read(&d->store->max_used_pages);
	up_read(&d->init_lock);
	return sysfs_emit(buf, "%llu\n", max << PAGE_SHIFT);
}

/* Only "0": start the maximum again from what is used now. */
static ssize_t mem_used_max_store(struct device *dev, struct device_attribute *attr,
				  const char *buf, size_t len)
{
	struct mswap_dev *d = to_mswap(dev);
	struct mswap_store_stats st;
	u64 v;

	if (kstrtou64(buf, 10, &v) || v)
		return -EINVAL;
	down_read(&d->init_lock);
	if (d->store) {
		mswap_store_get_stats(d->store, &st);
		atomic_long_set(&d->store->max_used_pages, st.used_pages);
	}
	up_read(&d->init_lock);
	return len;
}

/*
 * Any write compacts the pool. compacted_pages is an atomic, so two
 * compactions at once both count (they used to race on a plain +=), and
 * init_lock is only read-held: a compaction does not make the knobs and
 * statistics wait behind a long writeback.
 */
static ssize_t compact_store(struct device *dev, struct device_attribute *attr,
			     const char *buf, size_t len)
{
	struct mswap_dev *d = to_mswap(dev);
	int ret = 0;

	down_read(&d->init_lock);
	if (d->store)
		atomic64_add(mswap_store_compact(d->store), &d->compacted_pages);
	else
		ret = -EINVAL;
	up_read(&d->init_lock);
	return ret ? ret : len;
}

static ssize_t idle_store(struct device *dev, struct device_attribute *attr,
			  const char *buf, size_t len)
{
	struct mswap_dev *d = to_mswap(dev);
	int ret = 0;

	if (!sysfs_streq(buf, "all"))
		return -EINVAL;
	down_read(&d->init_lock);
	if (d->store)
		mswap_store_mark_idle(d->store);
	else
		ret = -EINVAL;
	up_read(&d->init_lock);
	return ret ? ret : len;
}

static ssize_t backing_dev_show(struct device *dev, struct device_attribute *attr,
				char *buf)
{
	struct mswap_dev *d = to_mswap(dev);
	ssize_t n;

	down_read(&d->init_lock);
	n = sysfs_emit(buf, "%s\n", d->backing ? d->backing->path : "none");
	up_read(&d->init_lock);
	return n;
}

/*
 * A block device path, or "none" (or nothing) to have none. A path that
 * does not open as a block device, or is one of ours, is -EINVAL; one
 * someone else holds (mounted, swapon, another device's backing) -EBUSY.
 */
static ssize_t backing_dev_store(struct device *dev, struct device_attribute *attr,
				 const char *buf, size_t len)
{
	char *path, *p;
	int ret;

	path = kstrndup(buf, PATH_MAX, GFP_KERNEL);
	if (!path)
		return -ENOMEM;
	p = strim(path);
	if (strlen(p) >= PATH_MAX || (*p && *p != '/' && strcmp(p, "none"))) {
		ret = -EINVAL;
		goto out;
	}
	ret = mswap_dev_set_backing(to_mswap(dev), *p == '/' ? p : NULL);
	if (ret && ret != -EBUSY && ret != -ENOMEM)
		ret = -EINVAL;
out:
	kfree(path);
	return ret ? ret : len;
}

#define PAGE_INDEX_PREFIX	"page_index="

/* zram's modes: idle, huge, huge_idle, page_index=N; incompressible is huge. */
static int parse_writeback(const char *buf, unsigned int *mode, u64 *first,
			   u64 *count)
{
	*first = 0;
	*count = U64_MAX;	/* the whole device */
	if (sysfs_streq(buf, "idle"))
		*mode = MSWAP_WB_IDLE;
	else if (sysfs_streq(buf, "huge") || sysfs_streq(buf, "incompressible"))
		*mode = MSWAP_WB_HUGE;
	else if (sysfs_streq(buf, "huge_idle"))
		*mode = MSWAP_WB_IDLE | MSWAP_WB_HUGE;
	else if (!strncmp(buf, PAGE_INDEX_PREFIX, strlen(PAGE_INDEX_PREFIX)) &&
		 !kstrtou64(buf + strlen(PAGE_INDEX_PREFIX), 10, first))
		*mode = 0;
	else
		return -EINVAL;
	if (!*mode)
		*count = 1;
	return 0;
}

/*
 * Writes the selected pages to the backing device, synchronously, in
 * this writer's context. -EINVAL before disksize or for a page index
 * past the end, -ENODEV with no backing device, -ENOSPC when it is full
 * (the pages written so far stay written).
 */
static ssize_t writeback_store(struct device *dev, struct device_attribute *attr,
			       const char *buf, size_t len)
{
	struct mswap_dev *d = to_mswap(dev);
	unsigned int mode;
	u64 first, count, written;
	int ret;

	if (parse_writeback(buf, &mode, &first, &count))
		return -EINVAL;
	down_read(&d->init_lock);
	if (!d->store) {
		ret = -EINVAL;
	} else {
		if (count == U64_MAX)
			count = d->store->nr_pages;
		ret = mswap_store_writeback(d->store, mode, first, count, &d->wb_limit,
					    &written);
	}
	up_read(&d->init_lock);
	return ret ? ret : len;
}

/*
 * zram's bd_stat: bd_count bd_reads bd_writes, in 4 KiB units whatever
 * PAGE_SIZE is (zram's FOUR_K()): a page counts PAGE_SIZE / 4096.
 */
#define FOUR_K(pages)	((u64)(pages) << (PAGE_SHIFT - 12))

static ssize_t bd_stat_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct mswap_dev *d = to_mswap(dev);
	struct mswap_backing *b;
	u64 count = 0, reads = 0, writes = 0;

	down_read(&d->init_lock);
	b = d->backing;
	if (b) {
		count = atomic64_read(&b->bd_count);
		reads = atomic64_read(&b->bd_reads);
		writes = atomic64_read(&b->bd_writes);
	}
	up_read(&d->init_lock);
	return sysfs_emit(buf, "%8llu %8llu %8llu\n", FOUR_K(count), FOUR_K(reads),
			  FOUR_K(writes));
}

/*
 * zram's mm_stat fields: orig_data_size compr_data_size mem_used_total
 * mem_limit mem_used_max same_pages pages_compacted huge_pages
 * huge_pages_since.
 */
static ssize_t mm_stat_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct mswap_dev *d = to_mswap(dev);
	struct mswap_store_stats st = {};
	ssize_t n;

	down_read(&d->init_lock);
	if (d->store)
		mswap_store_get_stats(d->store, &st);
	n = sysfs_emit(buf, "%8llu %8llu %8llu %8llu %8llu %8llu %8llu %8llu %8llu\n",
		       st.orig_pages << PAGE_SHIFT,
		       st.comp_bytes + (st.huge_objects << PAGE_SHIFT),
		       st.used_pages << PAGE_SHIFT,
		       (u64)d->limit_pages << PAGE_SHIFT,
		       st.max_used_pages << PAGE_SHIFT, st.same_pages,
		       (u64)atomic64_read(&d->compacted_pages), st.huge_objects,
		       st.huge_pages_since);
	up_read(&d->init_lock);
	return n;
}

/* zram's io_stat: failed_reads failed_writes invalid_io notify_free. */
static ssize_t io_stat_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct mswap_dev *d = to_mswap(dev);

	return sysfs_emit(buf, "%8llu %8llu %8llu %8llu\n",
			  (u64)atomic64_read(&d->failed_reads),
			  (u64)atomic64_read(&d->failed_writes),
			  (u64)atomic64_read(&d->invalid_io),
			  (u64)atomic64_read(&d->notify_free));
}

/*
 * zram's debug_stat (6.1): "version: 1", then writestall (writes that
 * had to drop their locks to allocate with GFP_NOIO) and miss_free
 * (slot-free notifications that found the slot busy and freed nothing),
 * and one column of ours: partial_retries (sub-page writes merged again
 * because another write changed the page meanwhile).
 */
static ssize_t debug_stat_show(struct device *dev, struct device_attribute *attr,
			       char *buf)
{
	struct mswap_dev *d = to_mswap(dev);
	struct mswap_store_stats st = {};
	ssize_t n;

	down_read(&d->init_lock);
	if (d->store)
		mswap_store_get_stats(d->store, &st);
	n = sysfs_emit(buf, "version: %d\n%8llu %8llu %8llu\n", 1, st.writestall,
		       (u64)atomic64_read(&d->miss_free), st.partial_retries);
	up_read(&d->init_lock);
	return n;
}

/*
 * dup_pages bytes_saved index_bytes entries refused; refused: pages
 * stored unshared because their hash's chain was full or its compare
 * budget spent (the bound against hash flooding, dedup_index.h).
 */
static ssize_t dedup_stat_show(struct device *dev, struct device_attribute *attr,
			       char *buf)
{
	struct mswap_dev *d = to_mswap(dev);
	struct mos_swap_dedup_stats st = {};
	ssize_t n;

	down_read(&d->init_lock);
	if (d->store && d->store->dedup)
		mos_swap_dedup_get_stats(d->store->dedup, &st);
	n = sysfs_emit(buf, "%8llu %8llu %8llu %8llu %8llu\n", st.dup_pages, st.bytes_saved,
		       st.index_bytes, st.entries, st.refused);
	up_read(&d->init_lock);
	return n;
}

/* One line per way of storing an object: name, objects, bytes. */
static ssize_t algorithm_stat_show(struct device *dev, struct device_attribute *attr,
				   char *buf)
{
	struct mswap_dev *d = to_mswap(dev);
	struct mswap_store_stats st = {};
	ssize_t n;

	down_read(&d->init_lock);
	if (d->store)
		mswap_store_get_stats(d->store, &st);
	n = sysfs_emit(buf, "%-8s %8llu %8llu\n%-8s %8llu %8llu\n", d->algorithm,
		       st.comp_objects, st.comp_bytes, "none", st.huge_objects,
		       st.huge_objects << PAGE_SHIFT);
	up_read(&d->init_lock);
	return n;
}

/* Test knob (debug_knobs=1): corrupt the object of page N; reading it gives -EIO. */
static ssize_t debug_corrupt_store(struct device *dev, struct device_attribute *attr,
				   const char *buf, size_t len)
{
	struct mswap_dev *d = to_mswap(dev);
	int ret = -EINVAL;
	u64 index;

	if (kstrtou64(buf, 10, &index))
		return -EINVAL;
	down_read(&d->init_lock);
	if (d->store)
		ret = mswap_store_corrupt(d->store, index);
	up_read(&d->init_lock);
	return ret ? ret : len;
}

/*
 * zram's writeback_limit_enable (0 or 1; zram takes any number, nonzero
 * meaning on) and writeback_limit (4 KiB units writeback may still
 * write while enabled, whatever PAGE_SIZE is, as zram's; a page uses
 * PAGE_SIZE / 4096 of them, and fewer left stops writeback with -EIO). Both
 * kept across reset, as zram's.
 */
/* One of the device's writeback-limit fields, under its lock. */
static u64 wb_limit_get(struct device *dev, bool enable)
{
	struct mswap_wb_limit *l = &to_mswap(dev)->wb_limit;
	u64 v;

	spin_lock(&l->lock);
	v = enable ? l->enable : l->pages;
	spin_unlock(&l->lock);
	return v;
}

static ssize_t wb_limit_set(struct device *dev, bool enable, const char *buf, size_t len)
{
	struct mswap_wb_limit *l = &to_mswap(dev)->wb_limit;
	u64 v;

	if (kstrtoull(buf, 10, &v))
		return -EINVAL;
	spin_lock(&l->lock);
	if (enable)
		l->enable = v;
	else
		l->pages = v;
	spin_unlock(&l->lock);
	return len;
}

static ssize_t writeback_limit_enable_show(struct device *dev,
					   struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n", wb_limit_get(dev, true));
}

static ssize_t writeback_limit_enable_store(struct device *dev,
					    struct device_attribute *attr,
					    const char *buf, size_t len)
{
	return wb_limit_set(dev, true, buf, len);
}

static ssize_t writeback_limit_show(struct device *dev, struct device_attribute *attr,
				    char *buf)
{
	return sysfs_emit(buf, "%llu\n", wb_limit_get(dev, false));
}

static ssize_t writeback_limit_store(struct device *dev, struct device_attribute *attr,
				     const char *buf, size_t len)
{
	return wb_limit_set(dev, false, buf, len);
}

/*
 * zram's max_comp_streams: there is one stream per online CPU, so it
 * shows their number, and a write, of anything, changes nothing (zram
 * keeps the file for compatibility with that meaning since 4.7).
 */
static ssize_t max_comp_streams_show(struct device *dev, struct device_attribute *attr,
				     char *buf)
{
	return sysfs_emit(buf, "%u\n", num_online_cpus());
}

static ssize_t max_comp_streams_store(struct device *dev, struct device_attribute *attr,
				      const char *buf, size_t len)
{
	return len;
}

static DEVICE_ATTR_RW(disksize);
static DEVICE_ATTR_RO(initstate);
static DEVICE_ATTR_WO(reset);
static DEVICE_ATTR_RW(comp_algorithm);
static DEVICE_ATTR_RW(dedup);
static DEVICE_ATTR_RW(mem_limit);
static DEVICE_ATTR_RW(mem_used_max);
static DEVICE_ATTR_WO(compact);
static DEVICE_ATTR_WO(idle);
static DEVICE_ATTR_RW(backing_dev);
static DEVICE_ATTR_WO(writeback);
static DEVICE_ATTR_RW(writeback_limit);
static DEVICE_ATTR_RW(writeback_limit_enable);
static DEVICE_ATTR_RW(max_comp_streams);
static DEVICE_ATTR_RO(bd_stat);
static DEVICE_ATTR_RO(mm_stat);
static DEVICE_ATTR_RO(io_stat);
static DEVICE_ATTR_RO(debug_stat);
/*
 * Root only, our two: their counts tell whether a page a user pushes
 * out (MADV_PAGEOUT) got an object of its own, that is whether it equals
 * one already stored. mm_stat (zram's, 0444, read by zramctl) tells it
 * too through compr_data_size: the admin guide says so, and that dedup=0
 * is the way to rule it out.
 */
static DEVICE_ATTR_ADMIN_RO(dedup_stat);
static DEVICE_ATTR_ADMIN_RO(algorithm_stat);
static DEVICE_ATTR_WO(debug_corrupt);

static struct attribute *mswap_disk_attrs[] = {
	&dev_attr_disksize.attr,
	&dev_attr_initstate.attr,
	&dev_attr_reset.attr,
	&dev_attr_comp_algorithm.attr,
	&dev_attr_dedup.attr,
	&dev_attr_mem_limit.attr,
	&dev_attr_mem_used_max.attr,
	&dev_attr_compact.attr,
	&dev_attr_idle.attr,
	&dev_attr_backing_dev.attr,
	&dev_attr_writeback.attr,
	&dev_attr_writeback_limit.attr,
	&dev_attr_writeback_limit_enable.attr,
	&dev_attr_max_comp_streams.attr,
	&dev_attr_bd_stat.attr,
	&dev_attr_mm_stat.attr,
	&dev_attr_io_stat.attr,
	&dev_attr_debug_stat.attr,
	&dev_attr_dedup_stat.attr,
	&dev_attr_algorithm_stat.attr,
	&dev_attr_debug_corrupt.attr,
	NULL,
};

static umode_t mswap_attr_visible(struct kobject *kobj, struct attribute *attr, int n)
{
	if (attr == &dev_attr_debug_corrupt.attr && !mswap_debug_knobs)
		return 0;
	return attr->mode;
}

static const struct attribute_group mswap_disk_group = {
	.attrs = mswap_disk_attrs,
	.is_visible = mswap_attr_visible,
};

const struct attribute_group *mswap_disk_groups[] = {
	&mswap_disk_group,
	NULL,
};

/* ---- /sys/kernel/multios/swap: defaults for new and reset devices ---- */

static DEFINE_MUTEX(defaults_lock);
static char default_algorithm[MSWAP_ALGO_MAX] = "lz4";
static bool default_dedup = true;
static struct kobject *swap_kobj;

void mswap_get_defaults(char *algorithm, bool *dedup)
{
	mutex_lock(&defaults_lock);
	strscpy(algorithm, default_algorithm, MSWAP_ALGO_MAX);
	*dedup = default_dedup;
	mutex_unlock(&defaults_lock);
}

static ssize_t default_algorithm_show(struct kobject *kobj, struct kobj_attribute *attr,
				      char *buf)
{
	char name[MSWAP_ALGO_MAX];

	mutex_lock(&defaults_lock);
	strscpy(name, default_algorithm, sizeof(name));
	mutex_unlock(&defaults_lock);
	return algorithms_show(buf, name);
}

static ssize_t default_algorithm_store(struct kobject *kobj, struct kobj_attribute *attr,
				       const char *buf, size_t len)
{
	char name[MSWAP_ALGO_MAX];

	if (parse_algorithm(buf, name))
		return -EINVAL;
	mutex_lock(&defaults_lock);
	strscpy(default_algorithm, name, sizeof(default_algorithm));
	mutex_unlock(&defaults_lock);
	return len;
}

static ssize_t default_dedup_show(struct kobject *kobj, struct kobj_attribute *attr,
				  char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(default_dedup));
}

static ssize_t default_dedup_store(struct kobject *kobj, struct kobj_attribute *attr,
				   const char *buf, size_t len)
{
	bool v;

	if (kstrtobool(buf, &v))
		return -EINVAL;
	mutex_lock(&defaults_lock);
	default_dedup = v;
	mutex_unlock(&defaults_lock);
	return len;
}

static struct kobj_attribute default_algorithm_attr =
	__ATTR(comp_algorithm, 0644, default_algorithm_show, default_algorithm_store);
static struct kobj_attribute default_dedup_attr =
	__ATTR(dedup, 0644, default_dedup_show, default_dedup_store);

static struct attribute *swap_attrs[] = {
	&default_algorithm_attr.attr,
	&default_dedup_attr.attr,
	NULL,
};

static const struct attribute_group swap_group = {
	.attrs = swap_attrs,
};

int mswap_module_sysfs_init(void)
{
	int ret;

	swap_kobj = kobject_create_and_add("swap", multios_root_kobj());
	if (!swap_kobj)
		return -ENOMEM;
	ret = sysfs_create_group(swap_kobj, &swap_group);
	if (ret) {
		kobject_put(swap_kobj);
		swap_kobj = NULL;
	}
	return ret;
}

void mswap_module_sysfs_exit(void)
{
	if (!swap_kobj)
		return;
	sysfs_remove_group(swap_kobj, &swap_group);
	kobject_put(swap_kobj);
	swap_kobj = NULL;
}

/* ---- /sys/class/multios_swap-control: zram-control's hot_add, hot_remove ---- */

/*
 * Not the usual read-only file: reading it creates a device (as zram's
 * hot_add does) and shows its id and a newline; hence root only (0400).
 * -ENOSPC once MSWAP_MAX_DEVICES exist.
 */
static ssize_t hot_add_show(struct class *class, struct class_attribute *attr, char *buf)
{
	int id = mswap_add();

	if (id < 0)
		return id;
	return sysfs_emit(buf, "%d\n", id);
}

static struct class_attribute class_attr_hot_add = __ATTR(hot_add, 0400, hot_add_show, NULL);

/*
 * A device id (decimal, an optional newline): that device is removed.
 * Not a non-negative int: -EINVAL; no such device: -ENODEV; open,
 * swapped on or being reset: -EBUSY and nothing changes.
 */
static ssize_t hot_remove_store(struct class *class, struct class_attribute *attr,
				const char *buf, size_t len)
{
	int id, ret;

	if (kstrtoint(buf, 10, &id) || id < 0)
		return -EINVAL;
	ret = mswap_remove(id);
	return ret ? ret : len;
}

static CLASS_ATTR_WO(hot_remove);

static struct attribute *mswap_control_class_attrs[] = {
	&class_attr_hot_add.attr,
	&class_attr_hot_remove.attr,
	NULL,
};
ATTRIBUTE_GROUPS(mswap_control_class);

/*
 * Registered with its files, as zram's class is: class_create() would
 * register the class before any file could be added to it.
 */
static struct class mswap_control_class = {
	.name = "multios_swap-control",
	.owner = THIS_MODULE,
	.class_groups = mswap_control_class_groups,
};

int mswap_control_init(void)
{
	return class_register(&mswap_control_class);
}

/* Removes the files, waiting for reads of hot_add and writes of hot_remove. */
void mswap_control_exit(void)
{
	class_unregister(&mswap_control_class);
}
