// SPDX-License-Identifier: Apache-2.0

#include <bulkhead/compiler.h>
#include <bulkhead/config.h>

#include <arch/pgtable.h>

#define LAST_LEVEL 3
#define ENTRIES_PER_TABLE 512

static unsigned int level_shift(int level)
{
	return (unsigned int)(PAGE_SHIFT + 9 * (LAST_LEVEL - level));
}

static unsigned int level_bits(const struct pgtable *pt, int level)
{
	return level == pt->start_level ? pt->root_bits : 9;
}

static uint64_t *entry_for(const struct pgtable *pt, uint64_t *table, int level, uint64_t va)
{
	uint64_t index = (va >> level_shift(level)) & ((1ull << level_bits(pt, level)) - 1);

	return &table[index];
}

/* Map one block or page at the highest level that fits; *mapped gets its size. */
static enum bh_err map_one(struct pgtable *pt, uint64_t va, uint64_t pa, uint64_t remaining,
			   uint64_t attrs, bool blocks, uint64_t *mapped)
{
	uint64_t *table = pt->root;

	for (int level = pt->start_level; level <= LAST_LEVEL; level++) {
		uint64_t span = 1ull << level_shift(level);
		uint64_t *entry = entry_for(pt, table, level, va);
		bool leaf_here = level == LAST_LEVEL ||
				 (blocks && level >= 1 && IS_ALIGNED(va, span) && IS_ALIGNED(pa, span) &&
				  remaining >= span && !(*entry & PTE_VALID));

		if (leaf_here && level == LAST_LEVEL) {
			/* Fill the rest of this table in one go: no walk per page. */
			uint64_t index = (uint64_t)(entry - table);
			uint64_t count = 0;

			/* Stops at a valid entry; the next call reports it. */
			while (index + count < ENTRIES_PER_TABLE && count * span < remaining &&
			       !(entry[count] & PTE_VALID)) {
				entry[count] = ((pa + count * span) & PTE_ADDR_MASK) |
					       (attrs & PTE_LEAF_ATTR_MASK) | PTE_AF | PTE_VALID | PTE_TABLE;
				count++;
			}
			if (count == 0)
				return BH_ERR_INVALID;
			*mapped = count * span;
			return BH_OK;
		}
		if (leaf_here) {
			if ((*entry & PTE_VALID) != 0u)
				return BH_ERR_INVALID;
			*entry = (pa & PTE_ADDR_MASK) | (attrs & PTE_LEAF_ATTR_MASK) | PTE_AF | PTE_VALID;
			*mapped = span;
			return BH_OK;
		}
		if (!(*entry & PTE_VALID)) {
			uint64_t *next = page_pool_alloc(pt->pool, 1);

			if (next == NULL)
				return BH_ERR_NO_MEMORY;
			*entry = ((uint64_t)(uintptr_t)next & PTE_ADDR_MASK) | PTE_TABLE | PTE_VALID;
		} else if (!(*entry & PTE_TABLE)) {
			return BH_ERR_INVALID; /* inside an existing block */
		} else {
			/* a table already: walk on down */
		}
		table = (uint64_t *)(uintptr_t)(*entry & PTE_ADDR_MASK);
	}
	return BH_ERR_INVALID;
}

enum bh_err pgtable_map(struct pgtable *pt, uint64_t va, uint64_t pa, uint64_t size,
			uint64_t leaf_attrs, bool blocks)
{
	uint64_t va_limit = 1ull << (level_shift(pt->start_level) + pt->root_bits);

	if (!IS_ALIGNED(va, PAGE_SIZE) || !IS_ALIGNED(pa, PAGE_SIZE) ||
	    !IS_ALIGNED(size, PAGE_SIZE) || size == 0 || va + size < va || va + size > va_limit)
		return BH_ERR_INVALID;
	uint64_t done = 0;

	while (done < size) {
		uint64_t mapped;

		TRY(map_one(pt, va + done, pa + done, size - done, leaf_attrs, blocks, &mapped));
		done += mapped;
	}
	return BH_OK;
}

enum bh_err pgtable_set_valid(struct pgtable *pt, uint64_t va, uint64_t size, bool valid)
{
	uint64_t done = 0;

	while (done < size) {
		uint64_t *table = pt->root;
		uint64_t *leaf = NULL;
		uint64_t span = 0;

		/* Down the table descriptors to the leaf: a valid or an
		 * invalidated block or page, which keeps its address. */
		for (int l = pt->start_level; l <= LAST_LEVEL && leaf == NULL; l++) {
			uint64_t *e = entry_for(pt, table, l, va + done);

			if (l < LAST_LEVEL && (*e & (PTE_VALID | PTE_TABLE)) == (PTE_VALID | PTE_TABLE)) {
				table = (uint64_t *)(uintptr_t)(*e & PTE_ADDR_MASK);
				continue;
			}
			leaf = e;
			span = 1ull << level_shift(l);
		}
		/* Only whole leaves that were mapped (an address kept). */
		if (leaf == NULL || (*leaf & PTE_AF) == 0u || !IS_ALIGNED(va + done, span) ||
		    size - done < span)
			return BH_ERR_INVALID;
		*leaf = valid ? (*leaf | PTE_VALID) : (*leaf & ~PTE_VALID);
		done += span;
	}
	return BH_OK;
}

uint64_t pgtable_unmapped_from(const struct pgtable *pt, uint64_t va)
{
	const uint64_t *table = pt->root;

	for (int l = pt->start_level; l <= LAST_LEVEL; l++) {
		uint64_t e = *entry_for(pt, (uint64_t *)(uintptr_t)table, l, va);
		uint64_t span = 1ull << level_shift(l);

		if (!(e & PTE_VALID))
			return span - (va & (span - 1)); /* the rest of this entry's span */
		if (l == LAST_LEVEL || !(e & PTE_TABLE))
			return 0;
		table = (const uint64_t *)(uintptr_t)(e & PTE_ADDR_MASK);
	}
	return 0;
}

bool pgtable_lookup(const struct pgtable *pt, uint64_t va, uint64_t *pa, uint64_t *attrs,
		    int *level)
{
	const uint64_t *table = pt->root;

	for (int l = pt->start_level; l <= LAST_LEVEL; l++) {
		uint64_t e = *entry_for(pt, (uint64_t *)(uintptr_t)table, l, va);

		if (!(e & PTE_VALID))
			return false;
		if (l < LAST_LEVEL && (e & PTE_TABLE)) {
			table = (const uint64_t *)(uintptr_t)(e & PTE_ADDR_MASK);
			continue;
		}
		uint64_t span = 1ull << level_shift(l);

		*pa = (e & PTE_ADDR_MASK & ~(span - 1)) | (va & (span - 1));
		*attrs = e & PTE_LEAF_ATTR_MASK;
		*level = l;
		return true;
	}
	return false;
}
