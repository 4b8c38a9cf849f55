// SPDX-License-Identifier: Apache-2.0
/*
 * Cache colouring in the configuration (docs/colouring.md): the last-level
 * cache's geometry (from the DT's cache nodes, or `bulkhead,llc` on the
 * hypervisor node where the board's DT lacks it), each partition's
 * `bulkhead,colours`, and the checks between partitions. Decoded only when
 * some partition asks for colours: a board whose cache nodes are odd but
 * that colours nothing must keep booting as before.
 */

#include <string.h>

#include <libfdt.h>

#include <bulkhead/colour.h>
#include <bulkhead/compiler.h>
#include <bulkhead/dt.h>
#include <bulkhead/platform.h>

#include "config_internal.h"

#define LLC_PROP "bulkhead,llc"
#define COLOURS_PROP "bulkhead,colours"
#define SHARED_PROP "bulkhead,colours-shared"
#define GUEST_SIZE_PROP "memory-guest-size"
#define HYP_COLOURS_PROP "bulkhead,hypervisor-colours"

static bool is_pow2(uint64_t v)
{
	return v != 0u && (v & (v - 1u)) == 0u;
}

/* A one-cell property, 0 if absent or not one cell. */
static uint32_t llc_prop_u32(const void *fdt, int node, const char *prop)
{
	return config_u32_or(fdt, node, prop, 0);
}

/* Geometry to colours; false (and an error at @node's @prop) if it cannot be
 * coloured: ways must be whole, and a way a whole number of pages. */
static bool set_geometry(struct config_ctx *c, int node, const char *prop, uint64_t size,
			 uint32_t sets, uint32_t line)
{
	struct llc_geometry *g = &c->out->llc;
	uint64_t way = (uint64_t)sets * line;

	if (size == 0u || sets == 0u || line == 0u || size % way != 0u) {
		config_error(c, CFG_ERR_BAD_VALUE, node, prop,
			     "cache of %llu bytes, %u sets of %u-byte lines: not a whole number of ways",
			     (unsigned long long)size, sets, line);
		return false;
	}
	if (way < COLOUR_PAGE || way % COLOUR_PAGE != 0u || !is_pow2(way)) {
		config_error(c, CFG_ERR_BAD_VALUE, node, prop,
			     "a way of %llu bytes is not a power-of-two number of 4 KiB pages: "
			     "pages cannot be coloured",
			     (unsigned long long)way);
		return false;
	}
	g->size = size;
	g->sets = sets;
	g->line = line;
	g->ways = (uint32_t)(size / way);
	/* More colours than we tell apart: colour by the low bits, still
	 * disjoint (config.h). */
	g->colours = way / COLOUR_PAGE > (uint64_t)MAX_COLOURS ? (unsigned int)MAX_COLOURS
							       : (unsigned int)(way / COLOUR_PAGE);
	g->node = node;
	return true;
}

/* The highest-level cache node with a full geometry; every other node at
 * that level must agree with it (one colour count for the whole machine). */
