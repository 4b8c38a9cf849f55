// SPDX-License-Identifier: Apache-2.0
/*
 * Decoding the partitions from the device tree (docs/bindings/partitions.md).
 * Each partition node is decoded on its own first (decode_partition); the
 * checks between partitions and against the machine follow
 * (config_validate.c). Every error is recorded, not just the first, so one
 * boot (or one run of bulkhead-check) shows everything that is wrong.
 */

#include <stdarg.h>
#include <string.h>

#include <libfdt.h>

#include <bulkhead/console.h>
#include <bulkhead/dt.h>
#include <bulkhead/dt_irq.h>

#include "config_internal.h"

#define IMAGE_MAGIC_OFFSET 56
#define IMAGE_HEADER_SIZE 64
#define IMAGE_OLD_TEXT_OFFSET 0x80000
/* The third cell of a GIC interrupt specifier: 1 rising, 2 falling edge. */

void config_error(struct config_ctx *c, enum config_error_kind kind, int node, const char *prop,
		  const char *fmt, ...)
{
	struct config_errors *e = c->errors;

	if (e->count < MAX_CONFIG_ERRORS) {
		struct config_error *err = &e->list[e->count];
		va_list ap;

		err->kind = kind;
		if (node < 0 || dt_node_path(c->fdt, node, err->path, (int)sizeof(err->path)) != 0)
			(void)bh_snprintf(err->path, sizeof(err->path), "/chosen");
		bh_snprintf(err->property, sizeof(err->property), "%s", prop != NULL ? prop : "");
		va_start(ap, fmt);
		(void)bh_vsnprintf(err->message, sizeof(err->message), fmt, ap);
		va_end(ap);
	}
	e->count++;
}

const char *config_node_path(const struct config_ctx *c, int node, char *buf, int len)
{
	return fdt_path_or_unknown(c->fdt, node, buf, len);
}

/* Read up to @max (address, size) pairs; false (and an error) if malformed,
 * true with *@count 0 if absent. */
static bool read_pairs(struct config_ctx *c, int node, const char *prop, int ac, int sc,
		       struct mem_range *out, unsigned int max, unsigned int *count)
{
	const unsigned int entry = (unsigned int)(ac + sc);
	const fdt32_t *v = config_prop_list(c, node, prop, entry, max,
					    "(address size) pairs (#address-cells + #size-cells)",
					    count);

	for (unsigned int i = 0; i < *count; i++) {
		out[i].base = fdt_read_cells(v + i * entry, ac);
		out[i].size = fdt_read_cells(v + i * entry + ac, sc);
	}
	return v != NULL || dt_getprop(c->fdt, node, prop, NULL) == NULL;
}

static int cells(struct config_ctx *c, int node, const char *prop)
{
	const fdt32_t *v = config_prop_cells(c, node, prop, 1, "1 or 2", "required (1 or 2)");
	uint32_t n = v != NULL ? fdt32_to_cpu(*v) : 0u;

	if (n < 1u || n > 2u) {
		if (v != NULL)
			config_error(c, CFG_ERR_MALFORMED, node, prop, "must be 1 or 2");
		return -1;
	}
	return (int)n;
}

static void decode_name(struct config_ctx *c, int node, struct partition_config *pc)
{
	int len;
	const char *label = dt_getprop(c->fdt, node, "label", &len);
	const char *name = label;

	if (label == NULL) {
		name = fdt_get_name(c->fdt, node, &len);
		const char *at = name != NULL ? memchr(name, '@', (size_t)len) : NULL;

		if (at != NULL)
			len = (int)(at - name);
	} else {
		len = (int)strnlen(label, (size_t)len);
	}
	if (name == NULL || len == 0 || len >= PARTITION_NAME_MAX) {
		config_error(c, CFG_ERR_BAD_VALUE, node, label != NULL ? "label" : "",
			     "partition name must be 1 to %d characters", PARTITION_NAME_MAX - 1);
		len = 0;
	}
	memcpy(pc->name, name != NULL ? name : "", (size_t)len);
	pc->name[len] = '\0';
}

