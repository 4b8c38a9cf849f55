/* SPDX-License-Identifier: Apache-2.0 */
/*
 * int vmx_run(struct guest_regs *regs, uint64_t *rax, int launched)
 *
 * The world switch into a VMX guest, called with interrupts off and the
 * vCPU's VMCS current. VM entry loads only RSP, RIP and RFLAGS of the
 * general state from the VMCS: the other general registers are loaded
 * here, RAX from *rax (the VMCB image's slot, where the shared emulation
 * reads it). The VM exit resumes at vmx_exit_point with RSP as written to
 * HOST_RSP below, which finds the two pointers on the stack. Returns 0
 * after a VM exit, 1 if VMLAUNCH or VMRESUME itself failed (the VMCS's
 * instruction-error field says why).
 */

#include <arch/asm.h>

#define VMCS_HOST_RSP 0x6c14

	.text
	.global	vmx_run
vmx_run:
	push	%rbx
	push	%rbp
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	push	%rdi			/* 8(%rsp): guest registers */
	push	%rsi			/* 0(%rsp): RAX's slot */
	mov	$VMCS_HOST_RSP, %eax
	vmwrite	%rsp, %rax
	test	%edx, %edx		/* MOVs below keep the flags */
	mov	(%rsi), %rax
	mov	GR_RBX(%rdi), %rbx
	mov	GR_RCX(%rdi), %rcx
	mov	GR_RDX(%rdi), %rdx
	mov	GR_RBP(%rdi), %rbp
	mov	GR_RSI(%rdi), %rsi
	mov	GR_R8(%rdi), %r8
	mov	GR_R9(%rdi), %r9
	mov	GR_R10(%rdi), %r10
	mov	GR_R11(%rdi), %r11
	mov	GR_R12(%rdi), %r12
	mov	GR_R13(%rdi), %r13
	mov	GR_R14(%rdi), %r14
	mov	GR_R15(%rdi), %r15
	mov	GR_RDI(%rdi), %rdi
	jnz	1f
	vmlaunch
	jmp	2f
1:	vmresume
2:	mov	$1, %eax		/* still here: the entry failed */
	jmp	3f

	.global	vmx_exit_point
vmx_exit_point:
	push	%rdi			/* the guest's */
	mov	16(%rsp), %rdi		/* guest registers */
	mov	%rbx, GR_RBX(%rdi)
	mov	%rcx, GR_RCX(%rdi)
	mov	%rdx, GR_RDX(%rdi)
	mov	%rbp, GR_RBP(%rdi)
	mov	%rsi, GR_RSI(%rdi)
	mov	%r8, GR_R8(%rdi)
	mov	%r9, GR_R9(%rdi)
	mov	%r10, GR_R10(%rdi)
	mov	%r11, GR_R11(%rdi)
	mov	%r12, GR_R12(%rdi)
	mov	%r13, GR_R13(%rdi)
	mov	%r14, GR_R14(%rdi)
	mov	%r15, GR_R15(%rdi)
	popq	GR_RDI(%rdi)
	mov	(%rsp), %rdi		/* RAX's slot */
	mov	%rax, (%rdi)
	xor	%eax, %eax
3:	add	$16, %rsp
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbp
	pop	%rbx
	ret
