// SPDX-License-Identifier: Apache-2.0

#include <bulkhead/compiler.h>
#include <bulkhead/config.h>

#include <arch/stage2.h>

#define S2_MEMATTR_NORMAL_WB (0xfull << 2)
#define S2_MEMATTR_DEVICE_NGNRE (0x1ull << 2)
#define S2_AP_RW (3ull << 6)
#define S2_AP_RO (1ULL << 6)
#define S2_SH_INNER (3ull << 8)
#define S2_XN (1ull << 54)

#define VTCR_RES1 (1ull << 31)
#define VTCR_SL0_LEVEL1 (1ull << 6)
#define VTCR_IRGN0_WBWA (1ull << 8)
#define VTCR_ORGN0_WBWA (1ull << 10)
#define VTCR_SH0_INNER (3ull << 12)
#define VTCR_TG0_4K (0ull << 14)
#define VTCR_PS_SHIFT 16

unsigned int stage2_pa_bits(unsigned int pa_range)
{
	static const unsigned char bits[] = {32, 36, 40, 42, 44, 48, 52};

	return pa_range < ARRAY_SIZE(bits) ? bits[pa_range] : 0;
}

enum bh_err stage2_init(struct stage2 *s2, struct page_pool *pool, unsigned int pa_range,
			uint16_t vmid)
{
	unsigned int pa_bits = stage2_pa_bits(pa_range);

	if (pa_bits == 0 || vmid == 0 || vmid > 255)
		return BH_ERR_INVALID;
	s2->ipa_bits = pa_bits < STAGE2_MAX_IPA_BITS ? pa_bits : STAGE2_MAX_IPA_BITS;
	s2->pa_range = pa_range > 5 ? 5 : pa_range; /* no 52-bit output: 48 is enough */
	s2->vmid = vmid;
	s2->pt.start_level = 1;
	s2->pt.root_bits = s2->ipa_bits - 30;
	s2->pt.pool = pool;
	/* More than 9 index bits at level 1 means concatenated root tables. */
	s2->pt.root = page_pool_alloc(pool, s2->pt.root_bits > 9 ? 1u << (s2->pt.root_bits - 9) : 1);
	return s2->pt.root != NULL ? BH_OK : BH_ERR_NO_MEMORY;
}

enum bh_err stage2_map(struct stage2 *s2, uint64_t ipa, uint64_t pa, uint64_t size,
		       enum stage2_kind kind)
{
	uint64_t attrs = kind == STAGE2_RAM	   ? S2_MEMATTR_NORMAL_WB | S2_AP_RW | S2_SH_INNER
			 : kind == STAGE2_RAM_RO ? S2_MEMATTR_NORMAL_WB | S2_AP_RO | S2_SH_INNER | S2_XN
			 : kind == STAGE2_RAM_RX ? S2_MEMATTR_NORMAL_WB | S2_AP_RO | S2_SH_INNER
						   : S2_MEMATTR_DEVICE_NGNRE | S2_AP_RW | S2_XN;

	return pgtable_map(&s2->pt, ipa, pa, size, attrs, true);
}

enum bh_err stage2_set_mapped(struct stage2 *s2, uint64_t ipa, uint64_t size, bool mapped)
{
	return pgtable_set_valid(&s2->pt, ipa, size, mapped);
}

bool stage2_translate(const struct stage2 *s2, uint64_t ipa, uint64_t *pa)
{
	uint64_t attrs;
	int level;

	return pgtable_lookup(&s2->pt, ipa, pa, &attrs, &level);
}

uint64_t stage2_vtcr(const struct stage2 *s2)
{
	return VTCR_RES1 | (uint64_t)s2->pa_range << VTCR_PS_SHIFT | VTCR_TG0_4K | VTCR_SH0_INNER |
	       VTCR_ORGN0_WBWA | VTCR_IRGN0_WBWA | VTCR_SL0_LEVEL1 | (64 - s2->ipa_bits);
}

uint64_t stage2_vttbr(const struct stage2 *s2)
{
	return (uint64_t)s2->vmid << 48 | ((uint64_t)(uintptr_t)s2->pt.root & PTE_ADDR_MASK);
}
