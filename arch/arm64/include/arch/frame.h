/* SPDX-License-Identifier: Apache-2.0 */
/* The register frame vectors.S saves on every exception to EL2. */
#ifndef ARCH_ARM64_FRAME_H
#define ARCH_ARM64_FRAME_H

/* Shared with the assembly (frame_asm.h); checked in exception.c. */
#define FRAME_SIZE (36 * 8)
#define FRAME_ELR 256
#define CPU_ARCH_STACK_BOTTOM 24 /* offsetof(struct cpu, arch.stack_bottom) */
#define CPU_ARCH_VCPU 32         /* offsetof(struct cpu, arch.vcpu) */
#define VCPU_EXITS 176           /* offsetof(struct vcpu, exits) */

/* Exception kinds: the vector slot number (see vectors.S). */
#define EXC_EL2_SYNC 4
#define EXC_LOWER_SYNC 8
#define EXC_LOWER_IRQ 9
#define EXC_LOWER_FIQ 10
#define EXC_LOWER_SERROR 11
#define EXC_LOWER32_FIRST 12
/* Or-ed into the kind when an EL2 exception found its stack exhausted. */
#define EXC_STACK_OVERFLOW 16

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>

struct exception_frame {
	uint64_t x[31];
	uint64_t sp;
	uint64_t elr;
	uint64_t spsr;
	uint64_t esr;
	uint64_t far;
};

/* Guest traps: non-zero means the vCPU leaves its guest. guest_irq and
 * guest_smccc get the short frame (vectors.S: x0-x19 only). */
uint64_t guest_trap(struct exception_frame *f, uint64_t kind);
uint64_t guest_irq(struct exception_frame *f);
/* An SMCCC call by HVC #0 whose owner has an entry in smccc_owners: @owner. */
struct vcpu;
uint64_t guest_smccc(struct exception_frame *f,
		     bool (*owner)(struct vcpu *v, struct exception_frame *f));

/* After a Bulkhead call that acts, by HVC #0 (vectors.S): guest_resume's
 * checks; non-zero: the vCPU leaves its guest. */
uint64_t guest_smccc_resume(struct vcpu *v);

void guest_enter(const struct exception_frame *start);
#endif

#endif
