// SPDX-License-Identifier: Apache-2.0
/*
 * Linked only into the x86 fault-test build (build/x86-faulttest): once
 * online, CPU 1 reads an unmapped address and CPU 2 (if present) overflows
 * its stack, so the test sees two register dumps and checks that only those
 * CPUs stop.
 */

#include <bulkhead/arch.h>
#include <bulkhead/console.h>
#include <bulkhead/cpu.h>

#include <arch/x86.h>

#define UNMAPPED_ADDRESS 0xdead00000ull /* above the 4 GiB the hypervisor maps */

/* Deep enough to run through any stack; the volatile frame defeats
 * tail calls and keeps each level's stack use real. */
static __attribute__((noinline)) unsigned int use_stack(unsigned int depth)
{
	volatile unsigned char frame[256];

	frame[0] = (unsigned char)depth;
	if (depth == 0)
		return frame[0];
	return use_stack(depth - 1) + frame[0];
}

static bool halted(unsigned int cpu_index)
{
	return cpu_index >= MAX_CPUS ||
	       __atomic_load_n(&cpus[cpu_index].state, __ATOMIC_ACQUIRE) != CPU_ONLINE;
}

void x86_test_hook_online(unsigned int cpu_index)
{
	if (cpu_index == 1) {
		log_printf("fault-test: cpu 1 reads unmapped address 0x%llx\n", UNMAPPED_ADDRESS);
		(void)*(volatile uint64_t *)(uintptr_t)UNMAPPED_ADDRESS;
		return;
	}
	if (cpu_index == 2) {
		log_printf("fault-test: cpu 2 overflows its stack\n");
		log_printf("fault-test: cpu 2 survived (%u)\n", use_stack(1u << 20));
		return;
	}
	if (cpu_index == 0) {
		while (!halted(1) || !halted(2))
			arch_wait_event();
		log_printf("fault-test: cpu 0 still running after the faulting CPUs halted\n");
	}
}
