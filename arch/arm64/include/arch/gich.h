/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A GICv2's virtual interface control (GICH, memory-mapped) behind the
 * interface of arch/gic_ich.h (gich.c): the vGIC keeps list registers in
 * the GICv3 ICH_LR<n>_EL2 layout, and these translate to and from the
 * 32-bit GICH_LR<n> layout, so vgic.c and vspi.c serve both versions.
 */
#ifndef ARCH_ARM64_GICH_H
#define ARCH_ARM64_GICH_H

#include <stdint.h>

/* GICH_LR<n> */
#define GICH_LR_VIRTUAL_ID 0x3ffu
#define GICH_LR_PHYSICAL_SHIFT 10u /* physical INTID (HW); bit 19: EOI (no HW) */
#define GICH_LR_PHYSICAL_MASK 0x3ffu
#define GICH_LR_PRIORITY_SHIFT 23u /* the 5 upper bits of the priority */
#define GICH_LR_PRIORITY_MASK 0x1fu
#define GICH_LR_PRIORITY_DROPPED 3u /* the GICv3 layout's 3 lower bits */
#define GICH_LR_EOI 0x00080000u
#define GICH_LR_PENDING 0x10000000u
#define GICH_LR_ACTIVE 0x20000000u
#define GICH_LR_STATE_SHIFT 28u /* pending, then active */
#define GICH_LR_HW 0x80000000u
#define GICH_LR_HW_SHIFT 31u
#define GICH_STATE_MASK 3u

/* The ICH_LR<n>_EL2 fields they come from (arch/gic_ich.h has them too;
 * it includes this header, so they are spelled out again). */
#define GICH_ICH_ACTIVE 0x8000000000000000ULL
#define GICH_ICH_PENDING 0x4000000000000000ULL
#define GICH_ICH_HW 0x2000000000000000ULL
#define GICH_ICH_HW_SHIFT 61u
#define GICH_ICH_STATE_SHIFT 62u /* pending, then active */
#define GICH_ICH_GROUP1 0x1000000000000000ULL
#define GICH_ICH_EOI 0x0000020000000000ULL
#define GICH_ICH_PRIORITY_SHIFT 51u /* its 5 upper bits */
#define GICH_ICH_PINTID_SHIFT 32u

/* The GICv3 list register @lr as a GICH_LR. A GICv2 guest's interrupts are
 * Group 0 (as a GIC without the Security Extensions has them), signalled as
 * IRQs: Group 1 is dropped. Each field is moved as a whole: the state bits
 * (active, pending) lie side by side in both layouts, as do the physical
 * INTID and the EOI bit above it. Always inline: it is on the path of every
 * interrupt injected into a GICv2 guest. */
static inline __attribute__((always_inline)) uint32_t gich_lr_from_ich(uint64_t lr)
{
	uint64_t v = (lr & GICH_LR_VIRTUAL_ID) |
		     (((lr >> GICH_ICH_PINTID_SHIFT) & GICH_LR_PHYSICAL_MASK) << GICH_LR_PHYSICAL_SHIFT) |
		     (((lr >> GICH_ICH_PRIORITY_SHIFT) & GICH_LR_PRIORITY_MASK) << GICH_LR_PRIORITY_SHIFT) |
		     (((lr >> GICH_ICH_STATE_SHIFT) & GICH_STATE_MASK) << GICH_LR_STATE_SHIFT) |
		     (((lr >> GICH_ICH_HW_SHIFT) & 1u) << GICH_LR_HW_SHIFT);

	return (uint32_t)v;
}

/* What gich_lr_from_ich() makes of ich_lr_pending(@intid, @priority,
 * @kind) (arch/gic_ich.h), from the parts: a few instructions on the path
 * of every injection, where translating the whole register takes a dozen.
 * A HW interrupt's physical INTID is its virtual one, taken from the
 * virtual ID field already masked. */
static inline __attribute__((always_inline)) uint32_t gich_lr_pending(unsigned int intid, uint8_t priority,
								      uint64_t kind)
{
	uint32_t v = GICH_LR_PENDING | (intid & GICH_LR_VIRTUAL_ID) |
		     ((uint32_t)priority >> GICH_LR_PRIORITY_DROPPED) << GICH_LR_PRIORITY_SHIFT;

	if ((kind & GICH_ICH_HW) != 0u)
		v |= GICH_LR_HW | (v & GICH_LR_VIRTUAL_ID) << GICH_LR_PHYSICAL_SHIFT;
	else if ((kind & GICH_ICH_EOI) != 0u)
		v |= GICH_LR_EOI;
	else {
		/* purely virtual */
	}
	return v;
}