static bool decode_dt_llc(struct config_ctx *c)
{
	const void *fdt = c->fdt;
	int best = -1;
	uint32_t best_level = 0;

	for (int n = fdt_next_node(fdt, -1, NULL); n >= 0; n = fdt_next_node(fdt, n, NULL)) {
		uint32_t level = llc_prop_u32(fdt, n, "cache-level");

		if (level > best_level && fdt_node_enabled(fdt, n)) {
			best_level = level;
			best = n;
		}
	}
	if (best < 0)
		return false;
	static const char *const props[] = {"cache-size", "cache-sets", "cache-line-size"};
	char path[CONFIG_PATH_MAX];

	for (unsigned int i = 0; i < ARRAY_SIZE(props); i++) {
		if (llc_prop_u32(fdt, best, props[i]) == 0u) {
			config_error(c, CFG_ERR_NO_CACHE_GEOMETRY, best, props[i],
				     "the last-level cache has no one-cell %s: colouring needs it "
				     "(or give %s on the hypervisor node)", props[i], LLC_PROP);
			return true; /* an error given: no second one */
		}
	}
	if (best_level > 1u && fdt_getprop(fdt, best, "cache-unified", NULL) == NULL) {
		config_error(c, CFG_ERR_BAD_VALUE, best, "cache-unified",
			     "the last-level cache (level %u) is not unified: colouring shares "
			     "one cache for code and data", best_level);
		return true;
	}
	if (!set_geometry(c, best, "cache-size", llc_prop_u32(fdt, best, "cache-size"),
			  llc_prop_u32(fdt, best, "cache-sets"), llc_prop_u32(fdt, best, "cache-line-size")))
		return true;
	for (int n = fdt_next_node(fdt, -1, NULL); n >= 0; n = fdt_next_node(fdt, n, NULL)) {
		if (n == best || llc_prop_u32(fdt, n, "cache-level") != best_level ||
		    !fdt_node_enabled(fdt, n))
			continue;
		if ((uint64_t)llc_prop_u32(fdt, n, "cache-sets") * llc_prop_u32(fdt, n, "cache-line-size") !=
		    (uint64_t)c->out->llc.sets * c->out->llc.line)
			config_error(c, CFG_ERR_BAD_VALUE, n, "cache-sets",
				     "a way differs from that of %s, the other level-%u cache: "
				     "give %s on the hypervisor node",
				     config_node_path(c, best, path, sizeof(path)), best_level,
				     LLC_PROP);
	}
	return true;
}

/*
 * Read the geometry: `bulkhead,llc = <size sets line-size>` on the
 * hypervisor node first (it corrects a board's DT), else the DT's cache
 * nodes. An absence is reported at @first_coloured's @prop (the first
 * coloured partition, or the hypervisor node's own colours).
 */
void config_decode_llc(struct config_ctx *c, int hv, int first_coloured, const char *prop)
{
	const fdt32_t *v;

	(void)memset(&c->out->llc, 0, sizeof(c->out->llc));
	if (fdt_getprop(c->fdt, hv, LLC_PROP, NULL) != NULL) {
		v = config_prop_cells(c, hv, LLC_PROP, 3, "<cache-size cache-sets cache-line-size>",
				      NULL);
		if (v == NULL)
			return;
		if (set_geometry(c, hv, LLC_PROP, fdt32_to_cpu(v[0]), fdt32_to_cpu(v[1]),
				 fdt32_to_cpu(v[2])))
			c->out->llc.node = -1;
		return;
	}
	if (!decode_dt_llc(c))
		config_error(c, CFG_ERR_NO_CACHE_GEOMETRY, first_coloured, prop,
			     "colouring needs the last-level cache's geometry: no DT cache node has "
			     "cache-level, and no %s", LLC_PROP);
}

/* Whether the hypervisor node has a coloured partition: the first one, or -1. */
int config_first_coloured(const void *fdt, int hv)
{
	int node;

	fdt_for_each_subnode(node, fdt, hv) {
		if (dt_node_is_compatible(fdt, node, "bulkhead,partition") &&
		    fdt_getprop(fdt, node, COLOURS_PROP, NULL) != NULL)
			return node;
	}
	return -1;
}

/* @prop's list of colours into @colour (ascending) and *@count; false if
 * any is out of range or listed twice (said at @node's @prop). */
static bool decode_list(struct config_ctx *c, int node, const char *prop, uint8_t *colour,
			unsigned int *count)
{
	const unsigned int total = c->out->llc.colours;
	bool seen[MAX_COLOURS];
	unsigned int n;
	const fdt32_t *v = config_prop_list(c, node, prop, 1, MAX_COLOURS, "colours", &n);
	bool ok = v != NULL;

	(void)memset(seen, 0, sizeof(seen));
	*count = 0;
	for (unsigned int i = 0; i < n; i++) {
		uint32_t cl = fdt32_to_cpu(v[i]);

		if (cl >= total) {
			config_error(c, CFG_ERR_COLOUR_RANGE, node, prop,
				     "colour %u is beyond the cache's %u (0 to %u)", cl, total,
				     total - 1u);
			ok = false;
		} else if (seen[cl]) {
			config_error(c, CFG_ERR_COLOUR_RANGE, node, prop, "colour %u is listed twice",
				     cl);
			ok = false;
		} else {
			seen[cl] = true;
		}
	}
	if (!ok)
		return false;
	/* Ascending: page k of a cycle is the k-th colour (colour.c). */
	for (unsigned int i = 0; i < total; i++) {
		if (seen[i]) {
			colour[*count] = (uint8_t)i;
			(*count)++;
		}
	}
	return true;
}

