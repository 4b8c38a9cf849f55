// SPDX-License-Identifier: Apache-2.0
/* vCPU 0 starts vCPU 1 with the CPU_ON hypercall (a second CPU_ON while it
 * runs is refused), waits for it to report, lets it turn itself off and
 * sees it off; an out-of-range vCPU is invalid. */

#include "rt.h"

static volatile int up, go;

static void second(uint64_t arg)
{
	printf("smp: vCPU %u up, arg 0x%llx\n", rt_vcpu(), (unsigned long long)arg);
	up = 1;
	while (!go)
		rt_wait();
	printf("smp: vCPU %u turning itself off\n", rt_vcpu());
}

int main(void)
{
	printf("smp: vCPU %u starts vCPU 1: %lld\n", rt_vcpu(),
	       (long long)rt_cpu_on(1, second, 0x1234));
	printf("smp: again while it runs: %lld\n", (long long)rt_cpu_on(1, second, 0));
	printf("smp: vCPU 5: %lld\n", (long long)rt_cpu_on(5, second, 0));
	while (!up)
		rt_wait();
	go = 1;
	while (rt_cpu_status(1) != 1)
		rt_wait();
	printf("smp: vCPU 1 is off\n");
	return 0;
}
