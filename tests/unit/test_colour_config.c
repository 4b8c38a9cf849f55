// SPDX-License-Identifier: Apache-2.0
/*
 * Colour configuration's error paths (core/colour_config.c): the cache
 * geometry from the DT's cache nodes or `bulkhead,llc`, each partition's
 * colours and guest sizes, and colours shared without consent; each case
 * one edit of the valid colours.dts (a 1 MiB L2 of 64 KiB ways: 16
 * colours; p0 coloured 0-3 with 2 MiB of guest memory, p1 coloured 4-8, p2
 * not coloured), refused by node and property.
 */

#include "config_edit.h"
#include "test.h"

#define L2 "/cpus/l2-cache"
#define HV "/chosen/bulkhead"
#define P0 HV "/p0"
#define P1 HV "/p1"
#define P2 HV "/p2"

TEST(colour_config_refuses_bad_geometry_and_colours) /* reqs: REQ-COL-002 REQ-CFG-001 */
{
	static const struct error_case cases[] = {
		{{{L2, "cache-size", NULL, 1, {1000}}}, 1, L2, "cache-size",
		 "cache of 1000 bytes, 1024 sets of 64-byte lines: not a whole number of ways"},
		{{{L2, "cache-sets", NULL, 1, {16}}}, 1, L2, "cache-size",
		 "a way of 1024 bytes is not a power-of-two number of 4 KiB pages"},
		/* bulkhead,llc's zeros reach the geometry's own check. */
		{{{HV, "bulkhead,llc", NULL, 3, {0, 1024, 64}}}, 1, HV, "bulkhead,llc",
		 "cache of 0 bytes, 1024 sets of 64-byte lines: not a whole number of ways"},
		{{{HV, "bulkhead,llc", NULL, 3, {0x100000, 0, 64}}}, 1, HV, "bulkhead,llc",
		 "cache of 1048576 bytes, 0 sets of 64-byte lines: not a whole number of ways"},
		{{{HV, "bulkhead,llc", NULL, 3, {0x100000, 1024, 0}}}, 1, HV, "bulkhead,llc",
		 "1024 sets of 0-byte lines: not a whole number of ways"},
		/* Ways of 6 KiB (not whole pages) and of 96 KiB (24 pages). */
		{{{L2, "cache-sets", NULL, 1, {96}}, {L2, "cache-size", NULL, 1, {98304}}}, 2, L2,
		 "cache-size", "a way of 6144 bytes is not a power-of-two number of 4 KiB pages"},
		{{{L2, "cache-sets", NULL, 1, {1536}}, {L2, "cache-size", NULL, 1, {1572864}}}, 2, L2,
		 "cache-size", "a way of 98304 bytes is not a power-of-two number of 4 KiB pages"},
		{{{L2, "cache-sets", NULL, EDIT_DELETE, {0}}}, 1, L2, "cache-sets",
		 "the last-level cache has no one-cell cache-sets"},
		{{{L2, "cache-unified", NULL, EDIT_DELETE, {0}}}, 1, L2, "cache-unified",
		 "the last-level cache (level 2) is not unified"},
		{{{L2, "cache-level", NULL, EDIT_DELETE, {0}}}, 1, P0, "bulkhead,colours",
		 "colouring needs the last-level cache's geometry"},
		/* A second level-2 cache of another way size (added first, so
		 * the one whose geometry counts). */
		{{{"/", NULL, "l2b", 0, {0}},
		  {"/l2b", "cache-level", NULL, 1, {2}}},
		 2, "/l2b", "cache-size", "the last-level cache has no one-cell cache-size"},
		{{{HV, "bulkhead,llc", NULL, 2, {0x100000, 1024}}}, 1, HV, "bulkhead,llc",
		 "expected 3 cells (<cache-size cache-sets cache-line-size>)"},
		{{{P0, "bulkhead,colours", NULL, EDIT_EMPTY, {0}}}, 1, P0, "bulkhead,colours",
		 "length 0: must be 1 to 256 colours, 4 bytes each"},
		{{{P0, "bulkhead,colours", NULL, 2, {1, 16}}}, 1, P0, "bulkhead,colours",
		 "colour 16 is beyond the cache's 16 (0 to 15)"},
		{{{P0, "bulkhead,colours", NULL, 2, {1, 1}}}, 1, P0, "bulkhead,colours",
		 "colour 1 is listed twice"},
		{{{P0, "memory-guest-size", NULL, 1, {0x200000}}}, 1, P0, "memory-guest-size",
		 "expected 2 cells (one size of #size-cells per memory region)"},
		{{{P0, "memory-guest-size", NULL, 2, {0, 0x1800}}}, 1, P0, "memory-guest-size",
		 "region 0: 0x1800 is not a non-zero multiple of 4 KiB"},
		{{{P0, "memory-guest-size", NULL, 2, {0, 0x1000000}}}, 1, P0, "memory-guest-size",
		 "region 0: 16384 KiB at 4 of 16 colours needs 65536 KiB of physical memory; "
		 "0x50000000-0x50ffffff has 4096 KiB of its colours"},
		{{{P2, "memory-guest-size", NULL, 2, {0, 0x100000}}}, 1, P2, "memory-guest-size",
		 "only for a coloured partition (bulkhead,colours)"},
		{{{P0, "memory", NULL, 4, {0, 0x50008000, 0, 0x1000000}}}, 1, P0, "memory",
		 "region 0 (0x50008000, size 0x1000000) is not aligned to the cache's way (64 KiB)"},
		{{{P1, "bulkhead,colours", NULL, 3, {0, 5, 6}}}, 1, P1, "bulkhead,colours",
		 "colour 0 is also 'p0''s (both need bulkhead,colours-shared to share)"},
	};

	edit_check_cases("colours", cases, sizeof(cases) / sizeof(cases[0]));
}

