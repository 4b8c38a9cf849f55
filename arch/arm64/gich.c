// SPDX-License-Identifier: Apache-2.0
/*
 * A GICv2's virtual interface control, GICH (arch/gich.h): what the GICv3
 * reaches through ICH_*_EL2 system registers, here memory-mapped registers
 * of the same meaning, which each CPU sees for itself at the same address.
 * The accessors are inline in arch/gich.h; this is where the address is,
 * and the list registers' count.
 */

#include <arch/gich.h>

uint64_t gich_regs;
unsigned int gich_lrs;

void gich_init(uint64_t base)
{
	unsigned int n;

	gich_regs = base;
	n = (gich_read(GICH_VTR) & 0x3fu) + 1u;
	gich_lrs = n < GICH_MAX_LRS ? n : GICH_MAX_LRS;
}
