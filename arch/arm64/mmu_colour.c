// SPDX-License-Identifier: Apache-2.0
/*
 * The coloured hypervisor (docs/colouring.md, `bulkhead,hypervisor-colours`):
 * once the partitions are built and before any runs, the image's text,
 * data, bss and per-CPU stacks are copied onto pages of the hypervisor's
 * own colours and every CPU moves to EL2 tables that map the same virtual
 * addresses there, with the boot tables after the stacks (arch_boot_alloc:
 * configuration, partitions, vCPUs, the console's ring), which the trap
 * paths read. Nothing else moves: the page-table pool stays where it is
 * (its physical addresses are in TTBR0/VTTBR and the SMMU), and with it
 * what arch_boot_alloc_pinned() gives (the SMMU's state, the coloured
 * partitions' DT scratch).
 *
 * The new tables are not a rebuild: a new root and copies of the tables on
 * the path to the image only; every other entry is shared with the identity
 * tables, so whatever mmu_map() added stays mapped. Leaf entries of the
 * copied pages keep their attributes (W^X) and get the coloured page's
 * address; invalid ones (each stack's guard page) stay invalid.
 *
 * The switch (colour_switch.S) is taken with every other CPU parked in a
 * routine that stores nothing to the image, so the copy is exact. After it,
 * the old image's pages are poisoned through a temporary second mapping:
 * anything that still reached them by physical address would fail loudly.
 */

#include <string.h>

#include <bulkhead/arch.h>
#include <bulkhead/colour.h>
#include <bulkhead/config.h>
#include <bulkhead/console.h>
#include <bulkhead/cpu.h>
#include <bulkhead/partition_config.h>
#include <bulkhead/table_carve.h>

#include <arch/arm64.h>
#include <arch/pgtable.h>
#include <arch/sysreg.h>

#define LEVELS 4u
#define ENTRIES 512u
/* The poisoning alias: the old image mapped again this far up (VA < 2^48). */
#define POISON_ALIAS (1ull << 47)
/* A `brk #0xdead` in every word: executed or read, a stale use shows. */
#define POISON_WORD 0xd43bd5a0u
#define PARK_TIMEOUT_NS 1000000000ull

/* In the pool: the same memory at the same address in both maps. */
struct colour_sync {
	uint32_t request; /* the boot CPU asks the others to park */
	uint32_t arrived; /* CPUs parked */
	uint32_t go;      /* the copy is made: switch and return */
	uint32_t done;    /* CPUs on the new tables, off the old image */
	uint64_t root;    /* the coloured tables' root */
};

static struct page_pool colour_pool;
static struct colour_sync *sync_area; /* set before any request: in both copies */
static uint64_t *new_root;
static uint64_t *dst_pages; /* page k of the image goes to dst_pages[k]; 0: a guard page */
static uint64_t copy_pages;
static uint64_t span_at;
static uint64_t span_bytes;

uint64_t arch_hyp_colour_size(void)
{
	/* The boot tables lie from __cpu_areas_end to the page tables' pool. */
	return (uint64_t)(uintptr_t)__pt_pool - (uint64_t)(uintptr_t)__image_start;
}

static unsigned int shift_of(unsigned int level)
{
	return PAGE_SHIFT + 9u * (LEVELS - 1u - level);
}

static uint64_t *table_at(uint64_t entry)
{
	return (uint64_t *)(uintptr_t)(entry & PTE_ADDR_MASK);
}

/* A private table standing for the block @e of @level: the same mapping
 * one level down (pages at the last level). */
static uint64_t *split_block(uint64_t e, unsigned int level)
{
	uint64_t *t = page_pool_alloc(&colour_pool, 1);
	const uint64_t step = 1ull << shift_of(level + 1u);
	const uint64_t attrs = e & ~PTE_ADDR_MASK & ~(PTE_VALID | PTE_TABLE);
	const uint64_t kind = level + 1u == LEVELS - 1u ? PTE_TABLE : 0u; /* page, or block */

	if (t == NULL)
		return NULL;
	for (unsigned int i = 0; i < ENTRIES; i++)
		t[i] = ((e & PTE_ADDR_MASK) + (uint64_t)i * step) | attrs | kind | PTE_VALID;
	return t;
}

/*
 * The new tree's last-level entry for @va, making private on the way each
 * table it still shares with the identity tree (a copy) and each block (a
 * split); NULL if @va is not mapped or no page is left. Only the new tree
 * changes: the identity tree stays as every CPU uses it until the switch.
 */
