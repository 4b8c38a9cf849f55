// SPDX-License-Identifier: Apache-2.0
/*
 * PCI functions passed to partitions (a device with `bulkhead,pci-function`,
 * docs/x86.md "PCI devices"): their configuration space, filtered, and
 * their MSI.
 *
 * The partition reaches configuration space through ports 0xcf8/0xcfc
 * (configuration mechanism #1), which always trap: its own functions
 * answer, every other one reads as absent (all ones) and ignores writes,
 * because bus 0 holds the chipset too. Of its own functions' registers it
 * writes only the command register's memory, bus-master and INTx-disable
 * bits and the MSI capability; BARs stay where the firmware put them (the
 * DT's `reg`, mapped by the nested tables).
 *
 * The MSI capability is the guest's own copy: the device's is programmed
 * only by the hypervisor, always with an address and data of its choosing,
 * so no guest value ever reaches the hardware. When the guest enables MSI,
 * its message must name one of its vCPUs by APIC ID (physical destination,
 * fixed delivery, edge) and a vector of 32 or more in that vCPU's local
 * APIC; anything else is refused (MSI stays disabled, a fault for its
 * policy). The device then signals the physical CPU of that vCPU at this
 * function's own hypervisor vector, and the handler raises the guest's
 * vector in the vCPU's virtual local APIC. A partition that stops or
 * restarts has MSI and bus mastering of its functions switched off and
 * its copy reset.
 */

#include <bulkhead/console.h>
#include <bulkhead/cpu.h>
#include <bulkhead/partition.h>

#include <arch/x86.h>

#define PCI_ADDRESS_PORT 0xcf8u
#define PCI_DATA_PORT 0xcfcu
#define PCI_ENABLE 0x80000000u
#define PCI_ID 0x00u
#define PCI_COMMAND 0x04u
#define PCI_STATUS_CAPS (1u << 20) /* in the command/status dword */
#define PCI_CAP_POINTER 0x34u
#define PCI_CAP_MSI 0x05u
#define COMMAND_BUS_MASTER 0x0004u
#define COMMAND_INTX_DISABLE 0x0400u
/* What a guest may change in its function's command register: memory
 * decoding, bus mastering (DMA and MSI writes), and INTx disable if the
 * DT gives it the function's legacy interrupt. */
#define COMMAND_GUEST (0x0002u | COMMAND_BUS_MASTER)

/* Message control (the capability's first dword, upper half). */
#define MSI_ENABLE (1u << 16)
#define MSI_MULTIPLE (0x3fu << 17) /* messages capable and enabled: one only */
#define MSI_64BIT (1u << 23)
/* Message address and data (Intel SDM vol. 3, 11.11). */
#define MSI_ADDRESS_BASE 0xfee00000u
#define MSI_ADDRESS_RANGE 0xfff00000u
#define MSI_ADDRESS_MODE 0xcu /* redirection hint, logical destination */
#define MSI_DEST_SHIFT 12
#define MSI_DATA_DELIVERY 0x700u
#define MSI_DATA_LEVEL 0x8000u
#define GUEST_VECTOR_FIRST 32u

#define ROUTE_LIVE (1u << 31) /* route = ROUTE_LIVE | vCPU << 8 | vector */

struct vfunction {
	struct partition *owner;
	uint16_t rid;
	/* Its legacy interrupt is not the partition's (the device node lists
	 * none): INTx stays disabled, since on q35 its pin is shared (PIRQ
	 * A-H) and may be another partition's. */
	bool intx_off;
	uint8_t msi; /* configuration offset of its MSI capability, 0: none */
	bool msi64;
	/* The guest's copy of the capability. */
	bool enabled;
	uint32_t address;
	uint32_t address_high;
	uint32_t data;
	uint32_t route; /* read by the interrupt handler */
	/* Messages raised in a vCPU this run, and how many of them arrived on
	 * another CPU than that vCPU's (sent before the guest moved it):
	 * reported when the partition stops. */
	uint32_t delivered;
	uint32_t elsewhere;
};

