// SPDX-License-Identifier: Apache-2.0
/*
 * #VMEXITs from guests. Whatever a guest does, the outcome is emulation, an
 * exception injected into that guest, or its partition stopping: never a
 * hypervisor fault. An intercepted instruction is skipped by the next RIP
 * the CPU saved (NRIPS) or, where it saves none (QEMU's qemu64), by its
 * length decoded from the partition's RAM: prefixes make any of them longer
 * than its opcode. An I/O intercept reports the next RIP itself.
 */

#include <bulkhead/channel.h>
#include <bulkhead/console.h>
#include <bulkhead/cpu.h>
#include <bulkhead/hypercall.h>
#include <bulkhead/partition.h>

#include <arch/decode.h>
#include <arch/vmcb.h>
#include <arch/x86.h>

/* Hypercalls: VMMCALL (on VMX, VMCALL or VMMCALL) with the function in
 * RAX, arguments in RBX, RCX and RDX, the result in RAX (docs/x86.md). */
#define HC_SYSTEM_OFF 1
#define HC_SYSTEM_RESET 2
#define HC_CPU_ON 3     /* RBX = vCPU, RCX = entry, RDX = its EBX/EDI */
#define HC_CPU_OFF 4
#define HC_CPU_STATUS 5 /* RBX = vCPU; 0 on, 1 off, 2 starting */
#define HC_SUCCESS 0
#define HC_UNKNOWN ((uint64_t)-1)
#define HC_INVALID ((uint64_t)-2)
#define HC_ALREADY_ON ((uint64_t)-3)

#define VECTOR_UD 6
#define VECTOR_GP 13
#define FAULT_REPORT_LIMIT 8

#define RFLAGS_IF (1ull << 9)
#define NPF_WRITE (1ull << 1)
#define NPF_FETCH (1ull << 4)

static void inject_exception(struct vmcb *vmcb, unsigned int vector, bool has_error)
{
	vmcb->control.event_inj = EVENT_VALID | EVENT_TYPE_EXCEPTION | vector |
				  (has_error ? EVENT_ERROR_VALID : 0); /* error code 0 */
}

/* A guest reports its own faults, a bounded number of times. */
static bool may_report(struct vcpu *v)
{
	return v->part->arch.fault_reports++ < FAULT_REPORT_LIMIT;
}

/* An instruction Bulkhead had to read from guest memory (an MMIO access's,
 * or an intercepted one's without NRIPS) is not in the partition's RAM as
 * the guest ran it: its page tables or the code itself in a device or
 * nowhere, or changed meanwhile. Nothing was read there; the guest gets a
 * #GP at it, and its partition a fault for its policy. */
static void not_in_ram(struct vcpu *v, struct vmcb *vmcb, const char *what)
{
	if (may_report(v))
		log_printf("partition %s: vCPU %u: %s at rip 0x%llx: instruction not in the "
			   "partition's RAM, #GP injected\n", v->part->cfg->name, v->index, what,
			   (unsigned long long)vmcb->save.rip);
	inject_exception(vmcb, VECTOR_GP, true);
	partition_fault(v->part, "instruction not in the partition's RAM");
}

/* The intercepted instruction (one of @count opcodes of @opcode_len bytes
 * each at @opcodes, prefixes left out): where it ends, or false (and a
 * fault for the guest) if that cannot be known. */
static bool insn_end_of(struct vcpu *v, struct vmcb *vmcb, const uint8_t *opcodes,
			size_t opcode_len, size_t count, const char *what, uint64_t *next)
{
	const struct vmcb_save *s = &vmcb->save;
	uint64_t saved = vmcb->control.next_rip;
	uint8_t code[INSN_MAX_LENGTH];
	unsigned int length;

	if (x86_next_rip_saved() && saved > s->rip && saved - s->rip <= INSN_MAX_LENGTH) {
		*next = saved;
		return true;
	}
	size_t len = guest_fetch(v, s, code);

	for (size_t i = 0; i < count; i++) {
		if (decode_length(code, len, guest_long_mode(s), opcodes + i * opcode_len,
				  opcode_len, &length) == BH_OK) {
			*next = s->rip + length;
			return true;
		}
	}
	not_in_ram(v, vmcb, what);
	return false;
}

