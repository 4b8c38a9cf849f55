// SPDX-License-Identifier: Apache-2.0
/* Coloured memory's translation tables: counted per partition and carved
 * from free RAM, never over anything used; refused by node and property
 * when RAM has no gap for them. */

#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include <arch/fake.h>
#include <bulkhead/dt.h>
#include <bulkhead/page_pool.h>
#include <bulkhead/partition_config.h>
#include <bulkhead/platform.h>
#include <bulkhead/table_carve.h>

#include "config_edit.h"
#include "test.h"

static struct platform plat;
static struct system_config sys_config;
static struct config_errors errors;

/* p0: 2 MiB, 6 pages; p1: 4 MiB, 7 pages (colours.dts); and the 64 KiB
 * in which a coloured partition's device tree is built. */
#define PAGES (13u + 16u)

TEST(table_pages_counted_per_coloured_partition) /* reqs: REQ-COL-004 */
{
	REQUIRE(test_parse_system("colours", &plat, &sys_config, &errors) != NULL);
	/* A root (up to two concatenated pages, aligned), and one table per
	 * 2 MiB, 1 GiB and 512 GiB window the guest range touches. */
	CHECK_EQ(table_pages_coloured(&sys_config.part[0]), 3 + 1 + 1 + 1);
	CHECK_EQ(table_pages_coloured(&sys_config.part[1]), 3 + 2 + 1 + 1);
	CHECK_EQ(table_pages_coloured(&sys_config.part[2]), 0); /* uncoloured: blocks */
	/* The carve: both partitions' tables and one device-tree scratch. */
	CHECK_EQ(table_carve_pages(&sys_config), PAGES);
	CHECK_EQ(COLOUR_DT_SCRATCH_PAGES * 4096u, PARTITION_DT_MAX);
	/* DMA streams: their stage-1 tables map the same pages again. */
	sys_config.part[1].stream_count = 1;
	CHECK_EQ(table_pages_coloured(&sys_config.part[1]), 2 * 7);
	/* 64 MiB across a 1 GiB boundary: 32 last-level tables, 2 above. */
	sys_config.part[1].stream_count = 0;
	sys_config.part[1].mem[0].ipa = 0x7f000000;
	sys_config.part[1].mem[0].size = 0x4000000;
	CHECK_EQ(table_pages_coloured(&sys_config.part[1]), 3 + 32 + 2 + 1);
}

TEST(table_carve_takes_the_highest_free_gap) /* reqs: REQ-COL-004 */
{
	const void *fdt = test_parse_system("colours", &plat, &sys_config, &errors);
	struct mem_range r;

	REQUIRE(fdt != NULL);
	/* The top MiB of RAM holds the hypervisor; the device tree is a MiB
	 * below it: the gap between them is the highest. */
	struct table_carve_in in = {fdt, 0x7fe00800, 0x1000, {0x7ff00000, 0x100000}, &plat,
				    &sys_config, 0, {0, 0}};

	CHECK_EQ(table_carve(&in, &r), BH_OK);
	CHECK_EQ(r.size, PAGES * 4096);
	CHECK_EQ(r.base, 0x7ff00000 - PAGES * 4096);
	/* That gap too small: below the DT's first page. */
	in.fdt_pa = 0x7fef4800; /* 10 pages below the hypervisor */
	CHECK_EQ(table_carve(&in, &r), BH_OK);
	CHECK_EQ(r.base, 0x7fef4000 - PAGES * 4096);
	/* Nothing coloured: nothing carved. */
	sys_config.part[0].colour_count = 0;
	sys_config.part[1].colour_count = 0;
	CHECK_EQ(table_carve(&in, &r), BH_OK);
	CHECK_EQ(r.size, 0);
	CHECK_EQ(table_carve_pages(&sys_config), 0); /* no scratch either */
}

