/* SPDX-License-Identifier: Apache-2.0 */
/* The physical GICv3 (gicv3.c). */
#ifndef ARCH_ARM64_GICV3_H
#define ARCH_ARM64_GICV3_H

#include <stdint.h>

#include <arch/types.h>
#include <bulkhead/error.h>

enum bh_err gicv3_init(const struct platform_arch *a);
enum bh_err gicv3_cpu_init(const struct platform_arch *a, unsigned int cpu);

/* Send the hypervisor's kick SGI to the CPU with this MPIDR. */
void gicv3_kick(uint64_t mpidr);

/* Acknowledge and complete every pending interrupt on this CPU. */
void gicv3_handle_irq(void);

#endif
