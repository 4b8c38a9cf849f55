/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Guest interrupt entry: vectors 0-31 (exceptions), 0x20 + pin for the
 * partition's device interrupts (0x20-0x37) and 0x38-0x4f for the local
 * APIC's own (timer, IPIs). Each stub pushes a zero error
 * code where the CPU pushes none, then its vector, and calls
 * rt_trap(vector, error code, interrupted RIP) with the caller-saved
 * registers preserved.
 */

#define RT_VECTORS 0x50
#define HAS_ERROR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || \
		      (v) == 29 || (v) == 30)

	.text
trap_common:
	push	%rax
	push	%rcx
	push	%rdx
	push	%rsi
	push	%rdi
	push	%r8
	push	%r9
	push	%r10
	push	%r11
	mov	72(%rsp), %rdi		/* vector */
	mov	80(%rsp), %rsi		/* error code */
	mov	88(%rsp), %rdx		/* RIP */
	cld
	call	rt_trap
	pop	%r11
	pop	%r10
	pop	%r9
	pop	%r8
	pop	%rdi
	pop	%rsi
	pop	%rdx
	pop	%rcx
	pop	%rax
	add	$16, %rsp
	iretq

	.altmacro
	.macro	stub v
	.align	16
rt_stub_\v:
	.if	HAS_ERROR(\v) == 0
	push	$0
	.endif
	push	$\v
	jmp	trap_common
	.endm

	.set	vec, 0
	.rept	RT_VECTORS
	stub	%vec
	.set	vec, vec + 1
	.endr

	.macro	stub_address v
	.quad	rt_stub_\v
	.endm

	.section .rodata
	.align	8
	.global	rt_trap_stubs
rt_trap_stubs:
	.set	vec, 0
	.rept	RT_VECTORS
	stub_address %vec
	.set	vec, vec + 1
	.endr
