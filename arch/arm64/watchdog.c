// SPDX-License-Identifier: Apache-2.0
/*
 * The health watchdog's timer on arm64: the EL2 physical timer (CNTHP_*,
 * shared through hyp_timer.c), on the CPU of the watched
 * partition's vCPU 0. It fires once per timeout at most, on that CPU only;
 * a kick is a store of the time (core/health.c), never a timer write.
 */

#include <bulkhead/cpu.h>
#include <bulkhead/health.h>
#include <bulkhead/partition.h>

#include <arch/arm64.h>
#include <arch/hyp_timer.h>

static void watchdog_program(uint64_t deadline_ns)
{
	hyp_timer_set(HYP_TIMER_WATCHDOG, deadline_ns);
}

void arm64_watchdog_start(const struct vcpu *v)
{
	const struct partition *part = v->part;

	if (v->index != 0)
		return;
	watchdog_program(part->cfg->health.watchdog_ms != 0
			? health_watchdog_deadline(&part->cfg->health, &part->health)
			: 0);
}

void arm64_watchdog_interrupt(void)
{
	const struct vcpu *v = vcpu_for_cpu(arch_cpu_index());

	watchdog_program(v != NULL && v->index == 0 ? health_watchdog_timer(v->part, arch_time_ns()) : 0);
}
