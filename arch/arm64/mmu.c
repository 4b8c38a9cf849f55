// SPDX-License-Identifier: Apache-2.0
/*
 * The hypervisor's own EL2 stage-1 translation: 4 KiB granule, 48-bit VA,
 * identity mapped (VA == PA). The image is mapped W^X page by page: text
 * read-only executable, rodata read-only, data and bss read-write never
 * executable (SCTLR_EL2.WXN backs this up in hardware). Each per-CPU stack
 * has an unmapped guard page below it.
 */

#include <string.h>

#include <bulkhead/config.h>

#include <arch/arm64.h>

#define LEVELS 4
#define ENTRIES 512

#define PTE_VALID (1ull << 0)
#define PTE_TABLE (1ull << 1) /* levels 0-2: next-level table */
#define PTE_PAGE (1ull << 1)  /* level 3: page */
#define PTE_ATTR(i) ((uint64_t)(i) << 2)
#define PTE_AP_RES1 (1ull << 6) /* AP[1]: no EL0 in this regime */
#define PTE_RO (1ull << 7)      /* AP[2] */
#define PTE_SH_INNER (3ull << 8)
#define PTE_AF (1ull << 10)
#define PTE_XN (1ull << 54)
#define PTE_ADDR_MASK 0x0000fffffffff000ull

#define ATTR_NORMAL 0
#define ATTR_DEVICE 1

static unsigned int pages_used;

static uint64_t *pool_page(unsigned int i)
{
	return (uint64_t *)(__pt_pool + (uint64_t)i * PAGE_SIZE);
}

uint64_t mmu_root(void)
{
	return (uint64_t)(uintptr_t)pool_page(0);
}

unsigned int mmu_pages_used(void)
{
	return pages_used;
}

static uint64_t *alloc_table(void)
{
	if (pages_used >= HYP_PT_PAGES)
		return NULL;
	uint64_t *t = pool_page(pages_used++);

	memset(t, 0, PAGE_SIZE);
	return t;
}

static uint64_t leaf_attrs(enum mmu_kind kind)
{
	switch (kind) {
	case MMU_TEXT:
		return PTE_ATTR(ATTR_NORMAL) | PTE_SH_INNER | PTE_RO;
	case MMU_RODATA:
		return PTE_ATTR(ATTR_NORMAL) | PTE_SH_INNER | PTE_RO | PTE_XN;
	case MMU_DATA:
		return PTE_ATTR(ATTR_NORMAL) | PTE_SH_INNER | PTE_XN;
	case MMU_DEVICE:
		return PTE_ATTR(ATTR_DEVICE) | PTE_XN;
	}
	return 0;
}

static unsigned int level_shift(int level)
{
	return (unsigned int)(12 + 9 * (3 - level));
}

/* Map one block or page at the highest level that fits. */
static enum bh_err map_one(uint64_t pa, uint64_t remaining, uint64_t attrs, uint64_t *mapped)
{
	uint64_t *table = pool_page(0);

	for (int level = 0; level < LEVELS; level++) {
		unsigned int shift = level_shift(level);
		uint64_t block = 1ull << shift;
		uint64_t *entry = &table[(pa >> shift) & (ENTRIES - 1)];
		bool block_ok = level >= 1 && IS_ALIGNED(pa, block) && remaining >= block;

		if (level == LEVELS - 1 || (block_ok && !(*entry & PTE_VALID))) {
			if (*entry & PTE_VALID)
				return BH_ERR_INVALID; /* already mapped */
			*entry = (pa & PTE_ADDR_MASK) | attrs | PTE_AF | PTE_AP_RES1 | PTE_VALID |
				 (level == LEVELS - 1 ? PTE_PAGE : 0);
			*mapped = block;
			return BH_OK;
		}
		if (!(*entry & PTE_VALID)) {
			uint64_t *next = alloc_table();

			if (next == NULL)
				return BH_ERR_NO_MEMORY;
			*entry = (uint64_t)(uintptr_t)next | PTE_TABLE | PTE_VALID;
		} else if (!(*entry & PTE_TABLE)) {
			return BH_ERR_INVALID; /* inside an existing block */
		}
		table = (uint64_t *)(uintptr_t)(*entry & PTE_ADDR_MASK);
	}
	return BH_ERR_INVALID;
}

enum bh_err mmu_map(uint64_t pa, uint64_t size, enum mmu_kind kind)
{
	uint64_t start = ALIGN_DOWN(pa, PAGE_SIZE);
	uint64_t end = ALIGN_UP(pa + size, PAGE_SIZE);
	uint64_t attrs = leaf_attrs(kind);

	if (pages_used == 0 && alloc_table() == NULL)
		return BH_ERR_NO_MEMORY;
	for (uint64_t at = start; at < end;) {
		uint64_t mapped;

		TRY(map_one(at, end - at, attrs, &mapped));
		at += mapped;
	}
	/*
	 * Only invalid entries were filled in, so no TLB maintenance is needed:
	 * make the stores visible to the (coherent) walker before use. Before
	 * the MMU is on, the caller invalidates the tables to the PoC instead.
	 */
	__asm__ volatile("dsb ishst\n\tisb" : : : "memory");
	return BH_OK;
}

enum bh_err mmu_map_hypervisor(void)
{
	uint64_t text = (uint64_t)(uintptr_t)__image_start;
	uint64_t rodata = (uint64_t)(uintptr_t)__text_end;
	uint64_t data = (uint64_t)(uintptr_t)__rodata_end;
	uint64_t areas = (uint64_t)(uintptr_t)__cpu_areas;

	TRY(mmu_map(text, rodata - text, MMU_TEXT));
	TRY(mmu_map(rodata, data - rodata, MMU_RODATA));
	TRY(mmu_map(data, areas - data, MMU_DATA));
	for (unsigned int i = 0; i < MAX_CPUS; i++) {
		uint64_t stack = areas + (uint64_t)i * CPU_AREA_SIZE + PAGE_SIZE;

		TRY(mmu_map(stack, CPU_STACK_SIZE, MMU_DATA));
	}
	return mmu_map((uint64_t)(uintptr_t)__pt_pool, HYP_PT_PAGES * PAGE_SIZE, MMU_DATA);
}
