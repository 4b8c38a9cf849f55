// SPDX-License-Identifier: Apache-2.0
/*
 * The Intel VMX backend, its vCPU side: a VMCS per physical CPU (vCPUs are
 * pinned), filled at each vCPU reset from the start state vcpu.c left in
 * the VMCB image, and the run: what the shared emulation changed in the
 * image goes into the VMCS before the entry, and after the exit the image
 * gets the guest state the emulation reads and the exit in SVM's terms
 * (exit code, EXITINFO words, next RIP, EXITINTINFO), so exits.c handles
 * both backends. Only what SVM has no counterpart for is handled here:
 * control-register writes (VMX keeps CR0.NE and CR4.VMXE set underneath,
 * behind read shadows), VMMCALL (a #UD on Intel CPUs, emulated as the
 * hypercall so the same runtime works on both), and the offer of a virtual
 * interrupt (SVM's V_IRQ becomes an injection, or an interrupt-window exit
 * while the guest cannot take it).
 */

#include <string.h>

#include <bulkhead/console.h>
#include <bulkhead/cpu.h>
#include <bulkhead/partition.h>

#include <arch/decode.h>
#include <arch/vmcb.h>
#include <arch/vmcs.h>
#include <arch/x86.h>

#define CR0_PE 0x1ULL
#define CR0_NW 0x20000000ULL
#define CR0_CD 0x40000000ULL
#define CR0_PG 0x80000000ULL
#define CR4_PAE 0x20ULL
#define CR4_VMXE 0x2000ULL
#define EFER_LME 0x100ULL
#define EFER_LMA 0x400ULL
#define RFLAGS_IF 0x200ULL
#define VECTOR_UD 6u
#define VECTOR_GP 13u
#define EPTP_WB_4LEVEL ((6ULL << 0) | (3ULL << 3))
#define INVEPT_ALL 2u
#define INVVPID_ALL 2u
#define NPF_WRITE 0x2ULL
#define NPF_FETCH 0x10ULL
/* The exit code of an exit handled here, or one with nothing to emulate
 * (the interrupt, if any, is taken once interrupts are on again). */
#define EXIT_NOTHING VMEXIT_INTR
/* VMX exit reasons SVM has no code for: reported as 0x10000 + reason. */
#define EXIT_UNMAPPED 0x10000u


/* Per physical CPU: what this file last wrote, so an entry writes only
 * what changed. */
struct vmx_cpu {
	uint32_t proc;     /* primary controls (interrupt-window exiting varies) */
	uint32_t entry;    /* entry controls (IA-32e mode guest varies) */
	uint64_t exit_rip; /* the guest's RIP at the last exit */
	uint64_t cr0_mask;
	uint64_t cr4_mask;
};
static struct vmx_cpu vmx_cpus[MAX_CPUS];

static inline void vmwrite(uint32_t field, uint64_t value)
{
	__asm__ volatile("vmwrite %1, %0" : : "r"((uint64_t)field), "rm"(value) : "cc", "memory");
}

static inline uint64_t vmread(uint32_t field)
{
	uint64_t value;

	__asm__ volatile("vmread %1, %0" : "=rm"(value) : "r"((uint64_t)field) : "cc");
	return value;
}

static void invalidate_all(void)
{
	struct invalidation_descriptor {
		uint64_t context;
		uint64_t address;
	} desc = {0, 0};

	__asm__ volatile("invept %0, %1" : : "m"(desc), "r"((uint64_t)INVEPT_ALL) : "cc", "memory");
	__asm__ volatile("invvpid %0, %1" : : "m"(desc), "r"((uint64_t)INVVPID_ALL)
			 : "cc", "memory");
}

/* SVM's packed segment attributes (descriptor bits 40-47, 52-55) and VMX's
 * access rights (the same bits at 0-7 and 12-15, bit 16 unusable). */
static uint32_t access_rights(uint16_t attrib)
{
	if ((attrib & 0x80u) == 0u)
		return VMX_AR_UNUSABLE;
	return ((uint32_t)attrib & 0xffu) | (((uint32_t)attrib & 0xf00u) << 4);
}

