// SPDX-License-Identifier: Apache-2.0
/*
 * Uses a passthrough device: finds the PL031 RTC in its own device tree,
 * checks the hypervisor wired it to the virtual GIC, and reads it.
 */

#include <stdio.h>

#include <libfdt.h>

#include "rt.h"

int main(void)
{
	int node = fdt_node_offset_by_compatible(rt_fdt, -1, "arm,pl031");
	int len;
	const fdt32_t *reg = node >= 0 ? fdt_getprop(rt_fdt, node, "reg", &len) : NULL;
	const fdt32_t *parent = node >= 0 ? fdt_getprop(rt_fdt, node, "interrupt-parent", NULL)
					  : NULL;
	int gic = fdt_node_offset_by_compatible(rt_fdt, -1, "arm,gic-v3");

	if (reg == NULL || len < 16) {
		printf("devices: no PL031 in my device tree\n");
		psci_system_off();
	}
	uint64_t base = (uint64_t)fdt32_to_cpu(reg[0]) << 32 | fdt32_to_cpu(reg[1]);

	printf("devices: PL031 at 0x%llx, interrupt parent %s\n", (unsigned long long)base,
	       parent != NULL && gic >= 0 && fdt32_to_cpu(*parent) == fdt_get_phandle(rt_fdt, gic)
		       ? "is the virtual GIC" : "WRONG");
	uint32_t seconds = *(volatile uint32_t *)(uintptr_t)base; /* RTCDR */
	uint32_t id = *(volatile uint32_t *)(uintptr_t)(base + 0xfe0);

	printf("devices: RTC reads %s, peripheral ID 0x%x\n", seconds > 1000000000u ? "a date" : "zero",
	       (unsigned int)id);
	psci_system_off();
}
