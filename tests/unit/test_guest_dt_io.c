// SPDX-License-Identifier: Apache-2.0
/*
 * Port space in a partition's device tree (core/guest_dt.c, as for the x86
 * port): with the console UART at an I/O port, the virtual UART is a
 * 16550 under an "ioports" node, beside the partition's port-space
 * devices; and a reset write to a port must fit its byte. validate.dts
 * with an ISA bus (ports 0x3f8: the console, 0x2f8: given to p0) added.
 */

#include <stdio.h>
#include <string.h>

#include <libfdt.h>

#include <bulkhead/compiler.h>
#include <bulkhead/guest_dt.h>

#include "config_edit.h"
#include "test.h"

#define P0 "/chosen/bulkhead/p0"
#define ISA "/isa"
#define COM2_PH 0x7300u

static const struct edit with_isa[] = {
	{"/", NULL, "isa", 0, {0}},
	{ISA, "bulkhead,io-ports", NULL, EDIT_EMPTY, {0}},
	{ISA, "#address-cells", NULL, 1, {1}},
	{ISA, "#size-cells", NULL, 1, {1}},
	{ISA, NULL, "serial@3f8", 0, {0}},
	{ISA "/serial@3f8", "compatible", "ns16550a", 0, {0}},
	{ISA "/serial@3f8", "reg", NULL, 2, {0x3f8, 8}},
	{ISA, NULL, "serial@2f8", 0, {0}},
	{ISA "/serial@2f8", "compatible", "ns16550a", 0, {0}},
	{ISA "/serial@2f8", "reg", NULL, 2, {0x2f8, 8}},
	{ISA "/serial@2f8", "phandle", NULL, 1, {COM2_PH}},
	{"/chosen", "stdout-path", "/isa/serial@3f8", 0, {0}},
	{P0, "devices", NULL, 1, {COM2_PH}},
};
#define ISA_EDITS (sizeof(with_isa) / sizeof(with_isa[0]))

TEST(guest_dt_port_space_vuart_and_devices) /* reqs: REQ-CFG-006 REQ-PAR-002 */
{
	static uint8_t dt[64 * 1024];
	const struct guest_dt_layout layout = {.vuart_ipa = 0x3f8, .vuart_size = 8};
	enum bh_err status;
	size_t used = 0;
	int len;
	const void *sys = edited_parse("validate", with_isa, ISA_EDITS, NULL, &status);

	REQUIRE(sys != NULL);
	REQUIRE(status == BH_OK);
	REQUIRE(edit_plat.console_io);
	CHECK(edit_sys.part[0].devices[0].io_ports);
	REQUIRE(guest_dt_build(dt, sizeof(dt), sys, &edit_plat, &edit_sys.part[0], 0, &layout,
			       &used) == BH_OK);
	REQUIRE(fdt_check_full(dt, used) == 0);
	int io = fdt_path_offset(dt, "/ioports");

	REQUIRE(io >= 0);
	CHECK(fdt_getprop(dt, io, "bulkhead,io-ports", NULL) != NULL);
	int vuart = fdt_path_offset(dt, "/ioports/serial@3f8");
	int com2 = fdt_path_offset(dt, "/ioports/serial@2f8");

	REQUIRE(vuart >= 0 && com2 >= 0);
	CHECK_STR((const char *)fdt_getprop(dt, vuart, "compatible", NULL), "ns16550a");
	CHECK(fdt_getprop(dt, vuart, "clock-frequency", NULL) != NULL);
	const fdt32_t *reg = fdt_getprop(dt, com2, "reg", &len);

	REQUIRE(reg != NULL && len == 8);
	CHECK_EQ(fdt32_to_cpu(reg[0]), 0x2f8);
	CHECK_EQ(fdt32_to_cpu(reg[1]), 8);
	/* The port's phandle is the system DT's, not the guest's: dropped. */
	CHECK(fdt_getprop(dt, com2, "phandle", NULL) == NULL);
}

/* A passed-through device's properties that name other nodes of the
 * system DT are dropped (core/guest_dt.c): each of them, the longest name
 * among them ("interrupt-parent", which once filled its row of the name
 * table without a terminator and so was kept) included. */
TEST(guest_dt_drops_properties_naming_system_nodes) /* reqs: REQ-CFG-006 REQ-PAR-002 */
{
	static uint8_t dt[64 * 1024];
	/* Those the configuration lets a device have (it checks its clocks,
	 * resets, DMA and MSI wiring itself). */
	static const char *const names[] = {"interrupt-parent", "power-domains", "dma-names",
					    "iommu-map-mask", "msi-map-mask", "interrupt-map"};
	struct edit e[ISA_EDITS + ARRAY_SIZE(names)];
	const struct guest_dt_layout layout = {.vuart_ipa = 0x3f8, .vuart_size = 8};
	enum bh_err status;
	size_t used = 0;

	memcpy(e, with_isa, sizeof(with_isa));
	for (unsigned int i = 0; i < ARRAY_SIZE(names); i++)
		e[ISA_EDITS + i] = (struct edit){ISA "/serial@2f8", names[i], NULL, 1, {COM2_PH}};
	const void *sys = edited_parse("validate", e, ARRAY_SIZE(e), NULL, &status);

	REQUIRE(sys != NULL);
	if (status != BH_OK)
		printf("  refused: %s\n", edit_errors.count > 0 ? edit_errors.list[0].message : "?");
	REQUIRE(status == BH_OK);
	REQUIRE(guest_dt_build(dt, sizeof(dt), sys, &edit_plat, &edit_sys.part[0], 0, &layout,
			       &used) == BH_OK);
	int com2 = fdt_path_offset(dt, "/ioports/serial@2f8");

	REQUIRE(com2 >= 0);
	CHECK(fdt_getprop(dt, com2, "compatible", NULL) != NULL); /* the rest is kept */
	for (unsigned int i = 0; i < ARRAY_SIZE(names); i++) {
		if (fdt_getprop(dt, com2, names[i], NULL) != NULL)
			printf("  kept: %s\n", names[i]);
		CHECK(fdt_getprop(dt, com2, names[i], NULL) == NULL);
	}
}

TEST(health_reset_write_to_a_port_must_fit_its_byte) /* reqs: REQ-RST-004 REQ-CFG-001 */
{
	struct edit e[ISA_EDITS + 1];
	enum bh_err status;

	memcpy(e, with_isa, sizeof(with_isa));
	e[ISA_EDITS] = (struct edit){P0, "reset-registers", NULL, 3, {0, 0x2fb, 0x80}};
	REQUIRE(edited_parse("validate", e, ISA_EDITS + 1, NULL, &status) != NULL);
	CHECK_EQ(status, BH_OK);
	REQUIRE(edit_sys.part[0].health.reset_write_count == 1);
	CHECK_EQ(edit_sys.part[0].health.reset_writes[0].pa, 0x2fb);
	/* Ports are bytes: any port of the device, no alignment, no more. */
	e[ISA_EDITS].cells[2] = 0x100;
	REQUIRE(edited_parse("validate", e, ISA_EDITS + 1, NULL, &status) != NULL);
	CHECK(status != BH_OK);
	CHECK(edit_has_error(P0, "reset-registers",
			     "write 0 at port 0x2fb: 0x100 does not fit the port's byte"));
}
