// SPDX-License-Identifier: Apache-2.0
/*
 * MSI-X of a PCI function passed to a partition (docs/x86.md, "MSI-X"):
 * its capability's control word and its table, virtualised; its pending
 * bit array readable.
 *
 * The table lives in one of the function's BARs, which the partition has
 * mapped: the page(s) holding the table and the PBA are left out of its
 * nested tables (vcpu.c asks vmsix_trapped()), so every access to them is
 * a nested page fault, decoded (mmio.c) and handled here. The PCI spec
 * keeps other registers out of those pages, so nothing else is lost.
 *
 * The partition writes its own copy of each entry. Only when an entry is
 * unmasked is its message checked, as an MSI's (vpci_msi_refusal(): one of
 * the partition's vCPUs, fixed, edge, vector >= 32); the device's entry is
 * then written with the hypervisor's address (that vCPU's physical CPU)
 * and data (the entry's own hypervisor vector) while masked, and unmasked.
 * A message that fails the check leaves the device's entry masked and is a
 * fault. The function mask and enable follow the guest's; the device keeps
 * what arrives while masked pending, as the spec says, and sends it on
 * unmask. Entries past the vectors the hypervisor could give the function
 * (MSIX_VECTORS in all) stay masked. A partition that stops or restarts
 * has its functions' MSI-X disabled and every entry masked.
 */

#include <bulkhead/console.h>
#include <bulkhead/cpu.h>
#include <bulkhead/partition.h>

#include <arch/decode.h>
#include <arch/x86.h>

#define CAP_MSIX 0x11u
#define MSIX_ENABLE (1u << 31) /* in the capability's first dword */
#define MSIX_MASK_ALL (1u << 30)
#define MSIX_SIZE_SHIFT 16
#define MSIX_SIZE_MASK 0x7ffu
#define MSIX_BIR 0x7u
#define PCI_BAR0 0x10u
#define BAR_IO 0x1u
#define BAR_64 0x4u /* type field (bits 2:1) = 2 */
#define ENTRY_SIZE 16u
#define ENTRY_MASKED 0x1u
#define ROUTE_LIVE (1u << 31) /* route = ROUTE_LIVE | vCPU << 8 | vector */
#define MSI_ADDRESS_BASE 0xfee00000u
#define MSI_DEST_SHIFT 12

struct ventry {
	uint32_t address;
	uint32_t address_high;
	uint32_t data;
	uint32_t control;
	uint32_t route; /* read by the interrupt handler */
	uint32_t delivered;
};

struct vmsix {
	struct partition *owner;
	uint16_t rid;
	uint8_t cap;
	uint64_t table; /* physical = guest-physical, as its BAR is mapped */
	unsigned int size; /* entries in the table */
	uint64_t pba;
	unsigned int pba_bytes;
	unsigned int first; /* its entries' vectors: MSIX_VECTOR_BASE + first + i */
	unsigned int vectors;
	bool enabled; /* the guest's control word */
	bool masked;
	uint32_t lock; /* the guest's copy and the device's table change together */
};

static struct vmsix msix_functions[MSI_SLOTS];
static struct ventry entries[MSIX_VECTORS];
static struct vmsix *entry_function[MSIX_VECTORS];
static unsigned int vectors_used;

static void lock(struct vmsix *m)
{
	while (__atomic_exchange_n(&m->lock, 1, __ATOMIC_ACQUIRE) != 0u)
		__asm__ volatile("pause");
}

static void unlock(struct vmsix *m)
{
	__atomic_store_n(&m->lock, 0, __ATOMIC_RELEASE);
}

static unsigned int find_msix(uint16_t rid)
{
	if ((vpci_config_read(rid, 0x04u) & (1u << 20)) == 0u)
		return 0;
	unsigned int at = vpci_config_read(rid, 0x34u) & 0xfcu;

	for (unsigned int n = 0; n < 48u && at >= 0x40u; n++) {
		uint32_t header = vpci_config_read(rid, at);

		if ((header & 0xffu) == CAP_MSIX)
			return at;
		at = (header >> 8) & 0xfcu;
	}
	return 0;
}

/* Where BAR @bir decodes, 0 if it is not a memory BAR (the firmware's
 * placement: the partition cannot move it). */
static uint64_t bar_address(uint16_t rid, unsigned int bir)
{
	if (bir > 5u)
		return 0;
	uint32_t low = vpci_config_read(rid, PCI_BAR0 + 4u * bir);

	if ((low & BAR_IO) != 0u)
		return 0;
	uint64_t high = (low & 0x6u) == BAR_64 && bir < 5u
				? vpci_config_read(rid, PCI_BAR0 + 4u * (bir + 1u))
				: 0u;

	return high << 32 | (low & ~0xfu);
}

