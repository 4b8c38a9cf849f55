// SPDX-License-Identifier: Apache-2.0
/*
 * Restarts its partition once with PSCI SYSTEM_RESET. Before that it changes
 * a variable in .data; after the restart the variable must hold its
 * original value again, showing the image was reloaded.
 */

#include <stdio.h>

#include "rt.h"

static volatile int marker = 1;

int main(void)
{
	uint32_t boot = rt_boot_count();

	printf("reset: boot %u, marker %d\n", (unsigned int)boot, marker);
	if (boot == 1) {
		marker = 2;
		printf("reset: marker set to %d, resetting\n", marker);
		psci_system_reset();
	}
	printf("reset: %s\n", marker == 1 ? "image reloaded" : "STALE MEMORY");
	psci_system_off();
}
