// SPDX-License-Identifier: Apache-2.0
/* Prints a numbered beat every 200 microseconds of counter time, 40 times,
 * so a test can check it carries on while a neighbour stops or restarts. */

#include <stdio.h>

#include "rt.h"

int main(void)
{
	uint64_t period = rt_counter_hz() / 5000;
	uint64_t next = rt_counter();

	for (int beat = 1; beat <= 40; beat++) {
		next += period;
		while (rt_counter() < next)
			rt_wait_event(); /* trapped: returns at once, never sleeps */
		printf("beat %d\n", beat);
	}
	printf("ticker: done\n");
	psci_system_off();
}
