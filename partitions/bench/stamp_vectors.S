/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The IRQ bench's EL1 vectors. An IRQ entry stamps the counter as its
 * second instruction (the first saves the registers it needs), then
 * finds where within that counter tick it was: it counts 4-instruction
 * spins until the counter moves on. Under QEMU icount (1 instruction =
 * 1 ns, 16 ns per tick) this pins the entry to a few instructions instead
 * of a whole tick. The stamp (tick, spins) goes to bench_irq_stamps[vCPU]
 * and the IRQ continues in the runtime's own vectors (rt_irq and the
 * handler). Every other entry goes straight to the runtime's.
 */

	.macro	pass offset
	.align	7
	b	rt_vectors + \offset
	.endm

	.macro	stamped offset
	.align	7
	stp	x0, x1, [sp, #-32]!	/* the handler's first instruction */
	mrs	x0, cntvct_el0
	stp	x2, x3, [sp, #16]
	mov	x2, #0
1:	add	x2, x2, #1		/* spin n reads the counter 1 + 4n after entry */
	mrs	x1, cntvct_el0
	cmp	x1, x0
	b.eq	1b
	mrs	x1, mpidr_el1
	and	x1, x1, #0x7
	adrp	x3, bench_irq_stamps
	add	x3, x3, :lo12:bench_irq_stamps
	add	x3, x3, x1, lsl #4
	stp	x0, x2, [x3]
	ldp	x2, x3, [sp, #16]
	ldp	x0, x1, [sp], #32
	b	rt_vectors + \offset
	.endm

	.text
	.align	11
	.global	bench_vectors
bench_vectors:
	pass	0x000
	stamped	0x080		/* IRQ, EL1 with SP_EL0 */
	pass	0x100
	pass	0x180
	pass	0x200
	stamped	0x280		/* IRQ, EL1 with SP_EL1: the one the bench takes */
	pass	0x300
	pass	0x380
	pass	0x400
	pass	0x480
	pass	0x500
	pass	0x580
	pass	0x600
	pass	0x680
	pass	0x700
	pass	0x780

/*
 * uint64_t bench_stamp_calibrate(struct irq_stamp *out): the trigger loop
 * of irqbench.c, then the stamp where the trigger's store would be, as if
 * an interrupt took no time at all. Returns the tick the loop saw arrive;
 * the stamp goes to *out. What irqbench computes from the two is the
 * method's own error, subtracted from every latency.
 */
	.global	bench_stamp_calibrate
bench_stamp_calibrate:
	mov	x5, x0
	mrs	x6, cntvct_el0
1:	mrs	x7, cntvct_el0
	cmp	x7, x6
	b.eq	1b
	stp	x0, x1, [sp, #-32]!	/* in the trigger's place */
	mrs	x0, cntvct_el0
	stp	x2, x3, [sp, #16]
	mov	x2, #0
2:	add	x2, x2, #1
	mrs	x1, cntvct_el0
	cmp	x1, x0
	b.eq	2b
	stp	x0, x2, [x5]
	ldp	x2, x3, [sp, #16]
	ldp	x0, x1, [sp], #32
	mov	x0, x7
	ret
