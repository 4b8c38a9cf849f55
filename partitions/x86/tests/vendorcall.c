// SPDX-License-Identifier: Apache-2.0
/* Bulkhead's own calls (docs/hypercalls.md) by the hypercall instruction
 * the hypervisor's CPUID leaf names (VMCALL on VMX, VMMCALL on SVM): the
 * ABI revision, who am I, and a doorbell of a channel this partition does
 * not have; the same core dispatcher as on arm64 answers. On VMX the
 * revision is asked by VMMCALL too, the #UD Bulkhead takes as the call. */

#include "rt.h"

int main(void)
{
	uint64_t r[4];

	printf("vendorcall: hypercall by %s\n", rt_use_vmcall ? "VMCALL" : "VMMCALL");
	rt_bulkhead_call(0x8600ff03u, 0, 0, 0, r);
	printf("vendorcall: revision %llu.%llu\n", (unsigned long long)r[0],
	       (unsigned long long)r[1]);
	if (rt_use_vmcall) {
		uint64_t rax = 0x8600ff03u, rbx = 0, rcx = 0, rdx = 0;

		__asm__ volatile("vmmcall" : "+a"(rax), "+b"(rbx), "+c"(rcx), "+d"(rdx) : : "memory");
		printf("vendorcall: revision by VMMCALL too: %llu.%llu\n", (unsigned long long)rax,
		       (unsigned long long)rbx);
	}
	rt_bulkhead_call(0x86000002u, 0, 0, 0, r);
	printf("vendorcall: partition %llu, vCPU %llu of %llu\n", (unsigned long long)r[0],
	       (unsigned long long)r[1], (unsigned long long)r[2]);
	rt_bulkhead_call(0x86000010u, 0, 0, 0, r);
	printf("vendorcall: doorbell of channel 0: %d\n", (int)(int32_t)(uint32_t)r[0]);
	return 0;
}
