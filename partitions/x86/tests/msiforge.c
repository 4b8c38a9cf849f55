// SPDX-License-Identifier: Apache-2.0
/*
 * Forged MSIs on x86, the same program at both ends of a channel
 * (tests/x86/pci-msi-forge.dts). The attacker (read-write end) owns QEMU's
 * edu as a PCI function and programs its MSI capability with messages that
 * are not its own: the victim's CPU, its doorbell vector 0x41, an NMI,
 * the I/O APIC's address, a logical destination, a reserved vector, a
 * level trigger. Each must be refused (MSI reads back disabled) and the
 * device raised after each must reach nobody; another function's
 * configuration space must read as absent, and its INTx (a pin shared
 * with other slots on q35) stays disabled. Then a message of its own
 * works, and it tells the victim, through the channel, that it is done.
 * The victim (read-only end) counts every interrupt it takes before that.
 * Last the attacker writes the chipset's reset register (port 0xcf9),
 * which must stop only it.
 */

#include <libfdt.h>

#include "forge_channel.h"
#include "pcicfg.h"
#include "rt.h"

#define EDU_RAISE 0x60
#define EDU_ACK 0x64
#define OWN_VECTOR 0x46u
#define LEGIT_RAISES 3u

static volatile uint32_t *edu;
static volatile unsigned int taken;

static void attacker_vector(unsigned int vector)
{
	if (vector == OWN_VECTOR) {
		edu[EDU_ACK / 4] = 0xffffffffu;
		taken++;
	} else {
		stray++;
	}
}

static const struct forgery {
	const char *what;
	uint32_t address, data;
} forgeries[] = {
	{"the victim's CPU (APIC ID 2), its doorbell vector", 0xfee02000u, 0x41u},
	{"an NMI", 0xfee00000u, 0x441u},
	{"the I/O APIC's page", 0xfec00000u, 0x41u},
	{"a logical destination", 0xfee0100cu, 0x41u},
	{"reserved vector 2", 0xfee00000u, 0x02u},
	{"a level trigger", 0xfee00000u, 0x8041u},
};

static int attack(uint16_t rid, uint32_t channel)
{
	unsigned int cap = pci_find_msi(rid);
	unsigned int refused = 0;

	rt_set_lapic_handler(attacker_vector);
	pci_write(rid, PCI_COMMAND, pci_read(rid, PCI_COMMAND) | PCI_COMMAND_MEMORY |
				    PCI_COMMAND_MASTER);
	for (unsigned int i = 0; i < sizeof(forgeries) / sizeof(forgeries[0]); i++) {
		uint32_t control = pci_msi_program(rid, cap, forgeries[i].address, forgeries[i].data, 1);

		if ((control & MSI_CONTROL_ENABLE) == 0u)
			refused++;
		else
			printf("msiforge: %s: MSI enabled\n", forgeries[i].what);
		edu[EDU_RAISE / 4] = 1;
		edu[EDU_ACK / 4] = 0xffffffffu;
	}
	/* Its legacy interrupt is not in its DT: INTx disable stays set. */
	pci_write(rid, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	uint32_t command = pci_read(rid, PCI_COMMAND);

	printf("msiforge: after clearing it, INTx disable is %s (memory %s, bus master %s)\n",
	       (command & 0x400u) != 0u ? "set" : "clear",
	       (command & PCI_COMMAND_MEMORY) != 0u ? "on" : "off",
	       (command & PCI_COMMAND_MASTER) != 0u ? "on" : "off");
	/* 00:1f.0, q35's LPC bridge: not this partition's. */
	pci_write(0xf8, PCI_COMMAND, 0);
	printf("msiforge: %u of %u forged messages refused; 00:1f.0 ID 0x%x\n", refused,
	       (unsigned int)(sizeof(forgeries) / sizeof(forgeries[0])), pci_read(0xf8, 0));
	pci_msi_program(rid, cap, 0xfee00000u, OWN_VECTOR, 1);
	rt_irq_disable();
	for (unsigned int i = 1; i <= LEGIT_RAISES; i++) {
		edu[EDU_RAISE / 4] = i;
		while (taken < i)
			rt_wait_irq();
	}
	rt_irq_enable();
	printf("msiforge: its own: %u raised, %u taken at vector 0x%x, %u at others\n", LEGIT_RAISES,
	       taken, OWN_VECTOR, stray);
	forge_tell_done(channel);
	printf("msiforge: writing the reset register (port 0xcf9)\n");
	rt_outb(0xcf9, 0x6);
	printf("msiforge: still running\n");
	return 0;
}

int main(void)
{
	int dev = fdt_node_offset_by_compatible(rt_fdt, -1, "qemu,edu");
	const fdt32_t *bar = dev >= 0 ? fdt_getprop(rt_fdt, dev, "reg", NULL) : NULL;
	const fdt32_t *fn = dev >= 0 ? fdt_getprop(rt_fdt, dev, "bulkhead,pci-function", NULL) : NULL;
	uint32_t channel;

	if (forge_find_channel("msiforge", &channel) != 0)
		return 1;
	if (bar == NULL || fn == NULL)
		return forge_watch("msiforge");
	edu = (volatile uint32_t *)(uintptr_t)((uint64_t)fdt32_to_cpu(bar[0]) << 32 |
					       fdt32_to_cpu(bar[1]));
	return attack((uint16_t)fdt32_to_cpu(*fn), channel);
}
