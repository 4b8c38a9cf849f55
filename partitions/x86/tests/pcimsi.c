// SPDX-License-Identifier: Apache-2.0
/*
 * A passed-through PCI function's MSI on x86: QEMU's edu device, its
 * configuration space reached through ports 0xcf8/0xcfc. Boot 1 checks the
 * filter (its own function answers, the host bridge at 00:00.0 reads as
 * absent, a BAR write does not move the BAR), programs the MSI capability
 * for vCPU 0 at vector 0x45, raises the device's interrupt RAISES times and
 * counts the messages taken. With a second vCPU (tests/x86/pci-msi-smp.dts)
 * it moves the message to vCPU 1 and counts where RAISES more are taken.
 * Then it restarts. Boot 2 finds MSI disabled and its address and data
 * cleared, as after a reset.
 */

#include <libfdt.h>

#include "irq_vcpu.h"
#include "pcicfg.h"
#include "rt.h"

#define EDU_RAISE 0x60
#define EDU_ACK 0x64
#define RAISES 5
#define VECTOR 0x45u

static volatile uint32_t *edu;
static volatile unsigned int taken, other, taken_on[2];

static void on_vector(unsigned int vector)
{
	if (vector == VECTOR) {
		edu[EDU_ACK / 4] = 0xffffffffu;
		taken_on[rt_vcpu() & 1u]++;
		taken++;
	} else {
		other++;
	}
}

/* The message moved to vCPU 1, which must take each raise there. */
static void to_vcpu1(uint16_t rid, unsigned int cap)
{
	if (irq_vcpu_start(1) != 0)
		return; /* a single vCPU */
	uint32_t control = pci_msi_program(rid, cap, 0xfee01000u, VECTOR, 1);

	printf("pcimsi: MSI %s for vCPU 1 at vector 0x%x\n",
	       (control & MSI_CONTROL_ENABLE) != 0u ? "enabled" : "refused", VECTOR);
	unsigned int before = taken_on[0];

	for (unsigned int i = 1; i <= RAISES; i++) {
		edu[EDU_RAISE / 4] = i;
		while (taken_on[1] < i)
			rt_wait_event();
	}
	irq_vcpu_stop(1);
	printf("pcimsi: %u raised for vCPU 1, %u taken there, %u on vCPU 0\n", RAISES, taken_on[1],
	       taken_on[0] - before);
}

int main(void)
{
	int node = fdt_node_offset_by_compatible(rt_fdt, -1, "qemu,edu");
	const fdt32_t *reg = node >= 0 ? fdt_getprop(rt_fdt, node, "reg", NULL) : NULL;
	const fdt32_t *fn = node >= 0 ? fdt_getprop(rt_fdt, node, "bulkhead,pci-function", NULL)
				      : NULL;

	if (reg == NULL || fn == NULL) {
		printf("pcimsi: no edu PCI function in my device tree\n");
		return 1;
	}
	uint16_t rid = (uint16_t)fdt32_to_cpu(*fn);
	unsigned int cap = pci_find_msi(rid);

	edu = (volatile uint32_t *)(uintptr_t)((uint64_t)fdt32_to_cpu(reg[0]) << 32 |
					       fdt32_to_cpu(reg[1]));
	if (rt_boot_count() > 1) {
		uint32_t control = pci_read(rid, cap);

		printf("pcimsi: boot %u: MSI %s, address 0x%x, data 0x%x\n", rt_boot_count(),
		       (control & MSI_CONTROL_ENABLE) != 0u ? "enabled" : "disabled",
		       pci_read(rid, cap + 4u), pci_read(rid, cap + 12u));
		return 0;
	}
	uint32_t bar = pci_read(rid, PCI_BAR0);

	pci_write(rid, PCI_BAR0, 0xffffffffu);
	printf("pcimsi: function 0x%x: ID 0x%x, BAR0 0x%x (0x%x after writing all ones)\n", rid,
	       pci_read(rid, 0), bar, pci_read(rid, PCI_BAR0));
	printf("pcimsi: 00:00.0 ID 0x%x; MSI capability at 0x%x\n", pci_read(0, 0), cap);
	if (cap == 0u)
		return 1;
	rt_set_lapic_handler(on_vector);
	pci_write(rid, PCI_COMMAND, pci_read(rid, PCI_COMMAND) | PCI_COMMAND_MEMORY |
				    PCI_COMMAND_MASTER);
	uint32_t control = pci_msi_program(rid, cap, 0xfee00000u, VECTOR, 1);

	printf("pcimsi: MSI %s for vCPU 0 at vector 0x%x\n",
	       (control & MSI_CONTROL_ENABLE) != 0u ? "enabled" : "refused", VECTOR);
	if ((control & MSI_CONTROL_ENABLE) == 0u)
		return 1;
	rt_irq_disable();
	for (unsigned int i = 1; i <= RAISES; i++) {
		edu[EDU_RAISE / 4] = i;
		while (taken < i)
			rt_wait_irq();
	}
	rt_irq_enable();
	printf("pcimsi: %u raised, %u taken at vector 0x%x, %u at others\n", RAISES, taken, VECTOR,
	       other);
	to_vcpu1(rid, cap);
	printf("pcimsi: restarting\n");
	rt_system_reset();
}
