// SPDX-License-Identifier: Apache-2.0
/*
 * A partition's own device-tree module, adopted rather than built
 * (core/guest_dt_adopt.c): copied, given the ramdisk's place in /chosen
 * (made if absent, replaced if stale, before its subnodes); a truncated or
 * corrupt one refused.
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
	/* Nothing added: the same structure and names (the copy's header
	 * aligns its reservations to 16 bytes, so its total may be 8 more). */
	CHECK_EQ(fdt_size_dt_struct(out), fdt_size_dt_struct(module));
	CHECK_EQ(fdt_size_dt_strings(out), fdt_size_dt_strings(module));
	CHECK_EQ(used, fdt_totalsize(out));
}

TEST(guest_dt_adopt_replaces_the_ramdisk_before_chosen_subnodes) /* reqs: REQ-CFG-006 */
{
	const struct guest_dt_layout ramdisk = {.ramdisk_ipa = 0x60000000, .ramdisk_size = 0x1000};
	size_t used = 0;
	uint64_t base = 0, size = 0;

	/* /chosen with a stale ramdisk and a subnode; a reservation; a boot
	 * CPU other than 0. */
	REQUIRE(fdt_create_empty_tree(module, sizeof(module)) == 0);
	int chosen = fdt_add_subnode(module, 0, "chosen");

	REQUIRE(chosen >= 0);
	REQUIRE(fdt_setprop_u64(module, chosen, "linux,initrd-start", 0x1000) == 0);
	REQUIRE(fdt_setprop_string(module, chosen, "bootargs", "quiet") == 0);
	REQUIRE(fdt_add_subnode(module, chosen, "framebuffer") >= 0);
	REQUIRE(fdt_add_mem_rsv(module, 0x48000000, 0x2000) == 0);
	fdt_set_boot_cpuid_phys(module, 2);
	REQUIRE(fdt_pack(module) == 0);
	REQUIRE(guest_dt_adopt(out, sizeof(out), module, fdt_totalsize(module), &cfg, &ramdisk,
			       &used) == BH_OK);
	/* A valid tree: the properties before the subnode. */
	CHECK_EQ(fdt_check_full(out, used), 0);
	CHECK_EQ(u64_prop(out, "/chosen", "linux,initrd-start"), 0x60000000ull);
	CHECK_EQ(u64_prop(out, "/chosen", "linux,initrd-end"), 0x60001000ull);
	CHECK_STR((const char *)fdt_getprop(out, fdt_path_offset(out, "/chosen"), "bootargs", NULL),
		  "quiet");
	CHECK(fdt_path_offset(out, "/chosen/framebuffer") >= 0);
	CHECK_EQ(fdt_num_mem_rsv(out), 1);
	REQUIRE(fdt_get_mem_rsv(out, 0, &base, &size) == 0);
	CHECK_EQ(base, 0x48000000ull);
	CHECK_EQ(size, 0x2000ull);
	CHECK_EQ(fdt_boot_cpuid_phys(out), 2u);
	/* Without a ramdisk, the module's own say stands. */
	REQUIRE(guest_dt_adopt(out, sizeof(out), module, fdt_totalsize(module), &cfg,
			       &(const struct guest_dt_layout){0}, &used) == BH_OK);
	CHECK_EQ(u64_prop(out, "/chosen", "linux,initrd-start"), 0x1000ull);
	CHECK(fdt_getprop(out, fdt_path_offset(out, "/chosen"), "linux,initrd-end", NULL) == NULL);
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
