// SPDX-License-Identifier: Apache-2.0
/* Cache colouring: the geometry and colours decoded, and every guest page
 * of a coloured partition on a page of its colours, none shared. */

#include <stdlib.h>

#include <bulkhead/colour.h>
#include <bulkhead/partition_config.h>
#include <bulkhead/platform.h>

#include "test.h"

static struct platform plat;
static struct system_config sys_config;
static struct config_errors errors;

TEST(colour_geometry_and_partitions_decoded) /* reqs: REQ-COL-001 */
{
	REQUIRE(test_parse_system("colours", &plat, &sys_config, &errors) != NULL);
	const struct partition_config *p0 = &sys_config.part[0], *p1 = &sys_config.part[1],
				      *p2 = &sys_config.part[2];

	CHECK_EQ(sys_config.llc.colours, 16);
	CHECK_EQ(sys_config.llc.ways, 16);
	CHECK_EQ(sys_config.llc.size, 0x100000);
	/* Listed out of order, kept ascending. */
	REQUIRE(p0->colour_count == 4);
	CHECK_EQ(p0->colour[0], 0);
	CHECK_EQ(p0->colour[3], 3);
	CHECK_EQ(p0->colours_total, 16);
	CHECK_EQ(p0->mem[0].size, 0x200000);  /* memory-guest-size */
	CHECK_EQ(p0->mem[0].span, 0x1000000);
	CHECK_EQ(p1->mem[0].size, 0x400000);  /* every page of 4 colours of 16 in 16 MiB */
	CHECK_EQ(p2->colour_count, 0);
	CHECK_EQ(p2->mem[0].size, p2->mem[0].span);
}

TEST(colour_runs_follow_adjacent_colours) /* reqs: REQ-COL-001 */
{
	REQUIRE(test_parse_system("colours", &plat, &sys_config, &errors) != NULL);
	const struct partition_config *p0 = &sys_config.part[0], *p1 = &sys_config.part[1],
				      *p2 = &sys_config.part[2];
	uint64_t run = 0;

	/* p0, colours 0-3: 16 KiB runs, one per 64 KiB cycle. */
	CHECK_EQ(colour_region_pa(p0, &p0->mem[0], 0, &run), 0x50000000);
	CHECK_EQ(run, 0x4000);
	CHECK_EQ(colour_region_pa(p0, &p0->mem[0], 0x4000, &run), 0x50010000);
	CHECK_EQ(colour_region_pa(p0, &p0->mem[0], 0x5008, &run), 0x50011008);
	CHECK_EQ(run, 0x3000 - 8);
	/* p1, colours 4 5 6 8: a 12 KiB run, then a page alone. */
	CHECK_EQ(colour_region_pa(p1, &p1->mem[0], 0, &run), 0x50004000);
	CHECK_EQ(run, 0x3000);
	CHECK_EQ(colour_region_pa(p1, &p1->mem[0], 0x3000, &run), 0x50008000);
	CHECK_EQ(run, 0x1000);
	CHECK_EQ(colour_region_pa(p1, &p1->mem[0], 0x4000, &run), 0x50014000);
	/* The last page: the run stops at the region's end. */
	CHECK_EQ(colour_region_pa(p1, &p1->mem[0], 0x3ff000, &run), 0x50ff8000);
	CHECK_EQ(run, 0x1000);
	/* Uncoloured: all of it at once. */
	CHECK_EQ(colour_region_pa(p2, &p2->mem[0], 0x1000, &run), 0x52001000);
	CHECK_EQ(run, 0xfff000);
}

/* Walk a region run by run as stage 2 does: each page once, of the
 * partition's colours, inside its span; marks pages in @owner. */
static unsigned int walk(const struct partition_config *pc, uint8_t *owner, uint8_t id)
{
	const struct partition_mem *m = &pc->mem[0];
	unsigned int pages = 0;
	uint64_t off = 0;

	while (off < m->size) {
		uint64_t run = 0;
		uint64_t pa = colour_region_pa(pc, m, off, &run);

		CHECK(run != 0 && run % PAGE_SIZE == 0);
		if (run == 0)
			return pages;
		for (uint64_t at = pa; at < pa + run; at += PAGE_SIZE) {
			unsigned int c = colour_of(at, pc->colours_total);
			bool mine = false;
			uint64_t page = (at - m->pa) >> PAGE_SHIFT;

			for (unsigned int i = 0; i < pc->colour_count; i++)
				mine = mine || pc->colour[i] == c;
			CHECK(mine);
			CHECK(at >= m->pa && at < m->pa + m->span);
			if (page < m->span >> PAGE_SHIFT) {
				CHECK_EQ(owner[page], 0);
				owner[page] = id;
			}
			pages++;
		}
		off += run;
	}
	return pages;
}

