// SPDX-License-Identifier: Apache-2.0
/* arch/x86/npt.c (nested page tables) on the host. */

#include <stdlib.h>
#include <string.h>

#include <arch/npt.h>
#include <bulkhead/page_pool.h>

#include "test.h"

#define NPT_POOL_PAGES 32

static struct page_pool npt_test_pool;
static void *npt_pool_mem;

static struct npt new_npt(size_t pages)
{
	struct npt npt;

	free(npt_pool_mem);
	npt_pool_mem = aligned_alloc(4096, NPT_POOL_PAGES * 4096);
	memset(npt_pool_mem, 0xee, NPT_POOL_PAGES * 4096);
	page_pool_init(&npt_test_pool, (uintptr_t)npt_pool_mem, pages);
	npt_init(&npt, &npt_test_pool);
	return npt;
}

TEST(npt_large_pages_where_aligned_and_translation) /* reqs: REQ-ISO-001 */
{
	struct npt npt = new_npt(NPT_POOL_PAGES);
	uint64_t pa = 0;

	REQUIRE(npt.root != NULL);
	/* 16 MiB at guest 0 -> 0x10000000: eight 2 MiB pages, three tables. */
	CHECK_EQ(npt_map(&npt, 0, 0x10000000, 0x1000000, NPT_RAM), BH_OK);
	CHECK_EQ(npt_test_pool.used, 3);
	CHECK(npt_translate(&npt, 0x123456, &pa));
	CHECK_EQ(pa, 0x10123456);
	CHECK(npt_translate(&npt, 0xffffff, &pa));
	CHECK_EQ(pa, 0x10ffffff);
	CHECK(!npt_translate(&npt, 0x1000000, &pa));
	CHECK(!npt_translate(&npt, 0x11000000, &pa));
	/* Every level is present, writable and user-accessible (nested walks). */
	CHECK_EQ(npt.root[0] & 0x7, 0x7);
}

TEST(npt_small_pages_when_unaligned) /* reqs: REQ-ISO-001 */
{
	struct npt npt = new_npt(NPT_POOL_PAGES);
	uint64_t pa = 0;

	CHECK_EQ(npt_map(&npt, 0x1000, 0x20001000, 0x3000, NPT_RAM), BH_OK);
	CHECK_EQ(npt_test_pool.used, 4); /* PML4, PDPT, PD, PT */
	CHECK(npt_translate(&npt, 0x3fff, &pa));
	CHECK_EQ(pa, 0x20003fff);
	CHECK(!npt_translate(&npt, 0x0fff, &pa));
	CHECK(!npt_translate(&npt, 0x4000, &pa));
}

TEST(npt_device_pages_are_uncached) /* reqs: REQ-ISO-002 */
{
	struct npt npt = new_npt(NPT_POOL_PAGES);
	uint64_t *pd;

	CHECK_EQ(npt_map(&npt, 0xfe000000, 0xfe000000, 0x200000, NPT_DEVICE), BH_OK);
	pd = (uint64_t *)(uintptr_t)(((uint64_t *)(uintptr_t)(npt.root[0] & ~0xfffull))[3] &
				     ~0xfffull);
	CHECK_EQ(pd[0x1f0] & 0x18, 0x18);
	CHECK_EQ(pd[0x1f0] & ~0xfffull, 0xfe000000);
}

TEST(npt_refuses_remapping_and_bad_input) /* reqs: REQ-ISO-001 REQ-CFG-001 */
{
	struct npt npt = new_npt(NPT_POOL_PAGES);

	CHECK_EQ(npt_map(&npt, 0, 0x10000000, 0x200000, NPT_RAM), BH_OK);
	CHECK_EQ(npt_map(&npt, 0x1000, 0x30000000, 0x1000, NPT_RAM), BH_ERR_INVALID); /* under a 2 MiB page */
	CHECK_EQ(npt_map(&npt, 0, 0x30000000, 0x200000, NPT_RAM), BH_ERR_INVALID);
	CHECK_EQ(npt_map(&npt, 0x200000, 0x30000000, 0x800, NPT_RAM), BH_ERR_INVALID);
	CHECK_EQ(npt_map(&npt, ~0xfffull, 0x30000000, 0x2000, NPT_RAM), BH_ERR_INVALID);
	/* Beyond 48 bits: it would wrap onto guest 0 (already mapped) or elsewhere. */
	CHECK_EQ(npt_map(&npt, 1ull << 48, 0x30000000, 0x1000, NPT_RAM), BH_ERR_INVALID);
	CHECK_EQ(npt_map(&npt, (1ull << 48) - 0x1000, 0x30000000, 0x2000, NPT_RAM), BH_ERR_INVALID);
	CHECK_EQ(npt_map(&npt, (1ull << 48) - 0x1000, 0x30000000, 0x1000, NPT_RAM), BH_OK);
}

