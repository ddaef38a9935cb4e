// SPDX-License-Identifier: GPL-2.0-only
/*
 * mos_sched_tool: what selftests/multios/multios_sched_test.sh needs and
 * Debian's util-linux cannot do (chrt knows no policy 12). Static, libc
 * only; built by the test script (or beforehand, see the script).
 *
 *   set PID NICE                       SCHED_MULTIOS, an ordinary task
 *   edf PID RUNTIME DEADLINE PERIOD    SCHED_MULTIOS EDF (ns); exit = errno
 *   get PID                            "policy P nice N runtime R deadline D period T"
 *   hog SECONDS                        a CPU hog
 *   pulse SECONDS                      1 ms of CPU every 20 ms
 *   nap MS SECONDS                     sleep MS at a time, almost no CPU
 *   write FILE VALUE                   write(2) VALUE; prints the errno name
 *   swarm N READY GO                   N tasks in the class; see swarm()
 *   periodic multios|deadline N RUNTIME_US PERIOD_US WORK_US SECONDS
 *                                      an EDF task set; see periodic()
 *   numa NODES PER_NODE KIB PASSES     memory-bound workers; see numa()
 *   zombie N                           sched_setattr() on N zombies; see zombie()
 *   churn N SECONDS                    fork, exit and policy changes; see churn()
 *   flood N CPU SECONDS                N class hogs pinned to one CPU; see flood()
 *   piboost SECONDS                    a class thread boosted to RT by PI; see piboost()
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/mempolicy.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sched.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SCHED_NORMAL	0
#define SCHED_DEADLINE	6
#define SCHED_MULTIOS	12

struct sched_attr {
	uint32_t size;
	uint32_t sched_policy;
	uint64_t sched_flags;
	int32_t sched_nice;
	uint32_t sched_priority;
	uint64_t sched_runtime;
	uint64_t sched_deadline;
	uint64_t sched_period;
};

static int setattr(pid_t pid, uint32_t policy, int nice, uint64_t runtime,
		   uint64_t deadline, uint64_t period)
{
	struct sched_attr a = {
		.size = sizeof(a), .sched_policy = policy, .sched_nice = nice,
		.sched_runtime = runtime, .sched_deadline = deadline,
		.sched_period = period,
	};

	return syscall(SYS_sched_setattr, pid, &a, 0) ? errno : 0;
}

static int getattr(pid_t pid, struct sched_attr *a)
{
	memset(a, 0, sizeof(*a));
	return syscall(SYS_sched_getattr, pid, a, sizeof(*a), 0) ? errno : 0;
}

static uint64_t now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void sleep_until(uint64_t t)
{
	struct timespec ts = { .tv_sec = t / 1000000000ull, .tv_nsec = t % 1000000000ull };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

static void spin_cpu(uint64_t ns)
{
	uint64_t end = now_ns(CLOCK_THREAD_CPUTIME_ID) + ns;

	while (now_ns(CLOCK_THREAD_CPUTIME_ID) < end)
		;
}

static int report(int err)
{
	if (err)
		printf("%s\n", strerrorname_np(err) ?: strerror(err));
	return err;
}

/* se.vruntime from /proc/PID/sched (CONFIG_SCHED_DEBUG), -1 if none. */
static double vruntime(pid_t pid)
{
	char path[64], line[256];
	double v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/sched", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (!strncmp(line, "se.vruntime", 11) && colon)
			v = strtod(colon + 1, NULL);
	}
	fclose(f);
	return v;
}

static void wait_for_file(const char *path)
{
	struct stat st;

	while (stat(path, &st))
		usleep(50000);
}

/*
 * N tasks of the class, each: 0.1 ms of CPU, then 200 ms asleep (300 of
 * them keep a sixth of a CPU busy, so CFS is never starved), counting
 * rounds. Phase 1 (in the class): every task makes progress and no
 * se.vruntime moves (CFS does not run them). Then READY is created and
 * the script unloads the module and creates GO. Phase 2: every task is
 * alive, still SCHED_MULTIOS by policy, makes progress, and its
 * se.vruntime moves (CFS runs it). Prints one line per check.
 */
