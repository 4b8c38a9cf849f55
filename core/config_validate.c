// SPDX-License-Identifier: Apache-2.0
/*
 * Checks between partitions and against the machine: nothing may be shared
 * (CPU, memory, device or a device's page, interrupt), memory must be RAM
 * that neither the hypervisor nor a boot module uses, each partition's
 * guest-physical map must be unambiguous, and a partition with a device
 * that does DMA must see its memory at its host addresses.
 */

#include <string.h>

#include <libfdt.h>

#include <bulkhead/console.h>
#include <bulkhead/dt.h>

#include "config_internal.h"

bool config_ranges_overlap(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
	return a < b + bs && b < a + as;
}

static bool in_ram(const struct platform *p, uint64_t base, uint64_t size)
{
	for (unsigned int i = 0; i < p->ram_count; i++) {
		const struct mem_range *r = &p->ram[i];

		if (base >= r->base && base + size <= r->base + r->size)
			return true;
	}
	return false;
}

bool config_in_ram(const struct platform *p, uint64_t base, uint64_t size)
{
	return in_ram(p, base, size);
}

static bool overlaps_ram(const struct platform *p, uint64_t base, uint64_t size)
{
	for (unsigned int i = 0; i < p->ram_count; i++) {
		if (config_ranges_overlap(base, size, p->ram[i].base, p->ram[i].size))
			return true;
	}
	return false;
}

static void check_names_and_cpus(struct config_ctx *c)
{
	const struct system_config *s = c->out;
	/* Each CPU's first partition (index + 1; 0: none yet): one pass over
	 * every partition's CPUs instead of comparing each pair of lists. */
	uint8_t owner[MAX_CPUS] = {0};
	char path[CONFIG_PATH_MAX];

	for (unsigned int i = 0; i < s->count; i++) {
		const struct partition_config *a = &s->part[i];

		for (unsigned int j = 0; j < i; j++) {
			if (a->name[0] != '\0' && strcmp(a->name, s->part[j].name) == 0)
				config_error(c, CFG_ERR_DUPLICATE_NAME, a->node, "",
					     "name '%s' is already used by another partition", a->name);
		}
		for (unsigned int x = 0; x < a->cpu_count; x++) {
			const unsigned int o = owner[a->cpus[x]];

			if (o == i + 1u)
				config_error(c, CFG_ERR_CPU_SHARED, a->node, "cpus",
					     "the same CPU is listed twice");
			else if (o != 0u)
				config_error(c, CFG_ERR_CPU_SHARED, a->node, "cpus",
					     "%s is already in partition '%s'",
					     config_node_path(c, c->p->cpus[a->cpus[x]].node, path,
							      sizeof(path)),
					     s->part[o - 1u].name);
			else
				owner[a->cpus[x]] = (uint8_t)(i + 1u);
		}
	}
}

static void check_module_placement(struct config_ctx *c, const struct partition_config *pc)
{
	const struct partition_module *mods[] = {&pc->kernel, &pc->ramdisk, &pc->dtb};

	for (unsigned int i = 0; i < ARRAY_SIZE(mods); i++) {
		if (mods[i]->present && !in_ram(c->p, mods[i]->pa, mods[i]->size))
			config_error(c, CFG_ERR_MODULE_OUTSIDE_RAM, pc->node, "",
				     "boot module at 0x%llx (%llu bytes) is not in RAM",
				     (unsigned long long)mods[i]->pa,
				     (unsigned long long)mods[i]->size);
	}
}

/* Whether the host range of @h overlaps [base, base + size), kept in *@at. */
static bool hits(const struct host_range *h, uint64_t base, uint64_t size, struct mem_range *at)
{
	*at = (struct mem_range){base, size};
	return config_ranges_overlap(h->base, h->size, base, size);
}

/* What of partition @i (@pc) the host range of @h overlaps, of what @h
 * checks; NULL if nothing. */
static const char *host_clash_in(const struct host_range *h, unsigned int i,
				 const struct partition_config *pc, struct mem_range *at,
				 enum config_error_kind *kind)
{
	const struct partition_module *mods[] = {&pc->kernel, &pc->ramdisk, &pc->dtb};

