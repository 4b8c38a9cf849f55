// SPDX-License-Identifier: Apache-2.0
/* RAM and CPUs from the device tree, plus the small FDT helpers core shares. */

#include <string.h>

#include <libfdt.h>

#include <bulkhead/console.h>
#include <bulkhead/dt.h>
#include <bulkhead/dt_irq.h>
#include <bulkhead/platform.h>

#define PATH_MAX_LEN 128

uint64_t fdt_read_cells(const void *cell_ptr, int cells)
{
	const uint8_t *p = cell_ptr;
	uint64_t v = 0;

	for (int i = 0; i < cells * 4; i++)
		v = (v << 8) | p[i];
	return v;
}

const char *fdt_path_or_unknown(const void *fdt, int node, char *buf, int len)
{
	if (dt_node_path(fdt, node, buf, len) != 0)
		return "?";
	return buf;
}

void log_prop_error(const void *fdt, int node, const char *prop, const char *what)
{
	char path[PATH_MAX_LEN];

	log_printf("error: %s: property '%s': %s\n",
		   fdt_path_or_unknown(fdt, node, path, sizeof(path)), prop, what);
}

enum bh_err fdt_node_reg(const void *fdt, int node, int index, struct mem_range *out)
{
	int parent = dt_parent_offset(fdt, node);
	int ac = parent >= 0 ? fdt_address_cells(fdt, parent) : -1;
	int sc = parent >= 0 ? fdt_size_cells(fdt, parent) : -1;
	int len;

	if (ac < 1 || ac > 2 || sc < 0 || sc > 2) {
		log_prop_error(fdt, parent, "#address-cells", "unsupported cell count (need 1-2, #size-cells 0-2)");
		return BH_ERR_INVALID;
	}
	const uint8_t *reg = dt_getprop(fdt, node, "reg", &len);

	if (reg == NULL)
		return BH_ERR_NOT_FOUND;
	int entry = (ac + sc) * 4;

	if (len % entry != 0) {
		log_prop_error(fdt, node, "reg", "length is not a multiple of (#address-cells + #size-cells)");
		return BH_ERR_INVALID;
	}
	if ((index + 1) * entry > len)
		return BH_ERR_NOT_FOUND;
	out->base = fdt_read_cells(reg + index * entry, ac);
	out->size = sc != 0 ? fdt_read_cells(reg + index * entry + ac * 4, sc) : 0;
	return BH_OK;
}

/* One bus level: @addr (size @size) through the `ranges` of @bus. */
static enum bh_err through_ranges(const void *fdt, int bus, uint64_t *addr, uint64_t size)
{
	int len;
	const uint8_t *ranges = dt_getprop(fdt, bus, "ranges", &len);

	if (ranges == NULL)
		return BH_ERR_NOT_FOUND;
	if (len == 0)
		return BH_OK; /* `ranges;`: the same addresses on both sides */
	int child_ac = fdt_address_cells(fdt, bus);
	int child_sc = fdt_size_cells(fdt, bus);
	int parent_ac = fdt_address_cells(fdt, dt_parent_offset(fdt, bus));

	if (child_ac < 1 || child_ac > 2 || child_sc < 1 || child_sc > 2 || parent_ac < 1 ||
	    parent_ac > 2 || len % ((child_ac + parent_ac + child_sc) * 4) != 0)
		return BH_ERR_INVALID;
	int entry = (child_ac + parent_ac + child_sc) * 4;

	for (int i = 0; i < len / entry; i++) {
		const uint8_t *e = ranges + i * entry;
		uint64_t child = fdt_read_cells(e, child_ac);
		uint64_t parent = fdt_read_cells(e + child_ac * 4, parent_ac);
		uint64_t span = fdt_read_cells(e + (child_ac + parent_ac) * 4, child_sc);

		if (*addr >= child && *addr - child < span && size <= span - (*addr - child)) {
			*addr = *addr - child + parent;
			return BH_OK;
		}
	}
	return BH_ERR_NOT_FOUND;
}

enum bh_err fdt_reg_to_cpu(const void *fdt, int node, struct mem_range *r)
{
	uint64_t addr = r->base;

	for (int bus = dt_parent_offset(fdt, node); bus > 0; bus = dt_parent_offset(fdt, bus)) {
		enum bh_err err = through_ranges(fdt, bus, &addr, r->size);

		if (err != BH_OK)
			return err;
	}
	r->base = addr;
	return BH_OK;
}

bool fdt_node_enabled(const void *fdt, int node)
{
	int len;
	const char *status = dt_getprop(fdt, node, "status", &len);

	if (status == NULL)
		return true;
	/* An unterminated value is not "okay", and is not read past. */
	return strnlen(status, (size_t)len) < (size_t)len &&
	       (strcmp(status, "okay") == 0 || strcmp(status, "ok") == 0);
}

