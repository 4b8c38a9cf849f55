/* SPDX-License-Identifier: Apache-2.0 */
/* The physical GICv2 (gicv2.c), reached through gic.c and arch/icc.h. */
#ifndef ARCH_ARM64_GICV2_H
#define ARCH_ARM64_GICV2_H

#include <stdbool.h>
#include <stdint.h>

#include <arch/gic.h>
#include <arch/mmio.h>

/* GICC_IIDR of a GIC-400 (implementer Arm, architecture 2), with the
 * revision and variant fields masked out. */
#define GICV2_IIDR_MASK 0x00ff0fffu
#define GICV2_IIDR_GIC400 0x0002043bu
/* A CPU interface region this size on a GIC-400 is 4 KiB pages each
 * aliased over 64 KiB (ZynqMP): its 8 KiB are contiguous at +0xf000. */
#define GICV2_ALIASED_SIZE 0x20000ull
#define GICV2_ALIAS_OFFSET 0xf000ull
/* The CPU interface and virtual CPU interface: 8 KiB (GICC_DIR at 0x1000). */
#define GICV2_CPUIF_SIZE 0x2000ull

enum bh_err gicv2_init(struct platform_arch *a);
enum bh_err gicv2_cpu_init(const struct platform_arch *a, unsigned int cpu);
void gicv2_kick(unsigned int cpu_index);
void gicv2_set_ppi_enabled(unsigned int cpu, unsigned int intid, bool enabled);
void gicv2_spi_route(unsigned int intid, uint64_t mpidr);
uint32_t gicv2_ppi_pending(unsigned int cpu);

/*
 * GICC_IAR, GICC_EOIR, GICC_DIR for arch/icc.h, inline: they are on the
 * path of every interrupt a guest receives, where a call and a look-up of
 * the CPU's index cost more than the accesses themselves.
 *
 * An SGI's acknowledge carries its source CPU, which GICC_EOIR and GICC_DIR
 * need back. The hypervisor's only SGI is the kick, which has no work but
 * waking its CPU for the flush before the next eret: it is ended (priority
 * dropped and deactivated) as it is acknowledged, so no source is kept per
 * CPU and the later drop and deactivation of an SGI do nothing. A second
 * kick that comes meanwhile is pending again and taken by the same loop.
 */
#define GICC_IAR 0x000cu
#define GICC_EOIR 0x0010u
#define GICC_DIR 0x1000u
#define GICC_IAR_INTID 0x3ffu
#define GICC_IAR_SOURCE_AND_INTID 0x1fffu
#define GICV2_SGIS 16u

/* The CPU interface's address (gicv2.c; 0 without a GICv2). */
extern uint64_t gicv2_cpuif;

static inline __attribute__((always_inline)) unsigned int gicv2_ack(void)
{
	uint64_t cpuif = gicv2_cpuif;
	uint32_t iar = mmio_read32(cpuif + GICC_IAR);
	unsigned int intid = iar & GICC_IAR_INTID;

	if (intid < GICV2_SGIS) {
		mmio_write32(cpuif + GICC_EOIR, iar & GICC_IAR_SOURCE_AND_INTID);
		mmio_write32(cpuif + GICC_DIR, iar & GICC_IAR_SOURCE_AND_INTID);
	}
	return intid;
}

static inline __attribute__((always_inline)) void gicv2_priority_drop(unsigned int intid)
{
	if (intid >= GICV2_SGIS)
		mmio_write32(gicv2_cpuif + GICC_EOIR, intid);
}

/* Also the out-of-line gic_deactivate()'s (gic.c). */
static inline __attribute__((always_inline)) void gicv2_deactivate(unsigned int intid)
{
	if (intid >= GICV2_SGIS)
		mmio_write32(gicv2_cpuif + GICC_DIR, intid);
}

#endif
