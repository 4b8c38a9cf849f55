// SPDX-License-Identifier: Apache-2.0
/* The arm64 platform: GICv3 or GICv2, PSCI firmware and generic timer from the DT. */

#include <string.h>

#include <libfdt.h>

#include <bulkhead/arm_platform.h>
#include <bulkhead/console.h>
#include <bulkhead/cpu.h>
#include <bulkhead/dt.h>
#include <bulkhead/platform.h>

#include <arch/arm64.h>
#include <arch/gicv2.h>
#include <arch/smmuv3.h>
#include <arch/sysreg.h>

/* Set once the platform is parsed, before any other CPU starts. */
static const struct platform_arch *platform_arch;

#define PSCI_VERSION 0x84000000u
#define PSCI_CPU_ON_64 0xc4000003u
#define PSCI_VERSION_0_2 0x00000002u

/* The DT's side (core/arm_platform.c, which bulkhead-check runs too),
 * then what only the hardware can answer: the firmware's PSCI version, and
 * CNTFRQ_EL0 when the DT gives no timer frequency. */
static enum bh_err parse_arm_platform(const void *fdt, struct platform_arch *a)
{
	struct arm_platform dt;

	TRY(arm_platform_parse(fdt, &dt));
	a->gic_version = dt.gic_version;
	a->gicc_base = dt.gicc_base;
	a->gicc_dt_base = dt.gicc_base;
	a->gicc_size = dt.gicc_size;
	a->gich_base = dt.gich_base;
	a->gicv_base = dt.gicv_base;
	a->gicv_size = dt.gicv_size;
	a->gicd_base = dt.gicd_base;
	a->gicd_size = dt.gicd_size;
	a->its_base = dt.its_base;
	a->gicr_regions = dt.gicr_regions;
	for (unsigned int i = 0; i < dt.gicr_regions; i++) {
		a->gicr_base[i] = dt.gicr_base[i];
		a->gicr_size[i] = dt.gicr_size[i];
	}
	a->psci_conduit = PSCI_CONDUIT_SMC;
	int64_t version = psci_call(a->psci_conduit, PSCI_VERSION, 0, 0, 0);

	if (version < 0 || (uint64_t)version < PSCI_VERSION_0_2) {
		log_prop_error(fdt, dt.psci_node, "compatible",
			       "the firmware does not answer PSCI_VERSION with 0.2 or later");
		return BH_ERR_UNSUPPORTED;
	}
	a->psci_version = (uint32_t)version;
	a->timer_hz = dt.timer_hz != 0u ? dt.timer_hz : (read_sysreg(cntfrq_el0) & 0xffffffffu);
	a->timer_irq_hyp = dt.timer_irq_hyp;
	if (dt.timer_node < 0)
		log_printf("warning: no \"arm,armv8-timer\" node; using CNTFRQ_EL0\n");
	if (a->timer_hz == 0) {
		log_prop_error(fdt, dt.timer_node, "clock-frequency",
			       "CNTFRQ_EL0 is 0 and the DT gives no frequency");
		return BH_ERR_INVALID;
	}
	arm64_set_counter_hz(a->timer_hz);
	return BH_OK;
}

/*
 * Map all RAM read-write (never executable) for loading partitions, except
 * the hypervisor's own image, which keeps its W^X mapping, and the device
 * tree, which stays read-only.
 */
static enum bh_err map_ram(const void *fdt, const struct platform *p)
{
	uint64_t dtb = (uint64_t)(uintptr_t)fdt;
	uint64_t holes[2][2] = {
		{(uint64_t)(uintptr_t)__image_start, (uint64_t)(uintptr_t)__reserved_end},
		{ALIGN_DOWN(dtb, PAGE_SIZE), ALIGN_UP(dtb + fdt_totalsize(fdt), PAGE_SIZE)},
	};

	if (holes[1][0] < holes[0][0]) {
		uint64_t tmp[2] = {holes[0][0], holes[0][1]};

		holes[0][0] = holes[1][0];
		holes[0][1] = holes[1][1];
		holes[1][0] = tmp[0];
		holes[1][1] = tmp[1];
	}
	for (unsigned int i = 0; i < p->ram_count; i++) {
		uint64_t at = p->ram[i].base;
		uint64_t end = p->ram[i].base + p->ram[i].size;

		for (unsigned int h = 0; h < 2 && at < end; h++) {
			if (holes[h][1] <= at || holes[h][0] >= end)
				continue;
			if (holes[h][0] > at)
				TRY(mmu_map(at, holes[h][0] - at, MMU_DATA));
			at = holes[h][1];
		}
		if (at < end)
			TRY(mmu_map(at, end - at, MMU_DATA));
	}
	return BH_OK;
}

enum bh_err arch_platform_parse(const void *fdt, struct platform *p)
{
	TRY(parse_arm_platform(fdt, &p->arch));
	p->arch.guest_ppis = GIC_GUEST_TIMER_PPIS | (p->pmu_irq != 0u ? 1u << p->pmu_irq : 0u);
	TRY(dt_gic_check_cpus(fdt, p->cpu_count));
	enum bh_err err = map_ram(fdt, p);

	if (err != BH_OK) {
		log_printf("error: mapping RAM for the hypervisor: %s\n", bh_err_name(err));
		return err;
	}
	platform_arch = &p->arch;
	TRY(gic_init(&p->arch));
	TRY(gic_cpu_init(&p->arch, 0));
	return smmuv3_probe(fdt);
}

void arm64_secondary_platform_init(unsigned int cpu)
{
	(void)gic_cpu_init(platform_arch, cpu);
}

void arch_cpu_kick(unsigned int cpu_index)
{
	gic_kick(cpu_index);
}

void arch_platform_report(const struct platform *p)
{
	const struct platform_arch *a = &p->arch;

	if (a->gic_version == 2u) {
		log_printf("gic: GICv2, distributor 0x%llx, CPU interface 0x%llx%s, GICH 0x%llx, "
			   "GICV 0x%llx\n", (unsigned long long)a->gicd_base,
			   (unsigned long long)a->gicc_base,
			   a->gicc_base != a->gicc_dt_base ? " (64 KiB-aliased pages)" : "",
			   (unsigned long long)a->gich_base, (unsigned long long)a->gicv_base);
	} else {
		log_printf("gic: GICv3, distributor 0x%llx, %u redistributor region(s)\n",
			   (unsigned long long)a->gicd_base, a->gicr_regions);
		for (unsigned int i = 0; i < a->gicr_regions; i++)
			log_printf("gic: redistributors 0x%llx (%llu KiB)\n",
				   (unsigned long long)a->gicr_base[i],
				   (unsigned long long)(a->gicr_size[i] >> 10));
	}
	log_printf("psci: version %u.%u via smc\n", a->psci_version >> 16, a->psci_version & 0xffff);
	log_printf("timer: %llu Hz, EL2 timer PPI %u\n", (unsigned long long)a->timer_hz,
		   a->timer_irq_hyp);
}

enum bh_err arch_cpu_start(const struct platform *p, struct cpu *cpu)
{
	uint64_t entry = (uint64_t)(uintptr_t)arm64_secondary_entry;
	int64_t ret = psci_call(p->arch.psci_conduit, PSCI_CPU_ON_64, cpu->hwid, entry, cpu->index);

	if (ret != 0) {
		log_printf("psci: CPU_ON for hwid 0x%llx returned %s\n",
			   (unsigned long long)cpu->hwid, psci_error_name(ret));
		return BH_ERR_FIRMWARE;
	}
	return BH_OK;
}
