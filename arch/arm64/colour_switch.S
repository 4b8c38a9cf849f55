/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The coloured hypervisor's switch (mmu_colour.c, docs/colouring.md): the
 * boot CPU copies the image onto its coloured pages and loads the new
 * tables; every other CPU waits parked here meanwhile and then loads them
 * too. Both routines use registers only: no stack, and no store to the
 * image, so the copy the boot CPU makes is exactly what every CPU finds at
 * the same virtual addresses afterwards (its own frames and the parked
 * CPUs' included). The sync block they share is in the page-table pool,
 * which is identity mapped in both the old and the new tables.
 */
#include <bulkhead/config.h>

#define SYNC_ARRIVED 4
#define SYNC_GO 8
#define SYNC_DONE 12
#define SYNC_ROOT 16

	.text

/* Load TTBR0_EL2 = x0 and drop what this CPU cached of the old map. */
.macro	switch_tables
	dsb	ish
	msr	ttbr0_el2, x0
	isb
	tlbi	alle2
	dsb	ish
	ic	iallu			/* text now comes from other pages */
	dsb	ish
	isb
.endm

/*
 * arm64_colour_switch(dst_pages, src, pages, root): for k < pages, copy the
 * 4 KiB page at src + k * 4 KiB to dst_pages[k] (skipped if 0), clean each
 * copy to the point of unification (for instruction fetches), then load
 * the tables at root. Interrupts stay masked throughout.
 */
	.global arm64_colour_switch
arm64_colour_switch:
	mrs	x9, daif
	msr	daifset, #0xf
	mrs	x10, ctr_el0
	ubfx	x10, x10, #16, #4	/* DminLine: log2(words) */
	mov	x11, #4
	lsl	x11, x11, x10		/* data cache line in bytes */
	mov	x4, #0
1:	cmp	x4, x2
	b.hs	5f
	ldr	x5, [x0, x4, lsl #3]
	cbz	x5, 4f
	add	x6, x1, x4, lsl #PAGE_SHIFT
	mov	x7, x5
	mov	x8, #PAGE_SIZE
2:	ldp	x12, x13, [x6], #16
	ldp	x14, x15, [x6], #16
	stp	x12, x13, [x7], #16
	stp	x14, x15, [x7], #16
	subs	x8, x8, #32
	b.ne	2b
	mov	x7, x5
	add	x8, x5, #PAGE_SIZE
3:	dc	cvau, x7
	add	x7, x7, x11
	cmp	x7, x8
	b.lo	3b
4:	add	x4, x4, #1
	b	1b
5:	mov	x0, x3
	switch_tables
	msr	daif, x9
	ret

/*
 * arm64_colour_park(sync): count this CPU in, wait (WFE) for the boot CPU's
 * go, then load the tables it built and count itself done (only then may
 * the old image, which this routine ran from until then, be poisoned). Called by a CPU that has nothing to
 * do (arch_hyp_colour_poll); it returns to a frame the copy holds as it
 * was at its arrival.
 */
	.global arm64_colour_park
arm64_colour_park:
	mrs	x9, daif
	msr	daifset, #0xf
	dsb	ish			/* this CPU's stores before it counts in */
	add	x1, x0, #SYNC_ARRIVED
1:	ldaxr	w2, [x1]
	add	w2, w2, #1
	stlxr	w3, w2, [x1]
	cbnz	w3, 1b
	dsb	ish
	sev
	add	x1, x0, #SYNC_GO
2:	ldar	w2, [x1]
	cbnz	w2, 3f
	wfe
	b	2b
3:	mov	x4, x0
	ldr	x0, [x0, #SYNC_ROOT]
	switch_tables
	/* Off the old image: the boot CPU may now poison it. */
	add	x1, x4, #SYNC_DONE
4:	ldaxr	w2, [x1]
	add	w2, w2, #1
	stlxr	w3, w2, [x1]
	cbnz	w3, 4b
	dsb	ish
	sev
	msr	daif, x9
	ret