static int swarm(int n, const char *ready, const char *go)
{
	volatile uint64_t *rounds = mmap(NULL, n * sizeof(uint64_t), PROT_READ | PROT_WRITE,
					 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t *pids = calloc(n, sizeof(*pids));
	uint64_t *before = calloc(n, sizeof(*before));
	double *vr = calloc(n, sizeof(*vr));
	int i, bad_setattr = 0, moved, progressed, alive, policy12, status, ok = 1;
	struct sched_attr a;

	if (rounds == MAP_FAILED || !pids || !before || !vr)
		return 1;
	for (i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			for (;;) {
				spin_cpu(100000);
				rounds[i]++;
				usleep(200000);
			}
		}
		if (setattr(pids[i], SCHED_MULTIOS, i % 10, 0, 0, 0))
			bad_setattr++;
	}
	printf("# %d tasks started, %d not opted in\n", n, bad_setattr);
	ok &= !bad_setattr;

	/* Phase 1: in the class. */
	sleep(2);
	for (i = 0; i < n; i++) {
		before[i] = rounds[i];
		vr[i] = vruntime(pids[i]);
	}
	sleep(2);
	for (i = 0, moved = 0, progressed = 0; i < n; i++) {
		moved += vruntime(pids[i]) != vr[i];
		progressed += rounds[i] > before[i];
	}
	printf("in-class: progressed %d/%d, se.vruntime moved %d (want 0)\n", progressed, n, moved);
	ok &= progressed == n && moved == 0;
	fflush(stdout);

	close(open(ready, O_CREAT | O_WRONLY, 0644));
	wait_for_file(go);

	/* Phase 2: back in CFS. */
	sleep(1);
	for (i = 0; i < n; i++) {
		before[i] = rounds[i];
		vr[i] = vruntime(pids[i]);
	}
	sleep(2);
	for (i = 0, moved = 0, progressed = 0, alive = 0, policy12 = 0; i < n; i++) {
		moved += vruntime(pids[i]) != vr[i];
		progressed += rounds[i] > before[i];
		alive += waitpid(pids[i], &status, WNOHANG) == 0;
		policy12 += !getattr(pids[i], &a) && a.sched_policy == SCHED_MULTIOS;
	}
	printf("after: alive %d/%d, progressed %d/%d, se.vruntime moved %d/%d, policy 12 kept %d/%d\n",
	       alive, n, progressed, n, moved, n, policy12, n);
	ok &= alive == n && progressed == n && moved == n && policy12 == n;
	for (i = 0; i < n; i++)
		kill(pids[i], SIGKILL);
	while (wait(NULL) > 0)
		;
	return !ok;
}

/* Per task of periodic(), in shared memory. */
struct periodic_stats {
	int setattr_err;
	uint64_t jobs, misses, max_late_ns;
	uint64_t migrations;	/* jobs started on another CPU than the last */
	uint64_t shared;	/* jobs started next to another job on their CPU */
	uint64_t shared_misses;	/* misses among those */
	volatile int cpu;	/* while in a job, else -1 */
};

/*
 * SIGINT or SIGTERM ends a periodic() set early, with its report: the
 * flag is shared with the tasks (they are forked), which stop at their
 * next release. A load that must last exactly as long as something else
 * (the hot-plug test's cycles) is started long and stopped so.
 */
static volatile int *periodic_stop;

static void stop_periodic(int sig)
{
	(void)sig;
	*periodic_stop = 1;
}

/* Another task of the set is in a job on cpu now. */
static int job_on_cpu(struct periodic_stats *st, int n, int self, int cpu)
{
	for (int i = 0; i < n; i++)
		if (i != self && st[i].cpu == cpu)
			return 1;
	return 0;
}

/*
 * Task self of n. Besides misses it counts what explains them: a job that
 * starts on a CPU where another job of the set is running shares that CPU
 * (two reservations on one CPU: with one task per CPU at U > 50 % that is
 * an overload until one of them moves), and a start on another CPU than
 * the last job's is a migration.
 */
