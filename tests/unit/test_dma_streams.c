// SPDX-License-Identifier: Apache-2.0
/* A partition's DMA streams from its devices' `iommus` (core/config_dma.c):
 * decoded at an SMMUv3 the build drives, refused at one it does not. */

#include <libfdt.h>

#include <bulkhead/partition_config.h>
#include <bulkhead/platform.h>

#include "test.h"

static struct platform plat;
static struct system_config sys;
static struct config_errors errors;

TEST(dma_streams_from_iommus) /* reqs: REQ-ISO-006 REQ-CFG-001 */
{
	const void *fdt = test_parse_system("dma-streams", &plat, &sys, &errors);

	REQUIRE(fdt != NULL);
	const struct partition_config *pc = &sys.part[0];
	int smmu = fdt_path_offset(fdt, "/iommu@9050000");
	int dma = fdt_path_offset(fdt, "/soc/dma@300000");

	REQUIRE(pc->stream_count == 2);
	CHECK_EQ(pc->streams[0].iommu, smmu);
	CHECK_EQ(pc->streams[0].id, 0x21);
	CHECK_EQ(pc->streams[0].master, dma);
	CHECK_EQ(pc->streams[0].pci_rid, -1);
	CHECK_EQ(pc->streams[1].id, 0x22);
}

TEST(dma_streams_refused_at_a_disabled_iommu) /* reqs: REQ-ISO-006 REQ-CFG-001 */
{
	CHECK(test_parse_system("dma-streams-disabled", &plat, &sys, &errors) == NULL);
	REQUIRE(errors.count >= 1);
	CHECK_EQ(errors.list[0].kind, CFG_ERR_BAD_VALUE);
	CHECK_STR(errors.list[0].path, "/chosen/bulkhead/p0");
	CHECK_STR(errors.list[0].property, "devices");
	CHECK_CONTAINS(errors.list[0].message,
		       "/soc/dma@300000: 'iommus' entry 0 is not an enabled IOMMU the hypervisor drives");
}
