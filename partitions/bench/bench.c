// SPDX-License-Identifier: Apache-2.0
/* The benchmark partitions' shared measuring and statistics (bench.h). */

#include <stdio.h>

#include "bench.h"
#include "rt.h"

volatile struct irq_stamp bench_irq_stamps[8];
uint64_t bench_hz;

/*
 * Spin n read the counter 1 + 4n instructions after the handler's first
 * instruction and saw the first tick after the stamp's, so the entry lies
 * in the 4 instructions ending 1 + 4n before that tick (1 ns per
 * instruction: icount shift=0); this is the middle of them.
 */
uint64_t bench_entry_ns(uint64_t tick, uint64_t spins)
{
	return bench_ticks_to_ns(tick + 1) - 4 * spins + 1;
}

int64_t bench_stamp_empty_cost(int64_t *buf, unsigned int samples)
{
	static volatile struct irq_stamp here;

	for (unsigned int i = 0; i < samples; i++) {
		uint64_t sent = bench_ticks_to_ns(bench_stamp_calibrate(&here)) + 1 + 3;

		buf[i] = (int64_t)(bench_entry_ns(here.tick, here.spins) - sent);
	}
	return bench_median(buf, samples);
}
