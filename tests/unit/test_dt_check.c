// SPDX-License-Identifier: Apache-2.0
/* core/dt_check.c: a structure block libfdt could not walk to its end is
 * refused before anything walks it. */

#include <stdint.h>
#include <string.h>

#include <libfdt.h>

#include <bulkhead/dt.h>

#include "test.h"

static uint32_t get_be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* The offset in the blob of the length word of @fdt's first property. */
static uint32_t first_prop_len(const void *fdt)
{
	const uint8_t *st = (const uint8_t *)fdt + fdt_off_dt_struct(fdt);

	for (uint32_t pos = 0; pos + 4u <= fdt_size_dt_struct(fdt); pos += 4u)
		if (get_be32(st + pos) == FDT_PROP)
			return fdt_off_dt_struct(fdt) + pos + 4u;
	return 0;
}

/* The length fuzz-config found: 0xfffffff4 wraps libfdt's offset back onto
 * the same tag, and its walks (and fdt_check_full) loop for ever. */
TEST(dt_structure_refuses_a_property_length_that_wraps) /* reqs: REQ-CFG-001 */
{
	uint8_t *fdt = test_load_dtb("qemu-virt");
	uint32_t at = first_prop_len(fdt);

	REQUIRE(at != 0u);
	CHECK(dt_structure_sound(fdt));
	put_be32(fdt + at, 0xfffffff4u);
	CHECK(!dt_structure_sound(fdt));
	put_be32(fdt + at, fdt_size_dt_struct(fdt)); /* past the block */
	CHECK(!dt_structure_sound(fdt));
}

TEST(dt_structure_refuses_bad_tags_names_and_nesting) /* reqs: REQ-CFG-001 */
{
	uint8_t *fdt = test_load_dtb("qemu-virt");
	uint8_t *st = fdt + fdt_off_dt_struct(fdt);
	uint32_t size = fdt_size_dt_struct(fdt);
	uint32_t name_at = first_prop_len(fdt) + 4u;
	uint32_t name = get_be32(fdt + name_at);

	REQUIRE(get_be32(st + size - 4u) == FDT_END);
	put_be32(st + size - 4u, 0x7u); /* no such tag */
	CHECK(!dt_structure_sound(fdt));
	put_be32(st + size - 4u, FDT_END_NODE); /* one node closed too many, no end */
	CHECK(!dt_structure_sound(fdt));
	put_be32(st + size - 4u, FDT_END);
	CHECK(dt_structure_sound(fdt));
	put_be32(fdt + name_at, fdt_size_dt_strings(fdt)); /* a name past the strings */
	CHECK(!dt_structure_sound(fdt));
	put_be32(fdt + name_at, name);
	CHECK(dt_structure_sound(fdt));
}