static struct vfunction functions[MSI_SLOTS];
static unsigned int function_count;

/* Ports 0xcf8/0xcfc are one register pair for the whole machine: held
 * with interrupts off, briefly (no handler takes it). */
static uint32_t config_busy;

static uint64_t config_lock(void)
{
	uint64_t flags;

	__asm__ volatile("pushfq\n\tpopq %0\n\tcli" : "=r"(flags) : : "memory");
	while (__atomic_exchange_n(&config_busy, 1, __ATOMIC_ACQUIRE) != 0u)
		__asm__ volatile("pause");
	return flags;
}

static void config_unlock(uint64_t flags)
{
	__atomic_store_n(&config_busy, 0, __ATOMIC_RELEASE);
	if ((flags & 0x200u) != 0u)
		__asm__ volatile("sti" : : : "memory");
}

uint32_t vpci_config_read(uint16_t rid, unsigned int reg)
{
	uint64_t flags = config_lock();

	outl(PCI_ADDRESS_PORT, PCI_ENABLE | (uint32_t)rid << 8 | (reg & 0xfcu));
	uint32_t value = inl(PCI_DATA_PORT);

	config_unlock(flags);
	return value;
}

void vpci_config_write(uint16_t rid, unsigned int reg, uint32_t value)
{
	uint64_t flags = config_lock();

	outl(PCI_ADDRESS_PORT, PCI_ENABLE | (uint32_t)rid << 8 | (reg & 0xfcu));
	outl(PCI_DATA_PORT, value);
	config_unlock(flags);
}

/* The command register alone: the status half written as 0 leaves its
 * write-one-to-clear bits alone. */
static void command_write(const struct vfunction *f, uint16_t clear, uint16_t set)
{
	uint32_t command = vpci_config_read(f->rid, PCI_COMMAND) & 0xffffu;

	vpci_config_write(f->rid, PCI_COMMAND, (command & ~(uint32_t)clear) | set);
}

static void msi_physical_disable(const struct vfunction *f)
{
	uint32_t control = vpci_config_read(f->rid, f->msi);

	vpci_config_write(f->rid, f->msi, control & ~(MSI_ENABLE | MSI_MULTIPLE));
}

static unsigned int find_msi(uint16_t rid)
{
	if ((vpci_config_read(rid, PCI_COMMAND) & PCI_STATUS_CAPS) == 0u)
		return 0;
	unsigned int at = vpci_config_read(rid, PCI_CAP_POINTER) & 0xfcu;

	/* At most 48 capabilities fit in 192 bytes: a loop cannot go on. */
	for (unsigned int n = 0; n < 48u && at >= 0x40u; n++) {
		uint32_t header = vpci_config_read(rid, at);

		if ((header & 0xffu) == PCI_CAP_MSI)
			return at;
		at = (header >> 8) & 0xfcu;
	}
	return 0;
}

enum bh_err vpci_assign(struct partition *part, const struct partition_device *dev)
{
	const char *name = part->cfg->name;
	uint16_t rid = dev->pci_rid;
	bool intx = dev->irq_count != 0u;

	if (function_count == MSI_SLOTS) {
		log_printf("error: partition %s: PCI function %02x:%02x.%u: more than %u PCI "
			   "functions in the system\n", name, rid >> 8, (rid >> 3) & 0x1fu, rid & 7u,
			   MSI_SLOTS);
		return BH_ERR_TOO_MANY;
	}
	if ((vpci_config_read(rid, PCI_ID) & 0xffffu) == 0xffffu) {
		log_printf("error: partition %s: PCI function %02x:%02x.%u is not on the bus\n", name,
			   rid >> 8, (rid >> 3) & 0x1fu, rid & 7u);
		return BH_ERR_NOT_FOUND;
	}
	struct vfunction *f = &functions[function_count];

