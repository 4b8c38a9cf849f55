/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Entry points. The image is linked at address 0 and runs wherever the
 * loader put it: code before the MMU is on uses only PC-relative addressing,
 * and the few absolute pointers in data are fixed up here, from the packed
 * list tools/pack-relocs makes of the linker's R_AARCH64_RELATIVE entries.
 * Stage-1 tables then map the hypervisor at VA == PA.
 */
#include <bulkhead/config.h>
#include <arch/sysreg.h>

	.section .text.head, "ax"
	.global _start
_start:
	/*
	 * Linux arm64 Image header, so `booti` and QEMU -kernel accept us,
	 * which is also the start of a PE/COFF image (UEFI applications):
	 * code0's bytes begin with "MZ", the DOS signature, and res5 at
	 * offset 0x3c is where the PE header is (the DOS header's e_lfanew).
	 * As an instruction code0 only sets the flags: a loader entering the
	 * Image here goes on to code1, the branch.
	 */
	ccmp	x18, #0, #0xd, pl	/* code0: bytes 4d 5a 40 fa, "MZ@." */
	b	primary_entry		/* code1 */
	.quad	0			/* text_offset: at a 2 MiB boundary */
	.quad	__image_size		/* bytes to reserve, bss and per-CPU areas included */
	.quad	0xa			/* flags: little endian, 4K pages, anywhere in RAM */
	.quad	0, 0, 0			/* res2-res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	pe_header - _start	/* res5: the PE header's offset */

/*
 * The PE32+ headers of the UEFI application (Microsoft PE/COFF
 * specification). File offsets equal addresses relative to the image
 * base (RVAs), so a UEFI loader lays the file out in memory exactly as
 * the raw Image is: the headers fill the first page, ".text" (code) and
 * ".data" (everything after, bss and the per-CPU areas included) follow.
 * No base relocations: the code is position independent and efi_entry
 * applies the image's own fix-ups (relocate()), as primary_entry does.
 */
#define PE_MACHINE_ARM64 0xaa64
#define PE_EXECUTABLE_NO_LINES_NO_DEBUG 0x0206
#define PE_OPT_MAGIC_PE32PLUS 0x20b
#define PE_SUBSYSTEM_EFI_APPLICATION 10
#define PE_SCN_CODE_RX 0x60000020	/* code, execute, read */
#define PE_SCN_DATA_RW 0xc0000040	/* initialised data, read, write */

	.balign	8
pe_header:
	.ascii	"PE\0\0"
	.short	PE_MACHINE_ARM64
	.short	2			/* sections */
	.long	0			/* time stamp: none, builds are reproducible */
	.long	0, 0			/* COFF symbol table: none */
	.short	pe_sections - pe_optional_header
	.short	PE_EXECUTABLE_NO_LINES_NO_DEBUG
pe_optional_header:
	.short	PE_OPT_MAGIC_PE32PLUS
	.byte	0, 0			/* linker version */
	.long	__pe_text_size		/* size of code */
	.long	__pe_data_file_size	/* size of initialised data */
	.long	0			/* size of uninitialised data: inside .data */
	.long	__pe_entry		/* entry point RVA: efi_entry */
	.long	__pe_text_start		/* base of code */
	.quad	0			/* preferred image base: any */
	.long	PAGE_SIZE		/* section alignment */
	.long	PE_FILE_ALIGNMENT	/* file alignment */
	.short	0, 0, 0, 0, 0, 0	/* OS, image and subsystem versions */
	.long	0			/* Win32 version: reserved */
	.long	__image_size		/* size of the image in memory */
	.long	__pe_text_start		/* size of the headers */
	.long	0			/* checksum: not checked for EFI images */
	.short	PE_SUBSYSTEM_EFI_APPLICATION
	.short	0			/* DLL characteristics */
	.quad	0, 0, 0, 0		/* stack and heap reserve/commit: unused by UEFI */
	.long	0			/* loader flags */
	.long	6			/* data directories, up to base relocations */
	.quad	0, 0, 0, 0, 0, 0	/* export .. base relocation tables: none */
pe_sections:
	.ascii	".text\0\0\0"
	.long	__pe_text_size		/* size in memory */
	.long	__pe_text_start		/* RVA */
	.long	__pe_text_size		/* size in the file */
	.long	__pe_text_start		/* offset in the file */
	.long	0, 0			/* COFF relocations, line numbers */
	.short	0, 0
	.long	PE_SCN_CODE_RX
	.ascii	".data\0\0\0"
	.long	__pe_data_size
	.long	__pe_data_start
	.long	__pe_data_file_size
	.long	__pe_data_start
	.long	0, 0
	.short	0, 0
	.long	PE_SCN_DATA_RW
	/* Code starts on the next page: UEFI may map the headers non-executable. */
	.balign	PAGE_SIZE

	.global primary_entry
