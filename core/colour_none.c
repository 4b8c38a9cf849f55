// SPDX-License-Identifier: Apache-2.0
/*
 * Cache colouring left out of the build (COLOUR=n, docs/building.md):
 * replaces core/colour_config.c (and, with the virtual ITS also left out,
 * core/table_carve.c: core/table_carve_none.c). A partition's
 * `bulkhead,colours` or `memory-guest-size` and the hypervisor node's
 * `bulkhead,hypervisor-colours` are refused, naming the node, the property
 * and the option, so that no system boots with the cache shared that it
 * asked to divide. No partition is then coloured: each gets what an
 * uncoloured one gets anyway, its memory mapped as one range
 * (core/colour.c stays: it maps uncoloured memory too).
 */

#include <libfdt.h>

#include <bulkhead/compiler.h>
#include <bulkhead/dt.h>

#include "config_internal.h"

#define NO_COLOUR "this build has no cache colouring (COLOUR=n)"

/* Without coloured partitions the cache's geometry is never read. */
void config_decode_llc(struct config_ctx *c, int hv, int first_coloured, const char *prop)
{
	(void)c;
	(void)hv;
	(void)first_coloured;
	(void)prop;
}

int config_first_coloured(const void *fdt, int hv)
{
	(void)fdt;
	(void)hv;
	return -1;
}

bool config_hyp_coloured(const void *fdt, int hv)
{
	(void)fdt;
	(void)hv;
	return false;
}

void config_decode_hyp_colours(struct config_ctx *c, int hv)
{
	c->out->hyp_colour_count = 0;
	c->out->hyp_colours_shared = false;
	if (fdt_getprop(c->fdt, hv, "bulkhead,hypervisor-colours", NULL) != NULL)
		config_error(c, CFG_ERR_NOT_BUILT, hv, "bulkhead,hypervisor-colours", NO_COLOUR);
}

void config_decode_colours(struct config_ctx *c, int node, int sc, struct partition_config *pc)
{
	(void)sc;
	(void)pc;
	if (fdt_getprop(c->fdt, node, "bulkhead,colours", NULL) != NULL)
		config_error(c, CFG_ERR_NOT_BUILT, node, "bulkhead,colours", NO_COLOUR);
	else if (fdt_getprop(c->fdt, node, "memory-guest-size", NULL) != NULL)
		config_error(c, CFG_ERR_NOT_BUILT, node, "memory-guest-size", NO_COLOUR);
	else {
		/* Nothing to decode: the partition is not coloured. */
	}
}

/* No partition is coloured, so none may share another's memory. */
bool config_colours_disjoint(const struct partition_config *a, const struct partition_config *b)
{
	(void)a;
	(void)b;
	return false;
}

void config_validate_colours(struct config_ctx *c)
{
	(void)c;
}
