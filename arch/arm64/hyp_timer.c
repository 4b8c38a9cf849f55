// SPDX-License-Identifier: Apache-2.0
/*
 * The EL2 physical timer, one per CPU, free since guests use the virtual
 * one, shared by deadlines: the timer is programmed with the earliest, and
 * its interrupt calls each user whose deadline passed (after clearing it,
 * so the user may set a new one).
 */

#include <bulkhead/arch.h>
#include <bulkhead/cpu.h>

#include <arch/arm64.h>
#include <arch/guest.h>
#include <arch/hyp_timer.h>
#include <arch/sysreg.h>

#define CNTHP_CTL_ENABLE 1ULL
#define NS_PER_S 1000000000ULL
/* The counter's tick may round a deadline down by part of a tick: one
 * this close is due, so the interrupt does not find it early and refire. */
#define DUE_SLACK_NS 1000ULL

static bool usable;
static uint64_t deadlines[MAX_CPUS][HYP_TIMER_USERS];

void hyp_timer_init(bool u)
{
	usable = u;
}

bool hyp_timer_usable(void)
{
	return usable;
}

static uint64_t ns_to_ticks(uint64_t ns, uint64_t hz)
{
	return (ns / NS_PER_S) * hz + (ns % NS_PER_S) * hz / NS_PER_S;
}

static void hyp_timer_program(unsigned int cpu)
{
	uint64_t first = 0;

	for (unsigned int u = 0U; u < (unsigned int)HYP_TIMER_USERS; u++) {
		uint64_t d = deadlines[cpu][u];

		if (d != 0U && (first == 0U || d < first))
			first = d;
	}
	if (first == 0U) {
		write_sysreg(cnthp_ctl_el2, 0U);
		return;
	}
	write_sysreg(cnthp_cval_el2, ns_to_ticks(first, arm64_counter_hz()));
	write_sysreg(cnthp_ctl_el2, CNTHP_CTL_ENABLE);
	isb();
}

void hyp_timer_set(enum hyp_timer_user user, uint64_t deadline_ns)
{
	unsigned int cpu = arch_cpu_index();

	deadlines[cpu][user] = deadline_ns;
	hyp_timer_program(cpu);
}

void hyp_timer_interrupt(void)
{
	unsigned int cpu = arch_cpu_index();
	uint64_t now = arch_time_ns() + DUE_SLACK_NS;
	bool due[HYP_TIMER_USERS];

	for (unsigned int u = 0U; u < (unsigned int)HYP_TIMER_USERS; u++) {
		due[u] = deadlines[cpu][u] != 0U && deadlines[cpu][u] <= now;
		if (due[u])
			deadlines[cpu][u] = 0;
	}
	hyp_timer_program(cpu);
	if (due[HYP_TIMER_WATCHDOG])
		arm64_watchdog_interrupt();
	if (due[HYP_TIMER_VGIC])
		vgic_level_timer(vcpu_for_cpu(cpu));
}
