/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Interrupt specifiers of a device node, read the one way everything uses
 * (passthrough devices, the console, the timer): `interrupts` with the
 * node's interrupt parent, or `interrupts-extended` (a parent phandle
 * before each specifier, as R-Car's timer has), with the parent's
 * `#interrupt-cells`: 2 (x86's I/O APIC), 3 (a GIC) or 4 (a GIC whose
 * fourth cell names a PPI partition, RK3588).
 */
#ifndef BULKHEAD_DT_IRQ_H
#define BULKHEAD_DT_IRQ_H

#include <stdbool.h>
#include <stdint.h>

#include <bulkhead/error.h>

#define DT_IRQ_MAX_CELLS 4

struct dt_irq {
	int parent;  /* the interrupt controller's node */
	int cells;   /* its #interrupt-cells, 1 to DT_IRQ_MAX_CELLS */
	uint32_t spec[DT_IRQ_MAX_CELLS];
};

/* The interrupt controller @node's `interrupts` refer to: its own
 * `interrupt-parent` or the nearest ancestor's; -1 if none. */
int dt_interrupt_parent(const void *fdt, int node);

/* "interrupts-extended" if @node has it (it wins, as in Linux), else
 * "interrupts": the property to name in messages. */
const char *dt_irq_prop_name(const void *fdt, int node);

/*
 * Specifier @index of @node. BH_ERR_NOT_FOUND: no interrupts property or
 * fewer entries; BH_ERR_INVALID: the property does not divide into
 * specifiers of the parent's #interrupt-cells, a phandle names no node, or
 * the parent has no #interrupt-cells of 1 to 4 (the caller reports it,
 * naming dt_irq_prop_name()).
 */
enum bh_err dt_irq_get(const void *fdt, int node, int index, struct dt_irq *out);

/* True for a node compatible with any Arm GIC (v2 or v3). */
bool dt_is_gic(const void *fdt, int node);

/* A GIC specifier (parent a GIC, 3 or 4 cells) as an INTID: an SPI n is
 * 32 + n, a PPI n is 16 + n; 0 if the specifier is not one of these. */
uint32_t dt_irq_gic_intid(const void *fdt, const struct dt_irq *irq);

/* A GIC specifier's trigger: edge if either edge bit is set. */
bool dt_irq_gic_edge(const struct dt_irq *irq);

#endif