static uint16_t svm_attrib(uint32_t ar)
{
	return (uint16_t)((ar & 0xffu) | ((ar >> 4) & 0xf00u));
}

static void write_segment(enum vmx_seg seg, const struct vmcb_segment *s)
{
	unsigned int i = (unsigned int)seg * 2u;

	vmwrite(VMCS_GUEST_ES_SEL + i, s->selector);
	vmwrite(VMCS_GUEST_ES_LIMIT + i, s->limit);
	vmwrite(VMCS_GUEST_ES_AR + i, access_rights(s->attrib));
	vmwrite(VMCS_GUEST_ES_BASE + i, s->base);
}

static uint64_t descriptor_base(const uint64_t *gdt, uint16_t selector)
{
	const uint64_t *d = &gdt[selector >> 3];

	return ((d[0] >> 16) & 0xffffffu) | (((d[0] >> 56) & 0xffu) << 24) | (d[1] << 32);
}

/* The host state a VM exit loads: this CPU as it runs now. */
static void write_host_state(void)
{
	struct __attribute__((packed)) table_register {
		uint16_t limit;
		uint64_t base;
	};
	struct table_register gdtr;
	struct table_register idtr;
	uint16_t sel;

	__asm__ volatile("sgdt %0" : "=m"(gdtr));
	__asm__ volatile("sidt %0" : "=m"(idtr));
	vmwrite(VMCS_HOST_CR0, read_cr(0));
	vmwrite(VMCS_HOST_CR3, read_cr(3));
	vmwrite(VMCS_HOST_CR4, read_cr(4));
	__asm__ volatile("mov %%es, %0" : "=r"(sel));
	vmwrite(VMCS_HOST_ES_SEL, sel & ~7u);
	__asm__ volatile("mov %%cs, %0" : "=r"(sel));
	vmwrite(VMCS_HOST_ES_SEL + 2u, sel & ~7u);
	__asm__ volatile("mov %%ss, %0" : "=r"(sel));
	vmwrite(VMCS_HOST_ES_SEL + 4u, sel & ~7u);
	__asm__ volatile("mov %%ds, %0" : "=r"(sel));
	vmwrite(VMCS_HOST_ES_SEL + 6u, sel & ~7u);
	__asm__ volatile("mov %%fs, %0" : "=r"(sel));
	vmwrite(VMCS_HOST_ES_SEL + 8u, sel & ~7u);
	__asm__ volatile("mov %%gs, %0" : "=r"(sel));
	vmwrite(VMCS_HOST_ES_SEL + 10u, sel & ~7u);
	__asm__ volatile("str %0" : "=r"(sel));
	vmwrite(VMCS_HOST_ES_SEL + 12u, sel & ~7u);
	vmwrite(VMCS_HOST_TR_BASE, descriptor_base((const uint64_t *)(uintptr_t)gdtr.base, sel));
	vmwrite(VMCS_HOST_GDTR_BASE, gdtr.base);
	vmwrite(VMCS_HOST_IDTR_BASE, idtr.base);
	vmwrite(VMCS_HOST_FS_BASE, rdmsr(MSR_FS_BASE));
	vmwrite(VMCS_HOST_GS_BASE, rdmsr(MSR_GS_BASE)); /* this CPU's struct cpu */
	vmwrite(VMCS_HOST_SYSENTER_CS, rdmsr(MSR_SYSENTER_CS));
	vmwrite(VMCS_HOST_SYSENTER_ESP, rdmsr(MSR_SYSENTER_ESP));
	vmwrite(VMCS_HOST_SYSENTER_EIP, rdmsr(MSR_SYSENTER_EIP));
	vmwrite(VMCS_HOST_EFER, rdmsr(MSR_EFER));
	vmwrite(VMCS_HOST_PAT, rdmsr(MSR_PAT));
	vmwrite(VMCS_HOST_RIP, (uint64_t)(uintptr_t)&vmx_exit_point);
}

/* CR0 and CR4 as the guest sees them (its read shadows) and as VMX needs
 * them: the bits VMX fixes are owned by the hypervisor (the guest/host
 * masks), so a guest write that would change them exits. */
