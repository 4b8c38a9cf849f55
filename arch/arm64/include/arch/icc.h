/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The CPU interface for the hypervisor's own interrupts, inline: they are
 * on the path of every interrupt a guest receives (traps.c). A GICv3's are
 * system registers; a GICv2's are memory-mapped (gicv2.c), one predictable
 * branch away. Elsewhere, gic_deactivate() (arch/gic.h) is the
 * out-of-line, host-fakeable form.
 */
#ifndef ARCH_ARM64_ICC_H
#define ARCH_ARM64_ICC_H

#include <stdbool.h>

#include <arch/gicv2.h>
#include <arch/sysreg.h>

/* Each takes @v2, gic_v2 as the caller read it once: a copy in a register
 * survives the system-register writes' memory clobbers, which make the
 * global be loaded again. The forms without it read gic_v2. */

/* Acknowledge the highest-priority pending interrupt (>= 1020: none). */
static inline __attribute__((always_inline)) unsigned int icc_ack_on(bool v2)
{
	if (v2)
		return gicv2_ack();
	return (unsigned int)(read_sysreg(S3_0_C12_C12_0) & 0xffffff); /* ICC_IAR1_EL1 */
}

/* EOImode 1: end the priority of @intid; deactivating it is separate. */
static inline __attribute__((always_inline)) void icc_priority_drop_on(bool v2, unsigned int intid)
{
	if (v2) {
		gicv2_priority_drop(intid);
		return;
	}
	write_sysreg(S3_0_C12_C12_1, intid); /* ICC_EOIR1_EL1 */
	isb();
}

static inline __attribute__((always_inline)) void icc_deactivate_on(bool v2, unsigned int intid)
{
	if (v2) {
		gicv2_deactivate(intid);
		return;
	}
	write_sysreg(S3_0_C12_C11_1, intid); /* ICC_DIR_EL1 */
	isb();
}

static inline unsigned int icc_ack(void)
{
	return icc_ack_on(gic_v2);
}

static inline void icc_priority_drop(unsigned int intid)
{
	icc_priority_drop_on(gic_v2, intid);
}

static inline void icc_deactivate(unsigned int intid)
{
	icc_deactivate_on(gic_v2, intid);
}

#endif
