// SPDX-License-Identifier: Apache-2.0
/*
 * MMIO emulation: read the faulting instruction from the partition's RAM
 * (through the guest's own page tables: guest_mem.c), decode it, and carry
 * it out against the emulated device: the virtual local APIC, a PCI
 * function's MSI-X table (vmsix.c), or a channel's doorbell page.
 */

#include <string.h>

#include <bulkhead/channel.h>
#include <bulkhead/console.h>
#include <bulkhead/partition.h>

#include <arch/decode.h>
#include <arch/vmcb.h>
#include <arch/x86.h>

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

enum mmio_result mmio_emulate(struct vcpu *v, uint64_t gpa)
{
	struct vmcb *vmcb = v->arch.vmcb;
	struct vmcb_save *s = &vmcb->save;
	uint8_t code[INSN_MAX_LENGTH] = {0};
	size_t len = guest_fetch(v, s, code);
	bool lapic = vlapic_page(gpa);
	struct mmio_insn insn;
	uint64_t value = 0;
	enum bh_err decoded = decode_mmio(code, len, guest_long_mode(s), &insn);
	bool done = decoded == BH_OK;

	/* Too short for the decoder, and the rest not in its RAM (a page
	 * table or the code itself in a device, or nowhere): the guest's
	 * doing, a fault for it, never a read of that memory here. */
	if (decoded == BH_ERR_INVALID && len < INSN_MAX_LENGTH)
		return MMIO_UNREADABLE;
	if (done && insn.write)
		value = decode_store_value(&insn, *gpr(v, s, insn.reg));
	bool msix = !lapic && vmsix_trapped(v->part, gpa);

	if (done)
		done = lapic  ? lapic_access(v, gpa, &insn, &value)
		     : msix ? vmsix_access(v, gpa, &insn, &value)
			    : channel_doorbell_access(v->part, gpa, insn.write, &value);
	if (!done) {
		log_printf("partition %s: vCPU %u: %s access at 0x%llx (rip 0x%llx, "
			   "bytes %02x %02x %02x %02x): not %s\n",
			   v->part->cfg->name, v->index,
			   lapic ? "local APIC" : msix ? "MSI-X table" : "doorbell page",
			   (unsigned long long)gpa, (unsigned long long)s->rip, code[0], code[1],
			   code[2], code[3],
			   lapic ? "an aligned 32-bit move"
			   : msix ? "an aligned 32- or 64-bit move" : "a move");
		return MMIO_UNSUPPORTED;
	}
	if (!insn.write) {
		uint64_t *reg = gpr(v, s, insn.reg);

		*reg = decode_merge_load(&insn, *reg, value);
	}
	s->rip += insn.length;
	return MMIO_DONE;
}
