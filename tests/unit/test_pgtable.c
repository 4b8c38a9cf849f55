// SPDX-License-Identifier: Apache-2.0
/* core/page_pool.c, arch/arm64/pgtable.c and stage2.c on the host. */

#include <stdlib.h>

#include <arch/pgtable.h>
#include <arch/stage2.h>
#include <bulkhead/page_pool.h>

#include "test.h"

#define POOL_PAGES 64

static struct page_pool pool;
static void *pool_mem;

static void new_pool(size_t pages)
{
	free(pool_mem);
	pool_mem = aligned_alloc(16 * 4096, POOL_PAGES * 4096);
	memset(pool_mem, 0xee, POOL_PAGES * 4096);
	page_pool_init(&pool, (uintptr_t)pool_mem, pages);
}

TEST(page_pool_zeroed_aligned_and_bounded) /* reqs: REQ-ISO-001 */
{
	new_pool(8);
	uint8_t *a = page_pool_alloc(&pool, 1);

	REQUIRE(a != NULL);
	CHECK_EQ(a[0], 0);
	CHECK_EQ(a[4095], 0);
	uint8_t *b = page_pool_alloc(&pool, 2);

	REQUIRE(b != NULL);
	CHECK_EQ(((uintptr_t)b / 4096) % 2, 0); /* two-page aligned */
	CHECK(page_pool_alloc(&pool, 3) == NULL); /* not a power of two */
	CHECK(page_pool_alloc(&pool, 0) == NULL);
	CHECK(page_pool_alloc(&pool, 4) != NULL);
	CHECK(page_pool_alloc(&pool, 1) == NULL); /* exhausted */
}

TEST(page_pool_bytes_are_whole_zeroed_pages_in_a_run) /* reqs: REQ-ISO-001 */
{
	new_pool(8);
	uint8_t *a = page_pool_alloc_bytes(&pool, 4097); /* two pages */

	REQUIRE(a != NULL);
	CHECK_EQ(a[0], 0);
	CHECK_EQ(a[8191], 0);
	uint8_t *b = page_pool_alloc_bytes(&pool, 1);

	CHECK(b == a + 8192); /* no alignment beyond a page: no gap */
	CHECK(page_pool_alloc_bytes(&pool, 0) == NULL);
	CHECK(page_pool_alloc_bytes(&pool, 5 * 4096 + 1) == NULL); /* 5 pages left */
	CHECK(page_pool_alloc_bytes(&pool, 5 * 4096) != NULL);
	CHECK(page_pool_alloc(&pool, 1) == NULL); /* exhausted */
}

static struct pgtable s1(void)
{
	struct pgtable pt = {NULL, 0, 9, &pool};

	new_pool(POOL_PAGES);
	pt.root = page_pool_alloc(&pool, 1);
	return pt;
}

TEST(pgtable_block_sizes_follow_alignment) /* reqs: REQ-ISO-001 */
{
	struct pgtable pt = s1();
	uint64_t pa, attrs;
	int level;

	CHECK_EQ(pgtable_map(&pt, 0x40000000, 0x40000000, 0x40000000, 0x700, true), BH_OK);
	CHECK(pgtable_lookup(&pt, 0x40001234, &pa, &attrs, &level));
	CHECK_EQ(pa, 0x40001234);
	CHECK_EQ(level, 1); /* 1 GiB block */
	CHECK_EQ(pgtable_map(&pt, 0x80200000, 0x90200000, 0x201000, 0x700, true), BH_OK);
	CHECK(pgtable_lookup(&pt, 0x80200000, &pa, &attrs, &level));
	CHECK_EQ(level, 2); /* 2 MiB block */
	CHECK_EQ(pa, 0x90200000);
	CHECK(pgtable_lookup(&pt, 0x80400fff, &pa, &attrs, &level));
	CHECK_EQ(level, 3); /* the 4 KiB tail */
	CHECK_EQ(pa, 0x90400fff);
	CHECK(!pgtable_lookup(&pt, 0x80401000, &pa, &attrs, &level));
	CHECK_EQ(attrs & 0x700, 0x700);
	/* Without blocks, every page is a page. */
	CHECK_EQ(pgtable_map(&pt, 0xc0000000, 0xc0000000, 0x200000, 0, false), BH_OK);
	CHECK(pgtable_lookup(&pt, 0xc01ff000, &pa, &attrs, &level));
	CHECK_EQ(level, 3);
}

