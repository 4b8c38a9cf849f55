// SPDX-License-Identifier: Apache-2.0
/* core/platform.c: RAM and CPUs from the device tree. */

#include <libfdt.h>

#include <arch/fake.h>
#include <bulkhead/console.h>
#include <bulkhead/dt.h>
#include <bulkhead/platform.h>

#include "test.h"

static struct platform p;

/* Errors are printed on the console: attach it to something first. */
static enum bh_err parse(const char *name, uint64_t boot_hwid)
{
	void *fdt = test_load_dtb(name);

	console_init(test_load_dtb("console-path"));
	fake_console_reset();
	dt_index_build(fdt);
	return platform_parse(fdt, boot_hwid, &p);
}

TEST(platform_memory_sorted_and_totalled) /* reqs: REQ-CFG-004 */
{
	CHECK_EQ(parse("platform-good", 0x100), BH_OK);
	CHECK_EQ(p.ram_count, 3);
	CHECK_EQ(p.ram[0].base, 0x40000000);
	CHECK_EQ(p.ram[1].base, 0x80000000);
	CHECK_EQ(p.ram[2].base, 0x100000000);
	CHECK_EQ(p.ram_total, 0x20000000 + 0x10000000 + 0x40000000);
}

TEST(platform_boot_cpu_first_disabled_and_cpu_map_skipped) /* reqs: REQ-CFG-004 REQ-BOOT-002 */
{
	CHECK_EQ(parse("platform-good", 0x100), BH_OK);
	CHECK_EQ(p.cpu_count, 3);
	CHECK_EQ(p.cpus[0].hwid, 0x100);
	CHECK_EQ(p.cpus[1].hwid, 0x0);
	CHECK_EQ(p.cpus[2].hwid, 0x101);
}

TEST(platform_one_cell_addresses) /* reqs: REQ-CFG-004 */
{
	CHECK_EQ(parse("platform-cells1", 0), BH_OK);
	CHECK_EQ(p.ram_count, 1);
	CHECK_EQ(p.ram[0].size, 0x8000000);
	CHECK_EQ(p.cpu_count, 1);
}

TEST(platform_rejects_bad_memory) /* reqs: REQ-CFG-004 REQ-CFG-001 */
{
	CHECK_EQ(parse("platform-mem-overlap", 0), BH_ERR_INVALID);
	CHECK_CONTAINS(fake_console_output(), "overlap");
	CHECK_EQ(parse("platform-mem-wrap", 0), BH_ERR_INVALID);
	CHECK_CONTAINS(fake_console_output(), "error: /memory@0: property 'reg': range wraps");
	CHECK_EQ(parse("platform-mem-badlen", 0), BH_ERR_INVALID);
	CHECK_CONTAINS(fake_console_output(), "error: /memory@0: property 'reg': length");
	CHECK_EQ(parse("platform-nomem", 0), BH_ERR_NOT_FOUND);
	CHECK_CONTAINS(fake_console_output(), "error: /memory");
}

TEST(platform_rejects_bad_cpus) /* reqs: REQ-CFG-004 REQ-CFG-001 */
{
	CHECK_EQ(parse("platform-dupcpu", 0), BH_ERR_INVALID);
	CHECK_CONTAINS(fake_console_output(), "error: /cpus/cpu@2: property 'reg': same hardware ID");
	CHECK_EQ(parse("platform-nocpus", 0), BH_ERR_NOT_FOUND);
	CHECK_CONTAINS(fake_console_output(), "error: /cpus: node missing");
	CHECK_EQ(parse("platform-good", 0x7), BH_ERR_NOT_FOUND);
	CHECK_CONTAINS(fake_console_output(), "no cpu node has reg = 0x7");
}

TEST(platform_ignores_cpus_beyond_the_limit) /* reqs: REQ-CFG-004 */
{
	CHECK_EQ(parse("platform-manycpus", 0x13), BH_OK);
	CHECK_EQ(p.cpu_count, MAX_CPUS);
	CHECK_EQ(p.cpus[0].hwid, 0x13);
	CHECK_CONTAINS(fake_console_output(), "beyond the build limit");
}

TEST(platform_node_reg_errors) /* reqs: REQ-CFG-004 */
{
	void *fdt = test_load_dtb("platform-good");
	struct mem_range r;
	int mem = fdt_path_offset(fdt, "/memory@40000000");

	dt_index_build(fdt);
	CHECK_EQ(fdt_node_reg(fdt, mem, 1, &r), BH_OK);
	CHECK_EQ(r.base, 0x100000000);
	CHECK_EQ(fdt_node_reg(fdt, mem, 2, &r), BH_ERR_NOT_FOUND);
	CHECK_EQ(fdt_node_reg(fdt, fdt_path_offset(fdt, "/cpus"), 0, &r), BH_ERR_NOT_FOUND);
}

