/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Health monitoring (docs/bindings/partitions.md, "Health"): a partition's
 * watchdog, what its contained faults and its restarts may lead to, and the
 * rate limit that turns a crash loop into a stop. The policy decisions are
 * pure functions of the configuration, the partition's health state and the
 * time, so the host unit tests can drive them.
 */
#ifndef BULKHEAD_HEALTH_H
#define BULKHEAD_HEALTH_H

#include <stdbool.h>
#include <stdint.h>

/* What a policy does when it triggers. */
enum health_action {
	HEALTH_IGNORE = 0, /* log only */
	HEALTH_RESTART,
	HEALTH_STOP,
};

/* Most restarts a restart-limit may allow within its window. */
#define HEALTH_RESTART_LIMIT_MAX 16

/* Register writes that reset passthrough devices before a restart. */
#define HEALTH_RESET_WRITES_MAX 4

struct health_reset_write {
	uint64_t pa; /* in one of the partition's own devices, 4-byte aligned */
	uint32_t value;
};

struct health_config {
	uint32_t watchdog_ms;               /* 0: no watchdog */
	enum health_action watchdog_action; /* when it expires, or on a FAILED report */
	enum health_action fault_action;    /* once fault_limit faults since the last start */
	uint32_t fault_limit;
	enum health_action poweroff_action; /* SYSTEM_OFF, or every vCPU off: stop or restart */
	uint32_t restart_limit;     /* restarts allowed within the window; 0: no limit */
	uint32_t restart_window_ms;
	struct health_reset_write reset_writes[HEALTH_RESET_WRITES_MAX]; /* in order */
	unsigned int reset_write_count;
};

/* What a partition reported of itself (BH_HYPERCALL_HEALTH_REPORT). */
enum health_report {
	HEALTH_REPORT_NONE = 0, /* nothing reported yet */
	HEALTH_REPORT_OK,
	HEALTH_REPORT_DEGRADED,
	HEALTH_REPORT_FAILED,
};

struct health_state {
	uint64_t started_ns;   /* the current run's start */
	uint64_t last_kick_ns; /* the last kick, or started_ns */
	unsigned int faults_this_run;
	enum health_report report;
	/* The latest restarts, a ring: the rate limit's memory. */
	uint64_t restart_ns[HEALTH_RESTART_LIMIT_MAX];
	unsigned int restarts_recorded;
};

/* The fault policy: the action due after fault number @faults_this_run of
 * the current run (HEALTH_IGNORE until the limit is reached, and after). */
enum health_action health_fault_verdict(const struct health_config *cfg,
					unsigned int faults_this_run);

/*
 * May the partition restart at @now_ns? True, and the restart recorded, when
 * fewer than restart_limit restarts happened within the window before it;
 * false when that many did: a crash loop, to be stopped.
 */
bool health_restart_allowed(const struct health_config *cfg, struct health_state *s,
			    uint64_t now_ns);

/* The watchdog's deadline: the last kick plus the timeout. */
uint64_t health_watchdog_deadline(const struct health_config *cfg, const struct health_state *s);

/* A new run starts at @now_ns: the watchdog's first period counts from here. */
void health_run_started(struct health_state *s, uint64_t now_ns);

const char *health_action_name(enum health_action a);

struct partition;
struct vcpu;

/*
 * The watchdog's timer went off at @now_ns on the CPU of @part's vCPU 0:
 * act if the deadline has passed. Returns the next time to look, or 0 when
 * there is nothing more to watch (no watchdog, or the partition is no
 * longer running).
 */
uint64_t health_watchdog_timer(struct partition *part, uint64_t now_ns);

/*
 * BH_HYPERCALL_WATCHDOG_KICK and BH_HYPERCALL_HEALTH_REPORT from @v; @fn is
 * the function ID, regs[0..3] its x0-x3 in and out. False if @fn is not
 * one of them.
 */
bool health_hypercall(struct vcpu *v, uint32_t fn, uint64_t regs[4]);

#endif