TEST(table_carve_fits_an_exact_gap_and_refuses_none) /* reqs: REQ-COL-004 */
{
	const void *fdt = test_parse_system("colours", &plat, &sys_config, &errors);
	struct mem_range r;

	REQUIRE(fdt != NULL);
	/* RAM: the coloured span 0x50000000-0x50ffffff, then the hypervisor up
	 * to a gap of exactly the tables below p2's 0x52000000-0x52ffffff. */
	plat.ram_count = 1;
	plat.ram[0] = (struct mem_range){0x50000000, 0x3000000};
	struct table_carve_in in = {fdt, 0x50000000, 0x1000, {0x51000000, 0x1000000 - PAGES * 4096},
				    &plat, &sys_config, 0, {0, 0}};

	CHECK_EQ(table_carve(&in, &r), BH_OK);
	CHECK_EQ(r.base, 0x52000000 - PAGES * 4096);
	CHECK_EQ(r.size, PAGES * 4096);

	/* One page less: no gap. Each coloured partition named, by property. */
	in.hyp.size += 4096;
	fake_console_reset();
	CHECK_EQ(table_carve(&in, &r), BH_ERR_NO_MEMORY);
	CHECK_EQ(r.size, 0);
	const char *out = fake_console_output();

	CHECK_CONTAINS(out, "error: /chosen/bulkhead/p0: property 'bulkhead,colours': its coloured "
			    "memory's translation tables take 24 KiB");
	CHECK_CONTAINS(out, "error: /chosen/bulkhead/p1: property 'bulkhead,colours': its coloured "
			    "memory's translation tables take 28 KiB");
	CHECK(strstr(out, "/chosen/bulkhead/p2") == NULL);
	CHECK_CONTAINS(out, "error: no free RAM range of 116 KiB for coloured partitions' "
			    "translation tables and DT scratch: none outside");
}

/* What else owns RAM closes the only gap as the hypervisor does: the
 * firmware's /memreserve/ entries, /reserved-memory nodes (disabled ones
 * too) and channels' shared pages. The setting of the exact-gap test, with
 * the tree given a /reserved-memory node by an edit. */
TEST(table_carve_keeps_off_reserved_memory_and_channels) /* reqs: REQ-COL-004 */
{
	const struct edit e[] = {
		{"/", NULL, "reserved-memory", 0, {0}},
		{"/reserved-memory", "#address-cells", NULL, 1, {2}},
		{"/reserved-memory", "#size-cells", NULL, 1, {2}},
		{"/reserved-memory", NULL, "fw", 0, {0}},
		{"/reserved-memory/fw", "status", "disabled", 0, {0}},
	};
	enum bh_err status;
	void *fdt = edited_parse("colours", e, 5, NULL, &status);
	struct mem_range r;

	REQUIRE(fdt != NULL);
	REQUIRE(status == BH_OK);
	edit_plat.ram_count = 1;
	edit_plat.ram[0] = (struct mem_range){0x50000000, 0x3000000};
	struct table_carve_in in = {fdt, 0x50000000, 0x1000, {0x51000000, 0x1000000 - PAGES * 4096},
				    &edit_plat, &edit_sys, 0, {0, 0}};

	CHECK_EQ(table_carve(&in, &r), BH_OK);
	CHECK_EQ(r.base, 0x52000000 - PAGES * 4096);

	/* A disabled reserved node's page at the gap's top: no gap. */
	int fw = fdt_path_offset(fdt, "/reserved-memory/fw");
	const fdt32_t reg[] = {0, cpu_to_fdt32(0x51fff000), 0, cpu_to_fdt32(0x1000)};

	REQUIRE(fw >= 0);
	REQUIRE(fdt_open_into(fdt, fdt, 1 << 20) == 0);
	REQUIRE(fdt_setprop(fdt, fdt_path_offset(fdt, "/reserved-memory/fw"), "reg", reg,
			    sizeof(reg)) == 0);
	dt_index_build(fdt);
	CHECK_EQ(table_carve(&in, &r), BH_ERR_NO_MEMORY);
	REQUIRE(fdt_delprop(fdt, fdt_path_offset(fdt, "/reserved-memory/fw"), "reg") == 0);
	dt_index_build(fdt);
	CHECK_EQ(table_carve(&in, &r), BH_OK);

	/* A /memreserve/ entry there. */
	REQUIRE(fdt_add_mem_rsv(fdt, 0x51fff000, 0x1000) == 0);
	dt_index_build(fdt);
	CHECK_EQ(table_carve(&in, &r), BH_ERR_NO_MEMORY);
	REQUIRE(fdt_del_mem_rsv(fdt, 0) == 0);
	dt_index_build(fdt);
	CHECK_EQ(table_carve(&in, &r), BH_OK);

	/* An (uncoloured) partition's channel page there. */
	struct partition_config *p2 = &edit_sys.part[2];
	unsigned int chans = p2->chan_count;

	p2->chan_count = 1;
	p2->chan[0].pa = 0x51fff000;
	p2->chan[0].size = 0x1000;
	CHECK_EQ(table_carve(&in, &r), BH_ERR_NO_MEMORY);
	p2->chan_count = chans;

	/* A hypervisor of no size owns nothing: the gap reaches 0x51000000,
	 * the top still the highest. */
	in.hyp.size = 0;
	CHECK_EQ(table_carve(&in, &r), BH_OK);
	CHECK_EQ(r.base, 0x52000000 - PAGES * 4096);

	/* Hundreds of used ranges (here /memreserve/ entries below RAM, which
	 * do not touch the gap): each is read where it is described, none kept
	 * in a table, so no number of them is too many to tell. */
	for (unsigned int i = 0; i < 400u; i++)
		REQUIRE(fdt_add_mem_rsv(fdt, 0x1000u * i, 0x1000) == 0);
	dt_index_build(fdt);
	CHECK_EQ(table_carve(&in, &r), BH_OK);
	CHECK_EQ(r.base, 0x52000000 - PAGES * 4096);
	/* The last of them, moved into the gap, still counts. */
	REQUIRE(fdt_del_mem_rsv(fdt, 399) == 0);
	REQUIRE(fdt_add_mem_rsv(fdt, 0x51fff000, 0x1000) == 0);
	dt_index_build(fdt);
	CHECK_EQ(table_carve(&in, &r), BH_OK);
	CHECK(r.base + r.size <= 0x51fff000);
}

