// SPDX-License-Identifier: Apache-2.0
/*
 * A passed-through PCI function's MSI-X on x86 (tests/x86/pci-msix.dts):
 * QEMU's e1000e, whose MSI-X table and PBA are in BAR3. Its interrupt
 * cause set register (ICS) raises a cause; IVAR routes cause RXQ0 to
 * table entry 0 and TXQ0 to entry 1. Entry 0 names vCPU 0 at vector
 * VECTOR0, entry 1 vCPU 1 at VECTOR1; each raised RAISES times, counted
 * per vCPU and vector. Then the masks: a raise with entry 0 masked, or
 * with the function masked, sets its pending bit (read through the PBA)
 * and is taken only once unmasked. Then it restarts; boot 2 finds MSI-X
 * disabled and the entries masked and cleared.
 */

#include <libfdt.h>

#include "irq_vcpu.h"
#include "pcicfg.h"
#include "rt.h"

#define E1000_ICS 0xc8u
#define E1000_IMS 0xd0u
#define E1000_EIAC 0xdcu
#define E1000_IVAR 0xe4u
#define CAUSE_RXQ0 (1u << 20)
#define CAUSE_TXQ0 (1u << 22)
#define IVAR_VALID 0x8u
#define RAISES 5u
#define VECTOR0 0x45u
#define VECTOR1 0x47u

static volatile uint32_t *regs, *table, *pba;
static volatile unsigned int taken[2][2], other;

static void on_vector(unsigned int vector)
{
	unsigned int cpu = rt_vcpu() & 1u;

	if (vector == VECTOR0)
		taken[cpu][0]++;
	else if (vector == VECTOR1)
		taken[cpu][1]++;
	else
		other++;
}

/* The e1000e throttles each vector (EITR, at least 500 x 256 ns: QEMU
 * clamps it): a raise within 128 us of the last message is postponed, and
 * QEMU 7.2 then sends a postponed message again at every later expiry of
 * that timer. Raises 250 us apart keep each one a single message. */
static void raise_cause(uint32_t cause)
{
	static uint64_t last;

	while (last != 0u && rt_counter() - last < rt_counter_hz() / 4000u)
		__asm__ volatile("pause");
	regs[E1000_IMS / 4] = cause;
	regs[E1000_ICS / 4] = cause;
	last = rt_counter();
}

/* Until @count reaches @want (taken on this vCPU or the other). */
static void wait_taken(volatile unsigned int *count, unsigned int want)
{
	rt_irq_disable();
	while (*count < want)
		rt_wait_irq();
	rt_irq_enable();
}

static void entry(unsigned int i, uint32_t address, uint32_t data, uint32_t control)
{
	table[4 * i] = address;
	table[4 * i + 1] = 0;
	table[4 * i + 2] = data;
	table[4 * i + 3] = control;
}

/* The pending bit of entry @i, once the device has set it (the raise is
 * synchronous in QEMU: the first read sees it; the bound is a guard). */
static bool pending(unsigned int i)
{
	for (unsigned int n = 0; n < 1000u; n++) {
		if ((pba[0] & (1u << i)) != 0u)
			return true;
	}
	return false;
}

static int boot2(uint16_t rid, unsigned int cap)
{
	uint32_t control = pci_read(rid, cap);

	printf("pcimsix: boot %u: MSI-X %s, function %s; entry 0 address 0x%x data 0x%x %s, "
	       "entry 1 %s\n", rt_boot_count(),
	       (control & MSIX_CONTROL_ENABLE) != 0u ? "enabled" : "disabled",
	       (control & MSIX_CONTROL_MASK_ALL) != 0u ? "masked" : "unmasked", table[0], table[2],
	       (table[3] & MSIX_ENTRY_MASKED) != 0u ? "masked" : "unmasked",
	       (table[7] & MSIX_ENTRY_MASKED) != 0u ? "masked" : "unmasked");
	return 0;
}

static void masks(uint16_t rid, unsigned int cap)
{
	/* Entry 0 masked: the raise waits in the PBA. */
	table[3] = MSIX_ENTRY_MASKED;
	raise_cause(CAUSE_RXQ0);
	bool was_pending = pending(0);
	unsigned int before = taken[0][0];

	table[3] = 0;
	wait_taken(&taken[0][0], RAISES + 1u);
	printf("pcimsix: entry 0 masked: pending bit %s, %u taken; unmasked: taken (%u at 0x%x)\n",
	       was_pending ? "set" : "clear", before - RAISES, taken[0][0], VECTOR0);

	/* The whole function masked: the same for entry 1. */
	uint32_t control = pci_read(rid, cap);

	pci_write(rid, cap, control | MSIX_CONTROL_MASK_ALL);
	raise_cause(CAUSE_TXQ0);
	was_pending = pending(1);
	before = taken[1][1];
	pci_write(rid, cap, control & ~MSIX_CONTROL_MASK_ALL);
	while (taken[1][1] < RAISES + 1u)
		rt_wait_event();
	printf("pcimsix: function masked: pending bit %s, %u taken; unmasked: taken (%u at 0x%x "
	       "on vCPU 1)\n", was_pending ? "set" : "clear", before - RAISES, taken[1][1], VECTOR1);
}

