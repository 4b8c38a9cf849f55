// SPDX-License-Identifier: Apache-2.0
/* The arm64 platform: GICv3, PSCI firmware and generic timer from the DT. */

#include <string.h>

#include <libfdt.h>

#include <bulkhead/console.h>
#include <bulkhead/cpu.h>
#include <bulkhead/dt.h>
#include <bulkhead/platform.h>

#include <arch/arm64.h>
#include <arch/gicv3.h>
#include <arch/smmuv3.h>
#include <arch/sysreg.h>

/* Set once the platform is parsed, before any other CPU starts. */
static const struct platform_arch *platform_arch;

#define PSCI_VERSION 0x84000000u
#define PSCI_CPU_ON_64 0xc4000003u
#define PSCI_VERSION_0_2 0x00000002u

static enum bh_err parse_gic(const void *fdt, struct platform_arch *a)
{
	int node = dt_node_by_compatible(fdt, -1, "arm,gic-v3");
	struct mem_range r;

	if (node < 0) {
		static const char *const gicv2[] = {"arm,gic-400", "arm,cortex-a15-gic",
						    "arm,cortex-a9-gic"};

		/* Name the controller the board has, when it is one Bulkhead
		 * knows it cannot drive yet, rather than only what is missing. */
		for (unsigned int i = 0; i < ARRAY_SIZE(gicv2); i++) {
			int v2 = dt_node_by_compatible(fdt, -1, gicv2[i]);
			char path[128];

			if (v2 >= 0) {
				log_printf("error: %s: compatible \"%s\": a GICv2, which Bulkhead does "
					   "not drive yet (it needs a GICv3)\n",
					   fdt_path_or_unknown(fdt, v2, path, sizeof(path)), gicv2[i]);
				return BH_ERR_UNSUPPORTED;
			}
		}
		log_printf("error: no node with compatible \"arm,gic-v3\": Bulkhead needs a GICv3 "
			   "(QEMU: -M virt,gic-version=3)\n");
		return BH_ERR_NOT_FOUND;
	}
	if (fdt_node_reg(fdt, node, 0, &r) != BH_OK || r.size == 0) {
		log_prop_error(fdt, node, "reg", "no distributor range");
		return BH_ERR_INVALID;
	}
	a->gicd_base = r.base;
	a->gicd_size = r.size;
	const fdt32_t *regions = fdt_getprop(fdt, node, "#redistributor-regions", NULL);

	a->gicr_regions = regions != NULL ? fdt32_to_cpu(*regions) : 1;
	if (a->gicr_regions == 0 || a->gicr_regions > GICR_MAX_REGIONS) {
		log_prop_error(fdt, node, "#redistributor-regions",
			       "must be 1 to 4 (GICR_MAX_REGIONS)");
		return BH_ERR_INVALID;
	}
	for (unsigned int i = 0; i < a->gicr_regions; i++) {
		if (fdt_node_reg(fdt, node, 1 + (int)i, &r) != BH_OK || r.size == 0) {
			log_prop_error(fdt, node, "reg",
				       "fewer redistributor ranges than #redistributor-regions");
			return BH_ERR_INVALID;
		}
		a->gicr_base[i] = r.base;
		a->gicr_size[i] = r.size;
	}
	return BH_OK;
}

static enum bh_err parse_psci(const void *fdt, struct platform_arch *a)
{
	static const char *const compatibles[] = {"arm,psci-1.0", "arm,psci-0.2"};
	int node = -1;

	for (unsigned int i = 0; i < ARRAY_SIZE(compatibles) && node < 0; i++)
		node = dt_node_by_compatible(fdt, -1, compatibles[i]);
	if (node < 0) {
		int v01 = dt_node_by_compatible(fdt, -1, "arm,psci");

		if (v01 >= 0) {
			/* 0.1 has firmware-specific function IDs and no PSCI_VERSION. */
			log_prop_error(fdt, v01, "compatible",
				       "PSCI 0.1 only; Bulkhead needs \"arm,psci-0.2\" or later");
			return BH_ERR_UNSUPPORTED;
		}
		log_printf("error: no PSCI node (compatible \"arm,psci-0.2\" or later): "
			   "secondary CPUs cannot be started\n");
		return BH_ERR_NOT_FOUND;
	}
	const char *method = fdt_getprop(fdt, node, "method", NULL);

