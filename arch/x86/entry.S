/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Interrupt and exception entry, and the world switch into an SVM guest.
 * Every vector has a stub that pushes a uniform frame (a zero error code
 * where the CPU pushes none, then the vector number) and jumps to
 * trap_common, which saves the general registers and calls x86_trap().
 */

#include <arch/asm.h>

/* Vectors for which the CPU pushes an error code. */
#define HAS_ERROR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || \
		      (v) == 29 || (v) == 30)

	.text
	.align	16
trap_common:
	push	%rax
	push	%rbx
	push	%rcx
	push	%rdx
	push	%rsi
	push	%rdi
	push	%rbp
	push	%r8
	push	%r9
	push	%r10
	push	%r11
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	mov	%rsp, %rdi
	cld
	call	x86_trap
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%r11
	pop	%r10
	pop	%r9
	pop	%r8
	pop	%rbp
	pop	%rdi
	pop	%rsi
	pop	%rdx
	pop	%rcx
	pop	%rbx
	pop	%rax
	add	$16, %rsp		/* vector and error code */
	iretq

	.altmacro
	.macro	stub v
	.align	16
stub_\v:
	.if	HAS_ERROR(\v) == 0
	push	$0
	.endif
	push	$\v
	jmp	trap_common
	.endm

	.set	vec, 0
	.rept	256
	stub	%vec
	.set	vec, vec + 1
	.endr

	.macro	stub_address v
	.quad	stub_\v
	.endm

	.section .rodata
	.align	8
	.global	x86_trap_stubs
x86_trap_stubs:
	.set	vec, 0
	.rept	256
	stub_address %vec
	.set	vec, vec + 1
	.endr

/*
 * void svm_vmrun(uint64_t vmcb_pa, struct guest_regs *regs, uint64_t host_pa)
 *
 * Called with GIF clear. Saves the host's segment state not covered by
 * VMRUN (FS, GS, TR, LDTR, syscall MSRs) in host_pa, loads the guest's from
 * the VMCB, runs the guest, and swaps back. VMRUN itself restores the host's
 * RAX, RSP, RIP and RFLAGS, so the callee-saved registers and our arguments
 * come back from the stack.
 */
	.text
	.global	svm_vmrun
svm_vmrun:
	push	%rbx
	push	%rbp
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	push	%rdx			/* 16(%rsp): host save area */
	push	%rsi			/* 8(%rsp): guest registers */
	push	%rdi			/* 0(%rsp): VMCB */
	mov	%rdx, %rax
	vmsave	%rax
	mov	GR_RBX(%rsi), %rbx
	mov	GR_RCX(%rsi), %rcx
	mov	GR_RDX(%rsi), %rdx
	mov	GR_RDI(%rsi), %rdi
	mov	GR_RBP(%rsi), %rbp
	mov	GR_R8(%rsi), %r8
	mov	GR_R9(%rsi), %r9
	mov	GR_R10(%rsi), %r10
	mov	GR_R11(%rsi), %r11
	mov	GR_R12(%rsi), %r12
	mov	GR_R13(%rsi), %r13
	mov	GR_R14(%rsi), %r14
	mov	GR_R15(%rsi), %r15
	mov	GR_RSI(%rsi), %rsi
	mov	(%rsp), %rax
	vmload	%rax
	vmrun	%rax
	vmsave	%rax
	push	%rsi			/* the guest's */
	mov	16(%rsp), %rsi		/* guest registers */
	mov	%rbx, GR_RBX(%rsi)
	mov	%rcx, GR_RCX(%rsi)
	mov	%rdx, GR_RDX(%rsi)
	mov	%rdi, GR_RDI(%rsi)
	mov	%rbp, GR_RBP(%rsi)
	mov	%r8, GR_R8(%rsi)
	mov	%r9, GR_R9(%rsi)
	mov	%r10, GR_R10(%rsi)
	mov	%r11, GR_R11(%rsi)
	mov	%r12, GR_R12(%rsi)
	mov	%r13, GR_R13(%rsi)
	mov	%r14, GR_R14(%rsi)
	mov	%r15, GR_R15(%rsi)
	pop	%rax
	mov	%rax, GR_RSI(%rsi)
	mov	16(%rsp), %rax		/* host save area */
	vmload	%rax
	add	$24, %rsp
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbp
	pop	%rbx
	ret
