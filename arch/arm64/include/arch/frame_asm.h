/* SPDX-License-Identifier: Apache-2.0 */
/* Assembly helpers for struct exception_frame (see arch/frame.h). */
#ifndef ARCH_ARM64_FRAME_ASM_H
#define ARCH_ARM64_FRAME_ASM_H

#include <arch/frame.h>

/* Load x2-x30 from the frame at \base (x0 and x1 are the caller's to load). */
	.macro	load_x2_to_x30 base
	ldp	x2, x3, [\base, #16]
	ldp	x4, x5, [\base, #32]
	ldp	x6, x7, [\base, #48]
	ldp	x8, x9, [\base, #64]
	ldp	x10, x11, [\base, #80]
	ldp	x12, x13, [\base, #96]
	ldp	x14, x15, [\base, #112]
	ldp	x16, x17, [\base, #128]
	ldp	x18, x19, [\base, #144]
	ldp	x20, x21, [\base, #160]
	ldp	x22, x23, [\base, #176]
	ldp	x24, x25, [\base, #192]
	ldp	x26, x27, [\base, #208]
	ldp	x28, x29, [\base, #224]
	ldr	x30, [\base, #240]
	.endm

#endif
