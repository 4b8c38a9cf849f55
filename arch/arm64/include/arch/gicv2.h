/* SPDX-License-Identifier: Apache-2.0 */
/* The physical GICv2 (gicv2.c), reached through gic.c and arch/icc.h. */
#ifndef ARCH_ARM64_GICV2_H
#define ARCH_ARM64_GICV2_H

#include <stdbool.h>
#include <stdint.h>

#include <arch/gic.h>

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
void gicv2_deactivate(unsigned int intid);
void gicv2_set_ppi_enabled(unsigned int cpu, unsigned int intid, bool enabled);
void gicv2_spi_route(unsigned int intid, uint64_t mpidr);
uint32_t gicv2_ppi_pending(unsigned int cpu);

/* GICC_IAR, GICC_EOIR, GICC_DIR for arch/icc.h: the INTID alone (an SGI's
 * source CPU, which GICC_EOIR and GICC_DIR need back, is kept per CPU). */
unsigned int gicv2_ack(void);
void gicv2_priority_drop(unsigned int intid);

#endif
