// SPDX-License-Identifier: Apache-2.0
/*
 * SGIs inside a partition: vCPU 0 sends SGI 1 to vCPU 1 ten times, then
 * broadcasts SGI 2 to all other vCPUs five times (not to itself). Each is
 * waited for before the next, so none coalesce.
 */

#include <stdio.h>

#include "rt.h"

#define UNICAST 1
#define BROADCAST 2

static volatile unsigned int got[2][16];
static volatile int ready;

static void on_irq(unsigned int intid)
{
	unsigned int me = (unsigned int)(rt_mpidr() & 0xff);

	if (me < 2 && intid < 16)
		got[me][intid]++;
	rt_send_event();
}

static void second(uint64_t arg)
{
	(void)arg;
	rt_gic_cpu_init();
	rt_gic_enable(UNICAST, 0x80);
	rt_gic_enable(BROADCAST, 0x80);
	rt_irq_enable();
	ready = 1;
	rt_send_event();
	while (got[1][UNICAST] < 10 || got[1][BROADCAST] < 5)
		__asm__ volatile("wfi");
	printf("sgi: vCPU 1 received %u unicast and %u broadcast SGIs\n", got[1][UNICAST],
	       got[1][BROADCAST]);
	ready = 2;
	rt_send_event();
	psci_cpu_off();
}

static void wait_for(volatile unsigned int *count, unsigned int n)
{
	while (*count < n)
		rt_wait_event();
}

int main(void)
{
	if (!rt_gic_init()) {
		printf("sgi: no GIC\n");
		psci_system_off();
	}
	rt_set_irq_handler(on_irq);
	rt_gic_enable(BROADCAST, 0x80);
	rt_irq_enable();
	psci_cpu_on(1, second, 0);
	while (ready != 1)
		rt_wait_event();
	for (unsigned int i = 1; i <= 10; i++) {
		rt_send_sgi(UNICAST, 1u << 1);
		wait_for(&got[1][UNICAST], i);
	}
	for (unsigned int i = 1; i <= 5; i++) {
		rt_send_sgi_to_others(BROADCAST);
		wait_for(&got[1][BROADCAST], i);
	}
	while (ready != 2)
		rt_wait_event();
	printf("sgi: vCPU 0 received %u of its own broadcasts\n", got[0][BROADCAST]);
	psci_system_off();
}
