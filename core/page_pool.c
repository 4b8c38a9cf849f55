// SPDX-License-Identifier: Apache-2.0

#include <string.h>

#include <bulkhead/compiler.h>
#include <bulkhead/config.h>
#include <bulkhead/page_pool.h>

void page_pool_init(struct page_pool *pool, uintptr_t base, size_t pages)
{
	pool->base = base;
	pool->pages = pages;
	pool->used = 0;
}

void *page_pool_alloc(struct page_pool *pool, size_t count)
{
	void *p = NULL;

	if (count == 0 || !IS_POWER_OF_2(count))
		return NULL;
	/* Alignment is in absolute page numbers, not pool offsets. */
	size_t first = (size_t)(pool->base / PAGE_SIZE);
	size_t at = ALIGN_UP(first + pool->used, count) - first;

	if (at + count <= pool->pages) {
		p = (void *)(pool->base + at * PAGE_SIZE);
		pool->used = at + count;
	}
	if (p != NULL)
		memset(p, 0, count * PAGE_SIZE);
	return p;
}

void *page_pool_alloc_bytes(struct page_pool *pool, size_t bytes)
{
	size_t count = (bytes + PAGE_SIZE - 1) / PAGE_SIZE;
	void *p;

	if (count == 0 || count > pool->pages - pool->used)
		return NULL;
	p = (void *)(pool->base + pool->used * PAGE_SIZE);
	pool->used += count;
	memset(p, 0, count * PAGE_SIZE);
	return p;
}