static void decode_cpus(struct config_ctx *c, int node, struct partition_config *pc)
{
	int len;
	unsigned int n;
	char path[CONFIG_PATH_MAX];

	if (dt_getprop(c->fdt, node, "cpus", &len) == NULL || len == 0) {
		config_error(c, CFG_ERR_NO_CPUS, node, "cpus", "a partition needs at least one CPU");
		return;
	}
	const fdt32_t *v = config_prop_list(c, node, "cpus", 1, MAX_CPUS, "phandles", &n);

	for (unsigned int i = 0; i < n; i++) {
		uint32_t ph = fdt32_to_cpu(v[i]);
		int cpu = dt_node_by_phandle(c->fdt, ph);
		bool found = false;

		if (cpu < 0) {
			config_error(c, CFG_ERR_BAD_PHANDLE, node, "cpus",
				     "phandle 0x%x refers to no node", ph);
			continue;
		}
		for (unsigned int k = 0; k < c->p->cpu_count && !found; k++) {
			if (c->p->cpus[k].node == cpu) {
				pc->cpus[pc->cpu_count++] = k;
				found = true;
			}
		}
		if (!found) {
			const char *type = dt_getprop(c->fdt, cpu, "device_type", NULL);
			bool is_cpu = type != NULL && strcmp(type, "cpu") == 0;

			config_error(c, CFG_ERR_NOT_A_CPU, node, "cpus",
				     is_cpu ? "%s is not an enabled CPU of this machine"
					    : "%s is not a CPU node",
				     config_node_path(c, cpu, path, sizeof(path)));
		}
	}
}

static void decode_memory(struct config_ctx *c, int node, int ac, int sc,
			  struct partition_config *pc)
{
	struct mem_range r[MAX_PARTITION_MEM];
	unsigned int n;
	int len;

	if (dt_getprop(c->fdt, node, "memory", &len) == NULL) {
		config_error(c, CFG_ERR_MISSING_PROPERTY, node, "memory",
			     "required: (address size) pairs of physical memory");
		return;
	}
	if (!read_pairs(c, node, "memory", ac, sc, r, MAX_PARTITION_MEM, &n))
		return;
	const fdt32_t *ipa = config_prop_cells(c, node, "memory-guest-base", n * (unsigned int)ac,
					       "one address of #address-cells per memory region",
					       NULL);
	for (unsigned int i = 0; i < n; i++) {
		struct partition_mem *m = &pc->mem[i];

		m->pa = r[i].base;
		m->size = r[i].size;
		m->span = r[i].size;
		m->ipa = ipa != NULL ? fdt_read_cells(ipa + i * (unsigned int)ac, ac) : r[i].base;
		if (m->size == 0)
			config_error(c, CFG_ERR_ZERO_SIZE, node, "memory", "region %u is empty", i);
		else if (!IS_ALIGNED(m->pa | m->size | m->ipa, PAGE_SIZE))
			config_error(c, CFG_ERR_UNALIGNED, node, "memory",
				     "region %u (0x%llx, size 0x%llx, guest 0x%llx) is not 4 KiB aligned",
				     i, (unsigned long long)m->pa, (unsigned long long)m->size,
				     (unsigned long long)m->ipa);
		else if (m->pa + m->size < m->pa || m->ipa + m->size < m->ipa)
			config_error(c, CFG_ERR_MALFORMED, node, "memory", "region %u wraps around", i);
		else {
			/* a well-formed region */
		}
	}
	pc->mem_count = n;
}

static void decode_console(struct config_ctx *c, int node, struct partition_config *pc)
{
	static const char *const choices[] = {"vuart", "none"};

	pc->console = config_prop_choice(c, node, "console", choices, ARRAY_SIZE(choices),
					 "must be \"vuart\" or \"none\"") == 1
			      ? PARTITION_CONSOLE_NONE
			      : PARTITION_CONSOLE_VUART;
}

/* x86: (number, flags) pairs, an I/O APIC pin and its trigger. */
static bool decode_ioapic_irq(struct config_ctx *c, int node, const char *path, int i,
			      const struct dt_irq *irq, struct partition_device *d)
{
	/* Linux's intel,ce4100-ioapic flags: 0 rising edge, 1 low level,
	 * 2 high level, 3 falling edge. */
	uint32_t flags = irq->spec[1];

	if (flags > 3u) {
		config_error(c, CFG_ERR_BAD_VALUE, node, "devices",
			     "%s: 'interrupts' %d: trigger %u is not 0-3 (rising edge, "
			     "low level, high level, falling edge)", path, i, flags);
		return false;
	}
	if (flags == 0u || flags == 3u)
		d->irq_edge |= 1u << d->irq_count;
	if (flags == 1u || flags == 3u)
		d->irq_active_low |= 1u << d->irq_count;
	d->irqs[d->irq_count] = irq->spec[0];
	d->irq_count++;
	return true;
}

