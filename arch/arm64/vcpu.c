// SPDX-License-Identifier: Apache-2.0
/*
 * vCPUs on arm64. A vCPU is pinned to its physical CPU, so its EL1 system
 * registers simply live in that CPU: they are set once per (re)start and
 * never saved. EL2 controls what traps: see guest_hcr().
 */

#include <string.h>

#include <bulkhead/colour.h>
#include <bulkhead/console.h>
#include <bulkhead/cpu.h>
#include <bulkhead/partition.h>

#include <arch/arm64.h>
#include <arch/frame.h>
#include <arch/gicv2.h>
#include <arch/guest.h>
#include <arch/mmio.h>
#include <arch/smmuv3.h>
#include <arch/vflash.h>
#include <arch/vits.h>
#include <arch/sysreg.h>

#define HCR_VM (1ull << 0)
#define HCR_SWIO (1ull << 1)
#define HCR_FMO (1ull << 3)
#define HCR_IMO (1ull << 4)
#define HCR_AMO (1ull << 5)
#define HCR_FB (1ull << 9)
#define HCR_BSU_IS (1ull << 10)
#define HCR_TID3 (1ull << 18)
#define HCR_TSC (1ull << 19)
#define HCR_TIDCP (1ull << 20)
#define HCR_TACR (1ull << 21)
#define HCR_TSW (1ull << 22)
#define HCR_TERR (1ULL << 36)

#define PFR0_RAS_SHIFT 28


#define CPTR_EL2_RES1 0x33ffull /* includes TZ: SVE traps */
#define CPTR_TTA (1ull << 20)


#define SCTLR_EL1_RES1 0x30d00800ull /* MMU, caches and alignment checks off */
#define SPSR_EL1H_DAIF 0x3c5ull

/*
 * Guests run with: stage 2 on; interrupts and SErrors routed to EL2; SMC,
 * ID registers, implementation-defined registers, ACTLR and set/way
 * maintenance trapped; barriers and TLB/cache maintenance broadcast
 * inner-shareable.
 *
 * WFI and WFE are not trapped (TWI, TWE clear): the CPU is the vCPU's
 * alone, so there is nothing to schedule, and it sleeps physically until
 * what would wake it bare. Everything the hypervisor has for the vCPU
 * reaches it as a wake-up event: its timers, passthrough SPIs and the PMU
 * interrupt are physical interrupts routed to EL2 (IMO), which wake WFI and
 * WFE whatever PSTATE.I says at EL1; SGIs, doorbells, the virtual UART's
 * line and stop or restart requests from other CPUs come with the kick
 * (SGI 0), a physical interrupt too; virtual interrupts already in the list
 * registers wake it as they would on hardware (unless masked); SEV from
 * another vCPU of the partition and its own timer event stream are
 * hardware events. Trapping WFE instead cost a round trip through EL2 for
 * every WFE of a spin-wait and could only be stepped over, since EL2 cannot
 * wait for another CPU's SEV with IRQs masked (docs/architecture.md).
 *
 * With FEAT_RAS, the error record registers (ERR*, ERX*) are trapped too
 * (TERR) and refused as UNDEF by guest_sysreg(): a record may be shared by
 * several cores (a DynamIQ cluster's DSU and L3), so a partition could read
 * or clear its neighbours' errors, turn reporting off or inject faults.
 * TERR is RES0 without FEAT_RAS, where those registers are UNDEF anyway.
 * TEA is left clear: a synchronous external abort from a guest's access
 * concerns memory or a device of its own, and goes to its own EL1.
 */
static uint64_t guest_hcr(void)
{
	uint64_t ras = (read_sysreg(id_aa64pfr0_el1) >> PFR0_RAS_SHIFT) & 0xf;

	return HCR_RW | HCR_VM | HCR_SWIO | HCR_FMO | HCR_IMO | HCR_AMO | HCR_FB | HCR_BSU_IS |
	       HCR_TID3 | HCR_TSC | HCR_TIDCP | HCR_TACR | HCR_TSW |
	       (ras != 0u ? HCR_TERR : 0u);
}

