// SPDX-License-Identifier: Apache-2.0
/*
 * vCPU 1 spins for ever with interrupts masked, never trapping. vCPU 0 then
 * resets the partition (first boot) or powers it off (second boot): both
 * must take vCPU 1 down too, so the hypervisor has to interrupt it.
 */

#include <stdio.h>

#include "rt.h"

static volatile int spinning;

static void spin(uint64_t arg)
{
	(void)arg;
	spinning = 1;
	rt_send_event();
	__asm__ volatile("msr daifset, #0xf\n1: b 1b" : : : "memory");
}

int main(void)
{
	uint32_t boot = rt_boot_count();

	printf("spinner: boot %u, CPU_ON vCPU 1: %lld\n", (unsigned int)boot,
	       (long long)psci_cpu_on(1, spin, 0));
	while (!spinning)
		rt_wait_event();
	printf("spinner: vCPU 1 is spinning with interrupts masked\n");
	if (boot == 1)
		psci_system_reset();
	psci_system_off();
}