static void periodic_task(struct periodic_stats *all, int n, int self, uint32_t policy,
			  uint64_t runtime, uint64_t period, uint64_t work, uint64_t start,
			  uint64_t end)
{
	struct periodic_stats *st = &all[self];
	uint64_t release, done;
	int cpu, last_cpu = -1, shared;

	st->setattr_err = setattr(0, policy, 0, runtime, period, period);
	if (st->setattr_err)
		_exit(1);
	for (release = start; release + period <= end && !*periodic_stop; release += period) {
		sleep_until(release);
		cpu = sched_getcpu();
		st->cpu = cpu;
		__sync_synchronize();	/* publish before looking at the others */
		shared = job_on_cpu(all, n, self, cpu);
		st->migrations += last_cpu >= 0 && cpu != last_cpu;
		last_cpu = cpu;
		spin_cpu(work);
		st->cpu = -1;
		done = now_ns(CLOCK_MONOTONIC);
		st->jobs++;
		st->shared += shared;
		if (done > release + period) {
			st->misses++;
			st->shared_misses += shared;
			if (done - release - period > st->max_late_ns)
				st->max_late_ns = done - release - period;
		}
	}
	_exit(0);
}

/*
 * N periodic tasks (runtime/period reserved, WORK_US of CPU per job,
 * implicit deadlines), releases staggered by period/N, for SECONDS or
 * until SIGINT/SIGTERM. A job misses when it completes after release +
 * period. Prints
 * "jobs J misses M max_late_us L setattr_failed F migrations G shared S
 * shared_misses X" (see periodic_task()); exit 1 if a
 * setattr failed.
 */