/*
 * The hypervisor's own colours (`bulkhead,hypervisor-colours` on its node):
 * at boot its image is moved onto pages of them (arch/arm64/mmu_colour.c).
 * Checked against the partitions' colours by config_validate_colours().
 */
void config_decode_hyp_colours(struct config_ctx *c, int hv)
{
	c->out->hyp_colour_count = 0;
	c->out->hyp_colours_shared = false;
	if (fdt_getprop(c->fdt, hv, HYP_COLOURS_PROP, NULL) == NULL || c->out->llc.colours == 0u)
		return; /* not coloured, or no geometry: said by config_decode_llc */
	if (c->p->no_colouring) {
		config_error(c, CFG_ERR_NOT_BUILT, hv, HYP_COLOURS_PROP,
			     "this port does not colour the hypervisor (docs/colouring.md)");
		return;
	}
	if (!decode_list(c, hv, HYP_COLOURS_PROP, c->out->hyp_colour, &c->out->hyp_colour_count))
		c->out->hyp_colour_count = 0;
	c->out->hyp_colours_shared = fdt_getprop(c->fdt, hv, SHARED_PROP, NULL) != NULL;
}

bool config_hyp_coloured(const void *fdt, int hv)
{
	return fdt_getprop(fdt, hv, HYP_COLOURS_PROP, NULL) != NULL;
}

/*
 * The partition's colours and what they make of its memory regions: each
 * `memory` region is then the physical span its pages come from, aligned to
 * a way (so every colour recurs in it at the same offsets), and the guest
 * sees `memory-guest-size` bytes of it (default: every page of its colours).
 * Called between decode_memory and the kernel's placement, which uses the
 * guest sizes.
 */
void config_decode_colours(struct config_ctx *c, int node, int sc, struct partition_config *pc)
{
	const void *sizes = fdt_getprop(c->fdt, node, GUEST_SIZE_PROP, NULL);
	const fdt32_t *size = NULL;
	const uint64_t way = (uint64_t)c->out->llc.colours * COLOUR_PAGE;

	if (fdt_getprop(c->fdt, node, COLOURS_PROP, NULL) == NULL) {
		if (sizes != NULL)
			config_error(c, CFG_ERR_BAD_VALUE, node, GUEST_SIZE_PROP,
				     "only for a coloured partition (%s)", COLOURS_PROP);
		return;
	}
	if (c->out->llc.colours == 0u)
		return; /* no geometry: reported once, by config_decode_llc */
	if (c->p->no_colouring) {
		config_error(c, CFG_ERR_NOT_BUILT, node, COLOURS_PROP,
			     "this port does not colour partitions' memory (docs/colouring.md)");
		return;
	}
	if (!decode_list(c, node, COLOURS_PROP, pc->colour, &pc->colour_count))
		return;
	pc->colours_total = c->out->llc.colours;
	pc->colours_shared = fdt_getprop(c->fdt, node, SHARED_PROP, NULL) != NULL;
	if (sizes != NULL)
		size = config_prop_cells(c, node, GUEST_SIZE_PROP, pc->mem_count * (unsigned int)sc,
					 "one size of #size-cells per memory region", NULL);
	for (unsigned int i = 0; i < pc->mem_count; i++) {
		struct partition_mem *m = &pc->mem[i];
		uint64_t have = m->span / way * pc->colour_count * COLOUR_PAGE;
		uint64_t want = size != NULL ? fdt_read_cells(size + i * (unsigned int)sc, sc) : have;

		if (!IS_ALIGNED(m->pa | m->span, way)) {
			config_error(c, CFG_ERR_UNALIGNED, node, "memory",
				     "region %u (0x%llx, size 0x%llx) is not aligned to the cache's "
				     "way (%llu KiB), as colouring needs", i,
				     (unsigned long long)m->pa, (unsigned long long)m->span,
				     (unsigned long long)(way >> 10));
			continue;
		}
		if (want == 0u || want % COLOUR_PAGE != 0u) {
			config_error(c, CFG_ERR_UNALIGNED, node, GUEST_SIZE_PROP,
				     "region %u: 0x%llx is not a non-zero multiple of 4 KiB", i,
				     (unsigned long long)want);
			continue;
		}
		if (want > have) {
			config_error(c, CFG_ERR_COLOUR_MEMORY, node, GUEST_SIZE_PROP,
				     "region %u: %llu KiB at %u of %u colours needs %llu KiB of physical "
				     "memory; 0x%llx-0x%llx has %llu KiB of its colours",
				     i, (unsigned long long)(want >> 10), pc->colour_count,
				     pc->colours_total,
				     (unsigned long long)(colour_span_for(pc, want) >> 10),
				     (unsigned long long)m->pa,
				     (unsigned long long)(m->pa + m->span - 1u),
				     (unsigned long long)(have >> 10));
			continue;
		}
		m->size = want;
	}
}

