// SPDX-License-Identifier: Apache-2.0
/* Where a vCPU starts: a platform's vcpu_start_limit (x86: 4 GiB) refuses
 * an entry point or a first memory region (the device tree's) above it,
 * by node and property; without a limit the same system is valid. */

#include <string.h>

#include <arch/fake.h>
#include <bulkhead/console.h>
#include <bulkhead/dt.h>
#include <bulkhead/partition_config.h>
#include <bulkhead/platform.h>

#include "test.h"

static struct platform plat;
static struct system_config sys_config;
static struct config_errors errors;

static enum bh_err parse_with_limit(uint64_t limit)
{
	memset(&plat, 0, sizeof(plat));
	memset(&errors, 0, sizeof(errors));
	void *fdt = test_parse_platform("start-limit", &plat);

	if (fdt == NULL)
		return BH_ERR_INVALID;
	plat.vcpu_start_limit = limit;
	return config_parse(fdt, &plat, NULL, NULL, &sys_config, &errors);
}

TEST(start_limit_none_allows_memory_and_entry_above_4gib) /* reqs: REQ-PAR-004 REQ-CFG-001 */
{
	REQUIRE(parse_with_limit(0) == BH_OK);
	CHECK_EQ(sys_config.count, 3);
	CHECK_EQ(sys_config.part[1].entry_ipa, 0x100100000ull);
	CHECK_EQ(sys_config.part[2].entry_ipa, 0x100001000ull);
}

TEST(start_limit_refuses_entry_and_device_tree_above_it) /* reqs: REQ-PAR-004 REQ-CFG-001 */
{
	REQUIRE(parse_with_limit(1ull << 32) != BH_OK);
	REQUIRE(errors.count == 3);
	CHECK_STR(errors.list[0].path, "/chosen/bulkhead/p1");
	CHECK_STR(errors.list[0].property, "load-offset");
	CHECK_STR(errors.list[0].message,
		  "entry point 0x100100000 is not below 0x100000000, all a starting vCPU reaches");
	CHECK_STR(errors.list[1].path, "/chosen/bulkhead/p1");
	CHECK_STR(errors.list[1].property, "memory");
	CHECK_STR(errors.list[1].message, "region 0 ends at guest 0x100ffffff: the device tree at "
					  "its top is not below 0x100000000, all a starting vCPU "
					  "reaches");
	CHECK_STR(errors.list[2].path, "/chosen/bulkhead/p2");
	CHECK_STR(errors.list[2].property, "entry");
	CHECK_CONTAINS(errors.list[2].message, "entry point 0x100001000 is not below");
}

TEST(start_limit_at_the_region_end_is_allowed) /* reqs: REQ-PAR-004 REQ-CFG-001 */
{
	/* p1's first region ends exactly at 0x101000000, both entries are
	 * below it; a page less and p1's device tree is out of reach. */
	CHECK_EQ(parse_with_limit(0x101000000ull), BH_OK);
	CHECK_EQ(errors.count, 0);
	CHECK(parse_with_limit(0x100fff000ull) != BH_OK);
	CHECK_EQ(errors.count, 1);
	CHECK_STR(errors.list[0].property, "memory");
}
