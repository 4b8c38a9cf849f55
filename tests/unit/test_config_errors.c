// SPDX-License-Identifier: Apache-2.0
/*
 * Configuration decoding's error paths (core/partition_config.c): each case
 * one edit of the valid passthrough.dts, which must be refused with an error
 * naming the node and property; and the kernel's arm64 Image header, read
 * through the boot's peek function.
 */

#include <string.h>

#include <libfdt.h>

#include <arch/fake.h>

#include "config_edit.h"
#include "test.h"

#define P0 "/chosen/bulkhead/p0"

TEST(config_edit_base_is_valid) /* reqs: REQ-CFG-001 */
{
	enum bh_err status;

	REQUIRE(edited_parse("passthrough", NULL, 0, NULL, &status) != NULL);
	CHECK_EQ(status, BH_OK);
	CHECK_EQ(edit_errors.count, 0);
	CHECK_EQ(edit_sys.count, 1);
	CHECK_STR(edit_sys.part[0].name, "p0");
}

TEST(config_refuses_bad_partition_properties) /* reqs: REQ-CFG-001 */
{
	static const struct error_case cases[] = {
		{{{P0, "cpus", NULL, EDIT_EMPTY, {0}}}, 1, P0, "cpus",
		 "a partition needs at least one CPU"},
		{{{P0, "cpus", "ab", 0, {0}}}, 1, P0, "cpus", "must be 1 to 16 phandles, 4 bytes each"},
		{{{P0, "cpus", NULL, 1, {0x999}}}, 1, P0, "cpus", "phandle 0x999 refers to no node"},
		{{{P0, "memory", NULL, EDIT_DELETE, {0}}}, 1, P0, "memory",
		 "required: (address size) pairs"},
		{{{P0, "memory", NULL, 3, {0, 0x50000000, 0}}}, 1, P0, "memory",
		 "length 12: must be 1 to 4 (address size) pairs (#address-cells + #size-cells), 16 bytes each"},
		{{{P0, "memory", NULL, 20, {0, 0x50000000, 0, 0x1000, 0, 0x50001000, 0, 0x1000, 0,
					   0x50002000, 0, 0x1000, 0, 0x50003000, 0, 0x1000, 0,
					   0x50004000, 0, 0x1000}}},
		 1, P0, "memory", "length 80: must be 1 to 4 (address size) pairs"},
		{{{P0, "memory-guest-base", NULL, 1, {0}}}, 1, P0, "memory-guest-base",
		 "expected 2 cells (one address of #address-cells per memory region)"},
		{{{P0, "memory", NULL, 4, {0, 0x50000000, 0, 0}}}, 1, P0, "memory",
		 "region 0 is empty"},
		{{{P0, "memory", NULL, 4, {0, 0x50000800, 0, 0x1000000}}}, 1, P0, "memory",
		 "region 0 (0x50000800, size 0x1000000, guest 0x50000800) is not 4 KiB aligned"},
		{{{P0, "memory", NULL, 4, {0xffffffff, 0xfffff000, 0, 0x2000}}}, 1, P0, "memory",
		 "region 0 wraps around"},
		{{{P0, "console", "serial", 0, {0}}}, 1, P0, "console",
		 "must be \"vuart\" or \"none\""},
		{{{P0, "#address-cells", NULL, EDIT_DELETE, {0}}}, 1, P0, "#address-cells",
		 "required (1 or 2)"},
		{{{P0, "#size-cells", NULL, 1, {3}}}, 1, P0, "#size-cells", "must be 1 or 2"},
		{{{P0, "label", "", 0, {0}}}, 1, P0, "label", "partition name must be 1 to"},
		{{{P0, "label", "a-name-longer-than-the-limit-of-partition-names", 0, {0}}}, 1, P0,
		 "label", "partition name must be 1 to"},
		{{{P0, "pmu", NULL, 1, {1}}}, 1, P0, "pmu", "a boolean: present without a value"},
		{{{P0, "load-offset", NULL, 1, {0}}}, 1, P0, "load-offset",
		 "expected 2 cells (#address-cells)"},
		{{{P0, "load-offset", NULL, 2, {0, 0x1000000}}}, 1, P0, "memory",
		 "the kernel needs 4 KiB at guest 0x51000000: more than its first memory region"},
		{{{P0, "entry", NULL, 2, {0, 0x60000000}}}, 1, P0, "entry",
		 "entry point 0x60000000 is outside the partition's memory"},
		{{{P0 "/module@48000000", "reg", NULL, 4, {0, 0x48000000, 0, 0}}}, 1,
		 P0 "/module@48000000", "reg", "a module needs one non-empty (address size) pair"},
		{{{P0 "/module@48000000", "reg", NULL, 2, {0, 0x48000000}}}, 1,
		 P0 "/module@48000000", "reg", "length 8: must be 1 to 1 (address size) pairs"},
		{{{P0 "/module@48000000", "compatible", "multiboot,module", 0, {0}}}, 1, P0, "",
		 "no module with compatible \"multiboot,kernel\""},
		{{{P0, "device-clock-rates", NULL, 1, {1}}}, 1, P0, "device-clock-rates",
		 "length 4: must be 1 to 8 (device phandle, Hz) pairs, 8 bytes each"},
		{{{P0, "device-clock-rates", NULL, 2, {0x999, 1000}}}, 1, P0, "device-clock-rates",
		 "phandle 0x999 is not one of the partition's devices"},
		{{{P0, "devices", "ab", 0, {0}}}, 1, P0, "devices", "must be 1 to 8 phandles, 4 bytes each"},
		{{{P0, "devices", NULL, 1, {0x999}}}, 1, P0, "devices",
		 "phandle 0x999 refers to no node"},
		{{{"/chosen/bulkhead", "compatible", "vendor,other", 0, {0}}}, 1, "/chosen", "",
		 "bulkhead,hypervisor"},
		{{{P0, "compatible", "vendor,other", 0, {0}}}, 1, "/chosen/bulkhead", "",
		 "no child node with compatible \"bulkhead,partition\""},
	};
	edit_check_cases("passthrough", cases, sizeof(cases) / sizeof(cases[0]));
}

