// SPDX-License-Identifier: Apache-2.0
/*
 * A PCI device's legacy interrupt on x86: QEMU's edu device passed through
 * as its BAR and its INTA, nothing else (not the PCI configuration space,
 * which holds the whole chipset): the firmware enumerated it and assigned
 * the BAR, the system DT says where, the partition's DT tells the program.
 * It raises the device's interrupt N times and counts them: each handler
 * acknowledges the device (the line drops), then the runtime's EOI lets the
 * hypervisor unmask the level-triggered pin.
 */

#include <libfdt.h>

#include "rt.h"

#define EDU_IDENT 0x00
#define EDU_STATUS 0x24
#define EDU_RAISE 0x60
#define EDU_ACK 0x64
#define RAISES 5

static volatile uint32_t *edu;
static volatile unsigned int taken, last_pin, last_status;

static void on_irq(unsigned int pin)
{
	last_status = edu[EDU_STATUS / 4];
	edu[EDU_ACK / 4] = last_status;
	last_pin = pin;
	taken++;
}

int main(void)
{
	int node = fdt_node_offset_by_compatible(rt_fdt, -1, "qemu,edu");
	const fdt32_t *reg = node >= 0 ? fdt_getprop(rt_fdt, node, "reg", NULL) : NULL;
	const fdt32_t *irq = node >= 0 ? fdt_getprop(rt_fdt, node, "interrupts", NULL) : NULL;

	if (reg == NULL || irq == NULL) {
		printf("pciedu: no edu device in my device tree\n");
		return 1;
	}
	edu = (volatile uint32_t *)(uintptr_t)((uint64_t)fdt32_to_cpu(reg[0]) << 32 |
					       fdt32_to_cpu(reg[1]));
	printf("pciedu: edu at %p (identification 0x%x), pin %u\n", (const void *)edu,
	       edu[EDU_IDENT / 4], fdt32_to_cpu(irq[0]));
	rt_set_irq_handler(on_irq);
	rt_irq_disable();
	for (unsigned int i = 1; i <= RAISES; i++) {
		edu[EDU_RAISE / 4] = i;
		while (taken < i)
			rt_wait_irq();
	}
	rt_irq_enable();
	printf("pciedu: %u raised, %u taken, the last on pin %u with status 0x%x\n", RAISES, taken,
	       last_pin, last_status);
	return 0;
}
