// SPDX-License-Identifier: Apache-2.0
/*
 * A three-vCPU partition: vCPU 0 starts vCPU 1 with PSCI CPU_ON; then vCPUs 0
 * and 1 both try to start vCPU 2 at once. Exactly one must get SUCCESS and
 * the other ALREADY_ON. AFFINITY_INFO must agree, and name only this
 * partition's vCPUs.
 */

#include <stdio.h>

#include "rt.h"

static volatile int ready;
static volatile int go;
static volatile int64_t result[2];
static volatile int done[3];

static void third(uint64_t arg)
{
	printf("smp: vCPU 2 up (MPIDR 0x%llx, arg %llu)\n", (unsigned long long)rt_mpidr(),
	       (unsigned long long)arg);
	done[2] = 1;
	rt_send_event();
	psci_cpu_off();
}

static void race(int me)
{
	while (!go)
		rt_wait_event();
	result[me] = psci_cpu_on(2, third, (uint64_t)me);
}

static void second(uint64_t arg)
{
	printf("smp: vCPU 1 up (MPIDR 0x%llx, arg %llu)\n", (unsigned long long)rt_mpidr(),
	       (unsigned long long)arg);
	ready = 1;
	rt_send_event();
	race(1);
	done[1] = 1;
	rt_send_event();
	psci_cpu_off();
}

int main(void)
{
	printf("smp: PSCI version 0x%llx\n", (unsigned long long)psci_version());
	printf("smp: affinity of vCPU 1 before: %lld\n", (long long)psci_affinity_info(1));
	printf("smp: CPU_ON vCPU 1: %lld\n", (long long)psci_cpu_on(1, second, 42));
	printf("smp: CPU_ON vCPU 1 again: %lld\n", (long long)psci_cpu_on(1, second, 43));
	while (!ready)
		rt_wait_event();
	go = 1;
	rt_send_event();
	race(0);
	while (!done[1] || !done[2])
		rt_wait_event();
	int successes = (result[0] == 0) + (result[1] == 0);
	int already_on = (result[0] == -4) + (result[1] == -4);

	printf("smp: racing CPU_ON results %lld %lld: %d success, %d already-on\n",
	       (long long)result[0], (long long)result[1], successes, already_on);
	printf("smp: affinity of a vCPU that does not exist: %lld\n",
	       (long long)psci_affinity_info(7));
	printf("smp: done\n");
	psci_system_off();
}
