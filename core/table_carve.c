// SPDX-License-Identifier: Apache-2.0
/*
 * Translation tables for coloured memory, carved from free RAM at boot;
 * and the physical ITS's and redistributors' LPI tables when a partition
 * has MSI (arch/arm64/gicv3_its.c), which need 64 KiB alignment the
 * image's small pool cannot spare.
 *
 * A coloured partition's memory is mapped with 4 KiB pages (its runs are
 * never block aligned), so each 2 MiB of it takes a last-level table page,
 * and its SMMU stage-1 DMA tables, where the hypervisor builds them, as
 * many again. The pool in the image is fixed (HYP_PT_PAGES): sized for the
 * hypervisor's own tables and uncoloured partitions, it would cap coloured
 * memory at a build-time constant. So after the configuration is validated
 * the boot works out what the coloured partitions need and adds a region of
 * that size, taken from RAM that nothing else uses, to the pool; on a
 * machine whose RAM has no such gap, it says so by partition and starts
 * nothing. The same region holds the 64 KiB in which a coloured partition's
 * device tree is built (core/partition.c): only a coloured system needs
 * it, so no other pays for it in the image's .bss.
 */

#include <libfdt.h>

#include <bulkhead/arch.h>
#include <bulkhead/colour.h>
#include <bulkhead/console.h>
#include <bulkhead/dt.h>
#include <bulkhead/table_carve.h>

#define L3_SHIFT 21u /* a last-level table maps 2 MiB */
#define L2_SHIFT 30u
#define L1_SHIFT 39u
/* A stage-2 root may be two concatenated pages, aligned to two. */
#define ROOT_PAGES 3u
#define MAX_USED (2u + MAX_PARTITIONS * (MAX_PARTITION_MEM + 3u + MAX_PARTITION_CHANNELS) + 64u)

/* Tables of one level a 4 KiB mapping of [base, base + size) touches. */
static uint64_t windows(uint64_t base, uint64_t size, unsigned int shift)
{
	return ((base + size - 1u) >> shift) - (base >> shift) + 1u;
}

uint64_t table_pages_coloured(const struct partition_config *pc)
{
	uint64_t pages = ROOT_PAGES;

	if (pc->colour_count == 0u)
		return 0;
	for (unsigned int i = 0; i < pc->mem_count; i++) {
		const struct partition_mem *m = &pc->mem[i];

		pages += windows(m->ipa, m->size, L3_SHIFT) + windows(m->ipa, m->size, L2_SHIFT) +
			 windows(m->ipa, m->size, L1_SHIFT);
	}
	/* Its DMA streams' stage-1 tables map the same pages again. */
	return pc->stream_count != 0u ? 2u * pages : pages;
}

uint64_t hyp_colour_table_pages(const struct mem_range *span)
{
	if (span->size == 0u)
		return 0;
	return HYP_COLOUR_TABLE_PAGES + windows(span->base, span->size, L3_SHIFT) +
	       windows(span->base, span->size, L2_SHIFT) + windows(span->base, span->size, L1_SHIFT);
}

static uint64_t pow2_up(uint64_t n)
{
	uint64_t p = 1;

	while (p < n)
		p <<= 1;
	return p;
}

/* The LPI tables' pages (table_carve.h says which). */
static uint64_t table_pages_lpi(const struct system_config *sys)
{
	uint64_t pages = 0;
	uint64_t devices = 0;

	for (unsigned int i = 0; i < sys->count; i++) {
		const struct partition_config *pc = &sys->part[i];
		bool msi = false;

		for (unsigned int s = 0; s < pc->stream_count; s++) {
			if (pc->streams[s].its_devid < 0)
				continue;
			msi = true;
			devices++;
		}
		/* Its CPUs' pending tables, and a page for its virtual ITS; on
		 * a GICv4 (not known here: counted always) each CPU's vPE
		 * pending table beside its own (a 32-page aligned pair, after
		 * the odd pages before it: the slack) and the vLPI
		 * configuration. */
		if (msi)
			pages += ((uint64_t)2u * LPI_PEND_PAGES * pc->cpu_count) + 1u + LPI_PROP_PAGES +
				 (2u * LPI_PEND_PAGES) - 1u;
	}
	if (devices == 0u)
		return 0;
	/* The configuration table, the command queue, the collection table
	 * (a page or two), the vPE table, an ITT per device, a flat device
	 * table for DeviceIDs up to LPI_MAX_DEVID. */
	return pages + LPI_PROP_PAGES + 4u + devices +
	       pow2_up((LPI_MAX_DEVID + 1u) * LPI_DTE_MAX_BYTES / PAGE_SIZE);
}

