// SPDX-License-Identifier: Apache-2.0
/* Per-CPU state and the small CPU primitives core uses. */

#include <bulkhead/arch.h>
#include <bulkhead/cpu.h>

#include <arch/arm64.h>
#include <arch/sysreg.h>

const char arch_name[] = "arm64";

/* False until the boot CPU has set TPIDR_EL2; the EL1 refusal path never does. */
bool arm64_at_el2;

void arm64_cpu_local_init(unsigned int index)
{
	write_sysreg(tpidr_el2, (uint64_t)(uintptr_t)&cpus[index]);
	write_sysreg(vbar_el2, (uint64_t)(uintptr_t)arm64_vectors);
	/* No guests yet: EL1 is AArch64 and nothing traps to EL2. */
	write_sysreg(hcr_el2, HCR_RW);
	isb();
	arm64_at_el2 = true;
}

unsigned int arch_cpu_index(void)
{
	if (!arm64_at_el2)
		return 0;
	return ((const struct cpu *)(uintptr_t)read_sysreg(tpidr_el2))->index;
}

void arch_wait_event(void)
{
	__asm__ volatile("wfe" : : : "memory");
}

void arch_send_event(void)
{
	__asm__ volatile("dsb ishst\n\tsev" : : : "memory");
}

void arch_cpu_idle(void)
{
	/* IRQs stay masked at EL2: WFI wakes on a pending one all the same,
	 * and it is acknowledged here rather than taken as an exception. */
	__asm__ volatile("dsb sy\n\twfi" : : : "memory");
	arm64_idle_interrupts();
}

NORETURN void arch_cpu_halt(void)
{
	__asm__ volatile("msr daifset, #0xf" : : : "memory");
	for (;;)
		__asm__ volatile("wfi" : : : "memory");
}

uint64_t arch_time_ns(void)
{
	uint64_t hz = read_sysreg(cntfrq_el0) & 0xffffffffu;

	isb();
	uint64_t ticks = read_sysreg(cntpct_el0);

	if (hz == 0)
		return 0;
	/* Split to avoid 64-bit overflow of ticks * 1e9. */
	return (ticks / hz) * 1000000000ull + (ticks % hz) * 1000000000ull / hz;
}

__attribute__((weak)) void arm64_test_hook_online(unsigned int cpu_index)
{
	(void)cpu_index;
}

void arch_cpu_online_hook(struct cpu *cpu)
{
	arm64_test_hook_online(cpu->index);
}
