/* SPDX-License-Identifier: Apache-2.0 */
/* arm64 halves of core structures (see core/include/bulkhead/arch.h). */
#ifndef ARCH_ARM64_TYPES_H
#define ARCH_ARM64_TYPES_H

#include <stdint.h>

struct cpu_arch {
	uint64_t stack_top;
};

enum psci_conduit {
	PSCI_CONDUIT_NONE = 0,
	PSCI_CONDUIT_SMC,
	PSCI_CONDUIT_HVC,
};

struct platform_arch {
	/* GICv3 */
	uint64_t gicd_base;
	uint64_t gicd_size;
	uint64_t gicr_base; /* first redistributor region */
	uint64_t gicr_size;
	unsigned int gicr_regions;
	/* PSCI */
	enum psci_conduit psci_conduit;
	uint32_t psci_version;
	/* Generic timer */
	uint64_t timer_hz;
	uint32_t timer_irq_hyp; /* EL2 physical timer PPI (INTID) */
};

#endif