static bool insn_end(struct vcpu *v, struct vmcb *vmcb, const uint8_t *opcode, size_t opcode_len,
		     const char *what, uint64_t *next)
{
	return insn_end_of(v, vmcb, opcode, opcode_len, 1, what, next);
}

/* Hypervisor leaves: the highest one and the signature, and the TSC's
 * rate in kHz in EAX (the leaf other hypervisors use for it). */
#define CPUID_HYPERVISOR 0x40000000u
#define CPUID_FEATURES 0x40000001u
#define CPUID_TSC_KHZ 0x40000010u
/* CPUID_FEATURES EAX: the hypercall instruction is VMCALL (Intel VMX), not
 * VMMCALL, so a guest picks the one its CPU has without an emulated #UD. */
#define CPUID_FEATURE_VMCALL 1u

static void emulate_cpuid(struct vcpu *v, struct vmcb *vmcb)
{
	static const uint8_t OP_CPUID[] = {0x0f, 0xa2};
	uint32_t leaf = (uint32_t)vmcb->save.rax;
	uint64_t next;

	if (!insn_end(v, vmcb, OP_CPUID, sizeof(OP_CPUID), "CPUID", &next))
		return;
	struct cpuid_regs r = cpuid(leaf, (uint32_t)v->arch.regs.rcx);

	switch (leaf) {
	case 1:
		r.ecx &= ~0x20u;      /* no VMX */
		r.ecx |= 0x80000000u; /* running under a hypervisor */
		r.ecx |= 0x01000000u; /* the local APIC timer has TSC-deadline mode */
		r.ebx = (r.ebx & 0x00ffffffu) | v->index << 24; /* APIC ID = vCPU number */
		break;
	case 0x80000001u:
		r.ecx &= ~(1u << 2); /* no SVM */
		break;
	case 0x8000000au:
		r = (struct cpuid_regs){0};
		break;
	case CPUID_HYPERVISOR:
		r = (struct cpuid_regs){CPUID_TSC_KHZ, 0x6b6c7542, 0x64616568, 0}; /* "Bulkhead" */
		break;
	case CPUID_FEATURES:
		r = (struct cpuid_regs){x86_virt() == &vmx_virt ? CPUID_FEATURE_VMCALL : 0u, 0, 0, 0};
		break;
	case CPUID_TSC_KHZ:
		/* The usual hypervisor timing leaf. The guest reads the host's
		 * TSC unchanged (no offset, no exit): its rate is the calibrated
		 * one arch_time_ns() uses; the local APIC timer's is fixed. */
		r = (struct cpuid_regs){(uint32_t)(x86_tsc_hz() / 1000u), VLAPIC_TIMER_KHZ, 0, 0};
		break;
	default:
		if (leaf > CPUID_HYPERVISOR && leaf <= CPUID_HYPERVISOR + 0xffu)
			r = (struct cpuid_regs){0}; /* the rest of our range: no such leaf */
		break;
	}
	vmcb->save.rax = r.eax;
	v->arch.regs.rbx = r.ebx;
	v->arch.regs.rcx = r.ecx;
	v->arch.regs.rdx = r.edx;
	vmcb->save.rip = next;
}

/* EFER (SVME stays set underneath) and the local APIC's TSC deadline are
 * the guest's MSRs; any other is a #GP, as on a CPU that lacks it. */
