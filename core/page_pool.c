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
	pool->more_base = 0;
	pool->more_pages = 0;
	pool->more_used = 0;
}

void page_pool_add(struct page_pool *pool, uintptr_t base, size_t pages)
{
	pool->more_base = base;
	pool->more_pages = pages;
	pool->more_used = 0;
}

size_t page_pool_used(const struct page_pool *pool)
{
	return pool->used + pool->more_used;
}

/* @count pages aligned to @count in [base, base + pages), *used advanced. */
static void *take_aligned(uintptr_t base, size_t pages, size_t *used, size_t count)
{
	/* Alignment is in absolute page numbers, not pool offsets. */
	size_t first = (size_t)(base / PAGE_SIZE);
	size_t at = ALIGN_UP(first + *used, count) - first;

	if (pages == 0u || at + count > pages)
		return NULL;
	*used = at + count;
	return (void *)(base + at * PAGE_SIZE);
}

void *page_pool_alloc(struct page_pool *pool, size_t count)
{
	void *p;

	if (count == 0 || !IS_POWER_OF_2(count))
		return NULL;
	p = take_aligned(pool->base, pool->pages, &pool->used, count);
	if (p == NULL)
		p = take_aligned(pool->more_base, pool->more_pages, &pool->more_used, count);
	if (p != NULL)
		memset(p, 0, count * PAGE_SIZE);
	return p;
}

void *page_pool_alloc_added(struct page_pool *pool, size_t count)
{
	void *p;

	if (count == 0 || !IS_POWER_OF_2(count))
		return NULL;
	p = take_aligned(pool->more_base, pool->more_pages, &pool->more_used, count);
	if (p != NULL)
		memset(p, 0, count * PAGE_SIZE);
	return p;
}

/* @count pages in [base, base + pages), page aligned only. */
static void *take(uintptr_t base, size_t pages, size_t *used, size_t count)
{
	void *p;

	if (count > pages - *used)
		return NULL;
	p = (void *)(base + *used * PAGE_SIZE);
	*used += count;
	return p;
}

void *page_pool_alloc_bytes(struct page_pool *pool, size_t bytes)
{
	size_t count = (bytes + PAGE_SIZE - 1) / PAGE_SIZE;
	void *p;

	if (count == 0)
		return NULL;
	p = take(pool->base, pool->pages, &pool->used, count);
	if (p == NULL)
		p = take(pool->more_base, pool->more_pages, &pool->more_used, count);
	if (p != NULL)
		memset(p, 0, count * PAGE_SIZE);
	return p;
}