TEST(pgtable_refuses_bad_requests) /* reqs: REQ-ISO-001 */
{
	struct pgtable pt = s1();

	CHECK_EQ(pgtable_map(&pt, 0x1000, 0x1000, 0x1000, 0, true), BH_OK);
	CHECK_EQ(pgtable_map(&pt, 0x1000, 0x2000, 0x1000, 0, true), BH_ERR_INVALID); /* mapped */
	CHECK_EQ(pgtable_map(&pt, 0x40000000, 0x40000000, 0x40000000, 0, true), BH_OK);
	CHECK_EQ(pgtable_map(&pt, 0x40200000, 0x40200000, 0x1000, 0, true), BH_ERR_INVALID);
	CHECK_EQ(pgtable_map(&pt, 0x3000, 0x3000, 0x800, 0, true), BH_ERR_INVALID); /* size */
	CHECK_EQ(pgtable_map(&pt, 0x3800, 0x3000, 0x1000, 0, true), BH_ERR_INVALID); /* align */
	CHECK_EQ(pgtable_map(&pt, 0x3000, 0x3000, 0, 0, true), BH_ERR_INVALID);
	CHECK_EQ(pgtable_map(&pt, 1ull << 48, 0, 0x1000, 0, true), BH_ERR_INVALID); /* range */
}

TEST(pgtable_fills_a_table_but_not_over_a_valid_page) /* reqs: REQ-ISO-001 */
{
	struct pgtable pt = s1();
	uint64_t pa, attrs;
	int level;

	CHECK_EQ(pgtable_map(&pt, 0x5000, 0x5000, 0x1000, 0, true), BH_OK);
	CHECK_EQ(pgtable_map(&pt, 0x0, 0x0, 0x8000, 0, true), BH_ERR_INVALID);
	/* A run that crosses two last-level tables. */
	CHECK_EQ(pgtable_map(&pt, 0x3ff000, 0x7ff000, 0x3000, 0, true), BH_OK);
	CHECK(pgtable_lookup(&pt, 0x3ff000, &pa, &attrs, &level));
	CHECK_EQ(pa, 0x7ff000);
	CHECK(pgtable_lookup(&pt, 0x401fff, &pa, &attrs, &level));
	CHECK_EQ(pa, 0x801fff);
	CHECK(!pgtable_lookup(&pt, 0x402000, &pa, &attrs, &level));
}

TEST(pgtable_pool_exhaustion) /* reqs: REQ-ISO-001 */
{
	struct pgtable pt = {NULL, 0, 9, &pool};

	new_pool(3);
	pt.root = page_pool_alloc(&pool, 1);
	CHECK_EQ(pgtable_map(&pt, 0x1000, 0x1000, 0x1000, 0, true), BH_ERR_NO_MEMORY);
}

