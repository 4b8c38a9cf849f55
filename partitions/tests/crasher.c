// SPDX-License-Identifier: Apache-2.0
/*
 * A partition in a crash loop: every boot it reads memory it does not own,
 * a contained fault. With `fault-action = "restart"` each fault restarts it,
 * until its restart-limit stops it. Each boot prints the virtual time of its
 * first instruction and of its fault: make bench's restart_time is the span
 * from one boot's fault to the next boot's first instruction. Each boot
 * leaves a mark in its memory that the next must find cleared.
 */

#include <stdio.h>

#include "rt.h"

#define PROBE 0x50000000ull /* another partition's RAM, physically */
/* Beyond the image, in the partition's own RAM: left dirty by each boot,
 * it must read zero on the next (a restart clears the memory). */
#define SCRATCH 0x40800000ull

static bool on_abort(struct rt_frame *f, uint64_t esr, uint64_t far)
{
	(void)esr;
	(void)far;
	printf("crasher: abort taken, still running\n");
	f->elr += 4;
	return true;
}

static uint64_t now_ns(void)
{
	uint64_t c = rt_counter(), hz = rt_counter_hz();

	return c / hz * 1000000000ull + c % hz * 1000000000ull / hz;
}

int main(void)
{
	rt_set_sync_handler(on_abort);
	printf("crasher: boot %u, first instruction at %llu ns\n", (unsigned int)rt_boot_count(),
	       (unsigned long long)rt_first_ns);
	volatile uint64_t *scratch = (volatile uint64_t *)(uintptr_t)SCRATCH;

	if (rt_boot_count() > 1)
		printf("crasher: memory left by the last boot: %s\n",
		       *scratch == 0 ? "cleared" : "STILL THERE");
	*scratch = 0x5ca1ab1e;
	printf("crasher: faulting at %llu ns\n", (unsigned long long)now_ns());
	(void)*(volatile uint64_t *)(uintptr_t)PROBE;
	/* Reached only when the fault policy lets the partition run on. */
	printf("crasher: survived the fault\n");
	psci_system_off();
}
