/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The cost of reading the TSC, which every x86 benchmark partition
 * subtracts from its figures (bench_report's "empty"). Inline, so the loop
 * measured is the same instructions in each program as when each had its
 * own copy: under -icount the figure counts instructions.
 */
#ifndef PARTITIONS_X86_BENCH_EMPTY_H
#define PARTITIONS_X86_BENCH_EMPTY_H

#include <stdint.h>

#include "../bench/bench_stats.h"
#include "rt.h"

/* The median of @n back-to-back TSC read pairs; @buf holds @n samples. */
static inline int64_t bench_tsc_empty_cost(int64_t *buf, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		uint64_t start = rt_counter();

		buf[i] = (int64_t)(rt_counter() - start);
	}
	return bench_median(buf, n);
}

#endif
