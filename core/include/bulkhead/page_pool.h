/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A bump allocator of zeroed pages from a fixed region. Translation tables
 * are built once at boot and never freed (a restarted partition keeps its
 * stage-2 tables), so nothing more elaborate is needed.
 *
 * Only the boot CPU allocates: the hypervisor's own tables with the MMU off
 * (where exclusive accesses, and so spinlocks, are not guaranteed to work),
 * then the partitions' stage-2 tables while the other CPUs wait for their
 * vCPUs. So the pool has no lock.
 *
 * A pool may be given one more region at boot (page_pool_add): the fixed
 * region in the image covers the hypervisor's own tables and uncoloured
 * partitions, while coloured memory, which takes a table page per 2 MiB,
 * brings its own from RAM (core/table_carve.c). Allocations come from the
 * first region while it has room, then from the added one.
 */
#ifndef BULKHEAD_PAGE_POOL_H
#define BULKHEAD_PAGE_POOL_H

#include <stddef.h>
#include <stdint.h>


struct page_pool {
	uintptr_t base;  /* page aligned */
	size_t pages;
	size_t used;
	uintptr_t more_base; /* the added region, pages 0 if none */
	size_t more_pages;
	size_t more_used;
};

void page_pool_init(struct page_pool *pool, uintptr_t base, size_t pages);

/* Give @pool a second region (page aligned; replaces any added before). */
void page_pool_add(struct page_pool *pool, uintptr_t base, size_t pages);

/* Pages handed out from both regions. */
size_t page_pool_used(const struct page_pool *pool);

/* @count contiguous zeroed pages aligned to @count pages (a power of two),
 * or NULL when the pool cannot provide them. */
void *page_pool_alloc(struct page_pool *pool, size_t count);

/* As page_pool_alloc, from the added region only: tables carved for one
 * purpose (an ITS's, core/table_carve.c) leave the image's pages alone. */
void *page_pool_alloc_added(struct page_pool *pool, size_t count);

/* Zeroed pages enough for @bytes, page aligned only, or NULL. */
void *page_pool_alloc_bytes(struct page_pool *pool, size_t bytes);

#endif
