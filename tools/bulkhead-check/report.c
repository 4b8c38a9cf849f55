// SPDX-License-Identifier: Apache-2.0
/*
 * bulkhead-check's explanation of a valid configuration: one block per
 * partition (CPUs, memory guest -> physical, boot modules, devices with
 * their registers and interrupts, console), then the physical address map:
 * every region the configuration gives to someone, sorted, with the RAM
 * nobody owns shown as free.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include <bulkhead/colour.h>
#include <bulkhead/console.h>
#include <bulkhead/dt.h>
#include <bulkhead/table_carve.h>

#include "report.h"

#define GIC_SPI_BASE 32
#define GIC_PPI_BASE 16
#define MAP_MAX 256
#define OWNER_MAX 96

struct map_entry {
	uint64_t base;
	uint64_t size;
	char owner[OWNER_MAX];
};

struct address_map {
	unsigned int count;
	struct map_entry entry[MAP_MAX];
};

/* "16 MiB" when exact, else the bytes in hex and roughly: "0x9048 (~36 KiB)". */
static const char *size_text(uint64_t size, char *buf, size_t len)
{
	static const char *const units[] = {"bytes", "KiB", "MiB", "GiB"};
	unsigned int u = 0;

	while (u < 3 && size != 0 && size % (1ULL << (10 * (u + 1))) == 0)
		u++;
	if (u > 0) {
		snprintf(buf, len, "%llu %s", (unsigned long long)(size >> (10 * u)), units[u]);
		return buf;
	}
	while (u < 3 && size >= (1ULL << (10 * (u + 1))))
		u++;
	if (u == 0)
		snprintf(buf, len, "%llu bytes", (unsigned long long)size);
	else
		snprintf(buf, len, "0x%llx (~%llu %s)", (unsigned long long)size,
			 (unsigned long long)(size >> (10 * u)), units[u]);
	return buf;
}

static const char *node_path(const void *fdt, int node, char *buf, int len)
{
	if (node < 0 || fdt_get_path(fdt, node, buf, len) != 0)
		snprintf(buf, (size_t)len, "?");
	return buf;
}

static void map_add(struct address_map *map, uint64_t base, uint64_t size, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void map_add(struct address_map *map, uint64_t base, uint64_t size, const char *fmt, ...)
{
	va_list ap;

	if (size == 0 || map->count == MAP_MAX)
		return;
	struct map_entry *e = &map->entry[map->count++];

	e->base = base;
	e->size = size;
	va_start(ap, fmt);
	vsnprintf(e->owner, sizeof(e->owner), fmt, ap);
	va_end(ap);
}

static int by_base(const void *a, const void *b)
{
	const struct map_entry *x = a, *y = b;

	if (x->base != y->base)
		return x->base < y->base ? -1 : 1;
	return x->size < y->size ? -1 : x->size > y->size;
}

static void print_irqs(const struct partition_device *d)
{
	if (d->irq_count == 0) {
		printf(", no interrupts");
		return;
	}
	printf(", IRQ");
	for (unsigned int i = 0; i < d->irq_count; i++) {
		uint32_t id = d->irqs[i];

		if (id >= GIC_SPI_BASE)
			printf(" %u (SPI %u)", id, id - GIC_SPI_BASE);
		else if (id >= GIC_PPI_BASE)
			printf(" %u (PPI %u)", id, id - GIC_PPI_BASE);
		else
			printf(" %u (SGI)", id);
	}
}

static void print_module(const char *what, const struct partition_module *m)
{
	char size[48];

	if (!m->present)
		return;
	printf("  %-9s module at 0x%llx, %s\n", what, (unsigned long long)m->pa,
	       size_text(m->size, size, sizeof(size)));
}

/* DMA through an SMMU: each stream, and the PCI function it belongs to. */
static void print_streams(const void *fdt, const struct partition_config *pc)
{
	char iommu[CONFIG_PATH_MAX], master[CONFIG_PATH_MAX];
	bool translated = false;

	for (unsigned int i = 0; i < pc->device_count; i++)
		translated = translated || pc->devices[i].dma_translated;
	if (pc->stream_count == 0 && translated)
		printf("  %-9s none: its devices' DMA is blocked by the SMMU\n", "dma");
	for (unsigned int i = 0; i < pc->stream_count; i++) {
		const struct partition_stream *s = &pc->streams[i];

		node_path(fdt, s->iommu, iommu, sizeof(iommu));
		node_path(fdt, s->master, master, sizeof(master));
		if (s->pci_rid >= 0)
			printf("  %-9s stream 0x%x at %s: PCI %02x:%02x.%x under %s\n",
			       i == 0 ? "dma" : "", s->id, iommu, (unsigned int)s->pci_rid >> 8,
			       ((unsigned int)s->pci_rid >> 3) & 0x1f, (unsigned int)s->pci_rid & 7,
			       master);
		else
			printf("  %-9s stream 0x%x at %s: %s\n", i == 0 ? "dma" : "", s->id, iommu,
			       master);
	}
}

static const char *action_name(enum health_action a)
{
	return a == HEALTH_RESTART ? "restart" : a == HEALTH_STOP ? "stop" : "ignore";
}

/* Only what differs from no policy at all. */
static void print_health(const struct health_config *h)
{
	if (h->watchdog_ms != 0)
		printf("  %-9s watchdog %u ms, then %s\n", "health", h->watchdog_ms,
		       action_name(h->watchdog_action));
	if (h->fault_action != HEALTH_IGNORE)
		printf("  %-9s %u fault(s) in a run, then %s\n", "health", h->fault_limit,
		       action_name(h->fault_action));
	if (h->poweroff_action == HEALTH_RESTART)
		printf("  %-9s power-off restarts\n", "health");
	if (h->restart_limit != 0)
		printf("  %-9s at most %u restart(s) in %u ms, then stop\n", "health", h->restart_limit,
		       h->restart_window_ms);
	for (unsigned int i = 0; i < h->reset_write_count; i++)
		printf("  %-9s on restart, write 0x%x to 0x%llx\n", "health", h->reset_writes[i].value,
		       (unsigned long long)h->reset_writes[i].pa);
}

/* A partition's colours as ranges: "0-3 8 10-11". */
static const char *colours_text(const struct partition_config *pc, char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < pc->colour_count && at < len; i++) {
		unsigned int j = i;

		while (j + 1u < pc->colour_count && pc->colour[j + 1u] == pc->colour[j] + 1u)
			j++;
		at += (size_t)snprintf(buf + at, len - at, j > i ? "%s%u-%u" : "%s%u",
				       i == 0 ? "" : " ", pc->colour[i], pc->colour[j]);
		i = j;
	}
	return buf;
}

