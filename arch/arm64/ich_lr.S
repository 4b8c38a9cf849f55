/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The GICv3 list registers by number (arch/gic_ich_sysreg.h). They have no
 * indexed access, only one MRS/MSR each: these two routines branch to the
 * n-th of sixteen two-instruction entries, so the vGIC holds one copy of
 * the sixteen instead of a switch (and its jump table) inlined at every
 * variable-index access (about 3 KB). The branch into the table is also
 * shorter than the switch's (a mask for a range check, no table load). The
 * callers reach them by inline assembly that names the only registers they
 * touch, x16, x17 and x30 besides their arguments, and they take no stack.
 */

	.section .text.ich_lr, "ax"

/* Routine \name: branch to entry (w0 & 15) of the 8-byte entries after it. */
.macro	lr_table name
	.global \name
	.type \name, %function
	.balign 8
\name:
	adr	x16, 1f
	and	x17, x0, #15
	add	x16, x16, x17, lsl #3
	br	x16
	.balign 8
1:
.endm

/* x0 = ICH_LR<w0 & 15>_EL2 (ICH_LR0-7: S3_4_C12_C12_n, 8-15: C12_C13_n). */
	lr_table ich_lr_read_n
	.irp	r, 12_0, 12_1, 12_2, 12_3, 12_4, 12_5, 12_6, 12_7, 13_0, 13_1, 13_2, 13_3, 13_4, 13_5, 13_6, 13_7
	mrs	x0, S3_4_C12_C\r
	ret
	.endr
	.size ich_lr_read_n, . - ich_lr_read_n

/* ICH_LR<w0 & 15>_EL2 = x1. */
	lr_table ich_lr_write_n
	.irp	r, 12_0, 12_1, 12_2, 12_3, 12_4, 12_5, 12_6, 12_7, 13_0, 13_1, 13_2, 13_3, 13_4, 13_5, 13_6, 13_7
	msr	S3_4_C12_C\r, x1
	ret
	.endr
	.size ich_lr_write_n, . - ich_lr_write_n
