// SPDX-License-Identifier: Apache-2.0
/*
 * The hypervisor's own EL2 stage-1 translation: 4 KiB granule, 48-bit VA,
 * identity mapped (VA == PA). The image is mapped W^X page by page: text
 * read-only executable, rodata read-only, data and bss read-write never
 * executable (SCTLR_EL2.WXN backs this up in hardware). Each per-CPU stack
 * has an unmapped guard page below it. All translation tables, stage-2
 * included, come from one page pool in the reserved area (and a region of
 * RAM added at boot for coloured memory's, core/table_carve.c); the
 * stage-1 root is its first page, which secondaries load straight into
 * TTBR0_EL2.
 */

#include <bulkhead/arch.h>
#include <bulkhead/config.h>

#include <arch/arm64.h>
#include <arch/pgtable.h>

#define S1_ATTR(i) ((uint64_t)(i) << 2)
#define S1_AP_RES1 (1ull << 6) /* AP[1]: there is no EL0 in this regime */
#define S1_RO (1ull << 7)      /* AP[2] */
#define S1_SH_INNER (3ull << 8)
#define S1_XN (1ull << 54)

#define ATTR_NORMAL 0 /* MAIR index, see arm64_mmu_on() */
#define ATTR_DEVICE 1

struct page_pool hyp_page_pool;
/* From the boot tables' pages, between the per-CPU areas and the page
 * tables' pool: part of what a coloured hypervisor moves (mmu_colour.c),
 * as the trap paths read partitions, vCPUs and the configuration, whose
 * lines must be on its colours too. */
void *arch_boot_alloc(size_t bytes)
{
	static struct page_pool boot_data_pool;

	if (boot_data_pool.pages == 0u)
		page_pool_init(&boot_data_pool, (uintptr_t)__cpu_areas_end, BOOT_DATA_PAGES);
	return page_pool_alloc_bytes(&boot_data_pool, bytes);
}

void *arch_boot_alloc_pinned(size_t bytes)
{
	return page_pool_alloc_bytes(&hyp_page_pool, bytes);
}

enum bh_err arch_table_pool_add(uint64_t base, uint64_t size)
{
	/* All RAM but the image and the device tree is mapped (platform.c). */
	page_pool_add(&hyp_page_pool, (uintptr_t)base, (size_t)(size / PAGE_SIZE));
	return BH_OK;
}

static struct pgtable hyp_pt = {NULL, 0, 9, &hyp_page_pool};

static enum bh_err ensure_root(void)
{
	if (hyp_pt.root != NULL)
		return BH_OK;
	page_pool_init(&hyp_page_pool, (uintptr_t)__pt_pool, HYP_PT_PAGES);
	hyp_pt.root = page_pool_alloc(&hyp_page_pool, 1);
	return hyp_pt.root != NULL ? BH_OK : BH_ERR_NO_MEMORY;
}

uint64_t mmu_root(void)
{
	return (uint64_t)(uintptr_t)hyp_pt.root;
}

unsigned int mmu_pages_used(void)
{
	return (unsigned int)page_pool_used(&hyp_page_pool);
}

void mmu_set_root(uint64_t *root)
{
	hyp_pt.root = root;
}

uint64_t mmu_leaf_attrs(enum mmu_kind kind)
{
	switch (kind) {
	case MMU_TEXT:
		return S1_ATTR(ATTR_NORMAL) | S1_SH_INNER | S1_RO | S1_AP_RES1;
	case MMU_RODATA:
		return S1_ATTR(ATTR_NORMAL) | S1_SH_INNER | S1_RO | S1_AP_RES1 | S1_XN;
	case MMU_DATA:
		return S1_ATTR(ATTR_NORMAL) | S1_SH_INNER | S1_AP_RES1 | S1_XN;
	case MMU_DEVICE:
		return S1_ATTR(ATTR_DEVICE) | S1_AP_RES1 | S1_XN;
	}
	return 0;
}

enum bh_err mmu_map(uint64_t pa, uint64_t size, enum mmu_kind kind)
{
	uint64_t start = ALIGN_DOWN(pa, PAGE_SIZE);
	uint64_t end = ALIGN_UP(pa + size, PAGE_SIZE);

	TRY(ensure_root());
	TRY(pgtable_map(&hyp_pt, start, start, end - start, mmu_leaf_attrs(kind), true));
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
	TRY(mmu_map((uint64_t)(uintptr_t)__cpu_areas_end, BOOT_DATA_PAGES * PAGE_SIZE, MMU_DATA));
	return mmu_map((uint64_t)(uintptr_t)__pt_pool, HYP_PT_PAGES * PAGE_SIZE, MMU_DATA);
}