/* What colouring makes of the partition's memory: its colours, and how much
 * physical memory its guest memory takes at that colour count. */
static void print_colours(const struct system_config *sys, const struct partition_config *pc)
{
	char text[256];
	char size[48];
	char phys[48];
	uint64_t guest = 0;
	uint64_t span = 0;

	if (pc->colour_count == 0u) {
		if (sys->llc.colours != 0u)
			printf("  %-9s none: its pages have every colour\n", "colours");
		return;
	}
	for (unsigned int i = 0; i < pc->mem_count; i++) {
		guest += pc->mem[i].size;
		span += colour_span_for(pc, pc->mem[i].size);
	}
	printf("  %-9s %s (%u of %u%s): %s of guest memory takes %s of physical memory\n",
	       "colours", colours_text(pc, text, sizeof(text)), pc->colour_count,
	       pc->colours_total, pc->colours_shared ? ", shared" : "",
	       size_text(guest, size, sizeof(size)), size_text(span, phys, sizeof(phys)));
	/* What the boot adds to the table pool for it (core/table_carve.c). */
	printf("  %-9s %s of translation tables (a page per 2 MiB), from free RAM at boot\n",
	       "tables", size_text(table_pages_coloured(pc) * (uint64_t)PAGE_SIZE, size, sizeof(size)));
}

