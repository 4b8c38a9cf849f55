/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the fault-test builds do once each CPU is online (included only by
 * arch/<isa>/fault_test.c, which those builds alone link): CPU 1 reads
 * @unmapped_address and CPU 2 (if present) overflows its stack, so the
 * tests see two register dumps and check that only those CPUs stop while
 * CPU 0 reports it runs on. CPU 2 overflows once the partitions are
 * decided: a coloured hypervisor has moved by then (docs/colouring.md),
 * so the guard page hit is one of the moved stacks'.
 */
#ifndef BULKHEAD_FAULT_TEST_H
#define BULKHEAD_FAULT_TEST_H

#include <stdbool.h>
#include <stdint.h>

#include <bulkhead/arch.h>
#include <bulkhead/boot.h>
#include <bulkhead/console.h>
#include <bulkhead/cpu.h>

/* Deep enough to run through any stack; the volatile frame defeats
 * tail calls and keeps each level's stack use real. */
static __attribute__((noinline)) unsigned int fault_test_use_stack(unsigned int depth)
{
	volatile unsigned char frame[256];

	frame[0] = (unsigned char)depth;
	if (depth == 0)
		return frame[0];
	return fault_test_use_stack(depth - 1) + frame[0];
}

static inline bool fault_test_halted(unsigned int cpu_index)
{
	return cpu_index >= MAX_CPUS ||
	       __atomic_load_n(&cpus[cpu_index].state, __ATOMIC_ACQUIRE) != CPU_ONLINE;
}

static inline void fault_test_cpu_online(unsigned int cpu_index, uint64_t unmapped_address)
{
	if (cpu_index == 1) {
		log_printf("fault-test: cpu 1 reads unmapped address 0x%llx\n",
			   (unsigned long long)unmapped_address);
		(void)*(volatile uint64_t *)(uintptr_t)unmapped_address;
		return;
	}
	if (cpu_index == 2) {
		while (!boot_partitions_decided()) {
			arch_hyp_colour_poll();
			arch_wait_event();
		}
		log_printf("fault-test: cpu 2 overflows its stack\n");
		log_printf("fault-test: cpu 2 survived (%u)\n", fault_test_use_stack(1u << 20));
		return;
	}
	if (cpu_index == 0) {
		while (!fault_test_halted(1) || !fault_test_halted(2))
			arch_wait_event();
		log_printf("fault-test: cpu 0 still running after the faulting CPUs halted\n");
	}
}

#endif