TEST(platform_memory_sizes_and_cpu_nodes) /* reqs: REQ-CFG-004 */
{
	void *fdt;
	char path[64];

	CHECK_EQ(parse("platform-good", 0x100), BH_OK);
	CHECK_EQ(p.ram[0].size, 0x20000000);
	CHECK_EQ(p.ram[1].size, 0x10000000);
	CHECK_EQ(p.ram[2].size, 0x40000000);
	CHECK_EQ(p.console_node, -1);
	fdt = test_load_dtb("platform-good");
	REQUIRE(platform_parse(fdt, 0x100, &p) == BH_OK);
	CHECK_STR(fdt_path_or_unknown(fdt, p.cpus[0].node, path, sizeof(path)), "/cpus/cpu@100");
	CHECK_STR(fdt_path_or_unknown(fdt, p.cpus[1].node, path, sizeof(path)), "/cpus/cpu@0");
	CHECK_STR(fdt_path_or_unknown(fdt, p.cpus[2].node, path, sizeof(path)), "/cpus/cpu@101");
	CHECK_STR(fake_console_output(), ""); /* a good tree prints nothing */
}

TEST(platform_boot_cpu_first_in_the_dt) /* reqs: REQ-CFG-004 REQ-BOOT-002 */
{
	CHECK_EQ(parse("platform-good", 0x0), BH_OK);
	CHECK_EQ(p.cpu_count, 3);
	CHECK_EQ(p.cpus[0].hwid, 0x0);
	CHECK_EQ(p.cpus[1].hwid, 0x100);
	CHECK_EQ(p.cpus[2].hwid, 0x101);
	/* A disabled CPU cannot be the boot CPU. */
	CHECK_EQ(parse("platform-good", 0x1), BH_ERR_NOT_FOUND);
	CHECK_CONTAINS(fake_console_output(), "no cpu node has reg = 0x1,");
}

TEST(platform_touching_ranges_and_mixed_cells) /* reqs: REQ-CFG-004 */
{
	CHECK_EQ(parse("platform-mem-adjacent", 0), BH_OK);
	CHECK_EQ(p.ram_count, 2); /* the disabled node is not RAM */
	CHECK_EQ(p.ram[0].base, 0x40000000);
	CHECK_EQ(p.ram[0].size, 0x10000000);
	CHECK_EQ(p.ram[1].base, 0x50000000);
	CHECK_EQ(p.ram[1].size, 0x1000);
	CHECK_EQ(p.ram_total, 0x10001000);
	CHECK_EQ(p.cpu_count, 1);
}

TEST(platform_rejects_overlap_across_nodes_and_too_many_ranges) /* reqs: REQ-CFG-004 REQ-CFG-001 */
{
	CHECK_EQ(parse("platform-mem-overlap-nodes", 0), BH_ERR_INVALID);
	CHECK_CONTAINS(fake_console_output(), "0x40000000 and 0x4fffffff overlap");
	CHECK_EQ(parse("platform-mem-toomany", 0), BH_ERR_TOO_MANY);
	CHECK_CONTAINS(fake_console_output(), "error: /memory@10000000: property 'reg': more RAM ranges");
}

TEST(platform_rejects_malformed_cpu_reg) /* reqs: REQ-CFG-004 REQ-CFG-001 */
{
	CHECK_EQ(parse("platform-cpu-badreg", 0), BH_ERR_INVALID);
	CHECK_CONTAINS(fake_console_output(), "/cpus/cpu@1");
	CHECK_CONTAINS(fake_console_output(), "'reg'");
	CHECK_CONTAINS(fake_console_output(), "size does not match /cpus #address-cells");
	CHECK_EQ(parse("platform-cpu-noreg", 0), BH_ERR_INVALID);
	CHECK_CONTAINS(fake_console_output(), "error: /cpus/cpu@1: property 'reg': missing");
	CHECK_EQ(parse("platform-cpus-cells3", 0), BH_ERR_INVALID);
	CHECK_CONTAINS(fake_console_output(), "error: /cpus: property '#address-cells'");
}

TEST(platform_rejects_duplicate_hwid_of_any_cpu) /* reqs: REQ-CFG-004 REQ-CFG-001 */
{
	/* cpu@0 and cpu@2 share hwid 0: whether or not it is the boot CPU. */
	CHECK_EQ(parse("platform-cpu-dupboot", 1), BH_ERR_INVALID);
	CHECK_CONTAINS(fake_console_output(), "error: /cpus/cpu@2: property 'reg': same hardware ID");
	CHECK_EQ(parse("platform-cpu-dupboot", 0), BH_ERR_INVALID);
	CHECK_CONTAINS(fake_console_output(), "error: /cpus/cpu@2: property 'reg': same hardware ID");
}

TEST(platform_limit_warning_names_the_count) /* reqs: REQ-CFG-004 */
{
	char expect[96];

	/* platform-manycpus.dts has 20 CPUs. */
	snprintf(expect, sizeof(expect), "warning: /cpus: %d CPUs beyond the build limit of %d",
		 20 - MAX_CPUS, MAX_CPUS);
	CHECK_EQ(parse("platform-manycpus", 0x0), BH_OK);
	CHECK_EQ(p.cpu_count, MAX_CPUS);
	CHECK_EQ(p.cpus[0].hwid, 0x0);
	CHECK_EQ(p.cpus[MAX_CPUS - 1].hwid, MAX_CPUS - 1);
	CHECK_CONTAINS(fake_console_output(), expect);
}
