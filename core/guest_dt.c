// SPDX-License-Identifier: Apache-2.0
/* Synthesised partition device trees; see bulkhead/guest_dt.h. */

#include <string.h>

#include <libfdt.h>

#include <bulkhead/console.h>
#include <bulkhead/dt.h>
#include <bulkhead/dt_irq.h>
#include <bulkhead/guest_dt.h>

#include "guest_dt_writer.h"

#define PHANDLE_CLOCK 2
#define TIMER_MAX_IRQS 5 /* secure, non-secure, virtual, hyp; hyp virtual */
#define GICR_FRAME_SIZE 0x20000 /* one GICv3 redistributor: RD + SGI frames */
#define GUEST_ITS_SIZE 0x20000 /* control and translation frames */
#define GICV2_GICD_SIZE 0x1000u /* a GICv2 distributor */
#define GICV2_GICC_SIZE 0x2000u /* a GICv2 CPU interface (GICC_DIR at 0x1000) */
#define VUART_CLOCK_HZ 24000000
#define VUART_16550_CLOCK_HZ 1843200

/* reg = <addr size> pairs with 2 cells each. */
static void prop_reg(struct writer *w, const uint64_t *pairs, unsigned int count)
{
	fdt64_t cells[2 * (MAX_PARTITION_MEM > MAX_DEVICE_REGS ? MAX_PARTITION_MEM : MAX_DEVICE_REGS)];

	for (unsigned int i = 0; i < 2 * count; i++)
		cells[i] = cpu_to_fdt64(pairs[i]);
	prop(w, "reg", cells, (int)(count * 2 * sizeof(fdt64_t)));
}

/* "name@<hex>" for nodes the hypervisor names itself. */
static void node_name(char *buf, size_t size, const char *base, uint64_t addr)
{
	(void)bh_snprintf(buf, size, "%s@%llx", base, (unsigned long long)addr);
}

/* A partition gets PSCI and a virtual GIC where the machine has them
 * (arm64); on x86 it gets neither. */
static bool has_psci(const void *sys)
{
	return dt_node_by_compatible(sys, -1, "arm,psci-0.2") >= 0 ||
	       dt_node_by_compatible(sys, -1, "arm,psci-1.0") >= 0;
}

static bool has_gic(const void *sys)
{
	return dt_gic_node(sys, NULL) >= 0;
}

static void add_cpus(struct writer *w, const void *sys, const struct platform *p,
		     const struct partition_config *cfg)
{
	begin(w, "cpus");
	prop_u32(w, "#address-cells", 1);
	prop_u32(w, "#size-cells", 0);
	for (unsigned int i = 0; i < cfg->cpu_count; i++) {
		char name[24];
		int len;
		const void *compat = dt_getprop(sys, p->cpus[cfg->cpus[i]].node, "compatible", &len);

		node_name(name, sizeof(name), "cpu", i);
		begin(w, name);
		prop_str(w, "device_type", "cpu");
		if (compat != NULL)
			prop(w, "compatible", compat, len);
		else
			prop_str(w, "compatible", "arm,armv8");
		prop_u32(w, "reg", i); /* vCPU i reads Aff0 = i in MPIDR_EL1 */
		if (w->sys_has_psci)
			prop_str(w, "enable-method", "psci");
		end(w);
	}
	end(w);
}

static void add_memory(struct writer *w, const struct partition_config *cfg)
{
	for (unsigned int i = 0; i < cfg->mem_count; i++) {
		char name[32];
		uint64_t reg[2] = {cfg->mem[i].ipa, cfg->mem[i].size};

		node_name(name, sizeof(name), "memory", cfg->mem[i].ipa);
		begin(w, name);
		prop_str(w, "device_type", "memory");
		prop_reg(w, reg, 1);
		end(w);
	}
}