int main(void)
{
	int node = fdt_node_offset_by_compatible(rt_fdt, -1, "intel,82574l");
	const fdt32_t *fn = node >= 0 ? fdt_getprop(rt_fdt, node, "bulkhead,pci-function", NULL)
				      : NULL;

	if (fn == NULL) {
		printf("pcimsix: no e1000e PCI function in my device tree\n");
		return 1;
	}
	uint16_t rid = (uint16_t)fdt32_to_cpu(*fn);
	unsigned int cap = pci_find_cap(rid, PCI_CAP_MSIX);
	uint32_t table_reg = pci_read(rid, cap + 4u), pba_reg = pci_read(rid, cap + 8u);
	uint32_t table_bar = pci_read(rid, PCI_BAR0 + 4u * (table_reg & 7u)) & ~0xfu;
	uint32_t pba_bar = pci_read(rid, PCI_BAR0 + 4u * (pba_reg & 7u)) & ~0xfu;

	regs = (volatile uint32_t *)(uintptr_t)(pci_read(rid, PCI_BAR0) & ~0xfu);
	table = (volatile uint32_t *)(uintptr_t)(table_bar + (table_reg & ~7u));
	pba = (volatile uint32_t *)(uintptr_t)(pba_bar + (pba_reg & ~7u));
	if (cap == 0u)
		return 1;
	if (rt_boot_count() > 1)
		return boot2(rid, cap);
	printf("pcimsix: function 0x%x: MSI-X capability at 0x%x, %u entries, table BAR%u+0x%x "
	       "(0x%x), PBA BAR%u+0x%x\n", rid, cap, ((pci_read(rid, cap) >> 16) & 0x7ffu) + 1u,
	       table_reg & 7u, table_reg & ~7u, (unsigned int)(uintptr_t)table, pba_reg & 7u,
	       pba_reg & ~7u);
	rt_set_lapic_handler(on_vector);
	if (irq_vcpu_start(1) != 0)
		return 1;
	pci_write(rid, PCI_COMMAND, pci_read(rid, PCI_COMMAND) | PCI_COMMAND_MEMORY |
				    PCI_COMMAND_MASTER);
	entry(0, 0xfee00000u, VECTOR0, 0);
	entry(1, 0xfee01000u, VECTOR1, 0);
	pci_write(rid, cap, (pci_read(rid, cap) | MSIX_CONTROL_ENABLE) & ~MSIX_CONTROL_MASK_ALL);
	printf("pcimsix: MSI-X %s; entry 0 reads address 0x%x data 0x%x, entry 1 address 0x%x "
	       "data 0x%x\n", (pci_read(rid, cap) & MSIX_CONTROL_ENABLE) != 0u ? "enabled" : "off",
	       table[0], table[2], table[4], table[6]);
	regs[E1000_IVAR / 4] = (IVAR_VALID | 0u) | (IVAR_VALID | 1u) << 8;
	regs[E1000_EIAC / 4] = CAUSE_RXQ0 | CAUSE_TXQ0; /* each message clears its cause */
	for (unsigned int i = 1; i <= RAISES; i++) {
		raise_cause(CAUSE_RXQ0);
		wait_taken(&taken[0][0], i);
	}
	for (unsigned int i = 1; i <= RAISES; i++) {
		raise_cause(CAUSE_TXQ0);
		while (taken[1][1] < i)
			rt_wait_event();
	}
	printf("pcimsix: entry 0: %u raised, %u taken at 0x%x on vCPU 0, %u on vCPU 1\n", RAISES,
	       taken[0][0], VECTOR0, taken[1][0]);
	printf("pcimsix: entry 1: %u raised, %u taken at 0x%x on vCPU 1, %u on vCPU 0; %u at "
	       "others\n", RAISES, taken[1][1], VECTOR1, taken[0][1], other);
	masks(rid, cap);
	irq_vcpu_stop(1);
	printf("pcimsix: restarting\n");
	rt_system_reset();
}
