// SPDX-License-Identifier: GPL-2.0-only
/*
 * One swap benchmark run, inside a guest with exactly one swap device on:
 *
 *   swap_bench -d DATASET -m MIB -s SYSFS_DIR -n NAME [-r REPETITION]
 *
 * DATASET: dupN (synthetic text-like pages, N % of them copies of
 * earlier ones) or files (pages read from /usr/lib and /usr/share).
 * Pinned to the CPU it starts on, fills MIB of anonymous memory, pushes
 * it out with MADV_PAGEOUT (timed: swap-out; see page_out()), reads the
 * device's mm_stat (memory used, compressed bytes, pages kept whole: what
 * this run added), touches every page back (timed: swap-in) and verifies
 * it. CPU seconds are this
 * process's user+system time over both phases: compression and
 * decompression run in its context (direct reclaim, page faults).
 * Prints one JSON object; REPETITION (default 1) is only copied into it.
 * If mm_stat cannot be read (before or after), its three figures are
 * null, not 0, stderr says why, and the exit status is 1: the timings
 * still reach tools/bench-swap-report.py, which then fails too. If a
 * figure shrank during the run, it is printed negative, stderr says so,
 * and the exit status is 1 (the report rejects the line).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../multios/swap_pages.h"

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

static uint64_t rng = 88172645463325252ULL;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static const char *words[] = {
	"kernel", "page", "swap", "memory", "compress", "the", "of", "and",
	"device", "block", "slot", "index", "value", "error", "return", "struct",
	"int", "unsigned", "long", "static", "void", "const", "char", "if",
};

/* A page like program data: words, numbers, some binary. */
static void synth_page(unsigned char *p)
{
	size_t o = 0;

	while (o < PAGE) {
		uint64_t r = next();
		int n;

		if (r % 4 == 0) {
			uint64_t v = next();
			n = PAGE - o < 8 ? PAGE - o : 8;
			memcpy(p + o, &v, n);
		} else {
			const char *w = words[r % (sizeof(words) / sizeof(words[0]))];
			n = snprintf((char *)p + o, PAGE - o, "%s %u ", w, (unsigned)(r >> 40) % 1000);
			if (n >= (int)(PAGE - o))
				n = PAGE - o;
		}
		o += n;
	}
}

/*
 * Exactly dup_pct % of the pages (rounded down) are copies of a random
 * earlier page, spread evenly: page i is one when i * dup_pct / 100 steps
 * to the next integer. Returns how many pages are copies.
 */
static size_t fill_synth(unsigned char *mem, size_t pages, int dup_pct)
{
	size_t i, copies = 0;

	for (i = 0; i < pages; i++) {
		if (i > 0 && (i + 1) * dup_pct / 100 != i * dup_pct / 100) {
			memcpy(mem + i * PAGE, mem + (next() % i) * PAGE, PAGE);
			copies++;
		} else {
			synth_page(mem + i * PAGE);
		}
	}
	return copies;
}

