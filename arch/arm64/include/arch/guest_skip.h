/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Stepping a guest over the instruction the hypervisor emulated (or chose
 * to ignore): by its length, which ESR_EL2.IL gives, as a T32 instruction
 * an AArch32 EL0 executes may be 16 bits. In a T32 IT block the condition
 * state must move on with it, as if the instruction had executed.
 */
#ifndef ARCH_ARM64_GUEST_SKIP_H
#define ARCH_ARM64_GUEST_SKIP_H

#include <stdint.h>

#include <arch/frame.h>

#define ESR_IL (1ULL << 25)
#define PSR_AA32 (1ULL << 4) /* SPSR.M[4]: the exception came from AArch32 */

/* SPSR's IT bits (AArch32): IT[1:0] in bits 26:25, IT[7:2] in bits 15:10. */
#define PSR_IT_LOW_SHIFT 25
#define PSR_IT_HIGH_SHIFT 10
#define PSR_IT_MASK (0x3ULL << PSR_IT_LOW_SHIFT | 0x3fULL << PSR_IT_HIGH_SHIFT)

static inline __attribute__((always_inline)) void guest_skip_it_state(struct exception_frame *f)
{
	uint64_t it = (f->spsr >> PSR_IT_LOW_SHIFT & 0x3u) | (f->spsr >> PSR_IT_HIGH_SHIFT & 0x3fu) << 2;

	/* The block's last instruction (mask bits IT[2:0] all used up) ends
	 * it; otherwise the next condition bit and mask shift in. */
	if ((it & 0x7u) == 0u)
		it = 0;
	else
		it = (it & 0xe0u) | ((it << 1) & 0x1fu);
	f->spsr = (f->spsr & ~PSR_IT_MASK) | (it & 0x3u) << PSR_IT_LOW_SHIFT |
		  (it >> 2) << PSR_IT_HIGH_SHIFT;
}

static inline __attribute__((always_inline)) void guest_skip_instruction(struct exception_frame *f)
{
	f->elr += (f->esr & ESR_IL) != 0u ? 4u : 2u;
	if ((f->spsr & PSR_AA32) && (f->spsr & PSR_IT_MASK))
		guest_skip_it_state(f);
}

#endif
