// SPDX-License-Identifier: Apache-2.0
/*
 * A vCPU idling in WFE takes no exits to the hypervisor, and still wakes on
 * what wakes WFE bare (docs/architecture.md, "WFI and WFE"). vCPU 1 waits
 * in WFE loops, counting its own exits around each with the VCPU_EXITS
 * hypercall (docs/hypercalls.md):
 *
 *   A. interrupts masked, woken by vCPU 0's SEV after 5 ms;
 *   B. interrupts unmasked, woken by its own virtual timer's interrupt;
 *   C. interrupts unmasked, woken by an SGI from vCPU 0;
 *   D. interrupts masked for good: vCPU 0 powers the partition off, and the
 *      hypervisor's kick must still bring vCPU 1 out (the test waits for
 *      "stopped", which needs every vCPU out).
 *
 * Each loop's exits are the difference of two counts less one (the second
 * call's own trap). On QEMU a WFE only yields, so a loop turns many times:
 * a trapped WFE would show as many exits as turns.
 */

#include <stdio.h>

#include "rt.h"

#define VCPU_EXITS 0xc6000004u

static volatile int phase;   /* set by vCPU 0 to release vCPU 1 */
static volatile int waiting; /* set by vCPU 1 when it waits in phase n */
static volatile int ticked;
static volatile int ipis;

static uint64_t exits(void)
{
	uint64_t r[4];

	rt_bulkhead_call(VCPU_EXITS, 0, 0, 0, r);
	return r[0] == 0 ? r[1] : ~0ull;
}

static void on_timer(void)
{
	ticked = 1;
}

static void on_ipi(void)
{
	ipis++;
}

static void report(const char *what, uint64_t turns, uint64_t before, uint64_t after)
{
	printf("wfe: %s: woken after %llu WFE, %llu exits\n", what, (unsigned long long)turns,
	       (unsigned long long)(after - before - 1));
}

static void announce(int n)
{
	waiting = n;
	rt_send_event();
}

static void idler(uint64_t arg)
{
	uint64_t turns = 0, before;

	(void)arg;
	if (!rt_irq_init())
		printf("wfe: no GIC on vCPU 1\n");
	/* A: masked, until vCPU 0's SEV. */
	before = exits();
	announce(1);
	while (phase < 1) {
		__asm__ volatile("wfe" : : : "memory");
		turns++;
	}
	report("masked, woken by SEV", turns, before, exits());

	/* B: its own timer's interrupt, unmasked. */
	turns = 0;
	before = exits();
	rt_timer_start(2000000);
	rt_irq_enable();
	while (!ticked) {
		__asm__ volatile("wfe" : : : "memory");
		turns++;
	}
	rt_irq_disable();
	report("woken by its timer", turns, before, exits());

	/* C: an SGI from vCPU 0, unmasked. */
	turns = 0;
	before = exits();
	rt_irq_enable();
	announce(3);
	while (ipis == 0) {
		__asm__ volatile("wfe" : : : "memory");
		turns++;
	}
	rt_irq_disable();
	report("woken by an SGI", turns, before, exits());

	/* D: masked for good; only the hypervisor's kick gets it out. */
	printf("wfe: vCPU 1 waits in WFE for good\n");
	announce(4);
	for (;;)
		__asm__ volatile("wfe" : : : "memory");
}

int main(void)
{
	if (!rt_irq_init())
		printf("wfe: no GIC\n");
	rt_set_timer_handler(on_timer);
	rt_set_ipi_handler(on_ipi);
	printf("wfe: CPU_ON vCPU 1: %lld\n", (long long)rt_cpu_on(1, idler, 0));
	while (waiting < 1)
		rt_wait_event();
	rt_wait_ns(5000000); /* vCPU 1 idles meanwhile */
	phase = 1;
	rt_send_event();
	while (waiting < 3)
		rt_wait_event();
	rt_wait_ns(1000000);
	rt_send_ipi(1);
	while (waiting < 4)
		rt_wait_event();
	rt_wait_ns(1000000);
	printf("wfe: powering off with vCPU 1 in WFE\n");
	rt_system_off();
}
