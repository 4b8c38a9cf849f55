// SPDX-License-Identifier: Apache-2.0
/*
 * The health watchdog (docs/hypercalls.md, "Health"): on its first boot it
 * kicks every 10 ms of virtual-timer time "kicks=N" times (bootargs), then
 * stops kicking and hangs with nothing to wake it, as a locked-up partition
 * would. The watchdog restarts it; on its second boot it kicks a few times,
 * reports itself healthy and powers off.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "rt.h"

#define WATCHDOG_KICK 0x86000020u
#define HEALTH_REPORT 0x86000021u
#define HEALTH_OK 1
#define PPI_VTIMER 27

static volatile bool tick;

static void on_irq(unsigned int intid)
{
	if (intid == PPI_VTIMER) {
		rt_vtimer_stop();
		tick = true;
	}
}

/* Sleep @ms in WFI until the virtual timer fires. */
static void sleep_ms(unsigned int ms)
{
	tick = false;
	rt_vtimer_arm(rt_counter() + rt_counter_hz() / 1000 * ms);
	while (!tick)
		__asm__ volatile("wfi");
}

static void kick(unsigned int n)
{
	uint64_t r[4];

	for (unsigned int i = 1; i <= n; i++) {
		smccc_call(WATCHDOG_KICK, 0, 0, 0, r);
		if (i == 1 || i == n)
			printf("watchdog: boot %u, kick %u: status %d, timeout %u ms\n",
			       (unsigned int)rt_boot_count(), i, (int)(int32_t)r[0], (unsigned int)r[1]);
		sleep_ms(10);
	}
}

int main(void)
{
	uint64_t r[4];
	unsigned int boot = rt_boot_count();

	if (!rt_gic_init()) {
		printf("watchdog: no GIC\n");
		psci_system_off();
	}
	rt_set_irq_handler(on_irq);
	rt_gic_enable(PPI_VTIMER, 0x80);
	rt_irq_enable();
	printf("watchdog: boot %u\n", boot);
	if (boot == 1) {
		kick((unsigned int)rt_bootarg_u64("kicks", 5));
		printf("watchdog: boot 1: hanging without kicks\n");
		rt_irq_disable();
		for (;;)
			__asm__ volatile("wfi");
	}
	kick(3);
	smccc_call(HEALTH_REPORT, HEALTH_OK, 0, 0, r);
	printf("watchdog: boot %u: resumed, health report: status %d\n", boot, (int)(int32_t)r[0]);
	smccc_call(HEALTH_REPORT, 7, 0, 0, r);
	printf("watchdog: bad health report: status %d\n", (int)(int32_t)r[0]);
	psci_system_off();
}
