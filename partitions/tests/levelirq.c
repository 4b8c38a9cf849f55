// SPDX-License-Identifier: Apache-2.0
/*
 * A level-triggered passthrough interrupt as the GIC architecture defines
 * it, with the PL031 RTC's alarm given to this partition:
 *
 * - disabled, its pending bit (GICD_ISPENDR) follows the device's line: set
 *   once the alarm is raised, clear once the device is cleared;
 * - enabled, its handler acknowledges it, sees it active (GICD_ISACTIVER),
 *   ends it (EOI), sees it no longer active, and only then clears the
 *   device, as some RTOSes do. Each event must be taken exactly once: the
 *   EOI while the line is still high must not leave a second, stale
 *   delivery behind once the line has fallen.
 *
 * Counted: events raised against handler entries, and entries that found
 * the device with nothing to report (RTCMIS clear).
 */

#include <stdio.h>

#include <libfdt.h>

#include "rt.h"

#define RTCDR 0x00
#define RTCMR 0x04
#define RTCIMSC 0x10
#define RTCMIS 0x18
#define RTCICR 0x1c

#define GICD_ISPENDR 0x200
#define GICD_ISACTIVER 0x300

#define EVENTS 20
/* Long enough after each event for a second delivery to show. */
#define SETTLE_NS 1000000ull
#define POLL_NS 10000000ull

static volatile uint32_t *rtc;
static unsigned int rtc_intid;
static volatile unsigned int entries, empty, active_in_handler, active_after_eoi;

static bool gicd_bit(unsigned int reg)
{
	return (*rt_gicd_reg(reg + 4 * (rtc_intid / 32)) >> (rtc_intid % 32)) & 1u;
}

static void raise_alarm(void)
{
	rtc[RTCIMSC / 4] = 1;
	rtc[RTCMR / 4] = rtc[RTCDR / 4]; /* QEMU raises a match that is due at once */
}

/* Acknowledged by rt_irq(); ended here, before the device is cleared. */
static void on_irq(unsigned int intid)
{
	if (intid != rtc_intid) {
		rt_gic_end(intid);
		return;
	}
	entries++;
	active_in_handler += gicd_bit(GICD_ISACTIVER);
	rt_gic_end(intid);
	active_after_eoi += gicd_bit(GICD_ISACTIVER);
	if ((rtc[RTCMIS / 4] & 1u) == 0)
		empty++;
	rtc[RTCICR / 4] = 1;
}

/* Poll @reg's bit for the RTC until it reads @want (bounded). */
static bool poll_bit(unsigned int reg, bool want)
{
	uint64_t end = rt_counter() + rt_ns_to_counts(POLL_NS);

	while (gicd_bit(reg) != want) {
		if (rt_counter() > end)
			return false;
	}
	return true;
}

int main(void)
{
	int node = fdt_node_offset_by_compatible(rt_fdt, -1, "arm,pl031");
	int len;
	const fdt32_t *reg = node >= 0 ? fdt_getprop(rt_fdt, node, "reg", &len) : NULL;
	const fdt32_t *irq = node >= 0 ? fdt_getprop(rt_fdt, node, "interrupts", NULL) : NULL;

	if (reg == NULL || irq == NULL || !rt_gic_init()) {
		printf("levelirq: no PL031 or GIC\n");
		psci_system_off();
	}
	rtc = (volatile uint32_t *)(uintptr_t)((uint64_t)fdt32_to_cpu(reg[0]) << 32 |
						 fdt32_to_cpu(reg[1]));
	rtc_intid = fdt32_to_cpu(irq[1]) + 32;
	rt_set_irq_handler_ending(on_irq);

	/* Disabled: the pending bit follows the line. */
	bool before = gicd_bit(GICD_ISPENDR);

	raise_alarm();
	bool raised = poll_bit(GICD_ISPENDR, true);

	rtc[RTCICR / 4] = 1;
	bool cleared = poll_bit(GICD_ISPENDR, false);

	printf("levelirq: SPI %u disabled: pending before %d, after the alarm %d, after clearing %d\n",
	       rtc_intid, before, raised, !cleared);

	rt_gic_enable_spi(rtc_intid, 0x80);
	rt_irq_enable();
	for (unsigned int sent = 1; sent <= EVENTS; sent++) {
		raise_alarm();
		while (entries < sent)
			__asm__ volatile("wfi");
		rt_wait_ns(SETTLE_NS);
	}
	printf("levelirq: events %u, handler entries %u, empty %u\n", EVENTS, entries, empty);
	printf("levelirq: active in handler %u, after EOI %u, after return %d\n", active_in_handler,
	       active_after_eoi, gicd_bit(GICD_ISACTIVER));
	psci_system_off();
}
