// SPDX-License-Identifier: Apache-2.0
/*
 * The real-time side of the cache-interference bench (tests/bench_llc.py):
 * a loop over a working set that fits its share of the last-level cache,
 * one load per cache line, each iteration marked for the cache-model
 * plugin (tools/llc-plugin: HINT #0x70 start, #0x71 end, #0x72 report;
 * no-ops on any Arm CPU). Like a periodic real-time task it runs one
 * iteration per period (its timer, sleeping in WFI between), when a
 * neighbour has had the time to evict its lines. Bootargs: ws=<bytes>
 * (default 192 KiB), iters=N, period=<ns> (default 200 us).
 */

#include <stdio.h>

#include "rt.h"

#define LINE 64u
#define MAX_WS (512u * 1024u)

static uint64_t ws[MAX_WS / sizeof(uint64_t)] __attribute__((aligned(4096)));
static volatile bool due;

static void tick(void)
{
	due = true;
}

int main(void)
{
	uint64_t bytes = rt_bootarg_u64("ws", 192u * 1024u);
	uint64_t iters = rt_bootarg_u64("iters", 20);
	uint64_t period = rt_bootarg_u64("period", 200000);
	volatile uint64_t *v = ws;
	uint64_t sum = 0;

	if (bytes > MAX_WS)
		bytes = MAX_WS;
	if (!rt_irq_init()) {
		printf("llcrt: no interrupt controller\n");
		psci_system_off();
	}
	rt_set_timer_handler(tick);
	for (uint64_t i = 0; i < iters; i++) {
		due = false;
		rt_timer_start(period);
		__asm__ volatile("hint #0x70" : : : "memory");
		for (uint64_t at = 0; at < bytes / sizeof(uint64_t); at += LINE / sizeof(uint64_t))
			sum += v[at];
		__asm__ volatile("hint #0x71" : : : "memory");
		rt_irq_disable();
		while (!due)
			rt_wait_irq();
		rt_irq_enable();
	}
	__asm__ volatile("hint #0x72" : : : "memory");
	printf("llcrt: %llu iterations over %llu KiB done (%llu)\n", (unsigned long long)iters,
	       (unsigned long long)(bytes >> 10), (unsigned long long)sum);
	psci_system_off();
}
