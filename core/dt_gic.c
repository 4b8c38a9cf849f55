// SPDX-License-Identifier: Apache-2.0
/*
 * Which node of a DT is the interrupt controller Bulkhead drives and hands
 * to partitions, and its version: one list of compatibles, so the platform,
 * the platform checks (core/arm_platform.c) and the partitions' DTs agree
 * on it. Also the limit of a GICv2 that both the boot and bulkhead-check
 * enforce.
 */

/* A GICv2 names CPUs by CPU interface number: the 8 bits of
 * GICD_ITARGETSR and of GICD_SGIR's target list (no affinity routing). */
#define GICV2_MAX_CPUS 8u

#include <stddef.h>

#include <bulkhead/compiler.h>
#include <bulkhead/dt.h>
#include <bulkhead/platform.h>

struct gic_compatible {
	const char *compatible;
	unsigned int version;
};

int dt_gic_node(const void *fdt, unsigned int *version)
{
	static const struct gic_compatible gics[] = {
		{"arm,gic-v3", 3u},
		{"arm,gic-400", 2u},
		{"arm,cortex-a15-gic", 2u},
		{"arm,cortex-a7-gic", 2u},
	};

	for (size_t i = 0; i < ARRAY_SIZE(gics); i++) {
		int node = dt_node_by_compatible(fdt, -1, gics[i].compatible);

		if (node >= 0) {
			if (version != NULL)
				*version = gics[i].version;
			return node;
		}
	}
	return -1;
}

enum bh_err dt_gic_check_cpus(const void *fdt, unsigned int cpu_count)
{
	unsigned int version = 0;
	int node = dt_gic_node(fdt, &version);

	if (node >= 0 && version == 2u && cpu_count > GICV2_MAX_CPUS) {
		log_prop_error(fdt, node, "compatible",
			       "a GICv2 serves at most 8 CPUs (no affinity routing), "
			       "and /cpus has more");
		return BH_ERR_UNSUPPORTED;
	}
	return BH_OK;
}
