// SPDX-License-Identifier: Apache-2.0
/* Enables every SGI and counts what arrives for 20 ms: a neighbour's
 * broadcasts must never reach it. */

#include <stdio.h>

#include "rt.h"

static volatile unsigned int received;

static void on_irq(unsigned int intid)
{
	(void)intid;
	received++;
}

int main(void)
{
	if (!rt_gic_init()) {
		printf("listener: no GIC\n");
		psci_system_off();
	}
	rt_set_irq_handler(on_irq);
	for (unsigned int sgi = 0; sgi < 16; sgi++)
		rt_gic_enable(sgi, 0x80);
	rt_irq_enable();
	printf("listener: listening\n");
	rt_wait_ns(20000000);
	printf("listener: received %u SGIs\n", received);
	psci_system_off();
}
