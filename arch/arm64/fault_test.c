// SPDX-License-Identifier: Apache-2.0
/* Linked only into the fault-test build (build/arm64-faulttest); what it
 * does is in bulkhead/fault_test.h, shared with x86. */

#include <bulkhead/fault_test.h>

#include <arch/arm64.h>

#define UNMAPPED_ADDRESS 0xdead0000ull

void arm64_test_hook_online(unsigned int cpu_index)
{
	fault_test_cpu_online(cpu_index, UNMAPPED_ADDRESS);
}
