/* SPDX-License-Identifier: Apache-2.0 */
/*
 * x86-64 partition runtime entry. Bulkhead (or any multiboot-style loader)
 * enters _start in 32-bit protected mode, paging off, with EBX = the
 * guest-physical address of the partition's device tree; vCPUs started
 * with the CPU_ON hypercall enter rt_secondary_entry the same way with EBX =
 * their context. Each switches to long mode with our identity map of the
 * first 4 GiB (2 MiB pages, built at link time), takes the stack of its
 * vCPU number (its APIC ID in CPUID leaf 1) and calls rt_start(device
 * tree) or rt_secondary(context).
 */

#define RT_STACK_SIZE 16384
#define RT_MAX_VCPUS 8

	.section .text.head, "ax"
	.code32
	.global	_start
_start:
	xor	%ebp, %ebp		/* the boot vCPU */
	jmp	common32

	.global	rt_secondary_entry
rt_secondary_entry:
	mov	$1, %ebp
common32:
	cli
	cld
	lgdt	gdt_pointer
	mov	$pml4, %eax
	mov	%eax, %cr3
	mov	%cr4, %eax
	or	$(1 << 5), %eax		/* PAE */
	mov	%eax, %cr4
	mov	$0xc0000080, %ecx	/* EFER.LME */
	rdmsr
	or	$(1 << 8), %eax
	wrmsr
	mov	%cr0, %eax
	or	$((1 << 31) | (1 << 16) | 1), %eax	/* PG, WP, PE */
	mov	%eax, %cr0
	ljmp	$0x08, $long_mode

	.code64
long_mode:
	mov	$0x10, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	%ebx, %r12d		/* device tree or context */
	mov	$1, %eax
	cpuid
	shr	$24, %ebx		/* APIC ID = vCPU number */
	cmp	$RT_MAX_VCPUS, %ebx
	jae	halt			/* more vCPUs than stacks: stop here */
	inc	%ebx
	imul	$RT_STACK_SIZE, %ebx
	lea	rt_stacks(%rip), %rsp
	add	%rbx, %rsp
	test	%ebp, %ebp
	jnz	secondary
	/* .bss (the stacks too: nothing is on this one yet) */
	lea	__bss_start(%rip), %rdi
	lea	__bss_end(%rip), %rcx
	sub	%rdi, %rcx
	xor	%eax, %eax
	rep stosb
	mov	%r12, %rdi
	call	rt_start
	jmp	halt
secondary:
	mov	%r12, %rdi
	call	rt_secondary
halt:
	hlt
	jmp	halt

	.section .rodata
	.align	16
gdt:
	.quad	0
	.quad	0x00af9a000000ffff	/* 0x08: 64-bit code */
	.quad	0x00cf92000000ffff	/* 0x10: data */
gdt_end:
gdt_pointer:
	.short	gdt_end - gdt - 1
	.quad	gdt

	/* In .data: the CPU sets accessed and dirty bits. */
	.section .data.pagetables, "aw"
	.align	4096
pml4:
	.quad	pdpt + 0x3
	.fill	511, 8, 0
pdpt:
	.quad	pd + 0x3, pd + 0x1003, pd + 0x2003, pd + 0x3003
	.fill	508, 8, 0
pd:
	.set	i, 0
	.rept	2048
	.quad	(i << 21) | 0x83
	.set	i, i + 1
	.endr

	.section .bss.stacks, "aw", @nobits
	.align	16
	.global	rt_stacks
rt_stacks:
	.space	RT_MAX_VCPUS * RT_STACK_SIZE