/* Coloured partitions' tables and, if there are any, the device-tree
 * scratch; and the LPI tables of partitions with MSI. */
uint64_t table_carve_pages(const struct system_config *sys)
{
	uint64_t pages = 0;

	for (unsigned int i = 0; i < sys->count; i++)
		pages += table_pages_coloured(&sys->part[i]);
	if (pages != 0u)
		pages += COLOUR_DT_SCRATCH_PAGES;
	return pages + table_pages_lpi(sys);
}

/* The coloured partitions' share (table_carve_pages) and the coloured
 * hypervisor's tables. */
static uint64_t table_pages_all_coloured(const struct table_carve_in *in)
{
	return hyp_colour_table_pages(&in->hyp_span) + table_carve_pages(in->sys);
}

struct used_list {
	struct mem_range r[MAX_USED];
	unsigned int count;
	bool overflow;
};

static void add(struct used_list *u, uint64_t base, uint64_t size)
{
	if (size == 0u)
		return;
	if (u->count == MAX_USED) {
		u->overflow = true;
		return;
	}
	u->r[u->count] = (struct mem_range){base, size};
	u->count++;
}

static void add_module(struct used_list *u, const struct partition_module *m)
{
	if (m->present)
		add(u, m->pa, m->size);
}

/* Every physical range something owns: the hypervisor, its device tree,
 * partitions' memory (a coloured region's whole span), boot modules,
 * channels, and the firmware's reserved memory. */
static void collect_used(const struct table_carve_in *in, struct used_list *u)
{
	u->count = 0;
	u->overflow = false;
	add(u, in->hyp.base, in->hyp.size);
	add(u, in->hyp_span.base, in->hyp_span.size);
	add(u, ALIGN_DOWN(in->fdt_pa, PAGE_SIZE),
	    ALIGN_UP(in->fdt_pa + in->fdt_size, PAGE_SIZE) - ALIGN_DOWN(in->fdt_pa, PAGE_SIZE));
	for (unsigned int i = 0; i < in->sys->count; i++) {
		const struct partition_config *pc = &in->sys->part[i];

		for (unsigned int m = 0; m < pc->mem_count; m++)
			add(u, pc->mem[m].pa, pc->mem[m].span);
		add_module(u, &pc->kernel);
		add_module(u, &pc->ramdisk);
		add_module(u, &pc->dtb);
		for (unsigned int c = 0; c < pc->chan_count; c++)
			add(u, pc->chan[c].pa, pc->chan[c].size);
	}
	for (int i = 0; i < fdt_num_mem_rsv(in->fdt); i++) {
		uint64_t base;
		uint64_t size;

		if (fdt_get_mem_rsv(in->fdt, i, &base, &size) == 0)
			add(u, base, size);
	}
	int parent = dt_path_offset(in->fdt, "/reserved-memory", 16);
	int node;

	if (parent < 0)
		return;
	fdt_for_each_subnode(node, in->fdt, parent) {
		struct mem_range r;

		/* Disabled ones too: free RAM for nobody is the safe reading. */
		for (int k = 0; fdt_node_reg(in->fdt, node, k, &r) == BH_OK; k++)
			add(u, r.base, r.size);
	}
}

static bool overlaps(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
	return a < b + bs && b < a + as;
}

static bool is_free(const struct table_carve_in *in, const struct used_list *u, uint64_t base,
		    uint64_t size)
{
	bool in_ram = false;

	for (unsigned int i = 0; i < in->p->ram_count; i++) {
		const struct mem_range *r = &in->p->ram[i];

		if (base >= r->base && base + size <= r->base + r->size)
			in_ram = true;
	}
	for (unsigned int i = 0; in_ram && i < u->count; i++) {
		if (overlaps(base, size, u->r[i].base, u->r[i].size))
			in_ram = false;
	}
	return in_ram;
}

/* Highest first: the top of a free gap is a RAM range's end or the start of
 * something used, so those are the only places to try. */
