// SPDX-License-Identifier: GPL-2.0-only
/*
 * multios_swap: compressed, deduplicating swap block devices
 * /dev/multios_swap<N>. Used like zram: set disksize, mkswap, swapon;
 * /sys/class/multios_swap-control adds and removes devices (hot_add,
 * hot_remove).
 * Documentation/admin-guide/multios-swap.rst.
 */
#include <linux/blkdev.h>
#include <linux/idr.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>

#include "../../core/shim/core.h"
#include "swapdev.h"

/* Devices at any time, those of load and of hot_add together: ids 0..31. */
#define MSWAP_MAX_DEVICES	32

static unsigned int num_devices = 1;
module_param(num_devices, uint, 0444);
MODULE_PARM_DESC(num_devices, "Number of devices at load (1-32); hot_add adds more");

bool mswap_debug_knobs;
module_param_named(debug_knobs, mswap_debug_knobs, bool, 0444);
MODULE_PARM_DESC(debug_knobs, "Add the test-only debug_corrupt knob to each device");

static int mswap_major;

/*
 * Every device by its id, which is its minor and its name's number.
 * The mutex makes adding and removing devices one at a time, as
 * zram_index_mutex does. An id is free again only once its device's
 * gendisk has been deleted and put, so a new device never takes the
 * name, minor or sysfs directory of one that is still going away.
 */
static DEFINE_IDR(mswap_index_idr);
static DEFINE_MUTEX(mswap_index_mutex);

/*
 * A new device with the lowest free id: its id, or -ENOSPC when
 * MSWAP_MAX_DEVICES exist, or -ENOMEM.
 */
int mswap_add(void)
{
	struct mswap_dev *d;
	int id, ret;

	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	mutex_lock(&mswap_index_mutex);
	id = idr_alloc(&mswap_index_idr, d, 0, MSWAP_MAX_DEVICES, GFP_KERNEL);
	if (id < 0) {
		ret = id;
		goto out_free;
	}
	ret = mswap_dev_create(d, id, mswap_major);
	if (ret) {
		idr_remove(&mswap_index_idr, id);
		goto out_free;
	}
	mutex_unlock(&mswap_index_mutex);
	return id;

out_free:
	mutex_unlock(&mswap_index_mutex);
	kfree(d);
	return ret;
}

/* -ENODEV: no such device; -EBUSY: open or being reset, nothing changed. */
int mswap_remove(int id)
{
	struct mswap_dev *d;
	int ret = -ENODEV;

	mutex_lock(&mswap_index_mutex);
	d = idr_find(&mswap_index_idr, id);
	if (d)
		ret = mswap_dev_remove(d);
	if (!ret) {
		idr_remove(&mswap_index_idr, id);
		kfree(d);
	}
	mutex_unlock(&mswap_index_mutex);
	return ret;
}

/* Module exit, failed init: no control class (any more), so no hot_add. */
static void devices_destroy(void)
{
	struct mswap_dev *d;
	int id;

	mutex_lock(&mswap_index_mutex);
	idr_for_each_entry(&mswap_index_idr, d, id) {
		mswap_dev_destroy(d);
		kfree(d);
	}
	idr_destroy(&mswap_index_idr);
	mutex_unlock(&mswap_index_mutex);
}

static int __init mswap_init(void)
{
	unsigned int i;
	int ret;

	/*
	 * A device's slot, object, checksum and backing block are each one
	 * PAGE_SIZE page. Refuse a page size the core does not support
	 * before anything is registered: it takes 4, 16 and 64 KiB, all
	 * arm64 offers (make check runs the 64 KiB kernel; the host tests
	 * cover every size).
	 */
	if (mos_swap_page_size_check(PAGE_SIZE)) {
		pr_err("multios_swap: %lu-byte pages are not supported (4, 16 or 64 KiB only)\n",
		       PAGE_SIZE);
		return -EINVAL;
	}
	if (!num_devices || num_devices > MSWAP_MAX_DEVICES)
		return -EINVAL;
	ret = mswap_backing_init();
	if (ret)
		return ret;
	mswap_major = register_blkdev(0, "multios_swap");
	if (mswap_major < 0) {
		ret = mswap_major;
		goto out_backing;
	}
	/* The idr hands out the lowest free id: 0..num_devices - 1. */
	for (i = 0; i < num_devices; i++) {
		ret = mswap_add();
		if (ret < 0)
			goto out_devices;
	}
	ret = mswap_module_sysfs_init();
	if (ret)
		goto out_devices;
	/* Only now can hot_add run: the ids of load are taken, the major set. */
	ret = mswap_control_init();
	if (ret)
		goto out_sysfs;
	ret = multios_feature_add("swap");
	if (ret)
		goto out_control;
	pr_info("multios_swap: %u device(s)\n", num_devices);
	return 0;

out_control:
	mswap_control_exit();
out_sysfs:
	mswap_module_sysfs_exit();
out_devices:
	devices_destroy();
	unregister_blkdev(mswap_major, "multios_swap");
out_backing:
	mswap_backing_exit();
	return ret;
}

static void __exit mswap_exit(void)
{
	multios_feature_remove("swap");
	/* Waits for hot_add and hot_remove under way; no more come. */
	mswap_control_exit();
	mswap_module_sysfs_exit();
	/* The hot-added ones too: each is deleted, cleared and freed. */
	devices_destroy();
	unregister_blkdev(mswap_major, "multios_swap");
	mswap_backing_exit();
}

module_init(mswap_init);
module_exit(mswap_exit);

MODULE_DESCRIPTION("MultiOS compressed, deduplicating swap device");
MODULE_AUTHOR("MultiOS developers");
MODULE_LICENSE("GPL");
