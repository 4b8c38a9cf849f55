// SPDX-License-Identifier: Apache-2.0
/*
 * What a PCI host bridge is, and a requester ID through its maps
 * (`msi-map`, `iommu-map`). Built with every option: a build without PCI
 * passthrough or the SMMUv3 driver still walks the `msi-map` of a
 * `pci-functions` entry it refuses, so that one run names every option
 * the function needs (the ITS's too, core/vits_none.c), and
 * core/pci_none.c refuses a bridge as one.
 */

#include <string.h>

#include <libfdt.h>

#include <bulkhead/compiler.h>
#include <bulkhead/dt.h>
#include <bulkhead/table_carve.h>

#include "config_internal.h"

bool config_is_pci_bridge(const void *fdt, int node)
{
	int len;
	const char *type = dt_getprop(fdt, node, "device_type", &len);

	return type != NULL && len == 4 && memcmp(type, "pci", 4) == 0;
}

/* PCI requester ID @rid through the bridge's @map (`iommu-map`, `msi-map`:
 * entries of rid-base, phandle, base, length; @rid masked by @map's
 * `-mask` property): false if no entry covers it, else the node the
 * entry's phandle names (negative: none) and the ID there. */
bool config_map_rid(const void *fdt, int bridge, const char *map, const char *mask, uint32_t rid,
		    int *node, uint32_t *id)
{
	int len;
	const fdt32_t *v = dt_getprop(fdt, bridge, map, &len);
	const uint32_t r = rid & config_u32_or(fdt, bridge, mask, 0xffffffffu);

	if (v == NULL || len % 16 != 0)
		return false;
	for (int i = 0; i < len / 16; i++) {
		const fdt32_t *e = v + 4 * i;

		if (r >= fdt32_to_cpu(e[0]) && r - fdt32_to_cpu(e[0]) < fdt32_to_cpu(e[3])) {
			*node = dt_node_by_phandle(fdt, fdt32_to_cpu(e[1]));
			*id = fdt32_to_cpu(e[2]) + (r - fdt32_to_cpu(e[0]));
			return true;
		}
	}
	return false;
}

/* The DeviceID requester ID @rid has at a GICv3 ITS through the bridge's
 * `msi-map`, or -1: no map, or it leads elsewhere (a GICv2m frame has no
 * DeviceIDs). */
int32_t config_msi_devid(const void *fdt, int bridge, uint32_t rid)
{
	int its;
	uint32_t devid;

	if (!config_map_rid(fdt, bridge, "msi-map", "msi-map-mask", rid, &its, &devid) || its < 0 ||
	    !dt_node_is_compatible(fdt, its, "arm,gic-v3-its") || !fdt_node_enabled(fdt, its) ||
	    devid > LPI_MAX_DEVID)
		return -1;
	return (int32_t)devid;
}
