// SPDX-License-Identifier: Apache-2.0
/* A real SoC's tree shapes (tests/unit/dts/board-soc.dts): the platform
 * checks read a GICv3 with 4-cell specifiers on a translating bus and an
 * interrupts-extended timer; the configuration takes devices given that
 * way, a clock rate for a device whose clocks come from a controller, and
 * memory over a reserved region the partition owns; the partition's DT
 * gets 3-cell interrupts, a fixed clock, and none of pinctrl, resets or
 * power domains, and the devices' serial aliases follow them. */

#include <libfdt.h>

#include <arch/fake.h>
#include <bulkhead/arm_platform.h>
#include <bulkhead/dt.h>
#include <bulkhead/guest_dt.h>
#include <bulkhead/partition_config.h>
#include <bulkhead/platform.h>

#include "test.h"

static struct platform plat;
static struct system_config sys_config;
static struct config_errors errors;
static uint8_t guest[16384];

static const void *prop(const void *fdt, const char *path, const char *name, int *len)
{
	int node = fdt_path_offset(fdt, path);

	return node >= 0 ? fdt_getprop(fdt, node, name, len) : NULL;
}

TEST(board_platform_through_ranges_and_interrupts_extended) /* reqs: REQ-CFG-004 REQ-BRD-001 */
{
	const void *fdt = test_parse_system("board-soc", &plat, &sys_config, &errors);
	struct arm_platform a;

	REQUIRE(fdt != NULL);
	REQUIRE(arm_platform_parse(fdt, &a) == BH_OK);
	CHECK_EQ(a.gicd_base, 0xfe600000);
	CHECK_EQ(a.gicr_base[0], 0xfe680000);
	CHECK_EQ(a.gicr_size[0], 0x100000);
	CHECK_EQ(a.timer_irq_hyp, 26); /* PPI 10 */
	CHECK(a.psci_node >= 0);
}

TEST(board_devices_with_4_cell_and_extended_interrupts) /* reqs: REQ-CFG-004 REQ-BRD-001 */
{
	REQUIRE(test_parse_system("board-soc", &plat, &sys_config, &errors) != NULL);
	const struct partition_config *pc = &sys_config.part[0];

	REQUIRE(pc->device_count == 2);
	CHECK_EQ(pc->devices[0].regs[0].base, 0xfe201000);
	CHECK_EQ(pc->devices[0].irq_count, 1);
	CHECK_EQ(pc->devices[0].irqs[0], 150);
	CHECK_EQ(pc->devices[0].irq_edge, 0);
	CHECK_EQ(pc->devices[0].clock_hz, 24000000);
	CHECK_EQ(pc->devices[1].irqs[0], 151);
	CHECK_EQ(pc->devices[1].irq_edge, 1);
	CHECK_EQ(pc->devices[1].clock_hz, 0);
}

TEST(board_partition_dt_clocks_irqs_and_timer) /* reqs: REQ-CFG-006 REQ-BRD-001 */
{
	const void *fdt = test_parse_system("board-soc", &plat, &sys_config, &errors);
	struct guest_dt_layout layout = {.boot_count = 1};
	size_t used;
	int len;

	REQUIRE(fdt != NULL);
	REQUIRE(guest_dt_build(guest, sizeof(guest), fdt, &plat, &sys_config.part[0], 0, &layout,
			       &used) == BH_OK);
	/* The timer: four 3-cell PPIs for the guest's GIC. */
	const fdt32_t *t = prop(guest, "/timer", "interrupts", &len);

	REQUIRE(t != NULL);
	CHECK_EQ(len, 4 * 12);
	CHECK_EQ(fdt32_to_cpu(t[9]), 1);
	CHECK_EQ(fdt32_to_cpu(t[10]), 10);
	CHECK_EQ(fdt32_to_cpu(t[11]), 0xf08);
	/* The UART: one 3-cell SPI, no interrupts-extended. */
	const fdt32_t *irq = prop(guest, "/serial@fe201000", "interrupts", &len);

	REQUIRE(irq != NULL);
	CHECK_EQ(len, 12);
	CHECK_EQ(fdt32_to_cpu(irq[0]), 0);
	CHECK_EQ(fdt32_to_cpu(irq[1]), 118);
	CHECK_EQ(fdt32_to_cpu(irq[2]), 4);
	CHECK(prop(guest, "/serial@fe201000", "interrupts-extended", &len) == NULL);
	/* Both its clocks are one fixed clock at the configured rate. */
	const fdt32_t *clocks = prop(guest, "/serial@fe201000", "clocks", &len);

	REQUIRE(clocks != NULL);
	CHECK_EQ(len, 8);
	CHECK_EQ(fdt32_to_cpu(clocks[0]), fdt32_to_cpu(clocks[1]));
	int clock = fdt_node_offset_by_phandle(guest, fdt32_to_cpu(clocks[0]));

	REQUIRE(clock >= 0);
	CHECK(fdt_node_check_compatible(guest, clock, "fixed-clock") == 0);
	const fdt32_t *rate = fdt_getprop(guest, clock, "clock-frequency", NULL);

	REQUIRE(rate != NULL);
	CHECK_EQ(fdt32_to_cpu(*rate), 24000000);
	CHECK(prop(guest, "/serial@fe201000", "clock-names", &len) != NULL);
	CHECK(prop(guest, "/serial@fe201000", "reg-shift", &len) != NULL);
	CHECK(prop(guest, "/serial@fe201000", "resets", &len) == NULL);
	CHECK(prop(guest, "/serial@fe201000", "power-domains", &len) == NULL);
	CHECK(prop(guest, "/serial@fe201000", "pinctrl-0", &len) == NULL);
	CHECK(prop(guest, "/serial@fe201000", "pinctrl-names", &len) == NULL);
	/* The second UART has no rate: no clocks, as before. */
	CHECK(prop(guest, "/serial@fe202000", "clocks", &len) == NULL);
	irq = prop(guest, "/serial@fe202000", "interrupts", &len);
	REQUIRE(irq != NULL);
	CHECK_EQ(len, 12);
	CHECK_EQ(fdt32_to_cpu(irq[2]), 1);
}

