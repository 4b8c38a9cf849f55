// SPDX-License-Identifier: Apache-2.0
/*
 * Decoding the DMA streams a partition owns at an IOMMU the hypervisor
 * drives (docs/smmu.md): a device's `iommus`, and the partition's
 * `pci-functions` through the host bridge's `iommu-map`. Built with the
 * SMMUv3 driver (SMMU=y, docs/building.md); core/config_streams_none.c
 * takes its place without it. Host bridges themselves: core/config_pci.c.
 */

#include <libfdt.h>

#include <bulkhead/arch.h>
#include <bulkhead/dt.h>

#include "config_internal.h"

/* An enabled IOMMU of a kind this port drives. */
bool config_is_iommu(const void *fdt, int node)
{
	if (!fdt_node_enabled(fdt, node))
		return false;
	for (const char *const *c = arch_iommu_compatibles; *c != NULL; c++) {
		if (dt_node_is_compatible(fdt, node, *c))
			return true;
	}
	return false;
}

/* IOMMUs a build may leave out (docs/building.md): a configuration that
 * needs one is refused naming the build option, rather than as a device
 * the hypervisor does not know. */
struct optional_iommu {
	const char *compatible;
	const char *option;
};

/* Which optional IOMMU @node is, when it is enabled and this build does
 * not drive it; NULL otherwise. */
static const struct optional_iommu *iommu_left_out(const void *fdt, int node)
{
	static const struct optional_iommu optional_iommus[] = {
		{"arm,smmu-v3", "SMMU"},
	};

	if (node < 0 || !fdt_node_enabled(fdt, node) || config_is_iommu(fdt, node))
		return NULL;
	for (size_t i = 0; i < sizeof(optional_iommus) / sizeof(optional_iommus[0]); i++) {
		if (dt_node_is_compatible(fdt, node, optional_iommus[i].compatible))
			return &optional_iommus[i];
	}
	return NULL;
}

/* Whether every stream of the bridge's `iommu-map` reaches an IOMMU the
 * hypervisor drives: then the bridge's DMA is translated. */
bool config_bridge_translated(const void *fdt, int bridge)
{
	int len;
	const fdt32_t *v = dt_getprop(fdt, bridge, "iommu-map", &len);

	if (v == NULL || len == 0 || len % 16 != 0)
		return false;
	for (int i = 0; i < len / 16; i++) {
		int iommu = dt_node_by_phandle(fdt, fdt32_to_cpu(v[4 * i + 1]));

		if (iommu < 0 || !config_is_iommu(fdt, iommu))
			return false;
	}
	return true;
}

static struct partition_stream *new_stream(struct config_ctx *c, int node, const char *prop,
					   struct partition_config *pc)
{
	if (pc->stream_count == MAX_PARTITION_STREAMS) {
		config_error(c, CFG_ERR_MALFORMED, node, prop, "more than %d DMA streams",
			     MAX_PARTITION_STREAMS);
		return NULL;
	}
	return &pc->streams[pc->stream_count++];
}

/* A device's own streams: `iommus` = (IOMMU phandle, stream ID) pairs. */
static void decode_device_streams(struct config_ctx *c, int node, struct partition_config *pc,
				  struct partition_device *d)
{
	char path[CONFIG_PATH_MAX];
	int len;
	const fdt32_t *v = dt_getprop(c->fdt, d->node, "iommus", &len);

