// SPDX-License-Identifier: Apache-2.0
/*
 * A passthrough device's interrupt: the PL031 RTC given to this partition
 * raises its match interrupt (QEMU raises it at once when the match
 * register equals the counter). The SPI is enabled first, then the trigger
 * waits 3 ms, while a neighbour tries to disable it.
 */

#include <stdio.h>

#include <libfdt.h>

#include "rt.h"

#define RTCDR 0x00
#define RTCMR 0x04
#define RTCIMSC 0x10
#define RTCICR 0x1c

static volatile uint32_t *rtc;
static unsigned int rtc_intid;
static volatile int handled;

static void on_irq(unsigned int intid)
{
	if (intid != rtc_intid)
		return;
	rtc[RTCIMSC / 4] = 0;
	rtc[RTCICR / 4] = 1;
	handled++;
}

int main(void)
{
	int node = fdt_node_offset_by_compatible(rt_fdt, -1, "arm,pl031");
	int len;
	const fdt32_t *reg = node >= 0 ? fdt_getprop(rt_fdt, node, "reg", &len) : NULL;
	const fdt32_t *irq = node >= 0 ? fdt_getprop(rt_fdt, node, "interrupts", NULL) : NULL;

	if (reg == NULL || irq == NULL || !rt_gic_init()) {
		printf("rtcirq: no PL031 or GIC\n");
		psci_system_off();
	}
	rtc = (volatile uint32_t *)(uintptr_t)((uint64_t)fdt32_to_cpu(reg[0]) << 32 |
						 fdt32_to_cpu(reg[1]));
	rtc_intid = fdt32_to_cpu(irq[1]) + 32;
	rt_set_irq_handler(on_irq);
	rt_gic_enable_spi(rtc_intid, 0x80);
	rt_irq_enable();
	printf("rtcirq: SPI %u enabled\n", rtc_intid);
	rt_wait_ns(3000000);
	rtc[RTCIMSC / 4] = 1;
	rtc[RTCMR / 4] = rtc[RTCDR / 4];
	while (!handled)
		__asm__ volatile("wfi");
	printf("rtcirq: interrupt %u handled %d time(s)\n", rtc_intid, handled);
	psci_system_off();
}
