/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What an SMCCC call and interrupts leave of a guest's registers (smccc.c).
 * Every register the caller does not get results in is filled with its own
 * pattern first and compared afterwards: SMCCC 1.1 returns results in
 * x0-x3 and preserves x4-x30 and the stack pointer, and an interrupt taken
 * to EL2 must leave all of them, whatever the hypervisor saves of them.
 */

/* Register n's pattern: n in the low 16 bits, 0xb1d0 in the top ones. */
	.macro	fill n
	mov	x\n, #\n
	movk	x\n, #0xb1d0, lsl #48
	.endm

/* Bit n of x0 set if register n lost its pattern (x1, x2 scratch). */
	.macro	check n
	mov	x1, #\n
	movk	x1, #0xb1d0, lsl #48
	cmp	x\n, x1
	cset	x2, ne
	orr	x0, x0, x2, lsl #\n
	.endm

	.macro	save_callee
	stp	x29, x30, [sp, #-112]!
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]
	.endm

	.macro	restore_callee
	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	x29, x30, [sp], #112
	.endm

	.text
/*
 * uint64_t smccc_regs_call(uint64_t fn, const uint64_t args[3], uint64_t res[4])
 * HVC #0 with x0 = fn, x1-x3 = args, x4-x30 patterns; res gets x0-x3.
 * Returns a mask of the registers among x4-x30 that changed.
 */
	.global	smccc_regs_call
smccc_regs_call:
	save_callee
	str	x2, [sp, #96]		/* res */
	ldp	x2, x3, [x1, #8]
	ldr	x1, [x1]
	.irp	n, 4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
	fill	\n
	.endr
	hvc	#0
	/* Results out first: x0-x3 are the only scratch there is. */
	stp	x0, x1, [sp, #-32]!
	stp	x2, x3, [sp, #16]
	mov	x0, #0
	.irp	n, 4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
	check	\n
	.endr
	ldr	x1, [sp, #128]		/* res, above the results */
	ldp	x2, x3, [sp]
	stp	x2, x3, [x1]
	ldp	x2, x3, [sp, #16]
	stp	x2, x3, [x1, #16]
	add	sp, sp, #32
	restore_callee
	ret

/*
 * uint64_t regs_survive_spin(uint64_t iterations)
 * x2-x30 patterns, then a loop of @iterations on x0 and x1 alone, with
 * IRQs as the caller left them: whatever interrupts come meanwhile, the
 * registers must come out as they went in. Returns the mask of x2-x30
 * that changed.
 */
	.global	regs_survive_spin
regs_survive_spin:
	save_callee
	.irp	n, 2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
	fill	\n
	.endr
1:	subs	x0, x0, #1
	b.ne	1b
	/* x2 and x3 first, into x0's mask, before they serve as scratch. */
	mov	x1, #2
	movk	x1, #0xb1d0, lsl #48
	cmp	x2, x1
	cset	x0, ne
	lsl	x0, x0, #2
	mov	x1, #3
	movk	x1, #0xb1d0, lsl #48
	cmp	x3, x1
	cset	x1, ne
	orr	x0, x0, x1, lsl #3
	.irp	n, 4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
	check	\n
	.endr
	restore_callee
	ret
