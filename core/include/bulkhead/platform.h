/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The machine as described by the device tree handed to the hypervisor:
 * RAM, CPUs and console (parsed by core), interrupt controller, firmware
 * interface and timer (parsed by the arch into p->arch).
 */
#ifndef BULKHEAD_PLATFORM_H
#define BULKHEAD_PLATFORM_H

#include <stdbool.h>
#include <stdint.h>

#include <arch/types.h>
#include <bulkhead/config.h>
#include <bulkhead/error.h>

struct mem_range {
	uint64_t base;
	uint64_t size;
};

struct platform_cpu {
	uint64_t hwid; /* the `reg` of the /cpus node */
	int node;      /* DT offset of the cpu node */
};

struct platform {
	struct mem_range ram[MAX_RAM_REGIONS];
	unsigned int ram_count;
	uint64_t ram_total;

	/* cpus[0] is always the CPU that booted the hypervisor. */
	struct platform_cpu cpus[MAX_CPUS];
	unsigned int cpu_count;

	/* The hypervisor's console UART: kept by the hypervisor, and the
	 * guest-physical address of every partition's virtual UART. */
	int console_node;
	struct mem_range console;
	/* Its interrupt (GIC INTID of an SPI), 0 if the DT gives none: the
	 * hypervisor takes console input on it, and each partition's virtual
	 * UART raises the same INTID in the partition's virtual GIC. */
	uint32_t console_irq;
	bool console_io; /* console.base is an I/O port, not an address */

	/* A vCPU starts at an entry point, and is handed a device tree, below
	 * this guest-physical address (x86: 4 GiB, it starts in 32-bit mode);
	 * 0: anywhere. Set by arch_platform_parse. */
	uint64_t vcpu_start_limit;

	/* What a channel's doorbell-intids may name: the range, and what it is
	 * in an error ("an SPI" of the virtual GIC by default; x86 sets local
	 * APIC vectors). Set by platform_parse, changed by arch_platform_parse. */
	uint32_t doorbell_first;
	uint32_t doorbell_last;
	const char *doorbell_kind;

	/* The port cannot colour partitions' memory (x86 for now:
	 * docs/colouring.md): `bulkhead,colours` is refused. */
	bool no_colouring;

	/* The port passes a PCI function's configuration space (through
	 * ports 0xcf8/0xcfc) and its MSI to a partition (x86: docs/x86.md):
	 * `bulkhead,pci-function` on a device is refused elsewhere. */
	bool pci_functions;

	/* The Arm performance monitors (PMU): their DT node (-1: none) and the
	 * INTID of their overflow interrupt when it is a PPI, which goes with
	 * each CPU's own PMU (0: none, or per-CPU SPIs). A partition with
	 * `pmu` owns its CPUs' PMU and gets this PPI (docs/bindings). */
	int pmu_node;
	uint32_t pmu_irq;

	struct platform_arch arch;
};

/* What differs for x86 guests (set by the x86 port, and by bulkhead-check
 * for a DT with local APICs): vCPUs start below 4 GiB, in 32-bit mode;
 * doorbells are local APIC vectors 0x38-0xef (below, the exceptions and the
 * partition's device pins; above, vectors guests keep for themselves). */
void platform_x86_guests(struct platform *p);

/*
 * Read /memory and /cpus from @fdt. @boot_hwid is the hardware ID of the
 * calling CPU, which becomes logical CPU 0. Every problem is logged with the
 * node path and property before the error is returned.
 */
enum bh_err platform_parse(const void *fdt, uint64_t boot_hwid, struct platform *p);

/* Record @node of @fdt (-1: none) as the console the hypervisor keeps. */
enum bh_err platform_set_console(const void *fdt, int node, struct platform *p);

/*
 * Where each partition's virtual UART sits: an emulated PL011 over the
 * pages of the console's registers (arm64), whatever UART the console is,
 * those pages being no partition's; on x86, the console's I/O ports, where
 * partitions see a 16550.
 */
struct mem_range platform_vuart_window(const struct platform *p);

/* True when @node's `reg` is a range of I/O ports (x86), not addresses:
 * its parent bus node has the `bulkhead,io-ports` property. */
bool fdt_node_in_io_space(const void *fdt, int node);

/* Read a (#address-cells, #size-cells)-encoded value; cells is 1 or 2. */
uint64_t fdt_read_cells(const void *cell_ptr, int cells);

/* Read `reg` entry @index of @node using its parent's cell sizes. */
enum bh_err fdt_node_reg(const void *fdt, int node, int index, struct mem_range *out);

/*
 * Translate @r, read from @node's `reg`, through the `ranges` of every bus
 * above it into a CPU address. BH_ERR_NOT_FOUND: a bus has no `ranges` (its
 * children are not memory-mapped) or none of its ranges holds all of @r;
 * BH_ERR_INVALID: a malformed `ranges`. @r is changed only on success.
 */
enum bh_err fdt_reg_to_cpu(const void *fdt, int node, struct mem_range *r);

/* Full path of @node into @buf for error messages ("?" if unknown). */
const char *fdt_path_or_unknown(const void *fdt, int node, char *buf, int len);

/* A node without `status`, or with "okay" or "ok": there for this world. */
bool fdt_node_enabled(const void *fdt, int node);

/* "error: <node path>: property '<prop>': <what>" on the console. */
void log_prop_error(const void *fdt, int node, const char *prop, const char *what);

/* The trigger bits of a GIC interrupt specifier's flags cell: edge if any. */
#define DT_IRQ_TYPE_EDGE_BOTH 0x3

#endif
