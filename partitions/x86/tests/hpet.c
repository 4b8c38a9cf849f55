// SPDX-License-Identifier: Apache-2.0
/* The HPET's registers (MMIO at 0xfed00000) passed through: the partition
 * that owns it finds it in its device tree, reads its capabilities, starts
 * its counter and sees it advance, all without a trap. A partition without
 * it reads the same address anyway, and is stopped. */

#include <libfdt.h>

#include "rt.h"

#define HPET_BASE 0xfed00000ull
#define GCAP_ID 0x00
#define GEN_CONF 0x10
#define MAIN_COUNTER 0xf0
#define ENABLE_CNF 1u

static volatile uint64_t *reg(unsigned int offset)
{
	return (volatile uint64_t *)(uintptr_t)(HPET_BASE + offset);
}

int main(void)
{
	if (fdt_path_offset(rt_fdt, "/timer@fed00000") < 0) {
		printf("hpet: not in my device tree; reading it anyway\n");
		printf("hpet: still running, read 0x%llx\n", (unsigned long long)*reg(GCAP_ID));
		return 0;
	}
	uint64_t caps = *reg(GCAP_ID);

	printf("hpet: in my device tree; vendor 0x%llx, period %llu fs\n",
	       (unsigned long long)((caps >> 16) & 0xffff), (unsigned long long)(caps >> 32));
	*reg(GEN_CONF) |= ENABLE_CNF;
	uint64_t first = *reg(MAIN_COUNTER);

	rt_irq_enable();
	for (int i = 0; i < 3; i++)
		rt_wait_event(); /* at least a timer tick of the hypervisor's each */
	uint64_t second = *reg(MAIN_COUNTER);

	*reg(GEN_CONF) &= ~(uint64_t)ENABLE_CNF;
	printf("hpet: main counter %s\n", second > first ? "advances" : "stands still");
	return 0;
}
