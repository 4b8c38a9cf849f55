// SPDX-License-Identifier: Apache-2.0
/*
 * /reserved-memory against partitions (core/config_reserved.c): a region
 * a partition's memory covers must be its own (`reserved-memory`), owned
 * by one partition only, and at a fixed address; channels.dts (p0's memory
 * at 0x50000000, 16 MiB) with a /reserved-memory the edits add.
 */

#include <stdio.h>
#include <string.h>

#include "config_edit.h"
#include "test.h"

#define P0 "/chosen/bulkhead/p0"
#define P1 "/chosen/bulkhead/p1"
#define RES "/reserved-memory"
#define BUF RES "/buf@50800000"
#define BUF_PH 0x7100u
#define NOREG_PH 0x7101u

static const struct edit with_reserved[] = {
	{"/", NULL, "reserved-memory", 0, {0}},
	{RES, "#address-cells", NULL, 1, {2}},
	{RES, "#size-cells", NULL, 1, {2}},
	{RES, "ranges", NULL, EDIT_EMPTY, {0}},
	{RES, NULL, "buf@50800000", 0, {0}},
	{BUF, "reg", NULL, 4, {0, 0x50800000, 0, 0x100000}},
	{BUF, "phandle", NULL, 1, {BUF_PH}},
	{RES, NULL, "noreg", 0, {0}},
	{RES "/noreg", "phandle", NULL, 1, {NOREG_PH}},
};
#define BASE_EDITS (sizeof(with_reserved) / sizeof(with_reserved[0]))

static enum bh_err parse_with(const struct edit *more, unsigned int n)
{
	struct edit e[BASE_EDITS + 2];
	enum bh_err status = BH_ERR_INVALID;

	memcpy(e, with_reserved, sizeof(with_reserved));
	for (unsigned int i = 0; i < n && i < 2; i++)
		e[BASE_EDITS + i] = more[i];
	if (edited_parse("channels", e, BASE_EDITS + n, NULL, &status) == NULL)
		test_fail(__FILE__, __LINE__, "edit failed");
	return status;
}

TEST(reserved_memory_owned_by_the_partition_that_covers_it) /* reqs: REQ-CFG-001 REQ-ISO-001 */
{
	const struct edit own = {P0, "reserved-memory", NULL, 1, {BUF_PH}};

	CHECK_EQ(parse_with(&own, 1), BH_OK);
	CHECK_EQ(edit_errors.count, 0);
	/* Not owned: refused, as it would be reachable. */
	CHECK(parse_with(NULL, 0) != BH_OK);
	CHECK(edit_has_error(P0, "memory", "0x50000000-0x50ffffff overlaps /reserved-memory/"
					   "buf@50800000, not its own"));
}

TEST(reserved_memory_refusals) /* reqs: REQ-CFG-001 */
{
	static const struct {
		struct edit edit[2];
		unsigned int edits;
		const char *path, *prop, *msg;
	} cases[] = {
		{{{P0, "reserved-memory", NULL, 1, {BUF_PH}}, {P1, "reserved-memory", NULL, 1, {BUF_PH}}},
		 2, P1, "reserved-memory", "/reserved-memory/buf@50800000 is already owned by 'p0'"},
		{{{P1, "reserved-memory", NULL, 1, {BUF_PH}}}, 1, P0, "memory",
		 "overlaps /reserved-memory/buf@50800000, another partition's"},
		{{{P0, "reserved-memory", "ab", 0, {0}}}, 1, P0, "reserved-memory",
		 "length 3: must be 1 to 32 phandles of /reserved-memory children, 4 bytes each"},
		{{{P0, "reserved-memory", NULL, 1, {0x999}}}, 1, P0, "reserved-memory",
		 "phandle 0x999 is not a child of /reserved-memory"},
		{{{P0, "reserved-memory", NULL, 1, {NOREG_PH}}}, 1, P0, "reserved-memory",
		 "/reserved-memory/noreg has no 'reg' (only regions at a fixed address can be owned)"},
	};

	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (parse_with(cases[i].edit, cases[i].edits) == BH_OK)
			test_fail(__FILE__, __LINE__, "case %u: accepted", i);
		else if (!edit_has_error(cases[i].path, cases[i].prop, cases[i].msg))
			test_fail(__FILE__, __LINE__, "case %u: no error %s '%s': %s among:\n%s", i,
				  cases[i].path, cases[i].prop, cases[i].msg, edit_errors_text());
	}
}

/* A /memreserve/ entry (no node of its own) inside a partition's memory:
 * refused at the partition's `memory`, naming the entry's range. */
TEST(memreserve_entry_inside_partition_memory_refused) /* reqs: REQ-CFG-001 REQ-ISO-001 */
{
	enum bh_err status;

	REQUIRE(edited_parse("memreserve", NULL, 0, NULL, &status) != NULL);
	CHECK(status != BH_OK);
	CHECK_CONTAINS(edit_errors_text(),
		       "/chosen/bulkhead/p0 'memory': memory 0x50000000-0x50ffffff overlaps the "
		       "/memreserve/ entry 0x50800000-0x50800fff");
}

/* @count /reserved-memory children with a `reg` each, at 0x60000000 and
 * up (no partition's memory), parsed: the status config_parse() gave. */
static enum bh_err parse_with_regions(unsigned int count)
{
	enum { MOST = 40 };
	static char names[MOST][16];
	static char paths[MOST][40];
	struct edit e[4 + 2 * MOST];
	unsigned int n = 0;
	enum bh_err status = BH_ERR_INVALID;

	e[n++] = (struct edit){"/", NULL, "reserved-memory", 0, {0}};
	e[n++] = (struct edit){RES, "#address-cells", NULL, 1, {2}};
	e[n++] = (struct edit){RES, "#size-cells", NULL, 1, {2}};
	e[n++] = (struct edit){RES, "ranges", NULL, EDIT_EMPTY, {0}};
	for (unsigned int i = 0; i < count && i < MOST; i++) {
		uint32_t base = 0x60000000u + i * 0x1000u;

		(void)snprintf(names[i], sizeof(names[i]), "r@%x", base);
		(void)snprintf(paths[i], sizeof(paths[i]), RES "/r@%x", base);
		e[n++] = (struct edit){RES, NULL, names[i], 0, {0}};
		e[n++] = (struct edit){paths[i], "reg", NULL, 4, {0, base, 0, 0x1000}};
	}
	if (edited_parse("channels", e, n, NULL, &status) == NULL)
		test_fail(__FILE__, __LINE__, "edit failed");
	return status;
}

/* One region past the build's limit is refused, naming it, rather than
 * dropped from the map and so never checked against partitions. */
TEST(reserved_regions_past_the_limit_refused_not_dropped) /* reqs: REQ-CFG-001 REQ-ISO-001 */
{
	CHECK_EQ(parse_with_regions(32), BH_OK);
	CHECK_EQ(edit_errors.count, 0);
	CHECK(parse_with_regions(33) != BH_OK);
	CHECK_EQ(edit_errors.count, 1);
	/* The edits add each child before the others: the 33rd met is the first added. */
	CHECK(edit_has_error(RES "/r@60000000", "reg",
			     "more than 32 reserved regions at fixed addresses"));
}