/*
 * A device's interrupts, from `interrupts` or `interrupts-extended`: GIC
 * SPIs (three cells, or four with a PPI partition), or I/O APIC pins (two
 * cells, x86). Each must lead to the one controller the partition gets.
 */
static void decode_device_irqs(struct config_ctx *c, int node, int dev, struct partition_device *d,
			       const char *path)
{
	const char *prop = dt_irq_prop_name(c->fdt, dev);
	struct dt_irq irq;
	enum bh_err err;
	int i;

	for (i = 0; i <= MAX_DEVICE_IRQS; i++) {
		err = dt_irq_get(c->fdt, dev, i, &irq);
		if (err != BH_OK)
			break;
		if (i == MAX_DEVICE_IRQS) {
			config_error(c, CFG_ERR_MALFORMED, node, "devices",
				     "%s: '%s' has more than %d interrupts", path, prop, MAX_DEVICE_IRQS);
			return;
		}
		if (irq.cells == 2 && !dt_is_gic(c->fdt, irq.parent)) {
			if (!decode_ioapic_irq(c, node, path, i, &irq, d))
				return;
			continue;
		}
		/* Any GIC: a GICv2 board is refused by the platform check, not
		 * once more for each of its devices. */
		if (!dt_is_gic(c->fdt, irq.parent)) {
			config_error(c, CFG_ERR_BAD_VALUE, node, "devices",
				     "%s: '%s' %d: its interrupt parent is not the GIC", path, prop, i);
			return;
		}
		uint32_t intid = dt_irq_gic_intid(c->fdt, &irq);

		if (intid < 32u) {
			config_error(c, CFG_ERR_BAD_VALUE, node, "devices",
				     "%s: interrupt %d is not a shared peripheral interrupt", path, i);
			return;
		}
		if (dt_irq_gic_edge(&irq))
			d->irq_edge |= 1u << d->irq_count;
		d->irqs[d->irq_count] = intid;
		d->irq_count++;
	}
	if (err == BH_ERR_INVALID) {
		/* Say which rule the property breaks: its parent or its length. */
		int parent = dt_interrupt_parent(c->fdt, dev);

		if (strcmp(prop, "interrupts") == 0 && (parent < 0 || !dt_is_gic(c->fdt, parent)) &&
		    dt_getprop(c->fdt, parent, "#interrupt-cells", NULL) == NULL)
			config_error(c, CFG_ERR_BAD_VALUE, node, "devices",
				     "%s: its interrupt parent is not the GIC", path);
		else
			config_error(c, CFG_ERR_MALFORMED, node, "devices",
				     "%s: '%s' does not divide into its interrupt parents' specifiers",
				     path, prop);
	}
}

static void decode_device(struct config_ctx *c, int node, int dev, struct partition_device *d)
{
	char path[CONFIG_PATH_MAX];

	d->node = dev;
	(void)config_node_path(c, dev, path, sizeof(path));
	if (dev == c->p->console_node || dt_is_gic(c->fdt, dev) ||
	    config_is_iommu(c->fdt, dev)) {
		config_error(c, CFG_ERR_DEVICE_RESERVED, node, "devices",
			     "%s belongs to the hypervisor", path);
		return;
	}
	/* A disabled node may not be there at all for this world (QEMU's
	 * secure UART: status "disabled", secure-status "okay"). */
	if (!fdt_node_enabled(c->fdt, dev)) {
		config_error(c, CFG_ERR_BAD_VALUE, node, "devices",
			     "%s is not enabled (its status is not \"okay\")", path);
		return;
	}
	struct mem_range r;
	enum bh_err err = BH_OK;

	d->io_ports = fdt_node_in_io_space(c->fdt, dev);
	while (d->reg_count < MAX_DEVICE_REGS &&
	       (err = fdt_node_reg(c->fdt, dev, (int)d->reg_count, &r)) == BH_OK) {
		if (r.size == 0 || r.base + r.size < r.base) {
			config_error(c, CFG_ERR_MALFORMED, node, "devices",
				     "%s has an empty or wrapping reg", path);
			return;
		}
		/* Port numbers (x86's I/O space) are not CPU addresses. */
		err = d->io_ports ? BH_OK : fdt_reg_to_cpu(c->fdt, dev, &r);
		if (err != BH_OK) {
			config_error(c, err == BH_ERR_NOT_FOUND ? CFG_ERR_BAD_VALUE : CFG_ERR_MALFORMED,
				     node, "devices", "%s: reg %u %s its bus's 'ranges'", path,
				     d->reg_count,
				     err == BH_ERR_NOT_FOUND ? "is not mapped by" : "cannot go through");
			return;
		}
		d->regs[d->reg_count++] = r;
	}
	if (err == BH_ERR_INVALID) {
		config_error(c, CFG_ERR_MALFORMED, node, "devices", "%s has a malformed reg", path);
		return;
	}
	if (d->reg_count == MAX_DEVICE_REGS && fdt_node_reg(c->fdt, dev, MAX_DEVICE_REGS, &r) == BH_OK) {
		config_error(c, CFG_ERR_MALFORMED, node, "devices",
			     "%s has more than %d reg ranges", path, MAX_DEVICE_REGS);
		return;
	}
	config_decode_bridge(c, node, dev, d, path);
	decode_device_irqs(c, node, dev, d, path);
	config_decode_pci_function(c, node, dev, d, path);
}

