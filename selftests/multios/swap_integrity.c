// SPDX-License-Identifier: GPL-2.0-only
/*
 * Swap integrity test for multios_swap, run inside a test guest with
 * swap on /dev/multios_swapN:
 *
 *   swap_integrity [-p PROCS] [-n PAGES] [-s SYSFS_DIR [-f]] [-w COMMAND]
 *                  [-D DEVICE -S MIB]
 *
 * Each of PROCS processes fills PAGES anonymous pages with known
 * contents (zero, same-filled, duplicate, random, text), records every
 * page's checksum, pushes the range out with MADV_PAGEOUT, checks that
 * most of it left RAM, then touches everything back and verifies every
 * page. With -s, the device's mm_stat and dedup_stat must show
 * same-filled and duplicate pages while the pages are out; with -f too
 * (one process only), the pages read back must have left the device
 * before the process exits: a device with rw_page gets SWP_SYNCHRONOUS_IO
 * in 6.1, so a swap-in of a page mapped once skips the swap cache and
 * frees its slot at once, as with zram. With -w, the
 * shell COMMAND runs once every process has pushed its pages out and
 * before any reads them back (the writeback test: the pages then come
 * back from the backing device); it must succeed too. With -D, the test
 * first sets up DEVICE (/dev/multios_swapN) itself, as a system without
 * mkswap or a shell would: disksize MIB MiB, a swap header, swapon; and
 * swapoff at the end (the initramfs guest of Debian's kernel).
 * Exit status 0 only if every page came back intact.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/swap.h>
#include <sys/wait.h>
#include <unistd.h>

#include "swap_pages.h"

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

#define KINDS 5

static uint64_t fnv(const unsigned char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (n--)
		h = (h ^ *p++) * 0x100000001b3ULL;
	return h;
}

static uint64_t xorshift(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* Page i of process `proc`: its kind is i % KINDS. */
static void fill(unsigned char *page, size_t i, int proc)
{
	uint64_t x = (uint64_t)proc << 32 | i, v;
	size_t o;
	int n;

	switch (i % KINDS) {
	case 0:			/* zero */
		memset(page, 0, PAGE);
		break;
	case 1:			/* same-filled with a per-page value */
		v = 0x0101010101010101ULL * ((i / KINDS) % 255 + 1);
		for (o = 0; o < PAGE; o += 8)
			memcpy(page + o, &v, 8);
		break;
	case 2:			/* one of 8 pages, shared across processes */
		x = (i / KINDS) % 8 + 1;
		for (o = 0; o < PAGE; o += 8) {
			v = xorshift(&x);
			memcpy(page + o, &v, 8);
		}
		break;
	case 3:			/* random: does not compress */
		x = x * 0x9e3779b97f4a7c15ULL + 1;
		for (o = 0; o < PAGE; o += 8) {
			v = xorshift(&x);
			memcpy(page + o, &v, 8);
		}
		break;
	default:		/* text: compresses */
		for (o = 0; o < PAGE; o += n)
			n = snprintf((char *)page + o, PAGE - o,
				     "process %d page %zu offset %zu: the quick brown fox\n",
				     proc, i, o);
		break;
	}
}

static int check_stats(const char *dir)
{
	unsigned long long mm[9], dd[4];

	if (read_fields(dir, "mm_stat", mm, 9) || read_fields(dir, "dedup_stat", dd, 4)) {
		printf("cannot read %s/mm_stat or dedup_stat\n", dir);
		return -1;
	}
	printf("mm_stat: orig %llu compr %llu used %llu same %llu huge %llu; dedup: dup %llu saved %llu\n",
	       mm[0], mm[1], mm[2], mm[5], mm[7], dd[0], dd[1]);
	if (!mm[0] || !mm[5] || !dd[0]) {
		printf("expected stored, same-filled and duplicate pages\n");
		return -1;
	}
	return 0;
}

/* What mkswap writes: the v1 header in the first page, magic at its end. */
static int write_swap_header(int fd, unsigned long pages)
{
	unsigned char *page = calloc(1, PAGE);
	uint32_t info[3] = { 1, (uint32_t)(pages - 1), 0 };	/* version, last_page, nr_badpages */
	int ret;

	if (!page)
		return -1;
	memcpy(page + 1024, info, sizeof(info));
	memcpy(page + PAGE - 10, "SWAPSPACE2", 10);
	ret = pwrite(fd, page, PAGE, 0) == (ssize_t)PAGE && !fsync(fd) ? 0 : -1;
	free(page);
	return ret;
}

static int swap_device_on(const char *dev, unsigned long mib)
{
	const char *name = strrchr(dev, '/') ? strrchr(dev, '/') + 1 : dev;
	char path[256];
	FILE *f;
	int fd, ret;

	snprintf(path, sizeof(path), "/sys/block/%s/disksize", name);
	f = fopen(path, "w");
	if (!f || fprintf(f, "%luM\n", mib) < 0 || fclose(f)) {
		perror(path);
		return -1;
	}
	fd = open(dev, O_RDWR);
	if (fd < 0) {
		perror(dev);
		return -1;
	}
	ret = write_swap_header(fd, (mib << 20) / PAGE);
	close(fd);
	if (ret || swapon(dev, 0)) {
		perror("swap header or swapon");
		return -1;
	}
	printf("swapon %s (%lu MiB)\n", dev, mib);
	return 0;
}