TEST(colour_every_page_of_its_colours_none_shared) /* reqs: REQ-COL-001 */
{
	REQUIRE(test_parse_system("colours", &plat, &sys_config, &errors) != NULL);
	uint8_t *owner = calloc(0x1000, 1); /* 16 MiB of 4 KiB pages */

	REQUIRE(owner != NULL);
	CHECK_EQ(walk(&sys_config.part[0], owner, 1), 0x200);
	CHECK_EQ(walk(&sys_config.part[1], owner, 2), 0x400);
	free(owner);
}

TEST(colour_ipa_to_pa_finds_the_region) /* reqs: REQ-COL-001 */
{
	REQUIRE(test_parse_system("colours", &plat, &sys_config, &errors) != NULL);
	const struct partition_config *p1 = &sys_config.part[1];
	uint64_t pa = 0, run = 0;

	CHECK(colour_ipa_to_pa(p1, 0x40004010, &pa, &run));
	CHECK_EQ(pa, 0x50014010);
	CHECK(!colour_ipa_to_pa(p1, 0x40400000, &pa, &run));
	CHECK_EQ(colour_span_for(p1, 0x400000), 0x1000000);
	CHECK_EQ(colour_span_for(p1, 0x1000), 0x10000);
}

/* The runs colour_next_run() gives are every guest byte once, in order,
 * each at the address colour_ipa_to_pa() gives its first byte, each
 * physically contiguous by that same answer for its last byte. */
TEST(colour_next_run_walks_every_region_in_order) /* reqs: REQ-COL-001 */
{
	REQUIRE(test_parse_system("colours", &plat, &sys_config, &errors) != NULL);
	for (unsigned int p = 0; p < 2; p++) {
		const struct partition_config *pc = &sys_config.part[p];
		struct colour_run r = {0};
		uint64_t total = 0, next_ipa = pc->mem[0].ipa, runs = 0;
		uint64_t want = 0;

		for (unsigned int i = 0; i < pc->mem_count; i++)
			want += pc->mem[i].size;
		while (colour_next_run(pc, &r)) {
			uint64_t pa = 0, run = 0;

			CHECK_EQ(r.ipa, next_ipa);
			CHECK(colour_ipa_to_pa(pc, r.ipa, &pa, &run));
			CHECK_EQ(pa, r.pa);
			CHECK(colour_ipa_to_pa(pc, r.ipa + r.size - 1, &pa, &run));
			CHECK_EQ(pa, r.pa + r.size - 1);
			total += r.size;
			next_ipa = r.ipa + r.size;
			runs++;
		}
		CHECK_EQ(total, want);
		CHECK(runs > 1); /* coloured: more than one run */
		CHECK(!colour_next_run(pc, &r)); /* and stays finished */
	}
}

TEST(colour_llc_property_wins_and_shared_colours_allowed) /* reqs: REQ-COL-002 */
{
	REQUIRE(test_parse_system("colours-llc", &plat, &sys_config, &errors) != NULL);
	const struct partition_config *p0 = &sys_config.part[0], *p1 = &sys_config.part[1];

	CHECK_EQ(sys_config.llc.colours, 32);
	CHECK_EQ(sys_config.llc.node, -1);
	CHECK_EQ(p1->colour[3], 31);
	CHECK(p0->colours_shared && p1->colours_shared);
	/* 2 MiB of a 16 MiB span at 4 of 32 colours. */
	CHECK_EQ(p1->mem[0].size, 0x200000);
}

TEST(colour_errors_name_node_and_property) /* reqs: REQ-COL-002 */
{
	CHECK(test_parse_system("colours-bad", &plat, &sys_config, &errors) == NULL);
	bool twice = false, beyond = false, aligned = false, uncoloured = false;

	for (unsigned int i = 0; i < errors.count && i < MAX_CONFIG_ERRORS; i++) {
		const struct config_error *e = &errors.list[i];

		twice = twice || (e->kind == CFG_ERR_COLOUR_RANGE &&
				  strstr(e->message, "colour 3 is listed twice") != NULL);
		beyond = beyond || (e->kind == CFG_ERR_COLOUR_RANGE &&
				    strstr(e->message, "colour 16 is beyond") != NULL);
		aligned = aligned || (e->kind == CFG_ERR_UNALIGNED &&
				      strcmp(e->path, "/chosen/bulkhead/p1") == 0);
		uncoloured = uncoloured || (e->kind == CFG_ERR_BAD_VALUE &&
					    strcmp(e->property, "memory-guest-size") == 0);
	}
	CHECK(twice);
	CHECK(beyond);
	CHECK(aligned);
	CHECK(uncoloured);
}