static enum bh_err add_ram(const void *fdt, int node, struct platform *p)
{
	struct mem_range r;
	enum bh_err err;

	for (int i = 0; (err = fdt_node_reg(fdt, node, i, &r)) == BH_OK; i++) {
		if (r.size == 0)
			continue;
		if (r.base + r.size < r.base) {
			log_prop_error(fdt, node, "reg", "range wraps around the address space");
			return BH_ERR_INVALID;
		}
		if (p->ram_count == MAX_RAM_REGIONS) {
			log_prop_error(fdt, node, "reg", "more RAM ranges than this build supports");
			return BH_ERR_TOO_MANY;
		}
		/* Keep ranges sorted so the report and later checks are simple. */
		unsigned int at = p->ram_count;

		while (at > 0 && p->ram[at - 1].base > r.base) {
			p->ram[at] = p->ram[at - 1];
			at--;
		}
		p->ram[at] = r;
		p->ram_count++;
		p->ram_total += r.size;
	}
	return err == BH_ERR_NOT_FOUND ? BH_OK : err;
}

static enum bh_err parse_memory(const void *fdt, struct platform *p)
{
	for (int node = dt_node_by_prop_string(fdt, -1, "device_type", "memory"); node >= 0;
	     node = dt_node_by_prop_string(fdt, node, "device_type", "memory")) {
		if (fdt_node_enabled(fdt, node))
			TRY(add_ram(fdt, node, p));
	}
	if (p->ram_count == 0) {
		log_printf("error: /memory: no node with device_type = \"memory\" and a non-empty 'reg'\n");
		return BH_ERR_NOT_FOUND;
	}
	for (unsigned int i = 1; i < p->ram_count; i++) {
		if (p->ram[i - 1].base + p->ram[i - 1].size > p->ram[i].base) {
			log_printf("error: /memory: RAM ranges 0x%llx and 0x%llx overlap\n",
				   (unsigned long long)p->ram[i - 1].base,
				   (unsigned long long)p->ram[i].base);
			return BH_ERR_INVALID;
		}
	}
	return BH_OK;
}

static enum bh_err cpu_hwid(const void *fdt, int cpus_node, int node, uint64_t *hwid)
{
	int ac = fdt_address_cells(fdt, cpus_node);
	int len;
	const void *reg = dt_getprop(fdt, node, "reg", &len);

	if (ac < 1 || ac > 2) {
		log_prop_error(fdt, cpus_node, "#address-cells", "must be 1 or 2");
		return BH_ERR_INVALID;
	}
	if (reg == NULL || len != ac * 4) {
		log_prop_error(fdt, node, "reg", reg == NULL ? "missing" : "size does not match /cpus #address-cells");
		return BH_ERR_INVALID;
	}
	*hwid = fdt_read_cells(reg, ac);
	return BH_OK;
}

static enum bh_err parse_cpus(const void *fdt, uint64_t boot_hwid, struct platform *p)
{
	int cpus_node = dt_path_offset(fdt, "/cpus", 5);
	bool boot_seen = false;
	unsigned int ignored = 0;
	int node;

	if (cpus_node < 0) {
		log_printf("error: /cpus: node missing\n");
		return BH_ERR_NOT_FOUND;
	}
	/* Slot 0 is reserved for the boot CPU wherever it sits in the DT. */
	p->cpu_count = 1;
	fdt_for_each_subnode(node, fdt, cpus_node) {
		const char *type = dt_getprop(fdt, node, "device_type", NULL);
		uint64_t hwid;

		if (type == NULL || strcmp(type, "cpu") != 0 || !fdt_node_enabled(fdt, node))
			continue;
		TRY(cpu_hwid(fdt, cpus_node, node, &hwid));
		/* cpus[0] counts once seen: the boot CPU's hwid can be duplicated too. */
		for (unsigned int i = boot_seen ? 0 : 1; i < p->cpu_count; i++) {
			if (p->cpus[i].hwid == hwid) {
				log_prop_error(fdt, node, "reg", "same hardware ID as another CPU");
				return BH_ERR_INVALID;
			}
		}
		if (hwid == boot_hwid) {
			p->cpus[0] = (struct platform_cpu){hwid, node};
			boot_seen = true;
			continue;
		}
		if (p->cpu_count == MAX_CPUS) {
			ignored++;
			continue;
		}
		p->cpus[p->cpu_count++] = (struct platform_cpu){hwid, node};
	}
	if (!boot_seen) {
		log_printf("error: /cpus: no cpu node has reg = 0x%llx, the CPU running Bulkhead\n",
			   (unsigned long long)boot_hwid);
		return BH_ERR_NOT_FOUND;
	}
	if (ignored != 0)
		log_printf("warning: /cpus: %u CPUs beyond the build limit of %u stay off\n",
			   ignored, (unsigned int)MAX_CPUS);
	return BH_OK;
}

