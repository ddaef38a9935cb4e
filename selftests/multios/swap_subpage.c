// SPDX-License-Identifier: GPL-2.0-only
/*
 * Concurrent sub-page writes to a multios_swap device:
 *
 *   swap_subpage DEVICE PROCS PAGES ROUNDS
 *
 * PROCS processes (at most 8: one 512-byte sector of a 4 KiB page
 * each) write, with O_DIRECT, their own sector of each of the first
 * PAGES pages of DEVICE, ROUNDS times, every write stamped with (round,
 * process, page). The device's logical block is 512 bytes, so each
 * write is a read-modify-write of its page inside the driver; the
 * writes of one page by different processes never overlap, so every
 * sector must hold its writer's last write at any time. Each writer
 * checks that before every write of a round after the first (its own
 * sector still holds the previous round: nobody else writes it, so
 * anything else is a write another process's read-modify-write undid),
 * and the parent checks the last round at the end. Before the driver
 * made the read-modify-write atomic (a slot generation, issue 17) a
 * write could be lost this way. Prints the number of lost writes; exit
 * status 0 only if there are none.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define SECTOR 512
#define PAGE 4096
#define MAX_PROCS (PAGE / SECTOR)

/* The sector's stamp, repeated through its 512 bytes. */
static void stamp(uint32_t *buf, uint32_t round, uint32_t proc, uint32_t page)
{
	for (size_t i = 0; i < SECTOR / sizeof(*buf); i += 4) {
		buf[i] = 0x5ec70000u | proc;
		buf[i + 1] = round;
		buf[i + 2] = page;
		buf[i + 3] = ~round;
	}
}

/* Exit status of a writer that saw lost writes (1: an I/O error). */
#define LOST 3

static int writer(const char *dev, uint32_t proc, uint32_t pages, uint32_t rounds)
{
	uint32_t *buf, *page, lost = 0;
	int fd = open(dev, O_RDWR | O_DIRECT);

	if (fd < 0 || posix_memalign((void **)&buf, PAGE, SECTOR) ||
	    posix_memalign((void **)&page, PAGE, PAGE)) {
		perror(dev);
		return 1;
	}
	for (uint32_t r = 0; r < rounds; r++) {
		for (uint32_t p = 0; p < pages; p++) {
			off_t off = (off_t)p * PAGE + (off_t)proc * SECTOR;

			if (r) {
				if (pread(fd, page, PAGE, (off_t)p * PAGE) != PAGE) {
					perror("pread");
					return 1;
				}
				stamp(buf, r - 1, proc, p);
				if (memcmp(buf, (char *)page + proc * SECTOR, SECTOR)) {
					if (lost < 3)
						fprintf(stderr, "writer %u, page %u, round %u: its sector holds round %u\n",
							proc, p, r, page[proc * SECTOR / 4 + 1]);
					lost++;
				}
			}
			stamp(buf, r, proc, p);
			if (pwrite(fd, buf, SECTOR, off) != SECTOR) {
				perror("pwrite");
				return 1;
			}
		}
	}
	if (close(fd))
		return 1;
	if (lost)
		fprintf(stderr, "writer %u: %u lost writes\n", proc, lost);
	return lost ? LOST : 0;
}

int main(int argc, char **argv)
{
	uint32_t procs, pages, rounds, stale = 0, *want, *got;
	int fd, status, failed = 0, lost = 0;

	if (argc != 5) {
		fprintf(stderr, "usage: %s DEVICE PROCS PAGES ROUNDS\n", argv[0]);
		return 2;
	}
	procs = strtoul(argv[2], NULL, 0);
	pages = strtoul(argv[3], NULL, 0);
	rounds = strtoul(argv[4], NULL, 0);
	if (!procs || procs > MAX_PROCS || !pages || !rounds) {
		fprintf(stderr, "%s: 1 to %d processes, at least one page and round\n",
			argv[0], MAX_PROCS);
		return 2;
	}
	for (uint32_t i = 0; i < procs; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (!pid)
			_exit(writer(argv[1], i, pages, rounds));
	}
	while (wait(&status) > 0) {
		if (WIFEXITED(status) && WEXITSTATUS(status) == LOST)
			lost = 1;
		else
			failed |= !WIFEXITED(status) || WEXITSTATUS(status);
	}
	if (failed) {
		fprintf(stderr, "%s: a writer failed\n", argv[0]);
		return 1;
	}

	fd = open(argv[1], O_RDONLY | O_DIRECT);
	if (fd < 0 || posix_memalign((void **)&got, PAGE, PAGE) ||
	    posix_memalign((void **)&want, PAGE, SECTOR)) {
		perror(argv[1]);
		return 1;
	}
	for (uint32_t p = 0; p < pages; p++) {
		if (pread(fd, got, PAGE, (off_t)p * PAGE) != PAGE) {
			perror("pread");
			return 1;
		}
		for (uint32_t i = 0; i < procs; i++) {
			stamp(want, rounds - 1, i, p);
			if (memcmp(want, (char *)got + i * SECTOR, SECTOR)) {
				if (stale < 5)
					fprintf(stderr, "page %u sector %u: round %u, want %u\n", p, i,
						got[i * SECTOR / 4 + 1], rounds - 1);
				stale++;
			}
		}
	}
	printf("%u of %u sectors stale after %u rounds of %u writers%s\n", stale,
	       pages * procs, rounds, procs, lost ? "; writes were lost on the way" : "");
	return stale || lost ? 1 : 0;
}
