// SPDX-License-Identifier: Apache-2.0
/* Bulkhead's own calls through VMMCALL (docs/hypercalls.md): the ABI
 * revision, who am I, and a doorbell of a channel this partition does not
 * have; the same core dispatcher as on arm64 answers. */

#include "rt.h"

int main(void)
{
	uint64_t r[4];

	rt_bulkhead_call(0x8600ff03u, 0, 0, 0, r);
	printf("vendorcall: revision %llu.%llu\n", (unsigned long long)r[0],
	       (unsigned long long)r[1]);
	rt_bulkhead_call(0x86000002u, 0, 0, 0, r);
	printf("vendorcall: partition %llu, vCPU %llu of %llu\n", (unsigned long long)r[0],
	       (unsigned long long)r[1], (unsigned long long)r[2]);
	rt_bulkhead_call(0x86000010u, 0, 0, 0, r);
	printf("vendorcall: doorbell of channel 0: %d\n", (int)(int32_t)(uint32_t)r[0]);
	return 0;
}
