// SPDX-License-Identifier: Apache-2.0
/*
 * A passthrough device reset on restart (`reset-registers`): the first boot
 * enables every interrupt of its PL061 GPIO (GPIOIE) and restarts with
 * SYSTEM_RESET; the second reads GPIOIE back, which the hypervisor's reset
 * write must have cleared.
 */

#include <stdio.h>

#include "rt.h"

#define PL061_GPIOIE 0x9030410ull

int main(void)
{
	volatile uint32_t *ie = (volatile uint32_t *)(uintptr_t)PL061_GPIOIE;
	unsigned int boot = rt_boot_count();

	printf("devreset: boot %u, GPIOIE 0x%x\n", boot, (unsigned int)*ie);
	if (boot == 1) {
		*ie = 0xff;
		printf("devreset: GPIOIE set to 0x%x, resetting\n", (unsigned int)*ie);
		psci_system_reset();
	}
	psci_system_off();
}
