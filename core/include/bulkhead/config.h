/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Build-time limits. Plain #defines only: this header is also included by
 * assembly and linker scripts.
 */
#ifndef BULKHEAD_CONFIG_H
#define BULKHEAD_CONFIG_H

#define MAX_CPUS 16
#define MAX_RAM_REGIONS 8

/* Cache colours told apart (docs/colouring.md): a cache with more (a way
 * over 1 MiB) is coloured by the low address bits of its colour, coarser
 * but still disjoint. At most 256: a colour fits a byte. */
#define MAX_COLOURS 256

#define PAGE_SHIFT 12
#define PAGE_SIZE (1 << PAGE_SHIFT)

/* The PE/COFF file alignment of bulkhead.bin as a UEFI application: the
 * smallest the specification allows, so padding costs under 512 bytes. */
#define PE_FILE_ALIGNMENT 512

/* Per-CPU hypervisor stack; an unmapped guard page sits below each one. */
#define CPU_STACK_SIZE (8 * 1024)
#define CPU_AREA_SIZE (CPU_STACK_SIZE + PAGE_SIZE)

/* Pages for all translation tables (EL2 stage-1 and every stage-2) and
 * the boot tables of arch_boot_alloc (11 pages) and the console's output
 * ring (2 pages). */
#define HYP_PT_PAGES 82
/* arm64: the pages arch_boot_alloc() takes its blocks from, right after
 * the per-CPU areas, so that a coloured hypervisor moves them with its
 * image (docs/colouring.md): the configuration, its errors, the DT index,
 * partitions, vCPUs and the console's ring (17 pages today). */
#define BOOT_DATA_PAGES 20

#endif
