// SPDX-License-Identifier: GPL-2.0-only
/*
 * multios_swap: compressed, deduplicating swap block devices
 * /dev/multios_swap<N>. Used like zram: set disksize, mkswap, swapon.
 * Documentation/admin-guide/multios-swap.rst.
 */
#include <linux/blkdev.h>
#include <linux/module.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "../../core/shim/core.h"
#include "swapdev.h"

#define MSWAP_MAX_DEVICES	32

static unsigned int num_devices = 1;
module_param(num_devices, uint, 0444);
MODULE_PARM_DESC(num_devices, "Number of devices (1-32), fixed at load");

bool mswap_debug_knobs;
module_param_named(debug_knobs, mswap_debug_knobs, bool, 0444);
MODULE_PARM_DESC(debug_knobs, "Add the test-only debug_corrupt knob to each device");

static int mswap_major;
static struct mswap_dev *devices;

static void devices_destroy(unsigned int n)
{
	while (n--)
		mswap_dev_destroy(&devices[n]);
	kfree(devices);
	devices = NULL;
}

static int __init mswap_init(void)
{
	unsigned int i;
	int ret;

	/*
	 * The core's slots, objects and checksums are 4 KiB pages, and a
	 * device's block is a page: a kernel with 16 or 64 KiB pages (arm64
	 * distributions ship both) would mix the two. Refuse it before
	 * anything is registered.
	 */
	ret = -EINVAL;
	if (PAGE_SIZE != SZ_4K) {
		pr_err("multios_swap: needs 4 KiB pages; this kernel has %lu-byte pages\n",
		       PAGE_SIZE);
		goto out_streams;
	}
	if (!num_devices || num_devices > MSWAP_MAX_DEVICES)
		goto out_streams;
	ret = mswap_backing_init();
	if (ret)
		goto out_streams;
	mswap_major = register_blkdev(0, "multios_swap");
	if (mswap_major < 0) {
		ret = mswap_major;
		goto out_backing;
	}
	ret = -ENOMEM;
	devices = kcalloc(num_devices, sizeof(*devices), GFP_KERNEL);
	if (!devices)
		goto out_blkdev;
	for (i = 0; i < num_devices; i++) {
		ret = mswap_dev_create(&devices[i], i, mswap_major);
		if (ret) {
			devices_destroy(i);
			goto out_blkdev;
		}
	}
	ret = mswap_module_sysfs_init();
	if (ret)
		goto out_devices;
	ret = multios_feature_add("swap");
	if (ret)
		goto out_sysfs;
	pr_info("multios_swap: %u device(s)\n", num_devices);
	return 0;

out_sysfs:
	mswap_module_sysfs_exit();
out_devices:
	devices_destroy(num_devices);
out_blkdev:
	unregister_blkdev(mswap_major, "multios_swap");
out_backing:
	mswap_backing_exit();
out_streams:
	/* The KUnit suite may have set up the streams' state before init. */
	mswap_streams_exit();
	return ret;
}

static void __exit mswap_exit(void)
{
	multios_feature_remove("swap");
	mswap_module_sysfs_exit();
	devices_destroy(num_devices);
	unregister_blkdev(mswap_major, "multios_swap");
	mswap_backing_exit();
	mswap_streams_exit();
}

module_init(mswap_init);
module_exit(mswap_exit);

MODULE_DESCRIPTION("MultiOS compressed, deduplicating swap device");
MODULE_AUTHOR("MultiOS developers");
MODULE_LICENSE("GPL");
