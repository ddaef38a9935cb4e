/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the swap test programs (swap_integrity.c, swap_bench.c) share:
 * counting resident pages, reading a device's stat file, pinning to one
 * CPU. Static functions: each program is one static binary.
 */
#ifndef MULTIOS_SELFTESTS_SWAP_PAGES_H
#define MULTIOS_SELFTESTS_SWAP_PAGES_H

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

/*
 * The running kernel's page size: a swap slot holds one page, and arm64
 * kernels come with 4, 16 or 64 KiB pages. Read once.
 */
static size_t page_bytes_cached;

static inline size_t page_bytes(void)
{
	if (!page_bytes_cached)
		page_bytes_cached = (size_t)sysconf(_SC_PAGESIZE);
	return page_bytes_cached;
}

#define PAGE page_bytes()

/* How many of `pages` pages at `mem` are resident (mincore), or -1. */
static int resident_pages(unsigned char *mem, size_t pages)
{
	unsigned char *vec = malloc(pages);
	int n = 0;
	size_t i;

	if (!vec || mincore(mem, pages * PAGE, vec)) {
		free(vec);
		return -1;
	}
	for (i = 0; i < pages; i++)
		n += vec[i] & 1;
	free(vec);
	return n;
}

/* The first n numbers of DIR/FILE (mm_stat, dedup_stat, ...): 0 or -1. */
static int read_fields(const char *dir, const char *file, unsigned long long *f, int n)
{
	char path[256];
	FILE *fp;
	int i;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fp = fopen(path, "r");
	if (!fp)
		return -1;
	for (i = 0; i < n; i++)
		if (fscanf(fp, "%llu", &f[i]) != 1)
			break;
	fclose(fp);
	return i == n ? 0 : -1;
}

/*
 * Pins the caller to the CPU it runs on: its faults then fill that CPU's
 * LRU batches and swap slot cache only, which madvise() and the slot
 * cache's own flush empty. 0 or -1.
 */
static int pin_to_this_cpu(void)
{
	int cpu = sched_getcpu();
	cpu_set_t one;

	CPU_ZERO(&one);
	CPU_SET(cpu < 0 ? 0 : cpu, &one);
	return sched_setaffinity(0, sizeof(one), &one);
}

#endif