TEST(npt_pool_exhaustion_is_an_error) /* reqs: REQ-ISO-001 */
{
	struct npt npt = new_npt(3);

	CHECK_EQ(npt_map(&npt, 0, 0x10000000, 0x200000, NPT_RAM), BH_OK);
	CHECK_EQ(npt_map(&npt, 0x40000000, 0x10200000, 0x1000, NPT_DEVICE), BH_ERR_NO_MEMORY);
}

TEST(npt_gib_pages_only_when_allowed_and_aligned) /* reqs: REQ-ISO-001 */
{
	struct npt npt = new_npt(NPT_POOL_PAGES);
	uint64_t pa = 0;

	/* 2 GiB at guest 4 GiB -> 5 GiB: two 1 GiB pages, no PD at all. */
	npt.gib_pages = true;
	CHECK_EQ(npt_map(&npt, 0x100000000ull, 0x140000000ull, 0x80000000ull, NPT_RAM), BH_OK);
	CHECK_EQ(npt_test_pool.used, 2);
	CHECK(npt_translate(&npt, 0x17fffffffull, &pa));
	CHECK_EQ(pa, 0x1bfffffffull);
	CHECK(!npt_translate(&npt, 0x180000000ull, &pa));
	/* Aligned guest address, physical only 2 MiB aligned: 2 MiB pages. */
	CHECK_EQ(npt_map(&npt, 0x200000000ull, 0x1c0200000ull, 0x40000000ull, NPT_RAM), BH_OK);
	CHECK_EQ(npt_test_pool.used, 3);
	CHECK(npt_translate(&npt, 0x23fffffffull, &pa));
	CHECK_EQ(pa, 0x2001fffffull);

	/* The same 1 GiB without them: a PD of 2 MiB pages. */
	npt = new_npt(NPT_POOL_PAGES);
	CHECK_EQ(npt_map(&npt, 0x100000000ull, 0x140000000ull, 0x40000000ull, NPT_RAM), BH_OK);
	CHECK_EQ(npt_test_pool.used, 3);
	CHECK(npt_translate(&npt, 0x100234567ull, &pa));
	CHECK_EQ(pa, 0x140234567ull);
}

/* Intel's EPT: the same walk and layout rules, its own bits. */
TEST(npt_ept_entries_for_each_kind) /* reqs: REQ-ISO-001 */
{
	struct npt npt = new_npt(NPT_POOL_PAGES);
	uint64_t pa = 0;

	npt.ept = true;
	CHECK_EQ(npt_map(&npt, 0, 0x10000000, 0x400000, NPT_RAM), BH_OK);
	CHECK_EQ(npt_map(&npt, 0x800000, 0x20000000, 0x200000, NPT_RAM_RO), BH_OK);
	CHECK_EQ(npt_map(&npt, 0xfed00000, 0xfed00000, 0x1000, NPT_DEVICE), BH_OK);
	/* Tables: read, write, execute; no memory type, no large bit. */
	CHECK_EQ(npt.root[0] & 0xff, 0x7);
	const uint64_t *pdpt = (const uint64_t *)(uintptr_t)(npt.root[0] & ~0xfffull);
	const uint64_t *pd = (const uint64_t *)(uintptr_t)(pdpt[0] & ~0xfffull);

	/* RAM: RWX, write-back (6 << 3), a 2 MiB page (bit 7). */
	CHECK_EQ(pd[0] & 0xff, 0x7 | 6u << 3 | 0x80);
	/* A read-only channel end: R and X only. */
	CHECK_EQ(pd[4] & 0xff, 0x5 | 6u << 3 | 0x80);
	CHECK(npt_translate(&npt, 0x900000, &pa));
	CHECK_EQ(pa, 0x20100000);
	/* A device: RW, uncached (type 0), a 4 KiB page. */
	const uint64_t *pd3 = (const uint64_t *)(uintptr_t)(pdpt[3] & ~0xfffull);
	const uint64_t *pt = (const uint64_t *)(uintptr_t)(pd3[0x1f6] & ~0xfffull);

	CHECK_EQ(pt[0x100] & 0xff, 0x3);
	CHECK(npt_translate(&npt, 0xfed00010, &pa));
	CHECK_EQ(pa, 0xfed00010);
}