	*f = (struct vfunction){.owner = part, .rid = rid, .intx_off = !intx};
	f->msi = (uint8_t)find_msi(rid);
	f->msi64 = f->msi != 0u && (vpci_config_read(rid, f->msi) & MSI_64BIT) != 0u;
	command_write(f, COMMAND_BUS_MASTER, f->intx_off ? COMMAND_INTX_DISABLE : 0u);
	if (f->msi != 0u)
		msi_physical_disable(f);
	function_count++;
	TRY(vmsix_assign(part, function_count - 1u, rid, dev));
	if (f->msi != 0u)
		log_printf("partition %s: PCI function %02x:%02x.%u, MSI at hypervisor vector "
			   "0x%x\n", name, rid >> 8, (rid >> 3) & 0x1fu, rid & 7u,
			   MSI_VECTOR_BASE + function_count - 1u);
	else
		log_printf("partition %s: PCI function %02x:%02x.%u, no MSI capability\n", name,
			   rid >> 8, (rid >> 3) & 0x1fu, rid & 7u);
	return BH_OK;
}

static struct vfunction *owned(const struct partition *part, uint16_t rid)
{
	for (unsigned int i = 0; i < function_count; i++) {
		if (functions[i].owner == part && functions[i].rid == rid)
			return &functions[i];
	}
	return NULL;
}

static bool owns_any(const struct partition *part)
{
	for (unsigned int i = 0; i < function_count; i++) {
		if (functions[i].owner == part)
			return true;
	}
	return false;
}

/* The guest's message, as one snapshot: another vCPU of the partition may
 * be writing the capability meanwhile, and what is checked must be what
 * is used. */
struct message {
	uint32_t address;
	uint32_t address_high;
	uint32_t data;
};

/* Why the message cannot be the partition's own, or NULL (MSI and MSI-X). */
const char *vpci_msi_refusal(const struct partition *part, uint32_t address,
			     uint32_t address_high, uint32_t data)
{
	if (address_high != 0u || (address & MSI_ADDRESS_RANGE) != MSI_ADDRESS_BASE)
		return "the address is not in the local APIC range 0xfee00000-0xfeefffff";
	if ((address & MSI_ADDRESS_MODE) != 0u)
		return "a logical destination or redirection hint (only a vCPU's APIC ID is taken)";
	if (((address >> MSI_DEST_SHIFT) & 0xffu) >= part->cfg->cpu_count)
		return "the destination is not one of the partition's vCPUs";
	if ((data & MSI_DATA_DELIVERY) != 0u)
		return "the delivery mode is not fixed";
	if ((data & MSI_DATA_LEVEL) != 0u)
		return "level-triggered (a message is an edge)";
	if ((data & 0xffu) < GUEST_VECTOR_FIRST)
		return "the vector is below 32 (reserved)";
	return NULL;
}

/* The guest's copy changed: the device follows it, or MSI is refused. The
 * device only ever gets the hypervisor's address and vector. */