/* [@base, @base + @size) inside one of @dev's reg ranges. */
static bool in_reg(const struct partition_device *dev, uint64_t base, uint64_t size)
{
	for (unsigned int r = 0; r < dev->reg_count; r++) {
		const struct mem_range *reg = &dev->regs[r];

		if (base >= reg->base && base + size <= reg->base + reg->size && base + size > base)
			return true;
	}
	return false;
}

static void entry_mask_physical(const struct vmsix *m, unsigned int i)
{
	mmio_write32(m->table + ENTRY_SIZE * i + 12u, ENTRY_MASKED);
}

/* The device's MSI-X off and every entry masked, as after a reset. */
static void disarm_physical(const struct vmsix *m)
{
	uint32_t control = vpci_config_read(m->rid, m->cap);

	vpci_config_write(m->rid, m->cap, (control & ~MSIX_ENABLE) | MSIX_MASK_ALL);
	for (unsigned int i = 0; i < m->size; i++)
		entry_mask_physical(m, i);
}

enum bh_err vmsix_assign(struct partition *part, unsigned int slot, uint16_t rid,
			 const struct partition_device *dev)
{
	const char *name = part->cfg->name;
	unsigned int cap = find_msix(rid);
	struct vmsix *m = &msix_functions[slot];

	if (cap == 0u)
		return BH_OK;
	uint32_t control = vpci_config_read(rid, cap);
	uint32_t table = vpci_config_read(rid, cap + 4u);
	uint32_t pba = vpci_config_read(rid, cap + 8u);
	unsigned int size = ((control >> MSIX_SIZE_SHIFT) & MSIX_SIZE_MASK) + 1u;
	uint64_t table_bar = bar_address(rid, table & MSIX_BIR);
	uint64_t pba_bar = bar_address(rid, pba & MSIX_BIR);

	*m = (struct vmsix){.owner = part, .rid = rid, .cap = (uint8_t)cap, .size = size,
			    .table = table_bar + (table & ~MSIX_BIR),
			    .pba = pba_bar + (pba & ~MSIX_BIR), .pba_bytes = 8u * ((size + 63u) / 64u)};
	/* The table must be in the function's own reg: that is what the
	 * partition was given, and what the hypervisor may touch for it. */
	if (table_bar == 0u || pba_bar == 0u || !in_reg(dev, m->table, ENTRY_SIZE * size) ||
	    !in_reg(dev, m->pba, m->pba_bytes)) {
		log_printf("error: partition %s: the device with 'bulkhead,pci-function' = <0x%x> "
			   "(%02x:%02x.%u): its MSI-X table (0x%llx, %u entries) or PBA (0x%llx) is "
			   "not in its 'reg'\n", name, rid, rid >> 8, (rid >> 3) & 0x1fu, rid & 7u,
			   (unsigned long long)m->table, size, (unsigned long long)m->pba);
		m->owner = NULL;
		return BH_ERR_INVALID;
	}
	for (uint64_t page = ALIGN_DOWN(m->table, PAGE_SIZE); page < m->table + ENTRY_SIZE * size;
	     page += PAGE_SIZE)
		TRY(mmu_map_device_page(page));
	for (uint64_t page = ALIGN_DOWN(m->pba, PAGE_SIZE); page < m->pba + m->pba_bytes;
	     page += PAGE_SIZE) {
		if (page < ALIGN_DOWN(m->table, PAGE_SIZE) || page >= m->table + ENTRY_SIZE * size)
			TRY(mmu_map_device_page(page));
	}
	m->first = vectors_used;
	m->vectors = size < MSIX_VECTORS - vectors_used ? size : MSIX_VECTORS - vectors_used;
	vectors_used += m->vectors;
	for (unsigned int i = 0; i < m->vectors; i++) {
		entries[m->first + i] = (struct ventry){.control = ENTRY_MASKED};
		entry_function[m->first + i] = m;
	}
	m->masked = false;
	disarm_physical(m);
	if (m->vectors == 0u) {
		log_printf("partition %s: PCI function %02x:%02x.%u, MSI-X table at 0x%llx: no "
			   "hypervisor vector left (%u in all), its entries stay masked\n", name,
			   rid >> 8, (rid >> 3) & 0x1fu, rid & 7u, (unsigned long long)m->table,
			   MSIX_VECTORS);
		return BH_OK;
	}
	log_printf("partition %s: PCI function %02x:%02x.%u, MSI-X table at 0x%llx (%u entries, "
		   "hypervisor vectors 0x%x-0x%x), PBA at 0x%llx\n", name, rid >> 8,
		   (rid >> 3) & 0x1fu, rid & 7u, (unsigned long long)m->table, size,
		   MSIX_VECTOR_BASE + m->first, MSIX_VECTOR_BASE + m->first + m->vectors - 1u,
		   (unsigned long long)m->pba);
	return BH_OK;
}

