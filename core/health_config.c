// SPDX-License-Identifier: Apache-2.0
/*
 * The health properties of a partition node (docs/bindings/partitions.md,
 * "Health"): watchdog, fault and restart policies. Absent, a partition has
 * no watchdog, its faults are only counted and its restarts are unlimited.
 */

#include <string.h>

#include <libfdt.h>

#include <bulkhead/compiler.h>
#include <bulkhead/dt.h>

#include "config_internal.h"

/* An action: false if absent; an error if not one of the three. */
static bool read_action(struct config_ctx *c, int node, const char *prop,
			enum health_action *out)
{
	static const char *const names[] = {"restart", "stop", "ignore"};
	static const enum health_action actions[] = {HEALTH_RESTART, HEALTH_STOP, HEALTH_IGNORE};
	int i = config_prop_choice(c, node, prop, names, ARRAY_SIZE(names),
				   "must be \"restart\", \"stop\" or \"ignore\"");

	STATIC_ASSERT(ARRAY_SIZE(names) == ARRAY_SIZE(actions), "one action per name");
	if (i >= 0)
		*out = actions[i];
	return i >= 0;
}

const struct partition_device *reset_register_device(const struct partition_config *pc,
						     uint64_t at)
{
	for (unsigned int d = 0; d < pc->device_count; d++) {
		const struct partition_device *dev = &pc->devices[d];
		uint64_t width = dev->io_ports ? 1u : 4u;

		for (unsigned int r = 0; r < dev->reg_count; r++) {
			if (at >= dev->regs[r].base && at - dev->regs[r].base + width <= dev->regs[r].size)
				return dev;
		}
	}
	return NULL;
}

/* `reset-registers`: (address, 32-bit value) pairs, the address in the
 * partition node's #address-cells, each inside one of its own devices. */
static void decode_reset_writes(struct config_ctx *c, int node, struct partition_config *pc)
{
	const char *prop = "reset-registers";
	const fdt32_t *acp = dt_getprop(c->fdt, node, "#address-cells", NULL);
	unsigned int ac = acp != NULL ? fdt32_to_cpu(*acp) : 2;
	struct health_config *h = &pc->health;
	unsigned int n;

	if (ac < 1 || ac > 2) /* a bad #address-cells is reported elsewhere */
		return;
	const fdt32_t *v = config_prop_list(c, node, prop, ac + 1u, HEALTH_RESET_WRITES_MAX,
					    "(address, value) pairs (#address-cells + 1 cell)", &n);

	for (unsigned int i = 0; i < n; i++) {
		const fdt32_t *e = v + i * (ac + 1);
		uint64_t pa = fdt32_to_cpu(e[0]);

		if (ac == 2)
			pa = pa << 32 | fdt32_to_cpu(e[1]);
		const struct partition_device *dev = reset_register_device(pc, pa);

		if (dev == NULL || (!dev->io_ports && (pa & 3) != 0)) {
			config_error(c, CFG_ERR_BAD_VALUE, node, prop,
				     "write %u at 0x%llx: not an aligned register of the partition's "
				     "own devices", i, (unsigned long long)pa);
			return;
		}
		if (dev->io_ports && fdt32_to_cpu(e[ac]) > 0xffu) {
			config_error(c, CFG_ERR_BAD_VALUE, node, prop,
				     "write %u at port 0x%llx: 0x%x does not fit the port's byte", i,
				     (unsigned long long)pa, fdt32_to_cpu(e[ac]));
			return;
		}
		h->reset_writes[i].pa = pa;
		h->reset_writes[i].value = fdt32_to_cpu(e[ac]);
	}
	h->reset_write_count = n;
}

/*
 * Does @node have any health property? One walk over its properties: the
 * dozen lookups below, each a walk of its own, would cost most partitions
 * (which have none) a sixth of the boot time to their first instruction.
 */
static bool has_health_properties(const void *fdt, int node)
{
	static const char *const prefixes[] = HEALTH_PROPERTY_PREFIXES;
	int prop;

	fdt_for_each_property_offset(prop, fdt, node) {
		const char *name;

		if (fdt_getprop_by_offset(fdt, prop, &name, NULL) == NULL)
			continue;
		for (unsigned int i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
			if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0)
				return true;
		}
	}
	return false;
}

void config_decode_health(struct config_ctx *c, int node, struct partition_config *pc)
{
	struct health_config *h = &pc->health;
	/* The numbers, each at least 1 and at most its max; the hint says
	 * what a 0 would have meant. One loop over a table, not an open-coded
	 * read and check each. */
	const struct health_number {
		const char *prop;
		uint32_t *out;
		uint32_t max;
		const char *hint;
	} numbers[] = {
		{"watchdog-timeout-ms", &h->watchdog_ms, UINT32_MAX, " (leave it out for no watchdog)"},
		{"fault-limit", &h->fault_limit, UINT32_MAX, ""},
		{"restart-limit", &h->restart_limit, HEALTH_RESTART_LIMIT_MAX, ""},
		{"restart-window-ms", &h->restart_window_ms, UINT32_MAX, ""},
	};
	/* A property meaningful only with another: say so rather than ignore it. */
	static const char *const needs[][2] = {
		{"watchdog-action", "watchdog-timeout-ms"},
		{"fault-limit", "fault-action"},
		{"restart-limit", "restart-window-ms"},
		{"restart-window-ms", "restart-limit"},
	};

	h->watchdog_action = HEALTH_RESTART;
	h->fault_action = HEALTH_IGNORE;
	h->fault_limit = 1;
	h->poweroff_action = HEALTH_STOP;
	if (!has_health_properties(c->fdt, node))
		return;
	for (unsigned int i = 0; i < ARRAY_SIZE(numbers); i++) {
		uint32_t v;

		if (!config_read_u32(c, node, numbers[i].prop, &v))
			continue;
		if (v != 0u && v <= numbers[i].max)
			*numbers[i].out = v;
		else if (numbers[i].max == UINT32_MAX)
			config_error(c, CFG_ERR_BAD_VALUE, node, numbers[i].prop,
				     "must be at least 1%s", numbers[i].hint);
		else
			config_error(c, CFG_ERR_BAD_VALUE, node, numbers[i].prop, "must be 1 to %u",
				     numbers[i].max);
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(needs); i++) {
		if (dt_getprop(c->fdt, node, needs[i][0], NULL) != NULL &&
		    dt_getprop(c->fdt, node, needs[i][1], NULL) == NULL)
			config_error(c, CFG_ERR_MISSING_PROPERTY, node, needs[i][1],
				     "required with '%s'", needs[i][0]);
	}
	(void)read_action(c, node, "watchdog-action", &h->watchdog_action);
	(void)read_action(c, node, "fault-action", &h->fault_action);
	if (read_action(c, node, "poweroff-action", &h->poweroff_action) &&
	    h->poweroff_action == HEALTH_IGNORE) {
		config_error(c, CFG_ERR_BAD_VALUE, node, "poweroff-action",
			     "must be \"stop\" or \"restart\"");
	}
	decode_reset_writes(c, node, pc);
}
