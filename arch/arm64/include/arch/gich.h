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
#define GICH_LR_PENDING 0x10000000u
#define GICH_LR_ACTIVE 0x20000000u
#define GICH_LR_HW 0x80000000u

/* The ICH_LR<n>_EL2 fields they come from (arch/gic_ich.h has them too;
 * it includes this header, so they are spelled out again). */
#define GICH_ICH_ACTIVE 0x8000000000000000ULL
#define GICH_ICH_PENDING 0x4000000000000000ULL
#define GICH_ICH_HW 0x2000000000000000ULL
#define GICH_ICH_GROUP1 0x1000000000000000ULL
#define GICH_ICH_PRIORITY_SHIFT 51u /* its 5 upper bits */
#define GICH_ICH_PINTID_SHIFT 32u

/* The GICv3 list register @lr as a GICH_LR. A GICv2 guest's interrupts are
 * Group 0 (as a GIC without the Security Extensions has them), signalled as
 * IRQs: Group 1 is dropped. */
static inline uint32_t gich_lr_from_ich(uint64_t lr)
{
	uint64_t v = (lr & GICH_LR_VIRTUAL_ID) |
		     (((lr >> GICH_ICH_PINTID_SHIFT) & GICH_LR_PHYSICAL_MASK) << GICH_LR_PHYSICAL_SHIFT) |
		     (((lr >> GICH_ICH_PRIORITY_SHIFT) & GICH_LR_PRIORITY_MASK) << GICH_LR_PRIORITY_SHIFT);

	if ((lr & GICH_ICH_PENDING) != 0u)
		v |= GICH_LR_PENDING;
	if ((lr & GICH_ICH_ACTIVE) != 0u)
		v |= GICH_LR_ACTIVE;
	if ((lr & GICH_ICH_HW) != 0u)
		v |= GICH_LR_HW;
	return (uint32_t)v;
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
 * 0 on a GICv3. */
extern uint64_t gich_regs;
void gich_init(uint64_t base);

/* The registers, inline like the GICv3's system registers: a call would
 * make the vGIC's small list-register loops non-leaf functions, saving
 * registers on the GICv3's path too. */
#define GICH_HCR 0x000u
#define GICH_VTR 0x004u
#define GICH_VMCR 0x008u
#define GICH_EISR0 0x020u
#define GICH_EISR1 0x024u
#define GICH_ELRSR0 0x030u
#define GICH_ELRSR1 0x034u
#define GICH_APR 0x0f0u
#define GICH_LR0 0x100u
#define GICH_MAX_LRS 16u /* as many as a GICv3 can have (a GIC-400 has 4) */

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
	unsigned int n = (gich_read(GICH_VTR) & 0x3fu) + 1u;

	return n < GICH_MAX_LRS ? n : GICH_MAX_LRS;
}

/* Bits of the list registers this CPU has (and uses). */
static inline __attribute__((always_inline)) uint64_t gich_lr_bits(void)
{
	return (1ULL << gich_lr_count()) - 1u;
}

static inline __attribute__((always_inline)) uint64_t gich_lr_read(unsigned int n)
{
	return gich_lr_to_ich(gich_read(GICH_LR0 + (4u * (uint64_t)n)));
}

static inline __attribute__((always_inline)) void gich_lr_write(unsigned int n, uint64_t lr)
{
	gich_write(GICH_LR0 + (4u * (uint64_t)n), gich_lr_from_ich(lr));
}

static inline __attribute__((always_inline)) uint64_t gich_empty_lrs(void)
{
	uint64_t high = gich_read(GICH_ELRSR1);

	return ((high << 32) | gich_read(GICH_ELRSR0)) & gich_lr_bits();
}

static inline __attribute__((always_inline)) uint64_t gich_eoi_lrs(void)
{
	uint64_t high = gich_read(GICH_EISR1);

	return ((high << 32) | gich_read(GICH_EISR0)) & gich_lr_bits();
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
