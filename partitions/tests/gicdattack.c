// SPDX-License-Identifier: Apache-2.0
/*
 * Tries to disable, reprioritise and reroute every shared interrupt through
 * its own distributor (GICD_IROUTER on a GICv3, GICD_ITARGETSR on a GICv2,
 * aimed at every CPU interface), and reports what it could see. It owns
 * none.
 */

#include <stdio.h>

#include "rt.h"

#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_IPRIORITYR 0x0400
#define GICD_ITARGETSR 0x0800
#define GICD_IROUTER 0x6000

int main(void)
{
	uint32_t seen = 0;

	if (!rt_gic_init()) {
		printf("gicdattack: no GIC\n");
		psci_system_off();
	}
	for (unsigned int w = 1; w < 32; w++) {
		*rt_gicd_reg(GICD_ICENABLER + 4 * w) = 0xffffffffu;
		seen |= *rt_gicd_reg(GICD_ISENABLER + 4 * w);
	}
	for (unsigned int i = 32; i < 1020; i += 4)
		*rt_gicd_reg(GICD_IPRIORITYR + i) = 0xffffffffu;
	for (unsigned int i = 32; i < 1020; i++) {
		if (rt_gicc != 0)
			*(volatile uint8_t *)((uintptr_t)rt_gicd_reg(0) + GICD_ITARGETSR + i) = 0xff;
		else
			*rt_gicd_reg(GICD_IROUTER + 8 * i) = 0x1;
	}
	printf("gicdattack: done; enabled SPIs visible to me: 0x%x\n", (unsigned int)seen);
	psci_system_off();
}
