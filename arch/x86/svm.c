// SPDX-License-Identifier: Apache-2.0
/*
 * The AMD SVM backend: detection, what every CPU needs before its first
 * VMRUN (EFER.SVME and its host save area), a VMCB's intercepts and nested
 * paging, and the world switch. The VMCB is the vCPU's state image itself.
 * VMX is never touched: on a CPU without it, setting CR4.VMXE faults (and
 * hangs some QEMU versions).
 */

#include <string.h>

#include <bulkhead/console.h>
#include <bulkhead/cpu.h>
#include <bulkhead/partition.h>

#include <arch/vmcb.h>
#include <arch/x86.h>

#define CPUID_EXT_SVM (1u << 2)       /* 0x80000001 ECX */
#define CPUID_SVM_NPT (1u << 0)       /* 0x8000000a EDX */
#define CPUID_SVM_NRIPS (1u << 3)     /* 0x8000000a EDX: next RIP saved on intercepts */
#define VM_CR_SVMDIS (1ull << 4)

static uint8_t host_save_areas[MAX_CPUS][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static uint8_t host_state[MAX_CPUS][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

static const char *svm_missing(void)
{
	if (cpuid(0x80000000u, 0).eax < 0x8000000au)
		return "the CPU reports no extended CPUID leaf 0x8000000a";
	if (!(cpuid(0x80000001u, 0).ecx & CPUID_EXT_SVM))
		return "the CPU has no SVM (CPUID 0x80000001 ECX bit 2 is clear)";
	if (!(cpuid(0x8000000au, 0).edx & CPUID_SVM_NPT))
		return "the CPU has SVM but no nested paging (CPUID 0x8000000a EDX bit 0 is clear)";
	if ((rdmsr(MSR_VM_CR) & VM_CR_SVMDIS) != 0u)
		return "SVM is disabled by the firmware (VM_CR.SVMDIS)";
	return NULL;
}

static enum bh_err svm_init_platform(struct platform_arch *a)
{
	a->svm_asids = cpuid(0x8000000au, 0).ebx;
	a->svm_nrips = (cpuid(0x8000000au, 0).edx & CPUID_SVM_NRIPS) != 0u;
	a->nested_gib_pages = mmu_gib_pages();
	x86_set_next_rip_saved(a->svm_nrips);
	x86_set_asids(a->svm_asids);
	return BH_OK;
}

static void svm_report(const struct platform_arch *a)
{
	log_printf("svm: nested paging, %u ASIDs, %s\n", a->svm_asids,
		   a->svm_nrips ? "next RIP saved" : "no next RIP (instruction lengths decoded)");
}

static void svm_cpu_init(unsigned int index)
{
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
	wrmsr(MSR_VM_HSAVE_PA, (uint64_t)(uintptr_t)host_save_areas[index]);
}

static uint8_t msrpm[2 * PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

static void svm_vcpu_reset(struct vcpu *v, struct vmcb *vmcb)
{
	const struct partition_arch *a = &v->part->arch;
	struct vmcb_control *c = &vmcb->control;

	(void)memset(msrpm, 0xff, sizeof(msrpm)); /* every MSR access traps */
	/* WBINVD and INVD would write back or drop caches other partitions
	 * share; INVLPGA would act on any ASID, the host's among them (the
	 * guest's EFER.SVME is set underneath): all three are intercepted. */
	c->intercept_misc1 = INTERCEPT_INTR | INTERCEPT_NMI | INTERCEPT_INIT | INTERCEPT_CPUID |
			     INTERCEPT_INVD | INTERCEPT_HLT | INTERCEPT_INVLPGA | INTERCEPT_IOIO |
			     INTERCEPT_MSR | INTERCEPT_SHUTDOWN;
	c->intercept_misc2 = INTERCEPT_VMRUN | INTERCEPT_VMMCALL | INTERCEPT_VMLOAD |
			     INTERCEPT_VMSAVE | INTERCEPT_STGI | INTERCEPT_CLGI | INTERCEPT_SKINIT |
			     INTERCEPT_WBINVD;
	c->iopm_base_pa = (uint64_t)(uintptr_t)a->iopm;
	c->msrpm_base_pa = (uint64_t)(uintptr_t)msrpm;
	c->asid = a->asid;
	/* Nothing this ASID cached in a previous run may survive. */
	c->tlb_control = TLB_FLUSH_ALL;
	c->int_ctl = INT_CTL_V_INTR_MASKING;
	c->np_enable = 1;
	c->n_cr3 = a->npt_root;
	vmcb->save.efer = EFER_SVME; /* required by VMRUN; the guest never sees it */
}

/* GIF clear around the world switch; the host's IF set so that physical
 * interrupts in the guest exit (V_INTR_MASKING), and are taken here once
 * GIF is set again. */
static void svm_run(struct vcpu *v, struct vmcb *vmcb)
{
	__asm__ volatile("cli\n\tclgi\n\tsti" : : : "memory");
	svm_vmrun((uint64_t)(uintptr_t)vmcb, &v->arch.regs,
		  (uint64_t)(uintptr_t)host_state[v->pcpu]);
	__asm__ volatile("stgi" : : : "memory");
	vmcb->control.tlb_control = 0;
}

const struct x86_virt svm_virt = {
	.name = "svm",
	.missing = svm_missing,
	.init_platform = svm_init_platform,
	.cpu_init = svm_cpu_init,
	.report = svm_report,
	.vcpu_reset = svm_vcpu_reset,
	.run = svm_run,
	.ept = false,
};
