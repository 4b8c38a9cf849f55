/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The hypervisor's implementation of arch/gic_ich.h: system registers,
 * inline, since they are on the path of every interrupt a guest receives.
 * The list registers have no indexed access: one MRS/MSR each, reached by
 * number through ich_lr.S. On a GICv2 each goes to its GICH form
 * (arch/gich.h) instead. Included by gic_ich.h on arm64 only; the host unit
 * tests link a fake instead.
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

/*
 * List register @n (below 16). A constant 0 (the usual injection's) is one
 * MSR/MRS; any other goes through ich_lr.S's table of all sixteen, called
 * from inline assembly that tells the compiler the few registers it
 * changes (x16, x17, x30), so that a caller keeps its other values in
 * registers across it as it would around an inline switch.
 */
static inline __attribute__((always_inline)) void ich_lr_write(bool v2, unsigned int n, uint64_t lr)
{
	if (v2) {
		gich_lr_write(n, lr);
		return;
	}
	if (__builtin_constant_p(n) != 0 && n == 0u) {
		write_sysreg(S3_4_C12_C12_0, lr);
		return;
	}
	/* 32 bits: ich_lr.S reads only the low four. */
	register unsigned int x0 __asm__("x0") = n;
	register uint64_t x1 __asm__("x1") = lr;

	__asm__ volatile("bl ich_lr_write_n" : : "r"(x0), "r"(x1) : "x16", "x17", "x30", "memory");
}

static inline __attribute__((always_inline)) uint64_t ich_lr_read(bool v2, unsigned int n)
{
	if (v2)
		return gich_lr_read(n);
	if (__builtin_constant_p(n) != 0 && n == 0u)
		return read_sysreg(S3_4_C12_C12_0);
	register uint64_t x0 __asm__("x0");

	/* @n in x0 too (the matching constraint), its 32 bits as they are. */
	__asm__ volatile("bl ich_lr_read_n" : "=r"(x0) : "0"(n) : "x16", "x17", "x30");
	return x0;
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
