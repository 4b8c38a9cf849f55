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
#include <arch/gicv3_its.h>

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

uint64_t gicv3_find_redistributor(const struct platform_arch *a, uint64_t mpidr)
{
	(void)a;
	(void)mpidr;
	return 0;
}

/* No GICv3, no ITS: the configuration gives no partition a virtual one. */
enum bh_err gicv3_its_cpu_enable(const struct platform_arch *a, unsigned int cpu)
{
	(void)a;
	(void)cpu;
	return BH_ERR_UNSUPPORTED;
}

enum bh_err gicv3_its_add_device(const struct platform_arch *a, uint32_t devid, unsigned int *slot)
{
	(void)a;
	(void)devid;
	(void)slot;
	return BH_ERR_UNSUPPORTED;
}

void gicv3_its_map(uint32_t devid, unsigned int event, unsigned int lpi, unsigned int cpu)
{
	(void)devid;
	(void)event;
	(void)lpi;
	(void)cpu;
}

void gicv3_its_discard(uint32_t devid, unsigned int event)
{
	(void)devid;
	(void)event;
}

void gicv3_its_move(uint32_t devid, unsigned int event, unsigned int cpu)
{
	(void)devid;
	(void)event;
	(void)cpu;
}

void gicv3_its_clear(uint32_t devid, unsigned int event)
{
	(void)devid;
	(void)event;
}

void gicv3_its_set_enabled(uint32_t devid, unsigned int event, unsigned int lpi, bool enabled)
{
	(void)devid;
	(void)event;
	(void)lpi;
	(void)enabled;
}

bool gicv3_its_virtual(void)
{
	return false;
}

void gicv3_its_vmap(uint32_t devid, unsigned int event, unsigned int vlpi, unsigned int cpu)
{
	(void)devid;
	(void)event;
	(void)vlpi;
	(void)cpu;
}

void gicv3_its_vmove(uint32_t devid, unsigned int event, unsigned int cpu)
{
	(void)devid;
	(void)event;
	(void)cpu;
}

void gicv3_its_int(uint32_t devid, unsigned int event)
{
	(void)devid;
	(void)event;
}

void gicv3_its_set_vconfig(uint8_t *vprop, uint32_t devid, unsigned int event, unsigned int vlpi,
			   uint8_t byte)
{
	(void)vprop;
	(void)devid;
	(void)event;
	(void)vlpi;
	(void)byte;
}

void gicv3_its_vpe_resident(uint64_t rd, const uint8_t *vprop, unsigned int cpu, bool resident)
{
	(void)rd;
	(void)vprop;
	(void)cpu;
	(void)resident;
}

void gicv3_its_vpt_clear(unsigned int cpu)
{
	(void)cpu;
}
