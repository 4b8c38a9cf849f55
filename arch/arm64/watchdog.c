// SPDX-License-Identifier: Apache-2.0
/*
 * The health watchdog's timer on arm64: the EL2 physical timer (CNTHP_*),
 * free since guests use the virtual one, on the CPU of the watched
 * partition's vCPU 0. It fires once per timeout at most, on that CPU only;
 * a kick is a store of the time (core/health.c), never a timer write.
 */

#include <bulkhead/cpu.h>
#include <bulkhead/health.h>
#include <bulkhead/partition.h>

#include <arch/arm64.h>
#include <arch/sysreg.h>

#define CNTHP_CTL_ENABLE 1ull

static uint64_t ns_to_ticks(uint64_t ns, uint64_t hz)
{
	return (ns / 1000000000ull) * hz + (ns % 1000000000ull) * hz / 1000000000ull;
}

static void program(uint64_t deadline_ns)
{
	if (deadline_ns == 0) {
		write_sysreg(cnthp_ctl_el2, 0);
		return;
	}
	write_sysreg(cnthp_cval_el2, ns_to_ticks(deadline_ns, arm64_counter_hz()));
	write_sysreg(cnthp_ctl_el2, CNTHP_CTL_ENABLE);
	isb();
}

void arm64_watchdog_start(const struct vcpu *v)
{
	const struct partition *part = v->part;

	if (v->index != 0)
		return;
	program(part->cfg->health.watchdog_ms != 0
			? health_watchdog_deadline(&part->cfg->health, &part->health)
			: 0);
}

void arm64_watchdog_interrupt(void)
{
	const struct vcpu *v = vcpu_for_cpu(arch_cpu_index());

	program(v != NULL && v->index == 0 ? health_watchdog_timer(v->part, arch_time_ns()) : 0);
}
