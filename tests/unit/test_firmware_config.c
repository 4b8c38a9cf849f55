// SPDX-License-Identifier: Apache-2.0
/* Firmware in a partition (core/firmware_config.c): device-tree-address and
 * bulkhead,flash regions decoded, and every wrong one refused by node and
 * property. */

#include <string.h>

#include <bulkhead/partition_config.h>
#include <bulkhead/platform.h>

#include "test.h"

static struct platform plat;
static struct system_config sys_config;
static struct config_errors errors;

TEST(firmware_config_decodes_dt_address_and_flash) /* reqs: REQ-PAR-005 REQ-CFG-001 */
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
		  "guest 0x9010000-0x9010fff covers a passthrough device");
	CHECK_STR(message("/chosen/bulkhead/p0/flash@9000000", "memory"),
		  "0x52800000-0x52800fff overlaps a partition's memory");
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
		       "expected one (address size) pair");
}
