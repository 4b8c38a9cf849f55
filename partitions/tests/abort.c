// SPDX-License-Identifier: Apache-2.0
/*
 * Reads memory the partition does not own: guest address 0x50000000, which
 * is where another partition's RAM sits physically. The read must come back
 * as a synchronous external abort, which this partition catches.
 */

#include <stdio.h>

#include "rt.h"

#define PROBE 0x50000000ull

static volatile int caught;

static bool on_abort(struct rt_frame *f, uint64_t esr, uint64_t far)
{
	unsigned int ec = (unsigned int)(esr >> 26);

	printf("abort: caught exception class 0x%x, fault status 0x%llx at 0x%llx\n", ec,
	       (unsigned long long)(esr & 0x3f), (unsigned long long)far);
	caught = 1;
	f->elr += 4; /* skip the load */
	return true;
}

int main(void)
{
	rt_set_sync_handler(on_abort);
	printf("abort: reading 0x%llx\n", PROBE);
	uint64_t v = *(volatile uint64_t *)(uintptr_t)PROBE;

	printf("abort: %s (read 0x%llx)\n", caught ? "contained" : "NOT CAUGHT",
	       (unsigned long long)v);
	psci_system_off();
}
