// SPDX-License-Identifier: Apache-2.0
/* Memory above 4 GiB: for each of the partition's memory regions at
 * guest-physical 4 GiB or more (from its device tree), writes a pattern
 * word into every 4 KiB page (at an offset that walks through the page),
 * reads them all back and prints how many differ and a checksum of what
 * it read, which the test computes on its own. Then it idles, the pattern
 * left in place for the test to find at the host-physical address. */

#include <libfdt.h>

#include "rt.h"

#define FOUR_GIB 0x100000000ull
#define PAGE 4096ull
#define MIX 0x9e3779b97f4a7c15ull /* odd: the pattern differs at every address */

static volatile uint64_t *word_of_page(uint64_t base, uint64_t page)
{
	return (volatile uint64_t *)(uintptr_t)(base + page * PAGE + (page * 8 & (PAGE - 8)));
}

static void exercise(uint64_t base, uint64_t size)
{
	uint64_t pages = size / PAGE, mismatches = 0, checksum = 0;

	for (uint64_t p = 0; p < pages; p++) {
		volatile uint64_t *w = word_of_page(base, p);

		*w = (uint64_t)(uintptr_t)w * MIX;
	}
	for (uint64_t p = 0; p < pages; p++) {
		volatile uint64_t *w = word_of_page(base, p);
		uint64_t value = *w;

		if (value != (uint64_t)(uintptr_t)w * MIX)
			mismatches++;
		checksum += value;
	}
	printf("himem: 0x%llx-0x%llx: %llu pages written and read back, %llu differ, "
	       "checksum 0x%llx\n", (unsigned long long)base,
	       (unsigned long long)(base + size - 1), (unsigned long long)pages,
	       (unsigned long long)mismatches, (unsigned long long)checksum);
}

int main(void)
{
	int regions = 0, node;

	fdt_for_each_subnode(node, rt_fdt, 0) {
		const char *type = fdt_getprop(rt_fdt, node, "device_type", NULL);
		int len;
		const fdt64_t *reg = fdt_getprop(rt_fdt, node, "reg", &len);

		if (type == NULL || strcmp(type, "memory") != 0 || reg == NULL)
			continue;
		for (int i = 0; i + 16 <= len; i += 16, reg += 2) {
			uint64_t base = fdt64_to_cpu(reg[0]), size = fdt64_to_cpu(reg[1]);

			if (base >= FOUR_GIB) {
				exercise(base, size);
				regions++;
			}
		}
	}
	printf("himem: %d region(s) above 4 GiB\n", regions);
	for (;;)
		rt_wait_event();
}