static void decode_devices(struct config_ctx *c, int node, struct partition_config *pc)
{
	unsigned int n;
	const fdt32_t *v = config_prop_list(c, node, "devices", 1, MAX_PARTITION_DEVICES,
					    "phandles", &n);

	for (unsigned int i = 0; i < n; i++) {
		uint32_t ph = fdt32_to_cpu(v[i]);
		int dev = dt_node_by_phandle(c->fdt, ph);

		if (dev < 0) {
			config_error(c, CFG_ERR_BAD_PHANDLE, node, "devices",
				     "phandle 0x%x refers to no node", ph);
			continue;
		}
		decode_device(c, node, dev, &pc->devices[pc->device_count++]);
	}
}

/* `device-clock-rates`: (device phandle, Hz) pairs, each device one of the
 * partition's own, whose clocks its DT gets as one fixed clock at that rate. */
static void decode_clock_rates(struct config_ctx *c, int node, struct partition_config *pc)
{
	unsigned int n;
	const fdt32_t *v = config_prop_list(c, node, "device-clock-rates", 2, MAX_PARTITION_DEVICES,
					    "(device phandle, Hz) pairs", &n);

	for (unsigned int i = 0; i < n; i++) {
		int dev = dt_node_by_phandle(c->fdt, fdt32_to_cpu(v[2 * i]));
		uint32_t hz = fdt32_to_cpu(v[2 * i + 1]);
		unsigned int d = 0;

		while (d < pc->device_count && pc->devices[d].node != dev)
			d++;
		if (dev < 0 || d == pc->device_count) {
			config_error(c, CFG_ERR_BAD_PHANDLE, node, "device-clock-rates",
				     "phandle 0x%x is not one of the partition's devices",
				     fdt32_to_cpu(v[2 * i]));
			continue;
		}
		if (hz == 0u) {
			config_error(c, CFG_ERR_BAD_VALUE, node, "device-clock-rates",
				     "pair %u: the rate is 0", i);
			continue;
		}
		pc->devices[d].clock_hz = hz;
	}
}

static void decode_modules(struct config_ctx *c, int node, int ac, int sc,
			   struct partition_config *pc)
{
	/* The module each compatible fills, in the same order. */
	static const char *const kinds[] = {"multiboot,kernel", "multiboot,ramdisk",
					    "multiboot,device-tree"};
	struct partition_module *const slots[] = {&pc->kernel, &pc->ramdisk, &pc->dtb};
	int sub;

	STATIC_ASSERT(ARRAY_SIZE(kinds) == ARRAY_SIZE(slots), "one module per compatible");

