/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Entering and leaving a guest. guest_enter() saves the hypervisor's
 * callee-saved registers on this CPU's stack and erets into the guest from
 * an exception frame; a trap then lands in vectors.S, which builds the
 * frame right below them. When the trap handler decides the vCPU leaves its
 * guest, guest_leave unwinds that frame and returns from guest_enter().
 */

#include <arch/frame_asm.h>

	.text
/* void guest_enter(const struct exception_frame *start) */
	.global guest_enter
guest_enter:
	stp	x29, x30, [sp, #-96]!
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]
	ldp	x1, x2, [x0, #FRAME_ELR]	/* elr, spsr */
	msr	elr_el2, x1
	msr	spsr_el2, x2
	load_x2_to_x30 x0
	ldp	x0, x1, [x0, #0]
	eret

/* Branched to from vectors.S with sp at the guest's exception frame. */
	.global guest_leave
guest_leave:
	add	sp, sp, #FRAME_SIZE
	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	x29, x30, [sp], #96
	ret
