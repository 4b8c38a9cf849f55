/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The SGI a guest sends: its trapped ICC_SGI1R_EL1 write (HCR_EL2.IMO),
 * done here without the full frame or C. Every SGI of every guest comes
 * this way, so it is the general path, not a special case: the value is
 * fetched from the register the syndrome names, the targets (Aff0 bits, in
 * the partition) get the SGI's bit in their vCPU's pending word (one
 * exclusive OR each, release, as vgic_sgi_deliver), those running are
 * kicked (DSB ISHST first, so the pending bit is seen before the kick),
 * the instruction is stepped over and the guest resumed.
 *
 * The C path (guest_trap: guest_sysreg, vgic_send_sgi) keeps what this one
 * does not do: any other system register; a GICv2 host (its kick is an MMIO
 * write, and it has no ICC_SGI1R_EL1 of its own); IRM broadcast or another
 * Aff1-3/RS (no vCPU but Aff0 = n exists, or every other vCPU); an SGI
 * among whose targets the sender itself is (it must be flushed into the
 * sender's own list registers before the eret).
 *
 * No flush and no exit check before the eret: nothing of the sender's
 * changed here (it is not a target), and whatever another CPU changes for
 * it comes with a kick, taken right after the eret, as after the SMCCC
 * fast paths of vectors.S. The frame's space is the vector's; x0-x1 are in
 * it, x2-x7 are saved as they are used, nothing else is touched.
 */

#include <arch/frame_asm.h>

/* ESR_EL2 of MSR ICC_SGI1R_EL1, Xt from AArch64: EC 0x18, IL, ISS op0 3,
 * op1 0, CRn 12, CRm 11, op2 5, a write; Rt (bits 9:5) masked out. */
#define ESR_SGI1R_WRITE_HI 0x623a
#define ESR_SGI1R_WRITE_LO 0x3016
#define ESR_RT_MASK 0x3e0
/* ICC_SGI1R_EL1 fields only the C path handles: Aff1 (23:16), and Aff2,
 * IRM, RS and Aff3 with bits 43:41 (RES0) between them (55:32). */
#define SGI1R_AFF1 0xff0000
#define SGI1R_AFF2_TO_AFF3 0x00ffffff00000000

	.section .text.sgi_trap, "ax"
	.global	guest_sysreg_trap
/* From ventry_guest_sync: a system register trap (EC 0x18, IL), x0-x1
 * saved at sp (the frame's space taken), x0 still the guest's. */
guest_sysreg_trap:
	stp	x2, x3, [sp, #16]
	mrs	x1, esr_el2
	bic	w2, w1, #ESR_RT_MASK
	mov	w3, #ESR_SGI1R_WRITE_LO
	movk	w3, #ESR_SGI1R_WRITE_HI, lsl #16
	cmp	w2, w3
	b.ne	sysreg_trap_c
	adrp	x2, gic_v2
	ldrb	w2, [x2, :lo12:gic_v2]
	cbnz	w2, sysreg_trap_c
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	/* The value: register Rt, through a table of two instructions per
	 * register (x1-x3 from the frame; x0 and x4-x30 are as they were). */
	ubfx	x1, x1, #5, #5
	adr	x2, sgi_rt_table
	add	x2, x2, x1, lsl #3
	br	x2

	.macro	rt_from_frame n
	ldr	x0, [sp, #(\n * 8)]
	b	sgi_value
	.endm
	.macro	rt_from_reg n
	mov	x0, x\n
	b	sgi_value
	.endm

	.balign	8
sgi_rt_table:
	b	sgi_value	/* x0: already in x0 */
	nop
	rt_from_frame 1
	rt_from_frame 2
	rt_from_frame 3
	.irp	n, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30
	rt_from_reg \n
	.endr
	mov	x0, xzr		/* 31: XZR */

sgi_value:
	tst	x0, #SGI1R_AFF2_TO_AFF3
	b.ne	sgi_trap_c
	tst	x0, #SGI1R_AFF1
	b.ne	sgi_trap_c
	mrs	x2, tpidr_el2
	ldr	x2, [x2, #CPU_ARCH_VCPU]	/* the sender */
	cbz	x2, sgi_trap_c			/* guest_trap reports it */
	and	w1, w0, #0xffff			/* targets: vCPU n is Aff0 n */
	ldr	w4, [x2, #VCPU_INDEX]
	lsr	w5, w1, w4
	tbnz	w5, #0, sgi_trap_c		/* the sender among them */
	ldr	x3, [x2, #VCPU_PART]
	ldr	x5, [x3, #PART_CFG]
	ldr	w5, [x5, #CFG_CPU_COUNT]
	mov	x6, #1				/* targets past its last vCPU: no one */
	lsl	x6, x6, x5
	sub	x6, x6, #1
	and	x1, x1, x6
	ubfx	x0, x0, #24, #4			/* the SGI's INTID, then its bit */
	mov	w6, #1
	lsl	w0, w6, w0
	add	x3, x3, #PART_VCPUS
	cbz	w1, sgi_trap_done
sgi_target:
	rbit	w5, w1				/* the lowest target left */
	clz	w5, w5
	sub	w6, w1, #1
	and	w1, w1, w6
	ldr	x5, [x3, x5, lsl #3]		/* its vCPU */
	add	x6, x5, #VCPU_SGI_PENDING
1:	ldxr	w7, [x6]
	orr	w7, w7, w0
	stlxr	w4, w7, [x6]
	cbnz	w4, 1b
	add	x6, x5, #VCPU_STATE
	ldar	w7, [x6]
	cmp	w7, #VCPU_STATE_RUNNING
	b.ne	2f				/* it will flush when it enters */
	/* The kick to its CPU (gicv3_kick): the value that CPU keeps. */
	ldr	w7, [x5, #VCPU_PCPU]
	adrp	x6, cpus
	add	x6, x6, :lo12:cpus
	mov	x4, #CPU_SIZE
	madd	x6, x7, x4, x6
	ldr	x4, [x6, #CPU_KICK_SGI1R]
	dsb	ishst
	msr	S3_0_C12_C11_5, x4		/* ICC_SGI1R_EL1 */
	isb
2:	cbnz	w1, sgi_target
sgi_trap_done:
	ldr	x3, [x2, #VCPU_EXITS]		/* the VCPU_EXITS hypercall's count */
	add	x3, x3, #1
	str	x3, [x2, #VCPU_EXITS]
	mrs	x3, elr_el2			/* step over the MSR */
	add	x3, x3, #4
	msr	elr_el2, x3
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x0, x1, [sp], #FRAME_SIZE
	eret

/* The C path, with the guest's registers as they were (x0-x1 in the frame). */
sgi_trap_c:
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
sysreg_trap_c:
	ldp	x2, x3, [sp, #16]
	mov	x1, #EXC_LOWER_SYNC
	b	guest_common