static int periodic(const char *which, int n, uint64_t runtime_us, uint64_t period_us,
		    uint64_t work_us, int seconds)
{
	uint32_t policy = !strcmp(which, "deadline") ? SCHED_DEADLINE : SCHED_MULTIOS;
	struct periodic_stats *st = mmap(NULL, n * sizeof(*st), PROT_READ | PROT_WRITE,
					 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	uint64_t period = period_us * 1000, t0, jobs = 0, misses = 0, late = 0;
	uint64_t migrations = 0, shared = 0, shared_misses = 0;
	struct sigaction stop = { .sa_handler = stop_periodic };	/* no SA_RESTART */
	int i, failed = 0;

	periodic_stop = mmap(NULL, sizeof(*periodic_stop), PROT_READ | PROT_WRITE,
			     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (st == MAP_FAILED || periodic_stop == MAP_FAILED)
		return 1;
	*periodic_stop = 0;
	sigaction(SIGINT, &stop, NULL);
	sigaction(SIGTERM, &stop, NULL);
	memset(st, 0, n * sizeof(*st));
	for (i = 0; i < n; i++)
		st[i].cpu = -1;
	t0 = now_ns(CLOCK_MONOTONIC) + 500000000ull;
	for (i = 0; i < n; i++) {
		if (fork() == 0)
			periodic_task(st, n, i, policy, runtime_us * 1000, period, work_us * 1000,
				      t0 + period * i / n, t0 + seconds * 1000000000ull);
	}
	/* A signal interrupts wait(): wait on until every task has ended. */
	while (wait(NULL) > 0 || errno == EINTR)
		;
	for (i = 0; i < n; i++) {
		failed += st[i].setattr_err != 0;
		jobs += st[i].jobs;
		misses += st[i].misses;
		migrations += st[i].migrations;
		shared += st[i].shared;
		shared_misses += st[i].shared_misses;
		if (st[i].max_late_ns > late)
			late = st[i].max_late_ns;
	}
	printf("jobs %llu misses %llu max_late_us %llu setattr_failed %d migrations %llu shared %llu shared_misses %llu\n",
	       (unsigned long long)jobs, (unsigned long long)misses,
	       (unsigned long long)(late / 1000), failed, (unsigned long long)migrations,
	       (unsigned long long)shared, (unsigned long long)shared_misses);
	return failed != 0;
}

/* Per worker of numa(), in shared memory. */
struct numa_stats {
	int bind_err;
	uint64_t samples, remote, migrations, done_ns;
};

/*
 * Worker of numa(): its memory bound to node (set_mempolicy MPOL_BIND,
 * first touched after the bind, so every page is on node), then PASSES
 * times: sweep the buffer, see which node's CPU it ran on, sleep 1 ms.
 * The sleeps are what a server's threads do, and the wake-ups are where
 * a scheduler places a task; the sweep is the work whose memory is on
 * node, local or remote.
 */
static void numa_worker(struct numa_stats *st, int node, size_t bytes, int passes)
{
	unsigned long mask[16] = { 0 };
	unsigned int cpu, here;
	int last_cpu = -1;
	unsigned char *buf;

	if (node >= (int)(8 * sizeof(mask))) {
		st->bind_err = EINVAL;
		_exit(1);
	}
	mask[node / (8 * sizeof(long))] = 1ul << (node % (8 * sizeof(long)));
	/* The kernel reads maxnode - 1 bits of the mask. */
	if (syscall(SYS_set_mempolicy, MPOL_BIND, mask, 8 * sizeof(mask) + 1)) {
		st->bind_err = errno;
		_exit(1);
	}
	buf = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED) {
		st->bind_err = errno;
		_exit(1);
	}
	memset(buf, 1, bytes);
	for (int pass = 0; pass < passes; pass++) {
		for (size_t i = 0; i < bytes; i += 64)
			buf[i]++;
		if (syscall(SYS_getcpu, &cpu, &here, NULL) == 0) {
			st->samples++;
			st->remote += (int)here != node;
			st->migrations += last_cpu >= 0 && (int)cpu != last_cpu;
			last_cpu = cpu;
		}
		usleep(1000);
	}
	st->done_ns = now_ns(CLOCK_MONOTONIC);
	_exit(0);
}

/*
 * NODES x PER_NODE workers, worker i's memory (KIB KiB) bound to node
 * i % NODES, each doing PASSES passes (see numa_worker()). Prints
 * "samples S remote R migrations G seconds T failed F": R of the S
 * passes ran on a CPU of another node than their memory's, G passes
 * started on another CPU than the last, T is the time until the last
 * worker finished, F workers failed (a bind, a fork, or a worker that
 * did not exit 0). Exit 1 if any failed. Nodes are numbered 0..NODES-1,
 * each with CPUs and memory.
 */
static int numa(int nodes, int per_node, size_t kib, int passes)
{
	int i, n = nodes * per_node, failed = 0, status;
	struct numa_stats *st;
	pid_t pid;
	uint64_t t0, last = 0, samples = 0, remote = 0, migrations = 0;

	if (nodes < 1 || per_node < 1 || kib < 1 || passes < 1)
		return 2;
	st = mmap(NULL, n * sizeof(*st), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		  -1, 0);
	if (st == MAP_FAILED)
		return 1;
	memset(st, 0, n * sizeof(*st));
	t0 = now_ns(CLOCK_MONOTONIC);
	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid == 0)
			numa_worker(&st[i], i % nodes, kib * 1024, passes);
		failed += pid < 0;
	}
	/* A worker that did not finish (a signal, the OOM killer) failed. */
	while ((pid = wait(&status)) > 0)
		failed += !WIFEXITED(status) || WEXITSTATUS(status);
	for (i = 0; i < n; i++) {
		samples += st[i].samples;
		remote += st[i].remote;
		migrations += st[i].migrations;
		if (st[i].done_ns > last)
			last = st[i].done_ns;
	}
	printf("samples %llu remote %llu migrations %llu seconds %.3f failed %d\n",
	       (unsigned long long)samples, (unsigned long long)remote,
	       (unsigned long long)migrations, last > t0 ? (last - t0) / 1e9 : 0.0, failed);
	return failed != 0;
}

/*
 * N children exit and, while they are zombies (past do_task_dead(), not
 * reaped), each gets SCHED_MULTIOS and then an EDF reservation of 1 %;
 * then they are reaped. Prints "zombies N set_ok A edf_ok B edf_esrch C".
 * A zombie must never be listed in the class (it would be freed on the
 * list) nor admitted (its bandwidth would never come back): the caller
 * checks nr_tasks and the admitted bandwidth before and after.
 */
