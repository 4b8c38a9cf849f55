/* SPDX-License-Identifier: Apache-2.0 */
/* System register access and the bit fields Bulkhead uses. */
#ifndef ARCH_ARM64_SYSREG_H
#define ARCH_ARM64_SYSREG_H

/* SCTLR_EL2 (non-VHE); plain ints: head.S uses them too. */
#define SCTLR_EL2_RES1 0x30c50830
#define SCTLR_M (1 << 0)
#define SCTLR_A (1 << 1)
#define SCTLR_C (1 << 2)
#define SCTLR_SA (1 << 3)
#define SCTLR_I (1 << 12)
#define SCTLR_WXN (1 << 19)

/* CNTHCTL_EL2 (non-VHE) */
#define CNTHCTL_EL1PCTEN (1 << 0)
#define CNTHCTL_EL1PCEN (1 << 1)
#define CNTHCTL_EVNTEN (1 << 2)
#define CNTHCTL_EVNTI_SHIFT 4

/* ESR_ELx */
#define ESR_EC_SHIFT 26
#define ESR_EC(esr) (((esr) >> ESR_EC_SHIFT) & 0x3f)

#ifndef __ASSEMBLER__
#include <stdint.h>

#define read_sysreg(reg) ({                                        \
	uint64_t v_;                                               \
	__asm__ volatile("mrs %0, " #reg : "=r"(v_));              \
	v_;                                                        \
})

#define write_sysreg(reg, v) \
	__asm__ volatile("msr " #reg ", %0" : : "r"((uint64_t)(v)) : "memory")

#define isb() __asm__ volatile("isb" : : : "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt : : : "memory")

#define MPIDR_AF_MASK_ALL 0xff00ffffffull /* Aff3..Aff0 */

/* HCR_EL2 */
#define HCR_RW (1ull << 31)

static inline unsigned int current_el(void)
{
	return (unsigned int)((read_sysreg(CurrentEL) >> 2) & 3);
}

#endif /* __ASSEMBLER__ */

#endif
