// SPDX-License-Identifier: Apache-2.0
/*
 * PCI host bridges passed whole, in a partition's device tree: their
 * windows at the CPU addresses the configuration translated, their legacy
 * interrupts and MSI routed to the guest's GIC and virtual ITS. Built with
 * PCI=y (docs/building.md); core/pci_none.c has no-ops in its place, as
 * no partition then owns a bridge.
 */

#include <string.h>

#include <libfdt.h>

#include <bulkhead/compiler.h>
#include <bulkhead/dt.h>

#include "guest_dt_writer.h"

/*
 * A PCI host bridge's `interrupt-map` for the guest: the same entries with
 * the guest GIC's phandle and without a parent unit address (the virtual
 * GIC has no #address-cells). The configuration checked that every entry
 * leads to the GIC.
 */
#define IMAP_CHILD 4      /* PCI unit address (3) and pin (1) */
#define IMAP_PARENT_IRQ 3 /* the GIC's interrupt specifier */
#define IMAP_MAX_ENTRIES 32

static void add_interrupt_map(struct writer *w, const void *sys, int node)
{
	int len;
	const fdt32_t *v = dt_getprop(sys, node, "interrupt-map", &len);
	fdt32_t out[IMAP_MAX_ENTRIES * (IMAP_CHILD + 1 + IMAP_PARENT_IRQ)];
	int at = 0, n = v != NULL ? len / 4 : 0, used = 0;

	while (at + IMAP_CHILD + 1 <= n && used + IMAP_CHILD + 1 + IMAP_PARENT_IRQ <= (int)ARRAY_SIZE(out)) {
		int gic = dt_node_by_phandle(sys, fdt32_to_cpu(v[at + IMAP_CHILD]));
		const fdt32_t *ac = gic >= 0 ? dt_getprop(sys, gic, "#address-cells", NULL) : NULL;
		int skip = ac != NULL ? (int)fdt32_to_cpu(*ac) : 0;

		if (at + IMAP_CHILD + 1 + skip + IMAP_PARENT_IRQ > n)
			break;
		memcpy(&out[used], &v[at], IMAP_CHILD * sizeof(fdt32_t));
		out[used + IMAP_CHILD] = cpu_to_fdt32(PHANDLE_GIC);
		memcpy(&out[used + IMAP_CHILD + 1], &v[at + IMAP_CHILD + 1 + skip], IMAP_PARENT_IRQ * sizeof(fdt32_t));
		used += IMAP_CHILD + 1 + IMAP_PARENT_IRQ;
		at += IMAP_CHILD + 1 + skip + IMAP_PARENT_IRQ;
	}
	if (used != 0)
		prop(w, "interrupt-map", out, used * (int)sizeof(fdt32_t));
}

/* A PCI host bridge's `ranges` for the guest, at its root (two address
 * cells): each window's PCI address as it was, its CPU address as
 * translated (the bridge may sit on a bus in the system DT), its size. */
void guest_dt_bridge_ranges(struct writer *w, const void *sys, const struct partition_device *dev)
{
	int len;
	const fdt32_t *v = dt_getprop(sys, dev->node, "ranges", &len);
	fdt32_t out[MAX_DEVICE_REGS * 7];
	unsigned int first = dev->reg_count - dev->window_count;
	int entry;

	if (dev->window_count == 0 || v == NULL)
		return;
	entry = len / 4 / (int)dev->window_count;
	for (unsigned int i = 0; i < dev->window_count; i++) {
		const struct mem_range *r = &dev->regs[first + i];
		fdt32_t *o = &out[7 * i];

		memcpy(o, &v[(int)i * entry], 3 * sizeof(fdt32_t));
		o[3] = cpu_to_fdt32((uint32_t)(r->base >> 32));
		o[4] = cpu_to_fdt32((uint32_t)r->base);
		o[5] = cpu_to_fdt32((uint32_t)(r->size >> 32));
		o[6] = cpu_to_fdt32((uint32_t)r->size);
	}
	prop(w, "ranges", out, (int)(7 * dev->window_count * sizeof(fdt32_t)));
}

/* A host bridge's `msi-map` for the guest: only its own functions, one
 * entry each, to the virtual ITS with the DeviceID the physical ITS knows
 * them by (the virtual ITS accepts no other). */
static void add_msi_map(struct writer *w, const struct partition_config *cfg, int bridge)
{
	fdt32_t out[MAX_PARTITION_STREAMS * 4];
	int used = 0;

	for (unsigned int s = 0; s < cfg->stream_count; s++) {
		const struct partition_stream *st = &cfg->streams[s];

		if (st->master != bridge || st->its_devid < 0 || st->pci_rid < 0)
			continue;
		out[used] = cpu_to_fdt32((uint32_t)st->pci_rid);
		out[used + 1] = cpu_to_fdt32(PHANDLE_ITS);
		out[used + 2] = cpu_to_fdt32((uint32_t)st->its_devid);
		out[used + 3] = cpu_to_fdt32(1);
		used += 4;
	}
	if (used != 0)
		prop(w, "msi-map", out, used * (int)sizeof(fdt32_t));
}

void guest_dt_bridge_maps(struct writer *w, const void *sys, const struct partition_config *cfg,
			  int node)
{
	add_interrupt_map(w, sys, node);
	if (w->sys_has_gic)
		add_msi_map(w, cfg, node);
}
