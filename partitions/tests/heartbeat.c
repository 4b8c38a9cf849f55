// SPDX-License-Identifier: Apache-2.0
/*
 * A real-time heartbeat: a virtual-timer interrupt every 10 ms, re-armed
 * from its compare value, tracking how late the handler ran
 * (in counter ticks). Bootargs: "beats=N" stops after N beats and prints
 * the spread (without it, it beats for ever: the make run demo); "every=N"
 * prints every Nth beat (default 10).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "rt.h"

#define PPI_VTIMER 27

static volatile unsigned int beats;
static uint64_t period, deadline, worst, best = ~0ull;

static void on_irq(unsigned int intid)
{
	if (intid != PPI_VTIMER)
		return;
	uint64_t late = rt_counter() - deadline;

	worst = late > worst ? late : worst;
	best = late < best ? late : best;
	beats++;
	deadline += period;
	rt_vtimer_arm(deadline);
}

int main(void)
{
	unsigned int wanted = (unsigned int)rt_bootarg_u64("beats", 0);
	unsigned int every = (unsigned int)rt_bootarg_u64("every", 10);
	unsigned int shown = 0;
	period = rt_counter_hz() / 100;
	if (!rt_gic_init()) {
		printf("heartbeat: no GIC\n");
		psci_system_off();
	}
	rt_set_irq_handler(on_irq);
	rt_gic_enable(PPI_VTIMER, 0x80);
	deadline = rt_counter() + period;
	rt_vtimer_arm(deadline);
	rt_irq_enable();
	while (wanted == 0 || beats < wanted) {
		__asm__ volatile("wfi");
		while (shown < beats) {
			shown++;
			if (every != 0 && shown % every == 0)
				printf("heartbeat %u\n", shown);
		}
	}
	printf("heartbeat: %u beats of %llu ticks, handler %llu..%llu ticks after the deadline\n",
	       beats, (unsigned long long)period, (unsigned long long)best,
	       (unsigned long long)worst);
	psci_system_off();
}
