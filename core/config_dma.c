// SPDX-License-Identifier: Apache-2.0
/*
 * Decoding what a partition's DMA masters need (docs/smmu.md): PCI host
 * bridges passed whole (their windows and legacy interrupts), and the DMA
 * streams the partition owns at an IOMMU the hypervisor drives, from a
 * device's `iommus` or from the partition's `pci-functions` through the
 * bridge's `iommu-map`.
 */

#include <string.h>

#include <libfdt.h>

#include <bulkhead/arch.h>
#include <bulkhead/dt.h>
#include <bulkhead/dt_irq.h>
#include <bulkhead/platform.h>
#include <bulkhead/table_carve.h>

#include "config_internal.h"

/* An interrupt-map entry's child side: PCI unit address (3) + INTx (1). */
#define PCI_ADDRESS_CELLS 3
#define PCI_INTERRUPT_CELLS 1

static uint32_t cell(const fdt32_t *v, int i)
{
	return fdt32_to_cpu(v[i]);
}

bool config_is_pci_bridge(const void *fdt, int node)
{
	int len;
	const char *type = dt_getprop(fdt, node, "device_type", &len);

	return type != NULL && len == 4 && memcmp(type, "pci", 4) == 0;
}

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

/* The bridge's windows (`ranges`: PCI address, CPU address, size), after
 * its own `reg`, translated to CPU addresses like any reg. */
static void decode_windows(struct config_ctx *c, int node, int bridge, struct partition_device *d,
			   const char *path)
{
	int len;
	const fdt32_t *v = dt_getprop(c->fdt, bridge, "ranges", &len);
	int parent = dt_parent_offset(c->fdt, bridge);
	int pac = parent >= 0 ? (int)config_u32_or(c->fdt, parent, "#address-cells", 2) : 2;
	int sc = (int)config_u32_or(c->fdt, bridge, "#size-cells", 2);
	int entry = PCI_ADDRESS_CELLS + pac + sc;

	if (v == NULL || len == 0)
		return;
	if (pac < 1 || pac > 2 || sc < 1 || sc > 2 || len % (4 * entry) != 0) {
		config_error(c, CFG_ERR_MALFORMED, node, "devices", "%s: malformed 'ranges'", path);
		return;
	}
	for (int i = 0; i < len / (4 * entry); i++) {
		const fdt32_t *e = v + i * entry + PCI_ADDRESS_CELLS;
		struct mem_range r = {cell(e, 0), cell(e, pac)};

		if (pac == 2)
			r.base = r.base << 32 | cell(e, 1);
		if (sc == 2)
			r.size = r.size << 32 | cell(e, pac + 1);
		if (d->reg_count == MAX_DEVICE_REGS) {
			config_error(c, CFG_ERR_MALFORMED, node, "devices",
				     "%s: its reg and windows are more than %d ranges", path,
				     MAX_DEVICE_REGS);
			return;
		}
		if (r.size == 0 || r.base + r.size < r.base ||
		    fdt_reg_to_cpu(c->fdt, bridge, &r) != BH_OK) {
			config_error(c, CFG_ERR_MALFORMED, node, "devices",
				     "%s: window %d of 'ranges' is empty or not a CPU address", path, i);
			return;
		}
		d->regs[d->reg_count++] = r;
		d->window_count++;
	}
}

static void add_irq(struct partition_device *d, uint32_t intid, bool edge)
{
	for (unsigned int i = 0; i < d->irq_count; i++) {
		if (d->irqs[i] == intid)
			return;
	}
	if (edge)
		d->irq_edge |= 1u << d->irq_count;
	d->irqs[d->irq_count++] = intid;
}

/* The GIC SPIs the bridge's legacy interrupts (INTA-INTD) are wired to. */
static void decode_interrupt_map(struct config_ctx *c, int node, int bridge,
				 struct partition_device *d, const char *path)
{
	int len;
	const fdt32_t *v = dt_getprop(c->fdt, bridge, "interrupt-map", &len);
	const int child = PCI_ADDRESS_CELLS + PCI_INTERRUPT_CELLS;
	int at = 0, n = v != NULL ? len / 4 : 0;
	const char *wrong = NULL;

	while (at < n && wrong == NULL) {
		int gic = at + child < n ? dt_node_by_phandle(c->fdt, cell(v, at + child)) : -1;

		if (gic < 0 || !dt_is_gic(c->fdt, gic)) {
			wrong = "leads to something other than the GIC";
			continue;
		}
		at += child + 1 + (int)config_u32_or(c->fdt, gic, "#address-cells", 0);
		if (at + 3 > n)
			wrong = "is malformed";
		else if (cell(v, at) != 0 || cell(v, at + 1) > 987)
			wrong = "names an interrupt that is not an SPI";
		else if (d->irq_count == MAX_DEVICE_IRQS)
			wrong = "leads to more interrupts than a device may have (8)";
		else
			add_irq(d, cell(v, at + 1) + 32,
				(cell(v, at + 2) & DT_IRQ_TYPE_EDGE_BOTH) != 0);
		at += 3;
	}
	if (wrong != NULL)
		config_error(c, CFG_ERR_BAD_VALUE, node, "devices", "%s: 'interrupt-map' %s", path,
			     wrong);
}