	fdt_for_each_subnode(sub, c->fdt, node) {
		for (unsigned int k = 0; k < ARRAY_SIZE(kinds); k++) {
			if (!dt_node_is_compatible(c->fdt, sub, kinds[k]))
				continue;
			struct partition_module *m = slots[k];
			struct mem_range r;
			unsigned int n;

			if (m->present) {
				config_error(c, CFG_ERR_BAD_VALUE, sub, "compatible",
					     "a second \"%s\" module", kinds[k]);
				continue;
			}
			if (!read_pairs(c, sub, "reg", ac, sc, &r, 1, &n))
				continue;
			if (n != 1 || r.size == 0) {
				config_error(c, CFG_ERR_ZERO_SIZE, sub, "reg",
					     "a module needs one non-empty (address size) pair");
				continue;
			}
			*m = (struct partition_module){true, r.base, r.size};
			if (k == 0 && pc->bootargs == NULL)
				pc->bootargs = dt_getprop(c->fdt, sub, "bootargs", NULL);
		}
	}
}

/* The arm64 Image header is little endian. */
static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/*
 * A vCPU starts where its machine lets it address only so much (x86: 32-bit
 * protected mode, below 4 GiB): its entry point and its device tree, which
 * goes at the top of the first memory region, must be there.
 */
static void check_start_limit(struct config_ctx *c, int node, const struct partition_config *pc,
			      const char *entry_prop)
{
	const uint64_t limit = c->p->vcpu_start_limit;
	const struct partition_mem *m = &pc->mem[0];

	if (limit == 0u)
		return;
	if (pc->entry_ipa >= limit)
		config_error(c, CFG_ERR_BAD_VALUE, node, entry_prop,
			     "entry point 0x%llx is not below 0x%llx, all a starting vCPU reaches",
			     (unsigned long long)pc->entry_ipa, (unsigned long long)limit);
	if (m->ipa + m->size > limit)
		config_error(c, CFG_ERR_BAD_VALUE, node, "memory",
			     "region 0 ends at guest 0x%llx: the device tree at its top is not below "
			     "0x%llx, all a starting vCPU reaches",
			     (unsigned long long)(m->ipa + m->size - 1u), (unsigned long long)limit);
}

/*
 * Where the kernel is loaded and entered: from its arm64 Image header when
 * it has one (as a bootloader would), else from `load-offset` and `entry`.
 */
static void decode_layout(struct config_ctx *c, int node, int ac, struct partition_config *pc)
{
	const char *entry_prop = "load-offset";
	uint64_t offset = 0;
	const uint8_t *h = c->peek != NULL && pc->kernel.size >= IMAGE_HEADER_SIZE
				   ? c->peek(pc->kernel.pa, IMAGE_HEADER_SIZE)
				   : NULL;

	if (!pc->kernel.present) {
		/* Firmware run in place from read-only flash (EDK2) needs no
		 * kernel module: it starts at `entry`, in that region. */
		if (config_read_address(c, node, "entry", ac, &pc->entry_ipa) &&
		    config_ipa_in_rom(pc, pc->entry_ipa)) {
			pc->load_ipa = pc->entry_ipa;
			return;
		}
		config_error(c, CFG_ERR_NO_KERNEL, node, "",
			     "no module with compatible \"multiboot,kernel\"");
		return;
	}
	if (pc->mem_count == 0)
		return;
	if (h != NULL && memcmp(h + IMAGE_MAGIC_OFFSET, "ARM\x64", 4) == 0) {
		uint64_t text_offset = le64(h + 8);
		uint64_t image_size = le64(h + 16);

		if (image_size == 0) {
			text_offset = IMAGE_OLD_TEXT_OFFSET;
			image_size = pc->kernel.size;
		}
		pc->load_ipa = ALIGN_UP(pc->mem[0].ipa, MiB(2)) + text_offset;
		pc->entry_ipa = pc->load_ipa;
		pc->kernel_mem_size = image_size > pc->kernel.size ? image_size : pc->kernel.size;
	} else {
		(void)config_read_address(c, node, "load-offset", ac, &offset);
		pc->load_ipa = pc->mem[0].ipa + offset;
		pc->entry_ipa = pc->load_ipa;
		if (config_read_address(c, node, "entry", ac, &pc->entry_ipa))
			entry_prop = "entry";
		pc->kernel_mem_size = pc->kernel.size;
	}
	const struct partition_mem *m = &pc->mem[0];

	if (pc->load_ipa < m->ipa || pc->load_ipa - m->ipa > m->size ||
	    pc->kernel_mem_size > m->size - (pc->load_ipa - m->ipa))
		config_error(c, CFG_ERR_KERNEL_TOO_BIG, node, "memory",
			     "the kernel needs %llu KiB at guest 0x%llx: more than its first memory "
			     "region holds", (unsigned long long)(pc->kernel_mem_size >> 10),
			     (unsigned long long)pc->load_ipa);
	else if (!config_ipa_in_memory(pc, pc->entry_ipa))
		config_error(c, CFG_ERR_BAD_VALUE, node, "entry",
			     "entry point 0x%llx is outside the partition's memory",
			     (unsigned long long)pc->entry_ipa);
	else
		check_start_limit(c, node, pc, entry_prop);
}

