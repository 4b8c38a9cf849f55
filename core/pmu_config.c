// SPDX-License-Identifier: Apache-2.0
/*
 * PMU ownership in the configuration (docs/bindings/partitions.md): a
 * partition's `pmu` property, and what it needs of the machine and of the
 * other partitions. Left out of the build (PMU=n), core/pmu_none.c takes
 * its place.
 */

#include <libfdt.h>

#include <bulkhead/compiler.h>

#include "config_internal.h"

/* `pmu`: a boolean (present, without a value). */
void config_decode_pmu(struct config_ctx *c, int node, struct partition_config *pc)
{
	int len;

	if (fdt_getprop(c->fdt, node, "pmu", &len) == NULL)
		return;
	if (len != 0) {
		config_error(c, CFG_ERR_MALFORMED, node, "pmu", "a boolean: present without a value");
		return;
	}
	pc->pmu = true;
}

/*
 * `pmu`: the machine has a PMU whose overflow interrupt is a PPI (each
 * CPU's own, so it goes with the CPU), and no other partition is pinned to
 * any of this one's CPUs: a CPU's PMU can have one owner only. (CPUs are
 * never shared, `cpu-shared`; this names the PMU as the reason too.)
 */
void config_validate_pmu(struct config_ctx *c, unsigned int index)
{
	const struct partition_config *pc = &c->out->part[index];
	char path[CONFIG_PATH_MAX];

	if (!pc->pmu)
		return;
	if (c->p->pmu_node < 0) {
		config_error(c, CFG_ERR_NO_PMU, pc->node, "pmu",
			     "the machine has no PMU (no enabled node compatible "
			     "\"arm,armv8-pmuv3\" or a core's \"arm,cortex-aNN-pmu\")");
		return;
	}
	if (c->p->pmu_irq == 0u) {
		config_error(c, CFG_ERR_NO_PMU, pc->node, "pmu",
			     "the PMU %s has no PPI in its interrupts (per-CPU SPIs are not "
			     "supported)", config_node_path(c, c->p->pmu_node, path, sizeof(path)));
		return;
	}
	for (unsigned int j = 0; j < c->out->count; j++) {
		const struct partition_config *other = &c->out->part[j];

		for (unsigned int x = 0; x < pc->cpu_count && j != index; x++) {
			for (unsigned int y = 0; y < other->cpu_count; y++) {
				if (pc->cpus[x] == other->cpus[y])
					config_error(c, CFG_ERR_NO_PMU, pc->node, "pmu",
						     "its CPU %s is pinned to partition '%s' too: "
						     "a PMU has one owner",
						     config_node_path(c, c->p->cpus[pc->cpus[x]].node,
								      path, sizeof(path)),
						     other->name);
			}
		}
	}
}
