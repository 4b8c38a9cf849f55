// SPDX-License-Identifier: Apache-2.0
/*
 * Linked only into the fault-test build (make FAULT_TEST=1): CPU 1 reads an
 * unmapped address once online, so the test sees an EL2 register dump and
 * checks that only CPU 1 stops.
 */

#include <bulkhead/arch.h>
#include <bulkhead/console.h>
#include <bulkhead/cpu.h>

#include <arch/arm64.h>

#define UNMAPPED_ADDRESS 0xdead0000ull

void arm64_test_hook_online(unsigned int cpu_index)
{
	if (cpu_index == 1) {
		log_printf("fault-test: cpu 1 reads unmapped address 0x%llx\n", UNMAPPED_ADDRESS);
		(void)*(volatile uint64_t *)(uintptr_t)UNMAPPED_ADDRESS;
		return;
	}
	if (cpu_index == 0) {
		while (__atomic_load_n(&cpus[1].state, __ATOMIC_ACQUIRE) != CPU_HALTED)
			arch_wait_event();
		log_printf("fault-test: cpu 0 still running after cpu 1 halted\n");
	}
}
