// SPDX-License-Identifier: Apache-2.0

#include <bulkhead/compiler.h>
#include <bulkhead/config.h>

#include <arch/npt.h>

/* Nested walks are user accesses: every level needs U/S as well as R/W. */
#define NPT_PRESENT (1ull << 0)
#define NPT_WRITE (1ull << 1)
#define NPT_USER (1ull << 2)
#define NPT_UNCACHED (3ull << 3) /* PWT, PCD */
#define NPT_LARGE (1ull << 7)
#define NPT_TABLE (NPT_PRESENT | NPT_WRITE | NPT_USER)
/* EPT (Intel): read, write and execute bits where NPT has present, write
 * and user, and a memory type in bits 3-5 (6 write-back, 0 uncached). Its
 * read bit is NPT's present bit and its large-page bit is NPT's, so the
 * walk and npt_translate() serve both formats; only the attributes differ. */
#define EPT_READ 0x1ULL
#define EPT_WRITE 0x2ULL
#define EPT_EXEC 0x4ULL
#define EPT_WB 0x30ULL
#define EPT_TABLE (EPT_READ | EPT_WRITE | EPT_EXEC)
#define NPT_ADDR_MASK 0x000ffffffffff000ull
#define NPT_LEVELS 4
#define LARGE_SIZE (2ull << 20)
#define HUGE_SIZE (1ULL << 30)
#define ADDRESS_SPACE (1ULL << 48) /* what four levels translate, without wrapping */

static unsigned int level_shift(int level)
{
	return (unsigned int)(PAGE_SHIFT + 9 * (NPT_LEVELS - 1 - level));
}

enum bh_err npt_init(struct npt *npt, struct page_pool *pool)
{
	npt->pool = pool;
	npt->gib_pages = false;
	npt->ept = false;
	npt->root = page_pool_alloc(pool, 1);
	return npt->root != NULL ? BH_OK : BH_ERR_NO_MEMORY;
}

/* The table below @entry, created if absent. */
static enum bh_err next_table(struct npt *npt, uint64_t *entry, uint64_t **next,
			      uint64_t table_attrs)
{
	if (!(*entry & NPT_PRESENT)) {
		uint64_t *table = page_pool_alloc(npt->pool, 1);

		if (table == NULL)
			return BH_ERR_NO_MEMORY;
		*entry = ((uint64_t)(uintptr_t)table & NPT_ADDR_MASK) | table_attrs;
	}
	if ((*entry & NPT_LARGE) != 0u)
		return BH_ERR_INVALID; /* a large page is already there */
	*next = (uint64_t *)(uintptr_t)(*entry & NPT_ADDR_MASK);
	return BH_OK;
}

/* A leaf at @leaf_level: 1 (1 GiB page), 2 (2 MiB page) or 3 (4 KiB). */
static enum bh_err map_one(struct npt *npt, uint64_t gpa, uint64_t pa, int leaf_level,
			   uint64_t leaf_attrs, uint64_t table_attrs)
{
	uint64_t *table = npt->root;

	for (int level = 0; level < leaf_level; level++)
		TRY(next_table(npt, &table[(gpa >> level_shift(level)) & 511], &table, table_attrs));
	uint64_t *entry = &table[(gpa >> level_shift(leaf_level)) & 511];

	if ((*entry & NPT_PRESENT) != 0u)
		return BH_ERR_INVALID;
	*entry = (pa & NPT_ADDR_MASK) | leaf_attrs |
		 (leaf_level < NPT_LEVELS - 1 ? NPT_LARGE : 0ULL);
	return BH_OK;
}

enum bh_err pt4_map(struct npt *pt, uint64_t va, uint64_t pa, uint64_t size, uint64_t leaf_attrs,
		    uint64_t table_attrs, bool allow_large)
{
	if (!IS_ALIGNED(va | pa | size, PAGE_SIZE) || va + size < va || va + size > ADDRESS_SPACE)
		return BH_ERR_INVALID;
	while (size != 0) {
		int level = NPT_LEVELS - 1;
		uint64_t step = PAGE_SIZE;

		if (allow_large && pt->gib_pages && IS_ALIGNED(va | pa, HUGE_SIZE) && size >= HUGE_SIZE) {
			level = NPT_LEVELS - 3;
			step = HUGE_SIZE;
		} else if (allow_large && IS_ALIGNED(va | pa, LARGE_SIZE) && size >= LARGE_SIZE) {
			level = NPT_LEVELS - 2;
			step = LARGE_SIZE;
		} else {
			/* a 4 KiB page, as set above */
		}

		TRY(map_one(pt, va, pa, level, leaf_attrs, table_attrs));
		va += step;
		pa += step;
		size -= step;
	}
	return BH_OK;
}

enum bh_err npt_map(struct npt *npt, uint64_t gpa, uint64_t pa, uint64_t size,
		    enum npt_kind kind)
{
	if (npt->ept) {
		uint64_t leaf = kind == NPT_RAM_RO ? EPT_READ | EPT_EXEC | EPT_WB
			      : kind == NPT_DEVICE ? EPT_READ | EPT_WRITE /* uncached: type 0 */
						   : EPT_TABLE | EPT_WB;

		return pt4_map(npt, gpa, pa, size, leaf, EPT_TABLE, true);
	}
	uint64_t leaf = kind == NPT_RAM_RO ? NPT_PRESENT | NPT_USER : NPT_TABLE;

	return pt4_map(npt, gpa, pa, size, leaf | (kind == NPT_DEVICE ? NPT_UNCACHED : 0),
		       NPT_TABLE, true);
}

bool npt_translate(const struct npt *npt, uint64_t gpa, uint64_t *pa)
{
	const uint64_t *table = npt->root;

	for (int level = 0; level < NPT_LEVELS; level++) {
		uint64_t entry = table[(gpa >> level_shift(level)) & 511];
		uint64_t span = 1ull << level_shift(level);

		if (!(entry & NPT_PRESENT))
			return false;
		if (level == NPT_LEVELS - 1 || (entry & NPT_LARGE)) {
			*pa = (entry & NPT_ADDR_MASK & ~(span - 1)) | (gpa & (span - 1));
			return true;
		}
		table = (const uint64_t *)(uintptr_t)(entry & NPT_ADDR_MASK);
	}
	return false;
}
