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
};

/*
 * The highest page-aligned range of RAM, overlapping nothing anything owns
 * (the hypervisor, the device tree, partitions' memory, boot modules,
 * channels, /memreserve/ and /reserved-memory), of the coloured
 * partitions' table pages: *out (size 0 when nothing is coloured).
 * BH_ERR_NO_MEMORY, with errors by node and property printed, when RAM has
 * no such gap.
 */
enum bh_err table_carve(const struct table_carve_in *in, struct mem_range *out);

#endif
