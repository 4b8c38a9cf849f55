// SPDX-License-Identifier: Apache-2.0
/* Firmware in a partition (core/firmware_config.c): device-tree-address and
 * bulkhead,flash regions decoded, and every wrong one refused by node and
 * property. */

#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include <bulkhead/guest_dt.h>
#include <bulkhead/partition_config.h>
#include <bulkhead/platform.h>

#include "config_edit.h"
#include "test.h"

static struct platform plat;
static struct system_config sys_config;
static struct config_errors errors;

TEST(firmware_config_decodes_dt_address_and_flash) /* reqs: REQ-PAR-005 REQ-PAR-007 REQ-CFG-001 */
{
	memset(&errors, 0, sizeof(errors));
	REQUIRE(test_parse_system("firmware", &plat, &sys_config, &errors) != NULL);
	const struct partition_config *p0 = &sys_config.part[0];

	CHECK(p0->dt_fixed);
	CHECK_EQ(p0->dt_ipa, 0x40000000ull);
	CHECK_EQ(p0->load_ipa, 0x40200000ull);
	REQUIRE(p0->flash_count == 2);
	CHECK_EQ(p0->flash[0].ipa, 0x0ull);
	CHECK_EQ(p0->flash[0].pa, 0x5e000000ull);
	CHECK_EQ(p0->flash[0].size, 0x200000ull);
	CHECK(!p0->flash[0].writable);
	CHECK(p0->flash[0].image.present);
	CHECK_EQ(p0->flash[0].image.pa, 0x49000000ull);
	CHECK_EQ(p0->flash[0].image.size, 0x1234ull);
	CHECK_EQ(p0->flash[1].ipa, 0x04000000ull);
	CHECK(p0->flash[1].writable);
	CHECK(!p0->flash[1].image.present);
	CHECK_EQ(p0->flash[0].cfi.bank_width, 0);
	CHECK_EQ(p0->flash[1].cfi.bank_width, 4);
	CHECK_EQ(p0->flash[1].cfi.device_width, 2);
	CHECK_EQ(p0->flash[1].cfi.block_size, 0x10000u);
	CHECK(!sys_config.part[1].dt_fixed);
	CHECK_EQ(sys_config.part[1].flash_count, 0);
}

/* The message of the error at @path and @property, or "" if none. */
static const char *message(const char *path, const char *property)
{
	for (unsigned int i = 0; i < errors.count && i < MAX_CONFIG_ERRORS; i++) {
		if (strcmp(errors.list[i].path, path) == 0 &&
		    strcmp(errors.list[i].property, property) == 0)
			return errors.list[i].message;
	}
	return "";
}

TEST(firmware_config_refuses_each_wrong_region_by_node_and_property) /* reqs: REQ-PAR-005 REQ-CFG-001 */
{
	memset(&errors, 0, sizeof(errors));
	REQUIRE(test_parse_system("firmware-bad", &plat, &sys_config, &errors) == NULL);
	CHECK_EQ(errors.count, 9);
	CHECK_STR(message("/chosen/bulkhead/p0", "device-tree-address"),
		  "0x40000800 is not 4 KiB aligned");
	CHECK_STR(message("/chosen/bulkhead/p0/flash@9000000", "reg"),
		  "guest 0x9010000-0x9010fff overlaps a passthrough device");
	CHECK_STR(message("/chosen/bulkhead/p0/flash@9000000", "memory"),
		  "0x52800000-0x52800fff overlaps memory of 'p1' at 0x52000000-0x52ffffff");
	CHECK_STR(message("/chosen/bulkhead/p0/flash@0", "memory"),
		  "0x90000000-0x90001fff is not inside one RAM range");
	CHECK_STR(message("/chosen/bulkhead/p0/flash@0", "image"),
		  "0x52000000 (4096 bytes) is inside the memory of 'p1'");
	CHECK_STR(message("/chosen/bulkhead/p0/flash@1000", "compatible"),
		  "more than 2 flash regions in one partition");
	CHECK_CONTAINS(message("/chosen/bulkhead/p1", "device-tree-address"),
		       "are not inside one memory region");
	CHECK_STR(message("/chosen/bulkhead/p1/flash@4000000", "memory"),
		  "guest 0x4000000, host 0x5e100800, size 0x1000: not 4 KiB aligned");
	CHECK_CONTAINS(message("/chosen/bulkhead/p1/flash@5000000", "reg"),
		       "(one (address size) pair)");
}