	*kind = CFG_ERR_MEM_OVERLAP;
	for (unsigned int m = 0; m < pc->mem_count && (h->checks & HOST_MEMORY) != 0u; m++) {
		if (hits(h, pc->mem[m].pa, pc->mem[m].span, at))
			return "memory";
	}
	/* Channels once (each is in both ends' chan[]): at the lower end. */
	for (unsigned int e = 0; e < pc->chan_count; e++) {
		const struct partition_channel *o = &pc->chan[e];

		if (o->id < h->channels_before && o->peer > i && hits(h, o->pa, o->size, at))
			return "a channel region";
	}
	for (unsigned int f = 0; f < pc->flash_count && (h->checks & HOST_FLASH) != 0u; f++) {
		const struct partition_flash *o = &pc->flash[f];

		if (o != h->self && hits(h, o->pa, o->size, at))
			return "a flash region";
		if (o->image.present && hits(h, o->image.pa, o->image.size, at))
			return "a flash image";
	}
	*kind = CFG_ERR_MEM_OVER_MODULE;
	for (unsigned int k = 0; k < ARRAY_SIZE(mods); k++) {
		if (mods[k]->present && hits(h, mods[k]->pa, mods[k]->size, at))
			return "a boot module";
	}
	return NULL;
}

void config_check_host(struct config_ctx *c, const struct host_range *h)
{
	const char *what = NULL;
	const char *owner = NULL;
	struct mem_range at = {0, 0};
	enum config_error_kind kind = CFG_ERR_MEM_OVER_HYPERVISOR;

	if (!in_ram(c->p, h->base, h->size)) {
		config_error(c, CFG_ERR_MEM_OUTSIDE_RAM, h->node, h->prop,
			     "0x%llx-0x%llx is not inside one RAM range", (unsigned long long)h->base,
			     (unsigned long long)(h->base + h->size - 1u));
		return;
	}
	if (c->hyp != NULL && hits(h, c->hyp->base, c->hyp->size, &at))
		what = "the hypervisor";
	for (unsigned int i = 0; i < c->out->count && what == NULL; i++) {
		owner = c->out->part[i].name;
		what = host_clash_in(h, i, &c->out->part[i], &at, &kind);
	}
	if (what == NULL)
		return;
	if (h->kind != CFG_ERR_MEM_OVERLAP)
		kind = h->kind;
	/* One format, the owner's part empty for the hypervisor: one call
	 * where two would each cost their code and their string. */
	config_error(c, kind, h->node, h->prop, "0x%llx-0x%llx overlaps %s%s%s%s at 0x%llx-0x%llx",
		     (unsigned long long)h->base, (unsigned long long)(h->base + h->size - 1u), what,
		     owner != NULL ? " of '" : "", owner != NULL ? owner : "",
		     owner != NULL ? "'" : "", (unsigned long long)at.base,
		     (unsigned long long)(at.base + at.size - 1u));
}

/* Memory of @pc against RAM, the hypervisor, modules and the memory of
 * partitions before it (and its own regions before each). */
static void check_memory(struct config_ctx *c, unsigned int index)
{
	const struct system_config *s = c->out;
	const struct partition_config *pc = &s->part[index];

	for (unsigned int m = 0; m < pc->mem_count; m++) {
		const struct partition_mem *r = &pc->mem[m];

		/* Physically a region owns its span (coloured: the pages of its
		 * colours in it, which other colours' spans may interleave). */
		const uint64_t span = r->span;
		const struct host_range h = {pc->node, "memory", r->pa, span, 0, 0, NULL,
					     CFG_ERR_MEM_OVERLAP};

		if (span == 0u)
			continue;
		config_check_host(c, &h);
		for (unsigned int o = 0; o <= index; o++) {
			const struct partition_config *other = &s->part[o];
			unsigned int limit = o < index ? other->mem_count : m;

			for (unsigned int n = 0; n < limit; n++) {
				if (config_ranges_overlap(r->pa, span, other->mem[n].pa, other->mem[n].span) &&
				    !config_colours_disjoint(pc, other))
					config_error(c, CFG_ERR_MEM_OVERLAP, pc->node, "memory",
						     "0x%llx-0x%llx overlaps memory of '%s'",
						     (unsigned long long)r->pa,
						     (unsigned long long)(r->pa + span - 1), other->name);
			}
		}
	}
}

static bool overlaps_pages(uint64_t a, uint64_t as, uint64_t base, uint64_t size)
{
	uint64_t start = ALIGN_DOWN(base, PAGE_SIZE);

	return config_ranges_overlap(a, as, start, ALIGN_UP(base + size, PAGE_SIZE) - start);
}

