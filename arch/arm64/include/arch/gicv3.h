/* SPDX-License-Identifier: Apache-2.0 */
/* The physical GICv3 (gicv3.c), reached through gic.c. */
#ifndef ARCH_ARM64_GICV3_H
#define ARCH_ARM64_GICV3_H

#include <stdbool.h>
#include <stdint.h>

#include <arch/gic.h>

enum bh_err gicv3_init(const struct platform_arch *a);
enum bh_err gicv3_cpu_init(const struct platform_arch *a, unsigned int cpu);
void gicv3_kick(uint64_t mpidr);
void gicv3_deactivate(unsigned int intid);
void gicv3_set_ppi_enabled(unsigned int cpu, unsigned int intid, bool enabled);
void gicv3_spi_route(unsigned int intid, uint64_t mpidr);
uint32_t gicv3_ppi_pending(unsigned int cpu);
/* The redistributor frame of the CPU @mpidr, 0 if none (any CPU may ask). */
uint64_t gicv3_find_redistributor(const struct platform_arch *a, uint64_t mpidr);

#endif
