// SPDX-License-Identifier: Apache-2.0
/*
 * Health monitoring: the watchdog, the fault and restart policies and the
 * two health hypercalls (the console's status table, which shows their
 * state, is console_status.c). The watchdog costs
 * nothing on a partition's hot paths: a kick stores the time, and only the
 * partition's own CPU (that of its vCPU 0) takes a timer interrupt, once per
 * timeout, to compare; neighbours never see any of it.
 */

#include <bulkhead/arch.h>
#include <bulkhead/console.h>
#include <bulkhead/health.h>
#include <bulkhead/hypercall.h>
#include <bulkhead/partition.h>

#define NS_PER_MS 1000000ull

enum health_action health_fault_verdict(const struct health_config *cfg,
					unsigned int faults_this_run)
{
	/* Exactly at the limit: a stopping or restarting partition may fault
	 * again before it is out, and must not be acted on twice. */
	if (cfg->fault_limit == 0 || faults_this_run != cfg->fault_limit)
		return HEALTH_IGNORE;
	return cfg->fault_action;
}

bool health_restart_allowed(const struct health_config *cfg, struct health_state *s,
			    uint64_t now_ns)
{
	unsigned int limit = cfg->restart_limit;

	if (limit == 0)
		return true;
	/* With @limit restarts remembered, the oldest tells: were all of them
	 * within the window? */
	if (s->restarts_recorded >= limit) {
		uint64_t oldest = s->restart_ns[(s->restarts_recorded - limit) % HEALTH_RESTART_LIMIT_MAX];

		if (now_ns - oldest < (uint64_t)cfg->restart_window_ms * NS_PER_MS)
			return false;
	}
	s->restart_ns[s->restarts_recorded % HEALTH_RESTART_LIMIT_MAX] = now_ns;
	s->restarts_recorded++;
	return true;
}

uint64_t health_watchdog_deadline(const struct health_config *cfg, const struct health_state *s)
{
	return __atomic_load_n(&s->last_kick_ns, __ATOMIC_RELAXED) +
	       (uint64_t)cfg->watchdog_ms * NS_PER_MS;
}

void health_run_started(struct health_state *s, uint64_t now_ns)
{
	s->started_ns = now_ns;
	__atomic_store_n(&s->last_kick_ns, now_ns, __ATOMIC_RELAXED);
	s->faults_this_run = 0;
	s->report = HEALTH_REPORT_NONE;
}

const char *health_action_name(enum health_action a)
{
	switch (a) {
	case HEALTH_RESTART:
		return "restart";
	case HEALTH_STOP:
		return "stop";
	default:
		return "ignore";
	}
}

uint64_t health_watchdog_timer(struct partition *part, uint64_t now_ns)
{
	const struct health_config *cfg = &part->cfg->health;

	if (cfg->watchdog_ms == 0 ||
	    __atomic_load_n(&part->state, __ATOMIC_ACQUIRE) != PARTITION_RUNNING)
		return 0;
	uint64_t deadline = health_watchdog_deadline(cfg, &part->health);

	if (now_ns < deadline)
		return deadline;
	log_printf("partition %s: watchdog expired (no kick for %u ms): %s\n", part->cfg->name,
		   cfg->watchdog_ms, health_action_name(cfg->watchdog_action));
	partition_act(part, cfg->watchdog_action, "watchdog expired");
	/* Ignored: warn once a timeout from now, as if it had been kicked. */
	__atomic_store_n(&part->health.last_kick_ns, now_ns, __ATOMIC_RELAXED);
	return cfg->watchdog_action == HEALTH_IGNORE ? now_ns + cfg->watchdog_ms * NS_PER_MS : 0;
}

static int64_t watchdog_kick(struct partition *part, uint64_t regs[4])
{
	const struct health_config *cfg = &part->cfg->health;

	if (cfg->watchdog_ms == 0)
		return BH_HC_DENIED;
	__atomic_store_n(&part->health.last_kick_ns, arch_time_ns(), __ATOMIC_RELAXED);
	regs[1] = cfg->watchdog_ms;
	return BH_HC_SUCCESS;
}

static int64_t health_report(struct partition *part, uint64_t state)
{
	if (state < HEALTH_REPORT_OK || state > HEALTH_REPORT_FAILED)
		return BH_HC_INVALID_PARAMETER;
	enum health_report previous = part->health.report;

	part->health.report = (enum health_report)state;
	if (state == HEALTH_REPORT_FAILED && previous != HEALTH_REPORT_FAILED) {
		log_printf("partition %s: reports itself failed: %s\n", part->cfg->name,
			   health_action_name(part->cfg->health.watchdog_action));
		partition_act(part, part->cfg->health.watchdog_action, "reported failed");
	}
	return BH_HC_SUCCESS;
}

bool health_hypercall(struct vcpu *v, uint32_t fn, uint64_t regs[4])
{
	int64_t status;

	switch (fn) {
	case BH_HYPERCALL_WATCHDOG_KICK:
		status = watchdog_kick(v->part, regs);
		break;
	case BH_HYPERCALL_HEALTH_REPORT:
		status = health_report(v->part, regs[1]);
		break;
	default:
		return false;
	}
	regs[0] = (uint32_t)status; /* SMC32 calls: a 32-bit result */
	return true;
}
