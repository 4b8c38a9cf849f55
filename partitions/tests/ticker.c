// SPDX-License-Identifier: Apache-2.0
/* Prints a numbered beat every 200 microseconds of counter time, 40 times,
 * so a test can check it carries on while a neighbour stops or restarts. */

#include <stdio.h>

#include "rt.h"

static uint64_t counter(void)
{
	uint64_t v;

	__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v));
	return v;
}

static uint64_t frequency(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

int main(void)
{
	uint64_t period = frequency() / 5000;
	uint64_t next = counter();

	for (int beat = 1; beat <= 40; beat++) {
		next += period;
		while (counter() < next)
			rt_wait_event(); /* trapped: returns at once, never sleeps */
		printf("beat %d\n", beat);
	}
	printf("ticker: done\n");
	psci_system_off();
}
