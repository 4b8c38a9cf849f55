// SPDX-License-Identifier: Apache-2.0
/*
 * x86_msix_latency for make bench (tests/bench.py, under QEMU -icount
 * shift=0, where the TSC counts virtual nanoseconds and so instructions):
 * from the write of e1000e's interrupt cause set register (ICS, its BAR0,
 * mapped) to the guest handler's first read of the TSC, the cause routed
 * to MSI-X table entry 0 (vCPU 0). The message goes to the entry's
 * hypervisor vector on this vCPU's CPU (an exit), which raises the guest's
 * vector in its local APIC (arch/x86/vmsix.c). Reported less the cost of
 * reading the TSC; every raise must be taken once. Raises are 250 us
 * apart, outside the measurement: the device throttles (pcimsix.c).
 */

#include <libfdt.h>

#include "../../bench/bench_stats.h"
#include "bench_empty.h"
#include "pcicfg.h"
#include "rt.h"

#define SAMPLES 200
#define VECTOR 0x45u
#define E1000_ICS 0xc8u
#define E1000_IMS 0xd0u
#define E1000_EIAC 0xdcu
#define E1000_IVAR 0xe4u
#define CAUSE_RXQ0 (1u << 20)
#define IVAR_VALID 0x8u

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
	int node = fdt_node_offset_by_compatible(rt_fdt, -1, "intel,82574l");
	const fdt32_t *fn = node >= 0 ? fdt_getprop(rt_fdt, node, "bulkhead,pci-function", NULL)
				      : NULL;

	if (fn == NULL) {
		printf("msixbench: no e1000e PCI function in my device tree\n");
		return 1;
	}
	uint16_t rid = (uint16_t)fdt32_to_cpu(*fn);
	unsigned int cap = pci_find_cap(rid, PCI_CAP_MSIX);
	uint32_t table_reg = pci_read(rid, cap + 4u);
	volatile uint32_t *regs = (volatile uint32_t *)(uintptr_t)(pci_read(rid, PCI_BAR0) & ~0xfu);
	volatile uint32_t *table = (volatile uint32_t *)(uintptr_t)(
		(pci_read(rid, PCI_BAR0 + 4u * (table_reg & 7u)) & ~0xfu) + (table_reg & ~7u));
	int64_t empty = bench_tsc_empty_cost(samples, SAMPLES);

	if (cap == 0u)
		return 1;
	rt_set_lapic_handler(on_vector);
	pci_write(rid, PCI_COMMAND, pci_read(rid, PCI_COMMAND) | PCI_COMMAND_MEMORY |
				    PCI_COMMAND_MASTER);
	table[0] = 0xfee00000u;
	table[1] = 0;
	table[2] = VECTOR;
	table[3] = 0;
	pci_write(rid, cap, (pci_read(rid, cap) | MSIX_CONTROL_ENABLE) & ~MSIX_CONTROL_MASK_ALL);
	regs[E1000_IVAR / 4] = IVAR_VALID | 0u;
	regs[E1000_EIAC / 4] = CAUSE_RXQ0;
	rt_irq_enable();
	uint64_t last = 0;

	for (unsigned int i = 0; i < SAMPLES; i++) {
		while (last != 0u && rt_counter() - last < rt_counter_hz() / 4000u)
			__asm__ volatile("pause");
		regs[E1000_IMS / 4] = CAUSE_RXQ0;
		taken_at = 0;
		uint64_t start = rt_counter();

		regs[E1000_ICS / 4] = CAUSE_RXQ0;
		while (taken_at == 0)
			rt_wait_event();
		samples[i] = (int64_t)(taken_at - start);
		last = rt_counter();
	}
	rt_irq_disable();
	printf("msixbench: %u raised, %u taken\n", SAMPLES, taken);
	bench_report("msixbench", "msix_latency", samples, SAMPLES, empty);
	return 0;
}