static int zombie(int n)
{
	int i, err, set_ok = 0, edf_ok = 0, edf_esrch = 0;
	pid_t *pids = calloc(n, sizeof(*pids));
	siginfo_t info;

	if (!pids)
		return 1;
	for (i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			return 1;
		if (!pids[i])
			_exit(0);
	}
	for (i = 0; i < n; i++) {
		/* Exited, not reaped: a zombie (waitid() returns at exit_notify()). */
		if (waitid(P_PID, pids[i], &info, WEXITED | WNOWAIT))
			return 1;
		/* Its final schedule (do_task_dead()) is usually done by then. */
		usleep(10000);
		if (!setattr(pids[i], SCHED_MULTIOS, 0, 0, 0, 0))
			set_ok++;
		err = setattr(pids[i], SCHED_MULTIOS, 0, 1000000, 100000000, 100000000);
		if (!err)
			edf_ok++;
		else if (err == ESRCH)
			edf_esrch++;
	}
	for (i = 0; i < n; i++)
		waitpid(pids[i], NULL, 0);
	printf("zombies %d set_ok %d edf_ok %d edf_esrch %d\n", n, set_ok, edf_ok, edf_esrch);
	free(pids);
	return 0;
}

static volatile sig_atomic_t churn_stop;

static void stop_churn(int sig)
{
	(void)sig;
	churn_stop = 1;
}

/*
 * N workers for SECONDS or until SIGTERM/SIGINT: each forks children
 * that enter SCHED_MULTIOS (some asking for 1 % EDF), spin about 1 ms and
 * exit, and moves itself between SCHED_MULTIOS and SCHED_NORMAL every
 * round: tasks joining, leaving and dying while the class is enabled and
 * disabled under them (multios_lifetime_test.sh). Refusals are expected
 * (EBUSY for EDF without bandwidth) and not errors; a failed fork is.
 * Prints "churn forks F switches S errors E".
 */
