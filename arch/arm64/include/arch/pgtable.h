/* SPDX-License-Identifier: Apache-2.0 */
/*
 * VMSAv8-64 translation tables with the 4 KiB granule, shared by the
 * hypervisor's own EL2 stage-1 tables (mmu.c) and partitions' stage-2
 * tables (stage2.c). Pure table manipulation: no system registers, so the
 * host unit tests exercise it as it is.
 */
#ifndef ARCH_ARM64_PGTABLE_H
#define ARCH_ARM64_PGTABLE_H

#include <stdbool.h>
#include <stdint.h>

#include <bulkhead/error.h>
#include <bulkhead/page_pool.h>

#define PTE_VALID (1ull << 0)
#define PTE_TABLE (1ull << 1) /* levels 0-2: next-level table; level 3: page */
#define PTE_AF (1ull << 10)
#define PTE_ADDR_MASK 0x0000fffffffff000ull
/* Everything a leaf carries besides address, valid and type bits. */
#define PTE_LEAF_ATTR_MASK (~PTE_ADDR_MASK & ~(PTE_VALID | PTE_TABLE))

struct pgtable {
	uint64_t *root;
	int start_level;        /* 0 or 1 */
	unsigned int root_bits; /* index bits at the start level (>9: concatenated) */
	struct page_pool *pool; /* where next-level tables come from */
};

/*
 * Map [va, va + size) to [pa, ...) with @leaf_attrs (AF is added). Uses 1 GiB
 * and 2 MiB blocks where both addresses are aligned and @blocks allows.
 * Never replaces a valid entry: mapping over one is BH_ERR_INVALID.
 */
enum bh_err pgtable_map(struct pgtable *pt, uint64_t va, uint64_t pa, uint64_t size,
			uint64_t leaf_attrs, bool blocks);

/* Set or clear the valid bit of the leaves that map [va, va + size),
 * whole blocks or pages mapped before, keeping their address and
 * attributes: a mapping withdrawn and given back (the caller invalidates
 * TLBs). */
enum bh_err pgtable_set_valid(struct pgtable *pt, uint64_t va, uint64_t size, bool valid);

/* How many bytes from @va on are certainly unmapped (0: @va is mapped):
 * the rest of the first invalid entry's span, so callers skip unmapped
 * gigabytes in one step. */
uint64_t pgtable_unmapped_from(const struct pgtable *pt, uint64_t va);

/* Translate @va; on success the leaf's address, attributes and level. */
bool pgtable_lookup(const struct pgtable *pt, uint64_t va, uint64_t *pa, uint64_t *attrs,
		    int *level);

#endif
