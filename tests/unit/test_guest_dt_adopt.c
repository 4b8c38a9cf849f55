// SPDX-License-Identifier: Apache-2.0
/*
 * A partition's own device-tree module, adopted rather than built
 * (core/guest_dt.c, guest_dt_adopt): copied, given the ramdisk's place in
 * /chosen (made if absent), packed; a truncated or corrupt one refused.
 */

#include <string.h>

#include <libfdt.h>

#include <arch/fake.h>
#include <bulkhead/console.h>
#include <bulkhead/guest_dt.h>
#include <bulkhead/partition_config.h>

#include "test.h"

static uint8_t module[4096] __attribute__((aligned(8)));
static uint8_t out[16384] __attribute__((aligned(8)));
static const struct partition_config cfg = {.name = "adopter"};

static uint64_t u64_prop(const void *fdt, const char *path, const char *name)
{
	int len;
	const void *v = fdt_getprop(fdt, fdt_path_offset(fdt, path), name, &len);
	fdt64_t be;

	if (v == NULL || len != 8)
		return 0;
	memcpy(&be, v, sizeof(be)); /* properties are only 4-byte aligned */
	return fdt64_to_cpu(be);
}

TEST(guest_dt_adopt_adds_the_ramdisk_to_chosen) /* reqs: REQ-CFG-006 */
{
	const struct guest_dt_layout ramdisk = {.ramdisk_ipa = 0x50f00000, .ramdisk_size = 0x2000};
	const struct guest_dt_layout none = {0};
	size_t used = 0;

	/* A tree without /chosen, one property at its root. */
	REQUIRE(fdt_create_empty_tree(module, sizeof(module)) == 0);
	REQUIRE(fdt_setprop_string(module, 0, "model", "adopted") == 0);
	REQUIRE(fdt_pack(module) == 0);
	REQUIRE(guest_dt_adopt(out, sizeof(out), module, sizeof(module), &cfg, &ramdisk, &used) ==
		BH_OK);
	CHECK_EQ(fdt_check_full(out, used), 0);
	CHECK_EQ(used, fdt_totalsize(out));
	CHECK_EQ(u64_prop(out, "/chosen", "linux,initrd-start"), 0x50f00000ull);
	CHECK_EQ(u64_prop(out, "/chosen", "linux,initrd-end"), 0x50f02000ull);
	CHECK_STR((const char *)fdt_getprop(out, 0, "model", NULL), "adopted");

	/* With /chosen already there, and without a ramdisk: as given. */
	REQUIRE(fdt_open_into(module, module, sizeof(module)) == 0);
	REQUIRE(fdt_add_subnode(module, 0, "chosen") >= 0);
	REQUIRE(fdt_pack(module) == 0);
	REQUIRE(guest_dt_adopt(out, sizeof(out), module, fdt_totalsize(module), &cfg, &ramdisk,
			       &used) == BH_OK);
	CHECK_EQ(u64_prop(out, "/chosen", "linux,initrd-end"), 0x50f02000ull);
	REQUIRE(guest_dt_adopt(out, sizeof(out), module, fdt_totalsize(module), &cfg, &none,
			       &used) == BH_OK);
	CHECK(fdt_getprop(out, fdt_path_offset(out, "/chosen"), "linux,initrd-start", NULL) == NULL);
	CHECK_EQ(used, fdt_totalsize(module));
}

TEST(guest_dt_adopt_refuses_a_broken_module) /* reqs: REQ-CFG-006 REQ-CFG-003 */
{
	const struct guest_dt_layout none = {0};
	size_t used = 0;

	REQUIRE(console_init(test_load_dtb("console-path")) == BH_OK);
	REQUIRE(fdt_create_empty_tree(module, sizeof(module)) == 0);
	REQUIRE(fdt_pack(module) == 0);
	fake_console_reset();
	/* Shorter than a header; shorter than the tree says it is; no magic. */
	CHECK_EQ(guest_dt_adopt(out, sizeof(out), module, 8, &cfg, &none, &used), BH_ERR_INVALID);
	CHECK_CONTAINS(fake_console_output(), "error: partition adopter: its device-tree module: ");
	CHECK_EQ(guest_dt_adopt(out, sizeof(out), module, fdt_totalsize(module) - 1, &cfg, &none,
				&used), BH_ERR_INVALID);
	module[0] ^= 0xff;
	CHECK_EQ(guest_dt_adopt(out, sizeof(out), module, sizeof(module), &cfg, &none, &used),
		 BH_ERR_INVALID);
	/* A module larger than the room for the partition's DT. */
	module[0] ^= 0xff;
	CHECK_EQ(guest_dt_adopt(out, 16, module, sizeof(module), &cfg, &none, &used),
		 BH_ERR_INVALID);
}
