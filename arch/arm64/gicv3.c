// SPDX-License-Identifier: Apache-2.0
/*
 * The physical GICv3: distributor and redistributors found from the DT
 * (any number of redistributor regions), the system-register CPU interface
 * with EOImode 1 (priority drop and deactivation are separate, so a guest
 * can deactivate a HW-injected interrupt itself), the hypervisor's own
 * cross-CPU "kick" (SGI 0) and the vGIC maintenance interrupt, the guest
 * timers' PPIs, and passthrough SPIs routed to their partition's CPU.
 * Physical interrupts reach EL2 while a guest runs (HCR_EL2.IMO); the
 * hypervisor itself runs with them masked.
 */

#include <bulkhead/console.h>
#include <bulkhead/cpu.h>

#include <arch/arm64.h>
#include <arch/gicv3.h>
#include <arch/icc.h>
#include <arch/mmio.h>
#include <arch/sysreg.h>

#define GICD_CTLR 0x0000
#define GICD_CTLR_RWP (1u << 31)
#define GICD_CTLR_ARE (1u << 4)
#define GICD_CTLR_GRP1 (1u << 1)
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_IPRIORITYR 0x0400
#define GICD_IROUTER 0x6000

#define GICR_FRAME 0x20000
/* A GICv4 redistributor has two more 64 KiB frames (vLPI, reserved). */
#define GICR_FRAME_V4 0x40000
#define GICR_TYPER 0x0008
#define GICR_TYPER_VLPIS (1ull << 1)
#define GICR_TYPER_LAST (1ull << 4)
#define GICR_WAKER 0x0014
#define GICR_WAKER_SLEEP (1u << 1)
#define GICR_WAKER_CHILDREN_ASLEEP (1u << 2)
#define GICR_SGI 0x10000
#define GICR_IGROUPR0 (GICR_SGI + 0x080)
#define GICR_ISENABLER0 (GICR_SGI + 0x100)
#define GICR_ICENABLER0 (GICR_SGI + 0x180)
#define GICR_ISPENDR0 (GICR_SGI + 0x200)
#define GICR_IPRIORITYR (GICR_SGI + 0x400)

#define ICC_SRE_SRE (1ull << 0)
#define ICC_SRE_ENABLE (1ull << 3) /* lets EL1 use the system-register interface */
#define ICC_CTLR_EOIMODE (1ull << 1)

#define SGI_KICK GIC_SGI_KICK

static uint64_t gicd;
static uint64_t gicr[MAX_CPUS]; /* each CPU's redistributor */

/* The redistributor whose GICR_TYPER affinity matches @mpidr. */
uint64_t gicv3_find_redistributor(const struct platform_arch *a, uint64_t mpidr)
{
	uint32_t aff = (uint32_t)(((mpidr >> 32) & 0xff) << 24 | (mpidr & 0xffffff));

	for (unsigned int i = 0; i < a->gicr_regions; i++) {
		uint64_t end = a->gicr_base[i] + a->gicr_size[i];

		uint64_t stride;

		for (uint64_t at = a->gicr_base[i]; at + GICR_FRAME <= end; at += stride) {
			uint64_t typer = mmio_read64(at + GICR_TYPER);

			if ((uint32_t)(typer >> 32) == aff)
				return at;
			if ((typer & GICR_TYPER_LAST) != 0u)
				break;
			stride = (typer & GICR_TYPER_VLPIS) != 0u ? GICR_FRAME_V4 : GICR_FRAME;
		}
	}
	return 0;
}

enum bh_err gicv3_init(const struct platform_arch *a)
{
	TRY(mmu_map(a->gicd_base, a->gicd_size, MMU_DEVICE));
	for (unsigned int i = 0; i < a->gicr_regions; i++)
		TRY(mmu_map(a->gicr_base[i], a->gicr_size[i], MMU_DEVICE));
	gicd = a->gicd_base;
	mmio_write32(gicd + GICD_CTLR, mmio_read32(gicd + GICD_CTLR) | GICD_CTLR_ARE | GICD_CTLR_GRP1);
	while (mmio_read32(gicd + GICD_CTLR) & GICD_CTLR_RWP)
		;
	return BH_OK;
}

/* The ICC_SGI1R_EL1 value of the kick to the CPU of @mpidr. Aff0 above 15
 * needs range selectors; no platform here has that. */
static uint64_t kick_sgi1r(uint64_t mpidr)
{
	return ((mpidr >> 32) & 0xff) << 48 | ((mpidr >> 16) & 0xff) << 32 |
	       (uint64_t)SGI_KICK << 24 | ((mpidr >> 8) & 0xff) << 16 | (1ull << (mpidr & 0xf));
}

enum bh_err gicv3_cpu_init(const struct platform_arch *a, unsigned int cpu)
{
	uint64_t mpidr = read_sysreg(mpidr_el1) & MPIDR_AF_MASK_ALL;
	uint64_t rd = gicv3_find_redistributor(a, mpidr);

