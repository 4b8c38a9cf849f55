// SPDX-License-Identifier: Apache-2.0
/*
 * A PCI host bridge passed whole to a partition (core/config_dma.c): its
 * windows become the device's regions, its legacy interrupts (through
 * `interrupt-map`) its SPIs, and `pci-functions` name the DMA streams its
 * requester IDs reach through `iommu-map`; each malformed part refused.
 * QEMU's virt tree with one partition (config_edit.h), given the bridge
 * (and, for DMA, an SMMUv3 the edits add).
 */

#include <string.h>

#include "config_edit.h"
#include "test.h"

#define P0 "/chosen/bulkhead/p0"
#define PCIE "/pcie@10000000"
#define PCIE_PH 0x7000u
#define SMMU_PH 0x7001u
#define MORE_MAX 8

static enum bh_err status;

/* The virt partition, given the bridge, with @n more edits. */
static bool parse_virt(const struct edit *more, unsigned int n)
{
	struct edit e[EDIT_VIRT_PARTITION_COUNT + 2 + MORE_MAX];
	unsigned int at = EDIT_VIRT_PARTITION_COUNT;

	if (n > MORE_MAX)
		return false;
	memcpy(e, edit_virt_partition, sizeof(edit_virt_partition));
	e[at++] = (struct edit){PCIE, "phandle", NULL, 1, {PCIE_PH}};
	e[at++] = (struct edit){P0, "devices", NULL, 1, {PCIE_PH}};
	if (n != 0)
		memcpy(&e[at], more, n * sizeof(*more));
	return edited_parse("qemu-virt", e, at + n, NULL, &status) != NULL;
}

TEST(pci_bridge_windows_and_legacy_interrupts) /* reqs: REQ-PAR-002 REQ-CFG-004 */
{
	REQUIRE(parse_virt(NULL, 0));
	REQUIRE(status == BH_OK);
	const struct partition_device *d = &edit_sys.part[0].devices[0];

	/* ECAM, then the I/O, 32-bit and 64-bit memory windows. */
	REQUIRE(d->reg_count == 4);
	CHECK_EQ(d->window_count, 3);
	CHECK_EQ(d->regs[0].base, 0x4010000000ull);
	CHECK_EQ(d->regs[1].base, 0x3eff0000ull);
	CHECK_EQ(d->regs[1].size, 0x10000ull);
	CHECK_EQ(d->regs[2].base, 0x10000000ull);
	CHECK_EQ(d->regs[2].size, 0x2eff0000ull);
	CHECK_EQ(d->regs[3].base, 0x8000000000ull);
	CHECK_EQ(d->regs[3].size, 0x8000000000ull);
	/* INTA-INTD of every slot: SPIs 3-6, each once, level. */
	REQUIRE(d->irq_count == 4);
	CHECK_EQ(d->irqs[0], 35);
	CHECK_EQ(d->irqs[1], 36);
	CHECK_EQ(d->irqs[2], 37);
	CHECK_EQ(d->irqs[3], 38);
	CHECK_EQ(d->irq_edge, 0);
	CHECK(!d->dma_translated);
}

/* An SMMUv3 for requester IDs 0-0xff of the bridge, streams from 0x100. */
#define WITH_SMMU                                                                     \
	{"/", NULL, "iommu@9050000", 0, {0}},                                         \
	{"/iommu@9050000", "compatible", "arm,smmu-v3", 0, {0}},                      \
	{"/iommu@9050000", "reg", NULL, 4, {0, 0x9050000, 0, 0x20000}},               \
	{"/iommu@9050000", "#iommu-cells", NULL, 1, {1}},                             \
	{"/iommu@9050000", "phandle", NULL, 1, {SMMU_PH}},                            \
	{PCIE, "iommu-map", NULL, 4, {0, SMMU_PH, 0x100, 0x100}}