/* The console's first interrupt (`interrupts` or `interrupts-extended`)
 * if it is a GIC SPI, else 0: input is then polled. */
static uint32_t console_spi(const void *fdt, int node)
{
	struct dt_irq irq;
	uint32_t intid = dt_irq_get(fdt, node, 0, &irq) == BH_OK ? dt_irq_gic_intid(fdt, &irq) : 0u;

	return intid >= 32u ? intid : 0u;
}

bool fdt_node_in_io_space(const void *fdt, int node)
{
	int parent = dt_parent_offset(fdt, node);

	return parent >= 0 && dt_getprop(fdt, parent, "bulkhead,io-ports", NULL) != NULL;
}

enum bh_err platform_set_console(const void *fdt, int node, struct platform *p)
{
	p->console_node = node;
	p->console_irq = node >= 0 ? console_spi(fdt, node) : 0;
	p->console_io = node >= 0 && fdt_node_in_io_space(fdt, node);
	if (node < 0)
		return BH_OK;
	TRY(fdt_node_reg(fdt, node, 0, &p->console));
	/* The CPU's address, as the driver uses it (uart_select()). */
	return p->console_io ? BH_OK : fdt_reg_to_cpu(fdt, node, &p->console);
}

struct mem_range platform_vuart_window(const struct platform *p)
{
	const uint64_t page = (uint64_t)1 << PAGE_SHIFT;
	struct mem_range r = p->console;

	if (!p->console_io && r.size != 0u) {
		uint64_t end = p->console.base + p->console.size;
		uint64_t tail_bytes = end % page;

		r.base = p->console.base - (p->console.base % page);
		r.size = end - r.base + (tail_bytes != 0u ? page - tail_bytes : 0u);
	}
	return r;
}

void platform_x86_guests(struct platform *p)
{
	p->vcpu_start_limit = 1ULL << 32;
	p->doorbell_first = 0x38;
	p->doorbell_last = 0xef;
	p->doorbell_kind = "a local APIC vector";
	p->no_colouring = true;
	p->pci_functions = true;
}

/* The PMU node: the generic compatible, or a core's own (boards list only
 * that, e.g. "arm,cortex-a53-pmu"). Not an error when absent or wired to
 * SPIs: only a partition that asks for the PMU needs it (config_validate). */
static void parse_pmu(const void *fdt, struct platform *p)
{
	/* In place, not pointers (which cost relocations in the PIE image);
	 * sized and designated, as the MISRA check wants (9.3, 9.4). A row
	 * holds the longest, "arm,neoverse-n1-pmu", and its NUL. */
	static const char compatibles[9][24] = {
		[0] = "arm,armv8-pmuv3", [1] = "arm,cortex-a53-pmu", [2] = "arm,cortex-a55-pmu",
		[3] = "arm,cortex-a57-pmu", [4] = "arm,cortex-a72-pmu", [5] = "arm,cortex-a73-pmu",
		[6] = "arm,cortex-a76-pmu", [7] = "arm,cortex-a78-pmu",
		[8] = "arm,neoverse-n1-pmu",
	};
	struct dt_irq irq;

	p->pmu_node = -1;
	for (unsigned int i = 0; i < ARRAY_SIZE(compatibles) && p->pmu_node < 0; i++) {
		int node = dt_node_by_compatible(fdt, -1, compatibles[i]);

		if (node >= 0 && fdt_node_enabled(fdt, node))
			p->pmu_node = node;
	}
	if (p->pmu_node >= 0 && dt_irq_get(fdt, p->pmu_node, 0, &irq) == BH_OK) {
		uint32_t intid = dt_irq_gic_intid(fdt, &irq);

		if (intid >= 16u && intid < 32u)
			p->pmu_irq = intid;
	}
}

enum bh_err platform_parse(const void *fdt, uint64_t boot_hwid, struct platform *p)
{
	(void)memset(p, 0, sizeof(*p));
	p->console_node = -1;
	p->doorbell_first = 32; /* the GIC's SPIs */
	p->doorbell_last = 1019;
	p->doorbell_kind = "an SPI";
	TRY(parse_memory(fdt, p));
	TRY(parse_cpus(fdt, boot_hwid, p));
	parse_pmu(fdt, p);
	return BH_OK;
}
