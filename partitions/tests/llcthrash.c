// SPDX-License-Identifier: Apache-2.0
/*
 * The noisy neighbour of the cache-interference bench (tests/bench_llc.py):
 * streams through its free memory (from the end of its image, size=<bytes>
 * of it, default 4 MiB), reading and writing every cache line, for ever.
 * trap=<lines>: also call PSCI_VERSION every that many lines, so the
 * hypervisor works on its CPU often (its own cache footprint then counts:
 * docs/colouring.md, "The hypervisor coloured").
 */

#include <stdio.h>

#include "rt.h"

#define LINE 64u

extern char __image_end[];

int main(void)
{
	uintptr_t start = ((uintptr_t)__image_end + 4095u) & ~(uintptr_t)4095u;
	uintptr_t limit = (uintptr_t)rt_fdt & ~(uintptr_t)4095u;
	uint64_t size = rt_bootarg_u64("size", 4u << 20);
	uint64_t trap = rt_bootarg_u64("trap", 0);
	uint64_t passes = 0;
	uint64_t lines = 0;

	if (size > limit - start)
		size = limit - start;
	printf("llcthrash: streaming through %llu KiB\n", (unsigned long long)(size >> 10));
	for (;;) {
		for (uintptr_t at = start; at < start + size; at += LINE) {
			volatile uint64_t *p = (volatile uint64_t *)at;

			*p = *p + passes;
			if (trap != 0u && ++lines == trap) {
				lines = 0;
				(void)psci_version();
			}
		}
		passes++;
	}
}