static void add_psci(struct writer *w)
{
	static const char compat[] = "arm,psci-1.0\0" "arm,psci-0.2";

	begin(w, "psci");
	prop(w, "compatible", compat, sizeof(compat));
	prop_str(w, "method", "hvc");
	end(w);
}

/* Whether @cfg owns a function whose MSI reach an ITS: it gets a virtual
 * one (docs/passthrough.md, "MSI"). */
static bool has_msi(const struct partition_config *cfg)
{
	for (unsigned int s = 0; s < cfg->stream_count; s++) {
		if (cfg->streams[s].its_devid >= 0)
			return true;
	}
	return false;
}

/* The virtual ITS, a child of the GIC at the physical ITS's address: the
 * guest programs its devices with that doorbell address, which their DMA
 * tables map to the physical one (arch/arm64/smmuv3.c). */
static void add_its(struct writer *w, const void *sys, const struct partition_config *cfg)
{
	int its = dt_node_by_compatible(sys, -1, "arm,gic-v3-its");
	struct mem_range r;
	char name[32];

	while (its >= 0 && !fdt_node_enabled(sys, its))
		its = dt_node_by_compatible(sys, its, "arm,gic-v3-its");
	if (!has_msi(cfg) || its < 0 || fdt_node_reg(sys, its, 0, &r) != BH_OK ||
	    fdt_reg_to_cpu(sys, its, &r) != BH_OK)
		return;
	uint64_t reg[2] = {r.base, GUEST_ITS_SIZE};

	prop_u32(w, "#address-cells", 2);
	prop_u32(w, "#size-cells", 2);
	prop(w, "ranges", NULL, 0);
	node_name(name, sizeof(name), "msi-controller", r.base);
	begin(w, name);
	prop_str(w, "compatible", "arm,gic-v3-its");
	prop(w, "msi-controller", NULL, 0);
	prop_u32(w, "#msi-cells", 1);
	prop_reg(w, reg, 1);
	prop_u32(w, "phandle", PHANDLE_ITS);
	end(w);
}

/* The virtual GIC sits where the physical one is. A GICv3 gets one
 * redistributor per vCPU; a GICv2 is described as a GIC-400 whose CPU
 * interface (the hardware's virtual one, 8 KiB) is at the system DT's CPU
 * interface address, with neither the virtualisation frames nor their
 * maintenance interrupt: partitions do not nest. */
static void add_gic(struct writer *w, const void *sys, const struct partition_config *cfg)
{
	unsigned int version = 0;
	int gic = dt_gic_node(sys, &version);
	struct mem_range gicd, second;
	char name[32];

	if (gic < 0 || fdt_node_reg(sys, gic, 0, &gicd) != BH_OK ||
	    fdt_node_reg(sys, gic, 1, &second) != BH_OK) {
		w->err = -FDT_ERR_NOTFOUND;
		return;
	}
	uint64_t reg[4] = {gicd.base, gicd.size, second.base, (uint64_t)GICR_FRAME_SIZE * cfg->cpu_count};

	if (version == 2u) {
		reg[1] = GICV2_GICD_SIZE;
		reg[3] = GICV2_GICC_SIZE;
	}
	node_name(name, sizeof(name), "interrupt-controller", gicd.base);
	begin(w, name);
	prop_str(w, "compatible", version == 2u ? "arm,gic-400" : "arm,gic-v3");
	prop_u32(w, "#interrupt-cells", 3);
	prop(w, "interrupt-controller", NULL, 0);
	if (version != 2u)
		prop_u32(w, "#redistributor-regions", 1);
	prop_reg(w, reg, 2);
	prop_u32(w, "phandle", PHANDLE_GIC);
	if (version != 2u)
		add_its(w, sys, cfg);
	end(w);
}

/* The timer's PPIs for the guest's 3-cell GIC: the board's may be given by
 * `interrupts-extended` (R-Car) or have 4 cells (RK3588). */