static void emulate_msr(struct vcpu *v, struct vmcb *vmcb)
{
	uint32_t msr = (uint32_t)v->arch.regs.rcx;
	bool write = vmcb->control.exit_info1 & 1;
	static const uint8_t OP_RDMSR[] = {0x0f, 0x32};
	static const uint8_t OP_WRMSR[] = {0x0f, 0x30};
	uint64_t value = (uint32_t)vmcb->save.rax | v->arch.regs.rdx << 32;
	uint64_t next;

	if (msr != MSR_EFER && msr != MSR_TSC_DEADLINE) {
		inject_exception(vmcb, VECTOR_GP, true);
		return;
	}
	if (!insn_end(v, vmcb, write ? OP_WRMSR : OP_RDMSR, sizeof(OP_RDMSR),
		      write ? "WRMSR" : "RDMSR", &next))
		return;
	switch (msr) {
	case MSR_EFER:
		if (write)
			vmcb->save.efer = value | EFER_SVME;
		else
			value = vmcb->save.efer & ~EFER_SVME;
		break;
	case MSR_TSC_DEADLINE:
		if (write)
			vlapic_write_tsc_deadline(v, value);
		else
			value = vlapic_read_tsc_deadline(v);
		break;
	default:
		break; /* not reached: refused above */
	}
	if (!write) {
		vmcb->save.rax = (uint32_t)value;
		v->arch.regs.rdx = value >> 32;
	}
	vmcb->save.rip = next;
}

static uint64_t cpu_on(struct partition *part, uint64_t index, uint64_t entry, uint64_t context)
{
	/* The vCPU starts in 32-bit protected mode: EIP and EBX are 32 bits. */
	if (index >= part->cfg->cpu_count || entry > 0xffffffffu || context > 0xffffffffu ||
	    !config_ipa_in_memory(part->cfg, entry))
		return HC_INVALID;
	switch (vcpu_power_on(part, (unsigned int)index, entry, context)) {
	case VCPU_ON_OK:
		return HC_SUCCESS;
	case VCPU_ON_ALREADY_ON:
		return HC_ALREADY_ON;
	default:
		return HC_INVALID;
	}
}

static uint64_t cpu_status(const struct partition *part, uint64_t index)
{
	bool pending;

	if (index >= part->cfg->cpu_count)
		return HC_INVALID;
	if (!vcpu_is_on(part, (unsigned int)index, &pending))
		return 1;
	return pending ? 2 : 0;
}

/* Bulkhead's SMCCC-numbered calls (docs/hypercalls.md), as on arm64:
 * function in EAX, arguments in RBX, RCX, RDX, results in RAX, RBX, RCX,
 * RDX. Their numbers (bit 31 set, owner 6) cannot be the small ones below. */
static bool vendor_hypercall(struct vcpu *v, struct vmcb *vmcb)
{
	struct guest_regs *r = &v->arch.regs;
	uint64_t out[4];

	if ((vmcb->save.rax & 0xbf000000u) != 0x86000000u || (vmcb->save.rax >> 32) != 0)
		return false;
	const struct hypercall call = {
		.fn = (uint32_t)vmcb->save.rax,
		.arg = {r->rbx, r->rcx, r->rdx},
		.caller = v->part,
		.vcpu = v->index,
	};

	(void)hypercall_dispatch(&call, out); /* the exit handler checks the vCPU on every exit */
	vmcb->save.rax = out[0];
	r->rbx = out[1];
	r->rcx = out[2];
	r->rdx = out[3];
	return true;
}

static void hypercall(struct vcpu *v, struct vmcb *vmcb)
{
	static const uint8_t OP_VMMCALL[] = {0x0f, 0x01, 0xd9};
	const struct guest_regs *r = &v->arch.regs;
	uint64_t next;

	if (!insn_end(v, vmcb, OP_VMMCALL, sizeof(OP_VMMCALL), "VMMCALL", &next))
		return;
	vmcb->save.rip = next;
	if (vendor_hypercall(v, vmcb))
		return;
	switch (vmcb->save.rax) {
	case HC_SYSTEM_OFF:
		partition_power_off(v->part, "hypercall SYSTEM_OFF");
		break;
	case HC_SYSTEM_RESET:
		partition_restart(v->part, "hypercall SYSTEM_RESET");
		break;
	case HC_CPU_ON:
		vmcb->save.rax = cpu_on(v->part, r->rbx, r->rcx, r->rdx);
		break;
	case HC_CPU_OFF:
		vmcb->save.rax = HC_SUCCESS;
		v->exit = VCPU_EXIT_OFF;
		break;
	case HC_CPU_STATUS:
		vmcb->save.rax = cpu_status(v->part, r->rbx);
		break;
	default:
		vmcb->save.rax = HC_UNKNOWN;
		break;
	}
}

