// SPDX-License-Identifier: Apache-2.0
/* COM2 (ports 0x2f8-0x2ff, I/O APIC pin 3) passed through: writes a line
 * to it directly, then enables its transmitter-empty interrupt and waits in
 * HLT until the interrupt arrives at vector 0x20 + 3. */

#include <libfdt.h>

#include "rt.h"

#define COM2 0x2f8
#define IER 1
#define IIR 2
#define MCR 4
#define LSR 5

static volatile unsigned int irq_pin = ~0u;
static volatile unsigned int irq_iir;

static void on_irq(unsigned int pin)
{
	irq_iir = rt_inb(COM2 + IIR);
	rt_outb(COM2 + IER, 0);
	irq_pin = pin;
}

static void com2_puts(const char *s)
{
	for (; *s != '\0'; s++) {
		while (!(rt_inb(COM2 + LSR) & 0x20))
			__asm__ volatile("pause");
		rt_outb(COM2, (uint8_t)*s);
	}
}

int main(void)
{
	int node = fdt_path_offset(rt_fdt, "/ioports/serial@2f8");
	const fdt32_t *irq = node >= 0 ? fdt_getprop(rt_fdt, node, "interrupts", NULL) : NULL;

	printf("com2irq: /ioports/serial@2f8 %s, interrupt %d\n",
	       node >= 0 ? "in the device tree" : "missing", irq != NULL ? (int)fdt32_to_cpu(*irq) : -1);
	com2_puts("hello COM2 from the partition\r\n");
	rt_set_irq_handler(on_irq);
	rt_outb(COM2 + MCR, 0x08); /* OUT2: the PC's interrupt gate */
	rt_outb(COM2 + IER, 0x02); /* transmitter holding register empty */
	rt_irq_enable();
	while (irq_pin == ~0u)
		rt_wait_event();
	rt_irq_disable();
	printf("com2irq: interrupt on pin %u, IIR 0x%x\n", irq_pin, irq_iir);
	return 0;
}
