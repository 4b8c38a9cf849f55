// SPDX-License-Identifier: Apache-2.0
/* The guest's TSC against the hypervisor's clock: the rate CPUID leaf
 * 0x40000010 reports, and the time the TSC gives at main(), which the
 * test compares with the hypervisor's "starting ... at N ns since reset"
 * (the same TSC through arch_time_ns()). */

#include "rt.h"

int main(void)
{
	uint64_t now_ns = rt_counts_to_ns(rt_counter());

	printf("tsc: %llu kHz\n", (unsigned long long)(rt_counter_hz() / 1000));
	printf("tsc: main() at %llu ns since reset\n", (unsigned long long)now_ns);
	return 0;
}