static size_t fill_dir(const char *dir, unsigned char *mem, size_t pages, size_t at, int depth)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d || depth > 8)
		return at;
	while (at < pages && (e = readdir(d))) {
		char path[4096];
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (lstat(path, &st))
			continue;
		if (S_ISDIR(st.st_mode)) {
			at = fill_dir(path, mem, pages, at, depth + 1);
		} else if (S_ISREG(st.st_mode) && st.st_size >= PAGE) {
			int fd = open(path, O_RDONLY);
			ssize_t n;

			if (fd < 0)
				continue;
			while (at < pages && (n = read(fd, mem + at * PAGE, PAGE)) == PAGE)
				at++;
			close(fd);
		}
	}
	closedir(d);
	return at;
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static double cpu(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/* mm_stat's first three fields and huge_pages (the 8th), zram's layout. */
struct mm_stat {
	unsigned long long orig, compr, used, huge;
};

/*
 * Reads SYSFS/mm_stat into *st: 0, or -1 (said on stderr) if the file
 * cannot be opened or has fewer than 8 numbers. Never a 0 for "unknown":
 * a device that used no memory would look perfect.
 */
static int mm_stat(const char *sysfs, struct mm_stat *st)
{
	unsigned long long f[8];

	if (read_fields(sysfs, "mm_stat", f, 8)) {
		fprintf(stderr, "swap_bench: %s/mm_stat: cannot read its 8 numbers\n", sysfs);
		return -1;
	}
	st->orig = f[0];
	st->compr = f[1];
	st->used = f[2];
	st->huge = f[7];
	return 0;
}

/*
 * after - before as a JSON value: the number, negative if the figure
 * shrank (never the unsigned wrap-around, 2^64 less a little), or null
 * if !ok.
 */
static const char *grown(char *buf, size_t n, int ok, unsigned long long after,
			 unsigned long long before)
{
	if (!ok)
		return "null";
	if (after >= before)
		snprintf(buf, n, "%llu", after - before);
	else
		snprintf(buf, n, "-%llu", before - after);
	return buf;
}

/*
 * A device's figures only grow while this run stores pages on it: one
 * that shrank measured something else (a reset, pages freed meanwhile).
 * Says so on stderr; 1 if one did.
 */
static int shrank(const char *sysfs, const struct mm_stat *before, const struct mm_stat *after)
{
	if (after->used >= before->used && after->compr >= before->compr &&
	    after->huge >= before->huge)
		return 0;
	fprintf(stderr, "swap_bench: %s/mm_stat shrank during the run (used %llu -> %llu, "
		"compressed %llu -> %llu, huge %llu -> %llu): memory figures not of this run\n",
		sysfs, before->used, after->used, before->compr, after->compr,
		before->huge, after->huge);
	return 1;
}

/*
 * MADV_PAGEOUT skips a page it cannot isolate, such as one still in an
 * LRU batch of another CPU, and both devices must be given the same
 * pages. The run is pinned to one CPU (main()), so madvise()'s own drain
 * empties the batches, and the pages still resident are pushed again, a
 * few rounds at most. Returns how many stayed resident (reported), or -1
 * if madvise() or mincore() failed.
 */
static int page_out(unsigned char *mem, size_t pages)
{
	int round, resident = -1;

	for (round = 0; round < 4 && resident != 0; round++) {
		if (madvise(mem, pages * PAGE, MADV_PAGEOUT))
			return -1;
		resident = resident_pages(mem, pages);
		if (resident < 0)
			return -1;
	}
	return resident;
}

static uint64_t fnv(const unsigned char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (n--)
		h = (h ^ *p++) * 0x100000001b3ULL;
	return h;
}

int main(int argc, char **argv)
{
	const char *dataset = "dup0", *sysfs = "/sys/block/zram0", *name = "?";
	size_t mib = 64, pages, i, bad = 0;
	unsigned char *mem;
	uint64_t *sum;
	double t0, t1, t2, c0, c1, c2;
	unsigned long long touched = 0;
	size_t copies = 0;
	struct mm_stat before, after;
	char used[24], compr[24], huge[24];
	int opt, rep = 1, resident, mm_ok, mm_shrank;

	while ((opt = getopt(argc, argv, "d:m:s:n:r:")) != -1) {
		switch (opt) {
		case 'd': dataset = optarg; break;
		case 'm': mib = strtoul(optarg, NULL, 0); break;
		case 's': sysfs = optarg; break;
		case 'n': name = optarg; break;
		case 'r': rep = atoi(optarg); break;
		default: return 2;
		}
	}
	if (pin_to_this_cpu())
		return 1;
	pages = mib * 256;
	mem = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	sum = calloc(pages, sizeof(*sum));
	if (mem == MAP_FAILED || !sum)
		return 1;
	if (!strcmp(dataset, "files")) {
		size_t got = fill_dir("/usr/lib", mem, pages, 0, 0);

		got = fill_dir("/usr/share", mem, pages, got, 0);
		pages = got;
	} else if (!strncmp(dataset, "dup", 3)) {
		copies = fill_synth(mem, pages, atoi(dataset + 3));
	} else {
		return 2;
	}
	for (i = 0; i < pages; i++)
		sum[i] = fnv(mem + i * PAGE, PAGE);
	mm_ok = !mm_stat(sysfs, &before);
	c0 = cpu();
	t0 = now();
	resident = page_out(mem, pages);
	if (resident < 0)
		return 1;
	t1 = now();
	c1 = cpu();
	mm_ok = !mm_stat(sysfs, &after) && mm_ok;
	mm_shrank = mm_ok && shrank(sysfs, &before, &after);
	/* Swap-in: one read per page faults it back; verify afterwards. */
	for (i = 0; i < pages; i++)
		touched += ((volatile unsigned char *)mem)[i * PAGE];
	t2 = now();
	c2 = cpu();
	for (i = 0; i < pages; i++)
		if (fnv(mem + i * PAGE, PAGE) != sum[i])
			bad++;
	printf("BENCH {\"device\": \"%s\", \"dataset\": \"%s\", \"rep\": %d, \"bytes\": %zu, "
	       "\"mem_used\": %s, \"compr_bytes\": %s, \"huge_pages\": %s, "
	       "\"out_s\": %.3f, \"in_s\": %.3f, \"cpu_out_s\": %.3f, "
	       "\"cpu_in_s\": %.3f, \"resident_pages\": %d, \"copies\": %zu, \"bad_pages\": %zu}\n",
	       name, dataset, rep, pages * PAGE,
	       grown(used, sizeof(used), mm_ok, after.used, before.used),
	       grown(compr, sizeof(compr), mm_ok, after.compr, before.compr),
	       grown(huge, sizeof(huge), mm_ok, after.huge, before.huge),
	       t1 - t0, t2 - t1, c1 - c0, c2 - c1, resident, copies, bad);
	return bad || !mm_ok || mm_shrank || touched == 1 ? 1 : 0;
}