#define P0 "/chosen/bulkhead/p0"
#define F0 P0 "/flash@0"
#define F1 P0 "/flash@4000000"

/* Each of device-tree-address's and a flash region's checks alone, as one
 * edit of the valid firmware.dts (p0: 16 MiB at guest 0x40000000, its
 * kernel at 0x40200000; flash@0 read-only with an image, flash@4000000
 * writable), refused by node and property. */
TEST(firmware_config_refuses_each_check_alone) /* reqs: REQ-PAR-005 REQ-PAR-007 REQ-CFG-001 */
{
	static const struct error_case cases[] = {
		{{{P0, "device-tree-address", NULL, 1, {0x40000000}}}, 1, P0, "device-tree-address",
		 "expected 2 cells (#address-cells)"},
		{{{P0, "device-tree-address", NULL, 2, {0, 0x40200000}}}, 1, P0,
		 "device-tree-address", "overlap the kernel (guest 0x40200000"},
		{{{F0, "reg", NULL, 4, {0, 0x40000000, 0, 0x200000}}}, 1, F0, "reg",
		 "guest 0x40000000-0x401fffff overlaps the partition's memory"},
		{{{F1, "reg", NULL, 4, {0, 0x100000, 0, 0x40000}}}, 1, F1, "reg",
		 "guest 0x100000-0x13ffff overlaps a flash region"},
		/* A flash region's host RAM against the other's and its image. */
		{{{F1, "memory", NULL, 4, {0, 0x5e100000, 0, 0x40000}}}, 1, F1, "memory",
		 "0x5e100000-0x5e13ffff overlaps a flash region of 'p0' at 0x5e000000-0x5e1fffff"},
		{{{F1, "memory", NULL, 4, {0, 0x49000000, 0, 0x40000}}}, 1, F1, "memory",
		 "0x49000000-0x4903ffff overlaps a flash image of 'p0' at 0x49000000-0x49001233"},
		{{{F1, "reg", NULL, EDIT_DELETE, {0}}}, 1, F1, "reg",
		 "required: the guest address and size of the region"},
		{{{F1, "memory", NULL, EDIT_DELETE, {0}}}, 1, F1, "memory",
		 "required: the host RAM (address size) behind the region"},
		{{{F1, "memory", NULL, 2, {0, 0x5e200000}}}, 1, F1, "memory",
		 "expected 4 cells (one (address size) pair)"},
		{{{F1, "reg", NULL, 4, {0, 0x04000000, 0, 0}}}, 1, F1, "reg", "the region is empty"},
		{{{F1, "reg", NULL, 4, {0, 0x04000800, 0, 0x40000}}}, 1, F1, "reg",
		 "guest 0x4000800, host 0x5e200000, size 0x40000: not 4 KiB aligned"},
		{{{F1, "memory", NULL, 4, {0, 0x5e200000, 0, 0x80000}}}, 1, F1, "memory",
		 "size 0x80000 differs from the region's (reg) 0x40000"},
		{{{F1, "reg", NULL, 4, {0xffffffff, 0xfffff000, 0, 0x2000}},
		  {F1, "memory", NULL, 4, {0, 0x5e200000, 0, 0x2000}}},
		 2, F1, "reg", "the region wraps around"},
		{{{F0, "image", NULL, 4, {0, 0x49000000, 0, 0x200001}}}, 1, F0, "image",
		 "2097153 bytes: an image must be 1 to 2097152 bytes (the region's size)"},
		{{{F0, "image", NULL, 4, {0, 0x49000000, 0, 0}}}, 1, F0, "image",
		 "0 bytes: an image must be 1 to 2097152 bytes"},
		/* The CFI bank's geometry (REQ-PAR-007). */
		{{{F1, "bank-width", NULL, 1, {3}}}, 1, F1, "bank-width",
		 "3 bytes: a bank is 1, 2 or 4 bytes wide"},
		{{{F1, "bank-width", NULL, 2, {0, 4}}}, 1, F1, "bank-width", "expected 1 cell (a 32-bit number)"},
		{{{F0, "bank-width", NULL, 1, {4}}, {F0, "erase-block-size", NULL, 1, {0x10000}}},
		 2, F0, "bank-width", "a CFI flash bank takes commands: not on a read-only region"},
		{{{F1, "device-width", NULL, 1, {8}}}, 1, F1, "device-width",
		 "a chip is 1, 2 or 4 bytes wide and no wider than the bank (4)"},
		{{{F1, "bank-width", NULL, 1, {1}}}, 1, F1, "device-width",
		 "no wider than the bank (1)"},
		{{{F1, "erase-block-size", NULL, EDIT_DELETE, {0}}}, 1, F1, "erase-block-size",
		 "required with bank-width: the bank's erase block in bytes"},
		{{{F1, "erase-block-size", NULL, 1, {0x30000}}}, 1, F1, "erase-block-size",
		 "0x30000: a power of two"},
		{{{F1, "erase-block-size", NULL, 1, {0x80000}}}, 1, F1, "erase-block-size",
		 "divides the region (0x40000)"},
		{{{F1, "erase-block-size", NULL, 1, {0x100}}}, 1, F1, "erase-block-size",
		 "0x100: a power of two of 256"},
		/* Without a kernel, `entry` must be in a read-only region: the
		 * writable one is not firmware run in place. */
		{{{P0 "/module@48000000", "compatible", "multiboot,module", 0, {0}},
		  {P0, "entry", NULL, 2, {0, 0x04000000}}},
		 2, P0, "", "no module with compatible \"multiboot,kernel\""},
	};

	edit_check_cases("firmware", cases, sizeof(cases) / sizeof(cases[0]));
}