	if (method == NULL) {
		log_prop_error(fdt, node, "method", "missing (need \"smc\")");
		return BH_ERR_INVALID;
	}
	if (strcmp(method, "smc") != 0) {
		log_prop_error(fdt, node, "method",
			       strcmp(method, "hvc") == 0
				       ? "\"hvc\" cannot reach firmware from EL2 (need \"smc\")"
				       : "unknown conduit (need \"smc\")");
		return BH_ERR_UNSUPPORTED;
	}
	a->psci_conduit = PSCI_CONDUIT_SMC;
	int64_t version = psci_call(a->psci_conduit, PSCI_VERSION, 0, 0, 0);

	if (version < 0 || (uint64_t)version < PSCI_VERSION_0_2) {
		log_prop_error(fdt, node, "compatible",
			       "the firmware does not answer PSCI_VERSION with 0.2 or later");
		return BH_ERR_UNSUPPORTED;
	}
	a->psci_version = (uint32_t)version;
	return BH_OK;
}

static enum bh_err parse_timer(const void *fdt, struct platform_arch *a)
{
	int node = dt_node_by_compatible(fdt, -1, "arm,armv8-timer");
	int freq_len, irqs_len;

	a->timer_hz = read_sysreg(cntfrq_el0) & 0xffffffffu;
	if (node < 0) {
		log_printf("warning: no \"arm,armv8-timer\" node; using CNTFRQ_EL0\n");
	} else {
		const fdt32_t *freq = fdt_getprop(fdt, node, "clock-frequency", &freq_len);
		const fdt32_t *irqs = fdt_getprop(fdt, node, "interrupts", &irqs_len);

		if (freq != NULL && freq_len == 4)
			a->timer_hz = fdt32_to_cpu(*freq);
		/* interrupts: secure phys, non-secure phys, virt, hyp phys; 3 cells each. */
		if (irqs != NULL && irqs_len >= 4 * 3 * 4)
			a->timer_irq_hyp = fdt32_to_cpu(irqs[3 * 3 + 1]) + 16;
	}
	if (a->timer_hz == 0) {
		log_prop_error(fdt, node, "clock-frequency", "CNTFRQ_EL0 is 0 and the DT gives no frequency");
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
	/* Report every problem, not just the first. */
	enum bh_err gic = parse_gic(fdt, &p->arch);
	enum bh_err psci = parse_psci(fdt, &p->arch);
	enum bh_err timer = parse_timer(fdt, &p->arch);

	if (gic != BH_OK)
		return gic;
	if (psci != BH_OK)
		return psci;
	if (timer != BH_OK)
		return timer;
	enum bh_err err = map_ram(fdt, p);

	if (err != BH_OK) {
		log_printf("error: mapping RAM for the hypervisor: %s\n", bh_err_name(err));
		return err;
	}
	platform_arch = &p->arch;
	TRY(gicv3_init(&p->arch));
	TRY(gicv3_cpu_init(&p->arch, 0));
	return smmuv3_probe(fdt);
}

void arm64_secondary_platform_init(unsigned int cpu)
{
	gicv3_cpu_init(platform_arch, cpu);
}

void arch_cpu_kick(unsigned int cpu_index)
{
	gicv3_kick(cpus[cpu_index].hwid);
}

void arch_platform_report(const struct platform *p)
{
	const struct platform_arch *a = &p->arch;

	log_printf("gic: GICv3, distributor 0x%llx, %u redistributor region(s)\n",
		   (unsigned long long)a->gicd_base, a->gicr_regions);
	for (unsigned int i = 0; i < a->gicr_regions; i++)
		log_printf("gic: redistributors 0x%llx (%llu KiB)\n",
			   (unsigned long long)a->gicr_base[i],
			   (unsigned long long)(a->gicr_size[i] >> 10));
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