static bool find_free(const struct table_carve_in *in, const struct used_list *u, uint64_t size,
		      uint64_t align, uint64_t *base)
{
	bool found = false;
	unsigned int tries = in->p->ram_count + u->count;

	for (unsigned int t = 0; t < tries; t++) {
		uint64_t top = t < in->p->ram_count ? in->p->ram[t].base + in->p->ram[t].size
						    : u->r[t - in->p->ram_count].base;
		uint64_t at = ALIGN_DOWN(ALIGN_DOWN(top, align) - size, align);

		if (ALIGN_DOWN(top, align) < size || (found && at <= *base) || !is_free(in, u, at, size))
			continue;
		*base = at;
		found = true;
	}
	return found;
}

enum bh_err table_carve(const struct table_carve_in *in, struct mem_range *out)
{
	static struct used_list used; /* boot CPU only, once: off the small stack */
	uint64_t pages = table_pages_all_coloured(in);
	uint64_t base = 0;
	char what[96];

	out->base = 0;
	out->size = 0;
	if (pages == 0u)
		return BH_OK;
	collect_used(in, &used);
	if (!used.overflow && find_free(in, &used, pages * PAGE_SIZE, PAGE_SIZE, &base)) {
		out->base = base;
		out->size = pages * PAGE_SIZE;
		return BH_OK;
	}
	for (unsigned int i = 0; i < in->sys->count; i++) {
		const struct partition_config *pc = &in->sys->part[i];

		if (pc->colour_count == 0u)
			continue;
		(void)bh_snprintf(what, sizeof(what),
			       "its coloured memory's translation tables take %llu KiB "
			       "(a 4 KiB page per 2 MiB)",
			       (unsigned long long)(table_pages_coloured(pc) * PAGE_SIZE / 1024u));
		log_prop_error(in->fdt, pc->node, "bulkhead,colours", what);
	}
	if (in->hyp_span.size != 0u) {
		(void)bh_snprintf(what, sizeof(what),
				  "the hypervisor's moved image takes %llu KiB of translation tables",
				  (unsigned long long)(hyp_colour_table_pages(&in->hyp_span) * PAGE_SIZE /
						       1024u));
		log_prop_error(in->fdt, dt_node_by_compatible(in->fdt, -1, "bulkhead,hypervisor"),
			       "bulkhead,hypervisor-colours", what);
	}
	/* Under LOG_LINE_MAX (256) whatever the figure. */
	log_printf("error: no free RAM range of %llu KiB for coloured partitions' translation "
		   "tables and DT scratch: none outside the hypervisor, its DT, partitions' memory, "
		   "modules, channels and reserved memory%s (docs/colouring.md)\n",
		   (unsigned long long)(pages * PAGE_SIZE / 1024u),
		   used.overflow ? " (too many used ranges to tell)" : "");
	return BH_ERR_NO_MEMORY;
}

enum bh_err hyp_span_carve(const struct table_carve_in *in, struct mem_range *out)
{
	static struct used_list used; /* boot CPU only, once: off the small stack */
	const struct system_config *sys = in->sys;
	const uint64_t way = (uint64_t)sys->llc.colours * PAGE_SIZE;
	uint64_t base = 0;
	uint64_t size;
	char what[128];

	out->base = 0;
	out->size = 0;
	if (sys->hyp_colour_count == 0u || in->hyp_copy_size == 0u)
		return BH_OK;
	size = colour_span_pages(sys->hyp_colour_count, sys->llc.colours, in->hyp_copy_size);
	collect_used(in, &used);
	if (!used.overflow && find_free(in, &used, size, way, &base)) {
		out->base = base;
		out->size = size;
		return BH_OK;
	}
	(void)bh_snprintf(what, sizeof(what),
			  "the hypervisor's %llu KiB at %u of %u colours take %llu KiB of free RAM, "
			  "way aligned: RAM has no such gap%s",
			  (unsigned long long)(in->hyp_copy_size >> 10), sys->hyp_colour_count,
			  sys->llc.colours, (unsigned long long)(size >> 10),
			  used.overflow ? " (too many used ranges to tell)" : "");
	log_prop_error(in->fdt, dt_node_by_compatible(in->fdt, -1, "bulkhead,hypervisor"),
		       "bulkhead,hypervisor-colours", what);
	return BH_ERR_NO_MEMORY;
}
