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

TEST(platform_memory_sorted_and_totalled)
{
	CHECK_EQ(parse("platform-good", 0x100), BH_OK);
	CHECK_EQ(p.ram_count, 3);
	CHECK_EQ(p.ram[0].base, 0x40000000);
	CHECK_EQ(p.ram[1].base, 0x80000000);
	CHECK_EQ(p.ram[2].base, 0x100000000);
	CHECK_EQ(p.ram_total, 0x20000000 + 0x10000000 + 0x40000000);
}

TEST(platform_boot_cpu_first_disabled_and_cpu_map_skipped)
{
	CHECK_EQ(parse("platform-good", 0x100), BH_OK);
	CHECK_EQ(p.cpu_count, 3);
	CHECK_EQ(p.cpus[0].hwid, 0x100);
	CHECK_EQ(p.cpus[1].hwid, 0x0);
	CHECK_EQ(p.cpus[2].hwid, 0x101);
}

TEST(platform_one_cell_addresses)
{
	CHECK_EQ(parse("platform-cells1", 0), BH_OK);
	CHECK_EQ(p.ram_count, 1);
	CHECK_EQ(p.ram[0].size, 0x8000000);
	CHECK_EQ(p.cpu_count, 1);
}

TEST(platform_rejects_bad_memory)
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

TEST(platform_rejects_bad_cpus)
{
	CHECK_EQ(parse("platform-dupcpu", 0), BH_ERR_INVALID);
	CHECK_CONTAINS(fake_console_output(), "error: /cpus/cpu@2: property 'reg': same hardware ID");
	CHECK_EQ(parse("platform-nocpus", 0), BH_ERR_NOT_FOUND);
	CHECK_CONTAINS(fake_console_output(), "error: /cpus: node missing");
	CHECK_EQ(parse("platform-good", 0x7), BH_ERR_NOT_FOUND);
	CHECK_CONTAINS(fake_console_output(), "no cpu node has reg = 0x7");
}

TEST(platform_ignores_cpus_beyond_the_limit)
{
	CHECK_EQ(parse("platform-manycpus", 0x13), BH_OK);
	CHECK_EQ(p.cpu_count, MAX_CPUS);
	CHECK_EQ(p.cpus[0].hwid, 0x13);
	CHECK_CONTAINS(fake_console_output(), "beyond the build limit");
}

TEST(platform_node_reg_errors)
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