static void add_timer_irqs(struct writer *w, const void *sys, int timer)
{
	fdt32_t cells[TIMER_MAX_IRQS * 3];
	struct dt_irq irq;
	int n = 0;

	while (n < TIMER_MAX_IRQS && dt_irq_get(sys, timer, n, &irq) == BH_OK && irq.cells >= 3) {
		for (int i = 0; i < 3; i++)
			cells[3 * n + i] = cpu_to_fdt32(irq.spec[i]);
		n++;
	}
	if (n != 0)
		prop(w, "interrupts", cells, n * 3 * (int)sizeof(fdt32_t));
}

static void add_timer(struct writer *w, const void *sys)
{
	int timer = dt_node_by_compatible(sys, -1, "arm,armv8-timer");
	int len;

	if (timer < 0)
		return;
	begin(w, "timer");
	const void *v = dt_getprop(sys, timer, "compatible", &len);

	if (v != NULL)
		prop(w, "compatible", v, len);
	add_timer_irqs(w, sys, timer);
	/* Firmware that leaves CNTFRQ_EL0 unset needs this in every guest too. */
	v = dt_getprop(sys, timer, "clock-frequency", &len);
	if (v != NULL)
		prop(w, "clock-frequency", v, len);
	if (dt_getprop(sys, timer, "always-on", NULL) != NULL)
		prop(w, "always-on", NULL, 0);
	prop_u32(w, "interrupt-parent", PHANDLE_GIC);
	end(w);
}

/* The PMU of a partition that owns it: the board's compatible (the guest's
 * MIDR is the CPU's, so a core-specific driver matches) and its PPI in the
 * guest's 3-cell GIC specifier, with the board's trigger and, where the
 * board gives a GICv2 CPU mask, one covering the partition's vCPUs. */
static void add_pmu(struct writer *w, const void *sys, const struct platform *p,
		    const struct partition_config *cfg)
{
	uint32_t flags = 4; /* level, active high: what the PMU drives */
	struct dt_irq irq;
	int len;

	if (!cfg->pmu || p->pmu_node < 0 || p->pmu_irq == 0u)
		return;
	if (dt_irq_get(sys, p->pmu_node, 0, &irq) == BH_OK && irq.cells >= 3) {
		flags = irq.spec[2] & 0xfu;
		if ((irq.spec[2] & 0xff00u) != 0u)
			flags |= ((1u << cfg->cpu_count) - 1u) << 8;
	}
	fdt32_t cells[3] = {cpu_to_fdt32(1), cpu_to_fdt32(p->pmu_irq - 16u), cpu_to_fdt32(flags)};
	const void *v = fdt_getprop(sys, p->pmu_node, "compatible", &len);

	begin(w, "pmu");
	if (v != NULL)
		prop(w, "compatible", v, len);
	prop(w, "interrupts", cells, sizeof(cells));
	prop_u32(w, "interrupt-parent", PHANDLE_GIC);
	end(w);
}

static void add_vuart(struct writer *w, const struct guest_dt_layout *layout)
{
	static const char compat[] = "arm,pl011\0arm,primecell";
	static const char clock_names[] = "uartclk\0apb_pclk";
	fdt32_t clocks[2] = {cpu_to_fdt32(PHANDLE_CLOCK), cpu_to_fdt32(PHANDLE_CLOCK)};
	uint64_t reg[2] = {layout->vuart_ipa, layout->vuart_size};
	char name[32];

	begin(w, "apb-pclk");
	prop_str(w, "compatible", "fixed-clock");
	prop_u32(w, "#clock-cells", 0);
	prop_u32(w, "clock-frequency", VUART_CLOCK_HZ);
	prop_str(w, "clock-output-names", "clk24mhz");
	prop_u32(w, "phandle", PHANDLE_CLOCK);
	end(w);

	node_name(name, sizeof(name), "pl011", layout->vuart_ipa);
	begin(w, name);
	prop(w, "compatible", compat, sizeof(compat));
	prop_reg(w, reg, 1);
	prop(w, "clocks", clocks, sizeof(clocks));
	prop(w, "clock-names", clock_names, sizeof(clock_names));
	if (layout->vuart_irq >= 32) {
		/* A level-high SPI, as the physical PL011's is. */
		fdt32_t irq[3] = {cpu_to_fdt32(0), cpu_to_fdt32(layout->vuart_irq - 32),
				  cpu_to_fdt32(4)};

		prop(w, "interrupts", irq, sizeof(irq));
	}
	end(w);
}

