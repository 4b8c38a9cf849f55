// SPDX-License-Identifier: Apache-2.0
/*
 * A GICv2's virtual interface control, GICH (arch/gich.h): what the GICv3
 * reaches through ICH_*_EL2 system registers, here memory-mapped registers
 * of the same meaning. Each CPU sees its own interface at the same address.
 * At most 16 list registers are used, as a GICv3 has at most (a GIC-400
 * has 4).
 */

#include <arch/gich.h>
#include <arch/mmio.h>

#define GICH_HCR 0x000u
#define GICH_VTR 0x004u
#define GICH_VMCR 0x008u
#define GICH_EISR0 0x020u
#define GICH_EISR1 0x024u
#define GICH_ELRSR0 0x030u
#define GICH_ELRSR1 0x034u
#define GICH_APR 0x0f0u
#define GICH_LR0 0x100u
#define MAX_LRS 16u

uint64_t gich_regs;

void gich_init(uint64_t base)
{
	gich_regs = base;
}

static unsigned int lr_count(void)
{
	unsigned int n = (mmio_read32(gich_regs + GICH_VTR) & 0x3fu) + 1u;

	return n < MAX_LRS ? n : MAX_LRS;
}

unsigned int gich_lr_count(void)
{
	return lr_count();
}

/* Bits of the list registers this CPU has (and uses). */
static uint64_t lr_bits(void)
{
	return (1ULL << lr_count()) - 1u;
}

uint64_t gich_lr_read(unsigned int n)
{
	return gich_lr_to_ich(mmio_read32(gich_regs + GICH_LR0 + (4u * (uint64_t)n)));
}

void gich_lr_write(unsigned int n, uint64_t lr)
{
	mmio_write32(gich_regs + GICH_LR0 + (4u * (uint64_t)n), gich_lr_from_ich(lr));
}

uint64_t gich_empty_lrs(void)
{
	uint64_t high = mmio_read32(gich_regs + GICH_ELRSR1);

	return ((high << 32) | mmio_read32(gich_regs + GICH_ELRSR0)) & lr_bits();
}

uint64_t gich_eoi_lrs(void)
{
	uint64_t high = mmio_read32(gich_regs + GICH_EISR1);

	return ((high << 32) | mmio_read32(gich_regs + GICH_EISR0)) & lr_bits();
}

/* GICH_HCR's En and UIE are ICH_HCR_EL2's bits 0 and 1. */
uint64_t gich_hcr_read(void)
{
	return mmio_read32(gich_regs + GICH_HCR);
}

void gich_hcr_write(uint64_t hcr)
{
	mmio_write32(gich_regs + GICH_HCR, (uint32_t)hcr);
}

void gich_vmcr_write(uint64_t vmcr)
{
	mmio_write32(gich_regs + GICH_VMCR, (uint32_t)vmcr);
}

void gich_apr_clear(void)
{
	mmio_write32(gich_regs + GICH_APR, 0u);
}