static bool on_pages(uint64_t at, uint64_t base, uint64_t bytes)
{
	return at >= ALIGN_DOWN(base, PAGE_SIZE) && at < ALIGN_UP(base + bytes, PAGE_SIZE);
}

static struct vmsix *trapping(const struct partition *part, uint64_t gpa)
{
	for (unsigned int s = 0; s < MSI_SLOTS; s++) {
		struct vmsix *m = &msix_functions[s];

		if (m->owner == part && (on_pages(gpa, m->table, ENTRY_SIZE * m->size) ||
					 on_pages(gpa, m->pba, m->pba_bytes)))
			return m;
	}
	return NULL;
}

bool vmsix_trapped(const struct partition *part, uint64_t gpa)
{
	return trapping(part, gpa) != NULL;
}

/* The guest's entry @i changed: the device's follows it, or stays masked. */
static void entry_update(struct vcpu *v, struct vmsix *m, unsigned int i)
{
	struct ventry *e = &entries[m->first + i];
	uint64_t at = m->table + ENTRY_SIZE * i;

	__atomic_store_n(&e->route, 0, __ATOMIC_RELEASE);
	entry_mask_physical(m, i);
	if ((e->control & ENTRY_MASKED) != 0u)
		return;
	const char *why = vpci_msi_refusal(m->owner, e->address, e->address_high, e->data);

	if (why != NULL) {
		log_printf("partition %s: vCPU %u: PCI function %02x:%02x.%u: MSI-X entry %u address "
			   "0x%llx data 0x%x refused: %s; the entry stays masked\n",
			   v->part->cfg->name, v->index, m->rid >> 8, (m->rid >> 3) & 0x1fu,
			   m->rid & 7u, i, (unsigned long long)e->address_high << 32 | e->address,
			   e->data, why);
		e->control |= ENTRY_MASKED;
		partition_fault(v->part, "an MSI-X message outside the partition");
		return;
	}
	unsigned int target = (e->address >> MSI_DEST_SHIFT) & 0xffu;
	uint32_t apic = cpus[m->owner->vcpus[target]->pcpu].arch.apic_id;

	__atomic_store_n(&e->route, ROUTE_LIVE | target << 8 | (e->data & 0xffu),
			 __ATOMIC_RELEASE);
	mmio_write32(at, MSI_ADDRESS_BASE | apic << MSI_DEST_SHIFT);
	mmio_write32(at + 4u, 0);
	mmio_write32(at + 8u, MSIX_VECTOR_BASE + m->first + i);
	mmio_write32(at + 12u, 0);
}

static void refuse(struct vcpu *v, const struct vmsix *m, uint64_t gpa, const char *what)
{
	log_printf("partition %s: vCPU %u: PCI function %02x:%02x.%u: write at 0x%llx refused: %s\n",
		   v->part->cfg->name, v->index, m->rid >> 8, (m->rid >> 3) & 0x1fu, m->rid & 7u,
		   (unsigned long long)gpa, what);
	partition_fault(v->part, "a write to an MSI-X structure refused");
}

/* One aligned dword of the table: @index = entry * 4 + dword. */
static void table_dword(struct vcpu *v, struct vmsix *m, unsigned int index, bool write,
			uint32_t *value)
{
	unsigned int i = index / 4u;
	struct ventry *e = i < m->vectors ? &entries[m->first + i] : NULL;
	uint32_t *field = e == NULL ? NULL
		        : (index & 3u) == 0u ? &e->address
			: (index & 3u) == 1u ? &e->address_high
			: (index & 3u) == 2u ? &e->data : &e->control;

	if (!write) {
		*value = field != NULL ? *field : (index & 3u) == 3u ? ENTRY_MASKED : 0u;
		return;
	}
	if (field == NULL) {
		if ((index & 3u) == 3u && (*value & ENTRY_MASKED) == 0u)
			refuse(v, m, m->table + 4u * index,
			       "the entry is past those the hypervisor has vectors for");
		return;
	}
	*field = (index & 3u) == 3u ? *value & ENTRY_MASKED : *value;
	entry_update(v, m, i);
}

