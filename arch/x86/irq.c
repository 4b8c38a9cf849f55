// SPDX-License-Identifier: Apache-2.0
/*
 * Device interrupts of passthrough devices. Each I/O APIC pin a partition
 * owns is routed, edge-triggered, to the CPU of its vCPU 0 at vector
 * IRQ_VECTOR_BASE + pin; the hypervisor acknowledges it there and raises
 * vector GUEST_IRQ_VECTOR_BASE + pin in vCPU 0's virtual local APIC.
 * Level-triggered (PCI) sources would need the guest's end of interrupt
 * passed on to the I/O APIC: not yet.
 */

#include <bulkhead/console.h>
#include <bulkhead/cpu.h>
#include <bulkhead/partition.h>

#include <arch/x86.h>

#define IOAPIC_SELECT 0x00
#define IOAPIC_WINDOW 0x10
#define IOAPIC_REDIRECTION(pin) (0x10 + 2 * (pin))

static struct partition *owner[IRQ_PINS];
static uint64_t ioapic;
static unsigned int ioapic_pins;

void irq_init(uint64_t ioapic_base, unsigned int pins)
{
	ioapic = ioapic_base;
	ioapic_pins = pins < IRQ_PINS ? pins : IRQ_PINS;
}

static void ioapic_write(unsigned int reg, uint32_t value)
{
	mmio_write32(ioapic + IOAPIC_SELECT, reg);
	mmio_write32(ioapic + IOAPIC_WINDOW, value);
}

enum bh_err irq_assign(struct partition *part, uint32_t pin, uint32_t apic)
{
	if (pin >= ioapic_pins) {
		log_printf("error: partition %s: interrupt %u: the I/O APIC has %u pins\n",
			   part->cfg->name, pin, ioapic_pins);
		return BH_ERR_INVALID;
	}
	owner[pin] = part;
	ioapic_write(IOAPIC_REDIRECTION(pin) + 1, apic << 24);
	/* fixed delivery, physical destination, active high, edge, unmasked */
	ioapic_write(IOAPIC_REDIRECTION(pin), IRQ_VECTOR_BASE + pin);
	return BH_OK;
}

void irq_received(unsigned int pin)
{
	struct partition *part = pin < IRQ_PINS ? owner[pin] : NULL;

	if (part != NULL)
		vlapic_raise(part->vcpus[0], GUEST_IRQ_VECTOR_BASE + pin);
	/* Wake this CPU if it is about to wait in a guest's HLT. */
	__atomic_store_n(&this_cpu()->arch.event, 1, __ATOMIC_SEQ_CST);
	apic_eoi();
}
