// SPDX-License-Identifier: Apache-2.0
/*
 * Virtual timer interrupts at a fixed period: the timer is re-armed from its
 * own compare value each time, so every interval should be the period.
 */

#include <stdio.h>

#include "rt.h"

#define TICKS 20
#define PPI_VTIMER 27

static volatile unsigned int ticks;
static uint64_t stamps[TICKS];
static uint64_t period;
static uint64_t deadline;

static void on_irq(unsigned int intid)
{
	if (intid != PPI_VTIMER)
		return;
	stamps[ticks++] = rt_counter();
	if (ticks == TICKS) {
		rt_vtimer_stop();
		return;
	}
	deadline += period;
	rt_vtimer_arm(deadline);
}

int main(void)
{
	period = rt_counter_hz() / 1000;
	if (!rt_gic_init()) {
		printf("vtimer: no GIC in my device tree\n");
		psci_system_off();
	}
	rt_set_irq_handler(on_irq);
	rt_gic_enable(PPI_VTIMER, 0x80);
	deadline = rt_counter() + period;
	rt_vtimer_arm(deadline);
	rt_irq_enable();
	while (ticks < TICKS)
		__asm__ volatile("wfi");

	uint64_t lo = ~0ull, hi = 0;

	for (int i = 1; i < TICKS; i++) {
		uint64_t d = stamps[i] - stamps[i - 1];

		lo = d < lo ? d : lo;
		hi = d > hi ? d : hi;
	}
	printf("vtimer: %u ticks, period %llu, intervals %llu..%llu counter ticks\n", ticks,
	       (unsigned long long)period, (unsigned long long)lo, (unsigned long long)hi);
	psci_system_off();
}
