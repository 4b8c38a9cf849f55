/* SPDX-License-Identifier: Apache-2.0 */
/*
 * x86-64 partition runtime entry. Bulkhead (or any multiboot-style loader)
 * enters _start in 32-bit protected mode, paging off, with EBX = the
 * guest-physical address of the partition's device tree; vCPUs started
 * with the CPU_ON hypercall enter rt_secondary_entry the same way with EBX =
 * their context. Each switches to long mode with our identity map of the
 * first 16 GiB (2 MiB pages, written by the boot vCPU before anything else
 * runs, so a partition can reach memory above 4 GiB), takes the stack of
 * its vCPU number (its APIC ID in CPUID leaf 1) and calls rt_start(device
 * tree) or rt_secondary(context).
 */

#define RT_STACK_SIZE 16384
#define RT_MAX_VCPUS 8
#define RT_MAPPED_GIB 16
#define PD_ENTRIES (RT_MAPPED_GIB * 512)
#define PTE_PRESENT_RW 0x3
#define PDE_2M 0x83

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
	test	%ebp, %ebp
	jz	build_page_tables	/* the boot vCPU; no stack yet, so no call */
page_tables_built:
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

/*
 * The identity map, from nothing: the RAM under it holds whatever the
 * last run (or the firmware) left. Secondary vCPUs start later, from the
 * boot vCPU's program, and find it done.
 */
build_page_tables:
	mov	$pml4, %edi
	mov	$((pd_end - pml4) / 4), %ecx
	xor	%eax, %eax
	rep stosl
	movl	$(pdpt + PTE_PRESENT_RW), pml4
	xor	%ecx, %ecx
2:	mov	%ecx, %eax		/* PDPT[i] -> the i-th PD */
	shl	$12, %eax
	add	$(pd + PTE_PRESENT_RW), %eax
	mov	%eax, pdpt(, %ecx, 8)
	inc	%ecx
	cmp	$RT_MAPPED_GIB, %ecx
	jb	2b
	xor	%ecx, %ecx
3:	mov	%ecx, %eax		/* PD entry i -> i * 2 MiB: bits 21-31 here, */
	shl	$21, %eax
	or	$PDE_2M, %eax
	mov	%eax, pd(, %ecx, 8)
	mov	%ecx, %eax		/* and bits 32 and up in the high half */
	shr	$11, %eax
	mov	%eax, pd + 4(, %ecx, 8)
	inc	%ecx
	cmp	$PD_ENTRIES, %ecx
	jb	3b
	jmp	page_tables_built

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

	/* Not in the image, nor in .bss (cleared in long mode, under them):
	 * partition.ld puts them after it. */
	.section .pagetables, "aw", @nobits
	.align	4096
pml4:
	.space	4096
pdpt:
	.space	4096
pd:
	.space	PD_ENTRIES * 8
pd_end:

	.section .bss.stacks, "aw", @nobits
	.align	16
	.global	rt_stacks
rt_stacks:
	.space	RT_MAX_VCPUS * RT_STACK_SIZE
