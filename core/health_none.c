// SPDX-License-Identifier: Apache-2.0
/*
 * Health monitoring left out of the build (HEALTH=n, docs/building.md):
 * replaces health.c and health_config.c. Every health property of a
 * partition (watchdog, fault and restart policies, reset-registers) is
 * refused, naming the node, the property and the option, so no system
 * boots without the monitoring it asked for. What remains is what a
 * partition with no health properties has anyway: its faults are counted
 * and contained, PSCI SYSTEM_RESET restarts it (unlimited), powering off
 * stops it; the two health hypercalls answer NOT_SUPPORTED.
 */

#include <string.h>

#include <libfdt.h>

#include <bulkhead/compiler.h>
#include <bulkhead/health.h>
#include <bulkhead/hypercall.h>

#include "config_internal.h"

void config_decode_health(struct config_ctx *c, int node, struct partition_config *pc)
{
	static const char *const prefixes[] = HEALTH_PROPERTY_PREFIXES;
	int prop;

	pc->health.poweroff_action = HEALTH_STOP;
	fdt_for_each_property_offset(prop, c->fdt, node) {
		const char *name;

		if (fdt_getprop_by_offset(c->fdt, prop, &name, NULL) == NULL)
			continue;
		for (unsigned int i = 0; i < ARRAY_SIZE(prefixes); i++) {
			if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0)
				config_error(c, CFG_ERR_NOT_BUILT, node, name,
					     "this build has no health monitoring (HEALTH=n)");
		}
	}
}

/* No reset-registers pass the configuration: none is ever looked up. */
const struct partition_device *reset_register_device(const struct partition_config *pc,
						     uint64_t at)
{
	(void)pc;
	(void)at;
	return NULL;
}

enum health_action health_fault_verdict(const struct health_config *cfg,
					unsigned int faults_this_run)
{
	(void)cfg;
	(void)faults_this_run;
	return HEALTH_IGNORE;
}

/* No restart-limit: every restart is allowed. */
bool health_restart_allowed(const struct health_config *cfg, struct health_state *s,
			    uint64_t now_ns)
{
	(void)cfg;
	(void)s;
	(void)now_ns;
	return true;
}

/* The start time still serves the status table's uptime. */
void health_run_started(struct health_state *s, uint64_t now_ns)
{
	s->started_ns = now_ns;
	s->faults_this_run = 0;
	s->report = HEALTH_REPORT_NONE;
}

const char *health_action_name(enum health_action a)
{
	(void)a;
	return "ignore";
}

bool health_hypercall(struct vcpu *v, uint32_t fn, uint64_t regs[4])
{
	(void)v;
	(void)fn;
	regs[0] = (uint32_t)BH_HC_NOT_SUPPORTED;
	return true;
}
