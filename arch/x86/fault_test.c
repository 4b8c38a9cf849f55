// SPDX-License-Identifier: Apache-2.0
/* Linked only into the x86 fault-test build (build/x86-faulttest); what it
 * does is in bulkhead/fault_test.h, shared with arm64. */

#include <bulkhead/fault_test.h>

#include <arch/x86.h>

#define UNMAPPED_ADDRESS 0xdead00000ull /* above the 4 GiB the hypervisor maps */

void x86_test_hook_online(unsigned int cpu_index)
{
	fault_test_cpu_online(cpu_index, UNMAPPED_ADDRESS);
}