TEST(colour_config_other_level2_cache_must_agree) /* reqs: REQ-COL-002 */
{
	/* A second level-2 cache with a full geometry of 32 KiB ways: the
	 * first found counts, the other is told it differs. */
	const struct edit e[] = {
		{"/", NULL, "l2b", 0, {0}},
		{"/l2b", "cache-level", NULL, 1, {2}},
		{"/l2b", "cache-unified", NULL, EDIT_EMPTY, {0}},
		{"/l2b", "cache-size", NULL, 1, {0x80000}},
		{"/l2b", "cache-sets", NULL, 1, {512}},
		{"/l2b", "cache-line-size", NULL, 1, {64}},
	};
	enum bh_err status;

	REQUIRE(edited_parse("colours", e, sizeof(e) / sizeof(e[0]), NULL, &status) != NULL);
	CHECK(status != BH_OK);
	CHECK_EQ(edit_sys.llc.colours, 8);
	CHECK(edit_has_error(L2, "cache-sets", "a way differs from that of /l2b, the other level-2 "
					       "cache: give bulkhead,llc on the hypervisor node"));
}

#define HYP_COLOURS "bulkhead,hypervisor-colours"

TEST(colour_config_refuses_bad_hypervisor_colours) /* reqs: REQ-COL-005 REQ-CFG-001 */
{
	static const struct error_case cases[] = {
		{{{HV, HYP_COLOURS, NULL, 1, {16}}}, 1, HV, HYP_COLOURS,
		 "colour 16 is beyond the cache's 16 (0 to 15)"},
		{{{HV, HYP_COLOURS, NULL, 2, {15, 15}}}, 1, HV, HYP_COLOURS, "colour 15 is listed twice"},
		{{{HV, HYP_COLOURS, NULL, EDIT_EMPTY, {0}}}, 1, HV, HYP_COLOURS,
		 "length 0: must be 1 to 256 colours, 4 bytes each"},
		/* p0 has 0-3: the hypervisor may not share 2 with it... */
		{{{HV, HYP_COLOURS, NULL, 2, {2, 15}}}, 1, P0, "bulkhead,colours",
		 "colour 2 is also the hypervisor's (bulkhead,hypervisor-colours; both need "
		 "bulkhead,colours-shared to share)"},
		/* ... nor when only one side allows it. */
		{{{HV, HYP_COLOURS, NULL, 1, {8}}, {HV, "bulkhead,colours-shared", NULL, EDIT_EMPTY, {0}}},
		 2, P1, "bulkhead,colours", "colour 8 is also the hypervisor's"},
	};

	edit_check_cases("colours", cases, sizeof(cases) / sizeof(cases[0]));
}

TEST(colour_config_hypervisor_colours_accepted) /* reqs: REQ-COL-005 */
{
	enum bh_err status;
	const struct edit alone[] = {{HV, HYP_COLOURS, NULL, 3, {15, 9, 12}}};
	const struct edit shared[] = {
		{HV, HYP_COLOURS, NULL, 1, {1}},
		{HV, "bulkhead,colours-shared", NULL, EDIT_EMPTY, {0}},
		{P0, "bulkhead,colours-shared", NULL, EDIT_EMPTY, {0}},
	};

	/* Ascending, like a partition's: page k of a cycle is the k-th. */
	REQUIRE(edited_parse("colours", alone, 1, NULL, &status) != NULL);
	CHECK_EQ(status, BH_OK);
	CHECK_EQ(edit_sys.hyp_colour_count, 3);
	CHECK_EQ(edit_sys.hyp_colour[0], 9);
	CHECK_EQ(edit_sys.hyp_colour[1], 12);
	CHECK_EQ(edit_sys.hyp_colour[2], 15);
	CHECK(!edit_sys.hyp_colours_shared);
	/* Shared when both say so. */
	REQUIRE(edited_parse("colours", shared, 3, NULL, &status) != NULL);
	CHECK_EQ(status, BH_OK);
	CHECK(edit_sys.hyp_colours_shared);
	CHECK_EQ(edit_sys.hyp_colour_count, 1);
}

TEST(colour_config_hypervisor_colours_alone_need_geometry) /* reqs: REQ-COL-005 */
{
	enum bh_err status;
	/* No partition coloured: the geometry is read for the hypervisor's
	 * colours alone, and its absence said at their property. */
	const struct edit e[] = {
		{P0, "bulkhead,colours", NULL, EDIT_DELETE, {0}},
		{P0, "memory-guest-size", NULL, EDIT_DELETE, {0}},
		{P1, "bulkhead,colours", NULL, EDIT_DELETE, {0}},
		{L2, "cache-level", NULL, EDIT_DELETE, {0}},
		{HV, HYP_COLOURS, NULL, 1, {15}},
	};

	REQUIRE(edited_parse("colours", e, 5, NULL, &status) != NULL);
	CHECK(status != BH_OK);
	CHECK(edit_has_error(HV, HYP_COLOURS, "colouring needs the last-level cache's geometry"));
	CHECK_EQ(edit_sys.hyp_colour_count, 0);
	/* With the cache node's geometry: the hypervisor coloured alone. */
	const struct edit with_geometry[] = {e[0], e[1], e[2], e[4]};

	REQUIRE(edited_parse("colours", with_geometry, 4, NULL, &status) != NULL);
	CHECK_EQ(edit_sys.llc.colours, 16);
	CHECK_EQ(edit_sys.hyp_colour_count, 1);
	CHECK(!edit_has_error(HV, HYP_COLOURS, ""));
}
