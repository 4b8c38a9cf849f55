// SPDX-License-Identifier: Apache-2.0
/*
 * DMA streams left out of the build with the SMMUv3 driver (SMMU=n,
 * docs/building.md): replaces core/config_streams.c. No IOMMU is driven
 * (arch_iommu_compatibles is empty on both ports then), so a device's
 * `iommus` and every `pci-functions` entry, which would only be accepted
 * at one, are refused naming the option: a partition's DMA never runs
 * untranslated because the build lacks the driver. No partition has a
 * stream, so none is assigned (arch/arm64/smmuv3_none.c).
 */

#include <libfdt.h>

#include <bulkhead/compiler.h>
#include <bulkhead/dt.h>

#include "config_internal.h"

bool config_is_iommu(const void *fdt, int node)
{
	(void)fdt;
	(void)node;
	return false;
}

bool config_bridge_translated(const void *fdt, int bridge)
{
	(void)fdt;
	(void)bridge;
	return false;
}

void config_decode_streams(struct config_ctx *c, int node, struct partition_config *pc)
{
	char path[CONFIG_PATH_MAX];
	unsigned int n;

	for (unsigned int d = 0; d < pc->device_count; d++) {
		if (dt_getprop(c->fdt, pc->devices[d].node, "iommus", NULL) != NULL)
			config_error(c, CFG_ERR_NOT_BUILT, node, "devices",
				     "%s: 'iommus': this build drives no IOMMU (SMMU=n)",
				     config_node_path(c, pc->devices[d].node, path, sizeof(path)));
	}
	const fdt32_t *v = config_prop_list(c, node, "pci-functions", 2, MAX_PARTITION_STREAMS,
					    "(host bridge phandle, requester ID) pairs", &n);

	for (unsigned int i = 0; i < n; i++) {
		int bridge = dt_node_by_phandle(c->fdt, fdt32_to_cpu(v[2 * i]));
		uint32_t rid = fdt32_to_cpu(v[2 * i + 1]);

		/* The function's MSI too (core/vits_none.c, when ITS=n): one
		 * run names every option the function needs. */
		config_decode_msi(c, node, i, rid,
				  bridge >= 0 ? config_msi_devid(c->fdt, bridge, rid) : -1);
		config_error(c, CFG_ERR_NOT_BUILT, node, "pci-functions",
			     "entry %u: requester ID 0x%x: this build drives no IOMMU (SMMU=n)", i,
			     (unsigned int)rid);
	}
}
