/* SPDX-License-Identifier: Apache-2.0 */
/*
 * x86-64 entry. A multiboot1 loader (QEMU -kernel) or a multiboot2 loader
 * (GRUB) enters _start in 32-bit protected mode with paging off, EAX = the
 * loader's magic and EBX = its information structure. We clear .bss, build
 * an identity map of the first 4 GiB with 2 MiB pages (the top GiB, where
 * the local and I/O APICs live, uncached), switch to long mode and call C.
 *
 * Application processors start in real mode at the trampoline, copied below
 * 1 MiB by apic.c, take the same path to long mode, find their struct cpu
 * by APIC ID and run on the stack the boot CPU prepared there.
 */

#include <bulkhead/config.h>
#include <arch/asm.h>

#define MB1_MAGIC 0x1badb002
#define MB1_FLAGS 0x00000003 /* modules page aligned, memory information */
#define MB2_MAGIC 0xe85250d6

#define CR0_PE (1 << 0)
#define CR0_NE (1 << 5)
#define CR0_WP (1 << 16)
#define CR0_PG (1 << 31)
#define CR4_PAE (1 << 5)
#define EFER_LME (1 << 8)
#define PTE_PRESENT_RW 0x3
#define PDE_2M 0x83
#define PDE_UNCACHED 0x18 /* PCD | PWT */

	.section .text.head, "ax"
	.code32
	.align	4
multiboot1_header:
	.long	MB1_MAGIC
	.long	MB1_FLAGS
	.long	-(MB1_MAGIC + MB1_FLAGS)

	.align	8
multiboot2_header:
	.long	MB2_MAGIC
	.long	0			/* i386 protected mode */
	.long	multiboot2_end - multiboot2_header
	.long	-(MB2_MAGIC + (multiboot2_end - multiboot2_header))
	.align	8
	.short	3, 0			/* entry address tag: 32-bit entry even in an ELF64 */
	.long	12
	.long	_start
	.align	8
	.short	0, 0			/* end tag */
	.long	8
multiboot2_end:

	.global	_start
_start:
	cli
	cld
	mov	%eax, %edi		/* loader magic */
	mov	%ebx, %esi		/* loader information */
	mov	$(__cpu_areas + CPU_AREA_SIZE), %esp

	/* .bss, which holds the page tables too */
	mov	$__bss_start, %edx
	mov	$__bss_end, %ecx
	sub	%edx, %ecx
	push	%edi
	mov	%edx, %edi
	xor	%eax, %eax
	rep stosb
	pop	%edi

	/* PML4[0] -> PDPT; PDPT[0..3] -> four PDs of 512 2 MiB pages each */
	movl	$(x86_boot_pdpt + PTE_PRESENT_RW), x86_boot_pml4
	mov	$x86_boot_pd, %eax
	or	$PTE_PRESENT_RW, %eax
	xor	%ecx, %ecx
1:	mov	%eax, x86_boot_pdpt(, %ecx, 8)
	add	$PAGE_SIZE, %eax
	inc	%ecx
	cmp	$4, %ecx
	jb	1b
	xor	%ecx, %ecx
2:	mov	%ecx, %eax
	shl	$21, %eax
	or	$PDE_2M, %eax
	cmp	$1536, %ecx		/* 3 GiB and up: devices */
	jb	3f
	or	$PDE_UNCACHED, %eax
3:	mov	%eax, x86_boot_pd(, %ecx, 8)
	inc	%ecx
	cmp	$2048, %ecx
	jb	2b

	call	enter_long_mode
	ljmp	$GDT_CODE64, $primary64

/* CR3, PAE, EFER.LME, paging and the GDT; the caller far-jumps to 64-bit. */
enter_long_mode:
	mov	$x86_boot_pml4, %eax
	mov	%eax, %cr3
	mov	%cr4, %eax
	or	$CR4_PAE, %eax
	mov	%eax, %cr4
	mov	$0xc0000080, %ecx
	rdmsr
	or	$EFER_LME, %eax
	wrmsr
	mov	%cr0, %eax
	or	$(CR0_PG | CR0_WP | CR0_NE | CR0_PE), %eax
	mov	%eax, %cr0
	lgdt	gdt_pointer
	ret

	.code64
primary64:
	mov	$GDT_DATA, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	xor	%eax, %eax
	mov	%eax, %fs
	mov	%eax, %gs
	mov	$(__cpu_areas + CPU_AREA_SIZE), %rsp
	mov	%edi, %edi
	mov	%esi, %esi
	call	x86_primary_main
	jmp	x86_halt_forever

/* An AP in long mode: its struct cpu is the one whose hwid is its APIC ID. */
secondary64:
	mov	$GDT_DATA, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	xor	%eax, %eax
	mov	%eax, %fs
	mov	%eax, %gs
	mov	$0x1b, %ecx		/* IA32_APIC_BASE */
	rdmsr
	and	$0xfffff000, %eax
	mov	0x20(%rax), %eax	/* local APIC ID register */
	shr	$24, %eax
	lea	cpus(%rip), %rbx
	xor	%edi, %edi
4:	cmp	CPU_HWID_OFFSET(%rbx), %rax
	je	5f
	add	$CPU_STRUCT_SIZE, %rbx
	inc	%edi
	cmp	$MAX_CPUS, %edi
	jb	4b
	jmp	x86_halt_forever	/* not a CPU the boot CPU started */
5:	mov	CPU_STACK_TOP_OFFSET(%rbx), %rsp
	call	x86_secondary_main
	/* fall through */

	.global	x86_halt_forever
x86_halt_forever:
	cli
6:	hlt
	jmp	6b

/*
 * AP start-up code, copied to TRAMPOLINE_BASE: real mode, then protected
 * mode with the boot GDT, then the common path to long mode.
 */
#define TRAMP(sym) ((sym) - x86_trampoline_start + TRAMPOLINE_BASE)
	.code16
	.global	x86_trampoline_start
x86_trampoline_start:
	cli
	cld
	xor	%ax, %ax
	mov	%ax, %ds
	lgdtl	TRAMP(trampoline_gdt_pointer)
	mov	%cr0, %eax
	or	$CR0_PE, %eax
	mov	%eax, %cr0
	ljmpl	$GDT_CODE32, $TRAMP(trampoline32)
	.code32
trampoline32:
	mov	$GDT_DATA, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	$TRAMP(trampoline_stack_top), %esp
	mov	$enter_long_mode, %eax	/* absolute: this code runs from its copy */
	call	*%eax
	ljmp	$GDT_CODE64, $secondary64
	.align	8
trampoline_gdt_pointer:
	.short	gdt_end - gdt - 1
	.long	gdt
	.align	16
	.space	64			/* for the one call above; APs start one at a time */
trampoline_stack_top:
	.global	x86_trampoline_end
x86_trampoline_end:

	.section .rodata
	.align	16
gdt:
	.quad	0
	.quad	0x00af9a000000ffff	/* 0x08: 64-bit code */
	.quad	0x00cf92000000ffff	/* 0x10: data */
	.quad	0x00cf9a000000ffff	/* 0x18: 32-bit code (AP trampoline) */
gdt_end:
	.global	x86_gdt_pointer
x86_gdt_pointer:
gdt_pointer:
	.short	gdt_end - gdt - 1
	.quad	gdt

	.section .bss.pagetables, "aw", @nobits
	.align	PAGE_SIZE
	.global	x86_boot_pml4
x86_boot_pml4:
	.space	PAGE_SIZE
x86_boot_pdpt:
	.space	PAGE_SIZE
x86_boot_pd:
	.space	4 * PAGE_SIZE
