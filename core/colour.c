// SPDX-License-Identifier: Apache-2.0
/*
 * Guest to physical addresses in coloured memory (bulkhead/colour.h): pure
 * arithmetic on the validated configuration, shared by whatever maps,
 * loads or clears a partition's memory, so they all agree on its pages.
 */

#include <bulkhead/colour.h>

uint64_t colour_region_pa(const struct partition_config *pc, const struct partition_mem *m,
			  uint64_t off, uint64_t *run)
{
	const unsigned int n = pc->colour_count;

	if (n == 0u) {
		*run = m->size - off;
		return m->pa + off;
	}
	const uint64_t page = off >> PAGE_SHIFT;
	const uint64_t cycle = page / n;
	unsigned int i = (unsigned int)(page % n);
	uint64_t pa = m->pa + cycle * pc->colours_total * COLOUR_PAGE +
		      (uint64_t)pc->colour[i] * COLOUR_PAGE + (off & (COLOUR_PAGE - 1u));
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

uint64_t colour_span_for(const struct partition_config *pc, uint64_t size)
{
	uint64_t pages = (size + COLOUR_PAGE - 1u) >> PAGE_SHIFT;
	uint64_t cycles = (pages + pc->colour_count - 1u) / pc->colour_count;

	return cycles * pc->colours_total * COLOUR_PAGE;
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
