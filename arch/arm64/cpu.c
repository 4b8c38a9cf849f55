// SPDX-License-Identifier: Apache-2.0
/* Per-CPU state and the small CPU primitives core uses. */

#include <bulkhead/arch.h>
#include <bulkhead/cpu.h>

#include <arch/arm64.h>
#include <arch/sysreg.h>

const char arch_name[] = "arm64";

/* False until the boot CPU has set TPIDR_EL2; the EL1 refusal path never does. */
bool arm64_at_el2;

/* The DT's timer clock-frequency, for firmware that left CNTFRQ_EL0 unset. */
static uint64_t counter_hz;

/* An event each time counter bit 12 rises: every 8192 ticks (131 us at
 * 62.5 MHz), so a WFE wait with a deadline gets to check it. */
#define EVENT_STREAM_BIT 12

void arm64_cpu_local_init(unsigned int index)
{
	cpus[index].arch.stack_bottom =
		(uint64_t)(uintptr_t)__cpu_areas + (uint64_t)index * CPU_AREA_SIZE + PAGE_SIZE;
	write_sysreg(tpidr_el2, (uint64_t)(uintptr_t)&cpus[index]);
	write_sysreg(vbar_el2, (uint64_t)(uintptr_t)arm64_vectors);
	/* No guests yet: EL1 is AArch64 and nothing traps to EL2. The event
	 * stream bounds WFE waits until a vCPU takes the CPU over (vcpu.c
	 * sets its own CNTHCTL_EL2). */
	write_sysreg(hcr_el2, HCR_RW);
	write_sysreg(cnthctl_el2, CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN | CNTHCTL_EVNTEN |
					  (uint64_t)EVENT_STREAM_BIT << CNTHCTL_EVNTI_SHIFT);
	write_sysreg(cnthp_ctl_el2, 0); /* the watchdog's timer: off until a partition has one */
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
	/* WFE, not WFI: a halted CPU still moves onto the coloured
	 * hypervisor's tables when asked (mmu_colour.c). */
	for (;;) {
		__asm__ volatile("wfe" : : : "memory");
		arch_hyp_colour_poll();
	}
}

void arm64_set_counter_hz(uint64_t hz)
{
	counter_hz = hz;
}

uint64_t arm64_counter_hz(void)
{
	return counter_hz != 0 ? counter_hz : read_sysreg(cntfrq_el0) & 0xffffffffu;
}

uint64_t arch_time_ns(void)
{
	uint64_t hz = arm64_counter_hz();

	isb();
	return ticks_to_ns(read_sysreg(cntpct_el0), hz);
}

__attribute__((weak)) void arm64_test_hook_online(unsigned int cpu_index)
{
	(void)cpu_index;
}

void arch_cpu_online_hook(struct cpu *cpu)
{
	arm64_test_hook_online(cpu->index);
}