static int churn(int n, int secs)
{
	struct sigaction stop = { .sa_handler = stop_churn };
	uint64_t end = now_ns(CLOCK_MONOTONIC) + (uint64_t)secs * 1000000000ull;
	volatile uint64_t *counts = mmap(NULL, 3 * n * sizeof(uint64_t), PROT_READ | PROT_WRITE,
					 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	uint64_t forks = 0, switches = 0, errors = 0;
	pid_t *workers = calloc(n, sizeof(*workers));
	int i;

	if (counts == MAP_FAILED || !workers)
		return 1;
	sigaction(SIGINT, &stop, NULL);
	sigaction(SIGTERM, &stop, NULL);
	for (i = 0; i < n; i++) {
		workers[i] = fork();
		if (workers[i] < 0)
			return 1;
		if (workers[i])
			continue;
		for (uint64_t round = 0; !churn_stop && now_ns(CLOCK_MONOTONIC) < end; round++) {
			pid_t child = fork();

			if (child < 0) {
				counts[3 * i + 2]++;
				continue;
			}
			if (!child) {
				if (round % 4 == 0)
					setattr(0, SCHED_MULTIOS, 0, 1000000, 100000000, 100000000);
				else
					setattr(0, SCHED_MULTIOS, (int)(round % 10), 0, 0, 0);
				spin_cpu(1000000);
				_exit(0);
			}
			setattr(0, round % 2 ? SCHED_MULTIOS : SCHED_NORMAL, 0, 0, 0, 0);
			counts[3 * i + 1]++;
			waitpid(child, NULL, 0);
			counts[3 * i]++;
		}
		_exit(0);
	}
	/*
	 * Polled, so that a signal that came before a wait cannot be missed:
	 * once asked to stop, every worker still running is told to.
	 */
	for (i = 0; i < n; i++) {
		while (waitpid(workers[i], NULL, WNOHANG) == 0) {
			for (int w = i; churn_stop && w < n; w++)
				kill(workers[w], SIGTERM);
			usleep(20000);
		}
		forks += counts[3 * i];
		switches += counts[3 * i + 1];
		errors += counts[3 * i + 2];
	}
	printf("churn forks %llu switches %llu errors %llu\n", (unsigned long long)forks,
	       (unsigned long long)switches, (unsigned long long)errors);
	free(workers);
	return errors != 0 || forks == 0;
}

/*
 * flood: what any user can do under switch_all, or with the unprivileged
 * knob on: N CPU hogs in the class, all pinned to CPU, for SECONDS. Each
 * waits about N slices for its turn, longer than a short watchdog
 * timeout. Prints how many were started and how many opted in; exit 0
 * if all were.
 */
static int flood(int n, int cpu, int seconds)
{
	pid_t *pids = calloc(n, sizeof(*pids));
	int i, started = 0, bad = 0;
	cpu_set_t one;

	if (!pids || n <= 0)
		return 1;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	/*
	 * Each child pins itself: the parent, in CFS, must not share that
	 * CPU with the hogs it has already started, or its forks would wait
	 * for turns the share gate hands CFS.
	 */
	for (i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			/* Killed with the tool, however it ends. */
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			/* The tool died before the prctl(): nobody kills us. */
			if (getppid() == 1)
				_exit(1);
			if (sched_setaffinity(0, sizeof(one), &one))
				_exit(1);
			for (;;)
				spin_cpu(1000000);
		}
		if (pids[i] < 0)
			break;
		started++;
		bad += setattr(pids[i], SCHED_MULTIOS, 0, 0, 0, 0) != 0;
	}
	printf("# flood: %d hogs on CPU %d, %d not opted in\n", started, cpu, bad);
	fflush(stdout);
	sleep(seconds);
	for (i = 0; i < started; i++)
		kill(pids[i], SIGKILL);
	for (i = 0; i < started; i++)
		waitpid(pids[i], NULL, 0);
	return started == n && !bad ? 0 : 1;
}

/*
 * piboost: a SCHED_MULTIOS thread holds a priority-inheriting mutex that
 * a SCHED_FIFO thread then waits for, so the class thread is boosted to
 * RT (rt_task() is true of it) for SECONDS. Prints "boosted" once its
 * priority in /proc shows the boost, then waits for both threads.
 */
static pthread_mutex_t pi_mutex;
static int pi_seconds;
static volatile pid_t pi_holder_tid;

static void *pi_holder(void *arg)
{
	(void)arg;
	if (setattr(0, SCHED_MULTIOS, 0, 0, 0, 0))
		return (void *)1;
	pthread_mutex_lock(&pi_mutex);
	pi_holder_tid = gettid();
	sleep(pi_seconds);
	pthread_mutex_unlock(&pi_mutex);
	return NULL;
}

static void *pi_waiter(void *arg)
{
	struct sched_param sp = { .sched_priority = 10 };

	(void)arg;
	if (sched_setscheduler(0, SCHED_FIFO, &sp))
		return (void *)1;
	pthread_mutex_lock(&pi_mutex);
	pthread_mutex_unlock(&pi_mutex);
	return NULL;
}

/* Field 18 of /proc/self/task/TID/stat: prio - 100, negative for RT. */
static int thread_prio(pid_t tid)
{
	char path[64], buf[512], *p;
	int i, fd, n;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	p = strrchr(buf, ')');
	for (i = 2; p && i < 18; i++)
		p = strchr(p + 1, ' ');
	return p ? atoi(p + 1) : 0;
}

static int piboost(int seconds)
{
	pthread_mutexattr_t ma;
	pthread_t holder, waiter;
	void *r1 = NULL, *r2 = NULL;
	int i, boosted = 0;

	pi_seconds = seconds;
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setprotocol(&ma, PTHREAD_PRIO_INHERIT);
	pthread_mutex_init(&pi_mutex, &ma);
	if (pthread_create(&holder, NULL, pi_holder, NULL))
		return 1;
	for (i = 0; i < 100 && !pi_holder_tid; i++)
		usleep(10000);
	if (!pi_holder_tid || pthread_create(&waiter, NULL, pi_waiter, NULL))
		return 1;
	for (i = 0; i < 100 && !boosted; i++) {
		usleep(10000);
		boosted = thread_prio(pi_holder_tid) < 0;
	}
	printf("%s\n", boosted ? "boosted" : "not boosted");
	fflush(stdout);
	pthread_join(waiter, &r2);
	pthread_join(holder, &r1);
	return !boosted || r1 || r2;
}

