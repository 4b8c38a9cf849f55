// SPDX-License-Identifier: Apache-2.0
/* vCPU 0 starts vCPU 1 as PC firmware starts an application processor:
 * INIT and start-up IPIs through the local APIC, a real-mode trampoline,
 * then the runtime's usual secondary entry. A start-up IPI without an INIT
 * first, and INIT with a SIPI sent to a running vCPU, change nothing. */

#include "rt.h"

#define ICR_INIT 0x4500u
#define ICR_STARTUP 0x4600u
#define STATUS_ON 0
#define STATUS_OFF 1

static volatile int up, go;

static void second(uint64_t arg)
{
	printf("sipi: vCPU %u up, started in real mode at CS 0x%x, arg 0x%llx\n", rt_vcpu(),
	       rt_sipi_started_cs(), (unsigned long long)arg);
	up = 1;
	while (arg == 2 && !go)
		rt_wait_event();
}

static void wait_off(void)
{
	while (rt_cpu_status(1) != STATUS_OFF)
		rt_wait_event();
}

static void ipi(uint32_t icr_low)
{
	rt_lapic_write(RT_LAPIC_ICR_HIGH, 1u << 24); /* to vCPU 1 */
	rt_lapic_write(RT_LAPIC_ICR_LOW, icr_low);
}

int main(void)
{
	rt_irq_enable();
	printf("sipi: vCPU 1 is %s\n", rt_cpu_status(1) == STATUS_OFF ? "off" : "not off");
	printf("sipi: INIT-SIPI-SIPI to vCPU 1: %lld\n", (long long)rt_cpu_on_sipi(1, second, 1));
	while (!up)
		rt_wait_event();
	wait_off();
	printf("sipi: vCPU 1 returned and is off\n");

	ipi(ICR_STARTUP | (RT_SIPI_BASE >> 12));
	printf("sipi: a start-up IPI without INIT: vCPU 1 %s\n",
	       rt_cpu_status(1) == STATUS_OFF ? "stays off" : "started");

	up = 0;
	printf("sipi: INIT-SIPI-SIPI again: %lld\n", (long long)rt_cpu_on_sipi(1, second, 2));
	while (!up)
		rt_wait_event();
	ipi(ICR_INIT);
	ipi(ICR_STARTUP | (RT_SIPI_BASE >> 12));
	printf("sipi: INIT and SIPI while it runs: vCPU 1 %s\n",
	       rt_cpu_status(1) == STATUS_ON ? "carries on" : "was reset");
	printf("sipi: rt_cpu_on_sipi while it runs: %lld\n",
	       (long long)rt_cpu_on_sipi(1, second, 3));
	go = 1;
	wait_off();
	printf("sipi: vCPU 1 is off\n");
	return 0;
}
