/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The GICv3 CPU interface's system registers for the hypervisor's own
 * interrupts, inline: they are on the path of every interrupt a guest
 * receives (traps.c). Elsewhere, gicv3_deactivate() (gicv3.h) is the
 * out-of-line, host-fakeable form.
 */
#ifndef ARCH_ARM64_ICC_H
#define ARCH_ARM64_ICC_H

#include <arch/sysreg.h>

/* Acknowledge the highest-priority pending interrupt (>= 1020: none). */
static inline unsigned int icc_ack(void)
{
	return (unsigned int)(read_sysreg(S3_0_C12_C12_0) & 0xffffff); /* ICC_IAR1_EL1 */
}

/* EOImode 1: end the priority of @intid; deactivating it is separate. */
static inline void icc_priority_drop(unsigned int intid)
{
	write_sysreg(S3_0_C12_C12_1, intid); /* ICC_EOIR1_EL1 */
	isb();
}

static inline void icc_deactivate(unsigned int intid)
{
	write_sysreg(S3_0_C12_C11_1, intid); /* ICC_DIR_EL1 */
	isb();
}

#endif