/* PCI requester ID @rid through the bridge's @map (`iommu-map`, `msi-map`:
 * entries of rid-base, phandle, base, length; @rid masked by @map's
 * `-mask` property): false if no entry covers it, else the node the
 * entry's phandle names (negative: none) and the ID there. */
static bool map_rid(const void *fdt, int bridge, const char *map, const char *mask, uint32_t rid,
		    int *node, uint32_t *id)
{
	int len;
	const fdt32_t *v = dt_getprop(fdt, bridge, map, &len);
	const uint32_t r = rid & config_u32_or(fdt, bridge, mask, 0xffffffffu);

	if (v == NULL || len % 16 != 0)
		return false;
	for (int i = 0; i < len / 16; i++) {
		const fdt32_t *e = v + 4 * i;

		if (r >= cell(e, 0) && r - cell(e, 0) < cell(e, 3)) {
			*node = dt_node_by_phandle(fdt, cell(e, 1));
			*id = cell(e, 2) + (r - cell(e, 0));
			return true;
		}
	}
	return false;
}

/* The DeviceID requester ID @rid has at a GICv3 ITS through the bridge's
 * `msi-map`, or -1: no map, or it leads elsewhere (a GICv2m frame has no
 * DeviceIDs). */
static int32_t msi_devid(const void *fdt, int bridge, uint32_t rid)
{
	int its;
	uint32_t devid;

	if (!map_rid(fdt, bridge, "msi-map", "msi-map-mask", rid, &its, &devid) || its < 0 ||
	    !dt_node_is_compatible(fdt, its, "arm,gic-v3-its") || !fdt_node_enabled(fdt, its) ||
	    devid > LPI_MAX_DEVID)
		return -1;
	return (int32_t)devid;
}

/* Whether every stream of the bridge's `iommu-map` reaches an IOMMU the
 * hypervisor drives: then the bridge's DMA is translated. */
static bool bridge_translated(const void *fdt, int bridge)
{
	int len;
	const fdt32_t *v = dt_getprop(fdt, bridge, "iommu-map", &len);

	if (v == NULL || len == 0 || len % 16 != 0)
		return false;
	for (int i = 0; i < len / 16; i++) {
		int iommu = dt_node_by_phandle(fdt, cell(v, 4 * i + 1));

		if (iommu < 0 || !config_is_iommu(fdt, iommu))
			return false;
	}
	return true;
}

void config_decode_bridge(struct config_ctx *c, int node, int bridge, struct partition_device *d,
			  const char *path)
{
	if (!config_is_pci_bridge(c->fdt, bridge))
		return;
	decode_windows(c, node, bridge, d, path);
	if (dt_getprop(c->fdt, bridge, "interrupts", NULL) == NULL)
		decode_interrupt_map(c, node, bridge, d, path);
	d->dma_translated = bridge_translated(c->fdt, bridge);
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
		int iommu = dt_node_by_phandle(c->fdt, cell(v, 2 * i));
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
		*s = (struct partition_stream){iommu, cell(v, 2 * i + 1), d->node, -1, -1};
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
		int32_t devid = msi_devid(c->fdt, bridge, rid);

		/* Said beside a missing IOMMU driver, not instead of it: the
		 * user learns every option the function needs at once. */
		config_decode_msi(c, node, i, rid, devid);
		bool mapped = rid <= 0xffffU &&
			      map_rid(c->fdt, bridge, "iommu-map", "iommu-map-mask", rid, &iommu,
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

/* A device's `bulkhead,pci-function` = <requester ID>: its configuration
 * space and MSI are the partition's (docs/x86.md, "PCI devices"). */
void config_decode_pci_function(struct config_ctx *c, int node, int dev, struct partition_device *d,
				const char *path)
{
	int len;
	const fdt32_t *v = fdt_getprop(c->fdt, dev, "bulkhead,pci-function", &len);

	if (v == NULL)
		return;
	if (!c->p->pci_functions) {
		config_error(c, CFG_ERR_BAD_VALUE, node, "devices",
			     "%s: 'bulkhead,pci-function': this port does not pass PCI configuration "
			     "space or MSI to partitions", path);
		return;
	}
	if (len != 4 || cell(v, 0) > 0xffffU) {
		config_error(c, CFG_ERR_MALFORMED, node, "devices",
			     "%s: 'bulkhead,pci-function' must be one requester ID (bus << 8 | "
			     "device << 3 | function, at most 0xffff)", path);
		return;
	}
	d->pci_function = true;
	d->pci_rid = (uint16_t)cell(v, 0);
}
