// SPDX-License-Identifier: Apache-2.0
/*
 * PMU ownership left out of the build (PMU=n, docs/building.md): replaces
 * core/pmu_config.c. A partition's `pmu` property is refused, naming the
 * node, the property and the option, so that no system boots without the
 * performance monitors a partition asked for. No partition owns a PMU, so
 * every one gets what a partition without `pmu` gets anyway: the PMU's
 * registers trapped and undefined (arch/arm64/vpmu_none.c).
 */

#include <libfdt.h>

#include <bulkhead/compiler.h>

#include "config_internal.h"

void config_decode_pmu(struct config_ctx *c, int node, struct partition_config *pc)
{
	(void)pc;
	if (fdt_getprop(c->fdt, node, "pmu", NULL) != NULL)
		config_error(c, CFG_ERR_NOT_BUILT, node, "pmu",
			     "this build has no PMU ownership (PMU=n)");
}

/* Nothing to check: no partition owns a PMU. */
void config_validate_pmu(struct config_ctx *c, unsigned int index)
{
	(void)c;
	(void)index;
}
