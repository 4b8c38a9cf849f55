// SPDX-License-Identifier: Apache-2.0
/* COM2 (I/O APIC pin 3) passed through, its transmitter-empty interrupt
 * enabled. The first interrupt is ended without clearing its cause: a
 * level-triggered pin delivers it again (and the handler clears it then),
 * an edge-triggered one does not. Counted over 20 ms of the local APIC
 * timer, then again 20 ms after the cause is cleared for sure. The first
 * boot then restarts the partition from an interrupt handler, before its
 * end of interrupt: the second boot must get its interrupts all the same. */

#include <libfdt.h>

#include "rt.h"

#define COM2 0x2f8
#define IER 1
#define IIR 2
#define MCR 4
#define TIMER_VECTOR 0x40
#define WAIT_MS 20

static volatile unsigned int irqs;
static volatile bool timer_fired;
static volatile bool restart_in_handler;

static void com2_quieten(void)
{
	(void)rt_inb(COM2 + IIR); /* reading it ends a transmitter-empty cause */
	rt_outb(COM2 + IER, 0);
}

static void on_irq(unsigned int pin)
{
	(void)pin;
	if (restart_in_handler)
		rt_system_reset();
	if (++irqs > 1)
		com2_quieten();
}

static void on_vector(unsigned int vector)
{
	if (vector == TIMER_VECTOR)
		timer_fired = true;
}

static void wait_ms(unsigned int ms)
{
	timer_fired = false;
	rt_lapic_write(RT_LAPIC_TIMER_INITIAL, ms * 1000000u); /* 1 GHz, one shot */
	while (!timer_fired)
		rt_wait_event();
}

int main(void)
{
	int node = fdt_path_offset(rt_fdt, "/ioports/serial@2f8");
	int len = 0;
	const fdt32_t *irq = node >= 0 ? fdt_getprop(rt_fdt, node, "interrupts", &len) : NULL;

	if (irq == NULL || len != 8) {
		printf("com2level: no (pin, flags) interrupt for /ioports/serial@2f8\n");
		return 0;
	}
	printf("com2level: boot %u, interrupt %u, flags %u\n", rt_boot_count(), fdt32_to_cpu(irq[0]),
	       fdt32_to_cpu(irq[1]));
	com2_quieten(); /* the first boot left it asserting its interrupt */
	rt_set_irq_handler(on_irq);
	rt_set_lapic_handler(on_vector);
	rt_lapic_write(RT_LAPIC_SVR, 0x1ff); /* enabled, spurious vector 0xff */
	rt_lapic_write(RT_LAPIC_TIMER_DIVIDE, 0xb); /* divide by 1 */
	rt_lapic_write(RT_LAPIC_LVT_TIMER, TIMER_VECTOR);
	rt_outb(COM2 + MCR, 0x08); /* OUT2: the PC's interrupt gate */
	rt_outb(COM2 + IER, 0x02); /* transmitter holding register empty */
	rt_irq_enable();
	while (irqs == 0)
		rt_wait_event();
	wait_ms(WAIT_MS);
	printf("com2level: first interrupt ended with its cause set: %u interrupt(s) after %u ms\n",
	       irqs, WAIT_MS);
	rt_irq_disable();
	com2_quieten();
	rt_irq_enable();
	wait_ms(WAIT_MS);
	rt_irq_disable();
	printf("com2level: cause cleared: %u interrupt(s) after %u ms more\n", irqs, WAIT_MS);
	if (rt_boot_count() == 1) {
		printf("com2level: restarting in the next interrupt's handler\n");
		restart_in_handler = true;
		rt_outb(COM2 + IER, 0x02);
		rt_irq_enable();
		for (;;)
			rt_wait_event();
	}
	return 0;
}