/*
 * A channel end (docs/channels.md): the shared region and, if configured,
 * the doorbell page as `reg` (UIO maps 0 and 1), the incoming doorbell as a
 * rising-edge SPI, the peer's name and the id the doorbell hypercall takes.
 */
static void add_channel(struct writer *w, const struct partition_channel *ch)
{
	uint64_t reg[4] = {ch->ipa, ch->size, ch->doorbell_ipa, PAGE_SIZE};
	fdt32_t irq[3] = {cpu_to_fdt32(0), cpu_to_fdt32(ch->intid - 32), cpu_to_fdt32(1)};
	static const char names[] = "shared\0" "doorbell";
	char name[32];

	node_name(name, sizeof(name), "channel", ch->ipa);
	begin(w, name);
	prop_str(w, "compatible", "bulkhead,channel");
	prop_reg(w, reg, ch->doorbell_ipa != 0 ? 2 : 1);
	prop(w, "reg-names", names, ch->doorbell_ipa != 0 ? (int)sizeof(names) : 7);
	if (w->sys_has_gic)
		prop(w, "interrupts", irq, sizeof(irq));
	else
		prop_u32(w, "bulkhead,doorbell-vector", ch->intid); /* x86: a local APIC vector */
	prop_str(w, "peer", ch->peer_name);
	prop_str(w, "access", ch->writable ? "rw" : "ro");
	prop_u32(w, "bulkhead,channel-id", ch->id);
	end(w);
}

/* A flash region with an emulated CFI bank, as QEMU's virt board describes
 * its flash: what U-Boot's and EDK2's flash drivers look for. */
static void add_cfi_flash(struct writer *w, const struct partition_flash *f)
{
	uint64_t reg[2] = {f->ipa, f->size};
	char name[32];

	node_name(name, sizeof(name), "flash", f->ipa);
	begin(w, name);
	prop_str(w, "compatible", "cfi-flash");
	prop_reg(w, reg, 1);
	prop_u32(w, "bank-width", f->cfi.bank_width);
	end(w);
}

/* A 16550 in I/O space (x86), inside the guest's port bus. */
static void add_vuart_io(struct writer *w, const struct guest_dt_layout *layout)
{
	uint32_t reg[2] = {cpu_to_fdt32((uint32_t)layout->vuart_ipa),
			   cpu_to_fdt32((uint32_t)layout->vuart_size)};
	char name[32];

	node_name(name, sizeof(name), "serial", layout->vuart_ipa);
	begin(w, name);
	prop_str(w, "compatible", "ns16550a");
	prop(w, "reg", reg, sizeof(reg));
	prop_u32(w, "clock-frequency", VUART_16550_CLOCK_HZ);
	end(w);
}

static void vuart_path(char *buf, size_t size, const struct platform *p,
		       const struct guest_dt_layout *layout)
{
	node_name(buf, size, p->console_io ? "/ioports/serial" : "/pl011", layout->vuart_ipa);
}

/* Properties naming other nodes of the system DT that the guest lacks
 * (clocks are rewritten apart). */