static void print_partition(const void *fdt, const struct platform *p,
			    const struct system_config *sys, const struct partition_config *pc)
{
	char path[CONFIG_PATH_MAX];
	char size[48];

	/* First line kept stable for scripts: "partition NAME: CPUs N M". */
	printf("partition %s: CPUs", pc->name);
	for (unsigned int i = 0; i < pc->cpu_count; i++)
		printf(" %u", pc->cpus[i]);
	printf(" (%s", node_path(fdt, pc->node, path, sizeof(path)));
	printf("; hwid");
	for (unsigned int i = 0; i < pc->cpu_count; i++)
		printf(" 0x%llx", (unsigned long long)p->cpus[pc->cpus[i]].hwid);
	printf(")\n");
	for (unsigned int i = 0; i < pc->mem_count; i++) {
		const struct partition_mem *m = &pc->mem[i];

		printf("  %-9s guest 0x%010llx-0x%010llx -> physical 0x%010llx-0x%010llx%s, %s\n",
		       i == 0 ? "memory" : "", (unsigned long long)m->ipa,
		       (unsigned long long)(m->ipa + m->size - 1), (unsigned long long)m->pa,
		       (unsigned long long)(m->pa + m->span - 1),
		       pc->colour_count != 0u ? " (its colours' pages)" : "",
		       size_text(m->size, size, sizeof(size)));
	}
	print_colours(sys, pc);
	print_module("kernel", &pc->kernel);
	printf("  %-9s loaded at guest 0x%llx (%s), entry 0x%llx\n", "", (unsigned long long)pc->load_ipa,
	       size_text(pc->kernel_mem_size, size, sizeof(size)), (unsigned long long)pc->entry_ipa);
	print_module("ramdisk", &pc->ramdisk);
	print_module("dtb", &pc->dtb);
	if (pc->dt_fixed)
		printf("  %-9s device tree at guest 0x%llx (device-tree-address)\n", "",
		       (unsigned long long)pc->dt_ipa);
	for (unsigned int i = 0; i < pc->flash_count; i++) {
		const struct partition_flash *f = &pc->flash[i];

		printf("  %-9s guest 0x%010llx-0x%010llx -> physical 0x%010llx-0x%010llx, %s, %s%s\n",
		       i == 0 ? "flash" : "", (unsigned long long)f->ipa,
		       (unsigned long long)(f->ipa + f->size - 1), (unsigned long long)f->pa,
		       (unsigned long long)(f->pa + f->size - 1), size_text(f->size, size, sizeof(size)),
		       f->writable ? "read-write, kept across restarts" : "read-only, reloaded at each start",
		       f->image.present ? "" : ", erased");
	}
	if (pc->console == PARTITION_CONSOLE_VUART && p->console_io)
		printf("  %-9s vuart (emulated 16550 at ports 0x%llx)\n", "console",
		       (unsigned long long)p->console.base);
	else if (pc->console == PARTITION_CONSOLE_VUART)
		printf("  %-9s vuart (emulated PL011 at guest 0x%llx)\n", "console",
		       (unsigned long long)platform_vuart_window(p).base);
	else
		printf("  %-9s none\n", "console");
	if (pc->device_count == 0)
		printf("  %-9s none\n", "devices");
	for (unsigned int i = 0; i < pc->device_count; i++) {
		const struct partition_device *d = &pc->devices[i];

		printf("  %-9s %s: reg", i == 0 ? "devices" : "", node_path(fdt, d->node, path, sizeof(path)));
		for (unsigned int r = 0; r < d->reg_count; r++)
			printf(" 0x%llx+0x%llx", (unsigned long long)d->regs[r].base,
			       (unsigned long long)d->regs[r].size);
		print_irqs(d);
		/* The partition sees its clocks as one fixed clock at this rate. */
		if (d->clock_hz != 0u)
			printf(", clock %u Hz (fixed)", d->clock_hz);
		printf("\n");
	}
	for (unsigned int i = 0; i < pc->chan_count; i++) {
		const struct partition_channel *ch = &pc->chan[i];

		printf("  %-9s %u to %s: guest 0x%llx (%s, %s), doorbell INTID %u", i == 0 ? "channels" : "",
		       ch->id, ch->peer_name, (unsigned long long)ch->ipa,
		       size_text(ch->size, size, sizeof(size)), ch->writable ? "rw" : "ro", ch->intid);
		if (ch->doorbell_ipa != 0)
			printf(", doorbell page 0x%llx", (unsigned long long)ch->doorbell_ipa);
		printf("\n");
	}
	print_streams(fdt, pc);
	if (pc->bootargs != NULL)
		printf("  %-9s \"%s\"\n", "bootargs", pc->bootargs);
	print_health(&pc->health);
}

