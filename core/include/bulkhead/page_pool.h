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
 */
#ifndef BULKHEAD_PAGE_POOL_H
#define BULKHEAD_PAGE_POOL_H

#include <stddef.h>
#include <stdint.h>


struct page_pool {
	uintptr_t base;  /* page aligned */
	size_t pages;
	size_t used;
};

void page_pool_init(struct page_pool *pool, uintptr_t base, size_t pages);

/* @count contiguous zeroed pages aligned to @count pages (a power of two),
 * or NULL when the pool cannot provide them. */
void *page_pool_alloc(struct page_pool *pool, size_t count);

/* Zeroed pages enough for @bytes, page aligned only, or NULL. */
void *page_pool_alloc_bytes(struct page_pool *pool, size_t bytes);

#endif
