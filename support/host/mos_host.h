/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Controls of the host implementation of include/multios/runtime.h, for
 * unit tests, simulators and benchmarks. Host-only: never include it from
 * code that goes into a module.
 */
#ifndef MOS_HOST_H
#define MOS_HOST_H

#include <stdbool.h>
#include <multios/runtime.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What a test body sees behind the opaque struct mos_test. */
struct mos_test {
	unsigned long failures;
	void *context; /* for the hook's use */
};

typedef void (*mos_host_test_fail_hook_t)(struct mos_test *test, const char *file,
					  int line, const char *what);
/* Without a hook, mos_test_fail() prints and aborts. */
void mos_host_set_test_fail_hook(mos_host_test_fail_hook_t hook);

/* CPUs: simulators model up to MOS_HOST_MAX_CPUS. All start online. */
#define MOS_HOST_MAX_CPUS 8192u
void mos_host_set_nr_cpus(unsigned int nr);	/* also marks all online */
void mos_host_set_this_cpu(unsigned int cpu);	/* for the calling thread */
void mos_host_set_cpu_online(unsigned int cpu, bool online);

/*
 * mos_warn() (and sleeping in atomic context, which reports through it)
 * prints, counts, then calls the hook if one is set.
 */
typedef void (*mos_host_warn_hook_t)(const char *file, int line, const char *what);
void mos_host_set_warn_hook(mos_host_warn_hook_t hook);
unsigned long mos_host_warn_count(void);

/* Blocks from mos_alloc() not yet given to mos_free(). */
long mos_host_live_allocs(void);

/* The calling thread's preemption-disable depth and IRQ state. */
int mos_host_preempt_depth(void);
bool mos_host_irqs_disabled(void);

/* Messages above this level (MOS_LOG_*) are dropped; default MOS_LOG_INFO. */
void mos_host_set_log_level(int level);

#ifdef __cplusplus
}
#endif

#endif /* MOS_HOST_H */