const char *config_guest_clash(const struct config_ctx *c, const struct partition_config *pc,
			       uint64_t base, uint64_t size, unsigned int mem, unsigned int flash,
			       unsigned int chans)
{
	for (unsigned int m = 0; m < mem; m++) {
		if (config_ranges_overlap(base, size, pc->mem[m].ipa, pc->mem[m].size))
			return "the partition's memory";
	}
	for (unsigned int d = 0; d < pc->device_count; d++) {
		for (unsigned int g = 0; g < pc->devices[d].reg_count; g++) {
			const struct mem_range *reg = &pc->devices[d].regs[g];

			if (!pc->devices[d].io_ports && overlaps_pages(base, size, reg->base, reg->size))
				return "a passthrough device";
		}
	}
	if (pc->console == PARTITION_CONSOLE_VUART && c->p->console.size != 0u &&
	    !c->p->console_io && overlaps_pages(base, size, c->p->console.base, c->p->console.size))
		return "the virtual UART";
	for (unsigned int f = 0; f < flash; f++) {
		if (config_ranges_overlap(base, size, pc->flash[f].ipa, pc->flash[f].size))
			return "a flash region";
	}
	for (unsigned int e = 0; e < chans; e++) {
		const struct partition_channel *o = &pc->chan[e];

		if (config_ranges_overlap(base, size, o->ipa, o->size) ||
		    (o->doorbell_ipa != 0u && overlaps_pages(base, size, o->doorbell_ipa, 1)))
			return "another channel";
	}
	return NULL;
}

static void check_guest_map(struct config_ctx *c, const struct partition_config *pc)
{
	for (unsigned int m = 0; m < pc->mem_count; m++) {
		const struct partition_mem *r = &pc->mem[m];
		const char *what = config_guest_clash(c, pc, r->ipa, r->size, 0, 0, 0);

		for (unsigned int n = 0; n < m; n++) {
			if (config_ranges_overlap(r->ipa, r->size, pc->mem[n].ipa, pc->mem[n].size))
				config_error(c, CFG_ERR_IPA_OVERLAP, pc->node, "memory-guest-base",
					     "guest ranges of regions %u and %u overlap", n, m);
		}
		if (what != NULL)
			config_error(c, CFG_ERR_IPA_OVERLAP, pc->node, "memory",
				     "guest range 0x%llx-0x%llx overlaps %s", (unsigned long long)r->ipa,
				     (unsigned long long)(r->ipa + r->size - 1u), what);
	}
}

/* Whether @a's registers share a 4 KiB page with [base, base + size). */
static bool shares_page_with(const struct partition_device *a, uint64_t base, uint64_t size)
{
	uint64_t start = ALIGN_DOWN(base, PAGE_SIZE);
	uint64_t end = ALIGN_UP(base + size, PAGE_SIZE);

	for (unsigned int i = 0; i < a->reg_count; i++) {
		uint64_t a_start = ALIGN_DOWN(a->regs[i].base, PAGE_SIZE);
		uint64_t a_end = ALIGN_UP(a->regs[i].base + a->regs[i].size, PAGE_SIZE);

		if (config_ranges_overlap(a_start, a_end - a_start, start, end - start))
			return true;
	}
	return false;
}

/* Stage 2 maps whole pages: devices on one page cannot be kept apart.
 * I/O ports (x86) are granted one by one and never share a page with
 * memory-mapped registers. */
static bool share_a_page(const struct partition_device *a, const struct partition_device *b)
{
	if (a->io_ports != b->io_ports)
		return false;
	for (unsigned int j = 0; j < b->reg_count; j++) {
		if (a->io_ports) {
			for (unsigned int i = 0; i < a->reg_count; i++) {
				if (config_ranges_overlap(a->regs[i].base, a->regs[i].size, b->regs[j].base,
					    b->regs[j].size))
					return true;
			}
			continue;
		}
		if (shares_page_with(a, b->regs[j].base, b->regs[j].size))
			return true;
	}
	return false;
}

/*
 * The DT properties that mark a bus master: without an IOMMU, its DMA uses
 * the addresses the guest gives it as host physical addresses. A master the
 * DT does not mark is not caught here (docs/passthrough.md).
 */
static const char *dma_hint(const void *fdt, int node)
{
	static const char *const hints[] = {"dma-coherent", "dma-noncoherent", "iommus"};

	for (unsigned int i = 0; i < ARRAY_SIZE(hints); i++) {
		if (dt_getprop(fdt, node, hints[i], NULL) != NULL)
			return hints[i];
	}
	return NULL;
}

