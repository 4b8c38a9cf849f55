// SPDX-License-Identifier: Apache-2.0
/* `bulkhead,pci-function` on a partition's device: decoded where the port
 * passes PCI functions (x86), refused by node and property where it does
 * not (arm64), malformed values and a function owned twice refused. */

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

static enum bh_err parse(bool pci_functions)
{
	memset(&plat, 0, sizeof(plat));
	memset(&errors, 0, sizeof(errors));
	void *fdt = test_parse_platform("pci-function", &plat);

	if (fdt == NULL)
		return BH_ERR_INVALID;
	plat.pci_functions = pci_functions;
	return config_parse(fdt, &plat, NULL, NULL, &sys_config, &errors);
}

TEST(pci_function_decoded_and_its_errors_by_node_and_property) /* reqs: REQ-ISO-009 REQ-CFG-001 */
{
	REQUIRE(parse(true) != BH_OK);
	CHECK(sys_config.part[0].devices[0].pci_function);
	CHECK_EQ(sys_config.part[0].devices[0].pci_rid, 0x28);
	REQUIRE(errors.count == 3);
	CHECK_STR(errors.list[0].path, "/chosen/bulkhead/p1");
	CHECK_STR(errors.list[0].property, "devices");
	CHECK_STR(errors.list[0].message, "/device@fe001000: 'bulkhead,pci-function' must be one "
					  "requester ID (bus << 8 | device << 3 | function, at most "
					  "0xffff)");
	CHECK_STR(errors.list[1].path, "/chosen/bulkhead/p1");
	CHECK_CONTAINS(errors.list[1].message, "/device@fe002000: 'bulkhead,pci-function' must be");
	CHECK_STR(errors.list[2].path, "/chosen/bulkhead/p1");
	CHECK_STR(errors.list[2].property, "devices");
	CHECK_STR(errors.list[2].message,
		  "/device@fe000000: PCI function 00:05.0 is also a device of 'p0'");
}

TEST(pci_function_refused_where_the_port_has_none) /* reqs: REQ-ISO-009 REQ-CFG-001 */
{
	REQUIRE(parse(false) != BH_OK);
	CHECK(!sys_config.part[0].devices[0].pci_function);
	REQUIRE(errors.count == 4);
	CHECK_STR(errors.list[0].path, "/chosen/bulkhead/p0");
	CHECK_STR(errors.list[0].property, "devices");
	CHECK_STR(errors.list[0].message, "/edu@fea00000: 'bulkhead,pci-function': this port does "
					  "not pass PCI configuration space or MSI to partitions");
	CHECK_CONTAINS(errors.list[3].message, "/device@fe002000: 'bulkhead,pci-function': this port");
}
