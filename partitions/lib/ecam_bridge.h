/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A partition that owns QEMU virt's PCIe host bridge (pci-host-ecam-generic
 * in its DT): its ECAM and 32-bit memory window, and BAR 0 placement in
 * that window. Shared by the tests that enumerate the bus themselves
 * (dma.c, msi.c); each has its own copy of this state.
 */
#ifndef PARTITIONS_LIB_ECAM_BRIDGE_H
#define PARTITIONS_LIB_ECAM_BRIDGE_H

#include <stdint.h>

#include <libfdt.h>

#include "rt.h"

#define PCI_COMMAND 0x04
#define PCI_COMMAND_MEMORY 0x2
#define PCI_COMMAND_MASTER 0x4
#define PCI_BAR0 0x10

static uint64_t ecam;
static uint64_t window, window_end; /* the bridge's 32-bit memory window */

static volatile uint32_t *config(unsigned int devfn, unsigned int offset)
{
	return (volatile uint32_t *)(uintptr_t)(ecam + ((uint64_t)devfn << 12) + offset);
}

static uint64_t reg64(const fdt32_t *v)
{
	return (uint64_t)fdt32_to_cpu(v[0]) << 32 | fdt32_to_cpu(v[1]);
}

/* ECAM and the 32-bit memory window, from the bridge node in our DT: the
 * node, or -1 if there is none; window stays 0 if it has no such window. */
static int ecam_find_bridge(void)
{
	int node = fdt_node_offset_by_compatible(rt_fdt, -1, "pci-host-ecam-generic");
	int len;
	const fdt32_t *reg = node >= 0 ? fdt_getprop(rt_fdt, node, "reg", NULL) : NULL;
	const fdt32_t *ranges = node >= 0 ? fdt_getprop(rt_fdt, node, "ranges", &len) : NULL;

	if (reg == NULL || ranges == NULL)
		return -1;
	ecam = reg64(reg);
	for (int i = 0; i < len / 28; i++) {
		const fdt32_t *e = ranges + 7 * i;

		if ((fdt32_to_cpu(e[0]) >> 24 & 3) == 2) { /* 32-bit memory space */
			window = reg64(e + 3);
			window_end = window + reg64(e + 5);
		}
	}
	return node;
}

/* Function @devfn's BAR 0 placed at the next free place of the window, and
 * bus mastering on; 0 if the window is full. */
static uint64_t assign_bar0(unsigned int devfn, uint64_t *next)
{
	*config(devfn, PCI_BAR0) = 0xffffffffu;
	uint64_t size = (~(uint64_t)(*config(devfn, PCI_BAR0) & ~0xfu) + 1) & 0xffffffffu;
	uint64_t at = (*next + size - 1) & ~(size - 1);

	if (at + size > window_end)
		return 0;
	*config(devfn, PCI_BAR0) = (uint32_t)at;
	*config(devfn, PCI_COMMAND) |= PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
	*next = at + size;
	return at;
}

#endif
