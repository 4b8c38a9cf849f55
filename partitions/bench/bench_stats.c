// SPDX-License-Identifier: Apache-2.0
/* The benchmark partitions' statistics (bench_stats.h): portable C, built
 * for the arm64 and the x86-64 benchmark partitions alike. */

#include <stdio.h>

#include "bench_stats.h"

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