primary_entry:
	mov	x19, x0			/* DTB physical address (boot protocol) */
	msr	spsel, #1
	msr	daifset, #0xf

	/* CPU 0's stack: top of the first per-CPU area. */
	adrp	x1, __cpu_areas
	add	x1, x1, :lo12:__cpu_areas
	add	x1, x1, #CPU_AREA_SIZE
	mov	sp, x1

	bl	relocate

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
 * relocate(): add the address the image runs at to each pointer the linker
 * left at its link-time value (linked at 0). The list (__relr_start..end,
 * RELR: tools/pack-relocs) holds an even entry for a word to fix up, or an
 * odd one, a bitmap of the 63 words after the last one fixed up (bit 1:
 * the first). Adding twice would be wrong, and the UEFI entry then
 * primary_entry both call it: relocated_base keeps what has been added,
 * and only the difference is. Clobbers x0-x7.
 */
relocate:
	adrp	x0, _start
	add	x0, x0, :lo12:_start
	adrp	x1, relocated_base
	add	x1, x1, :lo12:relocated_base
	ldr	x2, [x1]
	subs	x3, x0, x2		/* what is still to add */
	b.eq	9f
	str	x0, [x1]
	adrp	x1, __relr_start
	add	x1, x1, :lo12:__relr_start
	adrp	x2, __relr_end
	add	x2, x2, :lo12:__relr_end
	mov	x5, x0			/* the next word a bitmap starts at */
1:	cmp	x1, x2
	b.hs	9f
	ldr	x4, [x1], #8
	tbnz	x4, #0, 2f
	add	x5, x0, x4		/* an address: fix up that word */
	ldr	x6, [x5]
	add	x6, x6, x3
	str	x6, [x5], #8
	b	1b
2:	mov	x6, x5			/* a bitmap of the 63 words from x5 */
	lsr	x4, x4, #1
3:	cbz	x4, 5f
	tbz	x4, #0, 4f
	ldr	x7, [x6]
	add	x7, x7, x3
	str	x7, [x6]
4:	lsr	x4, x4, #1
	add	x6, x6, #8
	b	3b
5:	add	x5, x5, #(63 * 8)
	b	1b
9:	ret

	/* What relocate() has added to the pointers: the image is linked at 0. */
	.pushsection .data.relocated_base, "aw"
	.balign	8
relocated_base:
	.quad	0
	.popsection

/*
 * efi_entry(image_handle, system_table): the PE entry point, called by UEFI
 * firmware at EL2 (or EL1 without virtualization), MMU and caches on.
 * efi_main() finds the DTB and leaves boot services; then the image and the
 * DTB are cleaned to the point of coherency, the MMU and data cache turned
 * off, and the normal boot path entered as a loader would (x0 = DTB).
 * If efi_main() fails it has said why; the firmware gets EFI_LOAD_ERROR.
 */
#define EFI_LOAD_ERROR 0x8000000000000001

	.global efi_entry
efi_entry:
	stp	x29, x30, [sp, #-32]!
	mov	x29, sp
	stp	x19, x20, [sp, #16]
	mov	x19, x0
	mov	x20, x1
	bl	relocate
	mov	x0, x19
	mov	x1, x20
	bl	efi_main		/* the DTB's address, or 0 */
	cbnz	x0, 1f
	ldp	x19, x20, [sp, #16]
	ldp	x29, x30, [sp], #32
	ldr	x0, =EFI_LOAD_ERROR
	ret

	/* Boot services are gone: nothing below touches memory but by DC. */
1:	mov	x19, x0
	msr	daifset, #0xf
	adrp	x0, _start
	add	x0, x0, :lo12:_start
	adrp	x1, __reserved_end
	add	x1, x1, :lo12:__reserved_end
	bl	dcache_clean_inval_range
	ldr	w1, [x19, #4]		/* DTB totalsize, big endian */
	rev	w1, w1
	add	x1, x1, x19
	mov	x0, x19
	bl	dcache_clean_inval_range

	/* Only EL2 gets here (efi_main checks): turn its MMU and D-cache off. */
	mrs	x0, sctlr_el2
	bic	x0, x0, #SCTLR_M
	bic	x0, x0, #SCTLR_C
	msr	sctlr_el2, x0
	isb
	ic	iallu
	dsb	sy
	isb
	mov	x0, x19
	b	primary_entry

/* dcache_clean_inval_range(start, end): clean and invalidate to PoC. */
dcache_clean_inval_range:
	mrs	x3, ctr_el0
	ubfx	x3, x3, #16, #4		/* DminLine: log2(words) */
	mov	x2, #4
	lsl	x2, x2, x3
	sub	x3, x2, #1
	bic	x0, x0, x3
1:	cmp	x0, x1
	b.hs	2f
	dc	civac, x0
	add	x0, x0, x2
	b	1b
2:	dsb	sy
	ret

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