int main(int argc, char **argv)
{
	struct sched_attr a;
	const char *cmd = argc > 1 ? argv[1] : "";
	int err;

	if (!strcmp(cmd, "set") && argc == 4)
		return report(setattr(atoi(argv[2]), SCHED_MULTIOS, atoi(argv[3]), 0, 0, 0));
	if (!strcmp(cmd, "edf") && argc == 6)
		return report(setattr(atoi(argv[2]), SCHED_MULTIOS, 0, strtoull(argv[3], NULL, 0),
				      strtoull(argv[4], NULL, 0), strtoull(argv[5], NULL, 0)));
	if (!strcmp(cmd, "get") && argc == 3) {
		err = getattr(atoi(argv[2]), &a);
		if (!err)
			printf("policy %u nice %d runtime %llu deadline %llu period %llu\n",
			       a.sched_policy, a.sched_nice,
			       (unsigned long long)a.sched_runtime,
			       (unsigned long long)a.sched_deadline,
			       (unsigned long long)a.sched_period);
		return report(err);
	}
	if (!strcmp(cmd, "hog") && argc == 3) {
		uint64_t end = now_ns(CLOCK_MONOTONIC) + strtoull(argv[2], NULL, 0) * 1000000000ull;

		while (now_ns(CLOCK_MONOTONIC) < end)
			;
		return 0;
	}
	if (!strcmp(cmd, "pulse") && argc == 3) {
		uint64_t end = now_ns(CLOCK_MONOTONIC) + strtoull(argv[2], NULL, 0) * 1000000000ull;

		while (now_ns(CLOCK_MONOTONIC) < end) {
			spin_cpu(1000000);
			usleep(20000);
		}
		return 0;
	}
	if (!strcmp(cmd, "nap") && argc == 4) {
		uint64_t end = now_ns(CLOCK_MONOTONIC) + strtoull(argv[3], NULL, 0) * 1000000000ull;

		while (now_ns(CLOCK_MONOTONIC) < end)
			usleep(atoi(argv[2]) * 1000);
		return 0;
	}
	/* The shell's echo says "I/O error" whatever the errno was. */
	if (!strcmp(cmd, "write") && argc == 4) {
		int fd = open(argv[2], O_WRONLY);

		if (fd < 0)
			return report(errno);
		err = write(fd, argv[3], strlen(argv[3])) < 0 ? errno : 0;
		close(fd);
		return report(err);
	}
	if (!strcmp(cmd, "swarm") && argc == 5)
		return swarm(atoi(argv[2]), argv[3], argv[4]);
	if (!strcmp(cmd, "periodic") && argc == 8)
		return periodic(argv[2], atoi(argv[3]), strtoull(argv[4], NULL, 0),
				strtoull(argv[5], NULL, 0), strtoull(argv[6], NULL, 0),
				atoi(argv[7]));
	if (!strcmp(cmd, "churn") && argc == 4)
		return churn(atoi(argv[2]), atoi(argv[3]));
	if (!strcmp(cmd, "piboost") && argc == 3)
		return piboost(atoi(argv[2]));
	if (!strcmp(cmd, "flood") && argc == 5)
		return flood(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]));
	if (!strcmp(cmd, "zombie") && argc == 3)
		return zombie(atoi(argv[2]));
	if (!strcmp(cmd, "numa") && argc == 6)
		return numa(atoi(argv[2]), atoi(argv[3]), strtoull(argv[4], NULL, 0),
			    atoi(argv[5]));
	fprintf(stderr, "usage: see the comment at the top of %s\n", __FILE__);
	return 2;
}
