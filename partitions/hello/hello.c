// SPDX-License-Identifier: Apache-2.0
/* The sample partition: says hello through picolibc's printf, then powers
 * its partition off. */

#include <stdio.h>

#include "rt.h"

int main(void)
{
	printf("hello from %s (vCPU 0, MPIDR 0x%llx)\n", rt_partition_name(),
	       (unsigned long long)rt_mpidr());
	for (int i = 1; i <= 3; i++)
		printf("%s: line %d of 3\n", rt_partition_name(), i);
	printf("hello: first instruction at %llu ns since reset\n", (unsigned long long)rt_first_ns);
	printf("hello: done\n");
	psci_system_off();
}