static bool dropped_property(const char *name)
{
	/* In place, not pointers (which cost relocations in the PIE image);
	 * sized and designated, as the MISRA check wants (9.3, 9.4). A row
	 * holds the longest, "interrupt-parent", and its NUL with room to
	 * spare: C lets a string fill its row without one, silently. */
	static const char dropped[16][20] = {
		[0] = "reg", [1] = "interrupt-parent", [2] = "phandle", [3] = "clocks",
		[4] = "clock-names", [5] = "resets", [6] = "power-domains", [7] = "dmas",
		[8] = "dma-names", [9] = "iommus", [10] = "msi-parent", [11] = "iommu-map",
		[12] = "iommu-map-mask", [13] = "msi-map", [14] = "msi-map-mask",
		[15] = "interrupt-map",
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(dropped); i++) {
		if (strcmp(name, dropped[i]) == 0)
			return true;
	}
	return strncmp(name, "pinctrl-", 8) == 0;
}

static bool is_irq_property(const char *name)
{
	return strcmp(name, "interrupts") == 0 || strcmp(name, "interrupts-extended") == 0;
}

/* A device's interrupts as the configuration decoded them (SPIs, whatever
 * form the board used), as 3-cell specifiers of the guest's GIC. */
static void add_device_irqs(struct writer *w, const struct partition_device *dev)
{
	fdt32_t cells[MAX_DEVICE_IRQS * 3];

	for (unsigned int i = 0; i < dev->irq_count; i++) {
		cells[3u * i] = cpu_to_fdt32(0);
		cells[3u * i + 1u] = cpu_to_fdt32(dev->irqs[i] - 32u);
		cells[3u * i + 2u] = cpu_to_fdt32((dev->irq_edge & (1u << i)) != 0u ? 1u : 4u);
	}
	if (dev->irq_count != 0u)
		prop(w, "interrupts", cells, (int)dev->irq_count * 3 * (int)sizeof(fdt32_t));
}

/* A passthrough device's node name in the partition's DT: its name in the
 * system DT with its CPU address as the unit address (see add_device). */
static void device_name(const void *sys, const struct partition_device *dev, char *buf, size_t size)
{
	const char *sys_name = fdt_get_name(sys, dev->node, NULL);

	if (sys_name == NULL)
		sys_name = "device";
	if (dev->reg_count != 0u) {
		const char *at = strchr(sys_name, '@');
		int base_len = at != NULL ? (int)(at - sys_name) : (int)strlen(sys_name);

		(void)bh_snprintf(buf, size, "%.*s@%llx", base_len, sys_name,
				  (unsigned long long)dev->regs[0].base);
	} else {
		(void)bh_snprintf(buf, size, "%s", sys_name);
	}
}

/*
 * /aliases: the virtual UART as serial0, and each memory-mapped passthrough
 * device under the alias the system DT gives it (Linux's i.MX UART and
 * LPUART drivers refuse a port without a `serialN` alias), unless the
 * virtual UART took that name.
 */
static void add_aliases(struct writer *w, const void *sys, const struct platform *p,
			const struct partition_config *cfg, const struct guest_dt_layout *layout)
{
	int aliases = dt_path_offset(sys, "/aliases", 8);
	bool vuart = cfg->console == PARTITION_CONSOLE_VUART;
	bool open = false;
	char path[72];
	int off;

	if (vuart) {
		begin(w, "aliases");
		open = true;
		vuart_path(path, sizeof(path), p, layout);
		prop_str(w, "serial0", path);
	}
	fdt_for_each_property_offset(off, sys, aliases) {
		const char *name;
		int len;
		const char *target = fdt_getprop_by_offset(sys, off, &name, &len);
		int node = target != NULL && len > 1 ? dt_path_offset(sys, target, len - 1) : -1;

		if (node < 0 || (vuart && strcmp(name, "serial0") == 0))
			continue;
		for (unsigned int i = 0; i < cfg->device_count; i++) {
			if (cfg->devices[i].node != node || cfg->devices[i].io_ports)
				continue;
			if (!open) {
				begin(w, "aliases");
				open = true;
			}
			path[0] = '/';
			device_name(sys, &cfg->devices[i], &path[1], sizeof(path) - 1u);
			prop_str(w, name, path);
		}
	}
	if (open)
		end(w);
}

