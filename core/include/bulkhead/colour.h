/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Where a coloured partition's guest memory lives (docs/colouring.md). The
 * colour of a physical page is its page number modulo the last-level
 * cache's colour count: the address bits above the page offset that also
 * index the cache's sets. A coloured region's span is aligned to a way, so
 * it is a run of whole cycles of colours, and the guest's k-th page is the
 * (k mod n)-th of its n colours in cycle k / n.
 */
#ifndef BULKHEAD_COLOUR_H
#define BULKHEAD_COLOUR_H

#include <stdbool.h>
#include <stdint.h>

#include <bulkhead/compiler.h>
#include <bulkhead/partition_config.h>

/* A page's bytes as an unsigned 64-bit value, for address arithmetic. */
#define COLOUR_PAGE ((uint64_t)1u << PAGE_SHIFT)

/* The colour of physical address @pa in a cache of @colours colours. */
static inline unsigned int colour_of(uint64_t pa, unsigned int colours)
{
	return (unsigned int)(pa >> PAGE_SHIFT) & (colours - 1u);
}

/*
 * The physical address of byte @off of region @m of @pc (@off < m->size),
 * and in *@run how many bytes from there are physically contiguous, up to
 * the end of the region: all of it when uncoloured; for a coloured one a
 * run of adjacent colours, at most a way. Walking a region run by run maps,
 * loads or clears exactly its pages.
 */
/*
 * Page @page of something coloured by @colour (@n of them, ascending, out of
 * @total) whose span starts at @base (way aligned): the (page mod n)-th
 * colour in the (page div n)-th way-sized cycle. A partition's regions and
 * the hypervisor's image (arch/arm64/mmu_colour.c) are both placed by it.
 */
uint64_t colour_page_pa(const uint8_t *colour, unsigned int n, unsigned int total, uint64_t base,
		       uint64_t page);

uint64_t colour_region_pa(const struct partition_config *pc, const struct partition_mem *m,
			  uint64_t off, uint64_t *run);

/* One physically contiguous run of a partition's memory: @size bytes at
 * guest @ipa, host @pa. */
struct colour_run {
	unsigned int mem; /* the region, and where in it the next run starts */
	uint64_t off;
	uint64_t ipa;
	uint64_t pa;
	uint64_t size;
};

/* Every run of @pc's memory in turn, region by region (what maps, loads or
 * clears it walks): start with *@r zeroed; false once all are given. */
bool colour_next_run(const struct partition_config *pc, struct colour_run *r);

/* Physical bytes a coloured @pc needs for @size bytes of guest memory:
 * whole cycles of the cache's colours. */
/* The physical span @size bytes take at @n of @total colours (way aligned). */
uint64_t colour_span_pages(unsigned int n, unsigned int total, uint64_t size);

uint64_t colour_span_for(const struct partition_config *pc, uint64_t size);

/* Guest-physical to physical for @pc's memory; false if @ipa is not in it.
 * *@run as for colour_region_pa. */
bool colour_ipa_to_pa(const struct partition_config *pc, uint64_t ipa, uint64_t *pa,
		      uint64_t *run);

#endif