	if (v == NULL)
		return;
	(void)config_node_path(c, d->node, path, sizeof(path));
	if (len == 0 || len % 8 != 0) {
		config_error(c, CFG_ERR_MALFORMED, node, "devices",
			     "%s: 'iommus' must be (IOMMU phandle, stream ID) pairs", path);
		return;
	}
	for (int i = 0; i < len / 8; i++) {
		int iommu = dt_node_by_phandle(c->fdt, fdt32_to_cpu(v[2 * i]));
		const struct optional_iommu *out = iommu_left_out(c->fdt, iommu);

		if (out != NULL) {
			config_error(c, CFG_ERR_NOT_BUILT, node, "devices",
				     "%s: 'iommus' entry %d: \"%s\": this build has no driver for it (%s=n)",
				     path, i, out->compatible, out->option);
			return;
		}
		if (iommu < 0 || !config_is_iommu(c->fdt, iommu) ||
		    config_u32_or(c->fdt, iommu, "#iommu-cells", 1) != 1u) {
			config_error(c, CFG_ERR_BAD_VALUE, node, "devices",
				     "%s: 'iommus' entry %d is not an enabled IOMMU the hypervisor "
				     "drives (with #iommu-cells = 1)", path, i);
			return;
		}
		struct partition_stream *s = new_stream(c, node, "devices", pc);

		if (s == NULL)
			return;
		*s = (struct partition_stream){iommu, fdt32_to_cpu(v[2 * i + 1]), d->node, -1, -1};
	}
	d->dma_translated = true;
}

/* `pci-functions` = (host bridge phandle, requester ID) pairs. */
static void decode_pci_functions(struct config_ctx *c, int node, struct partition_config *pc)
{
	unsigned int n;
	const fdt32_t *v = config_prop_list(c, node, "pci-functions", 2, MAX_PARTITION_STREAMS,
					    "(host bridge phandle, requester ID) pairs", &n);

	for (unsigned int i = 0; i < n; i++) {
		int bridge = dt_node_by_phandle(c->fdt, fdt32_to_cpu(v[2 * i]));
		uint32_t rid = fdt32_to_cpu(v[2 * i + 1]);
		bool owned = false;
		int iommu;
		uint32_t stream;

		for (unsigned int d = 0; d < pc->device_count; d++)
			owned = owned || (pc->devices[d].node == bridge && bridge >= 0);
		if (!owned || !config_is_pci_bridge(c->fdt, bridge)) {
			config_error(c, CFG_ERR_BAD_VALUE, node, "pci-functions",
				     "entry %u: not a PCI host bridge among the partition's devices", i);
			return;
		}
		int32_t devid = config_msi_devid(c->fdt, bridge, rid);

		/* Said beside a missing IOMMU driver, not instead of it: the
		 * user learns every option the function needs at once. */
		config_decode_msi(c, node, i, rid, devid);
		bool mapped = rid <= 0xffffU &&
			      config_map_rid(c->fdt, bridge, "iommu-map", "iommu-map-mask", rid, &iommu,
				      &stream) &&
			      iommu >= 0;
		const struct optional_iommu *out = mapped ? iommu_left_out(c->fdt, iommu) : NULL;

		if (out != NULL) {
			config_error(c, CFG_ERR_NOT_BUILT, node, "pci-functions",
				     "entry %u: requester ID 0x%x reaches an \"%s\": this build has no "
				     "driver for it (%s=n)", i, rid, out->compatible, out->option);
			return;
		}
		if (!mapped || !config_is_iommu(c->fdt, iommu)) {
			config_error(c, CFG_ERR_BAD_VALUE, node, "pci-functions",
				     "entry %u: requester ID 0x%x does not reach an IOMMU the hypervisor "
				     "drives through the bridge's 'iommu-map'", i, rid);
			return;
		}
		for (unsigned int s = 0; s < pc->stream_count; s++) {
			if (pc->streams[s].iommu == iommu && pc->streams[s].id == stream) {
				config_error(c, CFG_ERR_BAD_VALUE, node, "pci-functions",
					     "entry %u: requester ID 0x%x is listed twice", i, rid);
				return;
			}
		}
		struct partition_stream *s = new_stream(c, node, "pci-functions", pc);

		if (s == NULL)
			return;
		*s = (struct partition_stream){iommu, stream, bridge, (int32_t)rid, devid};
	}
}

void config_decode_streams(struct config_ctx *c, int node, struct partition_config *pc)
{
	for (unsigned int d = 0; d < pc->device_count; d++)
		decode_device_streams(c, node, pc, &pc->devices[d]);
	decode_pci_functions(c, node, pc);
}
