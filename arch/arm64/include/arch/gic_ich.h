/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The GICv3 virtual CPU interface's control registers (ICH_*_EL2), as the
 * virtual GIC uses them. The hypervisor implements this interface with
 * system registers (arch/gic_ich_sysreg.h), or on a GICv2 with the GICH
 * registers in the same layout (gich.c); the host unit tests with a fake that keeps
 * the list registers in memory (tests/unit/fake_gic.c), so vgic.c runs
 * unchanged on both.
 */
#ifndef ARCH_ARM64_GIC_ICH_H
#define ARCH_ARM64_GIC_ICH_H

#include <stdbool.h>
#include <stdint.h>

/* ICH_HCR_EL2 */
#define ICH_HCR_EN 1ull
#define ICH_HCR_UIE (1ull << 1) /* maintenance interrupt when LRs (nearly) drain */

/* ICH_LR<n>_EL2 */
#define ICH_LR_STATE_MASK (3ull << 62)
#define ICH_LR_ACTIVE (1ull << 63)
#define ICH_LR_PENDING (1ull << 62)
#define ICH_LR_HW (1ull << 61)
#define ICH_LR_EOI (1ull << 41) /* with HW = 0: maintenance interrupt on deactivation */
#define ICH_LR_GROUP1 (1ull << 60)
#define ICH_LR_PRIORITY_SHIFT 48
#define ICH_LR_PINTID_SHIFT 32
#define ICH_LR_PINTID_MASK 0x3ffull
#define ICH_LR_VINTID_MASK 0xffffffffull

/*
 * Every accessor takes @v2, what ich_v2() returned at the entry point of
 * the vGIC that calls it: true for a GICv2's GICH registers.
 */
#ifdef __aarch64__
#include <arch/gic_ich_sysreg.h>
#else
bool ich_v2(void);
/* How many list registers this CPU has (ICH_VTR_EL2.ListRegs + 1). */
unsigned int ich_lr_count(bool v2);
uint64_t ich_lr_read(bool v2, unsigned int n);
void ich_lr_write(bool v2, unsigned int n, uint64_t lr);
void ich_lr_write_pending(bool v2, unsigned int n, unsigned int intid, uint8_t priority, uint64_t kind);
/* ICH_ELRSR_EL2: bit n set when list register n holds no interrupt. */
uint64_t ich_empty_lrs(bool v2);
/* ICH_EISR_EL2: bit n set when list register n's interrupt, marked
 * ICH_LR_EOI, was deactivated by the guest. */
uint64_t ich_eoi_lrs(bool v2);
uint64_t ich_hcr_read(bool v2);
void ich_hcr_write(bool v2, uint64_t hcr);
void ich_vmcr_write(bool v2, uint64_t vmcr);
/* No active priorities (ICH_AP0R0/AP1R0_EL2; a GICv2's GICH_APR). */
void ich_apr_clear(bool v2);
/* Make the writes above take effect before the guest runs again (ISB). */
void ich_sync(bool v2);
#endif

/* A list register for virtual @intid newly pending at @priority, of @kind:
 * ICH_LR_HW (with its physical twin, the same INTID, which the guest's EOI
 * deactivates), ICH_LR_EOI (a maintenance interrupt when the guest ends
 * it) or 0 (purely virtual). ich_lr_write_pending() writes it to a list
 * register, a GICv2 building its GICH_LR straight from these parts rather
 * than translating the whole register. */
static inline __attribute__((always_inline)) uint64_t ich_lr_pending(unsigned int intid, uint8_t priority,
								     uint64_t kind)
{
	uint64_t physical = (kind & ICH_LR_HW) != 0u ? (uint64_t)intid << ICH_LR_PINTID_SHIFT : 0u;

	return ICH_LR_PENDING | ICH_LR_GROUP1 | (uint64_t)priority << ICH_LR_PRIORITY_SHIFT | kind |
	       physical | intid;
}

#ifdef __aarch64__
/* The hypervisor's, here rather than in gic_ich_sysreg.h: that header is
 * included above ich_lr_pending(), since only directives may come before
 * an #include (MISRA C rule 20.1). */
static inline __attribute__((always_inline)) void ich_lr_write_pending(bool v2, unsigned int n,
									unsigned int intid, uint8_t priority,
									uint64_t kind)
{
	if (v2) {
		gich_lr_write_pending(n, intid, priority, kind);
		return;
	}
	ich_lr_write(false, n, ich_lr_pending(intid, priority, kind));
}
#endif

#endif
