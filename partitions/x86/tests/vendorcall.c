// SPDX-License-Identifier: Apache-2.0
/* Bulkhead's own calls through VMMCALL (docs/hypercalls.md): the ABI
 * revision, who am I, and a doorbell of a channel this partition does not
 * have; the same core dispatcher as on arm64 answers. */

#include "rt.h"

static void call(uint32_t fn, uint64_t a1, uint64_t r[4])
{
	uint64_t rax = fn, rbx = a1, rcx = 0, rdx = 0;

	__asm__ volatile("vmmcall" : "+a"(rax), "+b"(rbx), "+c"(rcx), "+d"(rdx) : : "memory");
	r[0] = rax;
	r[1] = rbx;
	r[2] = rcx;
	r[3] = rdx;
}

int main(void)
{
	uint64_t r[4];

	call(0x8600ff03u, 0, r);
	printf("vendorcall: revision %llu.%llu\n", (unsigned long long)r[0],
	       (unsigned long long)r[1]);
	call(0x86000002u, 0, r);
	printf("vendorcall: partition %llu, vCPU %llu of %llu\n", (unsigned long long)r[0],
	       (unsigned long long)r[1], (unsigned long long)r[2]);
	call(0x86000010u, 0, r);
	printf("vendorcall: doorbell of channel 0: %d\n", (int)(int32_t)(uint32_t)r[0]);
	return 0;
}
