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

/*
 * A walk over every physical range something owns: the hypervisor, its
 * device tree, partitions' memory (a coloured region's whole span), boot
 * modules, channels, and the firmware's reserved memory. Each range is
 * read from where it is described, once per candidate gap, rather than
 * copied into a table: a table big enough for any device tree cost the
 * image 4.8 KB of .bss and still had a limit; this runs once, at boot,
 * and only for a coloured system.
 */
enum used_step { USED_HYP, USED_SPAN, USED_FDT, USED_PARTS, USED_MEMRSV, USED_RESERVED, USED_END };

struct used_walk {
	enum used_step step;
	unsigned int part; /* USED_PARTS: the partition */
	unsigned int item; /* its range (used_in_partition), or the /memreserve/ entry,
			    * or the `reg` entry of the /reserved-memory child */
	int node;          /* USED_RESERVED: the child (disabled ones too: free RAM
			    * for nobody is the safe reading) */
};

/* A partition's @item-th range: its memory, its three modules (size 0 if
 * absent), its channels; false past the last. */
static bool used_in_partition(const struct partition_config *pc, unsigned int item,
			      struct mem_range *r)
{
	unsigned int i = item;

	if (i < pc->mem_count) {
		*r = (struct mem_range){pc->mem[i].pa, pc->mem[i].span};
		return true;
	}
	i -= pc->mem_count;
	if (i < 3u) {
		const struct partition_module *m = &pc->dtb;

		if (i == 0u)
			m = &pc->kernel;
		else if (i == 1u)
			m = &pc->ramdisk;
		else
			m = &pc->dtb;
		*r = m->present ? (struct mem_range){m->pa, m->size} : (struct mem_range){0, 0};
		return true;
	}
	i -= 3u;
	if (i < pc->chan_count) {
		*r = (struct mem_range){pc->chan[i].pa, pc->chan[i].size};
		return true;
	}
	return false;
}

/* The first child of /reserved-memory; negative if there is none. */
static int first_reserved(const void *fdt)
{
	int parent = dt_path_offset(fdt, "/reserved-memory", 16);

	return parent < 0 ? parent : fdt_first_subnode(fdt, parent);
}

/* One step of the walk: true with @r set (maybe empty) if the step had a
 * range, false if it only moved on. */
static bool used_step(const struct table_carve_in *in, struct used_walk *w, struct mem_range *r)
{
	bool have = false;
	uint64_t fdt_base = ALIGN_DOWN(in->fdt_pa, PAGE_SIZE);

	switch (w->step) {
	case USED_HYP:
		*r = (struct mem_range){in->hyp.base, in->hyp.size};
		have = true;
		w->step = USED_SPAN;
		break;
	case USED_SPAN:
		*r = in->hyp_span;
		have = true;
		w->step = USED_FDT;
		break;
	case USED_FDT:
		*r = (struct mem_range){fdt_base,
					ALIGN_UP(in->fdt_pa + in->fdt_size, PAGE_SIZE) - fdt_base};
		have = true;
		w->step = USED_PARTS;
		break;
	case USED_PARTS:
		if (w->part < in->sys->count &&
		    used_in_partition(&in->sys->part[w->part], w->item, r)) {
			have = true;
			w->item++;
		} else if (w->part < in->sys->count) {
			w->part++;
			w->item = 0;
		} else {
			w->step = USED_MEMRSV;
			w->item = 0;
		}
		break;
	case USED_MEMRSV:
		if ((int)w->item < fdt_num_mem_rsv(in->fdt)) {
			have = fdt_get_mem_rsv(in->fdt, (int)w->item, &r->base, &r->size) == 0;
			w->item++;
		} else {
			w->step = USED_RESERVED;
			w->item = 0;
			w->node = first_reserved(in->fdt);
		}
		break;
	case USED_RESERVED:
		if (w->node < 0) {
			w->step = USED_END;
		} else if (fdt_node_reg(in->fdt, w->node, (int)w->item, r) == BH_OK) {
			have = true;
			w->item++;
		} else {
			w->node = fdt_next_subnode(in->fdt, w->node);
			w->item = 0;
		}
		break;
	default:
		break;
	}
	return have;
}

/* The walk's next non-empty range; false at its end. */
static bool used_next(const struct table_carve_in *in, struct used_walk *w, struct mem_range *r)
{
	while (w->step != USED_END) {
		if (used_step(in, w, r) && r->size != 0u)
			return true;
	}
	return false;
}

static bool overlaps(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
	return a < b + bs && b < a + as;
}

static bool is_free(const struct table_carve_in *in, uint64_t base, uint64_t size)
{
	struct used_walk w = {USED_HYP, 0, 0, -1};
	struct mem_range u;
	bool in_ram = false;

	for (unsigned int i = 0; i < in->p->ram_count; i++) {
		const struct mem_range *r = &in->p->ram[i];

		if (base >= r->base && base + size <= r->base + r->size)
			in_ram = true;
	}
	while (in_ram && used_next(in, &w, &u)) {
		if (overlaps(base, size, u.base, u.size))
			in_ram = false;
	}
	return in_ram;
}

/* Whether [@top - @size, @top), aligned down, is free and higher than the
 * best so far (*@found, *@base); if so it becomes the best. */
static void try_top(const struct table_carve_in *in, uint64_t top, uint64_t size, uint64_t align,
		    bool *found, uint64_t *base)
{
	uint64_t at = ALIGN_DOWN(ALIGN_DOWN(top, align) - size, align);

	if (ALIGN_DOWN(top, align) < size || (*found && at <= *base) || !is_free(in, at, size))
		return;
	*base = at;
	*found = true;
}

/* Highest first: the top of a free gap is a RAM range's end or the start of
 * something used, so those are the only places to try. */
static bool find_free(const struct table_carve_in *in, uint64_t size, uint64_t align,
		      uint64_t *base)
{
	struct used_walk w = {USED_HYP, 0, 0, -1};
	struct mem_range u;
	bool found = false;

	for (unsigned int t = 0; t < in->p->ram_count; t++)
		try_top(in, in->p->ram[t].base + in->p->ram[t].size, size, align, &found, base);
	while (used_next(in, &w, &u))
		try_top(in, u.base, size, align, &found, base);
	return found;
}

enum bh_err table_carve(const struct table_carve_in *in, struct mem_range *out)
{
	uint64_t pages = table_pages_all_coloured(in);
	uint64_t base = 0;
	char what[96];

	out->base = 0;
	out->size = 0;
	if (pages == 0u)
		return BH_OK;
	if (find_free(in, pages * PAGE_SIZE, PAGE_SIZE, &base)) {
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
		   "modules, channels and reserved memory (docs/colouring.md)\n",
		   (unsigned long long)(pages * PAGE_SIZE / 1024u));
	return BH_ERR_NO_MEMORY;
}

enum bh_err hyp_span_carve(const struct table_carve_in *in, struct mem_range *out)
{
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
	if (find_free(in, size, way, &base)) {
		out->base = base;
		out->size = size;
		return BH_OK;
	}
	(void)bh_snprintf(what, sizeof(what),
			  "the hypervisor's %llu KiB at %u of %u colours take %llu KiB of free RAM, "
			  "way aligned: RAM has no such gap",
			  (unsigned long long)(in->hyp_copy_size >> 10), sys->hyp_colour_count,
			  sys->llc.colours, (unsigned long long)(size >> 10));
	log_prop_error(in->fdt, dt_node_by_compatible(in->fdt, -1, "bulkhead,hypervisor"),
		       "bulkhead,hypervisor-colours", what);
	return BH_ERR_NO_MEMORY;
}
