// SPDX-License-Identifier: Apache-2.0
/*
 * The victim of the hostile-guest suite. It fills a region of its memory
 * with a known pattern, owns the PL031 RTC's interrupt (enabled, never
 * triggered) and beats on its virtual timer every millisecond. Every 20
 * beats it prints one status line the tests check after each attack:
 *
 *   victim: beat N memory ok|CORRUPT spi on|off irqs I sgis S late-max L us
 *           gap-max G us lost B [chan 0xV rings R]
 *
 * Any interrupt but its timer, any SGI, a lost or very late beat (a beat
 * whose deadline passed by a whole period is lost, not caught up: the next
 * deadline is the next period boundary), the longest time between two
 * beats, a change in its memory or its SPI's enable: each shows in that
 * line. "report=N" reports every N beats instead (a quieter neighbour for
 * long runs: the firmware tests). With "chan=IPA doorbell=INTID" in its bootargs (a channel shared
 * with the attacker), it also shows the channel's first word as it reads
 * it at report time, and how many doorbells it took: the tests compare
 * those with what the attacker sent, and check that nothing writes the
 * channel once the attacker is stopped.
 */

#include <stdio.h>

#include "rt.h"

#define GUARDED_WORDS (256 * 1024 / 8) /* 256 KiB watched */
#define PERIOD_NS 1000000ull
#define BEATS_PER_REPORT 20
#define RTC_SPI 34
#define GICD_ISENABLER 0x0100

/* Aligned: the SMMU tests aim a device's DMA ring at it, whose base the
 * device takes 16-byte aligned, and expect the fault at its address. */
static uint64_t guarded[GUARDED_WORDS] __attribute__((aligned(64)));
static volatile uint64_t beats, stray_irqs, sgis, late_max_ns, gap_max_ns, lost, rings;
static uint64_t next_deadline, period_ticks, last_beat;
static uint64_t chan_ipa;
static unsigned int doorbell_intid;

static uint64_t pattern(uint64_t i)
{
	return (i * 0x9e3779b97f4a7c15ull) ^ 0x5a5a5a5a5a5a5a5aull;
}

static bool memory_intact(void)
{
	for (uint64_t i = 0; i < GUARDED_WORDS; i++) {
		if (__atomic_load_n(&guarded[i], __ATOMIC_RELAXED) != pattern(i))
			return false;
	}
	return true;
}

static void on_irq(unsigned int intid)
{
	if (intid == 27) {
		uint64_t now = rt_counter();
		uint64_t late = rt_counts_to_ns(now - next_deadline);
		uint64_t missed = (now - next_deadline) / period_ticks;
		uint64_t gap = rt_counts_to_ns(now - last_beat);

		if (late > late_max_ns)
			late_max_ns = late;
		if (gap > gap_max_ns)
			gap_max_ns = gap;
		last_beat = now;
		lost += missed;
		beats++;
		next_deadline += (missed + 1) * period_ticks;
		rt_vtimer_arm(next_deadline);
	} else if (doorbell_intid != 0 && intid == doorbell_intid) {
		rings++;
	} else if (intid < 16) {
		sgis++;
	} else {
		stray_irqs++;
	}
}

int main(void)
{
	for (uint64_t i = 0; i < GUARDED_WORDS; i++)
		guarded[i] = pattern(i);
	if (!rt_gic_init()) {
		printf("victim: no GIC\n");
		psci_system_off();
	}
	rt_set_irq_handler(on_irq);
	for (unsigned int sgi = 0; sgi < 16; sgi++)
		rt_gic_enable(sgi, 0x80);
	rt_gic_enable(27, 0x80);
	rt_gic_enable_spi(RTC_SPI, 0x80);
	chan_ipa = rt_bootarg_u64("chan", 0);
	uint64_t per_report = rt_bootarg_u64("report", BEATS_PER_REPORT);

	if (per_report == 0)
		per_report = BEATS_PER_REPORT;
	doorbell_intid = (unsigned int)rt_bootarg_u64("doorbell", 0);
	if (doorbell_intid != 0)
		rt_gic_enable_spi(doorbell_intid, 0x80);
	period_ticks = rt_ns_to_counts(PERIOD_NS);
	last_beat = rt_counter();
	next_deadline = last_beat + period_ticks;
	rt_vtimer_arm(next_deadline);
	rt_irq_enable();
	printf("victim: ready\n");

	for (uint64_t reported = 0;;) {
		while (beats < reported + per_report)
			__asm__ volatile("wfi" : : : "memory");
		reported += per_report;
		bool spi_on = (*rt_gicd_reg(GICD_ISENABLER + 4 * (RTC_SPI / 32)) >> (RTC_SPI % 32)) & 1;

		char chan[64] = "";

		if (chan_ipa != 0) {
			uint64_t word = __atomic_load_n((volatile uint64_t *)(uintptr_t)chan_ipa,
							__ATOMIC_ACQUIRE);

			snprintf(chan, sizeof(chan), " chan 0x%llx rings %llu",
				 (unsigned long long)word, (unsigned long long)rings);
		}
		printf("victim: beat %llu memory %s spi %s irqs %llu sgis %llu late-max %llu us "
		       "gap-max %llu us lost %llu%s\n",
		       (unsigned long long)reported, memory_intact() ? "ok" : "CORRUPT",
		       spi_on ? "on" : "off", (unsigned long long)stray_irqs,
		       (unsigned long long)sgis, (unsigned long long)(late_max_ns / 1000),
		       (unsigned long long)(gap_max_ns / 1000), (unsigned long long)lost, chan);
	}
}
