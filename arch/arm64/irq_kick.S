/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A guest's physical IRQ, when it is the kick (GIC_SGI_KICK) that another
 * CPU sent to bring its SGIs in (vgic_sgi_deliver, sgi_trap.S): the usual
 * way a running vCPU learns of an SGI. Acknowledged, priority dropped and
 * deactivated here, and the one SGI now pending put into list register 0,
 * without the short frame or C, when nothing else needs the hypervisor:
 *
 *   - the vCPU stays (no exit asked for, its partition running);
 *   - vgic_flush has nothing else to do: nothing held, no underflow
 *     interrupt armed, no vLPI waiting, no line of vCPU 0's virtual SPIs
 *     up, and every list register empty (so none holds this SGI active,
 *     none waits for its end to be cleared, and LR 0 is free);
 *   - exactly one SGI or PPI pending, and enabled;
 *   - no console output queued (every interrupt is a chance to drain it).
 *
 * Whether it is the kick is asked of ICC_HPPIR1_EL1 first, which
 * acknowledges nothing: any other interrupt (or none) goes to the C path
 * (guest_irq, through the short frame) untouched, which acknowledges it
 * as before. Should IAR then give another INTID (one more urgent came in
 * between), that goes to guest_irq_acked. Anything the kick's path does
 * not do after acknowledging the kick also goes to guest_irq, which
 * acknowledges whatever else is there and flushes as on any trap. A GICv2
 * host's vector goes to guest_irq at once.
 *
 * The pending word is taken with an exclusive pair that expects the one
 * bit it checked: an SGI another CPU adds meanwhile sends the C path the
 * lot. No ICH_HCR_EL2 write: with no underflow interrupt armed it is
 * ICH_HCR_EN, as the flush would write it. No ISB: the eret synchronises.
 * Another physical interrupt still pending is taken again right after
 * the eret.
 */

#include <arch/frame_asm.h>

/* ICH_LR_PENDING | ICH_LR_GROUP1, bits 62 and 60: 0x5 << 60. */
#define LR_PENDING_GROUP1_HI 0x5000

	.section .text.irq_kick, "ax"
	.global	guest_irq_kick
/* From the guest's IRQ vector on a GICv3 host: the frame's space taken,
 * x0-x1 in it. */
guest_irq_kick:
	mrs	x0, S3_0_C12_C12_2		/* ICC_HPPIR1_EL1: what IAR would give */
	and	w0, w0, #0xffffff
	cbnz	w0, guest_irq_entry		/* not the kick (INTID 0): C acknowledges */
	stp	x2, x3, [sp, #16]
	mrs	x0, S3_0_C12_C12_0		/* ICC_IAR1_EL1 */
	and	w1, w0, #0xffffff
	cbnz	w1, irq_kick_acked		/* a more urgent one came in between */
	msr	S3_0_C12_C12_1, x0		/* ICC_EOIR1_EL1: priority drop */
	msr	S3_0_C12_C11_1, x0		/* ICC_DIR_EL1: deactivate */
	stp	x4, x5, [sp, #32]
	mrs	x2, tpidr_el2
	ldr	x2, [x2, #CPU_ARCH_VCPU]
	cbz	x2, irq_kick_c			/* guest_irq reports it */
	ldr	x3, [x2, #VCPU_PART]
	/* The vCPU stays (guest_resume's test). */
	ldr	w0, [x2, #VCPU_EXIT]
	cbnz	w0, irq_kick_c
	add	x0, x3, #PART_STATE
	ldar	w0, [x0]
	cmp	w0, #PARTITION_STATE_RUNNING
	b.ne	irq_kick_c
	/* vgic_flush's other work: held, underflow armed, vLPIs waiting. */
	ldr	w0, [x2, #VCPU_SGI_HELD]
	ldr	w1, [x2, #VCPU_LPI_COUNT]
	orr	w0, w0, w1
	ldrb	w1, [x2, #VCPU_UIE_ARMED]
	orr	w0, w0, w1
	ldr	x1, [x3, #PART_SPIS_HELD]
	orr	x0, x0, x1
	cbnz	x0, irq_kick_c
	/* vCPU 0: a virtual SPI's line up (vgic_vspi_wants_flush). */
	ldr	w0, [x2, #VCPU_INDEX]
	cbnz	w0, 2f
	ldr	w0, [x3, #PART_VSPI_COUNT]
	cbz	w0, 2f
	add	x1, x3, #(PART_VSPI + VSPI_LEVEL)
1:	ldrb	w4, [x1], #VSPI_SIZE
	cbnz	w4, irq_kick_c
	subs	w0, w0, #1
	b.ne	1b
2:	/* Console output queued: the C path drains it (console_drain). */
	adrp	x0, console_ring_head
	ldr	w0, [x0, :lo12:console_ring_head]
	adrp	x1, console_ring_tail
	ldr	w1, [x1, :lo12:console_ring_tail]
	cmp	w0, w1
	b.ne	irq_kick_c
	/* One interrupt pending, enabled, every list register empty. */
	ldr	w0, [x2, #VCPU_SGI_PENDING]
	cbz	w0, irq_kick_done		/* the kick was for the checks above */
	sub	w1, w0, #1
	tst	w0, w1
	b.ne	irq_kick_c
	ldr	w1, [x2, #VCPU_SGI_ENABLED]
	tst	w0, w1
	b.eq	irq_kick_c
	mrs	x1, S3_4_C12_C11_1		/* ICH_VTR_EL2: ListRegs, their number less 1 */
	and	x1, x1, #0x1f
	mov	x4, #2
	lsl	x4, x4, x1
	sub	x4, x4, #1
	mrs	x1, S3_4_C12_C11_5		/* ICH_ELRSR_EL2 */
	cmp	x1, x4
	b.ne	irq_kick_c
	add	x1, x2, #VCPU_SGI_PENDING
3:	ldaxr	w4, [x1]
	cmp	w4, w0
	b.ne	irq_kick_c_clrex
	stxr	w5, wzr, [x1]
	cbnz	w5, 3b
	rbit	w0, w0				/* its INTID */
	clz	w0, w0
	add	x1, x2, #VCPU_SGI_PRIORITY
	ldrb	w1, [x1, x0]
	mov	x4, #(LR_PENDING_GROUP1_HI << 48)
	orr	x4, x4, x1, lsl #48		/* ICH_LR_PRIORITY_SHIFT */
	orr	x4, x4, x0
	msr	S3_4_C12_C12_0, x4		/* ICH_LR0_EL2 */
irq_kick_done:
	ldr	x3, [x2, #VCPU_EXITS]		/* the VCPU_EXITS hypercall's count */
	add	x3, x3, #1
	str	x3, [x2, #VCPU_EXITS]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x0, x1, [sp], #FRAME_SIZE
	eret

/* The C path, the guest's registers as they were but x0-x1 (in the
 * frame), x1 what was acknowledged. */
irq_kick_c_clrex:
	clrex
irq_kick_c:
	ldp	x4, x5, [sp, #32]
	ldp	x2, x3, [sp, #16]
	b	guest_irq_entry
irq_kick_acked:
	ldp	x2, x3, [sp, #16]
	b	guest_irq_acked_entry
