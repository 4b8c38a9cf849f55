/* SPDX-License-Identifier: Apache-2.0 */
/*
 * PCI configuration space through ports 0xcf8/0xcfc (configuration
 * mechanism #1), as a partition that owns PCI functions reaches it
 * (docs/x86.md, "PCI devices"), and the MSI capability's registers.
 */
#ifndef PARTITIONS_X86_PCICFG_H
#define PARTITIONS_X86_PCICFG_H

#include <stdint.h>

#define PCI_COMMAND 0x04u
#define PCI_BAR0 0x10u
#define PCI_CAP_POINTER 0x34u
#define PCI_CAP_MSI 0x05u
#define PCI_COMMAND_MEMORY 0x2u
#define PCI_COMMAND_MASTER 0x4u
#define MSI_CONTROL_ENABLE (1u << 16) /* in the capability's first dword */
#define MSI_CONTROL_64BIT (1u << 23)
#define PCI_CAP_MSIX 0x11u
#define MSIX_CONTROL_ENABLE (1u << 31) /* in the MSI-X capability's first dword */
#define MSIX_CONTROL_MASK_ALL (1u << 30)
#define MSIX_ENTRY_MASKED 0x1u /* an entry's vector control */

static inline void pci_select(uint16_t rid, unsigned int reg)
{
	uint32_t address = 0x80000000u | (uint32_t)rid << 8 | (reg & 0xfcu);

	__asm__ volatile("outl %0, %1" : : "a"(address), "Nd"((uint16_t)0xcf8) : "memory");
}

static inline uint32_t pci_read(uint16_t rid, unsigned int reg)
{
	uint32_t v;

	pci_select(rid, reg);
	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"((uint16_t)0xcfc) : "memory");
	return v;
}

static inline void pci_write(uint16_t rid, unsigned int reg, uint32_t v)
{
	pci_select(rid, reg);
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"((uint16_t)0xcfc) : "memory");
}

/* The function's capability with ID @id (0x11: MSI-X), 0 if none. */
static inline unsigned int pci_find_cap(uint16_t rid, unsigned int id)
{
	unsigned int at = pci_read(rid, PCI_CAP_POINTER) & 0xfcu;

	for (unsigned int n = 0; n < 48u && at >= 0x40u; n++) {
		uint32_t header = pci_read(rid, at);

		if ((header & 0xffu) == id)
			return at;
		at = (header >> 8) & 0xfcu;
	}
	return 0;
}

/* The function's MSI capability, 0 if none. */
static inline unsigned int pci_find_msi(uint16_t rid)
{
	return pci_find_cap(rid, PCI_CAP_MSI);
}

/* Program the capability at @cap with @address and @data, then enable it
 * (or not); the control dword as it reads back. */
static inline uint32_t pci_msi_program(uint16_t rid, unsigned int cap, uint32_t address,
				       uint32_t data, int enable)
{
	uint32_t control = pci_read(rid, cap);
	int wide = (control & MSI_CONTROL_64BIT) != 0u;

	pci_write(rid, cap, control & ~MSI_CONTROL_ENABLE);
	pci_write(rid, cap + 4u, address);
	if (wide)
		pci_write(rid, cap + 8u, 0);
	pci_write(rid, cap + (wide ? 12u : 8u), data);
	if (enable)
		pci_write(rid, cap, control | MSI_CONTROL_ENABLE);
	return pci_read(rid, cap);
}

#endif
