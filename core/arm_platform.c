// SPDX-License-Identifier: Apache-2.0
/*
 * The GIC (v3, or v2 with its virtualisation extensions), PSCI and generic
 * timer of an Arm machine, from its device
 * tree. In core, not arch/arm64, so that bulkhead-check runs exactly these
 * checks on the host: a configuration it accepts has the platform the
 * hypervisor needs, and its refusals carry the hypervisor's messages.
 */

#include <string.h>

#include <libfdt.h>

#include <bulkhead/arm_platform.h>
#include <bulkhead/boot.h>
#include <bulkhead/console.h>
#include <bulkhead/dt.h>
#include <bulkhead/dt_irq.h>
#include <bulkhead/platform.h>

#define PPI_FIRST 16u
#define PPI_LAST 31u
#define TIMER_HYP_INDEX 3 /* secure phys, non-secure phys, virt, hyp phys */

static enum bh_err refuse_gic(const void *fdt)
{
	/* A GIC without virtualisation support is named in the refusal: the
	 * message must say what the board has, not only what is missing. */
	static const char *const other_gics[] = {"arm,cortex-a9-gic", "arm,gic-v2"};

	for (unsigned int i = 0; i < ARRAY_SIZE(other_gics); i++) {
		int node = dt_node_by_compatible(fdt, -1, other_gics[i]);
		char what[128];

		if (node < 0)
			continue;
		(void)bh_snprintf(what, sizeof(what), "\"%s\": Bulkhead needs a GICv3, or a GICv2 "
				  "with virtualisation (\"arm,gic-400\")", other_gics[i]);
		log_prop_error(fdt, node, "compatible", what);
		return BH_ERR_UNSUPPORTED;
	}
	log_printf("error: no GIC: no node with compatible \"arm,gic-v3\", \"arm,gic-400\", "
		   "\"arm,cortex-a15-gic\" or \"arm,cortex-a7-gic\" "
		   "(QEMU: -M virt,gic-version=3 or 2)\n");
	return BH_ERR_NOT_FOUND;
}

/* `reg` entry @index of the GIC as a CPU address (through `ranges`). */
static enum bh_err gic_range(const void *fdt, int node, int index, const char *what,
			     struct mem_range *r)
{
	char msg[96];
	enum bh_err err = fdt_node_reg(fdt, node, index, r);

	if (err == BH_OK && r->size == 0u)
		err = BH_ERR_NOT_FOUND;
	if (err != BH_OK) {
		(void)bh_snprintf(msg, sizeof(msg), "no %s range (entry %d)", what, index);
		log_prop_error(fdt, node, "reg", msg);
		return BH_ERR_INVALID;
	}
	err = fdt_reg_to_cpu(fdt, node, r);
	if (err != BH_OK) {
		(void)bh_snprintf(msg, sizeof(msg), "the %s at 0x%llx %s its bus's 'ranges'", what,
			    (unsigned long long)r->base,
			    err == BH_ERR_NOT_FOUND ? "is not mapped by" : "cannot go through");
		log_prop_error(fdt, node, "reg", msg);
		return BH_ERR_INVALID;
	}
	return BH_OK;
}

/* A GICv2's CPU interfaces: 8 KiB each (GICC_DIR at 0x1000). */
#define GICV2_CPUIF_SIZE 0x2000u
/* Its maintenance interrupt: PPI 9 (the binding's, and every GIC-400's). */
#define GICV2_MAINTENANCE_INTID 25u

/* A GICv2 needs its virtualisation extensions (GICH, GICV: the 3rd and 4th
 * reg entries) and their maintenance interrupt. */
static enum bh_err parse_gicv2(const void *fdt, int node, struct arm_platform *a)
{
	struct mem_range r;
	struct dt_irq irq;

	if (fdt_node_reg(fdt, node, 2, &r) != BH_OK || fdt_node_reg(fdt, node, 3, &r) != BH_OK) {
		log_prop_error(fdt, node, "reg",
			       "no virtualisation extensions (GICH and GICV, 3rd and 4th entries): "
			       "Bulkhead needs them (QEMU: -M virt,virtualization=on)");
		return BH_ERR_UNSUPPORTED;
	}
	TRY(gic_range(fdt, node, 1, "CPU interface", &r));
	a->gicc_base = r.base;
	a->gicc_size = r.size;
	TRY(gic_range(fdt, node, 2, "virtual interface control", &r));
	a->gich_base = r.base;
	TRY(gic_range(fdt, node, 3, "virtual CPU interface", &r));
	a->gicv_base = r.base;
	a->gicv_size = r.size;
	if (a->gicc_size < GICV2_CPUIF_SIZE || a->gicv_size < GICV2_CPUIF_SIZE) {
		log_prop_error(fdt, node, "reg", "a CPU interface (2nd or 4th entry) under 8 KiB");
		return BH_ERR_INVALID;
	}
	if (dt_irq_get(fdt, node, 0, &irq) != BH_OK ||
	    dt_irq_gic_intid(fdt, &irq) != GICV2_MAINTENANCE_INTID) {
		log_prop_error(fdt, node, dt_irq_prop_name(fdt, node),
			       "the maintenance interrupt must be given, as PPI 9");
		return BH_ERR_INVALID;
	}
	return BH_OK;
}