/* -w: children say "out" on `ready`, then wait for `go` to close. */
static int ready[2] = { -1, -1 }, go[2] = { -1, -1 };

static void wait_for_go(void)
{
	char c = 0;

	if (ready[1] < 0)
		return;
	if (write(ready[1], &c, 1) != 1 || read(go[0], &c, 1) != 0)
		printf("lost the -w handshake\n");
}

/* Parent: once every child is out (or gone), run the command, let them go. */
static int run_between(const char *cmd, int procs)
{
	int got = 0, status;
	char c;

	close(ready[1]);
	close(go[0]);
	while (got < procs && read(ready[0], &c, 1) == 1)
		got++;
	printf("%d of %d processes paged out; running: %s\n", got, procs, cmd);
	status = system(cmd);
	close(go[1]);
	if (status) {
		printf("-w command failed (status %d)\n", status);
		return 1;
	}
	return 0;
}

/*
 * -f: after the read back, mm_stat's orig_data_size must be under a
 * quarter of what this process stored. A freed slot can wait in the swap
 * slot cache of the CPU that freed it (64 a CPU) before the device hears
 * of it; the process is pinned to one CPU (run()), so at most 64 wait.
 */
static int check_freed(const char *dir, size_t pages)
{
	unsigned long long mm[1];

	if (read_fields(dir, "mm_stat", mm, 1))
		return -1;
	printf("after the read back: orig_data_size %llu of %zu bytes stored\n",
	       mm[0], pages * PAGE);
	if (mm[0] >= pages / 4 * PAGE) {
		printf("the pages read back did not leave the device: no synchronous swap-in?\n");
		return -1;
	}
	return 0;
}

static int run(int proc, size_t pages, const char *sysfs, int check, int freed)
{
	unsigned char *mem, *tmp = malloc(PAGE);
	uint64_t *sum = calloc(pages, sizeof(*sum));
	size_t i, bad = 0;
	int res;

	if (freed && pin_to_this_cpu()) {
		perror("sched_setaffinity");
		return 1;
	}
	mem = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED || !tmp || !sum) {
		perror("alloc");
		return 1;
	}
	for (i = 0; i < pages; i++) {
		fill(mem + i * PAGE, i, proc);
		sum[i] = fnv(mem + i * PAGE, PAGE);
	}
	/* Zero pages count too: a zero page written by memset is anonymous memory. */
	if (madvise(mem, pages * PAGE, MADV_PAGEOUT)) {
		perror("madvise(MADV_PAGEOUT)");
		return 1;
	}
	res = resident_pages(mem, pages);
	wait_for_go();
	if (res < 0 || (size_t)res > pages / 4) {
		printf("proc %d: %d of %zu pages still resident after MADV_PAGEOUT\n",
		       proc, res, pages);
		return 1;
	}
	if (check && sysfs && check_stats(sysfs))
		return 1;
	for (i = 0; i < pages; i++) {
		if (fnv(mem + i * PAGE, PAGE) == sum[i])
			continue;
		fill(tmp, i, proc);
		if (bad++ < 5)
			printf("proc %d: page %zu (kind %zu) differs%s\n", proc, i,
			       i % KINDS, memcmp(tmp, mem + i * PAGE, PAGE) ? "" :
			       " (checksum only?)");
	}
	printf("proc %d: %zu pages out (%d resident), %zu bad\n", proc, pages, res, bad);
	if (!bad && freed && sysfs && check_freed(sysfs, pages))
		return 1;
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	const char *sysfs = NULL, *between = NULL, *device = NULL;
	unsigned long mib = 256;
	size_t pages = 2048;
	int procs = 4, opt, p, status, failed = 0, freed = 0;

	while ((opt = getopt(argc, argv, "p:n:s:fw:D:S:")) != -1) {
		switch (opt) {
		case 'p': procs = atoi(optarg); break;
		case 'n': pages = strtoul(optarg, NULL, 0); break;
		case 's': sysfs = optarg; break;
		case 'f': freed = 1; break;
		case 'w': between = optarg; break;
		case 'D': device = optarg; break;
		case 'S': mib = strtoul(optarg, NULL, 0); break;
		default:
			fprintf(stderr, "usage: %s [-p PROCS] [-n PAGES] [-s SYSFS_DIR [-f]] [-w COMMAND]"
				" [-D DEVICE -S MIB]\n", argv[0]);
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (freed && (procs != 1 || !sysfs)) {
		fprintf(stderr, "%s: -f needs -p 1 and -s\n", argv[0]);
		return 2;
	}
	if (device && swap_device_on(device, mib))
		return 1;
	if (between && (pipe(ready) || pipe(go))) {
		perror("pipe");
		return 1;
	}
	for (p = 0; p < procs; p++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("fork");
			return 1;
		}
		/* The first process checks the device's statistics. */
		if (!pid) {
			if (between) {
				close(ready[0]);
				close(go[1]);
			}
			_exit(run(p, pages, sysfs, p == 0, freed));
		}
	}
	if (between && run_between(between, procs))
		failed++;
	while (wait(&status) > 0)
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			failed++;
	printf("%d of %d processes failed\n", failed, procs);
	if (device && swapoff(device)) {
		perror("swapoff");
		failed++;
	}
	return failed ? 1 : 0;
}
