// SPDX-License-Identifier: Apache-2.0
/*
 * The health watchdog on x86 (docs/hypercalls.md, "Health"), as
 * partitions/tests/watchdog.c on arm64: on its first boot it kicks every
 * 10 ms of local APIC timer time, 5 times, then stops kicking and hangs with
 * interrupts off, as a locked-up partition would. The watchdog restarts it;
 * on its second boot it kicks a few times, reports itself healthy and
 * powers off.
 */

#include "rt.h"

#define WATCHDOG_KICK 0x86000020u
#define HEALTH_REPORT 0x86000021u
#define HEALTH_OK 1
#define TIMER_VECTOR 0x40
#define FIRST_BOOT_KICKS 5

static volatile bool tick;

static void on_vector(unsigned int vector)
{
	if (vector == TIMER_VECTOR)
		tick = true;
}

static void sleep_ms(unsigned int ms)
{
	tick = false;
	rt_lapic_write(RT_LAPIC_TIMER_INITIAL, ms * 1000000u);
	while (!tick)
		rt_wait_event();
}

static void kick(unsigned int boot, unsigned int n)
{
	uint64_t r[4];

	for (unsigned int i = 1; i <= n; i++) {
		rt_bulkhead_call(WATCHDOG_KICK, 0, 0, 0, r);
		if (i == 1 || i == n)
			printf("watchdog: boot %u, kick %u: status %d, timeout %u ms\n", boot, i,
			       (int)(int32_t)r[0], (unsigned int)r[1]);
		sleep_ms(10);
	}
}

int main(void)
{
	uint64_t r[4];
	unsigned int boot = rt_boot_count();

	rt_set_lapic_handler(on_vector);
	rt_lapic_write(RT_LAPIC_SVR, 0x1ff);
	rt_lapic_write(RT_LAPIC_TIMER_DIVIDE, 0xb); /* divide by 1: 1 GHz */
	rt_lapic_write(RT_LAPIC_LVT_TIMER, TIMER_VECTOR); /* one-shot */
	rt_irq_enable();
	printf("watchdog: boot %u\n", boot);
	if (boot == 1) {
		kick(boot, FIRST_BOOT_KICKS);
		printf("watchdog: boot 1: hanging without kicks\n");
		rt_irq_disable();
		for (;;)
			rt_wait_event();
	}
	kick(boot, 3);
	rt_bulkhead_call(HEALTH_REPORT, HEALTH_OK, 0, 0, r);
	printf("watchdog: boot %u: resumed, health report: status %d\n", boot, (int)(int32_t)r[0]);
	rt_bulkhead_call(HEALTH_REPORT, 7, 0, 0, r);
	printf("watchdog: bad health report: status %d\n", (int)(int32_t)r[0]);
	return 0;
}