TEST(stage2_geometry_and_registers) /* reqs: REQ-ISO-001 */
{
	struct stage2 s2;
	uint64_t pa;

	new_pool(POOL_PAGES);
	CHECK_EQ(stage2_init(&s2, &pool, 4 /* 44 bits */, 3), BH_OK);
	CHECK_EQ(s2.ipa_bits, 40);
	CHECK_EQ(s2.pt.root_bits, 10); /* two concatenated level-1 tables */
	CHECK_EQ(((uintptr_t)s2.pt.root / 4096) % 2, 0);
	uint64_t vtcr = stage2_vtcr(&s2);

	CHECK_EQ(vtcr & 0x3f, 24);         /* T0SZ */
	CHECK_EQ((vtcr >> 6) & 3, 1);      /* SL0: level 1 */
	CHECK_EQ((vtcr >> 16) & 7, 4);     /* PS */
	CHECK_EQ(stage2_vttbr(&s2) >> 48, 3); /* VMID */
	CHECK_EQ(stage2_map(&s2, 0x40000000, 0x50000000, 0x1000000, STAGE2_RAM), BH_OK);
	CHECK_EQ(stage2_map(&s2, 0x9000000, 0x9000000, 0x1000, STAGE2_DEVICE), BH_OK);
	CHECK(stage2_translate(&s2, 0x40abc123, &pa));
	CHECK_EQ(pa, 0x50abc123);
	CHECK(!stage2_translate(&s2, 0x41000000, &pa));
	CHECK_EQ(stage2_map(&s2, 1ull << 40, 0, 0x1000, STAGE2_RAM), BH_ERR_INVALID);

	uint64_t attrs;
	int level;

	CHECK(pgtable_lookup(&s2.pt, 0x9000000, &pa, &attrs, &level));
	CHECK(attrs & (1ull << 54));               /* devices never executable */
	CHECK_EQ((attrs >> 2) & 0xf, 1);           /* Device-nGnRE */
	CHECK(pgtable_lookup(&s2.pt, 0x40000000, &pa, &attrs, &level));
	CHECK(!(attrs & (1ull << 54)));
	CHECK_EQ((attrs >> 2) & 0xf, 0xf);         /* Normal write-back */

	CHECK_EQ(stage2_init(&s2, &pool, 0 /* 32 bits */, 1), BH_OK);
	CHECK_EQ(s2.ipa_bits, 32);
	CHECK_EQ(stage2_init(&s2, &pool, 9, 1), BH_ERR_INVALID);
	CHECK_EQ(stage2_init(&s2, &pool, 2, 0), BH_ERR_INVALID); /* VMID 0 is reserved */
}

/* A CFI flash bank's mapping withdrawn and given back (arch/arm64/vflash.c):
 * its pages and blocks keep their address and attributes; nothing that
 * was never mapped can be made valid. */
TEST(stage2_mapping_withdrawn_and_given_back) /* reqs: REQ-PAR-007 REQ-ISO-001 */
{
	struct stage2 s2;
	uint64_t pa;
	uint64_t attrs;
	int level;

	new_pool(POOL_PAGES);
	CHECK_EQ(stage2_init(&s2, &pool, 2, 1), BH_OK);
	CHECK_EQ(stage2_map(&s2, 0x04000000, 0x5fc00000, 0xc0000, STAGE2_RAM_RO), BH_OK);
	CHECK_EQ(stage2_map(&s2, 0x08000000, 0x60000000, 0x200000, STAGE2_RAM_RO), BH_OK);
	CHECK_EQ(stage2_set_mapped(&s2, 0x04000000, 0xc0000, false), BH_OK);
	CHECK(!stage2_translate(&s2, 0x04000000, &pa));
	CHECK(!stage2_translate(&s2, 0x040bf000, &pa));
	CHECK_EQ(stage2_set_mapped(&s2, 0x08000000, 0x200000, false), BH_OK); /* a 2 MiB block */
	CHECK(!stage2_translate(&s2, 0x08100000, &pa));
	CHECK_EQ(stage2_set_mapped(&s2, 0x04000000, 0xc0000, true), BH_OK);
	CHECK_EQ(stage2_set_mapped(&s2, 0x08000000, 0x200000, true), BH_OK);
	CHECK(pgtable_lookup(&s2.pt, 0x040bf123, &pa, &attrs, &level));
	CHECK_EQ(pa, 0x5fcbf123ull);
	CHECK_EQ(level, 3);
	CHECK_EQ((attrs >> 6) & 3, 1); /* still read-only */
	CHECK(attrs & (1ull << 54));   /* still never executable */
	CHECK(pgtable_lookup(&s2.pt, 0x08100000, &pa, &attrs, &level));
	CHECK_EQ(pa, 0x60100000ull);
	CHECK_EQ(level, 2);
	/* Never mapped, or part of a block: refused. */
	CHECK_EQ(stage2_set_mapped(&s2, 0x040c0000, 0x1000, true), BH_ERR_INVALID);
	CHECK(!stage2_translate(&s2, 0x040c0000, &pa));
	CHECK_EQ(stage2_set_mapped(&s2, 0x30000000, 0x1000, true), BH_ERR_INVALID);
	CHECK_EQ(stage2_set_mapped(&s2, 0x08001000, 0x1000, false), BH_ERR_INVALID);
	CHECK(stage2_translate(&s2, 0x08001000, &pa));
}