TEST(page_pool_goes_on_in_its_added_region) /* reqs: REQ-COL-004 */
{
	/* Eight pages aligned to eight: the pool aligns by page number. */
	uint8_t *mem = aligned_alloc(8 * 4096, 8 * 4096);
	struct page_pool pool;
	void *p;

	REQUIRE(mem != NULL);
	uintptr_t base = (uintptr_t)mem;

	page_pool_init(&pool, base, 3);
	p = page_pool_alloc(&pool, 1);
	CHECK(p == (void *)base);
	p = page_pool_alloc(&pool, 4);
	CHECK(p == NULL); /* no second region yet */
	/* Four aligned pages: only the added region can hold them. */
	page_pool_init(&pool, base, 3);
	page_pool_add(&pool, base + 4 * 4096, 4);
	p = page_pool_alloc(&pool, 4);
	CHECK(p == (void *)(base + 4 * 4096));
	/* The first region is still used first for what fits it. */
	p = page_pool_alloc(&pool, 1);
	CHECK(p == (void *)base);
	p = page_pool_alloc_bytes(&pool, 2 * 4096);
	CHECK(p == (void *)(base + 4096));
	p = page_pool_alloc_bytes(&pool, 4096);
	CHECK(p == NULL); /* both full */
	CHECK_EQ(page_pool_used(&pool), 7);
	free(mem);
}

