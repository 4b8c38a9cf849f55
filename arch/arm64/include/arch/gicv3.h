/* SPDX-License-Identifier: Apache-2.0 */
/* The physical GICv3 (gicv3.c). */
#ifndef ARCH_ARM64_GICV3_H
#define ARCH_ARM64_GICV3_H

#include <stdbool.h>
#include <stdint.h>

#include <arch/sysreg.h>
#include <arch/types.h>
#include <bulkhead/error.h>

enum bh_err gicv3_init(const struct platform_arch *a);
enum bh_err gicv3_cpu_init(const struct platform_arch *a, unsigned int cpu);

/* Send the hypervisor's kick SGI to the CPU with this MPIDR. */
void gicv3_kick(uint64_t mpidr);

#define GIC_SGI_KICK 0
#define GIC_PPI_MAINTENANCE 25
/* The EL2 physical timer (the health watchdog's): PPI 26 wherever the Arm
 * BSA applies; a DT that says otherwise gets no watchdog (gicv3.c). */
#define GIC_PPI_HYP_TIMER 26
#define GIC_PPI_VTIMER 27
#define GIC_PPI_PTIMER 30
/* The guest timers: physical twins follow the guest's enables, HW-injected. */
#define GIC_GUEST_TIMER_PPIS ((1u << GIC_PPI_VTIMER) | (1u << GIC_PPI_PTIMER))
#define GIC_SPURIOUS 1020

/* Deactivate @intid (EOImode 1); the inline ICC_* accessors for the
 * interrupt path are in arch/icc.h. */
void gicv3_deactivate(unsigned int intid);

/* Mirror a guest's enable of a private interrupt onto physical CPU @cpu. */
void gicv3_set_ppi_enabled(unsigned int cpu, unsigned int intid, bool enabled);

/* Route shared interrupt @intid (group 1, disabled) to the CPU @mpidr. */
void gicv3_spi_route(unsigned int intid, uint64_t mpidr);
void gicv3_spi_enable(unsigned int intid, bool enabled);
/* Edge- (true) or level-triggered (false); only while @intid is disabled. */
void gicv3_spi_set_edge(unsigned int intid, bool edge);

/* Physical CPU @cpu's pending private interrupts (GICR_ISPENDR0). */
uint32_t gicv3_ppi_pending(unsigned int cpu);

#endif