/* Device registers at their own address, in whole pages; a page that holds
 * registers of two of the partition's devices is mapped once. */
static enum bh_err map_device(struct stage2 *s2, uint64_t base, uint64_t size)
{
	uint64_t end = ALIGN_UP(base + size, PAGE_SIZE);

	for (uint64_t at = ALIGN_DOWN(base, PAGE_SIZE); at < end;) {
		uint64_t run = at, free;

		/* Large windows (a PCIe bridge's 512 GiB) go by whole unmapped
		 * table entries, not page by page. */
		while (run < end && (free = pgtable_unmapped_from(&s2->pt, run)) != 0)
			run = end - run > free ? run + free : end;
		if (run > at)
			TRY(stage2_map(s2, at, at, run - at, STAGE2_DEVICE));
		at = run + PAGE_SIZE; /* past the mapped page that ended the run */
	}
	return BH_OK;
}

enum bh_err arch_partition_init(struct partition *part, const struct platform *p)
{
	const struct partition_config *cfg = part->cfg;
	struct partition_arch *a = &part->arch;
	unsigned int pa_range = (unsigned int)(read_sysreg(id_aa64mmfr0_el1) & 0xf);

	if (cfg->health.watchdog_ms != 0 && p->arch.timer_irq_hyp != GIC_PPI_HYP_TIMER) {
		log_printf("error: partition %s: watchdog-timeout-ms needs the EL2 timer on PPI %u; "
			   "this platform's is %u\n", cfg->name, GIC_PPI_HYP_TIMER - 16u,
			   p->arch.timer_irq_hyp - 16);
		return BH_ERR_UNSUPPORTED;
	}
	TRY(vpmu_partition_init(part, p));
	/* VMID 0 is left unused so a stray stage-2 walk never matches a guest. */
	TRY(stage2_init(&a->s2, &hyp_page_pool, pa_range, (uint16_t)(part->id + 1)));
	/* Uncoloured: one run a region, mapped with blocks. Coloured: runs of
	 * its colours' pages, at most a way long and never block aligned, so
	 * 4 KiB pages. */
	struct colour_run run = {0};

