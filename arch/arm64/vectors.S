/* SPDX-License-Identifier: Apache-2.0 */
/*
 * EL2 exception vectors. Every entry saves the full register file into an
 * exception_frame (layout shared with exception.c) and calls
 * arm64_exception(frame, kind). A zero return resumes the interrupted
 * context from the (possibly edited) frame; non-zero, only ever returned for
 * a trap from a guest, leaves the guest through guest_leave (guest.S).
 *
 * An exception taken at EL2 is always fatal. Its entry first checks that a
 * frame still fits above the CPU's guard page: a stack overflow faults in
 * the guard page, and pushing a frame there would fault again, forever,
 * creeping down into the memory below. On overflow the frame goes at the
 * top of the stack instead (the CPU is about to halt, so nothing there is
 * needed), with EXC_STACK_OVERFLOW in the kind. SP_EL0 and TPIDR_EL0 are
 * scratch here: they belong to a guest whose CPU is halting.
 */

#include <bulkhead/config.h>
#include <bulkhead/hypercall_slots.h>
#include <arch/frame_asm.h>

/* ESR_EL2 of HVC #0 from AArch64 (EC 0x16, IL, immediate 0, 0x5a000000),
 * rotated right by 24: one compare with an immediate, x0 left alone. */
#define ESR_HVC64_IMM0_ROR24 0x5a
/* A trapped MSR/MRS from AArch64 (EC 0x18, IL), rotated the same way: the
 * low word then holds EC and IL in its low byte, ISS2 (zero for these
 * traps) above. */
#define ESR_SYS64_ROR24 0x62
#define SMCCC_VERSION_ID 0x80000000
/* 0x10001, SMCCC 1.1, as vpsci.c answers (in two moves). */
#define SMCCC_VERSION_1_1_HI 0x10000
#define SMCCC_VERSION_1_1_LO 0x1
/* Bit 30 of a function ID: an SMC64 call, whose results are 64 bits wide. */
#define SMCCC_SMC64 0x40000000
/* smccc_owners' second column, the C entries (offsetof, checked in smccc.c). */
#define SMCCC_OWNER_CALLS (64 * 8)
/* The frame's x20 slot, which the short frames leave free. */
#define FRAME_X20 160

	.macro	ventry kind
	.align	7
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #0]
	mov	x1, #\kind
	b	exception_common
	.endm

	.macro	ventry_guest kind
	.align	7
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #0]
	mov	x1, #\kind
	b	guest_common
	.endm

