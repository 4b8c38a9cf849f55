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

static void sort(int64_t *v, unsigned int n)
{
	/* Shell sort with Ciura's gaps: no allocation, fast enough for 4000. */
	static const unsigned int gaps[] = {701, 301, 132, 57, 23, 10, 4, 1};

	for (unsigned int g = 0; g < sizeof(gaps) / sizeof(gaps[0]); g++) {
		unsigned int gap = gaps[g];

		for (unsigned int i = gap; i < n; i++) {
			int64_t x = v[i];
			unsigned int j = i;

			for (; j >= gap && v[j - gap] > x; j -= gap)
				v[j] = v[j - gap];
			v[j] = x;
		}
	}
}

int64_t bench_median(int64_t *v, unsigned int n)
{
	sort(v, n);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

void bench_report(const char *program, const char *name, int64_t *v, unsigned int n,
		  int64_t empty)
{
	int64_t mid = bench_median(v, n);

	printf("%s: %s samples=%u median=%lld min=%lld max=%lld empty=%lld\n", program, name, n,
	       (long long)(mid - empty), (long long)(v[0] - empty), (long long)(v[n - 1] - empty),
	       (long long)empty);
}