	while (colour_next_run(cfg, &run)) {
		enum bh_err err = stage2_map(&a->s2, run.ipa, run.pa, run.size, STAGE2_RAM);

		/* Each 2 MiB of coloured memory takes a table page; the boot
		 * added what table_carve.c counts to the pool, so this is that
		 * count being wrong: say what ran out. */
		if (err == BH_ERR_NO_MEMORY && cfg->colour_count != 0u)
			log_printf("error: partition %s: coloured memory takes a 4 KiB table "
				   "page per 2 MiB; the pool (%u pages in the image, %u used, "
				   "with those carved from RAM) ran out at guest 0x%llx "
				   "(docs/colouring.md)\n",
				   cfg->name, (unsigned int)HYP_PT_PAGES, mmu_pages_used(),
				   (unsigned long long)run.ipa);
		TRY(err);
	}
	for (unsigned int d = 0; d < cfg->device_count; d++) {
		const struct partition_device *dev = &cfg->devices[d];

		for (unsigned int r = 0; r < dev->reg_count; r++)
			TRY(map_device(&a->s2, dev->regs[r].base, dev->regs[r].size));
	}
	for (unsigned int d = 0; d < cfg->device_count; d++) {
		for (unsigned int q = 0; q < cfg->devices[d].irq_count; q++)
			vgic_add_spi(part, cfg->devices[d].irqs[q], (cfg->devices[d].irq_edge >> q) & 1,
				     p->cpus[cfg->cpus[0]].hwid);
	}
	if (cfg->console == PARTITION_CONSOLE_VUART && p->console_irq != 0)
		vgic_add_virtual_spi(part, p->console_irq);
	/* Channels: shared cacheable memory, read-only where the DT says so
	 * (a write is then a permission fault, contained like any abort). */
	_Static_assert(VGIC_MAX_VSPIS >= 1 + MAX_PARTITION_CHANNELS,
		       "a virtual SPI slot for the UART and for every channel end");
	for (unsigned int c = 0; c < cfg->chan_count; c++) {
		const struct partition_channel *ch = &cfg->chan[c];

		TRY(stage2_map(&a->s2, ch->ipa, ch->pa, ch->size,
			       ch->writable ? STAGE2_RAM : STAGE2_RAM_RO));
		vgic_add_doorbell_spi(part, ch->intid);
	}
	TRY(vflash_map(part));
	/* Before the streams: their DMA tables map the ITS's doorbell for it. */
	TRY(vits_build(part, p));
	for (unsigned int s = 0; s < cfg->stream_count; s++)
		TRY(smmuv3_assign(part, &cfg->streams[s]));
	/* The hypervisor's own access to the registers it writes on a reset. */
	for (unsigned int i = 0; i < cfg->health.reset_write_count; i++) {
		uint64_t page = ALIGN_DOWN(cfg->health.reset_writes[i].pa, PAGE_SIZE);
		bool mapped = false;

		for (unsigned int j = 0; j < i; j++)
			mapped |= ALIGN_DOWN(cfg->health.reset_writes[j].pa, PAGE_SIZE) == page;
		if (!mapped)
			TRY(mmu_map(page, PAGE_SIZE, MMU_DEVICE));
	}
	a->vgicd_base = p->arch.gicd_base;
	a->vgicr_base = p->arch.gicr_base[0]; /* one region: the guest has few vCPUs */
	if (p->arch.gic_version == 2u) {
		/* The guest's GICC is the hardware's virtual CPU interface, 8 KiB;
		 * the distributor stays trapped (vgicv2_dist.c). */
		a->vgic_v2 = true;
		a->vgicr_base = 0;
		TRY(stage2_map(&a->s2, p->arch.gicc_dt_base, p->arch.gicv_base, GICV2_CPUIF_SIZE,
			       STAGE2_DEVICE));
	}
	if (cfg->console == PARTITION_CONSOLE_VUART) {
		struct mem_range vuart = platform_vuart_window(p);

		a->uart_base = vuart.base;
		a->uart_size = vuart.size;
	}
	return BH_OK;
}

void arch_partition_reset_devices(struct partition *part)
{
	const struct health_config *h = &part->cfg->health;

	vits_reset(part);
	for (unsigned int i = 0; i < h->reset_write_count; i++)
		mmio_write32(h->reset_writes[i].pa, h->reset_writes[i].value);
	__asm__ volatile("dsb sy" : : : "memory");
	vflash_reset(part);
}

void arch_sync_guest_memory(uint64_t pa, uint64_t size)
{
	uint64_t line = 4ull << ((read_sysreg(ctr_el0) >> 16) & 0xf);

	for (uint64_t at = ALIGN_DOWN(pa, line); at < pa + size; at += line)
		__asm__ volatile("dc cvac, %0" : : "r"(at) : "memory");
	__asm__ volatile("dsb ish\n\tic ialluis\n\tdsb ish\n\tisb" : : : "memory");
}

/* Zero and clean [at, end), 4 blocks a turn: a block is also a cache line
 * here, and 16 MiB take under a million instructions. */
static void zero_clean_lines(uint64_t at, uint64_t end, uint64_t step)
{
	__asm__ volatile("1:\n\t"
			 "dc zva, %0\n\tdc cvac, %0\n\tadd %0, %0, %2\n\t"
			 "dc zva, %0\n\tdc cvac, %0\n\tadd %0, %0, %2\n\t"
			 "dc zva, %0\n\tdc cvac, %0\n\tadd %0, %0, %2\n\t"
			 "dc zva, %0\n\tdc cvac, %0\n\tadd %0, %0, %2\n\t"
			 "cmp %0, %1\n\tb.lo 1b"
			 : "+r"(at) : "r"(end), "r"(step) : "cc", "memory");
}

