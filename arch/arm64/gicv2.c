// SPDX-License-Identifier: Apache-2.0
/*
 * The physical GICv2 (GIC-400 and the Cortex-A15/A7 GICs): distributor,
 * memory-mapped CPU interface with EOImode 1 (priority drop and
 * deactivation separate, so a guest deactivates a HW-injected interrupt
 * itself; its accessors on the interrupt path are inline in
 * arch/gicv2.h), the kick SGI through GICD_SGIR and SPI routing through
 * GICD_ITARGETSR.
 *
 * Both name CPUs by CPU interface number, not MPIDR: each CPU reads its own
 * number at bring-up from the byte of GICD_ITARGETSR0 that is banked for it
 * (the GIC answers every CPU with its own bit).
 *
 * SGIs and PPIs are banked per CPU in the distributor: a CPU reaches only
 * its own, so calls naming another CPU's do nothing (the vGIC only makes
 * them for its own vCPU on a GICv2).
 */

#include <stddef.h>

#include <bulkhead/compiler.h>
#include <bulkhead/console.h>
#include <bulkhead/cpu.h>

#include <arch/arm64.h>
#include <arch/gich.h>
#include <arch/gicv2.h>
#include <arch/mmio.h>
#include <arch/sysreg.h>

#define GICD_CTLR 0x000u
#define GICD_CTLR_ENABLE 0x3u /* both groups: a GIC without the Security Extensions */
#define GICD_ISENABLER 0x100u
#define GICD_ICENABLER 0x180u
#define GICD_ISPENDR 0x200u
#define GICD_IPRIORITYR 0x400u
#define GICD_ITARGETSR 0x800u
#define GICD_SGIR 0xf00u

#define GICC_CTLR 0x0000u
#define GICC_CTLR_ENABLE 0x1u       /* Group 0, or Group 1 in a Non-secure view */
#define GICC_CTLR_EOIMODE 0x200u /* bit 9: EOImodeNS in a Non-secure view, EOImodeS without */
#define GICC_PMR 0x0004u
#define GICC_IIDR 0x00fcu

/* The distributor and the CPU interface (8 KiB contiguous). */
static uint64_t v2_gicd;
uint64_t gicv2_cpuif;
#define GICH_SIZE 0x1000ull
/* Each CPU's interface number, as a GICD_ITARGETSR/GICD_SGIR target bit. */
static uint8_t cpu_bit[MAX_CPUS];
static uint32_t bit(unsigned int n)
{
	return (uint32_t)1u << n;
}

/* Is the 4 KiB-aliased layout there (the GICC_IIDR at @base and at
 * @base + GICV2_ALIAS_OFFSET both a GIC-400's)? */
static bool cpuif_aliased(uint64_t base)
{
	return (mmio_read32(base + GICC_IIDR) & GICV2_IIDR_MASK) == GICV2_IIDR_GIC400 &&
	       (mmio_read32(base + GICV2_ALIAS_OFFSET + GICC_IIDR) & GICV2_IIDR_MASK) ==
		       GICV2_IIDR_GIC400;
}

enum bh_err gicv2_init(struct platform_arch *a)
{
	TRY(mmu_map(a->gicd_base, a->gicd_size, MMU_DEVICE));
	TRY(mmu_map(a->gicc_dt_base, a->gicc_size, MMU_DEVICE));
	TRY(mmu_map(a->gich_base, GICH_SIZE, MMU_DEVICE));
	/* A 128 KiB CPU interface whose first page shows again 60 KiB on is a
	 * GIC-400 with each 4 KiB page aliased over 64 KiB (ZynqMP): its two
	 * pages are contiguous only at +0xf000, where GICC_DIR then is at its
	 * usual offset. The virtual CPU interface is wired alike on the same
	 * GIC, so a GICV of that size moves with it (it is not mapped here to
	 * be probed: only partitions map it). */
	if (a->gicc_size == GICV2_ALIASED_SIZE && cpuif_aliased(a->gicc_dt_base)) {
		a->gicc_base = a->gicc_dt_base + GICV2_ALIAS_OFFSET;
		if (a->gicv_size == GICV2_ALIASED_SIZE)
			a->gicv_base += GICV2_ALIAS_OFFSET;
	}
	v2_gicd = a->gicd_base;
	gicv2_cpuif = a->gicc_base;
	gich_init(a->gich_base);
	mmio_write32(v2_gicd + GICD_CTLR, mmio_read32(v2_gicd + GICD_CTLR) | GICD_CTLR_ENABLE);
	return BH_OK;
}

