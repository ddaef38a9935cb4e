// SPDX-License-Identifier: GPL-2.0-only
/*
 * mini-init: PID 1 of the arm64 and riscv64 test guests, and the
 * initramfs of Debian's own kernel.
 *
 * The arm64 and riscv64 guests have no Debian userspace (no 9p root of
 * another architecture), so this small static program does what a test
 * needs: mount the pseudo filesystems, load the modules named on the
 * kernel command line (their KUnit suites run as they load), print the
 * files asked for, unload the modules, report, power off.
 *
 *   multios.insmod=a.ko,b.ko   load /modules/a.ko, then /modules/b.ko
 *   multios.root=9p            then mount the 9p root tools/guest.py
 *                              describes (root=, rootflags=) and hand
 *                              over to its init= (Debian's kernel has
 *                              virtio and 9p as modules: multios.insmod=
 *                              loads them first); nothing below runs
 *   multios.show=/sys/kernel/multios,/proc/multios/topology
 *                              print every file under each path
 *   multios.run=/bin/prog:-x:arg
 *                              run a program from the initramfs (':'
 *                              separates its arguments) after loading
 *                              and showing; a non-zero exit is a failure
 *   multios.rmmod=b,a          unload, in that order
 *
 * It prints MULTIOS-BEGIN first and MULTIOS-EXIT=<failures> last, the
 * markers tools/guest.py reads.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;

static void fail(const char *what, const char *name)
{
	printf("mini-init: %s %s: %s\n", what, name, strerror(errno));
	failures++;
}

/* The value of KEY (a whole word: "init=" is not "rdinit="), or NULL. */
static char *cmdline_value(const char *cmdline, const char *key)
{
	const char *p = cmdline;
	size_t len;

	while ((p = strstr(p, key)) && p != cmdline && p[-1] != ' ')
		p++;
	if (!p)
		return NULL;
	p += strlen(key);
	len = strcspn(p, " \n");
	return strndup(p, len);
}

static void load_module(const char *name)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "/modules/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fail("open", path);
		return;
	}
	if (syscall(SYS_finit_module, fd, "", 0))
		fail("insmod", path);
	else
		printf("mini-init: loaded %s\n", name);
	close(fd);
}

static void unload_module(const char *name)
{
	if (syscall(SYS_delete_module, name, O_NONBLOCK))
		fail("rmmod", name);
	else
		printf("mini-init: unloaded %s\n", name);
}

static void show_file(const char *path)
{
	char buf[4096];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		fail("open", path);
		return;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0) {
		fail("read", path);
		return;
	}
	buf[n] = '\0';
	/* One-line values as "path: value"; tables under their path. */
	if (n > 0 && !memchr(buf, '\n', n - 1))
		printf("%s: %s%s", path, buf, buf[n - 1] == '\n' ? "" : "\n");
	else
		printf("%s:\n%s", path, buf);
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static void show_tree(const char *path)
{
	struct dirent **entries;
	struct stat st;
	char child[512];
	int i, n;

	if (stat(path, &st)) {
		fail("stat", path);
		return;
	}
	if (!S_ISDIR(st.st_mode)) {
		show_file(path);
		return;
	}
	n = scandir(path, &entries, NULL, by_name);
	if (n < 0) {
		fail("scandir", path);
		return;
	}
	for (i = 0; i < n; i++) {
		if (entries[i]->d_name[0] != '.') {
			snprintf(child, sizeof(child), "%s/%s", path, entries[i]->d_name);
			show_tree(child);
		}
		free(entries[i]);
	}
	free(entries);
}

static void run_program(const char *cmd)
{
	char *args = strdup(cmd), *argv[32], *save = NULL;
	int argc = 0, status;
	pid_t pid;

	if (!args) {
		fail("run", cmd);
		return;
	}
	for (argv[0] = strtok_r(args, ":", &save); argv[argc] && argc < 31;)
		argv[++argc] = strtok_r(NULL, ":", &save);
	argv[argc] = NULL;
	if (!argc)
		return;
	printf("mini-init: running %s\n", cmd);
	pid = fork();
	if (pid == 0) {
		execv(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid) {
		fail("run", argv[0]);
	} else if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		printf("mini-init: %s failed (status %#x)\n", argv[0], status);
		failures++;
	}
	free(args);
}

/*
 * What an initramfs's switch_root does: the 9p root mounted on /root
 * becomes / and its init= replaces this program. On failure it returns,
 * and the guest reports the failure and powers off.
 */
static void switch_to_9p_root(const char *cmdline)
{
	char *tag = cmdline_value(cmdline, "root=");
	char *flags = cmdline_value(cmdline, "rootflags=");
	char *init = cmdline_value(cmdline, "init=");
	char *argv[] = { init, NULL };

	if (!tag || !flags || !init) {
		printf("mini-init: multios.root=9p needs root=, rootflags= and init=\n");
		failures++;
		return;
	}
	mkdir("/root", 0755);
	if (mount(tag, "/root", "9p", MS_RDONLY, flags)) {
		fail("mount 9p", tag);
		return;
	}
	if (chdir("/root") || mount(".", "/", NULL, MS_MOVE, NULL) || chroot(".") ||
	    chdir("/")) {
		fail("switch root to", tag);
		return;
	}
	printf("mini-init: 9p root mounted, handing over to %s\n", init);
	execv(init, argv);
	fail("exec", init);
}

static void for_each_item(char *list, void (*fn)(const char *))
{
	char *save = NULL;
	char *item;

	for (item = list ? strtok_r(list, ",", &save) : NULL; item;
	     item = strtok_r(NULL, ",", &save))
		fn(item);
}

int main(void)
{
	char cmdline[4096] = "";
	int fd;

	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);

	fd = open("/proc/cmdline", O_RDONLY);
	if (fd >= 0) {
		ssize_t n = read(fd, cmdline, sizeof(cmdline) - 1);

		cmdline[n > 0 ? n : 0] = '\0';
		close(fd);
	}
	printf("MULTIOS-BEGIN\n");
	for_each_item(cmdline_value(cmdline, "multios.insmod="), load_module);
	if (cmdline_value(cmdline, "multios.root=9p"))
		switch_to_9p_root(cmdline);
	for_each_item(cmdline_value(cmdline, "multios.show="), show_tree);
	for_each_item(cmdline_value(cmdline, "multios.run="), run_program);
	for_each_item(cmdline_value(cmdline, "multios.rmmod="), unload_module);
	/* Let the console drain whatever the kernel printed meanwhile. */
	sleep(1);
	printf("MULTIOS-EXIT=%d\n", failures);
	sync();
	reboot(RB_POWER_OFF);
	return 0;
}
