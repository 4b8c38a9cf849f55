// SPDX-License-Identifier: Apache-2.0
/*
 * The console's status table (Ctrl-T s, core/vuart.c): one line per
 * partition, its state, CPUs, restarts, faults, uptime and what it last
 * reported of its health. A build option of its own (CONSOLE_STATUS,
 * docs/building.md): an operator's convenience no configuration needs.
 */

#include <bulkhead/arch.h>
#include <bulkhead/console.h>
#include <bulkhead/health.h>
#include <bulkhead/partition.h>

#define NS_PER_MS ((uint64_t)1000000u)

static const char *state_name(const struct partition *part)
{
	switch (__atomic_load_n(&part->state, __ATOMIC_ACQUIRE)) {
	case PARTITION_RUNNING:
		return "running";
	case PARTITION_RESTARTING:
		return "restarting";
	default:
		return "stopped";
	}
}

static const char *report_name(enum health_report r)
{
	static const char *const names[] = {"-", "ok", "degraded", "failed"};

	return r <= HEALTH_REPORT_FAILED ? names[r] : "?";
}

void console_status_print(void)
{
	uint64_t now = arch_time_ns();

	log_printf("status: %-16s %-10s %-8s %8s %6s %10s %s\n", "partition", "state", "cpus",
		   "restarts", "faults", "uptime-ms", "report");
	for (unsigned int i = 0; i < partitions_count(); i++) {
		const struct partition *part = partition_at(i);
		const struct partition_config *cfg = part->cfg;
		char cpus[24];
		unsigned int used = 0;

		for (unsigned int c = 0; c < cfg->cpu_count && used + 4 < sizeof(cpus); c++)
			used += (unsigned int)bh_snprintf(cpus + used, sizeof(cpus) - used, "%s%u",
							  c != 0 ? "," : "", cfg->cpus[c]);
		bool running = __atomic_load_n(&part->state, __ATOMIC_ACQUIRE) == PARTITION_RUNNING;
		uint64_t up = running ? (now - part->health.started_ns) / NS_PER_MS : 0;

		log_printf("status: %-16s %-10s %-8s %8u %6u %10llu %s\n", cfg->name, state_name(part),
			   cpus, part->restarts, __atomic_load_n(&part->faults, __ATOMIC_RELAXED),
			   (unsigned long long)up, report_name(part->health.report));
	}
}