static void io_access(struct vcpu *v, struct vmcb *vmcb)
{
	uint32_t info = (uint32_t)vmcb->control.exit_info1;
	uint16_t port = (uint16_t)(info >> 16);
	unsigned int size = (info >> IOIO_SIZE_SHIFT) & 7; /* one-hot: 1, 2 or 4 bytes */
	bool in = info & IOIO_IN;
	uint16_t uart = v->part->arch.uart_port;

	if (uart != 0 && port >= uart && port < uart + 8 && !(info & IOIO_STRING)) {
		uint64_t mask = size == 4 ? 0xffffffffull : size == 2 ? 0xffffull : 0xffull;

		if (in) {
			uint64_t value = v16550_read(v, port - uart);

			/* A 32-bit IN clears the upper half of RAX, as the CPU does. */
			vmcb->save.rax = size == 4 ? value : (vmcb->save.rax & ~mask) | value;
		} else {
			v16550_write(v, port - uart, (uint8_t)vmcb->save.rax);
		}
		vmcb->save.rip = vmcb->control.exit_info2;
		return;
	}
	if (!(info & IOIO_STRING)) {
		uint32_t value = 0;
		bool done = in ? vpci_port_in(v, port, size, &value)
			       : vpci_port_out(v, port, size, (uint32_t)vmcb->save.rax);

		if (done) {
			uint64_t mask = size == 4 ? 0xffffffffull : size == 2 ? 0xffffull : 0xffull;

			if (in)
				vmcb->save.rax = size == 4 ? value : (vmcb->save.rax & ~mask) | value;
			vmcb->save.rip = vmcb->control.exit_info2;
			return;
		}
	}
	if (may_report(v))
		log_printf("partition %s: vCPU %u: %s%s of port 0x%x (%u bytes) at rip 0x%llx: "
			   "not the partition's\n", v->part->cfg->name, v->index,
			   info & IOIO_STRING ? "string " : "", in ? "read" : "write", port, size,
			   (unsigned long long)vmcb->save.rip);
	partition_stop(v->part, "I/O port outside the partition");
}

static void nested_page_fault(struct vcpu *v, struct vmcb *vmcb)
{
	uint64_t error = vmcb->control.exit_info1;
	uint64_t gpa = vmcb->control.exit_info2;

	if (!(error & NPF_FETCH) &&
	    (vlapic_page(gpa) || channel_doorbell_page(v->part, gpa) >= 0 ||
	     vmsix_trapped(v->part, gpa))) {
		switch (mmio_emulate(v, gpa)) {
		case MMIO_UNSUPPORTED:
			partition_stop(v->part, "an MMIO access Bulkhead cannot emulate");
			break;
		case MMIO_UNREADABLE:
			not_in_ram(v, vmcb, vlapic_page(gpa) ? "local APIC access"
					    : vmsix_trapped(v->part, gpa) ? "MSI-X table access"
									  : "doorbell page access");
			break;
		default:
			break;
		}
		return;
	}

	/* As any stray access would be on hardware that lacks it, but the
	 * page is there to read: a #GP for the writer, a fault for its
	 * policy, nothing for the peer. */
	if ((error & NPF_WRITE) && channel_read_only_at(v->part, gpa)) {
		if (may_report(v))
			log_printf("partition %s: vCPU %u: write to a read-only channel at "
				   "guest-physical 0x%llx (rip 0x%llx): #GP injected\n",
				   v->part->cfg->name, v->index, (unsigned long long)gpa,
				   (unsigned long long)vmcb->save.rip);
		inject_exception(vmcb, VECTOR_GP, true);
		partition_fault(v->part, "write to a read-only channel");
		return;
	}
	if (may_report(v))
		log_printf("partition %s: vCPU %u: %s at guest-physical 0x%llx (rip 0x%llx): "
			   "outside the partition's memory\n", v->part->cfg->name, v->index,
			   error & NPF_FETCH ? "instruction fetch" : error & NPF_WRITE ? "write" : "read",
			   (unsigned long long)vmcb->control.exit_info2,
			   (unsigned long long)vmcb->save.rip);
	partition_stop(v->part, "access outside the partition's memory");
}

