// SPDX-License-Identifier: Apache-2.0
/*
 * The SMMUv3 driver left out of the build (SMMU=n, docs/building.md):
 * replaces smmuv3.c and smmuv3_tables.c. The configuration refuses any DMA
 * stream (core/config_dma.c: an IOMMU this build does not drive, naming the
 * option), so no partition ever has one to assign; an SMMU on the machine
 * is left as the firmware set it, and said so.
 */

#include <libfdt.h>

#include <bulkhead/arch.h>
#include <bulkhead/console.h>
#include <bulkhead/dt.h>
#include <bulkhead/platform.h>

#include <arch/smmuv3.h>

const char *const arch_iommu_compatibles[] = {NULL};

enum bh_err smmuv3_probe(const void *fdt)
{
	for (int node = dt_node_by_compatible(fdt, -1, "arm,smmu-v3"); node >= 0;
	     node = dt_node_by_compatible(fdt, node, "arm,smmu-v3")) {
		if (fdt_node_enabled(fdt, node))
			log_printf("smmu: %s not driven: this build has no SMMUv3 driver (SMMU=n)\n",
				   fdt_get_name(fdt, node, NULL));
	}
	return BH_OK;
}

enum bh_err smmuv3_assign(struct partition *part, const struct partition_stream *s)
{
	(void)part;
	(void)s;
	return BH_ERR_UNSUPPORTED;
}

enum bh_err smmuv3_enable(const struct platform *p, int spare)
{
	(void)p;
	(void)spare;
	return BH_OK;
}

void smmuv3_interrupt(unsigned int intid)
{
	(void)intid;
}