/* A GIC version this build leaves out (GICV2=n or GICV3=n) is refused by
 * option: the board is fine, the build is not the one for it. */
static enum bh_err refuse_unbuilt_gic(const void *fdt, int node, unsigned int version)
{
	const char *option = version == 2u ? "GICV2" : "GICV3";
	char what[128];

	if (!build_part_left_out(option))
		return BH_OK;
	(void)bh_snprintf(what, sizeof(what), "\"%s\": this build has no GICv%u driver (%s=n)",
			  (const char *)fdt_getprop(fdt, node, "compatible", NULL), version, option);
	log_prop_error(fdt, node, "compatible", what);
	return BH_ERR_UNSUPPORTED;
}

static enum bh_err parse_gic(const void *fdt, struct arm_platform *a)
{
	int node = dt_gic_node(fdt, &a->gic_version);
	struct mem_range r;

	if (node < 0)
		return refuse_gic(fdt);
	TRY(refuse_unbuilt_gic(fdt, node, a->gic_version));
	TRY(gic_range(fdt, node, 0, "distributor", &r));
	a->gicd_base = r.base;
	a->gicd_size = r.size;
	if (a->gic_version == 2u)
		return parse_gicv2(fdt, node, a);
	const fdt32_t *regions = dt_getprop(fdt, node, "#redistributor-regions", NULL);

	a->gicr_regions = regions != NULL ? fdt32_to_cpu(*regions) : 1u;
	if (a->gicr_regions == 0u || a->gicr_regions > ARM_GICR_MAX_REGIONS) {
		log_prop_error(fdt, node, "#redistributor-regions", "must be 1 to 4 (GICR_MAX_REGIONS)");
		return BH_ERR_INVALID;
	}
	for (unsigned int i = 0; i < a->gicr_regions; i++) {
		TRY(gic_range(fdt, node, 1 + (int)i, "redistributor", &r));
		a->gicr_base[i] = r.base;
		a->gicr_size[i] = r.size;
	}
	/* An ITS (the first enabled one) backs partitions' virtual ITSs. */
	int its = dt_node_by_compatible(fdt, -1, "arm,gic-v3-its");

	while (its >= 0 && !fdt_node_enabled(fdt, its))
		its = dt_node_by_compatible(fdt, its, "arm,gic-v3-its");
	if (its >= 0) {
		TRY(gic_range(fdt, its, 0, "ITS", &r));
		a->its_base = r.base;
	}
	return BH_OK;
}

/* No PSCI: say why when the CPUs are started another way (the RPi 4's
 * stock firmware parks them on a spin table). */
static enum bh_err refuse_no_psci(const void *fdt)
{
	int cpu = dt_node_by_prop_string(fdt, -1, "enable-method", "spin-table");

	if (cpu >= 0) {
		log_prop_error(fdt, cpu, "enable-method",
			       "\"spin-table\": Bulkhead starts CPUs through PSCI only; boot the "
			       "board with firmware that has it (TF-A), see docs/boards/");
		return BH_ERR_UNSUPPORTED;
	}
	log_printf("error: no PSCI node (compatible \"arm,psci-0.2\" or later): "
		   "secondary CPUs cannot be started\n");
	return BH_ERR_NOT_FOUND;
}

static enum bh_err parse_psci(const void *fdt, struct arm_platform *a)
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
		return refuse_no_psci(fdt);
	}
	const char *method = dt_getprop(fdt, node, "method", NULL);

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
	a->psci_node = node;
	return BH_OK;
}

static enum bh_err parse_timer(const void *fdt, struct arm_platform *a)
{
	int node = dt_node_by_compatible(fdt, -1, "arm,armv8-timer");
	struct dt_irq irq;
	int len;

	a->timer_node = node;
	if (node < 0)
		return BH_OK; /* the arch warns and uses CNTFRQ_EL0 */
	const fdt32_t *freq = dt_getprop(fdt, node, "clock-frequency", &len);

	if (freq != NULL && len == 4)
		a->timer_hz = fdt32_to_cpu(*freq);
	enum bh_err err = dt_irq_get(fdt, node, TIMER_HYP_INDEX, &irq);

	if (err == BH_ERR_NOT_FOUND)
		return BH_OK; /* older trees list no EL2 timer */
	uint32_t intid = err == BH_OK ? dt_irq_gic_intid(fdt, &irq) : 0u;

	if (intid < PPI_FIRST || intid > PPI_LAST) {
		log_prop_error(fdt, node, dt_irq_prop_name(fdt, node),
			       err != BH_OK ? "does not divide into its interrupt parents' specifiers"
					    : "the EL2 timer (4th) is not a GIC PPI");
		return BH_ERR_INVALID;
	}
	a->timer_irq_hyp = intid;
	return BH_OK;
}

enum bh_err arm_platform_parse(const void *fdt, struct arm_platform *a)
{
	(void)memset(a, 0, sizeof(*a));
	a->psci_node = -1;
	/* Report every problem, not just the first. */
	enum bh_err gic = parse_gic(fdt, a);
	enum bh_err psci = parse_psci(fdt, a);
	enum bh_err timer = parse_timer(fdt, a);

	if (gic != BH_OK)
		return gic;
	return psci != BH_OK ? psci : timer;
}
