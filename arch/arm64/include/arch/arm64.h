/* SPDX-License-Identifier: Apache-2.0 */
/* Internal interfaces of the arm64 port (not for core/). */
#ifndef ARCH_ARM64_ARM64_H
#define ARCH_ARM64_ARM64_H

#include <stdbool.h>
#include <stdint.h>

#include <bulkhead/compiler.h>
#include <bulkhead/error.h>
#include <bulkhead/platform.h>

/* Linker-script symbols (addresses only). */
extern char __image_start[], __text_end[], __rodata_end[], __image_end[];
extern char __bss_start[], __bss_end[];
extern char __cpu_areas[], __cpu_areas_end[], __pt_pool[], __pt_pool_end[];
extern char __reserved_end[];

/* head.S */
void arm64_secondary_entry(void);
void arm64_mmu_on(uint64_t root_pa);
void arm64_dcache_inval_range(uint64_t start, uint64_t end);
extern char arm64_vectors[];

/* mmu.c: the hypervisor's own EL2 stage-1 tables (identity mapped). */
enum mmu_kind {
	MMU_TEXT,   /* read-only, executable */
	MMU_RODATA, /* read-only */
	MMU_DATA,   /* read-write, never executable */
	MMU_DEVICE, /* Device-nGnRE, read-write, never executable */
};
enum bh_err mmu_map(uint64_t pa, uint64_t size, enum mmu_kind kind);
enum bh_err mmu_map_hypervisor(void);
uint64_t mmu_root(void);
unsigned int mmu_pages_used(void);
uint64_t mmu_leaf_attrs(enum mmu_kind kind);
/* From now on the hypervisor's tables are those at @root (mmu_colour.c). */
void mmu_set_root(uint64_t *root);

/* colour_switch.S: the coloured hypervisor's switch (mmu_colour.c). */
void arm64_colour_switch(const uint64_t *dst_pages, uint64_t src, uint64_t pages, uint64_t root);
void arm64_colour_park(void *sync);

extern struct page_pool hyp_page_pool;

/* psci.c: calls to firmware. */
int64_t psci_call(enum psci_conduit conduit, uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3);
const char *psci_error_name(int64_t ret);

/* exception.c */
struct exception_frame;
uint64_t arm64_exception(struct exception_frame *frame, uint64_t kind);

/* console.c: if @intid is the console's input interrupt, hand what was
 * typed on. */
void console_input_interrupt(unsigned int intid);

/* traps.c: serve the interrupts that woke an idle CPU. */
void arm64_idle_interrupts(void);

/* platform.c: per-CPU interrupt controller set-up for a secondary CPU. */
void arm64_secondary_platform_init(unsigned int cpu);

/* cpu.c */
void arm64_cpu_local_init(unsigned int index);
extern bool arm64_at_el2;

/* The counter's frequency when the DT overrides CNTFRQ_EL0 (platform.c). */
void arm64_set_counter_hz(uint64_t hz);
uint64_t arm64_counter_hz(void);

/* The health watchdog's EL2 timer (watchdog.c): armed when vCPU 0 of a
 * partition with a watchdog (re)starts; its interrupt checks the deadline. */
struct vcpu;
void arm64_watchdog_start(const struct vcpu *v);
void arm64_watchdog_interrupt(void);

/* test hooks (fault_test.c in test builds, nothing otherwise) */
void arm64_test_hook_online(unsigned int cpu_index);

#endif
