/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The hypervisor's implementation of arch/gic_ich.h: system registers,
 * inline, since they are on the path of every interrupt a guest receives.
 * The list registers have no indexed access: one MRS/MSR each. On a GICv2
 * each goes to its GICH form (arch/gich.h) instead. Included by
 * gic_ich.h on arm64 only; the host unit tests link a fake instead.
 */
#ifndef ARCH_ARM64_GIC_ICH_SYSREG_H
#define ARCH_ARM64_GIC_ICH_SYSREG_H

#include <stdbool.h>
#include <stdint.h>

#include <arch/gich.h>
#include <arch/sysreg.h>

/* Which implementation: a GICv2's GICH (gich.c) or the system registers.
 * Entry points read it once and pass it down, so each accessor tests a
 * register instead of reloading a global after every system-register
 * write (a memory clobber). */
static inline __attribute__((always_inline)) bool ich_v2(void)
{
	return gich_regs != 0u;
}

static inline __attribute__((always_inline)) unsigned int ich_lr_count(bool v2)
{
	if (v2)
		return gich_lr_count();
	return (unsigned int)(read_sysreg(S3_4_C12_C11_1) & 0x1f) + 1; /* ICH_VTR_EL2 */
}

static inline __attribute__((always_inline)) void ich_lr_write(bool v2, unsigned int n, uint64_t lr)
{
	if (v2) {
		gich_lr_write(n, lr);
		return;
	}
	switch (n) {
	case 0: write_sysreg(S3_4_C12_C12_0, lr); break;
	case 1: write_sysreg(S3_4_C12_C12_1, lr); break;
	case 2: write_sysreg(S3_4_C12_C12_2, lr); break;
	case 3: write_sysreg(S3_4_C12_C12_3, lr); break;
	case 4: write_sysreg(S3_4_C12_C12_4, lr); break;
	case 5: write_sysreg(S3_4_C12_C12_5, lr); break;
	case 6: write_sysreg(S3_4_C12_C12_6, lr); break;
	case 7: write_sysreg(S3_4_C12_C12_7, lr); break;
	case 8: write_sysreg(S3_4_C12_C13_0, lr); break;
	case 9: write_sysreg(S3_4_C12_C13_1, lr); break;
	case 10: write_sysreg(S3_4_C12_C13_2, lr); break;
	case 11: write_sysreg(S3_4_C12_C13_3, lr); break;
	case 12: write_sysreg(S3_4_C12_C13_4, lr); break;
	case 13: write_sysreg(S3_4_C12_C13_5, lr); break;
	case 14: write_sysreg(S3_4_C12_C13_6, lr); break;
	default: write_sysreg(S3_4_C12_C13_7, lr); break;
	}
}

static inline __attribute__((always_inline)) uint64_t ich_lr_read(bool v2, unsigned int n)
{
	if (v2)
		return gich_lr_read(n);
	switch (n) {
	case 0: return read_sysreg(S3_4_C12_C12_0);
	case 1: return read_sysreg(S3_4_C12_C12_1);
	case 2: return read_sysreg(S3_4_C12_C12_2);
	case 3: return read_sysreg(S3_4_C12_C12_3);
	case 4: return read_sysreg(S3_4_C12_C12_4);
	case 5: return read_sysreg(S3_4_C12_C12_5);
	case 6: return read_sysreg(S3_4_C12_C12_6);
	case 7: return read_sysreg(S3_4_C12_C12_7);
	case 8: return read_sysreg(S3_4_C12_C13_0);
	case 9: return read_sysreg(S3_4_C12_C13_1);
	case 10: return read_sysreg(S3_4_C12_C13_2);
	case 11: return read_sysreg(S3_4_C12_C13_3);
	case 12: return read_sysreg(S3_4_C12_C13_4);
	case 13: return read_sysreg(S3_4_C12_C13_5);
	case 14: return read_sysreg(S3_4_C12_C13_6);
	default: return read_sysreg(S3_4_C12_C13_7);
	}
}

static inline __attribute__((always_inline)) uint64_t ich_empty_lrs(bool v2)
{
	if (v2)
		return gich_empty_lrs();
	return read_sysreg(S3_4_C12_C11_5); /* ICH_ELRSR_EL2 */
}

static inline __attribute__((always_inline)) uint64_t ich_eoi_lrs(bool v2)
{
	if (v2)
		return gich_eoi_lrs();
	return read_sysreg(S3_4_C12_C11_3); /* ICH_EISR_EL2 */
}

static inline __attribute__((always_inline)) uint64_t ich_hcr_read(bool v2)
{
	if (v2)
		return gich_hcr_read();
	return read_sysreg(S3_4_C12_C11_0); /* ICH_HCR_EL2 */
}

static inline __attribute__((always_inline)) void ich_hcr_write(bool v2, uint64_t hcr)
{
	if (v2) {
		gich_hcr_write(hcr);
		return;
	}
	write_sysreg(S3_4_C12_C11_0, hcr); /* ICH_HCR_EL2 */
}

static inline __attribute__((always_inline)) void ich_vmcr_write(bool v2, uint64_t vmcr)
{
	if (v2) {
		gich_vmcr_write(vmcr);
		return;
	}
	write_sysreg(S3_4_C12_C11_7, vmcr); /* ICH_VMCR_EL2 */
}

/* The guest's active priorities (ICH_AP0R0/AP1R0_EL2, GICH_APR): none
 * after a vCPU reset, or a guest that stopped inside a handler would mask
 * its interrupts after its restart. */
static inline __attribute__((always_inline)) void ich_apr_clear(bool v2)
{
	if (v2) {
		gich_apr_clear();
		return;
	}
	write_sysreg(S3_4_C12_C8_0, 0);
	write_sysreg(S3_4_C12_C9_0, 0);
}

static inline __attribute__((always_inline)) void ich_sync(bool v2)
{
	(void)v2; /* GICH writes need no more than an ISB before the guest runs */
	isb();
}

#endif
