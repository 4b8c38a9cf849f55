/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A fake GICv3 for host tests of arch/arm64/vgic.c: the virtual CPU
 * interface of one CPU (arch/gic_ich.h) with four list registers, as QEMU
 * has, and the physical GIC driver's calls (arch/gic.h), recorded.
 */
#ifndef BULKHEAD_UNIT_FAKE_GIC_H
#define BULKHEAD_UNIT_FAKE_GIC_H

#include <stdbool.h>
#include <stdint.h>

#include <bulkhead/config.h>

#include <arch/hyp_timer.h>

#define FAKE_ICH_LRS 4
#define FAKE_GIC_INTIDS 1020
#define FAKE_GIC_MAX_DEACTIVATIONS 16

struct fake_gic {
	/* ICH_*_EL2; ELRSR is derived from the list registers' state. */
	uint64_t lr[FAKE_ICH_LRS];
	uint64_t hcr;
	uint64_t vmcr;
	unsigned int syncs; /* ISBs */
	unsigned int apr_clears;

	/* The physical GIC. */
	uint32_t ppi_enabled[MAX_CPUS];   /* by physical CPU */
	uint32_t ppi_pending[MAX_CPUS];   /* what gic_ppi_pending() reports */
	unsigned int ppi_enable_calls;
	bool spi_enabled[FAKE_GIC_INTIDS];
	unsigned int spi_enable_calls[FAKE_GIC_INTIDS];
	bool spi_routed[FAKE_GIC_INTIDS];
	bool spi_edge[FAKE_GIC_INTIDS];
	uint64_t spi_route[FAKE_GIC_INTIDS];
	unsigned int deactivated[FAKE_GIC_MAX_DEACTIVATIONS]; /* in call order */
	unsigned int deactivations;
	bool spi_pending[FAKE_GIC_INTIDS]; /* a level SPI's line, or a latch */
	bool spi_active[FAKE_GIC_INTIDS];

	/* The EL2 timer (arch/hyp_timer.h): the vGIC's deadline. */
	bool hyp_timer_usable;
	uint64_t hyp_timer_deadline;
};

extern struct fake_gic fake_gic;

/* Everything back to zero (no interrupt anywhere, all LRs empty). */
void fake_gic_reset(void);

#endif