static void check_dma(struct config_ctx *c, const struct partition_config *pc)
{
	char path[CONFIG_PATH_MAX];

	for (unsigned int d = 0; d < pc->device_count; d++) {
		const char *hint = dma_hint(c->fdt, pc->devices[d].node);

		if (hint == NULL || pc->devices[d].dma_translated)
			continue;
		if (pc->colour_count != 0u) {
			config_error(c, CFG_ERR_DMA_NOT_IDENTITY, pc->node, "bulkhead,colours",
				     "%s does DMA (%s) without an SMMU: a coloured partition's "
				     "memory is not at its host addresses",
				     config_node_path(c, pc->devices[d].node, path, sizeof(path)), hint);
			return;
		}
		for (unsigned int m = 0; m < pc->mem_count; m++) {
			if (pc->mem[m].ipa == pc->mem[m].pa)
				continue;
			config_error(c, CFG_ERR_DMA_NOT_IDENTITY, pc->node, "memory-guest-base",
				     "%s does DMA (%s): region %u must be at its host address 0x%llx, "
				     "not 0x%llx",
				     config_node_path(c, pc->devices[d].node, path, sizeof(path)), hint,
				     m, (unsigned long long)pc->mem[m].pa,
				     (unsigned long long)pc->mem[m].ipa);
			return; /* one error per partition says it all */
		}
	}
}

static void check_devices(struct config_ctx *c, unsigned int index)
{
	const struct system_config *s = c->out;
	const struct partition_config *pc = &s->part[index];
	char path[CONFIG_PATH_MAX];

	for (unsigned int d = 0; d < pc->device_count; d++) {
		const struct partition_device *dev = &pc->devices[d];

		(void)config_node_path(c, dev->node, path, sizeof(path));
		/* The console's INTID is every partition's virtual UART interrupt. */
		for (unsigned int i = 0; i < dev->irq_count; i++) {
			if (c->p->console_irq != 0 && dev->irqs[i] == c->p->console_irq)
				config_error(c, CFG_ERR_IRQ_SHARED, pc->node, "devices",
					     "%s: interrupt %u is the console UART's (the virtual UART "
					     "interrupt of every partition)", path, dev->irqs[i]);
		}
		if (c->p->console.size != 0 && !dev->io_ports && !c->p->console_io &&
		    shares_page_with(dev, c->p->console.base, c->p->console.size))
			config_error(c, CFG_ERR_DEVICE_RESERVED, pc->node, "devices",
				     "%s shares a 4 KiB page with the hypervisor's console UART", path);
		for (unsigned int g = 0; g < dev->reg_count; g++) {
			if (!dev->io_ports && overlaps_ram(c->p, dev->regs[g].base, dev->regs[g].size))
				config_error(c, CFG_ERR_DEVICE_MEM_OVERLAP, pc->node, "devices",
					     "%s has registers inside RAM", path);
		}
		for (unsigned int o = 0; o <= index; o++) {
			const struct partition_config *other = &s->part[o];
			unsigned int limit = o < index ? other->device_count : d;

			for (unsigned int e = 0; e < limit; e++) {
				const struct partition_device *od = &other->devices[e];

				if (od->node == dev->node) {
					config_error(c, CFG_ERR_DEVICE_SHARED, pc->node, "devices",
						     "%s is already assigned to '%s'", path, other->name);
					continue;
				}
				if (dev->pci_function && od->pci_function && dev->pci_rid == od->pci_rid)
					config_error(c, CFG_ERR_DEVICE_SHARED, pc->node, "devices",
						     "%s: PCI function %02x:%02x.%u is also a device of '%s'",
						     path, dev->pci_rid >> 8, (dev->pci_rid >> 3) & 0x1fu,
						     dev->pci_rid & 7u, other->name);
				if (o < index && share_a_page(dev, od)) {
					char other_path[CONFIG_PATH_MAX];

					config_error(c, CFG_ERR_DEVICE_SHARED, pc->node, "devices",
						     "%s shares a 4 KiB page with %s of '%s'", path,
						     config_node_path(c, od->node, other_path,
								      sizeof(other_path)),
						     other->name);
				}
				for (unsigned int i = 0; i < dev->irq_count; i++) {
					for (unsigned int j = 0; j < od->irq_count; j++) {
						if (dev->irqs[i] == od->irqs[j])
							config_error(c, CFG_ERR_IRQ_SHARED, pc->node,
								     "devices",
								     "%s: interrupt %u is also used by a device of '%s'",
								     path, dev->irqs[i], other->name);
					}
				}
			}
		}
	}
}

/* A DMA stream is one partition's: two devices (of one partition or two)
 * naming the same stream would let one reach the other's memory. */