/*
 * A guest's synchronous exception: the frame's space and x0-x1 in one
 * store; HVC #0 recognised by one compare of its syndrome rotated (which
 * leaves x0, the function ID, in place). An SMCCC call goes to its owner's
 * entry, guest_smccc_entry below; SMCCC_VERSION (the null hypercall,
 * which guests also use to probe the conduit) is answered right here,
 * touching x0 and x1 only, without the C handler or the vGIC flush: its
 * answer depends on nothing, and the flush only has to happen before a
 * return that follows a change; anything that changes a vCPU's
 * interrupts or state while it runs also kicks its CPU, which traps again
 * right after this eret. A trapped system register access (the same
 * rotated syndrome's low word, EC 0x18 and IL) goes to guest_sysreg_trap
 * (sgi_trap.S), which sends an SGI itself and hands anything else back to
 * guest_common: two instructions more for every other trap.
 */
	.macro	ventry_guest_sync kind
	.align	7
	stp	x0, x1, [sp, #-FRAME_SIZE]!
	mrs	x1, esr_el2
	ror	x1, x1, #24
	cmp	x1, #ESR_HVC64_IMM0_ROR24
	b.ne	1f
	eor	w1, w0, #SMCCC_VERSION_ID
	cbnz	w1, guest_smccc_entry
	ldp	x0, x1, [sp], #FRAME_SIZE
	mov	x0, #SMCCC_VERSION_1_1_HI
	movk	x0, #SMCCC_VERSION_1_1_LO
	eret
1:	cmp	w1, #ESR_SYS64_ROR24
	b.eq	guest_sysreg_trap	/* sgi_trap.S: an SGI sent, or back to guest_common */
	mov	x1, #\kind
	b	guest_common
	.endm

/* A guest's IRQ: on a GICv3, irq_kick.S, which handles the kick without a
 * frame and sends anything else through the short frame (guest_irq_entry);
 * on a GICv2, the short frame at once (its CPU interface is MMIO, which
 * irq_kick.S does not reach). */
	.macro	ventry_guest_irq
	.align	7
	stp	x0, x1, [sp, #-FRAME_SIZE]!
	adrp	x0, gic_v2
	ldrb	w0, [x0, :lo12:gic_v2]
	cbnz	w0, guest_irq_entry
	b	guest_irq_kick
	.endm

	.macro	ventry_el2 kind
	.align	7
	msr	sp_el0, x0
	msr	tpidr_el0, x1
	mrs	x0, tpidr_el2
	ldr	x0, [x0, #CPU_ARCH_STACK_BOTTOM]
	sub	x0, sp, x0		/* room left above the guard page */
	cmp	x0, #FRAME_SIZE
	mov	x1, #\kind
	b.ge	1f
	mrs	x0, tpidr_el2
	ldr	x0, [x0, #CPU_ARCH_STACK_BOTTOM]
	add	x0, x0, #CPU_STACK_SIZE
	mov	sp, x0
	mov	x1, #(\kind | EXC_STACK_OVERFLOW)
1:	sub	sp, sp, #FRAME_SIZE
	mrs	x0, sp_el0
	str	x0, [sp, #0]
	mrs	x0, tpidr_el0
	str	x0, [sp, #8]
	b	exception_common
	.endm

	.section .text.vectors, "ax"
	.align	11
	.global	arm64_vectors
arm64_vectors:
	ventry	0	/* current EL, SP_EL0: synchronous */
	ventry	1	/* IRQ */
	ventry	2	/* FIQ */
	ventry	3	/* SError */
	ventry_el2	4	/* current EL, SP_ELx: synchronous */
	ventry_el2	5
	ventry_el2	6
	ventry_el2	7
	ventry_guest_sync	8	/* lower EL, AArch64: synchronous */
	ventry_guest_irq	/* IRQ: kind 9, EXC_LOWER_IRQ */
	ventry_guest	10
	ventry_guest	11
	ventry_guest	12	/* lower EL, AArch32: synchronous */
	ventry_guest	13
	ventry_guest	14
	ventry_guest	15

/* Save the frame, call \handler(frame, kind in x1), then resume the frame
 * or, on a non-zero return, leave the guest. */
	.macro	save_call_return handler
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	add	x2, sp, #FRAME_SIZE
	stp	x30, x2, [sp, #240]	/* x30, sp before the exception */
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x2, x3, [sp, #256]
	mrs	x2, esr_el2
	mrs	x3, far_el2
	stp	x2, x3, [sp, #272]
	mov	x0, sp
	bl	\handler
	cbnz	x0, guest_leave		/* the vCPU leaves its guest */

	ldp	x2, x3, [sp, #FRAME_ELR]
	msr	elr_el2, x2
	msr	spsr_el2, x3
	ldp	x0, x1, [sp, #0]
	load_x2_to_x30 sp
	add	sp, sp, #FRAME_SIZE
	eret
	.endm

/* Traps from a guest go straight to guest_trap, not through the fatal
 * path's dispatch: a guest's interrupt pays for nothing else. */
	.global	guest_common
guest_common:
	save_call_return guest_trap

exception_common:
	save_call_return arm64_exception

/*
 * The short frame, for traps whose handlers read no guest register beyond
 * x0-x17 and leave ELR_EL2 and SPSR_EL2 as they are (an SMCCC call by HVC,
 * whose return address is already the next instruction; an interrupt).
 * Only what the AAPCS lets a C function clobber is saved: x2-x18 and x30
 * (x0-x1 by the vector), with x19 beside x18 to keep the frame's layout;
 * x20-x29 stay in their registers, preserved by the C code as callee-saved
 * registers, and so do ELR_EL2 and SPSR_EL2, since nothing at EL2 takes an
 * exception or erets in between. What the frame lacks (x20-x30 slots but
 * x30, sp, elr, spsr, esr, far) its handlers never read. A vCPU that leaves
 * its guest needs no frame at all (guest_leave only unwinds it). This is
 * about 20 instructions less than the full frame on every such trap.
 */
	.macro	save_short_call_return handler
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	str	x30, [sp, #240]
	mov	x0, sp
	bl	\handler
	cbnz	x0, guest_leave		/* the vCPU leaves its guest */

	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldr	x18, [sp, #144]
	ldr	x30, [sp, #240]
	ldp	x0, x1, [sp, #0]
	add	sp, sp, #FRAME_SIZE
	eret
	.endm

/*
 * Every SMCCC call by HVC #0 but SMCCC_VERSION: x0 holds the function ID.
 * Its owner (bits 29:24) picks the entry of smccc_owners (smccc.c), the one
 * table that says which services the hypervisor provides, also for calls
 * by SMC (guest_firmware_call): its first column, read here, is where an
 * HVC goes (one of the entries below), its second the owner's C entry. An
 * owner with no entry answers NOT_SUPPORTED to every function, here,
 * without a frame: nothing is read or changed but x0 and the vCPU's exit
 * count, so, as for SMCCC_VERSION, neither the vGIC flush nor the exit
 * check has anything to do (whatever another CPU changes meanwhile comes
 * with a kick, taken right after the eret). The owner's entry gets x0 =
 * smccc_owners, x0-x1 saved, every other register the guest's.
 */
guest_smccc_entry:
	ubfx	x1, x0, #24, #6
	adr	x0, smccc_owners
	ldr	x1, [x0, x1, lsl #3]
	cbz	x1, smccc_no_owner
	br	x1

smccc_no_owner:
	mrs	x0, tpidr_el2
	ldr	x0, [x0, #CPU_ARCH_VCPU]
	cbz	x0, smccc_no_vcpu
	ldr	x1, [x0, #VCPU_EXITS]	/* the VCPU_EXITS hypercall's count */
	add	x1, x1, #1
	str	x1, [x0, #VCPU_EXITS]
	ldp	x0, x1, [sp], #FRAME_SIZE /* the function ID; the guest's x1 */
	tst	w0, #SMCCC_SMC64
	mov	w0, #-1			/* SMC32: -1 in w0, zero-extended */
	csinv	x0, x0, xzr, eq		/* SMC64: -1 in all of x0 */
	eret
/* A trap from a guest with no vCPU on its CPU: guest_trap reports it. */
smccc_no_vcpu:
	mov	x1, #EXC_LOWER_SYNC
	b	guest_common

/* An owner whose calls are C (PSCI, the architecture's): its C entry (the
 * table's second column) through the short frame, guest_smccc. */
	.global	smccc_hvc_c
smccc_hvc_c:
	ldr	w1, [sp, #0]
	ubfx	x1, x1, #24, #6
	add	x0, x0, #SMCCC_OWNER_CALLS
	ldr	x1, [x0, x1, lsl #3]
	save_short_call_return guest_smccc

/*
 * Bulkhead's calls (owner 6): the function number's slot of
 * hypercall_table (core/hypercall.c; hypercall.h says how it folds) holds
 * the one function ID it answers and its handler, which is called with
 * the vCPU in x0 and the guest's x1-x3 as they are, and returns x0-x3
 * through x8 (AAPCS64: a 32-byte result), pointed at the frame's x0-x3.
 * Saved are only the registers the handler may clobber and the guest gets
 * back: x4-x18 and x30 (x0-x3 are the results; x19-x29, ELR_EL2 and
 * SPSR_EL2 the C code keeps, as in the short frame). x30 goes into x19's
 * slot, next to x18, to save a store and a load: nothing reads this frame
 * but this code (guest_leave only unwinds it). A call that only reads
 * (reads_only) returns at once, as after SMCCC_VERSION; one that acts
 * gets guest_resume's checks (guest_smccc_resume), the vCPU kept in x20's
 * slot meanwhile. The vCPU's exit is counted first, as every trap's.
 */
	.global	smccc_hvc_bulkhead
smccc_hvc_bulkhead:
	mrs	x0, tpidr_el2
	ldr	x0, [x0, #CPU_ARCH_VCPU]
	cbz	x0, smccc_no_vcpu
	ldr	x1, [x0, #VCPU_EXITS]
	add	x1, x1, #1
	str	x1, [x0, #VCPU_EXITS]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x30, [sp, #144]
	ldr	w9, [sp, #0]		/* the function ID */
	eor	w10, w9, w9, lsr #8	/* its number folded to a slot */
	and	w10, w10, #BH_HYPERCALL_SLOT_MASK
	adr	x11, hypercall_table
	add	x11, x11, x10, lsl #BH_HYPERCALL_ENTRY_SHIFT
	ldp	x16, x17, [x11]		/* handler; the slot's ID and reads_only */
	cmp	w17, w9
	b.ne	bulkhead_unknown
	ldr	x1, [sp, #8]
	mov	x8, sp
	tbz	x17, #BH_HYPERCALL_ENTRY_READS_ONLY_BIT, bulkhead_acts
	blr	x16
bulkhead_return:
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x30, [sp, #144]
	ldp	x0, x1, [sp], #FRAME_SIZE
	eret

bulkhead_acts:
	str	x0, [sp, #FRAME_X20]
	blr	x16
	ldr	x0, [sp, #FRAME_X20]
	bl	guest_smccc_resume
	cbnz	x0, guest_leave		/* the vCPU leaves its guest */
	b	bulkhead_return

/* No call of Bulkhead's has this ID: NOT_SUPPORTED at its width, x1-x3 zero. */
bulkhead_unknown:
	tst	w9, #SMCCC_SMC64
	mov	w0, #-1
	csinv	x0, x0, xzr, eq
	stp	x0, xzr, [sp, #0]
	stp	xzr, xzr, [sp, #16]
	b	bulkhead_return

/* From the IRQ vector (GICv2) or irq_kick.S (GICv3): guest_irq
 * acknowledges what is pending; guest_irq_acked gets in x1 the INTID
 * irq_kick.S acknowledged when it expected the kick. */
	.global	guest_irq_entry
guest_irq_entry:
	save_short_call_return guest_irq

	.global	guest_irq_acked_entry
guest_irq_acked_entry:
	save_short_call_return guest_irq_acked