/* A passthrough device, as in the system DT, wired to the virtual GIC and
 * to copies of its fixed clocks. It sits at the guest's root, so `reg` is
 * rewritten in the root's two cells (in the system DT the node may be on a
 * bus with other cell counts and addresses) and the unit address in its
 * name becomes its CPU address, which also keeps apart same-named nodes of
 * two buses. */
static void add_device(struct writer *w, const void *sys, const struct partition_config *cfg,
		       const struct partition_device *dev, unsigned int index,
		       const struct device_clocks *clocks)
{
	int node = dev->node;
	char node_name_buf[64];
	int off;

	device_name(sys, dev, node_name_buf, sizeof(node_name_buf));
	begin(w, node_name_buf);
	fdt_for_each_property_offset(off, sys, node) {
		const char *name;
		int len;
		const void *val = fdt_getprop_by_offset(sys, off, &name, &len);

		if (val != NULL && !dropped_property(name) &&
		    !(dev->window_count != 0 && strcmp(name, "ranges") == 0) &&
		    !(w->sys_has_gic && is_irq_property(name)))
			prop(w, name, val, len);
	}
	if (w->sys_has_gic)
		add_device_irqs(w, dev);
	guest_dt_bridge_ranges(w, sys, dev);
	/* A bridge's windows follow its own reg ranges: they stay in `ranges`. */
	unsigned int own_regs = dev->reg_count - dev->window_count;

	if (own_regs != 0) {
		uint64_t reg[2 * MAX_DEVICE_REGS];

		for (unsigned int i = 0; i < own_regs; i++) {
			reg[2 * i] = dev->regs[i].base;
			reg[2 * i + 1] = dev->regs[i].size;
		}
		prop_reg(w, reg, own_regs);
	}
	guest_dt_bridge_maps(w, sys, cfg, node);
	guest_dt_device_clocks(w, sys, dev, index, clocks);
	if (w->sys_has_gic)
		prop_u32(w, "interrupt-parent", PHANDLE_GIC);
	end(w);
}

/* A passthrough device in port space (x86), as in the system DT: on the
 * guest's port bus, with the same one-cell port numbers. */
static void add_io_device(struct writer *w, const void *sys, int node)
{
	int off;

	begin(w, fdt_get_name(sys, node, NULL));
	fdt_for_each_property_offset(off, sys, node) {
		const char *name;
		int len;
		const void *val = fdt_getprop_by_offset(sys, off, &name, &len);

		if (val != NULL && (strcmp(name, "reg") == 0 || !dropped_property(name)))
			prop(w, name, val, len);
	}
	end(w);
}

/* The guest's I/O port bus (x86): its virtual 16550 if the console is one,
 * and its passthrough devices in port space. */
static void add_io_ports(struct writer *w, const void *sys, const struct platform *p,
			 const struct partition_config *cfg, const struct guest_dt_layout *layout)
{
	bool vuart = cfg->console == PARTITION_CONSOLE_VUART && p->console_io;
	bool devices = false;

	for (unsigned int i = 0; i < cfg->device_count; i++)
		devices = devices || cfg->devices[i].io_ports;
	if (!vuart && !devices)
		return;
	begin(w, "ioports");
	prop(w, "bulkhead,io-ports", NULL, 0);
	prop_u32(w, "#address-cells", 1);
	prop_u32(w, "#size-cells", 1);
	if (vuart)
		add_vuart_io(w, layout);
	for (unsigned int i = 0; i < cfg->device_count; i++) {
		if (cfg->devices[i].io_ports)
			add_io_device(w, sys, cfg->devices[i].node);
	}
	end(w);
}

