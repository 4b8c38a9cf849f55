// SPDX-License-Identifier: Apache-2.0
/*
 * Channel decoding and validation's error paths (core/channel_config.c):
 * each case one edit of the valid channels.dts (channel@0 between p0 and
 * p1 with doorbell pages, channel@1 between p1 and p2), refused with an
 * error naming the channel node and property (a clash between two channels
 * once, at the second).
 */

#include "config_edit.h"
#include "test.h"

#define CH0 "/chosen/bulkhead/channel@0"
#define CH1 "/chosen/bulkhead/channel@1"

TEST(channel_config_refuses_malformed_channels) /* reqs: REQ-CFG-001 REQ-CHN-003 */
{
	const void *base = test_load_dtb("channels");
	uint32_t p0 = edit_phandle(base, "/chosen/bulkhead/p0");

	REQUIRE(p0 != 0);
	const struct error_case cases[] = {
		{{{CH0, "region", NULL, EDIT_DELETE, {0}}}, 1, CH0, "region", "required"},
		{{{CH0, "region", NULL, 3, {0, 0x56000000, 0}}}, 1, CH0, "region",
		 "expected 4 cells (two 2-cell numbers)"},
		{{{CH0, "guest-addresses", NULL, 2, {0, 0x60000000}}}, 1, CH0, "guest-addresses",
		 "expected 4 cells (two 2-cell numbers)"},
		{{{CH0, "partitions", NULL, EDIT_DELETE, {0}}}, 1, CH0, "partitions",
		 "required: the two partitions' phandles"},
		{{{CH0, "partitions", NULL, 1, {p0}}}, 1, CH0, "partitions", "expected 2 cells (two phandles)"},
		{{{CH0, "partitions", NULL, 2, {p0, 0x999}}}, 1, CH0, "partitions",
		 "end 1 (phandle 0x999) is not a bulkhead,partition node"},
		{{{CH0, "partitions", NULL, 2, {p0, p0}}}, 1, CH0, "partitions",
		 "both ends are partition 'p0'"},
		{{{CH0, "access", "wo", 0, {0}}}, 1, CH0, "access", "end 0: expected \"rw\" or \"ro\""},
		{{{CH0, "doorbell-intids", NULL, EDIT_DELETE, {0}}}, 1, CH0, "doorbell-intids",
		 "required: each end's doorbell interrupt"},
		{{{CH0, "doorbell-intids", NULL, 1, {80}}}, 1, CH0, "doorbell-intids",
		 "expected 2 cells (two INTIDs)"},
		{{{CH0, "doorbell-intids", NULL, 2, {80, 5000}}}, 1, CH0, "doorbell-intids",
		 "end 1: 5000 is not"},
		{{{CH0, "doorbell-registers", NULL, 1, {0}}}, 1, CH0, "doorbell-registers",
		 "expected 4 cells (two 2-cell numbers)"},
		{{{CH0, "region", NULL, 4, {0, 0x56000000, 0, 0}}}, 1, CH0, "region", "empty"},
		{{{CH0, "region", NULL, 4, {0, 0x56000800, 0, 0x10000}}}, 1, CH0, "",
		 "region, guest-addresses and doorbell-registers must be 4 KiB aligned"},
		{{{CH0, "region", NULL, 4, {0, 0x90000000, 0, 0x10000}}}, 1, CH0, "region",
		 "0x90000000-0x9000ffff is not inside one RAM range"},
		{{{CH0, "region", NULL, 4, {0, 0x50000000, 0, 0x10000}}}, 1, CH0, "region",
		 "overlaps memory of 'p0'"},
		{{{CH0, "region", NULL, 4, {0, 0x48000000, 0, 0x10000}}}, 1, CH0, "region",
		 "overlaps a boot module of 'p0' at 0x48000000"},
		{{{CH0, "region", NULL, 4, {0, 0x56008000, 0, 0x10000}}}, 1, CH1, "region",
		 "0x56010000-0x56011fff overlaps a channel region of 'p0' at 0x56008000"},
		{{{CH0, "guest-addresses", NULL, 4, {0, 0x50000000, 0, 0x70000000}}}, 1, CH0,
		 "guest-addresses", "in 'p0', 0x50000000-0x5000ffff overlaps the partition's memory"},
		{{{CH0, "guest-addresses", NULL, 4, {0, 0x60000000, 0, 0x60000000}}}, 1, CH1,
		 "guest-addresses", "in 'p1', 0x60000000-0x60001fff overlaps another channel"},
		{{{CH0, "doorbell-registers", NULL, 4, {0, 0x60001000, 0, 0x71000000}}}, 1, CH0,
		 "doorbell-registers", "in 'p0', 0x60001000 overlaps the channel's own region"},
		{{{CH0, "doorbell-registers", NULL, 4, {0, 0x61000000, 0, 0x52000000}}}, 1, CH0,
		 "doorbell-registers", "in 'p1', 0x52000000 overlaps the partition's memory"},
		{{{CH0, "doorbell-intids", NULL, 2, {80, 82}}}, 1, CH1, "doorbell-intids",
		 "in 'p1', INTID 82 is already in use"},
	};

	edit_check_cases("channels", cases, sizeof(cases) / sizeof(cases[0]));
}

/* A channel end's guest range is checked against everything in its
 * partition's guest map, flash regions too (decoded before channels). */
TEST(channel_config_refuses_a_channel_over_a_flash_region) /* reqs: REQ-CFG-001 REQ-ISO-001 */
{
	const struct edit e[] = {
		{"/chosen/bulkhead/p0", NULL, "flash@60000000", 0, {0}},
		{"/chosen/bulkhead/p0/flash@60000000", "compatible", "bulkhead,flash", 0, {0}},
		{"/chosen/bulkhead/p0/flash@60000000", "reg", NULL, 4, {0, 0x60008000, 0, 0x1000}},
		{"/chosen/bulkhead/p0/flash@60000000", "memory", NULL, 4, {0, 0x5f000000, 0, 0x1000}},
	};
	enum bh_err status;

	REQUIRE(edited_parse("channels", e, sizeof(e) / sizeof(e[0]), NULL, &status) != NULL);
	CHECK(status != BH_OK);
	CHECK_EQ(edit_sys.part[0].flash_count, 1);
	CHECK(edit_has_error(CH0, "guest-addresses",
			     "in 'p0', 0x60000000-0x6000ffff overlaps a flash region"));
}
