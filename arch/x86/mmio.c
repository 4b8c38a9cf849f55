// SPDX-License-Identifier: Apache-2.0
/*
 * MMIO emulation: read the faulting instruction from guest memory (through
 * the guest's own page tables, then its nested ones), decode it, and carry
 * it out against the emulated device: the virtual local APIC, or a
 * channel's doorbell page.
 */

#include <string.h>

#include <bulkhead/channel.h>
#include <bulkhead/console.h>
#include <bulkhead/partition.h>

#include <arch/decode.h>
#include <arch/npt.h>
#include <arch/vmcb.h>
#include <arch/x86.h>

#define PTE_PRESENT 1ull
#define PTE_LARGE (1ull << 7)
#define PTE_ADDR 0x000ffffffffff000ull
#define CR0_PG (1ull << 31)
#define CR4_PAE (1ull << 5)
#define EFER_LMA (1ull << 10)
#define SEG_L (1u << 9) /* VMCB segment attributes: the L bit */

static const void *guest_physical(const struct partition *part, uint64_t gpa)
{
	struct npt npt = {.root = (uint64_t *)(uintptr_t)part->arch.npt_root,
			  .pool = part->arch.npt_pool};
	uint64_t pa;

	return npt_translate(&npt, gpa, &pa) ? (const void *)(uintptr_t)pa : NULL;
}

/* Linear to guest-physical by the guest's 4-level tables (or 1:1 with
 * paging off); false where the guest could not fetch either. */
static bool guest_linear(const struct vcpu *v, const struct vmcb_save *s, uint64_t linear,
			 uint64_t *gpa)
{
	if (!(s->cr0 & CR0_PG)) {
		*gpa = linear & 0xffffffffu;
		return true;
	}
	if (!(s->efer & EFER_LMA) || !(s->cr4 & CR4_PAE))
		return false; /* legacy 32-bit paging: not supported yet */
	uint64_t table = s->cr3 & PTE_ADDR;

	for (int level = 0; level < 4; level++) {
		unsigned int shift = 39 - 9 * (unsigned int)level;
		const uint64_t *entries = guest_physical(v->part, table);

		if (entries == NULL)
			return false;
		uint64_t e = entries[(linear >> shift) & 511];

		if (!(e & PTE_PRESENT))
			return false;
		if (level == 3 || (level > 0 && (e & PTE_LARGE))) {
			uint64_t span = 1ull << shift;

			*gpa = (e & PTE_ADDR & ~(span - 1)) | (linear & (span - 1));
			return true;
		}
		table = e & PTE_ADDR;
	}
	return false;
}

/* Up to INSN_MAX_LENGTH bytes at the guest's RIP; how many were readable. */
static size_t fetch(const struct vcpu *v, const struct vmcb_save *s, uint8_t *buf)
{
	size_t n = 0;

	while (n < INSN_MAX_LENGTH) {
		uint64_t gpa;
		const uint8_t *at;

		if (!guest_linear(v, s, s->cs.base + s->rip + n, &gpa) ||
		    (at = guest_physical(v->part, gpa & ~0xfffull)) == NULL)
			break;
		size_t chunk = 0x1000 - (gpa & 0xfff);

		if (chunk > INSN_MAX_LENGTH - n)
			chunk = INSN_MAX_LENGTH - n;
		memcpy(buf + n, at + (gpa & 0xfff), chunk);
		n += chunk;
	}
	return n;
}

/* General register @index in ModRM order. */
static uint64_t *gpr(struct vcpu *v, struct vmcb_save *s, unsigned int index)
{
	struct guest_regs *r = &v->arch.regs;
	uint64_t *const order[16] = {&s->rax, &r->rcx, &r->rdx, &r->rbx, &s->rsp, &r->rbp,
				     &r->rsi, &r->rdi, &r->r8, &r->r9, &r->r10, &r->r11,
				     &r->r12, &r->r13, &r->r14, &r->r15};

	return order[index & 15];
}

/* The local APIC takes aligned 32-bit registers only. */
static bool lapic_access(struct vcpu *v, uint64_t gpa, const struct mmio_insn *insn,
			 uint64_t *value)
{
	unsigned int offset = (unsigned int)(gpa - VLAPIC_BASE);

	if (insn->size != 4u || (offset & 0xfu) != 0u)
		return false;
	if (insn->write)
		vlapic_write(v, offset, (uint32_t)*value);
	else
		*value = vlapic_read(v, offset);
	return true;
}

bool mmio_emulate(struct vcpu *v, uint64_t gpa)
{
	struct vmcb *vmcb = v->arch.vmcb;
	struct vmcb_save *s = &vmcb->save;
	uint8_t code[INSN_MAX_LENGTH] = {0};
	size_t len = fetch(v, s, code);
	bool long_mode = (s->efer & EFER_LMA) && (s->cs.attrib & SEG_L);
	bool lapic = vlapic_page(gpa);
	struct mmio_insn insn;
	uint64_t value = 0;
	bool done = decode_mmio(code, len, long_mode, &insn) == BH_OK;

	if (done && insn.write)
		value = decode_store_value(&insn, *gpr(v, s, insn.reg));
	if (done)
		done = lapic ? lapic_access(v, gpa, &insn, &value)
			     : channel_doorbell_access(v->part, gpa, insn.write, &value);
	if (!done) {
		log_printf("partition %s: vCPU %u: %s access at 0x%llx (rip 0x%llx, "
			   "bytes %02x %02x %02x %02x): not %s\n",
			   v->part->cfg->name, v->index, lapic ? "local APIC" : "doorbell page",
			   (unsigned long long)gpa, (unsigned long long)s->rip, code[0], code[1],
			   code[2], code[3], lapic ? "an aligned 32-bit move" : "a move");
		return false;
	}
	if (!insn.write) {
		uint64_t *reg = gpr(v, s, insn.reg);

		*reg = decode_merge_load(&insn, *reg, value);
	}
	s->rip += insn.length;
	return true;
}
