// SPDX-License-Identifier: GPL-2.0-only
/*
 * CPU hot-plug for multios_sched: EDF admission counts the online CPUs,
 * and the domain tree is rebuilt over them.
 *
 * A CPU whose loss would leave more admitted EDF bandwidth than
 * edf_util_cap of the remaining CPUs allows stays online: its offline
 * fails with EBUSY and changes nothing, as the kernel refuses for
 * SCHED_DEADLINE (dl_cpu_busy()). An admitted set is therefore never
 * over-committed by hot-plug; the administrator releases reservations
 * first. Suspend is let through, as the kernel does for SCHED_DEADLINE:
 * tasks are frozen then and the CPUs return at resume. The kernel itself
 * moves the tasks of a CPU going offline, EDF or not, through the class's
 * select_task_rq().
 *
 * The callbacks run in process context with the hot-plug lock held: the
 * teardown before the CPU leaves the scheduler (CPUHP_AP_ONLINE_DYN is
 * above CPUHP_AP_ACTIVE), so refusing there rolls back cleanly.
 */
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/printk.h>

#include "sched_shim.h"

static enum cpuhp_state hotplug_state;

static int cpu_coming(unsigned int cpu)
{
	/* Growing cannot strand a reservation: no error to handle. */
	multios_sched_edf_set_cpus(num_online_cpus());
	multios_sched_domains_changed();
	return 0;
}

static int cpu_going(unsigned int cpu)
{
	/*
	 * Suspend: every task is frozen and every CPU comes back at resume
	 * (cpu_coming() counts it again); the budget stays as it is.
	 */
	if (!cpuhp_tasks_frozen) {
		int err = multios_sched_edf_set_cpus(num_online_cpus() - 1);

		if (err) {
			pr_info("multios: sched: CPU %u stays online: admitted EDF bandwidth needs it\n",
				cpu);
			return err;
		}
	}
	multios_sched_domains_changed();
	return 0;
}

/*
 * _nocalls: the admission and the tree were sized from the CPUs online
 * when they were made; a CPU that changed in between is counted at the
 * next hot-plug event.
 */
int multios_sched_hotplug_init(void)
{
	int err = cpuhp_setup_state_nocalls(CPUHP_AP_ONLINE_DYN, "multios/sched:online",
					    cpu_coming, cpu_going);

	if (err < 0)
		return err;
	hotplug_state = err;
	return 0;
}

void multios_sched_hotplug_exit(void)
{
	if (hotplug_state > 0)
		cpuhp_remove_state_nocalls(hotplug_state);
	hotplug_state = 0;
}
