/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Entry points. The image is linked at address 0 and runs wherever the
 * loader put it: code before the MMU is on uses only PC-relative addressing,
 * and the few absolute pointers in data are fixed up from .rela.dyn here.
 * Stage-1 tables then map the hypervisor at VA == PA.
 */
#include <bulkhead/config.h>
#include <arch/sysreg.h>

#define R_AARCH64_RELATIVE 1027

	.section .text.head, "ax"
	.global _start
_start:
	/* Linux arm64 Image header, so `booti` and QEMU -kernel accept us. */
	b	primary_entry		/* code0 */
	.long	0			/* code1 */
	.quad	0			/* text_offset: at a 2 MiB boundary */
	.quad	__image_size		/* bytes to reserve, bss and per-CPU areas included */
	.quad	0xa			/* flags: little endian, 4K pages, anywhere in RAM */
	.quad	0, 0, 0			/* res2-res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* res5: no PE/COFF header yet */

primary_entry:
	mov	x19, x0			/* DTB physical address (boot protocol) */
	msr	spsel, #1
	msr	daifset, #0xf

	/* CPU 0's stack: top of the first per-CPU area. */
	adrp	x1, __cpu_areas
	add	x1, x1, :lo12:__cpu_areas
	add	x1, x1, #CPU_AREA_SIZE
	mov	sp, x1

	/* Apply R_AARCH64_RELATIVE fix-ups for the load address. */
	adrp	x0, _start
	add	x0, x0, :lo12:_start
	adrp	x1, __rela_start
	add	x1, x1, :lo12:__rela_start
	adrp	x2, __rela_end
	add	x2, x2, :lo12:__rela_end
1:	cmp	x1, x2
	b.hs	2f
	ldp	x3, x4, [x1], #16	/* r_offset, r_info */
	ldr	x5, [x1], #8		/* r_addend */
	cmp	w4, #R_AARCH64_RELATIVE
	b.ne	1b			/* the link refuses other kinds (see Makefile) */
	add	x5, x5, x0
	str	x5, [x0, x3]
	b	1b

	/* Clear .bss (16-byte aligned by the linker script). */
2:	adrp	x1, __bss_start
	add	x1, x1, :lo12:__bss_start
	adrp	x2, __bss_end
	add	x2, x2, :lo12:__bss_end
3:	cmp	x1, x2
	b.hs	4f
	stp	xzr, xzr, [x1], #16
	b	3b

4:	mov	x0, x19
	bl	arm64_primary_main	/* does not return */
	b	arm64_park

/*
 * Secondary CPUs arrive here from PSCI CPU_ON at EL2 with the MMU off and
 * x0 = their logical index. They read no memory the boot CPU may hold in
 * its caches until their own MMU (and so coherency) is on.
 */
	.global arm64_secondary_entry
arm64_secondary_entry:
	mov	x19, x0
	msr	spsel, #1
	msr	daifset, #0xf
	adrp	x1, __cpu_areas
	add	x1, x1, :lo12:__cpu_areas
	mov	x2, #CPU_AREA_SIZE
	madd	x1, x19, x2, x1
	add	x1, x1, x2
	mov	sp, x1

	adrp	x0, __pt_pool		/* the root table is the pool's first page */
	add	x0, x0, :lo12:__pt_pool
	bl	arm64_mmu_on
	mov	x0, x19
	bl	arm64_secondary_main	/* does not return */
	b	arm64_park

/*
 * arm64_mmu_on(root_pa): program MAIR/TCR/TTBR0_EL2 for the identity map
 * and turn on the MMU and caches. PARange comes from this CPU's ID register,
 * capped at 48 bits (4 levels of 4 KiB tables, T0SZ = 16).
 */
#define MAIR_VALUE 0x440004ff	/* 0: Normal WB, 1: Device-nGnRE, 2: nGnRnE, 3: Normal NC */
#define TCR_EL2_RES1 ((1 << 31) | (1 << 23))
#define TCR_FIXED (TCR_EL2_RES1 | (3 << 12) | (1 << 10) | (1 << 8) | 16)

	.global arm64_mmu_on
arm64_mmu_on:
	ldr	x1, =MAIR_VALUE
	msr	mair_el2, x1
	mrs	x2, id_aa64mmfr0_el1
	and	x2, x2, #0xf
	cmp	x2, #5
	mov	x3, #5
	csel	x2, x2, x3, ls
	ldr	x1, =TCR_FIXED
	orr	x1, x1, x2, lsl #16
	msr	tcr_el2, x1
	msr	ttbr0_el2, x0
	isb
	tlbi	alle2
	dsb	ish
	ic	iallu
	dsb	ish
	isb
	/* A whole value, not bits ORed into what firmware left: little
	 * endian, no alignment checks, nothing else enabled by accident. */
	ldr	x1, =(SCTLR_EL2_RES1 | SCTLR_M | SCTLR_C | SCTLR_SA | SCTLR_I | SCTLR_WXN)
	msr	sctlr_el2, x1
	isb
	ret

/* arm64_dcache_inval_range(start, end): invalidate to PoC, MMU off. */
	.global arm64_dcache_inval_range
arm64_dcache_inval_range:
	mrs	x3, ctr_el0
	ubfx	x3, x3, #16, #4		/* DminLine: log2(words) */
	mov	x2, #4
	lsl	x2, x2, x3		/* line size in bytes */
	sub	x3, x2, #1
	bic	x0, x0, x3
1:	cmp	x0, x1
	b.hs	2f
	dc	ivac, x0
	add	x0, x0, x2
	b	1b
2:	dsb	sy
	ret

	.global arm64_park
arm64_park:
	msr	daifset, #0xf
1:	wfi
	b	1b

	.ltorg
