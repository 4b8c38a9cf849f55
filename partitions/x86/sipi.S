/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The application-processor trampoline for rt_cpu_on_sipi(): copied to
 * RT_SIPI_BASE, where a start-up IPI with vector RT_SIPI_BASE >> 12 starts
 * the vCPU in real mode at CS = RT_SIPI_BASE >> 4, IP = 0. It records the
 * CS it started with (so a test can tell a real-mode start), enters 32-bit
 * protected mode with a flat GDT of its own and continues as a CPU_ON
 * start would: rt_secondary_entry with EBX = the vCPU number (its APIC ID).
 */

#define RT_SIPI_BASE 0x8000
#define AT(label) (RT_SIPI_BASE + ((label) - rt_sipi_trampoline))

	.section .rodata.sipi, "a"
	.code16
	.global	rt_sipi_trampoline
rt_sipi_trampoline:
	.byte	0xeb, 0x02		/* jmp over started_cs: a fixed 2-byte form */
started_cs:				/* RT_SIPI_BASE + RT_SIPI_STARTED_CS */
	.short	0
	cli
	mov	%cs, %ax
	mov	%ax, %ds
	mov	%ax, started_cs - rt_sipi_trampoline
	lgdtl	gdt_pointer - rt_sipi_trampoline
	mov	%cr0, %eax
	or	$1, %eax		/* PE */
	mov	%eax, %cr0
	ljmpl	$0x08, $AT(protected32)

	.code32
protected32:
	mov	$0x10, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	$1, %eax
	cpuid
	shr	$24, %ebx		/* APIC ID = vCPU number */
	mov	$rt_secondary_entry, %eax
	jmp	*%eax

	.align	8
gdt:
	.quad	0
	.quad	0x00cf9a000000ffff	/* 0x08: 32-bit code */
	.quad	0x00cf92000000ffff	/* 0x10: data */
gdt_pointer:
	.short	gdt_pointer - gdt - 1
	.long	AT(gdt)
	.global	rt_sipi_trampoline_end
rt_sipi_trampoline_end:

	.if	started_cs - rt_sipi_trampoline != 2
	.error	"RT_SIPI_STARTED_CS (partitions/x86/rt.h) moved"
	.endif
