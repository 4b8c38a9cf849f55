// SPDX-License-Identifier: Apache-2.0
/* The sample x86 partition: says hello, then powers its partition off. */

#include "rt.h"

int main(void)
{
	uint32_t a, b, c, d;

	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
	printf("hello from %s (APIC ID %u, boot %u)\n", rt_partition_name(), b >> 24,
	       rt_boot_count());
	for (int i = 1; i <= 3; i++)
		printf("%s: line %d of 3\n", rt_partition_name(), i);
	printf("hello: done\n");
	return 0;
}