static void write_control_registers(struct vmx_cpu *c, const struct vmcb_save *s)
{
	uint64_t cr0_forced = vmx_caps.cr0_fixed0 & ~(CR0_PE | CR0_PG); /* unrestricted guest */

	c->cr0_mask = cr0_forced | (~vmx_caps.cr0_fixed1 & 0xffffffffu);
	c->cr4_mask = vmx_caps.cr4_fixed0 | CR4_VMXE | ~vmx_caps.cr4_fixed1;
	vmwrite(VMCS_CR0_MASK, c->cr0_mask);
	vmwrite(VMCS_CR0_SHADOW, s->cr0);
	vmwrite(VMCS_GUEST_CR0, s->cr0 | cr0_forced);
	vmwrite(VMCS_CR4_MASK, c->cr4_mask);
	vmwrite(VMCS_CR4_SHADOW, s->cr4);
	vmwrite(VMCS_GUEST_CR4, s->cr4 | vmx_caps.cr4_fixed0 | CR4_VMXE);
	vmwrite(VMCS_GUEST_CR3, s->cr3);
}

void vmx_vcpu_reset(struct vcpu *v, struct vmcb *image)
{
	static uint8_t vmcs_regions[MAX_CPUS][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
	static uint8_t msr_bitmap[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
	const struct partition_arch *a = &v->part->arch;
	struct vmx_cpu *c = &vmx_cpus[v->pcpu];
	const struct vmcb_save *s = &image->save;
	uint8_t *vmcs = vmcs_regions[v->pcpu];
	uint64_t pa = (uint64_t)(uintptr_t)vmcs;
	uint64_t tick = x86_tsc_hz() / 1000u >> vmx_caps.timer_shift;

	/* A fresh VMCS: VMCLEAR leaves it clear (launch next), VMPTRLD makes
	 * it this CPU's current one. */
	*(uint32_t *)(void *)vmcs = vmx_caps.revision;
	__asm__ volatile("vmclear %0" : : "m"(pa) : "cc", "memory");
	__asm__ volatile("vmptrld %0" : : "m"(pa) : "cc", "memory");
	v->arch.launched = false;
	/* Nothing this partition's EPT or VPID cached in a previous run may
	 * survive it. */
	invalidate_all();
	(void)memset(msr_bitmap, 0xff, sizeof(msr_bitmap)); /* every MSR access exits */

	c->proc = vmx_caps.proc;
	c->entry = vmx_caps.entry;
	vmwrite(VMCS_PIN_CONTROLS, vmx_caps.pin);
	vmwrite(VMCS_PROC_CONTROLS, c->proc);
	vmwrite(VMCS_PROC2_CONTROLS, vmx_caps.proc2);
	vmwrite(VMCS_EXIT_CONTROLS, vmx_caps.exit);
	vmwrite(VMCS_ENTRY_CONTROLS, c->entry);
	/* #UD: VMMCALL, the hypercall, is one on Intel CPUs. */
	vmwrite(VMCS_EXCEPTION_BITMAP, (uint64_t)1 << VECTOR_UD);
	vmwrite(VMCS_IO_BITMAP_A, (uint64_t)(uintptr_t)a->iopm); /* ports 0-0x7fff */
	vmwrite(VMCS_IO_BITMAP_B, (uint64_t)(uintptr_t)a->iopm + PAGE_SIZE);
	vmwrite(VMCS_MSR_BITMAP, (uint64_t)(uintptr_t)msr_bitmap);
	vmwrite(VMCS_EPT_POINTER, a->npt_root | EPTP_WB_4LEVEL);
	vmwrite(VMCS_VPID, a->asid);
	vmwrite(VMCS_LINK_POINTER, ~0ULL);
	/* Taken back within a millisecond whatever the guest does with its
	 * interrupt flag: the watchdog, a stop, a due timer are seen. */
	vmwrite(VMCS_PREEMPTION_TIMER, tick != 0u ? tick : 1u);
	write_host_state();

	write_segment(SEG_ES, &s->es);
	write_segment(SEG_CS, &s->cs);
	write_segment(SEG_SS, &s->ss);
	write_segment(SEG_DS, &s->ds);
	write_segment(SEG_FS, &s->fs);
	write_segment(SEG_GS, &s->gs);
	write_segment(SEG_LDTR, &s->ldtr);
	write_segment(SEG_TR, &s->tr);
	vmwrite(VMCS_GUEST_GDTR_BASE, s->gdtr.base);
	vmwrite(VMCS_GUEST_GDTR_LIMIT, s->gdtr.limit);
	vmwrite(VMCS_GUEST_IDTR_BASE, s->idtr.base);
	vmwrite(VMCS_GUEST_IDTR_LIMIT, s->idtr.limit);
	write_control_registers(c, s);
	vmwrite(VMCS_GUEST_DR7, s->dr7);
	vmwrite(VMCS_GUEST_RFLAGS, s->rflags);
	vmwrite(VMCS_GUEST_RIP, s->rip);
	vmwrite(VMCS_GUEST_RSP, s->rsp);
	vmwrite(VMCS_GUEST_EFER, s->efer & ~EFER_SVME);
	vmwrite(VMCS_GUEST_PAT, s->g_pat);
	vmwrite(VMCS_GUEST_SYSENTER_CS, 0);
	vmwrite(VMCS_GUEST_SYSENTER_ESP, 0);
	vmwrite(VMCS_GUEST_SYSENTER_EIP, 0);
	vmwrite(VMCS_GUEST_ACTIVITY, 0);
	vmwrite(VMCS_GUEST_INTERRUPTIBILITY, 0);
	vmwrite(VMCS_ENTRY_INTR_INFO, 0);
	c->exit_rip = s->rip;
}

/* An event for the next entry: where vcpu.c takes one cut short by an
 * exit from, and delivers it again. */
static void deliver(struct vmcb *image, uint32_t vector, bool error)
{
	image->control.exit_int_info = EVENT_VALID | EVENT_TYPE_EXCEPTION | vector |
				       (error ? EVENT_ERROR_VALID : 0u);
}

/* General register @index in ModRM order (RAX and RSP in the image). */
static uint64_t *vmx_gpr(struct vcpu *v, struct vmcb_save *s, unsigned int index)
{
	struct guest_regs *r = &v->arch.regs;
	uint64_t *const order[16] = {&s->rax, &r->rcx, &r->rdx, &r->rbx, &s->rsp, &r->rbp,
				     &r->rsi, &r->rdi, &r->r8, &r->r9, &r->r10, &r->r11,
				     &r->r12, &r->r13, &r->r14, &r->r15};

	return order[index & 15u];
}

/* MOV to CR0 that changes a bit VMX fixes (CR0.NE): the guest's value in
 * its shadow, the fixed bits kept underneath; entering or leaving long mode
 * as the CPU would (EFER.LMA and the IA-32e entry control). */
static bool write_cr0(struct vmx_cpu *c, struct vmcb_save *s, uint64_t value)
{
	uint64_t forced = vmx_caps.cr0_fixed0 & ~(CR0_PE | CR0_PG);
	uint64_t efer = vmread(VMCS_GUEST_EFER);

	if ((value >> 32) != 0u || (value & ~vmx_caps.cr0_fixed1 & ~(CR0_PE | CR0_PG)) != 0u ||
	    ((value & CR0_PG) != 0u && (value & CR0_PE) == 0u) ||
	    ((value & CR0_NW) != 0u && (value & CR0_CD) == 0u))
		return false;
	if ((value & CR0_PG) != 0u && (s->cr0 & CR0_PG) == 0u && (efer & EFER_LME) != 0u) {
		if ((s->cr4 & CR4_PAE) == 0u)
			return false;
		efer |= EFER_LMA;
		c->entry |= ENTRY_IA32E;
	} else if ((value & CR0_PG) == 0u && (efer & EFER_LMA) != 0u) {
		efer &= ~EFER_LMA;
		c->entry &= ~ENTRY_IA32E;
	} else {
		/* paging unchanged, or on without long mode: EFER stays */
	}
	vmwrite(VMCS_GUEST_EFER, efer);
	vmwrite(VMCS_ENTRY_CONTROLS, c->entry);
	vmwrite(VMCS_CR0_SHADOW, value);
	vmwrite(VMCS_GUEST_CR0, value | forced);
	s->cr0 = value;
	s->efer = efer | EFER_SVME;
	return true;
}

/* MOV to CR4: CR4.VMXE (the guest sees no VMX) and bits this CPU lacks are
 * a #GP, as on a CPU without them. */
static bool write_cr4(struct vmcb_save *s, uint64_t value)
{
	if ((value & CR4_VMXE) != 0u || (value & ~vmx_caps.cr4_fixed1) != 0u)
		return false;
	vmwrite(VMCS_CR4_SHADOW, value);
	vmwrite(VMCS_GUEST_CR4, value | vmx_caps.cr4_fixed0 | CR4_VMXE);
	s->cr4 = value;
	return true;
}

static void control_register(struct vcpu *v, struct vmx_cpu *c, struct vmcb *image,
			     uint64_t qualification, uint64_t next)
{
	struct vmcb_save *s = &image->save;
	unsigned int cr = (unsigned int)(qualification & 15u);
	unsigned int type = (unsigned int)(qualification >> 4) & 3u;
	uint64_t *reg = vmx_gpr(v, s, (unsigned int)(qualification >> 8) & 15u);
	bool done = false;

	if (type == 0u && cr == 0u)
		done = write_cr0(c, s, *reg);
	else if (type == 0u && cr == 4u)
		done = write_cr4(s, *reg);
	else if (type == 0u && cr == 3u) { /* CPUs that force CR3 exits */
		vmwrite(VMCS_GUEST_CR3, *reg);
		invalidate_all();
		done = true;
	} else if (type == 1u && cr == 3u) {
		*reg = vmread(VMCS_GUEST_CR3);
		done = true;
	} else {
		/* CLTS, LMSW and the rest never exit with these masks */
	}
	if (!done) {
		deliver(image, VECTOR_GP, true);
		return;
	}
	s->rip = next;
}

/* A #UD the guest raised: VMMCALL (the hypercall on SVM) becomes the
 * hypercall exit; anything else is delivered to the guest. */
static uint32_t undefined_opcode(const struct vcpu *v, struct vmcb *image)
{
	static const uint8_t OP_VMMCALL[] = {0x0f, 0x01, 0xd9};
	uint8_t code[INSN_MAX_LENGTH];
	size_t len = guest_fetch(v, &image->save, code);
	unsigned int length;

	if (decode_length(code, len, guest_long_mode(&image->save), OP_VMMCALL,
			  sizeof(OP_VMMCALL), &length) == BH_OK) {
		image->control.next_rip = image->save.rip + length;
		return VMEXIT_VMMCALL;
	}
	deliver(image, VECTOR_UD, false);
	return EXIT_NOTHING;
}

/* The guest state the shared emulation reads, into the image. */
static void read_guest_state(struct vmx_cpu *c, struct vmcb_save *s)
{
	uint32_t cs_ar = (uint32_t)vmread(VMCS_GUEST_ES_AR + 2u);

	s->rip = vmread(VMCS_GUEST_RIP);
	s->rsp = vmread(VMCS_GUEST_RSP);
	s->rflags = vmread(VMCS_GUEST_RFLAGS);
	s->cr0 = (vmread(VMCS_GUEST_CR0) & ~c->cr0_mask) | (vmread(VMCS_CR0_SHADOW) & c->cr0_mask);
	s->cr4 = (vmread(VMCS_GUEST_CR4) & ~c->cr4_mask) | (vmread(VMCS_CR4_SHADOW) & c->cr4_mask);
	s->cr3 = vmread(VMCS_GUEST_CR3);
	s->efer = vmread(VMCS_GUEST_EFER) | EFER_SVME; /* as SVM's image holds it */
	s->cs.selector = (uint16_t)vmread(VMCS_GUEST_ES_SEL + 2u);
	s->cs.base = vmread(VMCS_GUEST_ES_BASE + 2u);
	s->cs.attrib = svm_attrib(cs_ar);
	s->cpl = (uint8_t)((vmread(VMCS_GUEST_ES_AR + 4u) >> 5) & 3u); /* SS.DPL */
	c->exit_rip = s->rip;
	/* IA-32e mode guest follows EFER.LMA: the CPU stored it on the exit. */
	c->entry = (c->entry & ~ENTRY_IA32E) | ((uint32_t)vmread(VMCS_ENTRY_CONTROLS) & ENTRY_IA32E);
}

/* The exit in SVM's terms: its code, with EXITINFO and next RIP filled. */
static uint32_t translate_exit(struct vcpu *v, struct vmx_cpu *c, struct vmcb *image,
			       uint32_t reason)
{
	struct vmcb_control *ctl = &image->control;
	uint64_t q = vmread(VMCS_EXIT_QUALIFICATION);
	uint64_t next = image->save.rip + vmread(VMCS_EXIT_INSN_LEN);

	ctl->next_rip = next;
	switch (reason) {
	case EXIT_EXCEPTION_NMI: {
		uint32_t info = (uint32_t)vmread(VMCS_EXIT_INTR_INFO);

		if ((info & INTR_TYPE_MASK) == INTR_TYPE_NMI)
			return VMEXIT_NMI;
		return undefined_opcode(v, image); /* the only exception intercepted */
	}
	case EXIT_EXTERNAL_INT:
	case EXIT_INTR_WINDOW:
	case EXIT_PREEMPTION_TIMER:
		return EXIT_NOTHING;
	case EXIT_TRIPLE_FAULT:
		return VMEXIT_SHUTDOWN;
	case EXIT_INIT:
		return VMEXIT_INIT;
	case EXIT_CPUID:
		return VMEXIT_CPUID;
	case EXIT_HLT:
		return VMEXIT_HLT;
	case EXIT_INVD:
		return VMEXIT_INVD;
	case EXIT_WBINVD:
		return VMEXIT_WBINVD;
	case EXIT_VMCALL:
		return VMEXIT_VMMCALL;
	case EXIT_RDMSR:
	case EXIT_WRMSR:
		ctl->exit_info1 = reason == EXIT_WRMSR ? 1ULL : 0ULL;
		return VMEXIT_MSR;
	case EXIT_IO:
		/* SVM's IOIO word: port, one-hot size, direction, string, REP. */
		ctl->exit_info1 = (q >> 16 << 16) | (((q & 7u) + 1u) << IOIO_SIZE_SHIFT) |
				  ((q >> 3) & 1u) | (((q >> 4) & 1u) << 2) | (((q >> 5) & 1u) << 3);
		ctl->exit_info2 = next;
		return VMEXIT_IOIO;
	case EXIT_EPT_VIOLATION:
		ctl->exit_info1 = ((q & 2u) ? NPF_WRITE : 0u) | ((q & 4u) ? NPF_FETCH : 0u);
		ctl->exit_info2 = vmread(VMCS_GUEST_PHYS_ADDR);
		return VMEXIT_NPF;
	case EXIT_CR_ACCESS:
		control_register(v, c, image, q, next);
		return EXIT_NOTHING;
	case EXIT_GETSEC:
	case EXIT_INVEPT:
	case EXIT_INVVPID:
	case EXIT_VMFUNC:
		return VMEXIT_VMRUN; /* the guest sees no VMX: a #UD */
	default:
		if (reason >= EXIT_VMCLEAR && reason <= EXIT_VMXON)
			return VMEXIT_VMRUN;
		return EXIT_UNMAPPED + reason; /* EPT misconfiguration, task switch, ... */
	}
}

/* What the emulation changed, and the next event, into the VMCS. */
static void prepare_entry(struct vmx_cpu *c, struct vmcb *image)
{
	struct vmcb_control *ctl = &image->control;
	const struct vmcb_save *s = &image->save;
	uint64_t efer = vmread(VMCS_GUEST_EFER);
	uint32_t blocking = (uint32_t)vmread(VMCS_GUEST_INTERRUPTIBILITY);
	uint32_t proc = c->proc & ~PROC_INTR_WINDOW;

	vmwrite(VMCS_GUEST_RIP, s->rip);
	vmwrite(VMCS_GUEST_RSP, s->rsp);
	vmwrite(VMCS_GUEST_RFLAGS, s->rflags);
	/* A WRMSR may have changed EFER; LMA stays the CPU's. */
	vmwrite(VMCS_GUEST_EFER, (s->efer & ~(EFER_SVME | EFER_LMA)) | (efer & EFER_LMA));
	/* An emulated instruction ended any STI or MOV SS shadow. */
	if (s->rip != c->exit_rip && (blocking & INTERRUPTIBILITY_STI_MOVSS) != 0u) {
		blocking &= ~INTERRUPTIBILITY_STI_MOVSS;
		vmwrite(VMCS_GUEST_INTERRUPTIBILITY, blocking);
	}
	uint64_t event = ctl->event_inj;

	if ((event & EVENT_VALID) != 0u) {
		uint32_t info = (uint32_t)event;

		if ((s->cr0 & CR0_PE) == 0u)
			info &= ~INTR_ERROR_VALID; /* real mode pushes no error code */
		vmwrite(VMCS_ENTRY_INTR_INFO, info);
		vmwrite(VMCS_ENTRY_ERROR_CODE, event >> 32);
		vmwrite(VMCS_ENTRY_INSN_LEN, vmread(VMCS_EXIT_INSN_LEN));
		if ((ctl->int_ctl & INT_CTL_V_IRQ) != 0u)
			proc |= PROC_INTR_WINDOW;
	} else if ((ctl->int_ctl & INT_CTL_V_IRQ) != 0u) {
		/* SVM's V_IRQ: taken at once if the guest can, else when it can. */
		if ((s->rflags & RFLAGS_IF) != 0u && (blocking & INTERRUPTIBILITY_STI_MOVSS) == 0u) {
			vmwrite(VMCS_ENTRY_INTR_INFO, INTR_INFO_VALID | INTR_TYPE_EXTERNAL |
				(uint32_t)((ctl->int_ctl & INT_CTL_V_INTR_VECTOR_MASK) >> 32));
			ctl->int_ctl &= ~INT_CTL_V_IRQ; /* taken, as SVM's CPU clears it */
		} else {
			proc |= PROC_INTR_WINDOW;
			vmwrite(VMCS_ENTRY_INTR_INFO, 0);
		}
	} else {
		vmwrite(VMCS_ENTRY_INTR_INFO, 0);
	}
	if (proc != c->proc) {
		c->proc = proc;
		vmwrite(VMCS_PROC_CONTROLS, proc);
	}
}

void vmx_vcpu_run(struct vcpu *v, struct vmcb *image)
{
	struct vmx_cpu *c = &vmx_cpus[v->pcpu];
	struct vmcb_control *ctl = &image->control;

	prepare_entry(c, image);
	ctl->exit_int_info = 0;
	/* Interrupts off across the switch: one arriving in the guest makes it
	 * exit (external-interrupt exiting, not acknowledged), and is taken
	 * here once they are on again. */
	__asm__ volatile("cli" : : : "memory");
	int failed = vmx_run(&v->arch.regs, &image->save.rax, v->arch.launched ? 1 : 0);

	__asm__ volatile("sti" : : : "memory");
	if (failed != 0) {
		log_printf("partition %s: vCPU %u: VM entry failed (VM-instruction error %llu)\n",
			   v->part->cfg->name, v->index,
			   (unsigned long long)vmread(VMCS_INSN_ERROR));
		ctl->exit_code = VMEXIT_INVALID;
		return;
	}
	v->arch.launched = true;
	uint32_t reason = (uint32_t)vmread(VMCS_EXIT_REASON);

	read_guest_state(c, &image->save);
	uint32_t vectoring = (uint32_t)vmread(VMCS_IDT_VECTORING_INFO);

	if ((vectoring & INTR_INFO_VALID) != 0u)
		ctl->exit_int_info = vectoring |
				     ((vectoring & INTR_ERROR_VALID)
					      ? vmread(VMCS_IDT_VECTORING_ERROR) << 32 : 0ULL);
	if ((reason & EXIT_ENTRY_FAILED) != 0u) {
		log_printf("partition %s: vCPU %u: VM entry refused the guest state (exit reason "
			   "%u, qualification 0x%llx)\n", v->part->cfg->name, v->index,
			   reason & 0xffffu,
			   (unsigned long long)vmread(VMCS_EXIT_QUALIFICATION));
		ctl->exit_code = VMEXIT_INVALID;
		return;
	}
	ctl->exit_code = translate_exit(v, c, image, reason & 0xffffu);
}
