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

/* The task priority register through MOVs with an absolute 64-bit address
 * (opcodes A3 and A1), the form gcc picks for a constant address. */
static uint32_t tpr_by_moffs(uint32_t value)
{
	uint32_t back;

	__asm__ volatile("movabs %%eax, 0xfee00080" : : "a"(value) : "memory");
	__asm__ volatile("movabs 0xfee00080, %%eax" : "=a"(back) : : "memory");
	return back;
}

int main(void)
{
	printf("lapic: ID %u, version 0x%x\n", rt_lapic_read(RT_LAPIC_ID) >> 24,
	       rt_lapic_read(RT_LAPIC_VERSION));
	printf("lapic: TPR written and read with absolute-address MOVs: 0x%x\n",
	       tpr_by_moffs(0x20));
	(void)tpr_by_moffs(0);
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
