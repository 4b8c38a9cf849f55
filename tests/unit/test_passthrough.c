// SPDX-License-Identifier: Apache-2.0
/* Passthrough devices: decoding through bus ranges, and their copies in the
 * partition's device tree (reg in the root's cells, fixed clocks, GIC). */

#include <libfdt.h>

#include <arch/fake.h>
#include <bulkhead/console.h>
#include <bulkhead/dt.h>
#include <bulkhead/guest_dt.h>
#include <bulkhead/partition_config.h>
#include <bulkhead/platform.h>

#include "test.h"

static struct platform plat;
static struct system_config sys_config;
static struct config_errors errors;
static uint8_t guest[16384];

static const void *parse_system(void)
{
	return test_parse_system("passthrough", &plat, &sys_config, &errors);
}

static const void *prop(const void *fdt, const char *path, const char *name, int *len)
{
	int node = fdt_path_offset(fdt, path);

	return node >= 0 ? fdt_getprop(fdt, node, name, len) : NULL;
}

TEST(passthrough_regs_translated_by_bus_ranges) /* reqs: REQ-PAR-002 REQ-CFG-004 */
{
	const void *fdt = parse_system();

	REQUIRE(fdt != NULL);
	const struct partition_config *pc = &sys_config.part[0];

	REQUIRE(pc->device_count == 2);
	CHECK_EQ(pc->devices[0].regs[0].base, 0xfe201000);
	CHECK_EQ(pc->devices[0].regs[0].size, 0x1000);
	CHECK_EQ(pc->devices[1].regs[0].base, 0xfe300000);
	CHECK_EQ(pc->devices[0].irqs[0], 37);
	CHECK_EQ(pc->devices[0].irq_edge, 0);
	CHECK_EQ(pc->devices[1].irq_count, 2);
	CHECK_EQ(pc->devices[1].irq_edge, 1); /* <0 6 1>: rising edge; <0 7 4>: level */
}

/* Two-cell interrupts (an I/O APIC's): the flags set trigger and polarity;
 * an undefined one is an error naming the device and the property. */
TEST(ioapic_interrupt_flags) /* reqs: REQ-IRQ-002 REQ-CFG-001 */
{
	static struct platform p;
	static struct system_config sys;
	static struct config_errors errs;

	CHECK(test_parse_system("ioapic-flags", &p, &sys, &errs) == NULL);
	const struct partition_device *d = &sys.part[0].devices[0];

	REQUIRE(d->irq_count == 4);
	CHECK_EQ(d->irqs[0], 3);
	CHECK_EQ(d->irqs[3], 6);
	CHECK_EQ(d->irq_edge, 0x9);       /* 0 rising edge, 3 falling edge */
	CHECK_EQ(d->irq_active_low, 0xa); /* 1 low level, 3 falling edge */
	REQUIRE(errs.count == 1);
	CHECK_STR(errs.list[0].path, "/chosen/bulkhead/p0");
	CHECK_STR(errs.list[0].property, "devices");
	CHECK_STR(errs.list[0].message, "/device@fe001000: 'interrupts' 1: trigger 4 is not 0-3 "
					"(rising edge, low level, high level, falling edge)");
}

TEST(fdt_reg_to_cpu_outside_ranges_or_unmapped_bus) /* reqs: REQ-PAR-002 REQ-CFG-004 */
{
	const void *fdt = parse_system();
	struct mem_range r = {0x1000000, 0x10};

	REQUIRE(fdt != NULL);
	int timer = fdt_path_offset(fdt, "/soc/timer@300000");

	CHECK_EQ(fdt_reg_to_cpu(fdt, timer, &r), BH_ERR_NOT_FOUND); /* past the range */
	CHECK_EQ(r.base, 0x1000000);
	r = (struct mem_range){0xfff000, 0x2000};
	CHECK_EQ(fdt_reg_to_cpu(fdt, timer, &r), BH_ERR_NOT_FOUND); /* runs out of it */
	r = (struct mem_range){0xfff000, 0x1000};
	CHECK_EQ(fdt_reg_to_cpu(fdt, timer, &r), BH_OK);
	CHECK_EQ(r.base, 0xfefff000);
	/* Nodes at the root need no translation. */
	r = (struct mem_range){0x1c20000, 0x400};
	CHECK_EQ(fdt_reg_to_cpu(fdt, fdt_path_offset(fdt, "/clock-controller@1c20000"), &r), BH_OK);
	CHECK_EQ(r.base, 0x1c20000);
	/* /cpus has no ranges: its children are not memory-mapped. */
	r = (struct mem_range){0, 1};
	CHECK_EQ(fdt_reg_to_cpu(fdt, fdt_path_offset(fdt, "/cpus/cpu@0"), &r), BH_ERR_NOT_FOUND);
}

