// SPDX-License-Identifier: Apache-2.0
/*
 * Guest to physical addresses in coloured memory (bulkhead/colour.h): pure
 * arithmetic on the validated configuration, shared by whatever maps,
 * loads or clears a partition's memory, so they all agree on its pages.
 */

#include <bulkhead/colour.h>

uint64_t colour_page_pa(const uint8_t *colour, unsigned int n, unsigned int total, uint64_t base,
		       uint64_t page)
{
	return base + (page / n) * total * COLOUR_PAGE + (uint64_t)colour[page % n] * COLOUR_PAGE;
}

uint64_t colour_region_pa(const struct partition_config *pc, const struct partition_mem *m,
			  uint64_t off, uint64_t *run)
{
	const unsigned int n = pc->colour_count;

	if (n == 0u) {
		*run = m->size - off;
		return m->pa + off;
	}
	const uint64_t page = off >> PAGE_SHIFT;
	unsigned int i = (unsigned int)(page % n);
	uint64_t pa = colour_page_pa(pc->colour, n, pc->colours_total, m->pa, page) +
		      (off & (COLOUR_PAGE - 1u));
	uint64_t pages = 1;

	/* Adjacent colours are adjacent pages; a cycle's end breaks the run
	 * (the next cycle starts at the lowest colour again). */
	while (i + 1u < n && pc->colour[i + 1u] == pc->colour[i] + 1u) {
		pages++;
		i++;
	}
	uint64_t len = pages * COLOUR_PAGE - (off & (COLOUR_PAGE - 1u));

	*run = len < m->size - off ? len : m->size - off;
	return pa;
}

bool colour_next_run(const struct partition_config *pc, struct colour_run *r)
{
	while (r->mem < pc->mem_count && r->off >= pc->mem[r->mem].size) {
		r->mem++;
		r->off = 0;
	}
	if (r->mem >= pc->mem_count)
		return false;
	const struct partition_mem *m = &pc->mem[r->mem];

	r->ipa = m->ipa + r->off;
	r->pa = colour_region_pa(pc, m, r->off, &r->size);
	r->off += r->size;
	return true;
}

uint64_t colour_span_pages(unsigned int n, unsigned int total, uint64_t size)
{
	uint64_t pages = (size + COLOUR_PAGE - 1u) >> PAGE_SHIFT;
	uint64_t cycles = (pages + n - 1u) / n;

	return cycles * total * COLOUR_PAGE;
}

uint64_t colour_span_for(const struct partition_config *pc, uint64_t size)
{
	return colour_span_pages(pc->colour_count, pc->colours_total, size);
}

bool colour_ipa_to_pa(const struct partition_config *pc, uint64_t ipa, uint64_t *pa,
		      uint64_t *run)
{
	for (unsigned int i = 0; i < pc->mem_count; i++) {
		const struct partition_mem *m = &pc->mem[i];

		if (ipa >= m->ipa && ipa - m->ipa < m->size) {
			*pa = colour_region_pa(pc, m, ipa - m->ipa, run);
			return true;
		}
	}
	return false;
}
