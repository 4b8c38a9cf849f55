// SPDX-License-Identifier: Apache-2.0
/*
 * The GICv3 left out of the build (GICV3=n, docs/building.md): replaces
 * gicv3.c. A machine whose GIC is a GICv3 is refused while its DT is read
 * (core/arm_platform.c, naming the node, its compatible and the option),
 * before any of these could be reached; they only keep gic.c's one
 * interface linkable, and fail safe if ever called.
 */

#include <bulkhead/compiler.h>

#include <arch/gicv3.h>

enum bh_err gicv3_init(const struct platform_arch *a)
{
	(void)a;
	return BH_ERR_UNSUPPORTED;
}

enum bh_err gicv3_cpu_init(const struct platform_arch *a, unsigned int cpu)
{
	(void)a;
	(void)cpu;
	return BH_ERR_UNSUPPORTED;
}

void gicv3_set_ppi_enabled(unsigned int cpu, unsigned int intid, bool enabled)
{
	(void)cpu;
	(void)intid;
	(void)enabled;
}

void gicv3_kick(uint64_t mpidr)
{
	(void)mpidr;
}

void gicv3_spi_route(unsigned int intid, uint64_t mpidr)
{
	(void)intid;
	(void)mpidr;
}

uint32_t gicv3_ppi_pending(unsigned int cpu)
{
	(void)cpu;
	return 0;
}

void gicv3_deactivate(unsigned int intid)
{
	(void)intid;
}
