// SPDX-License-Identifier: Apache-2.0
/*
 * More interrupts pending at once than the CPU has list registers (QEMU's
 * GICv3 has 4): all 16 SGIs, each with its own priority, in an order that
 * is neither their INTIDs' nor its reverse, are made pending while vCPU 0
 * has IRQs masked; then its virtual timer fires too, with a priority in the
 * middle of theirs, while every list register is taken. Once unmasked, each
 * must arrive exactly once, the most urgent first. With one vCPU, vCPU 0
 * sends the SGIs to itself; with two, vCPU 1 sends them to vCPU 0.
 */

#include <stdio.h>

#include "rt.h"

#define SGIS 16
#define PPI_VTIMER 27
#define EXPECTED (SGIS + 1)
#define ISPENDR0 0x200
#define ISACTIVER0 0x300

static volatile unsigned int delivered;
static volatile unsigned int order[2 * EXPECTED];
static volatile int sent;

/* Rank 0 is the most urgent; 7 and 16 are coprime, so every rank once. */
static unsigned int rank_of(unsigned int sgi)
{
	return sgi * 7 % SGIS;
}

/* QEMU's virtual CPU interface keeps 5 priority bits: levels 8 apart. The
 * timer's level sits between ranks 7 and 8. */
static uint8_t priority_of_rank(unsigned int rank)
{
	return (uint8_t)(0x08 + 8 * rank + (rank >= SGIS / 2 ? 8 : 0));
}

#define TIMER_PRIORITY 0x48

/* Position @i of the expected delivery order. */
static unsigned int expected_at(unsigned int i)
{
	unsigned int rank = i < SGIS / 2 ? i : i - 1;

	if (i == SGIS / 2)
		return PPI_VTIMER;
	for (unsigned int sgi = 0; sgi < SGIS; sgi++) {
		if (rank_of(sgi) == rank)
			return sgi;
	}
	return ~0u;
}

static void on_irq(unsigned int intid)
{
	unsigned int n = delivered;

	if (intid == PPI_VTIMER)
		rt_vtimer_stop();
	if (n < 2 * EXPECTED)
		order[n] = intid;
	delivered = n + 1;
}

static void send_all(void)
{
	for (unsigned int sgi = 0; sgi < SGIS; sgi++)
		rt_send_sgi(sgi, 1u << 0);
}

static void sender(uint64_t arg)
{
	(void)arg;
	rt_gic_cpu_init();
	send_all();
	sent = 1;
	rt_send_event();
	psci_cpu_off();
}

/* Wait in WFE (trapped: the hypervisor looks at pending interrupts each
 * time) until @n have arrived or @ms of counter time have passed. */
static void wait_for_deliveries(unsigned int n, uint64_t ms)
{
	uint64_t end = rt_counter() + ms * rt_counter_hz() / 1000;

	while (delivered < n && rt_counter() < end)
		rt_wait_event();
}

int main(void)
{
	if (!rt_gic_init()) {
		printf("lroverflow: no GIC\n");
		psci_system_off();
	}
	rt_set_irq_handler(on_irq);
	rt_irq_disable();
	for (unsigned int sgi = 0; sgi < SGIS; sgi++)
		rt_gic_enable(sgi, priority_of_rank(rank_of(sgi)));
	rt_gic_enable(PPI_VTIMER, TIMER_PRIORITY);

	bool remote = psci_cpu_on(1, sender, 0) == 0;

	if (remote) {
		while (!sent)
			rt_wait_event();
	} else {
		send_all();
	}
	rt_vtimer_arm(rt_counter()); /* due now, while the list registers are full */
	printf("lroverflow: sent by vCPU %d; pending with IRQs masked: 0x%lx\n", remote ? 1 : 0,
	       (unsigned long)*rt_gicr_sgi_reg(ISPENDR0));
	rt_irq_enable();
	wait_for_deliveries(EXPECTED, 100);
	wait_for_deliveries(EXPECTED + 1, 1); /* a duplicate would come now */

	char line[128];
	int len = 0;
	bool in_order = delivered == EXPECTED;

	for (unsigned int i = 0; i < delivered && i < 2 * EXPECTED; i++) {
		len += snprintf(line + len, sizeof(line) - (size_t)len, " %u", order[i]);
		if (order[i] != expected_at(i))
			in_order = false;
	}
	printf("lroverflow: %u delivered:%s\n", delivered, line);
	printf("lroverflow: each once, most urgent first: %s; left pending 0x%lx, active 0x%lx\n",
	       in_order ? "yes" : "no", (unsigned long)*rt_gicr_sgi_reg(ISPENDR0),
	       (unsigned long)*rt_gicr_sgi_reg(ISACTIVER0));
	psci_system_off();
}
