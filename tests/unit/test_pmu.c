// SPDX-License-Identifier: Apache-2.0
/* A partition owning its CPUs' PMU (`pmu`): the board's PMU found, the
 * property decoded and validated (errors by node and property), and the
 * `pmu` node in the owner's device tree only. */

#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include <arch/fake.h>
#include <bulkhead/console.h>
#include <bulkhead/dt.h>
#include <bulkhead/guest_dt.h>
#include <bulkhead/partition_config.h>
#include <bulkhead/platform.h>

#include "test.h"

#define ROOM (64 * 1024)
#define GUEST_DT_SIZE (64 * 1024)

static struct platform plat;
static struct system_config sys;
static struct config_errors errors;

/* pmu.dts with room for edits. */
static void *load(void)
{
	void *src = test_load_dtb("pmu");
	void *fdt = malloc(ROOM);

	if (src == NULL || fdt == NULL || fdt_open_into(src, fdt, ROOM) != 0)
		abort();
	return fdt;
}

/* Through the boot-time parsers (as test_parse_system). */
static enum bh_err parse(void *fdt)
{
	console_init(test_load_dtb("console-path"));
	fake_console_reset();
	dt_index_build(fdt);
	if (platform_parse(fdt, 0, &plat) != BH_OK)
		return BH_ERR_INVALID;
	return config_parse(fdt, &plat, NULL, NULL, &sys, &errors);
}

/* Whether an error names @path and @prop and contains @text. */
static bool has_error(const char *path, const char *prop, const char *text)
{
	for (unsigned int i = 0; i < errors.count && i < MAX_CONFIG_ERRORS; i++) {
		const struct config_error *e = &errors.list[i];

		if (strcmp(e->path, path) == 0 && strcmp(e->property, prop) == 0 &&
		    strstr(e->message, text) != NULL)
			return true;
	}
	return false;
}

TEST(pmu_platform_finds_a_cores_pmu_and_its_ppi) /* reqs: REQ-IRQ-005 */
{
	void *fdt = load();

	REQUIRE(parse(fdt) == BH_OK);
	CHECK_EQ(plat.pmu_node, fdt_path_offset(fdt, "/pmu"));
	CHECK_EQ(plat.pmu_irq, 23); /* PPI 7 */
	CHECK(sys.part[0].pmu);
	CHECK(!sys.part[1].pmu);
	free(fdt);
}

static void *guest_dt(const void *fdt, unsigned int index)
{
	struct guest_dt_layout layout = {.boot_count = 1};
	void *buf = malloc(GUEST_DT_SIZE);
	size_t used;

	if (buf == NULL || guest_dt_build(buf, GUEST_DT_SIZE, fdt, &plat, &sys.part[index], index,
					  &layout, &used) != BH_OK)
		abort();
	return buf;
}

TEST(pmu_node_in_the_owners_device_tree_only) /* reqs: REQ-IRQ-005 */
{
	void *fdt = load();
	int len;

	REQUIRE(parse(fdt) == BH_OK);
	void *own = guest_dt(fdt, 0);
	void *other = guest_dt(fdt, 1);
	int node = fdt_path_offset(own, "/pmu");

	REQUIRE(node >= 0);
	CHECK_STR((const char *)fdt_getprop(own, node, "compatible", NULL), "arm,cortex-a53-pmu");
	const fdt32_t *irq = fdt_getprop(own, node, "interrupts", &len);

	REQUIRE(irq != NULL && len == 12);
	CHECK_EQ(fdt32_to_cpu(irq[0]), 1);     /* PPI */
	CHECK_EQ(fdt32_to_cpu(irq[1]), 7);
	CHECK_EQ(fdt32_to_cpu(irq[2]), 0x304); /* its two vCPUs, level high */
	CHECK(fdt_getprop(own, node, "interrupt-parent", NULL) != NULL);
	CHECK(fdt_path_offset(other, "/pmu") < 0);
	free(own);
	free(other);
	free(fdt);
}

TEST(pmu_property_is_a_boolean) /* reqs: REQ-IRQ-005 */
{
	void *fdt = load();
	fdt32_t one = cpu_to_fdt32(1);

	REQUIRE(fdt_setprop(fdt, fdt_path_offset(fdt, "/chosen/bulkhead/p0"), "pmu", &one, 4) == 0);
	CHECK(parse(fdt) != BH_OK);
	CHECK(has_error("/chosen/bulkhead/p0", "pmu", "a boolean"));
	free(fdt);
}

TEST(pmu_refused_without_a_pmu_node) /* reqs: REQ-IRQ-005 */
{
	void *fdt = load();

	REQUIRE(fdt_del_node(fdt, fdt_path_offset(fdt, "/pmu")) == 0);
	CHECK(parse(fdt) != BH_OK);
	CHECK_EQ(errors.count, 1);
	CHECK_EQ(errors.list[0].kind, CFG_ERR_NO_PMU);
	CHECK(has_error("/chosen/bulkhead/p0", "pmu", "the machine has no PMU"));
	free(fdt);
}

TEST(pmu_refused_when_its_interrupts_are_spis) /* reqs: REQ-IRQ-005 */
{
	void *fdt = load();
	fdt32_t spi[3] = {cpu_to_fdt32(0), cpu_to_fdt32(140), cpu_to_fdt32(4)};

	REQUIRE(fdt_setprop(fdt, fdt_path_offset(fdt, "/pmu"), "interrupts", spi, sizeof(spi)) == 0);
	CHECK(parse(fdt) != BH_OK);
	CHECK_EQ(plat.pmu_irq, 0);
	CHECK(has_error("/chosen/bulkhead/p0", "pmu", "the PMU /pmu has no PPI"));
	free(fdt);
}

TEST(pmu_refused_on_a_cpu_another_partition_has) /* reqs: REQ-IRQ-005 */
{
	void *fdt = load();
	int p1 = fdt_path_offset(fdt, "/chosen/bulkhead/p1");
	fdt32_t cpu = cpu_to_fdt32(fdt_get_phandle(fdt, fdt_path_offset(fdt, "/cpus/cpu@2")));

	REQUIRE(cpu != 0 && fdt_setprop(fdt, p1, "cpus", &cpu, 4) == 0);
	CHECK(parse(fdt) != BH_OK);
	CHECK(has_error("/chosen/bulkhead/p0", "pmu",
			"its CPU /cpus/cpu@2 is pinned to partition 'p1' too"));
	free(fdt);
}
