// SPDX-License-Identifier: Apache-2.0
/* drivers/uart/uart_select.c: which driver, at which CPU address, or why not. */

#include <libfdt.h>

#include <bulkhead/dt.h>
#include <uart/uart.h>

#include "test.h"

static char why[192];

static enum bh_err select_path(const void *fdt, const char *path, struct uart *u)
{
	int node = fdt_path_offset(fdt, path);

	why[0] = '\0';
	if (node < 0) {
		test_fail(__FILE__, __LINE__, "no node %s in the test tree", path);
		return BH_ERR_NOT_FOUND;
	}
	return uart_select(fdt, node, u, why, sizeof(why));
}

TEST(uart_select_translates_through_bus_ranges) /* reqs: REQ-CNS-002 REQ-CFG-004 */
{
	void *fdt = test_load_dtb("uart-select");
	struct uart u;

	REQUIRE(select_path(fdt, "/soc/pl011@7e201000", &u) == BH_OK);
	CHECK(u.drv == &uart_pl011);
	CHECK_EQ(u.base, 0xfe201000); /* not the bus address 0x7e201000 */
	CHECK_EQ(u.size, 0x200);      /* any size that covers the registers */
	CHECK_STR(u.compatible, "arm,pl011");
	REQUIRE(select_path(fdt, "/soc/aux@7e215040", &u) == BH_OK);
	CHECK(u.drv == &uart_bcm2835_aux);
	CHECK_EQ(u.base, 0xfe215040);
}

TEST(uart_select_refuses_what_no_ranges_maps) /* reqs: REQ-CNS-001 REQ-CNS-002 */
{
	void *fdt = test_load_dtb("uart-select");
	struct uart u;

	CHECK_EQ(select_path(fdt, "/nobus/serial@1000", &u), BH_ERR_NOT_FOUND);
	CHECK_STR(why, "/nobus/serial@1000: compatible \"arm,pl011\": property 'reg': no bus "
		       "'ranges' above it maps it to a CPU address");
	CHECK_EQ(select_path(fdt, "/soc/outside@7f000000", &u), BH_ERR_NOT_FOUND);
	CHECK(u.drv == NULL);
}

TEST(uart_select_refuses_a_reg_too_small) /* reqs: REQ-CNS-001 REQ-CNS-002 */
{
	void *fdt = test_load_dtb("uart-select");
	struct uart u;

	CHECK_EQ(select_path(fdt, "/soc/small@7e202000", &u), BH_ERR_INVALID);
	CHECK_CONTAINS(why, "/soc/small@7e202000: compatible \"arm,pl011\": property 'reg': too small");
	/* 0x40 bytes hold 16 registers at a stride of 4; the DesignWare UART's
	 * status register is the 32nd. */
	CHECK_EQ(select_path(fdt, "/dwsmall@3000", &u), BH_ERR_INVALID);
	CHECK_CONTAINS(why, "too small for its registers");
}

TEST(uart_select_reads_reg_shift_and_width) /* reqs: REQ-CNS-001 REQ-CNS-002 */
{
	void *fdt = test_load_dtb("uart-select");
	struct uart u;

	REQUIRE(select_path(fdt, "/dw@2000", &u) == BH_OK);
	CHECK(u.drv == &uart_dw_apb);
	CHECK_EQ(u.shift, 2);
	CHECK_EQ(u.width, 4);
	CHECK(!u.io);
	/* TI's K3 UARTs have a stride of 4 without saying so. */
	REQUIRE(select_path(fdt, "/k3@4000", &u) == BH_OK);
	CHECK(u.drv == &uart_ti_k3);
	CHECK_STR(u.compatible, "ti,am64-uart");
	CHECK_EQ(u.shift, 2);
	CHECK_EQ(u.width, 1);
	REQUIRE(select_path(fdt, "/tegra@7000", &u) == BH_OK);
	CHECK(u.drv == &uart_tegra);
	CHECK_EQ(select_path(fdt, "/badshift@5000", &u), BH_ERR_INVALID);
	CHECK_CONTAINS(why, "/badshift@5000: compatible \"ns16550a\": property 'reg-shift'");
	CHECK_EQ(select_path(fdt, "/badwidth@6000", &u), BH_ERR_INVALID);
	CHECK_CONTAINS(why, "property 'reg-io-width' must be 1, 2 or 4");
}

