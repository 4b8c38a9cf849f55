// SPDX-License-Identifier: Apache-2.0
/* fdt_node_reg(), fdt_read_cells() and platform_set_console(). */

#include <libfdt.h>

#include <arch/fake.h>
#include <bulkhead/console.h>
#include <bulkhead/dt.h>
#include <bulkhead/platform.h>

#include "test.h"

/* A fresh copy of reg-cases with the console attached for error messages. */
static void *load(void)
{
	void *fdt = test_load_dtb("reg-cases");

	console_init(test_load_dtb("console-path"));
	fake_console_reset();
	dt_index_build(fdt);
	return fdt;
}

static int node(const void *fdt, const char *path)
{
	int off = fdt_path_offset(fdt, path);

	if (off < 0)
		test_fail(__FILE__, __LINE__, "no node %s in reg-cases", path);
	return off;
}

TEST(fdt_read_cells_big_endian) /* reqs: REQ-CFG-004 */
{
	static const uint8_t cells[] = {0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0};

	CHECK_EQ(fdt_read_cells(cells, 1), 0x12345678);
	CHECK(fdt_read_cells(cells, 2) == 0x123456789abcdef0ull);
}

TEST(fdt_node_reg_reads_entries_with_parent_cells) /* reqs: REQ-CFG-004 */
{
	void *fdt = load();
	struct mem_range r;

	CHECK_EQ(fdt_node_reg(fdt, node(fdt, "/dev@1234"), 0, &r), BH_OK);
	CHECK(r.base == 0x100001234ull);
	CHECK_EQ(r.size, 0x100);
	CHECK_EQ(fdt_node_reg(fdt, node(fdt, "/dev@1234"), 1, &r), BH_OK);
	CHECK(r.base == 0x200000000ull);
	CHECK(r.size == 0x300000000ull);
	CHECK_EQ(fdt_node_reg(fdt, node(fdt, "/dev@1234"), 2, &r), BH_ERR_NOT_FOUND);
	CHECK_EQ(fdt_node_reg(fdt, node(fdt, "/bus1/dev@5000"), 0, &r), BH_OK);
	CHECK_EQ(r.base, 0x5000);
	CHECK_EQ(r.size, 0x200);
	CHECK_EQ(fdt_node_reg(fdt, node(fdt, "/bus-nosize/dev@7"), 0, &r), BH_OK);
	CHECK_EQ(r.base, 7);
	CHECK_EQ(r.size, 0);
	CHECK_STR(fake_console_output(), "");
}

TEST(fdt_node_reg_errors) /* reqs: REQ-CFG-004 */
{
	void *fdt = load();
	struct mem_range r = {0xdead, 0xbeef};

	CHECK_EQ(fdt_node_reg(fdt, node(fdt, "/noreg"), 0, &r), BH_ERR_NOT_FOUND);
	CHECK_STR(fake_console_output(), "");
	CHECK_EQ(fdt_node_reg(fdt, node(fdt, "/short@0"), 0, &r), BH_ERR_INVALID);
	CHECK_CONTAINS(fake_console_output(), "error: /short@0: property 'reg': length");
	fake_console_reset();
	CHECK_EQ(fdt_node_reg(fdt, node(fdt, "/bus3/dev@0"), 0, &r), BH_ERR_INVALID);
	CHECK_CONTAINS(fake_console_output(), "error: /bus3: property '#address-cells'");
	fake_console_reset();
	CHECK_EQ(fdt_node_reg(fdt, node(fdt, "/bus-size3/dev@0"), 0, &r), BH_ERR_INVALID);
	CHECK_CONTAINS(fake_console_output(), "error: /bus-size3:");
	/* The root has no parent to give it cell sizes. */
	CHECK_EQ(fdt_node_reg(fdt, 0, 0, &r), BH_ERR_INVALID);
	/* Nothing was written on failure. */
	CHECK_EQ(r.base, 0xdead);
	CHECK_EQ(r.size, 0xbeef);
}

TEST(platform_set_console_records_the_uart) /* reqs: REQ-CNS-001 */
{
	void *fdt = test_load_dtb("console-path-options");
	struct platform plat = {0};

	REQUIRE(console_init(fdt) == BH_OK);
	CHECK_EQ(platform_set_console(fdt, console_node(), &plat), BH_OK);
	CHECK_EQ(plat.console_node, console_node());
	CHECK_EQ(plat.console.base, 0x8000);
	CHECK_EQ(plat.console.size, 0x1000);
	CHECK_EQ(platform_set_console(fdt, -1, &plat), BH_OK);
	CHECK_EQ(plat.console_node, -1);
}

TEST(platform_set_console_reads_its_interrupt) /* reqs: REQ-CNS-001 REQ-CNS-004 */
{
	void *fdt = test_load_dtb("qemu-virt");
	struct platform plat = {0};

	REQUIRE(console_init(fdt) == BH_OK);
	CHECK_EQ(platform_set_console(fdt, console_node(), &plat), BH_OK);
	CHECK_EQ(plat.console_irq, 33); /* SPI 1 */
	fdt = test_load_dtb("console-path-options");
	REQUIRE(console_init(fdt) == BH_OK);
	CHECK_EQ(platform_set_console(fdt, console_node(), &plat), BH_OK);
	CHECK_EQ(plat.console_irq, 0); /* none described: input is polled */
}

/* The partitions' emulated PL011 covers whole pages of the console's
 * registers, whatever UART it is. */
TEST(platform_vuart_window_covers_the_console_pages) /* reqs: REQ-CNS-004 REQ-ISO-002 */
{
	struct platform plat = {0};
	struct mem_range w;

	plat.console = (struct mem_range){0xfe215040, 0x40}; /* BCM2835 mini-UART */
	w = platform_vuart_window(&plat);
	CHECK_EQ(w.base, 0xfe215000);
	CHECK_EQ(w.size, 0x1000);
	plat.console = (struct mem_range){0x9000000, 0x1000}; /* a PL011 */
	w = platform_vuart_window(&plat);
	CHECK_EQ(w.base, 0x9000000);
	CHECK_EQ(w.size, 0x1000);
	plat.console = (struct mem_range){0x10000ff0, 0x20}; /* across a page boundary */
	w = platform_vuart_window(&plat);
	CHECK_EQ(w.base, 0x10000000);
	CHECK_EQ(w.size, 0x2000);
	plat.console = (struct mem_range){0x3f8, 8}; /* x86 ports: as they are */
	plat.console_io = true;
	w = platform_vuart_window(&plat);
	CHECK_EQ(w.base, 0x3f8);
	CHECK_EQ(w.size, 8);
}
