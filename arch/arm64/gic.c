// SPDX-License-Identifier: Apache-2.0
/*
 * The physical GIC behind one interface (arch/gic.h): the DT's GIC version,
 * chosen once at boot, picks gicv3.c or gicv2.c for what differs (CPU
 * interface, SGIs, SPI routing, redistributors or banked registers). The
 * distributor registers both versions lay out alike (SPI enables, pending
 * and active states, trigger modes) are reached here once.
 */

#include <bulkhead/cpu.h>
#include <bulkhead/spinlock.h>

#include <arch/gicv2.h>
#include <arch/gicv3.h>
#include <arch/hyp_timer.h>
#include <arch/mmio.h>

#define GICD_ISENABLER 0x0100u
#define GICD_ICENABLER 0x0180u
#define GICD_ISPENDR 0x0200u
#define GICD_ICPENDR 0x0280u
#define GICD_ISACTIVER 0x0300u
#define GICD_ICFGR 0x0c00u /* 2 bits per INTID, 16 a word; bit 1: edge */

bool gic_v2;
static uint64_t dist;

enum bh_err gic_init(struct platform_arch *a)
{
	gic_v2 = a->gic_version == 2u;
	dist = a->gicd_base;
	/* The drivers enable the EL2 timer's interrupt only at this PPI. */
	hyp_timer_init(a->timer_irq_hyp == GIC_PPI_HYP_TIMER);
	return gic_v2 ? gicv2_init(a) : gicv3_init(a);
}

enum bh_err gic_cpu_init(const struct platform_arch *a, unsigned int cpu)
{
	return gic_v2 ? gicv2_cpu_init(a, cpu) : gicv3_cpu_init(a, cpu);
}

void gic_kick(unsigned int cpu_index)
{
	if (gic_v2)
		gicv2_kick(cpu_index);
	else
		gicv3_kick(cpus[cpu_index].hwid);
}

void gic_deactivate(unsigned int intid)
{
	if (gic_v2)
		gicv2_deactivate(intid);
	else
		gicv3_deactivate(intid);
}

void gic_set_ppi_enabled(unsigned int cpu, unsigned int intid, bool enabled)
{
	if (gic_v2)
		gicv2_set_ppi_enabled(cpu, intid, enabled);
	else
		gicv3_set_ppi_enabled(cpu, intid, enabled);
}

void gic_spi_route(unsigned int intid, uint64_t mpidr)
{
	if (gic_v2)
		gicv2_spi_route(intid, mpidr);
	else
		gicv3_spi_route(intid, mpidr);
}

uint32_t gic_ppi_pending(unsigned int cpu)
{
	return gic_v2 ? gicv2_ppi_pending(cpu) : gicv3_ppi_pending(cpu);
}

void gic_spi_enable(unsigned int intid, bool enabled)
{
	uint64_t word = (uint64_t)intid / 32u;

	mmio_write32(dist + (enabled ? GICD_ISENABLER : GICD_ICENABLER) + (4u * word),
		     (uint32_t)1u << (intid % 32u));
}

static bool spi_bit(uint64_t reg, unsigned int intid)
{
	return ((mmio_read32(dist + reg + (4u * ((uint64_t)intid / 32u))) >> (intid % 32u)) & 1u) != 0u;
}

bool gic_spi_pending(unsigned int intid)
{
	return spi_bit(GICD_ISPENDR, intid);
}

bool gic_spi_active(unsigned int intid)
{
	return spi_bit(GICD_ISACTIVER, intid);
}

void gic_spi_set_pending(unsigned int intid, bool pending)
{
	uint64_t word = (uint64_t)intid / 32u;

	mmio_write32(dist + (pending ? GICD_ISPENDR : GICD_ICPENDR) + (4u * word),
		     (uint32_t)1u << (intid % 32u));
}

/* GICD_ICFGR words hold 16 SPIs that may belong to different partitions,
 * configured from different CPUs. */
static struct spinlock icfgr_lock = SPINLOCK_INIT;

void gic_spi_set_edge(unsigned int intid, bool edge)
{
	uint64_t word = (uint64_t)intid / 16u;
	uint64_t reg = dist + GICD_ICFGR + (4u * word);
	uint32_t bit = (uint32_t)2u << (2u * (intid % 16u));

	spin_lock(&icfgr_lock);
	mmio_write32(reg, edge ? mmio_read32(reg) | bit : mmio_read32(reg) & ~bit);
	spin_unlock(&icfgr_lock);
}