/* A GICH_LR back in the GICv3 layout (Group 1, as the vGIC writes them). */
static inline uint64_t gich_lr_to_ich(uint32_t v)
{
	uint64_t wide = v;
	uint64_t lr = (wide & GICH_LR_VIRTUAL_ID) |
		      (((wide >> GICH_LR_PHYSICAL_SHIFT) & GICH_LR_PHYSICAL_MASK) << GICH_ICH_PINTID_SHIFT) |
		      (((wide >> GICH_LR_PRIORITY_SHIFT) & GICH_LR_PRIORITY_MASK) << GICH_ICH_PRIORITY_SHIFT) |
		      GICH_ICH_GROUP1;

	if ((v & GICH_LR_PENDING) != 0u)
		lr |= GICH_ICH_PENDING;
	if ((v & GICH_LR_ACTIVE) != 0u)
		lr |= GICH_ICH_ACTIVE;
	if ((v & GICH_LR_HW) != 0u)
		lr |= GICH_ICH_HW;
	return lr;
}

/* GICH's address, set by gich_init() (boot CPU, before any guest runs):
 * 0 on a GICv3. With it, how many list registers a CPU has (GICH_VTR, the
 * same on every CPU of a GIC), read once there rather than on every scan
 * of the list registers. */
extern uint64_t gich_regs;
extern unsigned int gich_lrs;
void gich_init(uint64_t base);

/* The registers, inline like the GICv3's system registers: a call would
 * make the vGIC's small list-register loops non-leaf functions, saving
 * registers on the GICv3's path too. */
#define GICH_HCR 0x000u
#define GICH_VTR 0x004u
#define GICH_VMCR 0x008u
#define GICH_EISR0 0x020u
#define GICH_ELRSR0 0x030u
#define GICH_APR 0x0f0u
#define GICH_LR0 0x100u
/* The list registers GICH_ELRSR0 and GICH_EISR0 cover (a GIC-400 has 4):
 * their bits for list registers a GIC does not have read as 0. */
#define GICH_MAX_LRS 32u

static inline __attribute__((always_inline)) uint32_t gich_read(uint64_t off)
{
	return *(volatile uint32_t *)(uintptr_t)(gich_regs + off);
}

static inline __attribute__((always_inline)) void gich_write(uint64_t off, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)(gich_regs + off) = v;
}

static inline __attribute__((always_inline)) unsigned int gich_lr_count(void)
{
	return gich_lrs;
}

static inline __attribute__((always_inline)) uint64_t gich_lr_read(unsigned int n)
{
	return gich_lr_to_ich(gich_read(GICH_LR0 + (4u * (uint64_t)n)));
}

static inline __attribute__((always_inline)) void gich_lr_write(unsigned int n, uint64_t lr)
{
	gich_write(GICH_LR0 + (4u * (uint64_t)n), gich_lr_from_ich(lr));
}

static inline __attribute__((always_inline)) void gich_lr_write_pending(unsigned int n, unsigned int intid,
									 uint8_t priority, uint64_t kind)
{
	gich_write(GICH_LR0 + (4u * (uint64_t)n), gich_lr_pending(intid, priority, kind));
}

/* GICH_ELRSR1 and GICH_EISR1 hold list registers 32-63, past the ones
 * used (GICH_MAX_LRS): only the first word of each is read. */
static inline __attribute__((always_inline)) uint64_t gich_empty_lrs(void)
{
	return gich_read(GICH_ELRSR0);
}

static inline __attribute__((always_inline)) uint64_t gich_eoi_lrs(void)
{
	return gich_read(GICH_EISR0);
}

/* GICH_HCR's En and UIE are ICH_HCR_EL2's bits 0 and 1. */
static inline __attribute__((always_inline)) uint64_t gich_hcr_read(void)
{
	return gich_read(GICH_HCR);
}

static inline __attribute__((always_inline)) void gich_hcr_write(uint64_t hcr)
{
	gich_write(GICH_HCR, (uint32_t)hcr);
}

static inline __attribute__((always_inline)) void gich_vmcr_write(uint64_t vmcr)
{
	gich_write(GICH_VMCR, (uint32_t)vmcr);
}

static inline __attribute__((always_inline)) void gich_apr_clear(void)
{
	gich_write(GICH_APR, 0u);
}

#endif
