/* SPDX-License-Identifier: Apache-2.0 */
/* Per-partition stage-2 translation (IPA -> PA), 4 KiB granule. */
#ifndef ARCH_ARM64_STAGE2_H
#define ARCH_ARM64_STAGE2_H

#include <stdint.h>

#include <bulkhead/error.h>
#include <bulkhead/page_pool.h>

#include <arch/pgtable.h>

/* IPA space: the CPU's physical range, capped at 40 bits (1 TiB), which
 * needs no more than a start at level 1 with two concatenated tables. */
#define STAGE2_MAX_IPA_BITS 40
#define STAGE2_MIN_IPA_BITS 32

enum stage2_kind {
	STAGE2_RAM,    /* Normal write-back, inner shareable, RWX */
	STAGE2_DEVICE, /* Device-nGnRE, RW, never executable */
	STAGE2_RAM_RO, /* Normal write-back, inner shareable, read only, never executable */
	STAGE2_RAM_RX, /* Normal write-back, inner shareable, read only, executable:
			* firmware run in place from a read-only flash region */
};

struct stage2 {
	struct pgtable pt;
	unsigned int ipa_bits;
	unsigned int pa_range; /* ID_AA64MMFR0_EL1.PARange encoding */
	uint16_t vmid;
};

/* @pa_range is the ID_AA64MMFR0_EL1.PARange field of the CPUs. */
enum bh_err stage2_init(struct stage2 *s2, struct page_pool *pool, unsigned int pa_range,
			uint16_t vmid);
enum bh_err stage2_map(struct stage2 *s2, uint64_t ipa, uint64_t pa, uint64_t size,
		       enum stage2_kind kind);
/* Withdraw (false) or give back (true) the mapping of [ipa, ipa + size),
 * mapped before by stage2_map: an emulated flash bank out of its array
 * mode. Table only: withdrawing needs a TLB invalidation after it. */
enum bh_err stage2_set_mapped(struct stage2 *s2, uint64_t ipa, uint64_t size, bool mapped);
bool stage2_translate(const struct stage2 *s2, uint64_t ipa, uint64_t *pa);

uint64_t stage2_vtcr(const struct stage2 *s2);
uint64_t stage2_vttbr(const struct stage2 *s2);

/* Bits of physical address for each PARange encoding (0 if reserved). */
unsigned int stage2_pa_bits(unsigned int pa_range);

#endif
