/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Build-time limits. Plain #defines only: this header is also included by
 * assembly and linker scripts.
 */
#ifndef BULKHEAD_CONFIG_H
#define BULKHEAD_CONFIG_H

#define MAX_CPUS 16
#define MAX_RAM_REGIONS 8

#define PAGE_SHIFT 12
#define PAGE_SIZE (1 << PAGE_SHIFT)

/* Per-CPU hypervisor stack; an unmapped guard page sits below each one. */
#define CPU_STACK_SIZE (8 * 1024)
#define CPU_AREA_SIZE (CPU_STACK_SIZE + PAGE_SIZE)

/* Pages for all translation tables: EL2 stage-1 and every stage-2. */
#define HYP_PT_PAGES 64

#endif