/* HLT: the partition's CPU idles until an interrupt (this CPU's timer, a
 * device interrupt for the guest, or a kick when the partition stops). */
static void halt(struct vcpu *v, struct vmcb *vmcb)
{
	static const uint8_t OP_HLT[] = {0xf4};
	uint64_t next;

	if (!insn_end(v, vmcb, OP_HLT, sizeof(OP_HLT), "HLT", &next))
		return;
	vmcb->save.rip = next;
	if (!((vmcb->save.rflags & RFLAGS_IF) && vlapic_pending(v)))
		arch_wait_event();
}

/* WBINVD and INVD: a no-op. The caches hold other partitions' lines too,
 * and writing them all back would stall every neighbour. The partition's
 * memory is write-back and coherent (nested paging, G_PAT), its devices
 * are uncached, and DMA is coherent on x86, so nothing it can observe needs
 * the write-back; an INVD that dropped dirty lines it does not own is what
 * it must not get. The first one is logged. */
static void cache_flush(struct vcpu *v, struct vmcb *vmcb)
{
	/* QEMU reports either as the WBINVD intercept. */
	static const uint8_t OP_CACHE_FLUSH[2][2] = {{0x0f, 0x09}, {0x0f, 0x08}};
	uint64_t next;

	if (!insn_end_of(v, vmcb, &OP_CACHE_FLUSH[0][0], 2, 2, "WBINVD or INVD", &next))
		return;
	if (!__atomic_exchange_n(&v->part->arch.cache_flush_seen, true, __ATOMIC_RELAXED))
		log_printf("partition %s: vCPU %u: WBINVD or INVD at rip 0x%llx: a no-op (the "
			   "caches are shared), here and from now on\n", v->part->cfg->name,
			   v->index, (unsigned long long)vmcb->save.rip);
	vmcb->save.rip = next;
}

void svm_handle_exit(struct vcpu *v, uint32_t code)
{
	struct vmcb *vmcb = v->arch.vmcb;

	v->exits++; /* the VCPU_EXITS hypercall's count (docs/hypercalls.md) */
	switch (code) {
	case VMEXIT_INTR:
	case VMEXIT_NMI:
		/* Taken by the host once GIF was set again; a chance to move
		 * console output on without waiting for the UART. */
		console_drain();
		break;
	case VMEXIT_CPUID:
		emulate_cpuid(v, vmcb);
		break;
	case VMEXIT_MSR:
		emulate_msr(v, vmcb);
		break;
	case VMEXIT_HLT:
		halt(v, vmcb);
		break;
	case VMEXIT_INVD:
	case VMEXIT_WBINVD:
		cache_flush(v, vmcb);
		break;
	case VMEXIT_IOIO:
		io_access(v, vmcb);
		break;
	case VMEXIT_VMMCALL:
		hypercall(v, vmcb);
		break;
	case VMEXIT_NPF:
		nested_page_fault(v, vmcb);
		break;
	case VMEXIT_VMRUN:
	case VMEXIT_VMLOAD:
	case VMEXIT_VMSAVE:
	case VMEXIT_STGI:
	case VMEXIT_CLGI:
	case VMEXIT_SKINIT:
	case VMEXIT_INVLPGA:
		inject_exception(vmcb, VECTOR_UD, false); /* the guest sees no SVM */
		break;
	case VMEXIT_SHUTDOWN:
		partition_stop(v->part, "triple fault (shutdown)");
		break;
	case VMEXIT_INIT:
		partition_stop(v->part, "INIT signal");
		break;
	case VMEXIT_INVALID:
		log_printf("partition %s: vCPU %u: the CPU refused the guest state\n",
			   v->part->cfg->name, v->index);
		partition_stop(v->part, "invalid guest state");
		break;
	default:
		log_printf("partition %s: vCPU %u: unexpected #VMEXIT 0x%x at rip 0x%llx\n",
			   v->part->cfg->name, v->index, code, (unsigned long long)vmcb->save.rip);
		partition_stop(v->part, "unexpected #VMEXIT");
		break;
	}
}