TEST(hyp_span_carve_takes_a_way_aligned_gap_kept_off_by_the_tables) /* reqs: REQ-COL-005 */
{
	const void *fdt = test_parse_system("colours", &plat, &sys_config, &errors);
	struct mem_range span;
	struct mem_range r;

	REQUIRE(fdt != NULL);
	/* The hypervisor's first MiB below the DT: 0x6a000 bytes move, at 1
	 * of 16 colours 106 cycles of a 64 KiB way. */
	struct table_carve_in in = {fdt, 0x7fe00800, 0x1000, {0x7ff00000, 0x100000}, &plat,
				    &sys_config, 0x6a000, {0, 0}};

	/* Not coloured: no span. */
	CHECK_EQ(hyp_span_carve(&in, &span), BH_OK);
	CHECK_EQ(span.size, 0);
	sys_config.hyp_colour_count = 1;
	sys_config.hyp_colour[0] = 15;
	CHECK_EQ(hyp_span_carve(&in, &span), BH_OK);
	CHECK_EQ(span.size, 106u * 0x10000u);
	/* Below the DT's page, aligned down to the way (the gap above is too
	 * small). */
	CHECK_EQ(span.base, 0x7fe00000 - 106u * 0x10000u);
	/* The tables keep off it, and count the hypervisor's own. */
	in.hyp_span = span;
	CHECK_EQ(table_carve(&in, &r), BH_OK);
	CHECK_EQ(r.size, (PAGES + HYP_COLOUR_TABLE_PAGES + 4 + 1 + 1) * 4096); /* the span: 4 windows of 2 MiB */
	CHECK(r.base + r.size <= span.base || r.base >= span.base + span.size);
	/* Three colours: a third of the cycles. */
	sys_config.hyp_colour_count = 3;
	sys_config.hyp_colour[1] = 13;
	sys_config.hyp_colour[2] = 14;
	CHECK_EQ(hyp_span_carve(&in, &span), BH_OK);
	CHECK_EQ(span.size, 36u * 0x10000u);
	/* A machine with no room: refused at the hypervisor node's property. */
	in.hyp_copy_size = 0x40000000;
	fake_console_reset();
	CHECK_EQ(hyp_span_carve(&in, &span), BH_ERR_NO_MEMORY);
	CHECK_EQ(span.size, 0);
	CHECK(strstr(fake_console_output(), "error: /chosen/bulkhead: property "
					    "'bulkhead,hypervisor-colours': the hypervisor's "
					    "1048576 KiB at 3 of 16 colours") != NULL);
	sys_config.hyp_colour_count = 0;
}

/* A partition with MSI (a stream whose DeviceID reaches an ITS): the LPI
 * tables join the carve, a 64 KiB pending table per CPU of it among them,
 * and come from the added region only. */
TEST(table_carve_adds_the_lpi_tables) /* reqs: REQ-PAR-008 */
{
	const void *fdt = test_parse_system("colours", &plat, &sys_config, &errors);
	struct mem_range r;

	REQUIRE(fdt != NULL);
	struct table_carve_in in = {fdt, 0x7fe00800, 0x1000, {0x7ff00000, 0x100000}, &plat,
				    &sys_config, 0, {0, 0}};
	struct partition_config *pc = &sys_config.part[2]; /* uncoloured */

	pc->streams[0] = (struct partition_stream){0, 0x8, 0, 0x8, 0x8};
	pc->stream_count = 1;
	CHECK_EQ(table_carve(&in, &r), BH_OK);
	/* 32 pages a CPU (its pending table and, on a GICv4, its vPE's) and
	 * 31 to align them, the virtual ITS's state, the vLPI configuration
	 * table (2), the configuration table (2), queue, collections, the vPE
	 * table and a spare (4), an ITT, the device table. */
	uint64_t lpi = 2u * LPI_PEND_PAGES * pc->cpu_count + 31u + 1u + LPI_PROP_PAGES +
		       LPI_PROP_PAGES + 4u + 1u +
		       (LPI_MAX_DEVID + 1u) * LPI_DTE_MAX_BYTES / 4096u;

	CHECK_EQ(r.size, (PAGES + lpi) * 4096);
	pc->streams[0].its_devid = -1; /* no ITS behind it: nothing more */
	CHECK_EQ(table_carve(&in, &r), BH_OK);
	CHECK_EQ(r.size, PAGES * 4096);

	static uint8_t mem[8 * 4096] __attribute__((aligned(4 * 4096)));
	struct page_pool pool;

	page_pool_init(&pool, (uintptr_t)mem, 2);
	CHECK(page_pool_alloc_added(&pool, 1) == NULL); /* no added region */
	page_pool_add(&pool, (uintptr_t)mem + 2 * 4096, 6);
	uint8_t *p = page_pool_alloc_added(&pool, 4);

	CHECK(p == mem + 4 * 4096); /* aligned to 4 pages, past the image's */
	CHECK(page_pool_alloc_added(&pool, 4) == NULL);
	CHECK(page_pool_alloc_added(&pool, 3) == NULL); /* not a power of two */
	CHECK_EQ(pool.used, 0);
}