TEST(board_partition_dt_keeps_the_devices_serial_aliases) /* reqs: REQ-CFG-006 REQ-BRD-001 */
{
	const void *fdt = test_parse_system("board-soc", &plat, &sys_config, &errors);
	struct guest_dt_layout layout = {.boot_count = 1};
	size_t used;
	int len;

	REQUIRE(fdt != NULL);
	REQUIRE(guest_dt_build(guest, sizeof(guest), fdt, &plat, &sys_config.part[0], 0, &layout,
			       &used) == BH_OK);
	const char *a = prop(guest, "/aliases", "serial2", &len);

	REQUIRE(a != NULL);
	CHECK_STR(a, "/serial@fe201000");
	CHECK(fdt_path_offset(guest, a) >= 0);
	a = prop(guest, "/aliases", "serial4", &len);
	REQUIRE(a != NULL);
	CHECK_STR(a, "/serial@fe202000");
	CHECK(prop(guest, "/aliases", "serial9", &len) == NULL);
	CHECK(prop(guest, "/aliases", "serial0", &len) == NULL);
}

/* board-soc with one property changed, indexed, console output cleared. */
static void *variant(const char *path, const char *name, const void *val, int len)
{
	static uint8_t buf[65536];
	const void *base = test_load_dtb("board-soc");

	if (fdt_open_into(base, buf, sizeof(buf)) != 0 ||
	    fdt_setprop(buf, fdt_path_offset(buf, path), name, val, len) != 0)
		return NULL;
	dt_index_build(buf);
	fake_console_reset();
	return buf;
}

TEST(board_platform_refusals_name_node_and_property) /* reqs: REQ-CFG-004 REQ-CFG-001 */
{
	static const char gicv2[] = "arm,cortex-a15-gic";
	static const char gicv1[] = "arm,cortex-a9-gic";
	static const char hvc[] = "hvc";
	static const char spin[] = "spin-table";
	static const fdt32_t bad_timer[] = {0}; /* not a phandle and a specifier */
	static const fdt32_t gic_ranges[] = {0, 0, 0xfe000000, 0x100000}; /* GIC outside */
	struct arm_platform a;
	void *fdt = variant("/soc/interrupt-controller@600000", "compatible", gicv2, sizeof(gicv2));

	REQUIRE(fdt != NULL);
	/* A GICv2 is driven, but only with its virtualisation frames. */
	CHECK(arm_platform_parse(fdt, &a) == BH_ERR_UNSUPPORTED);
	CHECK_CONTAINS(fake_console_output(),
		       "error: /soc/interrupt-controller@600000: property 'reg': no virtualisation "
		       "extensions (GICH and GICV, 3rd and 4th entries)");
	fdt = variant("/soc/interrupt-controller@600000", "compatible", gicv1, sizeof(gicv1));
	REQUIRE(fdt != NULL);
	CHECK(arm_platform_parse(fdt, &a) == BH_ERR_UNSUPPORTED);
	CHECK_CONTAINS(fake_console_output(),
		       "error: /soc/interrupt-controller@600000: property 'compatible': "
		       "\"arm,cortex-a9-gic\": Bulkhead needs a GICv3, or a GICv2 with virtualisation");
	fdt = variant("/psci", "method", hvc, sizeof(hvc));
	REQUIRE(fdt != NULL);
	CHECK(arm_platform_parse(fdt, &a) == BH_ERR_UNSUPPORTED);
	CHECK_CONTAINS(fake_console_output(), "error: /psci: property 'method': \"hvc\" cannot reach");
	fdt = variant("/psci", "compatible", "arm,psci", 9);
	REQUIRE(fdt != NULL);
	CHECK(arm_platform_parse(fdt, &a) == BH_ERR_UNSUPPORTED);
	CHECK_CONTAINS(fake_console_output(), "error: /psci: property 'compatible': PSCI 0.1 only");
	fdt = variant("/psci", "compatible", "vendor,none", 12);
	REQUIRE(fdt != NULL);
	REQUIRE(fdt_setprop(fdt, fdt_path_offset(fdt, "/cpus/cpu@1"), "enable-method", spin,
			    sizeof(spin)) == 0);
	dt_index_build(fdt);
	CHECK(arm_platform_parse(fdt, &a) == BH_ERR_UNSUPPORTED);
	CHECK_CONTAINS(fake_console_output(),
		       "error: /cpus/cpu@1: property 'enable-method': \"spin-table\": Bulkhead starts "
		       "CPUs through PSCI only");
	fdt = variant("/timer", "interrupts-extended", bad_timer, sizeof(bad_timer));
	REQUIRE(fdt != NULL);
	CHECK(arm_platform_parse(fdt, &a) == BH_ERR_INVALID);
	CHECK_CONTAINS(fake_console_output(), "error: /timer: property 'interrupts-extended': ");
	fdt = variant("/soc", "ranges", gic_ranges, sizeof(gic_ranges));
	REQUIRE(fdt != NULL);
	CHECK(arm_platform_parse(fdt, &a) == BH_ERR_INVALID);
	CHECK_CONTAINS(fake_console_output(),
		       "error: /soc/interrupt-controller@600000: property 'reg': the distributor at "
		       "0x600000 is not mapped by its bus's 'ranges'");
}
