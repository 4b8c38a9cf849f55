// SPDX-License-Identifier: Apache-2.0
/*
 * x86_msi_latency for make bench (tests/bench.py, under QEMU -icount
 * shift=0, where the TSC counts virtual nanoseconds and so instructions):
 * from the write that makes QEMU's edu raise its MSI to the guest
 * handler's first read of the TSC. The message goes to the hypervisor's
 * vector on this vCPU's CPU (an exit), which raises the guest's vector in
 * its local APIC (arch/x86/vpci.c). Reported less the cost of reading the
 * TSC; every raise must be taken once.
 */

#include <libfdt.h>

#include "../../bench/bench_stats.h"
#include "bench_empty.h"
#include "pcicfg.h"
#include "rt.h"

#define SAMPLES 200
#define VECTOR 0x45u
#define EDU_RAISE 0x60

static int64_t samples[SAMPLES];
static volatile uint64_t taken_at;
static volatile unsigned int taken;

static void on_vector(unsigned int vector)
{
	if (vector == VECTOR) {
		taken_at = rt_counter();
		taken++;
	}
}

int main(void)
{
	int node = fdt_node_offset_by_compatible(rt_fdt, -1, "qemu,edu");
	const fdt32_t *reg = node >= 0 ? fdt_getprop(rt_fdt, node, "reg", NULL) : NULL;
	const fdt32_t *fn = node >= 0 ? fdt_getprop(rt_fdt, node, "bulkhead,pci-function", NULL)
				      : NULL;

	if (reg == NULL || fn == NULL) {
		printf("msibench: no edu PCI function in my device tree\n");
		return 1;
	}
	volatile uint32_t *edu = (volatile uint32_t *)(uintptr_t)(
		(uint64_t)fdt32_to_cpu(reg[0]) << 32 | fdt32_to_cpu(reg[1]));
	uint16_t rid = (uint16_t)fdt32_to_cpu(*fn);
	unsigned int cap = pci_find_msi(rid);
	int64_t empty = bench_tsc_empty_cost(samples, SAMPLES);

	rt_set_lapic_handler(on_vector);
	pci_write(rid, PCI_COMMAND, pci_read(rid, PCI_COMMAND) | PCI_COMMAND_MEMORY |
				    PCI_COMMAND_MASTER);
	if (cap == 0u || (pci_msi_program(rid, cap, 0xfee00000u, VECTOR, 1) & MSI_CONTROL_ENABLE) == 0u) {
		printf("msibench: MSI not enabled\n");
		return 1;
	}
	rt_irq_enable();
	for (unsigned int i = 0; i < SAMPLES; i++) {
		taken_at = 0;
		uint64_t start = rt_counter();

		edu[EDU_RAISE / 4] = 1;
		while (taken_at == 0)
			rt_wait_event();
		samples[i] = (int64_t)(taken_at - start);
	}
	rt_irq_disable();
	printf("msibench: %u raised, %u taken\n", SAMPLES, taken);
	bench_report("msibench", "msi_latency", samples, SAMPLES, empty);
	return 0;
}