/* Cases that name other nodes, by their phandles in this tree. */
TEST(config_refuses_cpus_and_devices_that_are_not_the_partitions) /* reqs: REQ-CFG-001 REQ-ISO-002 */
{
	const void *base = test_load_dtb("passthrough");
	uint32_t osc = edit_phandle(base, "/oscillator");
	uint32_t gic = edit_phandle(base, "/interrupt-controller@8000000");
	uint32_t uart = edit_phandle(base, "/soc/serial@201000");
	uint32_t cpu1 = edit_phandle(base, "/cpus/cpu@1");

	REQUIRE(osc != 0 && gic != 0 && uart != 0 && cpu1 != 0);
	const struct error_case cases[] = {
		{{{P0, "cpus", NULL, 1, {osc}}}, 1, P0, "cpus", "/oscillator is not a CPU node"},
		{{{P0, "cpus", NULL, 1, {cpu1}}, {"/cpus/cpu@1", "status", "disabled", 0, {0}}},
		 2, P0, "cpus", "/cpus/cpu@1 is not an enabled CPU of this machine"},
		{{{P0, "devices", NULL, 1, {gic}}}, 1, P0, "devices",
		 "/interrupt-controller@8000000 belongs to the hypervisor"},
		{{{P0, "devices", NULL, 1, {uart}}, {"/soc/serial@201000", "status", "fail", 0, {0}}},
		 2, P0, "devices", "/soc/serial@201000 is not enabled"},
		{{{P0, "devices", NULL, 1, {uart}}, {"/soc/serial@201000", "reg", NULL, 2,
						      {0x201000, 0}}},
		 2, P0, "devices", "/soc/serial@201000 has an empty or wrapping reg"},
		{{{P0, "devices", NULL, 1, {uart}}, {"/soc/serial@201000", "reg", NULL, 2,
						      {0x2000000, 0x1000}}},
		 2, P0, "devices", "/soc/serial@201000: reg 0 is not mapped by its bus's 'ranges'"},
		{{{P0, "devices", NULL, 1, {uart}}, {"/soc/serial@201000", "reg", NULL, 3,
						      {0x201000, 0x1000, 0}}},
		 2, P0, "devices", "/soc/serial@201000 has a malformed reg"},
		{{{P0, "devices", NULL, 1, {uart}}, {"/soc/serial@201000", "reg", NULL, 18,
						      {0x201000, 0x10, 0x201010, 0x10, 0x201020,
						       0x10, 0x201030, 0x10, 0x201040, 0x10,
						       0x201050, 0x10, 0x201060, 0x10, 0x201070,
						       0x10, 0x201080, 0x10}}},
		 2, P0, "devices", "/soc/serial@201000 has more than"},
		{{{P0, "devices", NULL, 1, {uart}}, {"/soc/serial@201000", "interrupts", NULL, 3,
						      {1, 5, 4}}},
		 2, P0, "devices", "/soc/serial@201000: interrupt 0 is not a shared peripheral"},
		{{{P0, "devices", NULL, 1, {uart}}, {"/soc/serial@201000", "interrupts", NULL, 2,
						      {0, 5}}},
		 2, P0, "devices", "/soc/serial@201000: 'interrupts' does not divide into"},
		{{{P0, "devices", NULL, 1, {uart}}, {"/soc/serial@201000", "interrupt-parent",
						      NULL, 1, {osc}}},
		 2, P0, "devices", "/soc/serial@201000: its interrupt parent is not the GIC"},
		{{{P0, "devices", NULL, 1, {uart}}, {P0, "device-clock-rates", NULL, 2, {uart, 0}}},
		 2, P0, "device-clock-rates", "pair 0: the rate is 0"},
		{{{P0, "devices", NULL, 1, {uart}}, {P0, "device-clock-rates", NULL, 2, {osc, 5}}},
		 2, P0, "device-clock-rates", "is not one of the partition's devices"},
	};

	edit_check_cases("passthrough", cases, sizeof(cases) / sizeof(cases[0]));
}