/* Firmware run in place (EDK2): no kernel module, `entry` inside the
 * read-only flash region; the partition loads nothing and starts there. */
TEST(firmware_config_entry_in_read_only_flash) /* reqs: REQ-PAR-005 */
{
	const struct edit e[] = {
		{P0 "/module@48000000", "compatible", "multiboot,module", 0, {0}},
		{P0, "entry", NULL, 2, {0, 0x1000}},
	};
	enum bh_err status;

	REQUIRE(edited_parse("firmware", e, 2, NULL, &status) != NULL);
	CHECK_EQ(status, BH_OK);
	const struct partition_config *p0 = &edit_sys.part[0];

	CHECK(!p0->kernel.present);
	CHECK_EQ(p0->entry_ipa, 0x1000ull);
	CHECK_EQ(p0->load_ipa, 0x1000ull);
	CHECK(config_ipa_in_rom(p0, 0x1000));
	CHECK(config_ipa_in_rom(p0, 0x1fffff));
	CHECK(!config_ipa_in_rom(p0, 0x200000));
	/* The writable region is not ROM: a store there is the guest's. */
	CHECK(!config_ipa_in_rom(p0, 0x04000000));
}

/* The partition's DT describes its CFI bank as QEMU's virt does its flash,
 * for U-Boot's and EDK2's drivers to find; a plain region gets no node. */
TEST(firmware_guest_dt_has_a_cfi_flash_node) /* reqs: REQ-PAR-007 */
{
	memset(&errors, 0, sizeof(errors));
	const void *sys = test_parse_system("firmware", &plat, &sys_config, &errors);

	REQUIRE(sys != NULL);
	struct guest_dt_layout layout = {.vuart_ipa = 0x9000000, .vuart_size = 0x1000,
					 .boot_count = 1};
	void *buf = malloc(64 * 1024);
	size_t used = 0;

	REQUIRE(buf != NULL);
	REQUIRE(guest_dt_build(buf, 64 * 1024, sys, &plat, &sys_config.part[0], 0, &layout,
			       &used) == BH_OK);
	int node = fdt_path_offset(buf, "/flash@4000000");
	int len = 0;
	const fdt32_t *reg = fdt_getprop(buf, node, "reg", &len);
	const fdt32_t *width = fdt_getprop(buf, node, "bank-width", NULL);

	REQUIRE(node >= 0);
	CHECK(fdt_node_check_compatible(buf, node, "cfi-flash") == 0);
	REQUIRE(reg != NULL && len == 16);
	CHECK_EQ(fdt32_to_cpu(reg[1]), 0x04000000u);
	CHECK_EQ(fdt32_to_cpu(reg[3]), 0x40000u);
	REQUIRE(width != NULL);
	CHECK_EQ(fdt32_to_cpu(*width), 4u);
	CHECK(fdt_path_offset(buf, "/flash@0") < 0);
	free(buf);
}
