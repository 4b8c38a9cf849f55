/* SPDX-License-Identifier: Apache-2.0 */
/* Statistics every benchmark figure is reported with, on both arches. */
#ifndef PARTITIONS_BENCH_BENCH_STATS_H
#define PARTITIONS_BENCH_BENCH_STATS_H

#include <stdint.h>

/* Sorts @v; returns its median. */
int64_t bench_median(int64_t *v, unsigned int n);

/* "<program>: <name> samples=N median=M min=A max=B empty=E", less @empty. */
void bench_report(const char *program, const char *name, int64_t *v, unsigned int n,
		  int64_t empty);

#endif