static void msi_update(struct vcpu *v, struct vfunction *f)
{
	const struct message m = {
		__atomic_load_n(&f->address, __ATOMIC_RELAXED),
		__atomic_load_n(&f->address_high, __ATOMIC_RELAXED),
		__atomic_load_n(&f->data, __ATOMIC_RELAXED),
	};

	__atomic_store_n(&f->route, 0, __ATOMIC_RELEASE);
	msi_physical_disable(f);
	if (!f->enabled)
		return;
	const char *why = vpci_msi_refusal(f->owner, m.address, m.address_high, m.data);

	if (why != NULL) {
		log_printf("partition %s: vCPU %u: PCI function %02x:%02x.%u: MSI address 0x%llx "
			   "data 0x%x refused: %s; MSI stays disabled\n", v->part->cfg->name, v->index,
			   f->rid >> 8, (f->rid >> 3) & 0x1fu, f->rid & 7u,
			   (unsigned long long)m.address_high << 32 | m.address, m.data, why);
		f->enabled = false;
		partition_fault(v->part, "an MSI outside the partition");
		return;
	}
	unsigned int target = (m.address >> MSI_DEST_SHIFT) & 0xffu;
	unsigned int slot = (unsigned int)(f - functions);
	uint32_t apic = cpus[f->owner->vcpus[target]->pcpu].arch.apic_id;

	__atomic_store_n(&f->route, ROUTE_LIVE | target << 8 | (m.data & 0xffu), __ATOMIC_RELEASE);
	vpci_config_write(f->rid, f->msi + 4u, MSI_ADDRESS_BASE | apic << MSI_DEST_SHIFT);
	if (f->msi64)
		vpci_config_write(f->rid, f->msi + 8u, 0);
	vpci_config_write(f->rid, f->msi + (f->msi64 ? 12u : 8u), MSI_VECTOR_BASE + slot);
	uint32_t control = vpci_config_read(f->rid, f->msi) & ~MSI_MULTIPLE;

	vpci_config_write(f->rid, f->msi, control | MSI_ENABLE);
}

/* The guest's view of a dword of its function's configuration space. */
static uint32_t view_read(const struct vfunction *f, unsigned int reg)
{
	uint32_t value = vpci_config_read(f->rid, reg);

	if (vmsix_config_read((unsigned int)(f - functions), reg, &value))
		return value;
	if (f->msi == 0u || reg < f->msi || reg >= f->msi + (f->msi64 ? 16u : 12u))
		return value;
	switch (reg - f->msi) {
	case 0:
		return (value & ~(MSI_ENABLE | MSI_MULTIPLE)) | (f->enabled ? MSI_ENABLE : 0u);
	case 4:
		return f->address;
	case 8:
		return f->msi64 ? f->address_high : f->data;
	default:
		return f->data;
	}
}

static void view_write(struct vcpu *v, struct vfunction *f, unsigned int reg, uint32_t value)
{
	if (reg == PCI_COMMAND) {
		uint16_t mask = COMMAND_GUEST | (f->intx_off ? 0u : COMMAND_INTX_DISABLE);

		command_write(f, mask, (uint16_t)(value & mask));
		return;
	}
	if (vmsix_config_write((unsigned int)(f - functions), reg, value))
		return;
	if (f->msi == 0u || reg < f->msi || reg >= f->msi + (f->msi64 ? 16u : 12u))
		return; /* not the guest's to change */
	switch (reg - f->msi) {
	case 0:
		f->enabled = (value & MSI_ENABLE) != 0u;
		break;
	case 4:
		f->address = value;
		break;
	case 8:
		if (f->msi64)
			f->address_high = value;
		else
			f->data = value & 0xffffu;
		break;
	default:
		f->data = value & 0xffffu;
		break;
	}
	msi_update(v, f);
}

bool vpci_port_in(struct vcpu *v, uint16_t port, unsigned int size, uint32_t *value)
{
	struct partition *part = v->part;
	unsigned int byte = (unsigned int)port - PCI_DATA_PORT;

	if (!owns_any(part))
		return false;
	if (port == PCI_ADDRESS_PORT && size == 4u) {
		*value = __atomic_load_n(&part->arch.pci_address, __ATOMIC_RELAXED);
		return true;
	}
	if (port < PCI_DATA_PORT || byte + size > 4u)
		return false;
	uint32_t address = __atomic_load_n(&part->arch.pci_address, __ATOMIC_RELAXED);
	struct vfunction *f = (address & PCI_ENABLE) != 0u ? owned(part, (uint16_t)(address >> 8))
							   : NULL;
	uint32_t dword = f != NULL ? view_read(f, address & 0xfcu) : 0xffffffffu;

	*value = dword >> (8u * byte);
	if (size < 4u)
		*value &= (1u << (8u * size)) - 1u;
	return true;
}

