/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The GICv3 list registers by number (arch/gic_ich_sysreg.h). They have no
 * indexed access, only one MRS/MSR each: these two routines branch to the
 * n-th of sixteen two-instruction entries, so the vGIC holds one copy of
 * the sixteen instead of a switch (and its jump table) inlined at every
 * variable-index access (about 3 KB). The branch into the table is also
 * shorter than the switch's (a mask for a range check, no table load). The callers
 * reach them by inline assembly that names the only registers they
 * touch, x16, x17 and x30 besides their arguments, and they take no stack.
 */

	.section .text.ich_lr, "ax"

/* x0 = ICH_LR<w0>_EL2, w0 & 15. */
	.global ich_lr_read_n
	.type ich_lr_read_n, %function
	.balign 8
ich_lr_read_n:
	adr	x16, 1f
	and	x17, x0, #15
	add	x16, x16, x17, lsl #3
	br	x16
	.balign 8
1:	.irp	c, 12, 13
	.irp	o, 0, 1, 2, 3, 4, 5, 6, 7
	mrs	x0, S3_4_C12_C\c\()_\o
	ret
	.endr
	.endr
	.size ich_lr_read_n, . - ich_lr_read_n

/* ICH_LR<w0>_EL2 = x1, w0 & 15. */
	.global ich_lr_write_n
	.type ich_lr_write_n, %function
	.balign 8
ich_lr_write_n:
	adr	x16, 1f
	and	x17, x0, #15
	add	x16, x16, x17, lsl #3
	br	x16
	.balign 8
1:	.irp	c, 12, 13
	.irp	o, 0, 1, 2, 3, 4, 5, 6, 7
	msr	S3_4_C12_C\c\()_\o, x1
	ret
	.endr
	.endr
	.size ich_lr_write_n, . - ich_lr_write_n
