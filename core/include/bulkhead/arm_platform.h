/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Arm platform pieces the hypervisor needs from the device tree: the
 * GICv3 (distributor and redistributors), or a GICv2 with its
 * virtualisation frames and at most 8 CPUs (as CPU addresses through every bus's
 * `ranges`), PSCI (present, 0.2 or later, conduit SMC) and the generic timer
 * (its frequency and EL2 interrupt, from `interrupts` or
 * `interrupts-extended`). No hardware is touched: the arm64 hypervisor runs
 * it at boot and bulkhead-check on the host, for the same verdict.
 */
#ifndef BULKHEAD_ARM_PLATFORM_H
#define BULKHEAD_ARM_PLATFORM_H

#include <stdint.h>

#include <bulkhead/error.h>

/* Redistributor regions the DT may list (#redistributor-regions). */
#define ARM_GICR_MAX_REGIONS 4u

struct arm_platform {
	unsigned int gic_version; /* 3, or 2 for a GIC-400 / Cortex-A15/A7 GIC */
	uint64_t gicd_base;
	uint64_t gicd_size;
	uint64_t gicr_base[ARM_GICR_MAX_REGIONS];
	uint64_t gicr_size[ARM_GICR_MAX_REGIONS];
	unsigned int gicr_regions;
	/* A GICv2's CPU interface, virtual interface control and virtual CPU
	 * interface, as the DT gives them (docs/gicv2.md). */
	uint64_t gicc_base;
	uint64_t gicc_size;
	uint64_t gich_base;
	uint64_t gicv_base;
	uint64_t gicv_size;
	uint64_t its_base;       /* a GICv3's first enabled ITS, 0 if none */
	int psci_node;
	int timer_node;          /* -1: no "arm,armv8-timer" node */
	uint32_t timer_hz;       /* the timer's clock-frequency, 0 if none */
	uint32_t timer_irq_hyp;  /* EL2 physical timer PPI (INTID), 0 if none */
};

/*
 * Read the GIC, PSCI and timer nodes of @fdt into @a. Every problem is
 * logged ("error: <node>: property '<prop>': ..."), not just the first;
 * the first error is returned.
 */
enum bh_err arm_platform_parse(const void *fdt, struct arm_platform *a);

#endif
