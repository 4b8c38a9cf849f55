// SPDX-License-Identifier: Apache-2.0
/*
 * Device interrupts of passthrough devices. Each I/O APIC pin a partition
 * owns is routed to the CPU of its vCPU 0 at vector IRQ_VECTOR_BASE + pin,
 * with the trigger mode and polarity of its DT flags; the hypervisor
 * acknowledges it there and raises vector GUEST_IRQ_VECTOR_BASE + pin in
 * vCPU 0's virtual local APIC.
 *
 * A level-triggered pin is masked before the physical end of interrupt, so
 * a line the guest has not yet quietened cannot storm the hypervisor's CPU,
 * and unmasked when the guest ends that vector in its virtual local APIC:
 * the I/O APIC then delivers again if the line is still asserted. A guest
 * that never ends it only silences its own pin. A partition's pins are
 * masked while it is stopped or restarting and armed when its vCPU 0
 * (re)starts.
 */

#include <bulkhead/console.h>
#include <bulkhead/cpu.h>
#include <bulkhead/partition.h>

#include <arch/x86.h>

#define IOAPIC_SELECT 0x00u
#define IOAPIC_WINDOW 0x10u
#define IOAPIC_REDIRECTION(pin) (0x10u + 2u * (pin))

/* Redirection entry, low word: fixed delivery, physical destination. */
#define ENTRY_ACTIVE_LOW 0x2000u
#define ENTRY_LEVEL 0x8000u
#define ENTRY_MASKED 0x10000u
#define RFLAGS_IF 0x200u

struct pin {
	struct partition *owner;
	uint32_t entry;    /* the low word when unmasked */
	bool awaiting_eoi; /* level: masked until the guest's end of interrupt */
};

static struct pin pins[IRQ_PINS];
static uint64_t ioapic;
static unsigned int ioapic_pins;

/*
 * IOAPIC_SELECT then IOAPIC_WINDOW must not interleave between CPUs, nor
 * with an interrupt handler on the same CPU: held with interrupts off. A
 * test-and-set lock, not a ticket one: a waiter sleeps in arch_wait_event()
 * with interrupts on, and a handler taken there may need the lock itself.
 */
static uint32_t ioapic_busy;
static uint32_t ioapic_waiters;

static uint64_t ioapic_lock(void)
{
	uint64_t flags;

	__asm__ volatile("pushfq\n\tpopq %0\n\tcli" : "=r"(flags) : : "memory");
	while (__atomic_exchange_n(&ioapic_busy, 1, __ATOMIC_SEQ_CST) != 0) {
		__atomic_fetch_add(&ioapic_waiters, 1, __ATOMIC_SEQ_CST);
		if (__atomic_load_n(&ioapic_busy, __ATOMIC_SEQ_CST) != 0)
			arch_wait_event();
		__atomic_fetch_sub(&ioapic_waiters, 1, __ATOMIC_SEQ_CST);
	}
	return flags;
}

static void ioapic_unlock(uint64_t flags)
{
	__atomic_store_n(&ioapic_busy, 0, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&ioapic_waiters, __ATOMIC_SEQ_CST) != 0)
		arch_send_event();
	if ((flags & RFLAGS_IF) != 0u)
		__asm__ volatile("sti" : : : "memory");
}

void irq_init(uint64_t ioapic_base, unsigned int pins_present)
{
	ioapic = ioapic_base;
	ioapic_pins = pins_present < IRQ_PINS ? pins_present : IRQ_PINS;
}

static void ioapic_write(unsigned int reg, uint32_t value)
{
	mmio_write32(ioapic + IOAPIC_SELECT, reg);
	mmio_write32(ioapic + IOAPIC_WINDOW, value);
}

/* Masked until the partition starts (irq_partition_arm()). */
enum bh_err irq_assign(struct partition *part, uint32_t pin, uint32_t apic, bool level,
		       bool active_low)
{
	if (pin >= ioapic_pins) {
		log_printf("error: partition %s: interrupt %u: the I/O APIC has %u pins\n",
			   part->cfg->name, pin, ioapic_pins);
		return BH_ERR_INVALID;
	}
	uint64_t flags = ioapic_lock();

	pins[pin] = (struct pin){part, IRQ_VECTOR_BASE + pin, false};
	pins[pin].entry |= (level ? ENTRY_LEVEL : 0u) | (active_low ? ENTRY_ACTIVE_LOW : 0u);
	ioapic_write(IOAPIC_REDIRECTION(pin), pins[pin].entry | ENTRY_MASKED);
	ioapic_write(IOAPIC_REDIRECTION(pin) + 1u, apic << 24);
	ioapic_unlock(flags);
	return BH_OK;
}

static void set_masks(const struct partition *part, bool masked)
{
	uint64_t flags = ioapic_lock();

	for (unsigned int pin = 0; pin < ioapic_pins; pin++) {
		if (pins[pin].owner != part)
			continue;
		pins[pin].awaiting_eoi = false;
		ioapic_write(IOAPIC_REDIRECTION(pin), pins[pin].entry | (masked ? ENTRY_MASKED : 0u));
	}
	ioapic_unlock(flags);
}

void irq_partition_arm(const struct partition *part)
{
	set_masks(part, false);
}

void irq_partition_disarm(const struct partition *part)
{
	set_masks(part, true);
}

void irq_received(unsigned int pin)
{
	struct pin *p = pin < IRQ_PINS ? &pins[pin] : NULL;
	struct partition *part = p != NULL ? p->owner : NULL;

	if (part != NULL) {
		bool running = __atomic_load_n(&part->state, __ATOMIC_ACQUIRE) == PARTITION_RUNNING;

		/* Before the end of interrupt below: a level-triggered line
		 * still asserted would be delivered again at once. */
		if ((p->entry & ENTRY_LEVEL) != 0u || !running) {
			uint64_t flags = ioapic_lock();

			ioapic_write(IOAPIC_REDIRECTION(pin), p->entry | ENTRY_MASKED);
			p->awaiting_eoi = running;
			ioapic_unlock(flags);
		}
		if (running)
			vlapic_raise(part->vcpus[0], GUEST_IRQ_VECTOR_BASE + pin);
	}
	/* Wake this CPU if it is about to wait in a guest's HLT. */
	__atomic_store_n(&this_cpu()->arch.event, 1, __ATOMIC_SEQ_CST);
	apic_eoi();
}

/* vCPU @v ended @vector in its local APIC: a level-triggered pin waiting
 * for that is unmasked. */
void irq_guest_eoi(const struct vcpu *v, unsigned int vector)
{
	if (vector < GUEST_IRQ_VECTOR_BASE || vector >= GUEST_IRQ_VECTOR_BASE + IRQ_PINS ||
	    v->index != 0u)
		return;
	unsigned int pin = vector - GUEST_IRQ_VECTOR_BASE;
	struct pin *p = &pins[pin];
	uint64_t flags = ioapic_lock();

	if (p->owner == v->part && p->awaiting_eoi) {
		p->awaiting_eoi = false;
		ioapic_write(IOAPIC_REDIRECTION(pin), p->entry);
	}
	ioapic_unlock(flags);
}