TEST(pci_functions_name_streams_through_the_iommu_map) /* reqs: REQ-ISO-006 REQ-CFG-001 */
{
	const struct edit e[] = {WITH_SMMU, {P0, "pci-functions", NULL, 4, {PCIE_PH, 0x8, PCIE_PH, 0x10}}};

	REQUIRE(parse_virt(e, 7));
	REQUIRE(status == BH_OK);
	const struct partition_config *pc = &edit_sys.part[0];

	CHECK(pc->devices[0].dma_translated);
	REQUIRE(pc->stream_count == 2);
	CHECK_EQ(pc->streams[0].id, 0x108);
	CHECK_EQ(pc->streams[0].pci_rid, 0x8);
	CHECK_EQ(pc->streams[1].id, 0x110);
	CHECK_EQ(pc->streams[0].master, pc->devices[0].node);
}

struct bridge_case {
	struct edit edit[MORE_MAX];
	unsigned int edits;
	const char *prop, *msg;
};

TEST(pci_bridge_refusals) /* reqs: REQ-CFG-001 REQ-ISO-006 */
{
	static const struct bridge_case cases[] = {
		{{{PCIE, "ranges", NULL, 6, {0x2000000, 0, 0x10000000, 0, 0x10000000, 0}}}, 1,
		 "devices", "/pcie@10000000: malformed 'ranges'"},
		{{{PCIE, "ranges", NULL, 7, {0x2000000, 0, 0x10000000, 0, 0x10000000, 0, 0}}}, 1,
		 "devices", "/pcie@10000000: window 0 of 'ranges' is empty or not a CPU address"},
		{{{PCIE, "interrupt-map", NULL, 10, {0, 0, 0, 1, 0x8004, 0, 0, 0, 3, 4}}}, 1,
		 "devices", "/pcie@10000000: 'interrupt-map' leads to something other than the GIC"},
		{{{PCIE, "interrupt-map", NULL, 10, {0, 0, 0, 1, 0x8005, 0, 0, 1, 3, 4}}}, 1,
		 "devices", "/pcie@10000000: 'interrupt-map' names an interrupt that is not an SPI"},
		{{{PCIE, "interrupt-map", NULL, 8, {0, 0, 0, 1, 0x8005, 0, 0, 0}}}, 1, "devices",
		 "/pcie@10000000: 'interrupt-map' is malformed"},
		{{{P0, "pci-functions", NULL, 3, {PCIE_PH, 8, 0}}}, 1, "pci-functions",
		 "must be (host bridge phandle, requester ID) pairs"},
		{{{P0, "pci-functions", NULL, 2, {0x8004, 8}}}, 1, "pci-functions",
		 "entry 0: not a PCI host bridge among the partition's devices"},
		{{{P0, "pci-functions", NULL, 2, {PCIE_PH, 8}}}, 1, "pci-functions",
		 "entry 0: requester ID 0x8 does not reach an IOMMU the hypervisor drives"},
		{{WITH_SMMU, {P0, "pci-functions", NULL, 2, {PCIE_PH, 0x200}}}, 7, "pci-functions",
		 "entry 0: requester ID 0x200 does not reach an IOMMU"},
		{{WITH_SMMU, {P0, "pci-functions", NULL, 4, {PCIE_PH, 8, PCIE_PH, 8}}}, 7,
		 "pci-functions", "entry 1: requester ID 0x8 is listed twice"},
	};

	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct bridge_case *k = &cases[i];

		if (!parse_virt(k->edit, k->edits)) {
			test_fail(__FILE__, __LINE__, "case %u: edit failed", i);
			continue;
		}
		if (status == BH_OK)
			test_fail(__FILE__, __LINE__, "case %u: accepted", i);
		else if (!edit_has_error(P0, k->prop, k->msg))
			test_fail(__FILE__, __LINE__, "case %u: no error '%s': %s among:\n%s", i,
				  k->prop, k->msg, edit_errors_text());
	}
}