/* The GIC's registers: the hypervisor's, whatever the configuration. */
static void map_gic(const void *fdt, struct address_map *map)
{
	/* After the distributor and the redistributor regions, a GICv3 may
	 * list its legacy GICv2 interfaces (binding arm,gic-v3.yaml). */
	static const char *const legacy[] = {"GICC", "GICH", "GICV"};
	char path[CONFIG_PATH_MAX];
	unsigned int version = 0;
	int node = dt_gic_node(fdt, &version);
	const fdt32_t *count_prop;
	int redist_regions = 1;
	struct mem_range r;

	if (node < 0)
		return;
	count_prop = fdt_getprop(fdt, node, "#redistributor-regions", NULL);
	if (count_prop != NULL)
		redist_regions = (int)fdt32_to_cpu(*count_prop);
	/* A GICv2: distributor, then GICC, GICH, GICV (partitions see GICV at
	 * GICC's address, 8 KiB of it). */
	if (version == 2)
		redist_regions = 0;
	node_path(fdt, node, path, sizeof(path));
	for (int i = 0; fdt_node_reg(fdt, node, i, &r) == BH_OK; i++) {
		int legacy_index = i - 1 - redist_regions;

		if (i == 0)
			map_add(map, r.base, r.size, "hypervisor: GIC %s (distributor)", path);
		else if (legacy_index < 0)
			map_add(map, r.base, r.size, "hypervisor: GIC %s (redistributors)", path);
		else
			map_add(map, r.base, r.size, "hypervisor: GIC %s (%s)", path,
				legacy_index < 3 ? legacy[legacy_index] : "other");
	}
}

static void map_partition(const void *fdt, const struct partition_config *pc, unsigned int index,
			  struct address_map *map)
{
	char path[CONFIG_PATH_MAX];

	char colours[128];

	for (unsigned int i = 0; i < pc->mem_count; i++) {
		if (pc->colour_count != 0u)
			map_add(map, pc->mem[i].pa, pc->mem[i].span,
				"%s: memory (guest 0x%llx), colours %s", pc->name,
				(unsigned long long)pc->mem[i].ipa,
				colours_text(pc, colours, sizeof(colours)));
		else
			map_add(map, pc->mem[i].pa, pc->mem[i].span, "%s: memory (guest 0x%llx)",
				pc->name, (unsigned long long)pc->mem[i].ipa);
	}
	if (pc->kernel.present)
		map_add(map, pc->kernel.pa, pc->kernel.size, "%s: kernel module", pc->name);
	if (pc->ramdisk.present)
		map_add(map, pc->ramdisk.pa, pc->ramdisk.size, "%s: ramdisk module", pc->name);
	if (pc->dtb.present)
		map_add(map, pc->dtb.pa, pc->dtb.size, "%s: dtb module", pc->name);
	for (unsigned int i = 0; i < pc->device_count; i++) {
		const struct partition_device *d = &pc->devices[i];

		node_path(fdt, d->node, path, sizeof(path));
		for (unsigned int r = 0; r < d->reg_count; r++)
			map_add(map, d->regs[r].base, d->regs[r].size, "%s: device %s", pc->name, path);
	}
	/* A channel once, from the end in the lower-numbered partition. */
	for (unsigned int i = 0; i < pc->chan_count; i++) {
		const struct partition_channel *ch = &pc->chan[i];

		if (ch->peer > index)
			map_add(map, ch->pa, ch->size, "channel %u: %s and %s", ch->id, pc->name,
				ch->peer_name);
	}
}

/* Add the RAM no entry covers as "free RAM" entries; map must be sorted. */
static void map_free_ram(const struct platform *p, struct address_map *map)
{
	unsigned int owned = map->count;

	for (unsigned int r = 0; r < p->ram_count; r++) {
		uint64_t at = p->ram[r].base;
		uint64_t end = p->ram[r].base + p->ram[r].size;

		for (unsigned int i = 0; i < owned && at < end; i++) {
			const struct map_entry *e = &map->entry[i];

			if (e->base + e->size <= at || e->base >= end)
				continue;
			if (e->base > at)
				map_add(map, at, e->base - at, "free RAM");
			if (e->base + e->size > at)
				at = e->base + e->size;
		}
		if (at < end)
			map_add(map, at, end - at, "free RAM");
	}
}

