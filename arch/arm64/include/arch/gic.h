/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The physical GIC as the rest of arm64 sees it, whichever version the DT
 * describes (gic.c selects gicv3.c or gicv2.c at boot). Core never sees it.
 */
#ifndef ARCH_ARM64_GIC_H
#define ARCH_ARM64_GIC_H

#include <stdbool.h>
#include <stdint.h>

#include <arch/types.h>
#include <bulkhead/error.h>

#define GIC_SGI_KICK 0u
#define GIC_PPI_MAINTENANCE 25u
/* The EL2 physical timer (the health watchdog's): PPI 26 wherever the Arm
 * BSA applies; a DT that says otherwise gets no watchdog (vcpu.c). */
#define GIC_PPI_HYP_TIMER 26u
#define GIC_PPI_VTIMER 27u
#define GIC_PPI_PTIMER 30u
/* The guest timers: physical twins follow the guest's enables, HW-injected. */
#define GIC_GUEST_TIMER_PPIS ((1u << GIC_PPI_VTIMER) | (1u << GIC_PPI_PTIMER))
#define GIC_SPURIOUS 1020u /* 1020-1023: special, no interrupt */
#define GIC_LPI_FIRST 8192u

/* Set by gic_init() before any other CPU starts: true for a GICv2, whose CPU
 * interface and virtual interface control are memory-mapped. Read on the
 * interrupt path (arch/icc.h, arch/gic_ich_sysreg.h). */
extern bool gic_v2;

/* The distributor (boot CPU), then each CPU's own interface (on that CPU). */
enum bh_err gic_init(struct platform_arch *a);
enum bh_err gic_cpu_init(const struct platform_arch *a, unsigned int cpu);

/* Send the hypervisor's kick SGI to logical CPU @cpu_index. */
void gic_kick(unsigned int cpu_index);

/* Deactivate @intid (EOImode 1); the inline forms for the interrupt path
 * are in arch/icc.h. */
void gic_deactivate(unsigned int intid);

/* Mirror a guest's enable of a private interrupt onto physical CPU @cpu
 * (a GICv2 banks these per CPU: only the calling CPU's can be reached). */
void gic_set_ppi_enabled(unsigned int cpu, unsigned int intid, bool enabled);

/* Route shared interrupt @intid (disabled) to the CPU @mpidr. */
void gic_spi_route(unsigned int intid, uint64_t mpidr);
void gic_spi_enable(unsigned int intid, bool enabled);
/* Edge- (true) or level-triggered (false); only while @intid is disabled. */
void gic_spi_set_edge(unsigned int intid, bool edge);

/* Shared interrupt @intid's pending state (for a level one, its line or a
 * software latch) and active state in the distributor, and the guest's
 * GICD_ISPENDR/ICPENDR writes passed on to it. */
bool gic_spi_pending(unsigned int intid);
bool gic_spi_active(unsigned int intid);
void gic_spi_set_pending(unsigned int intid, bool pending);

/* Physical CPU @cpu's pending private interrupts (0 for another CPU's on
 * a GICv2). */
uint32_t gic_ppi_pending(unsigned int cpu);

#endif