bool vpci_port_out(struct vcpu *v, uint16_t port, unsigned int size, uint32_t value)
{
	struct partition *part = v->part;
	unsigned int byte = (unsigned int)port - PCI_DATA_PORT;

	if (!owns_any(part))
		return false;
	/* 0xcf9 is the chipset's reset register: only a whole dword at 0xcf8
	 * is the address. */
	if (port == PCI_ADDRESS_PORT && size == 4u) {
		__atomic_store_n(&part->arch.pci_address, value, __ATOMIC_RELAXED);
		return true;
	}
	if (port < PCI_DATA_PORT || byte + size > 4u)
		return false;
	uint32_t address = __atomic_load_n(&part->arch.pci_address, __ATOMIC_RELAXED);
	struct vfunction *f = (address & PCI_ENABLE) != 0u ? owned(part, (uint16_t)(address >> 8))
							   : NULL;

	if (f == NULL)
		return true; /* nobody there, as on a bus without that function */
	unsigned int reg = address & 0xfcu;
	uint32_t mask = size == 4u ? 0xffffffffu : ((1u << (8u * size)) - 1u) << (8u * byte);
	uint32_t dword = (view_read(f, reg) & ~mask) | ((value << (8u * byte)) & mask);

	view_write(v, f, reg, dword);
	return true;
}

/* Interrupt at MSI_VECTOR_BASE + @slot, on the CPU the route named. */
void vpci_msi_received(unsigned int slot)
{
	struct vfunction *f = slot < function_count ? &functions[slot] : NULL;
	uint32_t route = f != NULL ? __atomic_load_n(&f->route, __ATOMIC_ACQUIRE) : 0u;

	if ((route & ROUTE_LIVE) != 0u &&
	    __atomic_load_n(&f->owner->state, __ATOMIC_ACQUIRE) == PARTITION_RUNNING) {
		struct vcpu *target = f->owner->vcpus[(route >> 8) & 0xffu];

		vlapic_raise(target, route & 0xffu);
		__atomic_fetch_add(&f->delivered, 1, __ATOMIC_RELAXED);
		/* A message sent before the guest moved it may land here. */
		if (target->pcpu != this_cpu()->index) {
			__atomic_fetch_add(&f->elsewhere, 1, __ATOMIC_RELAXED);
			arch_cpu_kick(target->pcpu);
		}
	}
	__atomic_store_n(&this_cpu()->arch.event, 1, __ATOMIC_SEQ_CST);
	apic_eoi();
}

/* Stopped or restarting: the devices neither signal nor do DMA, and the
 * next run finds MSI disabled, as after a reset. */
void vpci_partition_disarm(struct partition *part)
{
	for (unsigned int i = 0; i < function_count; i++) {
		struct vfunction *f = &functions[i];

		if (f->owner != part)
			continue;
		__atomic_store_n(&f->route, 0, __ATOMIC_RELEASE);
		uint32_t delivered = __atomic_exchange_n(&f->delivered, 0, __ATOMIC_RELAXED);
		uint32_t elsewhere = __atomic_exchange_n(&f->elsewhere, 0, __ATOMIC_RELAXED);

		if (delivered != 0u)
			log_printf("partition %s: PCI function %02x:%02x.%u: %u MSI(s) delivered, %u "
				   "of them on another CPU than their vCPU's\n", part->cfg->name,
				   f->rid >> 8, (f->rid >> 3) & 0x1fu, f->rid & 7u, delivered, elsewhere);
		f->enabled = false;
		f->address = 0;
		f->address_high = 0;
		f->data = 0;
		command_write(f, COMMAND_BUS_MASTER, 0);
		if (f->msi != 0u)
			msi_physical_disable(f);
		vmsix_disarm(part, i);
	}
	__atomic_store_n(&part->arch.pci_address, 0, __ATOMIC_RELAXED);
}