bool vmsix_access(struct vcpu *v, uint64_t gpa, const struct mmio_insn *insn, uint64_t *value)
{
	struct vmsix *m = trapping(v->part, gpa);

	/* The spec allows aligned dwords and qwords only. */
	if (m == NULL || (insn->size != 4u && insn->size != 8u) || (gpa & (insn->size - 1u)) != 0u)
		return false;
	uint64_t table_end = m->table + ENTRY_SIZE * m->size;

	if (gpa >= m->table && gpa < table_end) {
		uint32_t words[2] = {(uint32_t)*value, (uint32_t)(*value >> 32)};

		lock(m);
		for (unsigned int w = 0; w < insn->size / 4u; w++)
			table_dword(v, m, (unsigned int)((gpa - m->table) / 4u) + w, insn->write,
				    &words[w]);
		unlock(m);
		if (!insn->write)
			*value = (uint64_t)words[1] << 32 | words[0];
		return true;
	}
	if (gpa >= m->pba && gpa < m->pba + m->pba_bytes) {
		if (insn->write)
			refuse(v, m, gpa, "the pending bit array is read-only");
		else
			*value = insn->size == 8u ? (uint64_t)mmio_read32(gpa + 4u) << 32 |
						   mmio_read32(gpa)
						 : mmio_read32(gpa);
		return true;
	}
	/* The rest of these pages holds nothing (PCI spec): reads as 0. */
	if (insn->write)
		refuse(v, m, gpa, gpa >= table_end && gpa < table_end + PAGE_SIZE
					  ? "beyond the MSI-X table's end"
					  : "not in the MSI-X table or pending bit array");
	else
		*value = 0;
	return true;
}

/* The guest's view of a dword of the capability, from the device's. */
bool vmsix_config_read(unsigned int slot, unsigned int reg, uint32_t *value)
{
	const struct vmsix *m = &msix_functions[slot];

	if (m->owner == NULL || reg != m->cap)
		return false;
	*value = (*value & ~(MSIX_ENABLE | MSIX_MASK_ALL)) | (m->enabled ? MSIX_ENABLE : 0u) |
		 (m->masked ? MSIX_MASK_ALL : 0u);
	return true;
}

/* A write of the capability's first dword: enable and function mask. The
 * table and PBA pointers are read-only. */
bool vmsix_config_write(unsigned int slot, unsigned int reg, uint32_t value)
{
	struct vmsix *m = &msix_functions[slot];

	if (m->owner == NULL || reg < m->cap || reg >= m->cap + 12u)
		return false;
	if (reg != m->cap)
		return true;
	lock(m);
	m->enabled = (value & MSIX_ENABLE) != 0u;
	m->masked = (value & MSIX_MASK_ALL) != 0u;
	uint32_t control = vpci_config_read(m->rid, m->cap) & ~(MSIX_ENABLE | MSIX_MASK_ALL);

	vpci_config_write(m->rid, m->cap, control | (value & (MSIX_ENABLE | MSIX_MASK_ALL)));
	unlock(m);
	return true;
}

/* Interrupt at MSIX_VECTOR_BASE + @index, on the CPU its route named. */
void vmsix_received(unsigned int index)
{
	struct vmsix *m = index < vectors_used ? entry_function[index] : NULL;
	struct ventry *e = m != NULL ? &entries[index] : NULL;
	uint32_t route = e != NULL ? __atomic_load_n(&e->route, __ATOMIC_ACQUIRE) : 0u;

	if ((route & ROUTE_LIVE) != 0u &&
	    __atomic_load_n(&m->owner->state, __ATOMIC_ACQUIRE) == PARTITION_RUNNING) {
		struct vcpu *target = m->owner->vcpus[(route >> 8) & 0xffu];

		vlapic_raise(target, route & 0xffu);
		__atomic_fetch_add(&e->delivered, 1, __ATOMIC_RELAXED);
		if (target->pcpu != this_cpu()->index)
			arch_cpu_kick(target->pcpu);
	}
	__atomic_store_n(&this_cpu()->arch.event, 1, __ATOMIC_SEQ_CST);
	apic_eoi();
}

/* Stopped or restarting: MSI-X off, every entry masked, the guest's copy
 * as after a reset. */
void vmsix_disarm(const struct partition *part, unsigned int slot)
{
	struct vmsix *m = &msix_functions[slot];

	if (m->owner != part)
		return;
	lock(m);
	for (unsigned int i = 0; i < m->vectors; i++) {
		struct ventry *e = &entries[m->first + i];
		uint32_t delivered = __atomic_exchange_n(&e->delivered, 0, __ATOMIC_RELAXED);

		__atomic_store_n(&e->route, 0, __ATOMIC_RELEASE);
		if (delivered != 0u)
			log_printf("partition %s: PCI function %02x:%02x.%u: MSI-X entry %u: %u "
				   "message(s) delivered\n", part->cfg->name, m->rid >> 8,
				   (m->rid >> 3) & 0x1fu, m->rid & 7u, i, delivered);
		e->address = 0;
		e->address_high = 0;
		e->data = 0;
		e->control = ENTRY_MASKED;
	}
	m->enabled = false;
	m->masked = false;
	disarm_physical(m);
	unlock(m);
}