/* The kernel module's first 64 bytes, as the boot's peek would give them. */
static uint8_t image_header[64];

static const void *peek_header(uint64_t pa, uint64_t len)
{
	return pa == 0x48000000 && len == sizeof(image_header) ? image_header : NULL;
}

static void make_header(uint64_t text_offset, uint64_t image_size)
{
	memset(image_header, 0, sizeof(image_header));
	for (int i = 0; i < 8; i++) {
		image_header[8 + i] = (uint8_t)(text_offset >> (8 * i));
		image_header[16 + i] = (uint8_t)(image_size >> (8 * i));
	}
	memcpy(image_header + 56, "ARM\x64", 4);
}

TEST(config_reads_the_kernels_image_header) /* reqs: REQ-BOOT-001 REQ-CFG-001 */
{
	enum bh_err status;
	/* Load offsets the header overrides. */
	const struct edit e[] = {{P0, "load-offset", NULL, 2, {0, 0x1000}}};

	make_header(0x80000, 0x300000);
	REQUIRE(edited_parse("passthrough", e, 1, peek_header, &status) != NULL);
	REQUIRE(status == BH_OK);
	CHECK_EQ(edit_sys.part[0].load_ipa, 0x50080000ull);
	CHECK_EQ(edit_sys.part[0].entry_ipa, 0x50080000ull);
	CHECK_EQ(edit_sys.part[0].kernel_mem_size, 0x300000ull);

	/* An old Image (size 0): text offset 0x80000, its size the module's. */
	make_header(0x1234, 0);
	REQUIRE(edited_parse("passthrough", e, 1, peek_header, &status) != NULL);
	REQUIRE(status == BH_OK);
	CHECK_EQ(edit_sys.part[0].load_ipa, 0x50080000ull);
	CHECK_EQ(edit_sys.part[0].kernel_mem_size, 0x1000ull);

	/* Without the magic, load-offset counts. */
	make_header(0x80000, 0x300000);
	image_header[56] = 'X';
	REQUIRE(edited_parse("passthrough", e, 1, peek_header, &status) != NULL);
	REQUIRE(status == BH_OK);
	CHECK_EQ(edit_sys.part[0].load_ipa, 0x50001000ull);
	CHECK_EQ(edit_sys.part[0].kernel_mem_size, 0x1000ull);

	/* An image larger than the first region. */
	make_header(0x80000, 0x1000000);
	REQUIRE(edited_parse("passthrough", e, 1, peek_header, &status) != NULL);
	CHECK(status != BH_OK);
	CHECK(edit_has_error(P0, "memory", "the kernel needs 16384 KiB at guest 0x50080000"));
}

TEST(config_errors_print_names_node_and_property) /* reqs: REQ-CFG-001 */
{
	struct config_errors errors;

	memset(&errors, 0, sizeof(errors));
	errors.count = MAX_CONFIG_ERRORS + 3;
	for (unsigned int i = 0; i < MAX_CONFIG_ERRORS; i++) {
		snprintf(errors.list[i].path, sizeof(errors.list[i].path), "/p%u", i);
		snprintf(errors.list[i].message, sizeof(errors.list[i].message), "bad %u", i);
	}
	memcpy(errors.list[1].property, "memory", 7);
	fake_console_reset();
	config_errors_print(&errors);
	const char *out = fake_console_output();

	/* The console ends its lines CR LF. */

	CHECK_CONTAINS(out, "error: /p0: bad 0\r\n");
	CHECK_CONTAINS(out, "error: /p1: property 'memory': bad 1\r\n");
	CHECK_CONTAINS(out, "error: /p15: bad 15\r\n");
	CHECK_CONTAINS(out, "error: ... and 3 more\r\n");
	CHECK(strstr(out, "/p16") == NULL);
}
