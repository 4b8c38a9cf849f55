/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Entering and leaving a guest. guest_enter() saves the hypervisor's
 * callee-saved registers on this CPU's stack and erets into the guest from
 * an exception frame; a trap then lands in vectors.S, which builds the
 * frame right below them. When the trap handler decides the vCPU leaves its
 * guest, guest_leave unwinds that frame and returns from guest_enter().
 */

#define FRAME_SIZE (36 * 8)

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
	ldp	x1, x2, [x0, #256]	/* elr, spsr */
	msr	elr_el2, x1
	msr	spsr_el2, x2
	ldp	x2, x3, [x0, #16]
	ldp	x4, x5, [x0, #32]
	ldp	x6, x7, [x0, #48]
	ldp	x8, x9, [x0, #64]
	ldp	x10, x11, [x0, #80]
	ldp	x12, x13, [x0, #96]
	ldp	x14, x15, [x0, #112]
	ldp	x16, x17, [x0, #128]
	ldp	x18, x19, [x0, #144]
	ldp	x20, x21, [x0, #160]
	ldp	x22, x23, [x0, #176]
	ldp	x24, x25, [x0, #192]
	ldp	x26, x27, [x0, #208]
	ldp	x28, x29, [x0, #224]
	ldr	x30, [x0, #240]
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
