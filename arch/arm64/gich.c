// SPDX-License-Identifier: Apache-2.0
/*
 * A GICv2's virtual interface control, GICH (arch/gich.h): what the GICv3
 * reaches through ICH_*_EL2 system registers, here memory-mapped registers
 * of the same meaning, which each CPU sees for itself at the same address.
 * The accessors are inline in arch/gich.h; this is where the address is.
 */

#include <arch/gich.h>

uint64_t gich_regs;

void gich_init(uint64_t base)
{
	gich_regs = base;
}
