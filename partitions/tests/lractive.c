// SPDX-License-Identifier: Apache-2.0
/*
 * Every list register (QEMU's GICv3 has 4) taken by interrupts the guest
 * has not ended: four SGIs acknowledged one inside the other, each more
 * urgent than the last. Then the virtual timer fires. It cannot be handed
 * over until a list register frees, and must not keep the CPU in the
 * hypervisor meanwhile: it shows pending, and arrives, once, when the SGIs
 * have been ended.
 */

#include <stdio.h>

#include "rt.h"

#define SGIS 4
#define PPI_VTIMER 27
#define TIMER_PRIORITY 0x40
#define ISPENDR0 0x200
#define ISACTIVER0 0x300

static const uint8_t sgi_priority[SGIS] = {0xc0, 0xa0, 0x80, 0x60};
static volatile unsigned int timer_irqs;

static void on_irq(unsigned int intid)
{
	if (intid == PPI_VTIMER) {
		rt_vtimer_stop();
		timer_irqs++;
	}
}

int main(void)
{
	if (!rt_gic_init()) {
		printf("lractive: no GIC\n");
		psci_system_off();
	}
	rt_set_irq_handler(on_irq);
	rt_irq_disable();
	for (unsigned int sgi = 0; sgi < SGIS; sgi++)
		rt_gic_enable(sgi, sgi_priority[sgi]);
	rt_gic_enable(PPI_VTIMER, TIMER_PRIORITY);

	unsigned int acked[SGIS];

	for (unsigned int sgi = 0; sgi < SGIS; sgi++) {
		rt_send_sgi(sgi, 1u << 0);
		acked[sgi] = rt_gic_ack();
	}
	rt_vtimer_arm(rt_counter()); /* due now */
	printf("lractive: acknowledged %u %u %u %u; pending 0x%lx, active 0x%lx\n", acked[0],
	       acked[1], acked[2], acked[3], (unsigned long)*rt_gicr_sgi_reg(ISPENDR0),
	       (unsigned long)*rt_gicr_sgi_reg(ISACTIVER0));
	for (unsigned int i = SGIS; i-- > 0;)
		rt_gic_end(acked[i]);
	rt_irq_enable();

	uint64_t end = rt_counter() + rt_counter_hz() / 10;

	while (timer_irqs == 0 && rt_counter() < end)
		rt_wait_event();
	printf("lractive: timer delivered %u time(s); left pending 0x%lx, active 0x%lx\n",
	       timer_irqs, (unsigned long)*rt_gicr_sgi_reg(ISPENDR0),
	       (unsigned long)*rt_gicr_sgi_reg(ISACTIVER0));
	psci_system_off();
}