TEST(uart_select_chooses_by_the_nodes_own_compatibles) /* reqs: REQ-CNS-001 REQ-CNS-002 */
{
	void *fdt = test_load_dtb("uart-select");
	struct uart u;

	REQUIRE(select_path(fdt, "/cdns@ff000000", &u) == BH_OK);
	CHECK(u.drv == &uart_cadence);
	CHECK_STR(u.compatible, "xlnx,zynqmp-uart");
	REQUIRE(select_path(fdt, "/imx@30890000", &u) == BH_OK);
	CHECK(u.drv == &uart_imx);
	CHECK_STR(u.compatible, "fsl,imx6q-uart");
	REQUIRE(select_path(fdt, "/lpuart@5a060000", &u) == BH_OK);
	CHECK(u.drv == &uart_lpuart);
	REQUIRE(select_path(fdt, "/scif@e6e88000", &u) == BH_OK);
	CHECK(u.drv == &uart_scif);
	CHECK_STR(u.compatible, "renesas,rcar-gen3-scif");
	REQUIRE(select_path(fdt, "/sbsa@8000", &u) == BH_OK);
	CHECK(u.drv == &uart_sbsa);
	CHECK_EQ(select_path(fdt, "/unknown@9000", &u), BH_ERR_UNSUPPORTED);
	CHECK_STR(why, "/unknown@9000: compatible \"acme,uart\": no console driver for it");
}

TEST(uart_select_io_ports_only_for_the_16550) /* reqs: REQ-CNS-001 REQ-CNS-002 */
{
	void *fdt = test_load_dtb("uart-select");
	struct uart u;

	REQUIRE(select_path(fdt, "/isa/serial@3f8", &u) == BH_OK);
	CHECK(u.drv == &uart_ns16550a);
	CHECK(u.io);
	CHECK_EQ(u.base, 0x3f8);
	CHECK_EQ(select_path(fdt, "/isa/cdns@2f8", &u), BH_ERR_UNSUPPORTED);
	CHECK_CONTAINS(why, "I/O-port registers");
}

/* Every compatible the console looks for without stdout-path has a driver
 * that takes a node of that compatible alone, with a page of registers. */
TEST(uart_compatibles_all_have_drivers) /* reqs: REQ-CNS-001 REQ-CNS-002 */
{
	static char fdt[4096];
	unsigned int n = 0;
	const char *c;

	for (; (c = uart_compatible(n)) != NULL; n++) {
		fdt32_t reg[4] = {0, cpu_to_fdt32(0x1000), 0, cpu_to_fdt32(0x1000)};
		struct uart u;

		REQUIRE(fdt_create_empty_tree(fdt, sizeof(fdt)) == 0);
		REQUIRE(fdt_setprop_u32(fdt, 0, "#address-cells", 2) == 0);
		REQUIRE(fdt_setprop_u32(fdt, 0, "#size-cells", 2) == 0);
		int node = fdt_add_subnode(fdt, 0, "uart@1000");

		REQUIRE(node >= 0);
		REQUIRE(fdt_setprop(fdt, node, "compatible", c, (int)strlen(c) + 1) == 0);
		REQUIRE(fdt_setprop(fdt, node, "reg", reg, sizeof(reg)) == 0);
		node = fdt_path_offset(fdt, "/uart@1000");
		if (uart_select(fdt, node, &u, why, sizeof(why)) != BH_OK || u.drv == NULL)
			test_fail(__FILE__, __LINE__, "%s: %s", c, why);
		else
			CHECK_STR(u.compatible, c);
	}
	CHECK_EQ(n, 22);
}