static void print_map(const void *fdt, const struct platform *p, const struct system_config *sys,
		      const struct hyp_footprint *hyp, const char *console_driver)
{
	static struct address_map map;
	char path[CONFIG_PATH_MAX];
	char size[48];

	map.count = 0;
	if (hyp != NULL)
		map_add(&map, hyp->base, hyp->size, "hypervisor: image");
	if (p->console_node >= 0)
		map_add(&map, p->console.base, p->console.size, "hypervisor: console %s (%s)",
			node_path(fdt, p->console_node, path, sizeof(path)), console_driver);
	map_gic(fdt, &map);
	for (unsigned int i = 0; i < sys->count; i++)
		map_partition(fdt, &sys->part[i], i, &map);
	qsort(map.entry, map.count, sizeof(map.entry[0]), by_base);
	map_free_ram(p, &map);
	qsort(map.entry, map.count, sizeof(map.entry[0]), by_base);

	printf("\nphysical address map:\n");
	uint64_t prev_end = 0;

	for (unsigned int i = 0; i < map.count; i++) {
		const struct map_entry *e = &map.entry[i];

		/* Holes outside RAM: address space with nothing configured. */
		if (e->base > prev_end)
			printf("  0x%010llx-0x%010llx  %18s  -\n", (unsigned long long)prev_end,
			       (unsigned long long)(e->base - 1), size_text(e->base - prev_end, size, sizeof(size)));
		printf("  0x%010llx-0x%010llx  %18s  %s\n", (unsigned long long)e->base,
		       (unsigned long long)(e->base + e->size - 1), size_text(e->size, size, sizeof(size)),
		       e->owner);
		if (e->base + e->size > prev_end)
			prev_end = e->base + e->size;
	}
	if (hyp == NULL)
		printf("  (where the hypervisor image goes is not known: see --hypervisor)\n");
}

/* The hypervisor's colours: its image moves at boot onto a span of that
 * many pages of them, carved from free RAM (docs/colouring.md). */
static void print_hyp_colours(const struct system_config *sys, const struct hyp_footprint *hyp)
{
	char text[256];
	char size[48];
	char phys[48];
	size_t at = 0;

	if (sys->hyp_colour_count == 0u)
		return;
	text[0] = '\0';
	for (unsigned int i = 0; i < sys->hyp_colour_count && at + 8u < sizeof(text); i++)
		at += (size_t)snprintf(text + at, sizeof(text) - at, "%s%u", i != 0u ? " " : "",
				       sys->hyp_colour[i]);
	printf("hypervisor: colours %s (%u of %u%s)", text, sys->hyp_colour_count, sys->llc.colours,
	       sys->hyp_colours_shared ? ", shared" : "");
	if (hyp != NULL)
		printf(": its image's %s takes %s of free RAM at boot",
		       size_text(hyp->size, size, sizeof(size)),
		       size_text(colour_span_pages(sys->hyp_colour_count, sys->llc.colours, hyp->size),
				 phys, sizeof(phys)));
	printf("\n");
}

void report_print(const void *fdt, const struct platform *p, const struct system_config *sys,
		  const struct hyp_footprint *hyp, const char *console_driver)
{
	char size[48];

	printf("\nmachine: %u CPU(s), RAM", p->cpu_count);
	for (unsigned int i = 0; i < p->ram_count; i++)
		printf(" 0x%llx-0x%llx", (unsigned long long)p->ram[i].base,
		       (unsigned long long)(p->ram[i].base + p->ram[i].size - 1));
	printf(" (%s)\n", size_text(p->ram_total, size, sizeof(size)));
	if (sys->llc.colours != 0u) {
		char path[CONFIG_PATH_MAX];
		char way[48];

		printf("last-level cache: %s, %u ways of %s (%u sets of %u-byte lines): %u colours "
		       "of 4 KiB (%s)\n",
		       size_text(sys->llc.size, size, sizeof(size)), sys->llc.ways,
		       size_text((uint64_t)sys->llc.sets * sys->llc.line, way, sizeof(way)),
		       sys->llc.sets, sys->llc.line, sys->llc.colours,
		       sys->llc.node >= 0 ? node_path(fdt, sys->llc.node, path, sizeof(path))
					  : "bulkhead,llc");
	}
	print_hyp_colours(sys, hyp);
	/* The hypervisor's RAM beyond its image that only a coloured system
	 * takes (core/table_carve.c): part of its footprint, so shown. */
	if (table_carve_pages(sys) != 0u) {
		char scratch[48];

		printf("carved from free RAM at boot: %s (the coloured partitions' translation "
		       "tables, and %s their device trees are built in)\n",
		       size_text(table_carve_pages(sys) * (uint64_t)PAGE_SIZE, size, sizeof(size)),
		       size_text(PARTITION_DT_MAX, scratch, sizeof(scratch)));
	}
	printf("\n");
	for (unsigned int i = 0; i < sys->count; i++)
		print_partition(fdt, p, sys, &sys->part[i]);
	print_map(fdt, p, sys, hyp, console_driver);
}
