/* SPDX-License-Identifier: Apache-2.0 */
/* The register frame vectors.S saves on every exception to EL2. */
#ifndef ARCH_ARM64_FRAME_H
#define ARCH_ARM64_FRAME_H

#include <stdint.h>

struct exception_frame {
	uint64_t x[31];
	uint64_t sp;
	uint64_t elr;
	uint64_t spsr;
	uint64_t esr;
	uint64_t far;
};

/* Exception kinds: the vector slot number (see vectors.S). */
#define EXC_EL2_SYNC 4
#define EXC_LOWER_SYNC 8
#define EXC_LOWER_IRQ 9
#define EXC_LOWER_FIQ 10
#define EXC_LOWER_SERROR 11
#define EXC_LOWER32_FIRST 12

/* Guest traps: non-zero means the vCPU leaves its guest. */
uint64_t guest_trap(struct exception_frame *f, uint64_t kind);

void guest_enter(const struct exception_frame *start);

#endif
