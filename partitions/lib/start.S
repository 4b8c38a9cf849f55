/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Partition runtime entry. The hypervisor (or any Linux-style loader) enters
 * at EL1 with the MMU off and x0 = the device tree; vCPUs started with PSCI
 * CPU_ON enter at rt_secondary_entry with x0 = their context. Each vCPU gets
 * a stack by its MPIDR Aff0, turns on an identity map (so memory is Normal
 * and unaligned accesses work) and calls into C.
 */

#define RT_STACK_SIZE 16384
#define RT_MAX_VCPUS 8

	.section .text.head, "ax"
	.global _start
_start:
	b	primary			/* arm64 Image header */
	.long	0
	.quad	0			/* text_offset */
	.quad	__image_size
	.quad	0xa			/* LE, 4K pages, anywhere */
	.quad	0, 0, 0
	.ascii	"ARM\x64"
	.long	0

primary:
	mrs	x21, cntvct_el0		/* first thing: when did this partition start? */
	mov	x19, x0
	bl	cpu_setup
	adrp	x1, __bss_start
	add	x1, x1, :lo12:__bss_start
	adrp	x2, __bss_end
	add	x2, x2, :lo12:__bss_end
1:	cmp	x1, x2
	b.hs	2f
	str	xzr, [x1], #8
	b	1b
2:	dsb	sy
	mov	x0, x19
	mov	x1, x21
	bl	rt_start		/* does not return */
	b	.

	.global rt_secondary_entry
rt_secondary_entry:
	mov	x19, x0
	bl	cpu_setup
	mov	x0, x19
	bl	rt_secondary		/* does not return */
	b	.

/* Stack by vCPU number, vectors, FP/SIMD on, TLS, identity map on. */
cpu_setup:
	mov	x20, x30
	mrs	x1, mpidr_el1
	and	x1, x1, #0xff
	cmp	x1, #RT_MAX_VCPUS
	b.hs	.			/* more vCPUs than stacks: stop here */
	adrp	x2, __stacks
	add	x2, x2, :lo12:__stacks
	mov	x3, #RT_STACK_SIZE
	madd	x2, x1, x3, x2
	add	sp, x2, x3
	adrp	x2, rt_vectors
	add	x2, x2, :lo12:rt_vectors
	msr	vbar_el1, x2
	mov	x2, #(3 << 20)
	msr	cpacr_el1, x2
	adrp	x2, __tls_base
	add	x2, x2, :lo12:__tls_base
	sub	x2, x2, #16		/* AArch64 TLS: TCB of 16 bytes before the block */
	msr	tpidr_el0, x2
	/* 4 GiB identity map of 1 GiB blocks: the first is devices, the rest RAM. */
	adrp	x2, rt_l1_table
	add	x2, x2, :lo12:rt_l1_table
	ldr	x3, =0x0060000000000405	/* block 0: Device-nGnRE (attr 1), AF, PXN, UXN */
	str	x3, [x2]
	ldr	x3, =0x0000000040000701	/* blocks 1-3: Normal WB (attr 0), AF, inner shareable */
	mov	x4, #0x40000000
	str	x3, [x2, #8]
	add	x3, x3, x4
	str	x3, [x2, #16]
	add	x3, x3, x4
	str	x3, [x2, #24]
	dsb	sy
	msr	ttbr0_el1, x2
	ldr	x2, =0x04ff		/* MAIR: attr0 Normal WB, attr1 Device-nGnRE */
	msr	mair_el1, x2
	ldr	x2, =((1 << 23) | (3 << 12) | (1 << 10) | (1 << 8) | 32)	/* EPD1, SH, WB, T0SZ 32 */
	msr	tcr_el1, x2
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	mrs	x2, sctlr_el1
	orr	x2, x2, #(1 << 0)	/* M */
	orr	x2, x2, #(1 << 2)	/* C */
	orr	x2, x2, #(1 << 12)	/* I */
	msr	sctlr_el1, x2
	isb
	ret	x20

	.ltorg

	/* In .data, not .bss: it is in use before .bss is cleared. */
	.section .data.l1, "aw"
	.align	12
rt_l1_table:
	.space	4096
