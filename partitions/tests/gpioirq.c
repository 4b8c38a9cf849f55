// SPDX-License-Identifier: Apache-2.0
/*
 * A passthrough GPIO controller's interrupt: the PL061 given to this
 * partition, pin 3 as a rising-edge interrupt. On QEMU virt pin 3 is the
 * power button, pressed by the monitor's system_powerdown, which the test
 * sends once this partition says it is waiting.
 */

#include <stdio.h>

#include <libfdt.h>

#include "rt.h"

#define GPIODIR 0x400
#define GPIOIS 0x404  /* 1: level, 0: edge */
#define GPIOIBE 0x408 /* 1: both edges */
#define GPIOIEV 0x40c /* 1: rising edge or high level */
#define GPIOIE 0x410  /* 1: the pin's interrupt is enabled */
#define GPIOMIS 0x418
#define GPIOIC 0x41c
#define PIN 3

static volatile uint32_t *gpio;
static unsigned int gpio_intid;
static volatile int handled;
static volatile uint32_t last_mis;

static void on_irq(unsigned int intid)
{
	if (intid != gpio_intid)
		return;
	last_mis = gpio[GPIOMIS / 4];
	gpio[GPIOIC / 4] = last_mis;
	handled++;
}

int main(void)
{
	int node = fdt_node_offset_by_compatible(rt_fdt, -1, "arm,pl061");
	int len;
	const fdt32_t *reg = node >= 0 ? fdt_getprop(rt_fdt, node, "reg", &len) : NULL;
	const fdt32_t *irq = node >= 0 ? fdt_getprop(rt_fdt, node, "interrupts", NULL) : NULL;

	if (reg == NULL || irq == NULL || !rt_gic_init()) {
		printf("gpioirq: no PL061 or GIC\n");
		psci_system_off();
	}
	gpio = (volatile uint32_t *)(uintptr_t)((uint64_t)fdt32_to_cpu(reg[0]) << 32 |
						  fdt32_to_cpu(reg[1]));
	gpio_intid = fdt32_to_cpu(irq[1]) + 32;
	gpio[GPIODIR / 4] &= ~(1u << PIN);
	gpio[GPIOIS / 4] &= ~(1u << PIN);
	gpio[GPIOIBE / 4] &= ~(1u << PIN);
	gpio[GPIOIEV / 4] |= 1u << PIN;
	gpio[GPIOIC / 4] = 1u << PIN;
	gpio[GPIOIE / 4] |= 1u << PIN;
	rt_set_irq_handler(on_irq);
	rt_gic_enable_spi(gpio_intid, 0x80);
	rt_irq_enable();
	printf("gpioirq: waiting for pin %d (SPI %u)\n", PIN, gpio_intid);
	while (!handled)
		__asm__ volatile("wfi");
	printf("gpioirq: interrupt %u handled %d time(s), GPIOMIS 0x%x\n", gpio_intid, handled,
	       (unsigned int)last_mis);
	psci_system_off();
}
