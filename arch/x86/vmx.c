// SPDX-License-Identifier: Apache-2.0
/*
 * The Intel VMX backend, its CPU side: what the CPU must offer (read from
 * the capability MSRs once, on the boot CPU), the controls every VMCS gets,
 * and VMXON on each CPU. The VMCSs themselves are vmx_vcpu.c's.
 *
 * Required: EPT (4-level walks, write-back tables, INVEPT of all contexts),
 * unrestricted guest (vCPUs start in protected mode with paging off, and
 * after a SIPI in real mode), VPID (with INVVPID of all contexts) and the
 * VMX preemption timer: a guest that spins with interrupts off is taken back
 * by it, since an interrupt for the host need not make such a guest exit
 * (bochs waits for its STI; the SDM allows the timer either way). Every
 * EPT-capable Intel CPU since Westmere has all four.
 */

#include <bulkhead/console.h>
#include <bulkhead/cpu.h>

#include <arch/vmcs.h>
#include <arch/x86.h>

#define CPUID_1_VMX 0x20u
#define VMX_BASIC_TRUE_CTLS 0x80000000000000ULL
#define CR4_VMXE 0x2000ULL

struct vmx_caps vmx_caps;

/* @want with the bits the CPU forces on (the MSR's low half) added; the
 * wanted bits it cannot set (its high half) in *@missing. */
static uint32_t control(uint32_t msr, uint32_t want, uint32_t *missing)
{
	uint64_t cap = rdmsr(msr);
	uint32_t may = (uint32_t)(cap >> 32);

	*missing = want & ~may;
	return (want | (uint32_t)cap) & may;
}

static const char *read_caps(struct vmx_caps *c)
{
	uint64_t basic = rdmsr(MSR_VMX_BASIC);
	bool true_ctls = (basic & VMX_BASIC_TRUE_CTLS) != 0u;
	uint32_t missing;

	c->revision = (uint32_t)basic & 0x7fffffffu;
	c->pin = control(true_ctls ? MSR_VMX_TRUE_PINBASED : 0x481u,
			 PIN_EXT_INT | PIN_NMI | PIN_PREEMPTION_TIMER, &missing);
	if ((missing & PIN_PREEMPTION_TIMER) != 0u)
		return "the CPU has VMX but no preemption timer (IA32_VMX_PINBASED_CTLS bit 38 "
		       "is clear)";
	c->proc = control(true_ctls ? MSR_VMX_TRUE_PROCBASED : 0x482u,
			  PROC_HLT | PROC_IO_BITMAPS | PROC_MSR_BITMAPS | PROC_SECONDARY, &missing);
	if ((missing & PROC_SECONDARY) != 0u)
		return "the CPU has VMX but no secondary controls, so no EPT "
		       "(IA32_VMX_PROCBASED_CTLS bit 63 is clear)";
	if (missing != 0u)
		return "the CPU's VMX lacks HLT exiting, I/O or MSR bitmaps";
	c->proc2 = control(MSR_VMX_PROCBASED2, PROC2_EPT | PROC2_VPID | PROC2_UNRESTRICTED |
			   PROC2_WBINVD, &missing);
	if ((missing & PROC2_EPT) != 0u)
		return "the CPU has VMX but no EPT (IA32_VMX_PROCBASED_CTLS2 bit 33 is clear)";
	if ((missing & PROC2_UNRESTRICTED) != 0u)
		return "the CPU has VMX with EPT but no unrestricted guest "
		       "(IA32_VMX_PROCBASED_CTLS2 bit 39 is clear)";
	if (missing != 0u)
		return "the CPU has VMX with EPT but no VPID or WBINVD exiting";
	/* RDTSCP where the CPU has it: without this control it is a #UD. */
	c->proc2 |= (uint32_t)(rdmsr(MSR_VMX_PROCBASED2) >> 32) & PROC2_RDTSCP;
	c->exit = control(true_ctls ? MSR_VMX_TRUE_EXIT : 0x483u,
			  EXIT_HOST_64 | EXIT_SAVE_EFER | EXIT_LOAD_EFER | EXIT_LOAD_PAT, &missing);
	if (missing != 0u)
		return "the CPU's VM exits cannot switch to 64-bit mode, EFER and PAT";
	c->entry = control(true_ctls ? MSR_VMX_TRUE_ENTRY : 0x484u,
			   ENTRY_LOAD_EFER | ENTRY_LOAD_PAT, &missing);
	if (missing != 0u)
		return "the CPU's VM entries cannot load EFER and PAT";
	c->ept_vpid = rdmsr(MSR_VMX_EPT_VPID_CAP);
	uint64_t need = EPT_CAP_WALK4 | EPT_CAP_WB | EPT_CAP_INVEPT | EPT_CAP_INVEPT_ALL |
			VPID_CAP_INVVPID | VPID_CAP_INVVPID_ALL;

	if ((c->ept_vpid & need) != need)
		return "the CPU's EPT lacks 4-level write-back tables, INVEPT or INVVPID of all "
		       "contexts (IA32_VMX_EPT_VPID_CAP)";
	c->cr0_fixed0 = rdmsr(MSR_VMX_CR0_FIXED0);
	c->cr0_fixed1 = rdmsr(MSR_VMX_CR0_FIXED1);
	c->cr4_fixed0 = rdmsr(MSR_VMX_CR4_FIXED0);
	c->cr4_fixed1 = rdmsr(MSR_VMX_CR4_FIXED1);
	c->timer_shift = (unsigned int)(rdmsr(MSR_VMX_MISC) & 0x1fu);
	return NULL;
}

