// SPDX-License-Identifier: Apache-2.0
/* The virtual local APIC: its ID and version, a periodic timer (10 ms,
 * counted in HLT for 20 ticks) and a self-IPI, all through MMIO that the
 * hypervisor decodes and emulates. */

#include "rt.h"

#define TIMER_VECTOR 0x40
#define IPI_VECTOR 0x41
#define TICKS 20

static volatile unsigned int ticks, ipis;

static void on_vector(unsigned int vector)
{
	if (vector == TIMER_VECTOR)
		ticks++;
	else if (vector == IPI_VECTOR)
		ipis++;
}

int main(void)
{
	printf("lapic: ID %u, version 0x%x\n", rt_lapic_read(RT_LAPIC_ID) >> 24,
	       rt_lapic_read(RT_LAPIC_VERSION));
	rt_set_lapic_handler(on_vector);
	rt_lapic_write(RT_LAPIC_SVR, 0x1ff); /* enabled, spurious vector 0xff */
	rt_lapic_write(RT_LAPIC_TIMER_DIVIDE, 0xb); /* divide by 1: 1 GHz */
	rt_lapic_write(RT_LAPIC_LVT_TIMER, (1u << 17) | TIMER_VECTOR);
	rt_lapic_write(RT_LAPIC_TIMER_INITIAL, 10000000); /* 10 ms */
	printf("lapic: timer counting, current %s initial\n",
	       rt_lapic_read(RT_LAPIC_TIMER_CURRENT) <= 10000000 ? "<=" : ">");
	rt_irq_enable();
	while (ticks < TICKS)
		rt_wait_event();
	rt_lapic_write(RT_LAPIC_LVT_TIMER, 1u << 16); /* masked */
	rt_lapic_write(RT_LAPIC_TIMER_INITIAL, 0);
	printf("lapic: %u timer interrupts\n", ticks);
	rt_lapic_write(RT_LAPIC_ICR_LOW, (1u << 18) | IPI_VECTOR); /* to self */
	while (ipis == 0)
		rt_wait_event();
	printf("lapic: self-IPI received\n");
	return 0;
}