TEST(guest_dt_device_copies) /* reqs: REQ-CFG-006 REQ-PAR-002 */
{
	const void *fdt = parse_system();
	struct guest_dt_layout layout = {.boot_count = 1};
	size_t used;
	int len;

	REQUIRE(fdt != NULL);
	REQUIRE(guest_dt_build(guest, sizeof(guest), fdt, &plat, &sys_config.part[0], 0, &layout,
			       &used) == BH_OK);
	REQUIRE(fdt_check_header(guest) == 0);
	int gic = fdt_node_offset_by_compatible(guest, -1, "arm,gic-v3");

	REQUIRE(gic >= 0);
	uint32_t gic_phandle = fdt_get_phandle(guest, gic);

	/* The UART: at the root, named and reg'd (two cells) at its CPU address. */
	const fdt32_t *reg = prop(guest, "/serial@fe201000", "reg", &len);

	REQUIRE(reg != NULL);
	CHECK_EQ(len, 16);
	CHECK_EQ(fdt32_to_cpu(reg[0]), 0);
	CHECK_EQ(fdt32_to_cpu(reg[1]), 0xfe201000);
	CHECK_EQ(fdt32_to_cpu(reg[3]), 0x1000);
	const fdt32_t *parent = prop(guest, "/serial@fe201000", "interrupt-parent", &len);

	REQUIRE(parent != NULL);
	CHECK_EQ(fdt32_to_cpu(*parent), gic_phandle);
	/* Both its clocks are the one oscillator, copied once. */
	const fdt32_t *clocks = prop(guest, "/serial@fe201000", "clocks", &len);

	REQUIRE(clocks != NULL && len == 8);
	CHECK_EQ(fdt32_to_cpu(clocks[0]), fdt32_to_cpu(clocks[1]));
	int clock = fdt_node_offset_by_phandle(guest, fdt32_to_cpu(clocks[0]));

	REQUIRE(clock >= 0);
	CHECK_STR(fdt_get_name(guest, clock, NULL), "passthrough-clock-0");
	CHECK(fdt_node_check_compatible(guest, clock, "fixed-clock") == 0);
	const fdt32_t *rate = fdt_getprop(guest, clock, "clock-frequency", NULL);

	REQUIRE(rate != NULL);
	CHECK_EQ(fdt32_to_cpu(*rate), 24000000);
	CHECK(fdt_getprop(guest, clock, "clock-output-names", NULL) == NULL);
	CHECK(prop(guest, "/serial@fe201000", "clock-names", &len) != NULL);
	CHECK(prop(guest, "/serial@fe201000", "pinctrl-0", &len) == NULL);
	CHECK(fdt_path_offset(guest, "/passthrough-clock-1") < 0);
	/* The timer's clock and reset come from a controller the guest lacks. */
	CHECK(fdt_path_offset(guest, "/timer@fe300000") >= 0);
	CHECK(prop(guest, "/timer@fe300000", "clocks", &len) == NULL);
	CHECK(prop(guest, "/timer@fe300000", "clock-names", &len) == NULL);
	CHECK(prop(guest, "/timer@fe300000", "resets", &len) == NULL);
	CHECK(prop(guest, "/timer@fe300000", "interrupts", &len) != NULL && len == 24);
	CHECK(fdt_path_offset(guest, "/clock-controller@1c20000") < 0);
}