static bool colours_meet(const struct partition_config *a, const struct partition_config *b,
			 unsigned int *common)
{
	for (unsigned int i = 0; i < a->colour_count; i++) {
		for (unsigned int j = 0; j < b->colour_count; j++) {
			if (a->colour[i] == b->colour[j]) {
				*common = a->colour[i];
				return true;
			}
		}
	}
	return false;
}

/* Whether regions of coloured @a and @b may overlap physically: they then
 * hold different pages exactly when their colours differ. */
bool config_colours_disjoint(const struct partition_config *a, const struct partition_config *b)
{
	unsigned int common;

	return a != b && a->colour_count != 0u && b->colour_count != 0u &&
	       !colours_meet(a, b, &common);
}

/* The hypervisor's colours against a coloured partition's: disjoint, unless
 * both the partition and the hypervisor node say `bulkhead,colours-shared`.
 * An uncoloured partition has every colour, the hypervisor's too: nothing
 * to refuse (docs/colouring.md). */
static void validate_hyp_colours(struct config_ctx *c, const struct partition_config *a)
{
	const struct system_config *s = c->out;

	if (s->hyp_colours_shared && a->colours_shared)
		return;
	for (unsigned int i = 0; i < s->hyp_colour_count; i++) {
		for (unsigned int j = 0; j < a->colour_count; j++) {
			if (s->hyp_colour[i] != a->colour[j])
				continue;
			config_error(c, CFG_ERR_COLOUR_SHARED, a->node, COLOURS_PROP,
				     "colour %u is also the hypervisor's (%s; both need %s to share)",
				     a->colour[j], HYP_COLOURS_PROP, SHARED_PROP);
			return;
		}
	}
}

/* Two coloured partitions share a colour only if both say they may; the
 * hypervisor likewise. */
void config_validate_colours(struct config_ctx *c)
{
	const struct system_config *s = c->out;

	for (unsigned int i = 0; i < s->count; i++) {
		const struct partition_config *a = &s->part[i];

		validate_hyp_colours(c, a);
		for (unsigned int j = 0; j < i && a->colour_count != 0u; j++) {
			const struct partition_config *b = &s->part[j];
			unsigned int common;

			if (b->colour_count == 0u || !colours_meet(a, b, &common) ||
			    (a->colours_shared && b->colours_shared))
				continue;
			config_error(c, CFG_ERR_COLOUR_SHARED, a->node, COLOURS_PROP,
				     "colour %u is also '%s''s (both need %s to share)", common,
				     b->name, SHARED_PROP);
		}
	}
}
