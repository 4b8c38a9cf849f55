// SPDX-License-Identifier: Apache-2.0
/* Reads guest-physical 0x11000000, which its partition does not have (the
 * physical RAM of hello-b in the test systems). The nested page fault stops
 * the partition; "still running" never shows. */

#include "rt.h"

int main(void)
{
	volatile const uint64_t *target = (volatile const uint64_t *)0x11000000ull;

	printf("memtouch: reading guest-physical %p\n", (const void *)target);
	uint64_t value = *target;

	printf("memtouch: still running, read 0x%llx\n", (unsigned long long)value);
	return 0;
}