static void add_chosen(struct writer *w, const struct platform *p,
		       const struct partition_config *cfg, unsigned int id,
		       const struct guest_dt_layout *layout)
{
	begin(w, "chosen");
	if (cfg->bootargs != NULL)
		prop_str(w, "bootargs", cfg->bootargs);
	if (layout->ramdisk_size != 0) {
		prop_u64(w, "linux,initrd-start", layout->ramdisk_ipa);
		prop_u64(w, "linux,initrd-end", layout->ramdisk_ipa + layout->ramdisk_size);
	}
	if (cfg->console == PARTITION_CONSOLE_VUART) {
		char path[40];

		vuart_path(path, sizeof(path), p, layout);
		prop_str(w, "stdout-path", path);
	}
	prop_str(w, "bulkhead,partition", cfg->name);
	prop_u32(w, "bulkhead,partition-id", id);
	prop_u32(w, "bulkhead,boot-count", layout->boot_count);
	end(w);
}

enum bh_err guest_dt_build(void *buf, size_t size, const void *sys, const struct platform *p,
			   const struct partition_config *cfg, unsigned int partition_id,
			   const struct guest_dt_layout *layout, size_t *used)
{
	/* No name de-duplication: it scans the whole string table for every
	 * property; a few repeated names cost less than that. */
	struct writer w = {buf, fdt_create_with_flags(buf, (int)size, FDT_CREATE_FLAG_NO_NAME_DEDUP),
			   has_psci(sys), has_gic(sys)};
	struct device_clocks clocks;
	char model[64];

	if (w.err == 0)
		w.err = fdt_finish_reservemap(buf);
	begin(&w, "");
	prop_u32(&w, "#address-cells", 2);
	prop_u32(&w, "#size-cells", 2);
	prop_str(&w, "compatible", "bulkhead,partition");
	(void)bh_snprintf(model, sizeof(model), "Bulkhead partition %s", cfg->name);
	prop_str(&w, "model", model);
	if (w.sys_has_gic)
		prop_u32(&w, "interrupt-parent", PHANDLE_GIC);
	add_chosen(&w, p, cfg, partition_id, layout);
	add_aliases(&w, sys, p, cfg, layout);
	add_cpus(&w, sys, p, cfg);
	add_memory(&w, cfg);
	if (w.sys_has_psci)
		add_psci(&w);
	if (w.sys_has_gic)
		add_gic(&w, sys, cfg);
	add_timer(&w, sys);
	if (w.sys_has_gic)
		add_pmu(&w, sys, p, cfg);
	if (cfg->console == PARTITION_CONSOLE_VUART && !p->console_io)
		add_vuart(&w, layout);
	add_io_ports(&w, sys, p, cfg, layout);
	for (unsigned int i = 0; i < cfg->chan_count; i++)
		add_channel(&w, &cfg->chan[i]);
	for (unsigned int i = 0; i < cfg->flash_count; i++) {
		if (cfg->flash[i].cfi.bank_width != 0u)
			add_cfi_flash(&w, &cfg->flash[i]);
	}
	guest_dt_collect_clocks(sys, cfg, &clocks);
	guest_dt_fixed_clocks(&w, sys, &clocks);
	for (unsigned int i = 0; i < cfg->device_count; i++) {
		if (cfg->devices[i].io_ports)
			continue;
		if (cfg->devices[i].clock_hz != 0u)
			guest_dt_rate_clock(&w, &cfg->devices[i], i);
		add_device(&w, sys, cfg, &cfg->devices[i], i, &clocks);
	}
	end(&w);
	if (w.err == 0)
		w.err = fdt_finish(buf);
	if (w.err != 0) {
		log_printf("error: partition %s: building its device tree: %s\n", cfg->name,
			   dt_strerror(w.err));
		return w.err == -FDT_ERR_NOSPACE ? BH_ERR_NO_MEMORY : BH_ERR_INVALID;
	}
	*used = fdt_totalsize(buf);
	return BH_OK;
}
