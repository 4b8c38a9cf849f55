// SPDX-License-Identifier: Apache-2.0
/*
 * More interrupts pending at once than the CPU has list registers (QEMU's
 * GICv3 has 4): all 16 SGIs, each with its own priority, in an order that
 * is neither their INTIDs' nor its reverse, are made pending while vCPU 0
 * has IRQs masked. Once unmasked, each must arrive exactly once, the most
 * urgent first. With one vCPU, vCPU 0 sends them to itself; with two, vCPU 1
 * sends them to vCPU 0.
 */

#include <stdio.h>

#include "rt.h"

#define SGIS 16
#define ISPENDR0 0x200
#define ISACTIVER0 0x300

static volatile unsigned int delivered;
static volatile unsigned int order[2 * SGIS];
static volatile int sent;

/* Rank 0 is the most urgent. 7 and 16 are coprime: every rank once. QEMU's
 * virtual CPU interface keeps 5 priority bits, so ranks are 8 apart. */
static unsigned int rank_of(unsigned int sgi)
{
	return sgi * 7 % SGIS;
}

static void on_irq(unsigned int intid)
{
	unsigned int n = delivered;

	if (n < 2 * SGIS)
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
	rt_irq_mask();
	for (unsigned int sgi = 0; sgi < SGIS; sgi++)
		rt_gic_enable(sgi, (uint8_t)(0x10 + 8 * rank_of(sgi)));

	bool remote = psci_cpu_on(1, sender, 0) == 0;

	if (remote) {
		while (!sent)
			rt_wait_event();
	} else {
		send_all();
	}
	printf("lroverflow: sent by vCPU %d; pending with IRQs masked: 0x%lx\n", remote ? 1 : 0,
	       (unsigned long)*rt_gicr_sgi_reg(ISPENDR0));
	rt_irq_unmask();
	wait_for_deliveries(SGIS, 100);
	wait_for_deliveries(SGIS + 1, 1); /* a duplicate would come now */

	char line[128];
	int len = 0;
	bool in_order = delivered == SGIS;
	unsigned int seen = 0;

	for (unsigned int i = 0; i < delivered && i < 2 * SGIS; i++) {
		len += snprintf(line + len, sizeof(line) - (size_t)len, " %u", order[i]);
		if (order[i] >= SGIS || rank_of(order[i]) != i || (seen & (1u << order[i])))
			in_order = false;
		if (order[i] < SGIS)
			seen |= 1u << order[i];
	}
	printf("lroverflow: %u delivered:%s\n", delivered, line);
	printf("lroverflow: each once, most urgent first: %s; left pending 0x%lx, active 0x%lx\n",
	       in_order ? "yes" : "no", (unsigned long)*rt_gicr_sgi_reg(ISPENDR0),
	       (unsigned long)*rt_gicr_sgi_reg(ISACTIVER0));
	psci_system_off();
}
