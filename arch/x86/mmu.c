// SPDX-License-Identifier: Apache-2.0
/*
 * The hypervisor's own page tables, replacing head.S's boot map once the
 * device tree is read: identity mapped, W^X (text read-only and executable,
 * read-only data, everything else never executable), only what the
 * hypervisor touches (the first MiB, the DT's RAM, the APICs), and an
 * unmapped guard page below each CPU's stack. A per-CPU TSS gives double
 * faults and page faults stacks of their own, so a stack overflow is
 * reported instead of ending in a triple fault.
 */

#include <string.h>

#include <bulkhead/arch.h>
#include <bulkhead/console.h>
#include <bulkhead/cpu.h>

#include <arch/asm.h>
#include <arch/npt.h>
#include <arch/x86.h>

#define PTE_PRESENT (1ull << 0)
#define PTE_WRITE (1ull << 1)
#define PTE_UNCACHED (3ull << 3)
#define PTE_NX (1ull << 63)
#define EFER_NXE (1ull << 11)
#define CPUID_EXT_NX (1u << 20)       /* 0x80000001 EDX */
#define CPUID_EXT_PDPE1GB 0x04000000u /* 0x80000001 EDX bit 26: 1 GiB pages */
#define IST_STACK_SIZE 4096
#define GDT_TSS(index) (4 + 2 * (index)) /* entries: null, code64, data, code32, then TSS */

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

struct page_pool x86_page_pool;

/* Set up on first use: the boot tables (the DT index first of all) are
 * allocated before mmu_init, in the loader's identity map. */
static struct page_pool *hyp_pool(void)
{
	if (x86_page_pool.pages == 0)
		page_pool_init(&x86_page_pool, (uintptr_t)__pt_pool, HYP_PT_PAGES);
	return &x86_page_pool;
}

void *arch_boot_alloc(size_t bytes)
{
	return page_pool_alloc_bytes(hyp_pool(), bytes);
}

/* Nothing moves on this port (it is never coloured): one pool. */
void *arch_boot_alloc_pinned(size_t bytes)
{
	return page_pool_alloc_bytes(hyp_pool(), bytes);
}
/* Never asked today: the port refuses coloured partitions, the one reason
 * for more tables (core/table_carve.c). */
enum bh_err arch_table_pool_add(uint64_t base, uint64_t size)
{
	page_pool_add(hyp_pool(), (uintptr_t)base, (size_t)(size / PAGE_SIZE));
	return BH_OK;
}

/* The hypervisor is not coloured on this port (docs/colouring.md): the
 * configuration refuses `bulkhead,hypervisor-colours`, so these are never
 * asked to move anything. */
uint64_t arch_hyp_colour_size(void)
{
	return 0;
}

enum bh_err arch_hyp_colour_prepare(const struct system_config *sys, uint64_t span_base)
{
	(void)sys;
	(void)span_base;
	return BH_ERR_UNSUPPORTED;
}

enum bh_err arch_hyp_colour_switch(void)
{
	return BH_ERR_UNSUPPORTED;
}

void arch_hyp_colour_poll(void)
{
}

static struct npt hyp_pt;
static uint64_t nx;
static bool gib_pages;
static uint64_t gdt[GDT_TSS(MAX_CPUS)] __attribute__((aligned(16)));
static struct tss tss[MAX_CPUS] __attribute__((aligned(16)));
static uint8_t ist_stacks[MAX_CPUS][2][IST_STACK_SIZE] __attribute__((aligned(16)));

STATIC_ASSERT(sizeof(struct tss) == 104, "64-bit TSS");

static enum bh_err map(uint64_t base, uint64_t end, uint64_t attrs)
{
	base = ALIGN_DOWN(base, PAGE_SIZE);
	end = ALIGN_UP(end, PAGE_SIZE);
	if (end <= base)
		return BH_OK;
	return pt4_map(&hyp_pt, base, base, end - base, PTE_PRESENT | attrs, PTE_PRESENT | PTE_WRITE,
		       true);
}

/* RAM outside the image, read-write and never executable. */
static enum bh_err map_ram(const struct platform *p, uint64_t image_start, uint64_t image_end)
{
	for (unsigned int i = 0; i < p->ram_count; i++) {
		uint64_t base = p->ram[i].base, end = base + p->ram[i].size;

		if (image_start < end && base < image_end) {
			TRY(map(base, image_start, PTE_WRITE | nx));
			TRY(map(image_end, end, PTE_WRITE | nx));
		} else {
			TRY(map(base, end, PTE_WRITE | nx));
		}
	}
	return BH_OK;
}

/* The cpu areas: per CPU a guard page (left unmapped), then its stack. */
static enum bh_err map_stacks(void)
{
	uint64_t areas = (uint64_t)(uintptr_t)__cpu_areas;

	for (unsigned int i = 0; i < MAX_CPUS; i++) {
		uint64_t stack = areas + (uint64_t)i * CPU_AREA_SIZE + PAGE_SIZE;

		TRY(map(stack, stack + CPU_STACK_SIZE, PTE_WRITE | nx));
	}
	return BH_OK;
}

