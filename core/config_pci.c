// SPDX-License-Identifier: Apache-2.0
/*
 * Decoding what a partition's PCI host bridges need (docs/smmu.md): the
 * windows and legacy interrupts of a bridge passed whole, and x86's
 * `bulkhead,pci-function`. Built with PCI=y (docs/building.md;
 * core/pci_none.c refuses them without it). The DMA streams themselves
 * are core/config_streams.c's, built only with the SMMUv3 driver.
 */

#include <libfdt.h>

#include <bulkhead/compiler.h>
#include <bulkhead/dt.h>
#include <bulkhead/dt_irq.h>
#include <bulkhead/platform.h>

#include "config_internal.h"

/* An interrupt-map entry's child side: PCI unit address (3) + INTx (1). */
#define PCI_ADDRESS_CELLS 3
#define PCI_INTERRUPT_CELLS 1

static uint32_t cell(const fdt32_t *v, int i)
{
	return fdt32_to_cpu(v[i]);
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

void config_decode_bridge(struct config_ctx *c, int node, int bridge, struct partition_device *d,
			  const char *path)
{
	if (!config_is_pci_bridge(c->fdt, bridge))
		return;
	decode_windows(c, node, bridge, d, path);
	if (dt_getprop(c->fdt, bridge, "interrupts", NULL) == NULL)
		decode_interrupt_map(c, node, bridge, d, path);
	d->dma_translated = config_bridge_translated(c->fdt, bridge);
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
