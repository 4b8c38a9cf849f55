/* SPDX-License-Identifier: Apache-2.0 */
/*
 * AMD64 4-level page tables (4 KiB granule, 2 MiB pages where aligned, and
 * 1 GiB pages where aligned and the CPU has them),
 * used as a partition's nested page tables (guest-physical to physical).
 * Pure table manipulation, like arm64's pgtable.c: it never replaces a
 * valid entry, and tables come from a page pool.
 */
#ifndef ARCH_X86_NPT_H
#define ARCH_X86_NPT_H

#include <stdbool.h>
#include <stdint.h>

#include <bulkhead/error.h>
#include <bulkhead/page_pool.h>

struct npt {
	uint64_t *root; /* the PML4 */
	struct page_pool *pool;
	/* 1 GiB leaves allowed: only where the CPU walks them (CPUID
	 * 0x80000001 EDX bit 26, PDPE1GB); npt_init leaves it off. */
	bool gib_pages;
	/* Intel's EPT entries instead of AMD's (same walk, other bits). */
	bool ept;
};

enum bh_err npt_init(struct npt *npt, struct page_pool *pool);

enum npt_kind {
	NPT_RAM,    /* write-back, read-write-execute */
	NPT_DEVICE, /* uncached (PCD, PWT), read-write */
	NPT_RAM_RO, /* write-back, read and execute: a read-only channel end */
};

/* Map [gpa, gpa + size) to [pa, ...). */
enum bh_err npt_map(struct npt *npt, uint64_t gpa, uint64_t pa, uint64_t size,
		    enum npt_kind kind);

/* The same walk for any AMD64 4-level table: leaves get @leaf_attrs (with
 * the large-page bit added for 2 MiB and 1 GiB pages where @large allows),
 * tables @table_attrs. The hypervisor's own map uses it with supervisor and
 * no-execute attributes. */
enum bh_err pt4_map(struct npt *pt, uint64_t va, uint64_t pa, uint64_t size, uint64_t leaf_attrs,
		    uint64_t table_attrs, bool large);

/* Translate @gpa; false if unmapped. */
bool npt_translate(const struct npt *npt, uint64_t gpa, uint64_t *pa);

#endif
