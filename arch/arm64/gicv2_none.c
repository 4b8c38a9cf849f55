// SPDX-License-Identifier: Apache-2.0
/*
 * The GICv2 left out of the build (GICV2=n, docs/building.md): replaces
 * gicv2.c and vgicv2_dist.c. A machine whose GIC is a GICv2 is refused
 * while its DT is read (core/arm_platform.c, naming the node, its
 * compatible and the option), before any of these could be reached; they
 * only keep gic.c's one interface linkable, and fail safe if ever called.
 */

#include <bulkhead/compiler.h>

#include <arch/gicv2.h>
#include <arch/guest.h>

/* No CPU interface: arch/gicv2.h's inline accessors are never reached
 * (gic_v2 stays false). */
uint64_t gicv2_cpuif;

enum bh_err gicv2_init(struct platform_arch *a)
{
	(void)a;
	return BH_ERR_UNSUPPORTED;
}

enum bh_err gicv2_cpu_init(const struct platform_arch *a, unsigned int cpu)
{
	(void)a;
	(void)cpu;
	return BH_ERR_UNSUPPORTED;
}

void gicv2_kick(unsigned int cpu_index)
{
	(void)cpu_index;
}

void gicv2_set_ppi_enabled(unsigned int cpu, unsigned int intid, bool enabled)
{
	(void)cpu;
	(void)intid;
	(void)enabled;
}

void gicv2_spi_route(unsigned int intid, uint64_t mpidr)
{
	(void)intid;
	(void)mpidr;
}

uint32_t gicv2_ppi_pending(unsigned int cpu)
{
	(void)cpu;
	return 0;
}

/* No partition has a virtual GICv2 without a physical one: not handled. */
bool vgicv2_mmio(struct vcpu *v, uint64_t ipa, bool write, uint64_t *value, unsigned int size)
{
	(void)v;
	(void)ipa;
	(void)write;
	(void)value;
	(void)size;
	return false;
}