	if (rd == 0) {
		log_printf("error: cpu %u: no GICv3 redistributor for this CPU\n", cpu);
		return BH_ERR_NOT_FOUND;
	}
	gicr[cpu] = rd;
	cpus[cpu].arch.kick_sgi1r = kick_sgi1r(mpidr);
	mmio_write32(rd + GICR_WAKER, mmio_read32(rd + GICR_WAKER) & ~GICR_WAKER_SLEEP);
	while (mmio_read32(rd + GICR_WAKER) & GICR_WAKER_CHILDREN_ASLEEP)
		;
	/* The kick and the vGIC's maintenance interrupt: always enabled. */
	mmio_write32(rd + GICR_IGROUPR0,
	     mmio_read32(rd + GICR_IGROUPR0) | (1u << SGI_KICK) | (1u << GIC_PPI_MAINTENANCE));
	mmio_write8(rd + GICR_IPRIORITYR + SGI_KICK, 0x80);
	mmio_write8(rd + GICR_IPRIORITYR + GIC_PPI_MAINTENANCE, 0x80);
	mmio_write32(rd + GICR_ISENABLER0, (1u << SGI_KICK) | (1u << GIC_PPI_MAINTENANCE));

	write_sysreg(S3_4_C12_C9_5, read_sysreg(S3_4_C12_C9_5) | ICC_SRE_SRE | ICC_SRE_ENABLE);
	isb();
	/* The guest's timer (and PMU) PPIs: group 1, enabled only while the guest enables them. */
	mmio_write32(rd + GICR_IGROUPR0, mmio_read32(rd + GICR_IGROUPR0) | a->guest_ppis);
	for (uint32_t ppis = a->guest_ppis; ppis != 0u; ppis &= ppis - 1u)
		mmio_write8(rd + GICR_IPRIORITYR + (unsigned int)__builtin_ctz(ppis), 0xa0);
	mmio_write32(rd + GICR_ICENABLER0, a->guest_ppis);

	/* The EL2 physical timer, the health watchdog's: enabled for good, since
	 * CNTHP_CTL_EL2 alone decides whether it fires (cpu.c turns it off). */
	if (a->timer_irq_hyp == GIC_PPI_HYP_TIMER) {
		mmio_write32(rd + GICR_IGROUPR0, mmio_read32(rd + GICR_IGROUPR0) | (1u << GIC_PPI_HYP_TIMER));
		mmio_write8(rd + GICR_IPRIORITYR + GIC_PPI_HYP_TIMER, 0x80);
		mmio_write32(rd + GICR_ISENABLER0, 1u << GIC_PPI_HYP_TIMER);
	}

	write_sysreg(S3_0_C4_C6_0, 0xff);  /* ICC_PMR_EL1: let every priority through */
	/* EOImode 1: EOIR only drops priority, so an interrupt handed to a guest
	 * with the list register HW bit stays active until the guest's EOI. */
	write_sysreg(S3_0_C12_C12_4, read_sysreg(S3_0_C12_C12_4) | ICC_CTLR_EOIMODE);
	write_sysreg(S3_0_C12_C12_7, 1);   /* ICC_IGRPEN1_EL1 */
	isb();
	return BH_OK;
}

void gicv3_set_ppi_enabled(unsigned int cpu, unsigned int intid, bool enabled)
{
	if (gicr[cpu] != 0 && intid < 32)
		mmio_write32(gicr[cpu] + (enabled ? GICR_ISENABLER0 : GICR_ICENABLER0), 1u << intid);
}

void gicv3_kick(uint64_t mpidr)
{
	uint64_t sgi = kick_sgi1r(mpidr);

	__asm__ volatile("dsb ishst" : : : "memory");
	write_sysreg(S3_0_C12_C11_5, sgi); /* ICC_SGI1R_EL1 */
	isb();
}

void gicv3_spi_route(unsigned int intid, uint64_t mpidr)
{
	uint64_t aff = ((mpidr >> 32) & 0xff) << 32 | (mpidr & 0xffffff);

	mmio_write32(gicd + GICD_ICENABLER + 4 * (intid / 32), 1u << (intid % 32));
	mmio_write32(gicd + GICD_IGROUPR + 4 * (intid / 32),
	     mmio_read32(gicd + GICD_IGROUPR + 4 * (intid / 32)) | 1u << (intid % 32));
	*(volatile uint8_t *)(uintptr_t)(gicd + GICD_IPRIORITYR + intid) = 0xa0;
	*(volatile uint64_t *)(uintptr_t)(gicd + GICD_IROUTER + 8 * intid) = aff;
	while (mmio_read32(gicd + GICD_CTLR) & GICD_CTLR_RWP)
		;
}

uint32_t gicv3_ppi_pending(unsigned int cpu)
{
	return gicr[cpu] != 0 ? mmio_read32(gicr[cpu] + GICR_ISPENDR0) : 0;
}

void gicv3_deactivate(unsigned int intid)
{
	icc_deactivate(intid);
}