static uint64_t *private_leaf(uint64_t va)
{
	uint64_t *nt = new_root;
	const uint64_t *ot = (const uint64_t *)(uintptr_t)mmu_root();

	for (unsigned int level = 0; level < LEVELS - 1u; level++) {
		unsigned int i = (unsigned int)((va >> shift_of(level)) & (ENTRIES - 1u));
		uint64_t e = nt[i];

		if ((e & PTE_VALID) == 0u)
			return NULL;
		if ((e & PTE_TABLE) == 0u) {
			uint64_t *t = split_block(e, level);

			if (t == NULL)
				return NULL;
			nt[i] = (uint64_t)(uintptr_t)t | PTE_TABLE | PTE_VALID;
		} else if (ot != NULL && e == ot[i]) {
			uint64_t *t = page_pool_alloc(&colour_pool, 1);

			if (t == NULL)
				return NULL;
			(void)memcpy(t, table_at(e), PAGE_SIZE);
			nt[i] = (e & ~PTE_ADDR_MASK) | (uint64_t)(uintptr_t)t;
		} else {
			/* private already */
		}
		/* Below a split block the identity tree has no tables to share. */
		ot = ot != NULL && (ot[i] & (PTE_VALID | PTE_TABLE)) == (PTE_VALID | PTE_TABLE)
			     ? table_at(ot[i])
			     : NULL;
		nt = table_at(nt[i]);
	}
	return &nt[(va >> PAGE_SHIFT) & (ENTRIES - 1u)];
}

enum bh_err arch_hyp_colour_prepare(const struct system_config *sys, uint64_t span_base)
{
	span_at = span_base;
	span_bytes = colour_span_pages(sys->hyp_colour_count, sys->llc.colours,
				       arch_hyp_colour_size());

	const struct mem_range span = {span_at, span_bytes};
	const uint64_t count = hyp_colour_table_pages(&span);
	void *pages = page_pool_alloc_bytes(&hyp_page_pool, (size_t)(count * PAGE_SIZE));

	if (pages == NULL)
		return BH_ERR_NO_MEMORY;
	page_pool_init(&colour_pool, (uintptr_t)pages, (size_t)count);
	struct colour_sync *sync = page_pool_alloc(&colour_pool, 1);

	copy_pages = arch_hyp_colour_size() / PAGE_SIZE;
	dst_pages = page_pool_alloc_bytes(&colour_pool, (size_t)copy_pages * sizeof(uint64_t));
	if (sync == NULL || dst_pages == NULL)
		return BH_ERR_NO_MEMORY;
	/* Polled by the other CPUs from now on (arch_hyp_colour_poll). */
	__atomic_store_n(&sync_area, sync, __ATOMIC_RELEASE);
	for (uint64_t k = 0; k < copy_pages; k++)
		dst_pages[k] = colour_page_pa(sys->hyp_colour, sys->hyp_colour_count, sys->llc.colours,
					      span_base, k);
	return BH_OK;
}

/* The coloured tables: built after every mmu_map() of the boot. */
static enum bh_err build_tables(void)
{
	const uint64_t image = (uint64_t)(uintptr_t)__image_start;

	new_root = page_pool_alloc(&colour_pool, 1);
	if (new_root == NULL)
		return BH_ERR_NO_MEMORY;
	(void)memcpy(new_root, (const void *)(uintptr_t)mmu_root(), PAGE_SIZE);
	for (uint64_t k = 0; k < copy_pages; k++) {
		uint64_t *leaf = private_leaf(image + k * PAGE_SIZE);

		if (leaf == NULL)
			return BH_ERR_NO_MEMORY;
		if ((*leaf & PTE_VALID) == 0u) {
			dst_pages[k] = 0; /* a guard page: stays unmapped, not copied */
			continue;
		}
		*leaf = (*leaf & ~PTE_ADDR_MASK) | dst_pages[k];
	}
	/* The span leaves the identity map of RAM: the moved text is then
	 * writable at no address (W^X as before the move). */
	for (uint64_t va = span_at; va < span_at + span_bytes; va += PAGE_SIZE) {
		uint64_t *leaf = private_leaf(va);

		if (leaf == NULL)
			return BH_ERR_NO_MEMORY;
		*leaf = 0;
	}
	sync_area->root = (uint64_t)(uintptr_t)new_root;
	return BH_OK;
}

/* CPUs other than this one that must park: every one that came up (online,
 * or halted after a fault: its halt loop polls too). */
static bool others_to_park(unsigned int self, uint32_t *count)
{
	*count = 0;
	for (unsigned int i = 0; i < MAX_CPUS; i++) {
		enum cpu_state st = __atomic_load_n(&cpus[i].state, __ATOMIC_ACQUIRE);

		if (st == CPU_STARTING)
			return false; /* late: it would come up on the old image */
		if (i != self && (st == CPU_ONLINE || st == CPU_HALTED))
			(*count)++;
	}
	return true;
}

/* Fill the old image with POISON_WORD through a mapping of its own, then
 * drop that mapping. */
static enum bh_err poison_old_image(void)
{
	const uint64_t image = (uint64_t)(uintptr_t)__image_start;
	const uint64_t size = copy_pages * PAGE_SIZE;
	struct pgtable alias = {new_root, 0, 9, &colour_pool};
	const unsigned int slot = (unsigned int)(((POISON_ALIAS + image) >> shift_of(0)) & (ENTRIES - 1u));

