// SPDX-License-Identifier: Apache-2.0
/* Restarts its partition once through the SYSTEM_RESET hypercall, then
 * powers it off: the second boot must see a fresh image and boot count 2. */

#include "rt.h"

static int runs; /* in .bss: zero on every boot, as the image is reloaded */

int main(void)
{
	runs++;
	printf("reset: boot %u, runs in this image %d\n", rt_boot_count(), runs);
	if (rt_boot_count() == 1)
		rt_system_reset();
	return 0;
}
