// SPDX-License-Identifier: Apache-2.0
/*
 * Whether libfdt can walk a device tree's structure block to its end,
 * checked before anything walks it. fdt_check_header() looks at the header
 * only, and libfdt 1.6's tag walk adds a property's length to its offset
 * unchecked: a length of 0xfffffff4 wraps the offset back onto the same
 * tag, and every walk (fdt_next_node, fdt_node_offset_by_compatible, even
 * fdt_check_full) loops for ever. A tree from the loader, or a partition's
 * own DT module, is refused instead.
 */

#include <libfdt.h>

#include <bulkhead/dt.h>

static uint32_t cell_at(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static uint32_t align4(uint32_t v)
{
	return (v + 3u) & ~3u;
}

/* One tag at @pos: false if it does not fit, else *@pos past it and
 * *@depth changed by a node's begin or end. */
static bool step(const uint8_t *st, uint32_t size, uint32_t strings_size, uint32_t *pos,
		 int *depth, bool *end)
{
	uint32_t at = *pos + 4u;

	switch (cell_at(&st[*pos])) {
	case FDT_BEGIN_NODE: {
		uint32_t n = 0;

		while (at + n < size && st[at + n] != 0u)
			n++;
		if (at + n == size)
			return false;
		(*depth)++;
		*pos = align4(at + n + 1u);
		return true;
	}
	case FDT_END_NODE:
		(*depth)--;
		*pos = at;
		return *depth >= 0;
	case FDT_PROP: {
		if (size - at < 8u)
			return false;
		uint32_t len = cell_at(&st[at]);

		if (len > size - at - 8u || cell_at(&st[at + 4u]) >= strings_size)
			return false;
		*pos = align4(at + 8u + len);
		return true;
	}
	case FDT_NOP:
		*pos = at;
		return true;
	case FDT_END:
		*end = true;
		*pos = at;
		return *depth == 0;
	default:
		return false;
	}
}

bool dt_structure_sound(const void *fdt)
{
	const uint32_t total = fdt_totalsize(fdt);
	const uint32_t off = fdt_off_dt_struct(fdt);
	const uint32_t size = fdt_size_dt_struct(fdt);
	const uint32_t strings_off = fdt_off_dt_strings(fdt);
	const uint32_t strings_size = fdt_size_dt_strings(fdt);
	int depth = 0;
	bool end = false;

	/* Version 16 and later give the structure block's size. */
	if (fdt_version(fdt) < 16u || off > total || size > total - off || strings_off > total ||
	    strings_size > total - strings_off || (off & 3u) != 0u)
		return false;
	const uint8_t *st = &((const uint8_t *)fdt)[off];
	uint32_t pos = 0;

	while (!end) {
		if (size - pos < 4u || !step(st, size, strings_size, &pos, &depth, &end))
			return false;
	}
	return true;
}
