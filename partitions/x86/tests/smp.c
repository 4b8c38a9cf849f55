// SPDX-License-Identifier: Apache-2.0
/* vCPU 0 starts vCPU 1 with the CPU_ON hypercall (a second CPU_ON while it
 * runs is refused), waits for its IPI through the local APIC, lets it turn
 * itself off and sees it off; an out-of-range vCPU is invalid. */

#include "rt.h"

#define IPI_VECTOR 0x42

static volatile int up, go;
static volatile unsigned int ipi_on;

static void on_vector(unsigned int vector)
{
	if (vector == IPI_VECTOR)
		ipi_on = rt_vcpu() + 1;
}

static void second(uint64_t arg)
{
	printf("smp: vCPU %u up, arg 0x%llx\n", rt_vcpu(), (unsigned long long)arg);
	rt_lapic_write(RT_LAPIC_ICR_HIGH, 0u << 24); /* to vCPU 0 */
	rt_lapic_write(RT_LAPIC_ICR_LOW, IPI_VECTOR);
	up = 1;
	while (!go)
		rt_wait_event();
	printf("smp: vCPU %u turning itself off\n", rt_vcpu());
}

int main(void)
{
	rt_set_lapic_handler(on_vector);
	rt_irq_enable();
	printf("smp: vCPU %u starts vCPU 1: %lld\n", rt_vcpu(),
	       (long long)rt_cpu_on(1, second, 0x1234));
	printf("smp: again while it runs: %lld\n", (long long)rt_cpu_on(1, second, 0));
	printf("smp: vCPU 5: %lld\n", (long long)rt_cpu_on(5, second, 0));
	while (!up || ipi_on == 0)
		rt_wait_event();
	printf("smp: IPI from vCPU 1 taken on vCPU %u\n", ipi_on - 1);
	go = 1;
	while (rt_cpu_status(1) != 1)
		rt_wait_event();
	printf("smp: vCPU 1 is off\n");
	return 0;
}