static const char *vmx_missing(void)
{
	if ((cpuid(1, 0).ecx & CPUID_1_VMX) == 0u)
		return "the CPU has no VMX (CPUID 1 ECX bit 5 is clear)";
	uint64_t fc = rdmsr(MSR_FEATURE_CONTROL);

	if ((fc & FEATURE_CONTROL_LOCKED) != 0u && (fc & FEATURE_CONTROL_VMXON) == 0u)
		return "VMX is disabled by the firmware (IA32_FEATURE_CONTROL locked without "
		       "VMXON outside SMX)";
	return read_caps(&vmx_caps);
}

static enum bh_err vmx_init_platform(struct platform_arch *a)
{
	a->nested_gib_pages = (vmx_caps.ept_vpid & EPT_CAP_1G) != 0u;
	a->svm_asids = 0;
	a->svm_nrips = false;
	x86_set_next_rip_saved(true); /* VM exits report instruction lengths */
	x86_set_asids(0x10000u); /* 16-bit VPIDs */
	return BH_OK;
}

static void vmx_report(const struct platform_arch *a)
{
	log_printf("vmx: EPT (2 MiB%s pages), unrestricted guest, VPID, preemption timer "
		   "(TSC / %u)\n", a->nested_gib_pages ? " and 1 GiB" : "",
		   1u << vmx_caps.timer_shift);
}

/* CR0 and CR4 as VMX operation requires (fixed bits), then VMXON. */
static void vmx_cpu_init(unsigned int index)
{
	static uint8_t vmxon_regions[MAX_CPUS][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
	uint64_t fc = rdmsr(MSR_FEATURE_CONTROL);
	uint8_t *region = vmxon_regions[index];
	uint64_t pa = (uint64_t)(uintptr_t)region;
	uint8_t failed;

	if ((fc & FEATURE_CONTROL_LOCKED) == 0u)
		wrmsr(MSR_FEATURE_CONTROL, fc | FEATURE_CONTROL_LOCKED | FEATURE_CONTROL_VMXON);
	write_cr(0, (read_cr(0) | vmx_caps.cr0_fixed0) & vmx_caps.cr0_fixed1);
	write_cr(4, (read_cr(4) | vmx_caps.cr4_fixed0 | CR4_VMXE) & vmx_caps.cr4_fixed1);
	*(uint32_t *)(void *)region = vmx_caps.revision;
	__asm__ volatile("vmxon %1\n\tsetbe %0" : "=qm"(failed) : "m"(pa) : "cc", "memory");
	if (failed != 0u)
		log_printf("fatal: cpu %u: VMXON failed\n", index);
}

const struct x86_virt vmx_virt = {
	.name = "vmx",
	.missing = vmx_missing,
	.init_platform = vmx_init_platform,
	.cpu_init = vmx_cpu_init,
	.report = vmx_report,
	.vcpu_reset = vmx_vcpu_reset,
	.run = vmx_vcpu_run,
	.ept = true,
};
