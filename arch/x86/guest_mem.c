// SPDX-License-Identifier: Apache-2.0
/*
 * Reading a guest's memory at an address the guest chose: the page-table
 * walk and the instruction fetch of the MMIO emulation and of the
 * instruction-length decoding. Only the partition's RAM is read: its
 * configured memory regions, guest-physical to physical by the
 * configuration, all of which the hypervisor's own map holds. The nested
 * tables also map the partition's passthrough MMIO, which the hypervisor's
 * map does not hold (a read there is a page fault in the hypervisor), and
 * where a read would have side effects anyway: a guest address there, or
 * anywhere else outside its RAM, is refused, and the caller makes a fault
 * for the partition of it.
 */

#include <string.h>

#include <bulkhead/partition.h>

#include <arch/decode.h>
#include <arch/vmcb.h>
#include <arch/x86.h>

#define PTE_PRESENT 1ull
#define PTE_LARGE (1ull << 7)
#define PTE_ADDR 0x000ffffffffff000ull
#define CR0_PG (1ull << 31)
#define CR4_PAE (1ull << 5)
#define EFER_LMA (1ull << 10)
#define SEG_L (1u << 9) /* VMCB segment attributes: the L bit */
#define GUEST_PAGE 0x1000u
#define GUEST_PAGE_MASK 0xfffull

/* [gpa, gpa + len) inside one of the partition's memory regions: its
 * physical address, else NULL. Channels and devices are not RAM here. */
static const uint8_t *ram_at(const struct partition_config *cfg, uint64_t gpa, uint64_t len)
{
	for (unsigned int i = 0; i < cfg->mem_count; i++) {
		const struct partition_mem *m = &cfg->mem[i];

		if (gpa >= m->ipa && gpa - m->ipa < m->size && len <= m->size - (gpa - m->ipa))
			return (const uint8_t *)(uintptr_t)(m->pa + (gpa - m->ipa));
	}
	return NULL;
}

bool guest_read(const struct partition *part, uint64_t gpa, void *buf, size_t len)
{
	uint8_t *out = buf;
	size_t done = 0;

	/* A page at a time: consecutive guest pages may be in different
	 * regions, or one of them in none. */
	while (done < len) {
		uint64_t at = gpa + done;
		size_t chunk = GUEST_PAGE - (size_t)(at & GUEST_PAGE_MASK);

		if (chunk > len - done)
			chunk = len - done;
		const uint8_t *ram = ram_at(part->cfg, at, chunk);

		if (ram == NULL)
			return false;
		(void)memcpy(&out[done], ram, chunk);
		done += chunk;
	}
	return true;
}

bool guest_long_mode(const struct vmcb_save *s)
{
	return (s->efer & EFER_LMA) != 0u && (s->cs.attrib & SEG_L) != 0u;
}

/* Linear to guest-physical by the guest's 4-level tables (or 1:1 with
 * paging off), every table read from its RAM; false where that fails. */
static bool guest_linear(const struct vcpu *v, const struct vmcb_save *s, uint64_t linear,
			 uint64_t *gpa)
{
	if (!(s->cr0 & CR0_PG)) {
		*gpa = linear & 0xffffffffu;
		return true;
	}
	if (!(s->efer & EFER_LMA) || !(s->cr4 & CR4_PAE))
		return false; /* legacy 32-bit and PAE paging: not supported */
	uint64_t table = s->cr3 & PTE_ADDR;

	for (unsigned int level = 0; level < 4u; level++) {
		unsigned int shift = 39u - 9u * level;
		uint64_t e;

		if (!guest_read(v->part, table + 8u * ((linear >> shift) & 511u), &e, sizeof(e)) ||
		    !(e & PTE_PRESENT))
			return false;
		if (level == 3u || (level > 0u && (e & PTE_LARGE))) {
			uint64_t span = 1ull << shift;

			*gpa = (e & PTE_ADDR & ~(span - 1u)) | (linear & (span - 1u));
			return true;
		}
		table = e & PTE_ADDR;
	}
	return false;
}

size_t guest_fetch(const struct vcpu *v, const struct vmcb_save *s, uint8_t *buf)
{
	/* 64-bit code ignores CS's base, whatever the VMCB holds. */
	uint64_t rip = guest_long_mode(s) ? s->rip : (s->cs.base + s->rip) & 0xffffffffu;
	size_t n = 0;

	while (n < INSN_MAX_LENGTH) {
		uint64_t gpa;
		size_t chunk = GUEST_PAGE - (size_t)((rip + n) & GUEST_PAGE_MASK);

		if (chunk > INSN_MAX_LENGTH - n)
			chunk = INSN_MAX_LENGTH - n;
		if (!guest_linear(v, s, rip + n, &gpa) || !guest_read(v->part, gpa, buf + n, chunk))
			break;
		n += chunk;
	}
	return n;
}
