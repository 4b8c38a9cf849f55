// SPDX-License-Identifier: Apache-2.0
/*
 * The health watchdog's timer on x86: a deadline per CPU, for the CPU of
 * the watched partition's vCPU 0, checked by that CPU's local APIC timer
 * interrupt, which the deadline brings forward (apic_timer_wake_at). A
 * kick is a store of the time (core/health.c), never a timer write; the
 * interrupt comes once per timeout at most, on that CPU only.
 */

#include <bulkhead/cpu.h>
#include <bulkhead/health.h>
#include <bulkhead/partition.h>

#include <arch/x86.h>

static uint64_t deadline_ns[MAX_CPUS]; /* 0: no watchdog on this CPU */

void x86_watchdog_start(const struct vcpu *v)
{
	const struct partition *part = v->part;

	if (v->index != 0)
		return;
	deadline_ns[v->pcpu] = part->cfg->health.watchdog_ms != 0u
				       ? health_watchdog_deadline(&part->cfg->health, &part->health)
				       : 0u;
}

/* From this CPU's timer interrupt: act on an expired watchdog (vCPU 0 may
 * be off, the partition not), and keep the timer no later than the next
 * deadline. */
void x86_watchdog_check(void)
{
	unsigned int cpu = arch_cpu_index();
	uint64_t deadline = deadline_ns[cpu];

	if (deadline == 0u)
		return;
	uint64_t now = arch_time_ns();

	if (now >= deadline) {
		struct vcpu *v = vcpu_for_cpu(cpu);

		deadline = v != NULL && v->index == 0u ? health_watchdog_timer(v->part, now) : 0u;
		deadline_ns[cpu] = deadline;
	}
	if (deadline != 0u)
		apic_timer_wake_at(deadline);
}
