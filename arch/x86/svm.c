// SPDX-License-Identifier: Apache-2.0
/*
 * AMD SVM: detection, and what every CPU needs before its first VMRUN
 * (EFER.SVME and its host save area). VMX is never touched: on a CPU
 * without it, setting CR4.VMXE faults (and hangs some QEMU versions).
 */

#include <bulkhead/cpu.h>

#include <arch/x86.h>

#define CPUID_EXT_SVM (1u << 2)       /* 0x80000001 ECX */
#define CPUID_SVM_NPT (1u << 0)       /* 0x8000000a EDX */
#define CPUID_SVM_NRIPS (1u << 3)     /* 0x8000000a EDX: next RIP saved on intercepts */
#define VM_CR_SVMDIS (1ull << 4)

static bool next_rip_saved;
static uint8_t host_save_areas[MAX_CPUS][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

const char *svm_missing(void)
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

enum bh_err svm_init_platform(struct platform_arch *a)
{
	a->svm_asids = cpuid(0x8000000au, 0).ebx;
	a->svm_nrips = (cpuid(0x8000000au, 0).edx & CPUID_SVM_NRIPS) != 0u;
	next_rip_saved = a->svm_nrips;
	svm_set_asids(a->svm_asids);
	return BH_OK;
}

bool svm_next_rip_saved(void)
{
	return next_rip_saved;
}

void svm_cpu_init(unsigned int index)
{
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
	wrmsr(MSR_VM_HSAVE_PA, (uint64_t)(uintptr_t)host_save_areas[index]);
}