enum bh_err gicv2_cpu_init(const struct platform_arch *a, unsigned int cpu)
{
	/* Byte 0 of GICD_ITARGETSR0 reads as this CPU's own interface bit. */
	cpu_bit[cpu] = (uint8_t)mmio_read32(v2_gicd + GICD_ITARGETSR);
	if (cpu_bit[cpu] == 0u && cpu != 0u) {
		log_printf("error: cpu %u: GICD_ITARGETSR0 reads 0: no GICv2 CPU interface number\n",
			   cpu);
		return BH_ERR_NOT_FOUND;
	}
	/* The kick and the vGIC's maintenance interrupt: always enabled. */
	mmio_write8(v2_gicd + GICD_IPRIORITYR, 0x80u); /* SGI 0: the kick */
	mmio_write8(v2_gicd + GICD_IPRIORITYR + GIC_PPI_MAINTENANCE, 0x80u);
	mmio_write32(v2_gicd + GICD_ISENABLER, bit(GIC_SGI_KICK) | bit(GIC_PPI_MAINTENANCE));
	/* The guest's timer (and PMU) PPIs: enabled only while the guest enables them. */
	for (uint32_t ppis = a->guest_ppis; ppis != 0u; ppis &= ppis - 1u)
		mmio_write8(v2_gicd + GICD_IPRIORITYR + (unsigned int)__builtin_ctz(ppis), 0xa0u);
	mmio_write32(v2_gicd + GICD_ICENABLER, a->guest_ppis);
	/* The EL2 physical timer, the health watchdog's (as in gicv3.c). */
	if (a->timer_irq_hyp == GIC_PPI_HYP_TIMER) {
		mmio_write8(v2_gicd + GICD_IPRIORITYR + GIC_PPI_HYP_TIMER, 0x80u);
		mmio_write32(v2_gicd + GICD_ISENABLER, bit(GIC_PPI_HYP_TIMER));
	}
	mmio_write32(gicv2_cpuif + GICC_PMR, 0xffu);
	/* EOImode 1: an interrupt handed to a guest with the list register HW
	 * bit stays active until the guest's EOI deactivates it. */
	mmio_write32(gicv2_cpuif + GICC_CTLR, GICC_CTLR_ENABLE | GICC_CTLR_EOIMODE);
	return BH_OK;
}

void gicv2_kick(unsigned int cpu_index)
{
	__asm__ volatile("dsb ishst" : : : "memory");
	mmio_write32(v2_gicd + GICD_SGIR, ((uint32_t)cpu_bit[cpu_index] << 16) | GIC_SGI_KICK);
}

void gicv2_set_ppi_enabled(unsigned int cpu, unsigned int intid, bool enabled)
{
	if (cpu == arch_cpu_index() && intid < 32u)
		mmio_write32(v2_gicd + (enabled ? GICD_ISENABLER : GICD_ICENABLER), bit(intid));
}

void gicv2_spi_route(unsigned int intid, uint64_t mpidr)
{
	uint8_t target = 0;

	/* A CPU's bit is known once it came up (all have, before partitions
	 * take their SPIs); entries not in use have no bit. */
	for (size_t i = 0; i < ARRAY_SIZE(cpu_bit) && target == 0u; i++) {
		if (cpus[i].hwid == mpidr)
			target = cpu_bit[i];
	}
	uint64_t word = (uint64_t)intid / 32u;

	mmio_write32(v2_gicd + GICD_ICENABLER + (4u * word), bit(intid % 32u));
	mmio_write8(v2_gicd + GICD_IPRIORITYR + intid, 0xa0u);
	mmio_write8(v2_gicd + GICD_ITARGETSR + intid, target);
}

uint32_t gicv2_ppi_pending(unsigned int cpu)
{
	return cpu == arch_cpu_index() ? mmio_read32(v2_gicd + GICD_ISPENDR) : 0u;
}
