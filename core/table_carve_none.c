// SPDX-License-Identifier: Apache-2.0
/*
 * Both users of the boot's carve of free RAM left out of the build
 * (COLOUR=n and ITS=n, docs/building.md): replaces core/table_carve.c.
 * The configuration refuses coloured partitions, a coloured hypervisor
 * (core/colour_none.c) and PCI functions with MSI (core/config_dma.c), so
 * nothing needs tables beyond the image's own pool: nothing is carved,
 * as table_carve.c carves nothing for such a system.
 */

#include <bulkhead/compiler.h>
#include <bulkhead/table_carve.h>

uint64_t table_pages_coloured(const struct partition_config *pc)
{
	(void)pc;
	return 0;
}

uint64_t hyp_colour_table_pages(const struct mem_range *span)
{
	(void)span;
	return 0;
}

uint64_t table_carve_pages(const struct system_config *sys)
{
	(void)sys;
	return 0;
}

enum bh_err hyp_span_carve(const struct table_carve_in *in, struct mem_range *out)
{
	(void)in;
	*out = (struct mem_range){0, 0};
	return BH_OK;
}

enum bh_err table_carve(const struct table_carve_in *in, struct mem_range *out)
{
	(void)in;
	*out = (struct mem_range){0, 0};
	return BH_OK;
}
