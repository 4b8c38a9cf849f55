// SPDX-License-Identifier: Apache-2.0
/*
 * The virtual timer fires while its interrupt is disabled: the
 * redistributor must show it pending. Once enabled, the handler ends it by
 * clearing its active state (GICR_ICACTIVER0), as some kernels do, and
 * nothing may stay active afterwards.
 */

#include <stdio.h>

#include "rt.h"

#define PPI_VTIMER 27
#define ISPENDR0 0x200
#define ISACTIVER0 0x300
#define ICACTIVER0 0x380

static volatile int handled;
static volatile uint32_t active_in_handler;

static void on_irq(unsigned int intid)
{
	if (intid != PPI_VTIMER)
		return;
	rt_vtimer_stop();
	active_in_handler = *rt_gicr_sgi_reg(ISACTIVER0);
	*rt_gicr_sgi_reg(ICACTIVER0) = 1u << PPI_VTIMER;
	handled++;
}

int main(void)
{
	if (!rt_gic_init()) {
		printf("pending: no GIC\n");
		psci_system_off();
	}
	rt_set_irq_handler(on_irq);
	rt_vtimer_arm(rt_counter()); /* already due */
	printf("pending: timer due, interrupt disabled: ISPENDR0 bit 27 = %u\n",
	       (unsigned int)((*rt_gicr_sgi_reg(ISPENDR0) >> PPI_VTIMER) & 1));
	rt_gic_enable(PPI_VTIMER, 0x80);
	rt_irq_enable();
	while (!handled)
		__asm__ volatile("wfi");
	printf("pending: handled %d, active in handler %u, active after %u\n", handled,
	       (unsigned int)((active_in_handler >> PPI_VTIMER) & 1),
	       (unsigned int)((*rt_gicr_sgi_reg(ISACTIVER0) >> PPI_VTIMER) & 1));
	psci_system_off();
}