static void check_streams(struct config_ctx *c, unsigned int index)
{
	const struct partition_config *pc = &c->out->part[index];
	char path[CONFIG_PATH_MAX];

	for (unsigned int s = 0; s < pc->stream_count; s++) {
		const struct partition_stream *a = &pc->streams[s];

		for (unsigned int j = 0; j <= index; j++) {
			const struct partition_config *other = &c->out->part[j];
			unsigned int end = j == index ? s : other->stream_count;

			for (unsigned int t = 0; t < end; t++) {
				if (other->streams[t].iommu != a->iommu || other->streams[t].id != a->id)
					continue;
				config_error(c, CFG_ERR_DEVICE_SHARED, pc->node,
					     a->pci_rid >= 0 ? "pci-functions" : "devices",
					     "DMA stream 0x%x at %s is also %s's", a->id,
					     config_node_path(c, a->iommu, path, sizeof(path)),
					     other->name);
				return;
			}
		}
	}
}

void config_validate(struct config_ctx *c)
{
	check_names_and_cpus(c);
	for (unsigned int i = 0; i < c->out->count; i++) {
		const struct partition_config *pc = &c->out->part[i];

		check_module_placement(c, pc);
		check_memory(c, i);
		check_guest_map(c, pc);
		check_devices(c, i);
		check_streams(c, i);
		check_dma(c, pc);
		config_validate_pmu(c, i);
	}
	config_validate_colours(c);
	config_validate_channels(c);
	config_validate_reserved(c);
	config_validate_firmware(c);
}

const char *config_error_kind_name(enum config_error_kind kind)
{
	/* Sized by the last kind (rule 9.5); a kind without a name is "?".
	 * The names in place, not pointers: each pointer would cost 8 bytes
	 * and a 24-byte relocation in the position-independent image. */
	static const char names[CFG_ERR_NO_PMU + 1][24] = {
		[CFG_ERR_NO_HYPERVISOR_NODE] = "no-hypervisor-node",
		[CFG_ERR_NO_PARTITIONS] = "no-partitions",
		[CFG_ERR_TOO_MANY_PARTITIONS] = "too-many-partitions",
		[CFG_ERR_MALFORMED] = "malformed",
		[CFG_ERR_MISSING_PROPERTY] = "missing-property",
		[CFG_ERR_DUPLICATE_NAME] = "duplicate-name",
		[CFG_ERR_BAD_PHANDLE] = "bad-phandle",
		[CFG_ERR_NOT_A_CPU] = "not-a-cpu",
		[CFG_ERR_CPU_SHARED] = "cpu-shared",
		[CFG_ERR_NO_CPUS] = "no-cpus",
		[CFG_ERR_UNALIGNED] = "unaligned",
		[CFG_ERR_ZERO_SIZE] = "zero-size",
		[CFG_ERR_MEM_OUTSIDE_RAM] = "memory-outside-ram",
		[CFG_ERR_MEM_OVER_HYPERVISOR] = "memory-over-hypervisor",
		[CFG_ERR_MEM_OVER_MODULE] = "memory-over-module",
		[CFG_ERR_MEM_OVERLAP] = "memory-overlap",
		[CFG_ERR_IPA_OVERLAP] = "guest-address-overlap",
		[CFG_ERR_NO_KERNEL] = "no-kernel",
		[CFG_ERR_MODULE_OUTSIDE_RAM] = "module-outside-ram",
		[CFG_ERR_KERNEL_TOO_BIG] = "kernel-too-big",
		[CFG_ERR_DEVICE_SHARED] = "device-shared",
		[CFG_ERR_IRQ_SHARED] = "irq-shared",
		[CFG_ERR_DEVICE_MEM_OVERLAP] = "device-memory-overlap",
		[CFG_ERR_DEVICE_RESERVED] = "device-reserved",
		[CFG_ERR_BAD_VALUE] = "bad-value",
		[CFG_ERR_DMA_NOT_IDENTITY] = "dma-not-identity",
		[CFG_ERR_CHANNEL_OVERLAP] = "channel-overlap",
		[CFG_ERR_CHANNEL_PEER] = "channel-peer",
		[CFG_ERR_CHANNEL_SELF] = "channel-self",
		[CFG_ERR_CHANNEL_ADDRESS] = "channel-address",
		[CFG_ERR_CHANNEL_INTID] = "channel-intid",
		[CFG_ERR_MEM_RESERVED] = "memory-reserved",
		[CFG_ERR_RESERVED_SHARED] = "reserved-shared",
		[CFG_ERR_NOT_BUILT] = "not-built",
		[CFG_ERR_NO_CACHE_GEOMETRY] = "no-cache-geometry",
		[CFG_ERR_COLOUR_RANGE] = "colour-range",
		[CFG_ERR_COLOUR_SHARED] = "colour-shared",
		[CFG_ERR_COLOUR_MEMORY] = "colour-memory",
		[CFG_ERR_NO_PMU] = "no-pmu",
	};

	return (unsigned int)kind < ARRAY_SIZE(names) && names[kind][0] != '\0' ? names[kind]
										 : "unknown";
}
