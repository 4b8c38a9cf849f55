// SPDX-License-Identifier: Apache-2.0
/* Reads guest-physical 0x140000000, above 4 GiB, which its partition does
 * not have (in tests/x86/himem-guest.dts, the physical RAM behind its
 * neighbour's memory at guest 4 GiB). The runtime maps it; the nested page
 * fault stops the partition, and "still running" never shows. */

#include "rt.h"

int main(void)
{
	volatile const uint64_t *target = (volatile const uint64_t *)0x140000000ull;

	printf("hightouch: reading guest-physical %p\n", (const void *)target);
	uint64_t value = *target;

	printf("hightouch: still running, read 0x%llx\n", (unsigned long long)value);
	return 0;
}