	if (image + size > POISON_ALIAS || new_root[slot] != 0u)
		return BH_ERR_UNSUPPORTED;
	TRY(pgtable_map(&alias, POISON_ALIAS + image, image, size, mmu_leaf_attrs(MMU_DATA), false));
	__asm__ volatile("dsb ishst\n\tisb" : : : "memory");
	uint32_t *w = (uint32_t *)(uintptr_t)(POISON_ALIAS + image);

	for (uint64_t i = 0; i < size / sizeof(uint32_t); i++)
		w[i] = POISON_WORD;
	__asm__ volatile("dsb ish" : : : "memory");
	new_root[slot] = 0;
	__asm__ volatile("dsb ishst\n\ttlbi alle2\n\tdsb ish\n\tisb" : : : "memory");
	return BH_OK;
}

/* What the loaded tables make of @va for a write (@write) or a read: its
 * physical address, or false if that access would fault (AT, PAR_EL1). */
static bool translates(uint64_t va, bool write, uint64_t *pa)
{
	uint64_t par;

	if (write)
		__asm__ volatile("at s1e2w, %0\n\tisb" : : "r"(va) : "memory");
	else
		__asm__ volatile("at s1e2r, %0\n\tisb" : : "r"(va) : "memory");
	par = read_sysreg(par_el1);
	if ((par & 1u) != 0u)
		return false;
	*pa = (par & PTE_ADDR_MASK) | (va & (PAGE_SIZE - 1u));
	return true;
}

/* After the move, as the hardware walks it: each page of the image at its
 * coloured page, writable only where it was (never text or read-only
 * data), and no coloured page reachable at its own physical address. */
static bool moved_map_checks(void)
{
	const uint64_t image = (uint64_t)(uintptr_t)__image_start;
	const uint64_t ro_end = (uint64_t)(uintptr_t)__rodata_end;
	uint64_t pa;

	for (uint64_t k = 0; k < copy_pages; k++) {
		uint64_t va = image + k * PAGE_SIZE;

		if (dst_pages[k] == 0u) {
			if (translates(va, false, &pa))
				return false; /* a guard page mapped */
			continue;
		}
		if (!translates(va, false, &pa) || pa != dst_pages[k] ||
		    translates(va, true, &pa) != (va >= ro_end) ||
		    translates(dst_pages[k], false, &pa))
			return false;
	}
	return true;
}

/* Wait (WFE) until *@count reaches @want; false, said, after a second. */
static bool wait_count(const uint32_t *count, uint32_t want, const char *what)
{
	uint64_t deadline = arch_time_ns() + PARK_TIMEOUT_NS;

	while (__atomic_load_n(count, __ATOMIC_ACQUIRE) < want) {
		if (arch_time_ns() > deadline) {
			log_printf("error: hypervisor colours: %u of %u CPUs %s in time\n",
				   __atomic_load_n(count, __ATOMIC_ACQUIRE), want, what);
			return false;
		}
		arch_wait_event();
	}
	return true;
}

enum bh_err arch_hyp_colour_switch(void)
{
	unsigned int self = arch_cpu_index();
	uint32_t others;

	if (!others_to_park(self, &others)) {
		log_printf("error: hypervisor colours: a CPU is still starting; not moved\n");
		return BH_ERR_TIMEOUT;
	}
	TRY(build_tables());
	__atomic_store_n(&sync_area->request, 1u, __ATOMIC_RELEASE);
	arch_send_event();
	if (!wait_count(&sync_area->arrived, others, "parked"))
		return BH_ERR_TIMEOUT; /* the parked ones wait for good */
	/* Nothing below stores to the image until the switch: the console's
	 * ring included (no logging). */
	arm64_colour_switch(dst_pages, (uint64_t)(uintptr_t)__image_start, copy_pages,
			    sync_area->root);
	__atomic_store_n(&sync_area->go, 1u, __ATOMIC_RELEASE);
	arch_send_event();
	mmu_set_root(new_root);
	/* Each parked CPU runs from the old image until it has switched. */
	if (!wait_count(&sync_area->done, others, "switched"))
		return BH_ERR_TIMEOUT;
	TRY(poison_old_image());
	if (!moved_map_checks()) {
		log_printf("error: hypervisor colours: the moved image is not mapped as built\n");
		return BH_ERR_INVALID;
	}
	log_printf("hypervisor: coloured, its %llu KiB image moved to pages of its colours in "
		   "0x%016llx-0x%016llx (mapped only at its own addresses, W^X kept: checked); "
		   "the old image's pages are poisoned\n",
		   (unsigned long long)(arch_hyp_colour_size() >> 10), (unsigned long long)span_at,
		   (unsigned long long)(span_at + span_bytes - 1u));
	return BH_OK;
}

void arch_hyp_colour_poll(void)
{
	struct colour_sync *s = __atomic_load_n(&sync_area, __ATOMIC_ACQUIRE);

	if (s == NULL || __atomic_load_n(&s->request, __ATOMIC_ACQUIRE) == 0u ||
	    read_sysreg(ttbr0_el2) == s->root)
		return;
	arm64_colour_park(s);
}