bool config_ipa_in_memory(const struct partition_config *pc, uint64_t ipa)
{
	for (unsigned int i = 0; i < pc->mem_count; i++) {
		if (ipa >= pc->mem[i].ipa && ipa - pc->mem[i].ipa < pc->mem[i].size)
			return true;
	}
	return false;
}

static void decode_partition(struct config_ctx *c, int node, struct partition_config *pc)
{
	(void)memset(pc, 0, sizeof(*pc));
	pc->node = node;
	decode_name(c, node, pc);
	decode_cpus(c, node, pc);
	decode_console(c, node, pc);
	config_decode_pmu(c, node, pc);
	decode_devices(c, node, pc);
	decode_clock_rates(c, node, pc);
	config_decode_streams(c, node, pc);
	config_decode_health(c, node, pc);
	pc->bootargs = dt_getprop(c->fdt, node, "bootargs", NULL);

	int ac = cells(c, node, "#address-cells");
	int sc = cells(c, node, "#size-cells");

	if (ac < 0 || sc < 0)
		return;
	decode_memory(c, node, ac, sc, pc);
	config_decode_colours(c, node, sc, pc);
	config_decode_flash(c, node, ac, sc, pc);
	decode_modules(c, node, ac, sc, pc);
	decode_layout(c, node, ac, pc);
	config_decode_firmware(c, node, ac, pc);
}

enum bh_err config_parse(const void *fdt, const struct platform *p,
			 const struct hyp_footprint *hyp, config_peek_fn peek,
			 struct system_config *out, struct config_errors *errors)
{
	struct config_ctx c = {fdt, p, hyp, peek, out, errors};
	int hv = dt_node_by_compatible(fdt, -1, "bulkhead,hypervisor");
	int node;

	(void)memset(errors, 0, sizeof(*errors));
	out->count = 0;
	out->channel_count = 0;
	if (hv < 0) {
		config_error(&c, CFG_ERR_NO_HYPERVISOR_NODE, -1, "",
			     "no node with compatible \"bulkhead,hypervisor\"");
		return BH_ERR_INVALID;
	}
	int coloured = config_first_coloured(fdt, hv);

	(void)memset(&out->llc, 0, sizeof(out->llc));
	if (coloured >= 0) {
		config_decode_llc(&c, hv, coloured, "bulkhead,colours");
	} else if (config_hyp_coloured(fdt, hv)) {
		config_decode_llc(&c, hv, hv, "bulkhead,hypervisor-colours");
	} else {
		/* nothing coloured: the geometry is not read */
	}
	config_decode_hyp_colours(&c, hv);
	fdt_for_each_subnode(node, fdt, hv) {
		if (!dt_node_is_compatible(fdt, node, "bulkhead,partition"))
			continue;
		if (out->count == MAX_PARTITIONS) {
			config_error(&c, CFG_ERR_TOO_MANY_PARTITIONS, node, "",
				     "more than %d partitions", MAX_PARTITIONS);
			break;
		}
		decode_partition(&c, node, &out->part[out->count++]);
	}
	if (out->count == 0 && errors->count == 0)
		config_error(&c, CFG_ERR_NO_PARTITIONS, hv, "",
			     "no child node with compatible \"bulkhead,partition\"");
	config_decode_channels(&c, hv);
	config_validate(&c);
	return errors->count == 0 ? BH_OK : BH_ERR_INVALID;
}

void config_errors_print(const struct config_errors *errors)
{
	unsigned int shown = errors->count < MAX_CONFIG_ERRORS ? errors->count : MAX_CONFIG_ERRORS;

	for (unsigned int i = 0; i < shown; i++) {
		const struct config_error *e = &errors->list[i];

		if (e->property[0] != '\0')
			log_printf("error: %s: property '%s': %s\n", e->path, e->property, e->message);
		else
			log_printf("error: %s: %s\n", e->path, e->message);
	}
	if (errors->count > shown)
		log_printf("error: ... and %u more\n", errors->count - shown);
}
