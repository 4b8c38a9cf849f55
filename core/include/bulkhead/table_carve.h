/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Translation tables for coloured memory, carved from free RAM at boot
 * (core/table_carve.c, docs/colouring.md).
 */
#ifndef BULKHEAD_TABLE_CARVE_H
#define BULKHEAD_TABLE_CARVE_H

#include <stdint.h>

#include <bulkhead/error.h>
#include <bulkhead/partition_config.h>
#include <bulkhead/platform.h>

/* Table pages a coloured partition's memory may take (0 uncoloured): one
 * per 2 MiB, 1 GiB and 512 GiB its guest ranges touch, a root, and as many
 * again when it has DMA streams (their stage-1 tables). */
uint64_t table_pages_coloured(const struct partition_config *pc);

/* Pages in which a coloured partition's device tree is built before it is
 * copied run by run (core/partition.c): one buffer, shared by all of them,
 * carved with their tables rather than kept in the image's .bss. */
#define COLOUR_DT_SCRATCH_PAGES (PARTITION_DT_MAX >> PAGE_SHIFT)

/* Everything the boot carves from free RAM for partitions: the coloured
 * partitions' table pages and, if any partition is coloured, the device-tree
 * scratch; the LPI tables of partitions with MSI (below). */
uint64_t table_carve_pages(const struct system_config *sys);

/* LPI tables, when a partition owns PCI functions with MSI: a pending
 * table per CPU of such partitions (64 KiB aligned, 16 pages) and a page
 * for its virtual ITS's state, a
 * configuration table for 14 ID bits (2 pages), the ITS's tables. Taken
 * from the region carved here (page_pool_alloc_added), counted with the
 * coloured partitions' tables. */
#define LPI_PEND_PAGES 16u
#define LPI_PROP_PAGES 2u
#define LPI_DTE_MAX_BYTES 32u
/* DeviceIDs a partition's function may have at the ITS: its flat device
 * table has this many entries (buses 0-15 where DeviceID = requester ID). */
#define LPI_MAX_DEVID 0xfffu

/* What the carve must keep clear of. */
struct table_carve_in {
	const void *fdt;
	uint64_t fdt_pa;   /* where the device tree blob is */
	uint64_t fdt_size;
	struct hyp_footprint hyp;
	const struct platform *p;
	const struct system_config *sys; /* validated */
	/* The coloured hypervisor (docs/colouring.md): the bytes of its image
	 * that move onto its colours' pages, and, once hyp_span_carve() has
	 * found it, the span they take (size 0: not coloured). */
	uint64_t hyp_copy_size;
	struct mem_range hyp_span;
};

/* Table pages the coloured hypervisor's own EL2 tables may take whatever
 * its span: a copy of the path to its image, a second mapping of the old
 * image (to poison it) and the list of the pages it moves to
 * (arch/arm64/mmu_colour.c). */
#define HYP_COLOUR_TABLE_PAGES 16u

/* All they take with the image moved to @span: also the tables that unmap
 * the span from the identity map of RAM (a page per 2 MiB, 1 GiB and
 * 512 GiB window), so the moved text is writable at no address. 0 if
 * @span is empty. */
uint64_t hyp_colour_table_pages(const struct mem_range *span);

/*
 * The span of free RAM, aligned to the cache's way, that the hypervisor's
 * image moves into when it is coloured (out->size 0 if it is not); an
 * error, by node and property, if RAM has no such gap. Called before
 * table_carve(), which then keeps off it.
 */
enum bh_err hyp_span_carve(const struct table_carve_in *in, struct mem_range *out);

/*
 * The highest page-aligned range of RAM, overlapping nothing anything owns
 * (the hypervisor, the device tree, partitions' memory, boot modules,
 * channels, /memreserve/ and /reserved-memory), of table_carve_pages():
 * *out (size 0 when nothing is coloured).
 * BH_ERR_NO_MEMORY, with errors by node and property printed, when RAM has
 * no such gap.
 */
enum bh_err table_carve(const struct table_carve_in *in, struct mem_range *out);

#endif