enum bh_err mmu_init(const struct platform *p)
{
	uint64_t image_start = (uint64_t)(uintptr_t)__image_start;
	uint64_t reserved_end = (uint64_t)(uintptr_t)__reserved_end;
	uint64_t pool = (uint64_t)(uintptr_t)__pt_pool;
	uint32_t features = cpuid(0x80000001u, 0).edx;

	/* Known before the first entry is written: the boot CPU's table
	 * entries get their no-execute bit from it. */
	nx = (features & CPUID_EXT_NX) != 0u ? PTE_NX : 0ULL;
	gib_pages = (features & CPUID_EXT_PDPE1GB) != 0u;
	TRY(npt_init(&hyp_pt, hyp_pool()));
	hyp_pt.gib_pages = gib_pages;
	TRY(map(0, MiB(1), PTE_WRITE | nx)); /* BIOS data, loader info, AP trampoline */
	TRY(map_ram(p, image_start, reserved_end));
	TRY(map(image_start, (uint64_t)(uintptr_t)__text_end, 0));
	TRY(map((uint64_t)(uintptr_t)__text_end, (uint64_t)(uintptr_t)__rodata_end, nx));
	TRY(map((uint64_t)(uintptr_t)__rodata_end, (uint64_t)(uintptr_t)__cpu_areas,
		PTE_WRITE | nx));
	TRY(map_stacks());
	TRY(map(pool, pool + (uint64_t)HYP_PT_PAGES * PAGE_SIZE, PTE_WRITE | nx));
	TRY(map(p->arch.lapic_base, p->arch.lapic_base + PAGE_SIZE, PTE_WRITE | PTE_UNCACHED | nx));
	TRY(map(p->arch.ioapic_base, p->arch.ioapic_base + PAGE_SIZE,
		PTE_WRITE | PTE_UNCACHED | nx));
	mmu_cpu_init(0);
	return BH_OK;
}

bool mmu_gib_pages(void)
{
	return gib_pages;
}

/* A page of a partition's device registers for the hypervisor's own writes
 * (reset-registers), uncached and never executable. Boot CPU, before the
 * partitions start: new entries need no TLB shootdown. */
enum bh_err mmu_map_device_page(uint64_t pa)
{
	return map(pa, pa + PAGE_SIZE, PTE_WRITE | PTE_UNCACHED | nx);
}

unsigned int mmu_pages_used(void)
{
	return (unsigned int)page_pool_used(&x86_page_pool);
}

static void gdt_init(void)
{
	gdt[1] = 0x00af9a000000ffffull; /* GDT_CODE64 */
	gdt[2] = 0x00cf92000000ffffull; /* GDT_DATA */
	gdt[3] = 0x00cf9a000000ffffull; /* GDT_CODE32 */
	for (unsigned int i = 0; i < MAX_CPUS; i++) {
		uint64_t base = (uint64_t)(uintptr_t)&tss[i];
		uint64_t limit = sizeof(struct tss) - 1;

		tss[i].ist[0] = (uint64_t)(uintptr_t)ist_stacks[i][0] + IST_STACK_SIZE;
		tss[i].ist[1] = (uint64_t)(uintptr_t)ist_stacks[i][1] + IST_STACK_SIZE;
		tss[i].iomap_base = sizeof(struct tss); /* no I/O bitmap */
		/* present, available 64-bit TSS */
		gdt[GDT_TSS(i)] = (limit & 0xffff) | (base & 0xffffff) << 16 | 0x89ull << 40 |
				  (base >> 24 & 0xff) << 56;
		gdt[GDT_TSS(i) + 1] = base >> 32;
	}
}

/* Each CPU, the boot CPU first: no-execute on, these tables, this GDT and
 * its TSS. */
void mmu_cpu_init(unsigned int index)
{
	struct __attribute__((packed)) gdt_pointer {
		uint16_t limit;
		uint64_t base;
	} pointer = {sizeof(gdt) - 1, (uint64_t)(uintptr_t)gdt};

	if (index == 0u)
		gdt_init();
	if (nx != 0)
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
	__asm__ volatile("mov %0, %%cr3" : : "r"((uint64_t)(uintptr_t)hyp_pt.root) : "memory");
	__asm__ volatile("lgdt %0" : : "m"(pointer));
	__asm__ volatile("ltr %w0" : : "r"((uint16_t)(GDT_TSS(index) * 8)));
}

/* Which CPU's guard page @address is in, or -1. */
int mmu_guard_page_cpu(uint64_t address)
{
	uint64_t areas = (uint64_t)(uintptr_t)__cpu_areas;

	if (address < areas || address >= areas + (uint64_t)MAX_CPUS * CPU_AREA_SIZE)
		return -1;
	uint64_t offset = address - areas;

	return offset % CPU_AREA_SIZE < PAGE_SIZE ? (int)(offset / CPU_AREA_SIZE) : -1;
}
