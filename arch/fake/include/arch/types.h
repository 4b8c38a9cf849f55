/* SPDX-License-Identifier: Apache-2.0 */
/* The host fake arch's halves of core structures: nothing hardware. */
#ifndef ARCH_FAKE_TYPES_H
#define ARCH_FAKE_TYPES_H

#include <stdint.h>

struct cpu_arch {
	uint64_t unused;
};

struct vcpu_arch {
	uint64_t unused;
};

struct platform_arch {
	uint64_t unused;
};

struct partition_arch {
	uint64_t unused;
};

#endif