/*
 * DC ZVA zeroes a whole block without reading it; each block is then
 * cleaned to the point of coherency for a guest that starts with its caches
 * off. Without DC ZVA (DCZID_EL0.DZP), or with blocks and cache lines of
 * different sizes, the general way: stores, then a clean.
 */
void arch_clear_guest_memory(uint64_t pa, uint64_t size)
{
	uint64_t dczid = read_sysreg(dczid_el0);
	uint64_t block = 4ull << (dczid & 0xf);
	uint64_t line = 4ull << ((read_sysreg(ctr_el0) >> 16) & 0xf);

	if (size == 0)
		return;
	if ((dczid & 0x10) || block != line || ((pa | size) & (4 * block - 1))) {
		(void)memset((void *)(uintptr_t)pa, 0, size);
		arch_sync_guest_memory(pa, size);
		return;
	}
	zero_clean_lines(pa, pa + size, block);
	__asm__ volatile("dsb ish" : : : "memory");
}

void arch_vcpu_reset(struct vcpu *v)
{
	const struct partition_arch *a = &v->part->arch;

	v->arch.vmpidr = (1ull << 31) | v->index;
	if (v->index == 0)
		vpl011_reset(v->part); /* the partition (re)starts */
	write_sysreg(vttbr_el2, stage2_vttbr(&a->s2));
	write_sysreg(vtcr_el2, stage2_vtcr(&a->s2));
	write_sysreg(vpidr_el2, read_sysreg(midr_el1));
	write_sysreg(vmpidr_el2, v->arch.vmpidr);
	vpmu_vcpu_reset(v); /* MDCR_EL2: the PMU trapped, or the owner's */
	write_sysreg(cptr_el2, CPTR_EL2_RES1 | CPTR_TTA);
	write_sysreg(cnthctl_el2, CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN);
	write_sysreg(cntvoff_el2, 0);

	/* EL1 as after a reset: MMU and caches off, nothing configured. */
	write_sysreg(sctlr_el1, SCTLR_EL1_RES1);
	write_sysreg(tcr_el1, 0);
	write_sysreg(ttbr0_el1, 0);
	write_sysreg(ttbr1_el1, 0);
	write_sysreg(mair_el1, 0);
	write_sysreg(vbar_el1, 0);
	write_sysreg(cpacr_el1, 0);
	write_sysreg(contextidr_el1, 0);
	write_sysreg(tpidr_el1, 0);
	write_sysreg(tpidr_el0, 0);
	write_sysreg(tpidrro_el0, 0);
	write_sysreg(sp_el0, 0);
	write_sysreg(sp_el1, 0);
	write_sysreg(cntkctl_el1, 0);
	write_sysreg(cntv_ctl_el0, 0);
	write_sysreg(cntp_ctl_el0, 0);
	write_sysreg(hcr_el2, guest_hcr());
	isb();
	vgic_vcpu_reset(v);
	arm64_watchdog_start(v);
	/* Nothing this VMID cached before (a previous run) may survive. */
	__asm__ volatile("tlbi vmalls12e1\n\tdsb nsh\n\tisb" : : : "memory");
}

void arch_vcpu_enter(struct vcpu *v)
{
	struct exception_frame start = {0};

	start.x[0] = v->context;
	start.elr = v->entry;
	start.spsr = SPSR_EL1H_DAIF;
	this_cpu()->arch.vcpu = v;
	vits_vcpu_resident(v, true);
	guest_enter(&start);
	vits_vcpu_resident(v, false);
	/* Back in the hypervisor: stop translating for the guest. */
	write_sysreg(hcr_el2, HCR_RW);
	isb();
}

void arch_doorbell_raise(struct partition *part, uint32_t intid)
{
	vgic_raise_doorbell(part, intid);
}

enum bh_err arch_partitions_built(const struct platform *p)
{
	/* SMMU events go to a CPU no vCPU runs on if there is one, so that no
	 * partition pays for another's faults (smmuv3_enable() says where else). */
	return smmuv3_enable(p, cpu_without_vcpu(p));
}
