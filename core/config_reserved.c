// SPDX-License-Identifier: Apache-2.0
/*
 * Memory the firmware keeps for itself or another processor: the children
 * of /reserved-memory that have a `reg` (OP-TEE, TF-A, a remote core's
 * carve-out) and the /memreserve/ entries of the blob. No partition's memory
 * or boot module may overlap one, unless that partition names the region in
 * its `reserved-memory` property: it owns it (a partition that talks to
 * OP-TEE through its shared-memory carve-out), and no other partition may.
 * Regions without `reg` (a size for Linux to allocate) are Linux's own
 * business and are not checked.
 */

#include <libfdt.h>

#include <bulkhead/console.h>
#include <bulkhead/dt.h>
#include <bulkhead/platform.h>

#include "config_internal.h"

#define MAX_RESERVED_REGIONS 32u

struct reserved_region {
	struct mem_range r;
	int node;       /* the /reserved-memory child, -1 for a /memreserve/ entry */
	int owner;      /* index of the partition that owns it, -1 if none */
};

struct reserved_map {
	struct reserved_region list[MAX_RESERVED_REGIONS];
	unsigned int count;
	bool full; /* one more was found, and refused */
};

/*
 * A region past the limit is refused, not dropped: a region left out of the
 * map would never be checked against partitions' memory.
 */
static void add_region(struct config_ctx *c, struct reserved_map *m, uint64_t base, uint64_t size,
		       int node)
{
	if (size == 0u)
		return;
	if (m->count < MAX_RESERVED_REGIONS) {
		m->list[m->count] = (struct reserved_region){{base, size}, node, -1};
		m->count++;
	} else if (!m->full) {
		config_error(c, CFG_ERR_BAD_VALUE, node < 0 ? 0 : node, node < 0 ? "" : "reg",
			     "more than %u reserved regions at fixed addresses (/memreserve/ and "
			     "/reserved-memory 'reg' entries), the most this build checks",
			     MAX_RESERVED_REGIONS);
		m->full = true;
	} else {
		/* Said once. */
	}
}

static void collect(struct config_ctx *c, struct reserved_map *m)
{
	const void *fdt = c->fdt;
	int parent = dt_path_offset(fdt, "/reserved-memory", 16);
	int node;

	m->count = 0;
	m->full = false;
	for (int i = 0; i < fdt_num_mem_rsv(fdt); i++) {
		uint64_t base;
		uint64_t size;

		if (fdt_get_mem_rsv(fdt, i, &base, &size) == 0)
			add_region(c, m, base, size, -1);
	}
	if (parent < 0)
		return;
	fdt_for_each_subnode(node, fdt, parent) {
		struct mem_range r;

		if (!fdt_node_enabled(fdt, node))
			continue;
		for (int i = 0; fdt_node_reg(fdt, node, i, &r) == BH_OK; i++)
			add_region(c, m, r.base, r.size, node);
	}
}

/* The partition's `reserved-memory`: /reserved-memory children it owns. */
static void decode_owned(struct config_ctx *c, unsigned int index, struct reserved_map *m)
{
	const struct partition_config *pc = &c->out->part[index];
	int reserved = dt_path_offset(c->fdt, "/reserved-memory", 16);
	unsigned int n;
	const fdt32_t *v = config_prop_list(c, pc->node, "reserved-memory", 1, MAX_RESERVED_REGIONS,
					    "phandles of /reserved-memory children", &n);
	char path[CONFIG_PATH_MAX];

	for (unsigned int i = 0; i < n; i++) {
		int node = dt_node_by_phandle(c->fdt, fdt32_to_cpu(v[i]));
		bool found = false;

		if (node < 0 || reserved < 0 || dt_parent_offset(c->fdt, node) != reserved) {
			config_error(c, CFG_ERR_BAD_PHANDLE, pc->node, "reserved-memory",
				     "phandle 0x%x is not a child of /reserved-memory",
				     fdt32_to_cpu(v[i]));
			continue;
		}
		for (unsigned int r = 0; r < m->count; r++) {
			if (m->list[r].node != node)
				continue;
			found = true;
			if (m->list[r].owner >= 0 && m->list[r].owner != (int)index) {
				config_error(c, CFG_ERR_RESERVED_SHARED, pc->node, "reserved-memory",
					     "%s is already owned by '%s'",
					     config_node_path(c, node, path, sizeof(path)),
					     c->out->part[m->list[r].owner].name);
				break;
			}
			m->list[r].owner = (int)index;
		}
		if (!found)
			config_error(c, CFG_ERR_BAD_VALUE, pc->node, "reserved-memory",
				     "%s has no 'reg' (only regions at a fixed address can be owned)",
				     config_node_path(c, node, path, sizeof(path)));
	}
}

static void check_range(struct config_ctx *c, unsigned int index, const struct reserved_map *m,
			const char *prop, const char *what, uint64_t base, uint64_t size)
{
	const struct partition_config *pc = &c->out->part[index];
	char path[CONFIG_PATH_MAX];

	for (unsigned int r = 0; r < m->count; r++) {
		const struct reserved_region *rr = &m->list[r];

		if (rr->owner == (int)index || !config_ranges_overlap(base, size, rr->r.base, rr->r.size))
			continue;
		if (rr->node < 0)
			config_error(c, CFG_ERR_MEM_RESERVED, pc->node, prop,
				     "%s 0x%llx-0x%llx overlaps the /memreserve/ entry 0x%llx-0x%llx",
				     what, (unsigned long long)base, (unsigned long long)(base + size - 1u),
				     (unsigned long long)rr->r.base,
				     (unsigned long long)(rr->r.base + rr->r.size - 1u));
		else
			config_error(c, CFG_ERR_MEM_RESERVED, pc->node, prop,
				     "%s 0x%llx-0x%llx overlaps %s, %s", what,
				     (unsigned long long)base, (unsigned long long)(base + size - 1u),
				     config_node_path(c, rr->node, path, sizeof(path)),
				     rr->owner >= 0 ? "another partition's" : "not its own");
	}
}

static void check_module(struct config_ctx *c, unsigned int index, const struct reserved_map *m,
			 const struct partition_module *mod, const char *what)
{
	if (mod->present && mod->size != 0u)
		check_range(c, index, m, "", what, mod->pa, mod->size);
}

void config_validate_reserved(struct config_ctx *c)
{
	static struct reserved_map map;
	const struct system_config *s = c->out;

	collect(c, &map);
	for (unsigned int i = 0; i < s->count; i++)
		decode_owned(c, i, &map);
	for (unsigned int i = 0; i < s->count; i++) {
		const struct partition_config *pc = &s->part[i];

		for (unsigned int m = 0; m < pc->mem_count; m++)
			check_range(c, i, &map, "memory", "memory", pc->mem[m].pa, pc->mem[m].span);
		check_module(c, i, &map, &pc->kernel, "kernel module");
		check_module(c, i, &map, &pc->ramdisk, "ramdisk module");
		check_module(c, i, &map, &pc->dtb, "device-tree module");
	}
}
