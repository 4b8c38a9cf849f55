// SPDX-License-Identifier: Apache-2.0
/*
 * Forged MSI-X on x86, the same program at both ends of a channel
 * (tests/x86/pci-msix-forge.dts). The attacker (read-write end) owns QEMU's
 * e1000e as a PCI function and writes its MSI-X table with messages that
 * are not its own (the victim's CPU and doorbell vector, an NMI), raising
 * the device after each: each entry must stay masked, the raise held in
 * the PBA. It writes past the table's last entry and into the PBA (both
 * refused), tries to move the table's BAR (ignored) and reaches the table
 * page through a second device node of its own naming that page (which
 * traps as well). Then an entry of its own works, and it tells the victim,
 * through the channel, that it is done. Last it writes the table with a
 * 16-bit move, which the emulation does not take: only it stops. The
 * victim (read-only end) counts every interrupt it takes before that.
 */

#include <libfdt.h>

#include "forge_channel.h"
#include "pcicfg.h"
#include "rt.h"

#define E1000_ICS 0xc8u
#define E1000_IMS 0xd0u
#define E1000_EIAC 0xdcu
#define E1000_IVAR 0xe4u
#define CAUSE_RXQ0 (1u << 20)
#define IVAR_VALID 0x8u
#define OWN_VECTOR 0x46u
#define LEGIT_RAISES 3u

static volatile uint32_t *regs, *table, *pba;
static volatile unsigned int taken;

static void attacker_vector(unsigned int vector)
{
	if (vector == OWN_VECTOR)
		taken++;
	else
		stray++;
}

/* 250 us between raises: the device's throttling (see pcimsix.c). */
static void raise_rxq0(void)
{
	static uint64_t last;

	while (last != 0u && rt_counter() - last < rt_counter_hz() / 4000u)
		__asm__ volatile("pause");
	regs[E1000_IMS / 4] = CAUSE_RXQ0;
	regs[E1000_ICS / 4] = CAUSE_RXQ0;
	last = rt_counter();
}

static const struct forgery {
	const char *what;
	uint32_t address, data;
} forgeries[] = {
	{"the victim's CPU (APIC ID 2), its doorbell vector", 0xfee02000u, 0x41u},
	{"an NMI", 0xfee00000u, 0x441u},
};

static unsigned int forge(volatile uint32_t *entry)
{
	unsigned int refused = 0;

	for (unsigned int i = 0; i < sizeof(forgeries) / sizeof(forgeries[0]); i++) {
		entry[3] = MSIX_ENTRY_MASKED;
		entry[0] = forgeries[i].address;
		entry[1] = 0;
		entry[2] = forgeries[i].data;
		entry[3] = 0;
		if ((entry[3] & MSIX_ENTRY_MASKED) != 0u)
			refused++;
		else
			printf("msixforge: %s: entry unmasked\n", forgeries[i].what);
		raise_rxq0();
	}
	return refused;
}

static int attack(uint16_t rid, uint32_t channel, volatile uint32_t *backdoor)
{
	unsigned int cap = pci_find_cap(rid, PCI_CAP_MSIX);
	unsigned int size = ((pci_read(rid, cap) >> 16) & 0x7ffu) + 1u;
	uint32_t bar3 = pci_read(rid, PCI_BAR0 + 12u);

	rt_set_lapic_handler(attacker_vector);
	pci_write(rid, PCI_COMMAND, pci_read(rid, PCI_COMMAND) | PCI_COMMAND_MEMORY |
				    PCI_COMMAND_MASTER);
	pci_write(rid, cap, (pci_read(rid, cap) | MSIX_CONTROL_ENABLE) & ~MSIX_CONTROL_MASK_ALL);
	regs[E1000_IVAR / 4] = IVAR_VALID | 0u;
	regs[E1000_EIAC / 4] = CAUSE_RXQ0;
	unsigned int refused = forge(table);

	refused += forge(backdoor);
	printf("msixforge: %u of 4 forged entries refused (2 through the second node); pending "
	       "bit %s\n", refused, (pba[0] & 1u) != 0u ? "set" : "clear");
	table[4 * size] = 0xfee02000u;
	table[4 * size + 2] = 0x41u;
	table[4 * size + 3] = 0;
	pba[0] = 0;
	printf("msixforge: past the table reads 0x%x, the PBA 0x%x after writing 0\n",
	       table[4 * size], pba[0]);
	pci_write(rid, PCI_BAR0 + 12u, 0x02000000u);
	printf("msixforge: BAR3 0x%x (0x%x after writing 0x2000000)\n", bar3,
	       pci_read(rid, PCI_BAR0 + 12u));
	/* Its own entry: the raises held pending arrive first, as one. */
	table[0] = 0xfee00000u;
	table[2] = OWN_VECTOR;
	table[3] = 0;
	rt_irq_disable();
	while (taken < 1u)
		rt_wait_irq();
	for (unsigned int i = 1; i <= LEGIT_RAISES; i++) {
		raise_rxq0();
		while (taken < i + 1u)
			rt_wait_irq();
	}
	rt_irq_enable();
	printf("msixforge: its own: the pending one and %u raised, %u taken at vector 0x%x, %u at "
	       "others\n", LEGIT_RAISES, taken, OWN_VECTOR, stray);
	forge_tell_done(channel);
	printf("msixforge: a 16-bit write to the table\n");
	*(volatile uint16_t *)&table[2] = 0x41u;
	printf("msixforge: still running\n");
	return 0;
}

static uint64_t reg_base(const fdt32_t *reg, unsigned int index)
{
	return (uint64_t)fdt32_to_cpu(reg[4 * index]) << 32 | fdt32_to_cpu(reg[4 * index + 1]);
}

int main(void)
{
	int dev = fdt_node_offset_by_compatible(rt_fdt, -1, "intel,82574l");
	const fdt32_t *bars = dev >= 0 ? fdt_getprop(rt_fdt, dev, "reg", NULL) : NULL;
	const fdt32_t *fn = dev >= 0 ? fdt_getprop(rt_fdt, dev, "bulkhead,pci-function", NULL) : NULL;
	int other = fdt_node_offset_by_compatible(rt_fdt, -1, "test,msix-backdoor");
	const fdt32_t *backdoor = other >= 0 ? fdt_getprop(rt_fdt, other, "reg", NULL) : NULL;
	uint32_t channel;

	if (forge_find_channel("msixforge", &channel) != 0)
		return 1;
	if (bars == NULL || fn == NULL || backdoor == NULL)
		return forge_watch("msixforge");
	regs = (volatile uint32_t *)(uintptr_t)reg_base(bars, 0);
	table = (volatile uint32_t *)(uintptr_t)reg_base(bars, 1);
	pba = table + 0x2000 / 4;
	return attack((uint16_t)fdt32_to_cpu(*fn), channel,
		      (volatile uint32_t *)(uintptr_t)reg_base(backdoor, 0));
}
