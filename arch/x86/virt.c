// SPDX-License-Identifier: Apache-2.0
/*
 * The virtualisation backend, chosen once on the boot CPU before anything
 * else touches it: Intel VMX where CPUID 1 ECX bit 5 says the CPU has it,
 * else AMD SVM (whose own checks then say what is missing). No CPU has
 * both, and CR4.VMXE is only ever set after CPUID said VMX exists.
 */

#include <arch/x86.h>

#define CPUID_1_VMX (1u << 5)

static const struct x86_virt *chosen = &svm_virt;

void x86_virt_choose(void)
{
	chosen = (cpuid(1, 0).ecx & CPUID_1_VMX) != 0u ? &vmx_virt : &svm_virt;
}

const struct x86_virt *x86_virt(void)
{
	return chosen;
}

static bool next_rip_saved;

bool x86_next_rip_saved(void)
{
	return next_rip_saved;
}

void x86_set_next_rip_saved(bool saved)
{
	next_rip_saved = saved;
}
