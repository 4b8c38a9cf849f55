// SPDX-License-Identifier: Apache-2.0
/*
 * Cache colouring's witness (tests/qemu/test_colouring.py): tags every free
 * page of its memory, from the end of its image to its device tree, with
 * who wrote it (bootarg tag=N), in which boot, and the page's guest
 * address, so a reader of the machine's physical memory can check each
 * tagged page's colour. The first boot also leaves a stale marker in each
 * page, which must be gone after the restart (the hypervisor clears exactly
 * the partition's pages). Between steps it waits for a line on its console:
 * the test reads physical memory while it waits.
 */

#include <stdio.h>
#include <string.h>

#include "rt.h"

#define PAGE 4096u
#define STALE_OFFSET 2048u
#define TAG_MAGIC 0x5241544c4f434842ull  /* "BHCOLTAR" little-endian */
#define STALE_MAGIC 0x454c4154534f4342ull /* "BCOSTALE" */

struct tag {
	uint64_t magic;
	uint32_t id;
	uint32_t boot;
	uint64_t ipa;
};

extern char __image_end[];

static void wait_line(void)
{
	char line[16];

	(void)fgets(line, sizeof(line), stdin);
}

int main(void)
{
	uint32_t id = (uint32_t)rt_bootarg_u64("tag", 0);
	uint32_t boot = rt_boot_count();
	uintptr_t start = ((uintptr_t)__image_end + PAGE - 1u) & ~(uintptr_t)(PAGE - 1u);
	uintptr_t end = (uintptr_t)rt_fdt & ~(uintptr_t)(PAGE - 1u);
	unsigned int pages = 0;
	unsigned int stale = 0;

	for (uintptr_t at = start; at < end; at += PAGE) {
		volatile struct tag *t = (volatile struct tag *)at;
		volatile struct tag *s = (volatile struct tag *)(at + STALE_OFFSET);

		/* Nothing of an earlier boot may be left: the page was cleared. */
		if (s->magic == STALE_MAGIC)
			stale++;
		t->magic = TAG_MAGIC;
		t->id = id;
		t->boot = boot;
		t->ipa = at;
		if (boot == 1u) {
			s->magic = STALE_MAGIC;
			s->id = id;
			s->boot = boot;
			s->ipa = at;
		}
		pages++;
	}
	__asm__ volatile("dsb sy" : : : "memory");
	printf("colourtag: boot %u tagged %u pages at guest 0x%lx-0x%lx, %u stale\n",
	       (unsigned int)boot, pages, (unsigned long)start, (unsigned long)(end - 1u), stale);
	wait_line();
	if (boot == 1u) {
		printf("colourtag: restarting\n");
		psci_system_reset();
	}
	psci_system_off();
}
