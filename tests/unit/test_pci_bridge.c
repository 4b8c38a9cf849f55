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

#include <libfdt.h>

#include <bulkhead/guest_dt.h>

#include "config_edit.h"
#include "test.h"

#define P0 "/chosen/bulkhead/p0"
#define PCIE "/pcie@10000000"
#define PCIE_PH 0x7000u
#define SMMU_PH 0x7001u
#define MORE_MAX 8

static enum bh_err status;
static const void *last_tree;

static const void *fdt_dtb_of_last_parse(void)
{
	return last_tree;
}

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
	last_tree = edited_parse("qemu-virt", e, at + n, NULL, &status);
	return last_tree != NULL;
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
		 "length 12: must be 1 to 8 (host bridge phandle, requester ID) pairs, 8 bytes each"},
		{{{P0, "pci-functions", NULL, 2, {0x8004, 8}}}, 1, "pci-functions",
		 "entry 0: not a PCI host bridge among the partition's devices"},
		{{{P0, "pci-functions", NULL, 2, {PCIE_PH, 8}}}, 1, "pci-functions",
		 "entry 0: requester ID 0x8 does not reach an IOMMU the hypervisor drives"},
		{{WITH_SMMU, {P0, "pci-functions", NULL, 2, {PCIE_PH, 0x200}}}, 7, "pci-functions",
		 "entry 0: requester ID 0x200 does not reach an IOMMU"},
		{{WITH_SMMU, {P0, "pci-functions", NULL, 4, {PCIE_PH, 8, PCIE_PH, 8}}}, 7,
		 "pci-functions", "entry 1: requester ID 0x8 is listed twice"},
		/* The bridge does DMA (dma-coherent) untranslated: the partition's
		 * memory must be where the device's bus addresses reach it. */
		{{{P0, "memory-guest-base", NULL, 2, {0, 0x60000000}}}, 1, "memory-guest-base",
		 "/pcie@10000000 does DMA (dma-coherent): region 0 must be at its host address "
		 "0x50000000, not 0x60000000"},
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

/* The partition's own DT: the bridge with its windows at their CPU
 * addresses and its legacy interrupts wired to the guest's GIC. */
TEST(pci_bridge_in_the_partitions_device_tree) /* reqs: REQ-CFG-006 REQ-PAR-002 */
{
	static uint8_t dt[64 * 1024];
	struct guest_dt_layout layout = {.vuart_ipa = 0x9000000, .vuart_size = 0x1000,
					 .vuart_irq = 33};
	size_t used = 0;
	int len;

	REQUIRE(parse_virt(NULL, 0));
	REQUIRE(status == BH_OK);
	const void *sys = fdt_dtb_of_last_parse();

	REQUIRE(guest_dt_build(dt, sizeof(dt), sys, &edit_plat, &edit_sys.part[0], 0, &layout,
			       &used) == BH_OK);
	REQUIRE(fdt_check_full(dt, used) == 0);
	/* Named after its first register, the ECAM. */
	int pcie = fdt_path_offset(dt, "/pcie@4010000000");

	REQUIRE(pcie >= 0);
	/* Each window: its 3 PCI address cells, then CPU address and size in
	 * two cells each. */
	const fdt32_t *r = fdt_getprop(dt, pcie, "ranges", &len);

	REQUIRE(r != NULL && len == 3 * 7 * 4);
	CHECK_EQ(fdt32_to_cpu(r[0]), 0x1000000);
	CHECK_EQ(fdt32_to_cpu(r[4]), 0x3eff0000);
	CHECK_EQ(fdt32_to_cpu(r[6]), 0x10000);
	CHECK_EQ(fdt32_to_cpu(r[7]), 0x2000000);
	CHECK_EQ(fdt32_to_cpu(r[17]), 0x80);
	CHECK_EQ(fdt32_to_cpu(r[19]), 0x80);
	/* The interrupt map: 16 entries of 4 child cells, the GIC's phandle
	 * (the guest's, without its address cells) and 3 cells. */
	const fdt32_t *m = fdt_getprop(dt, pcie, "interrupt-map", &len);
	int gic = fdt_node_offset_by_phandle(dt, fdt32_to_cpu(m != NULL ? m[4] : 0));

	REQUIRE(m != NULL && len == 16 * 8 * 4);
	CHECK(gic >= 0 && fdt_getprop(dt, gic, "interrupt-controller", NULL) != NULL);
	CHECK_EQ(fdt32_to_cpu(m[3]), 1);  /* INTA of slot 0 */
	CHECK_EQ(fdt32_to_cpu(m[6]), 3);  /* SPI 3 */
	CHECK_EQ(fdt32_to_cpu(m[8 + 6]), 4);
	CHECK_EQ(fdt32_to_cpu(m[15 * 8 + 6]), 5);
}

/* Functions whose MSI reach the ITS through the bridge's `msi-map` (1:1 on
 * QEMU's virt): their DeviceIDs, and in the partition's DT a virtual ITS
 * and an `msi-map` listing only them. */
TEST(pci_functions_msi_through_a_virtual_its) /* reqs: REQ-ISO-010 REQ-PAR-008 */
{
	static uint8_t dt[64 * 1024];
	struct guest_dt_layout layout = {.vuart_ipa = 0x9000000, .vuart_size = 0x1000,
					 .vuart_irq = 33};
	const struct edit e[] = {WITH_SMMU, {P0, "pci-functions", NULL, 2, {PCIE_PH, 0x10}}};
	size_t used = 0;
	int len;

	REQUIRE(parse_virt(e, 7));
	REQUIRE(status == BH_OK);
	const struct partition_config *pc = &edit_sys.part[0];

	REQUIRE(pc->stream_count == 1);
	CHECK_EQ(pc->streams[0].its_devid, 0x10);
	REQUIRE(guest_dt_build(dt, sizeof(dt), fdt_dtb_of_last_parse(), &edit_plat, pc, 0, &layout,
			       &used) == BH_OK);
	REQUIRE(fdt_check_full(dt, used) == 0);
	int its = fdt_node_offset_by_compatible(dt, -1, "arm,gic-v3-its");
	const fdt32_t *reg = its >= 0 ? fdt_getprop(dt, its, "reg", &len) : NULL;

	REQUIRE(reg != NULL && len == 16);
	CHECK_EQ(fdt32_to_cpu(reg[1]), 0x8080000);
	CHECK_EQ(fdt32_to_cpu(reg[3]), 0x20000);
	CHECK(fdt_getprop(dt, its, "msi-controller", NULL) != NULL);
	int pcie = fdt_path_offset(dt, "/pcie@4010000000");
	const fdt32_t *map = pcie >= 0 ? fdt_getprop(dt, pcie, "msi-map", &len) : NULL;

	REQUIRE(map != NULL && len == 16);
	CHECK_EQ(fdt32_to_cpu(map[0]), 0x10);
	CHECK_EQ(fdt_node_offset_by_phandle(dt, fdt32_to_cpu(map[1])), its);
	CHECK_EQ(fdt32_to_cpu(map[2]), 0x10);
	CHECK_EQ(fdt32_to_cpu(map[3]), 1);
}

/* Without functions of its own the partition gets neither. */
TEST(pci_bridge_without_functions_has_no_its) /* reqs: REQ-ISO-010 */
{
	static uint8_t dt[64 * 1024];
	struct guest_dt_layout layout = {.vuart_ipa = 0x9000000, .vuart_size = 0x1000,
					 .vuart_irq = 33};
	size_t used = 0;

	REQUIRE(parse_virt(NULL, 0));
	REQUIRE(guest_dt_build(dt, sizeof(dt), fdt_dtb_of_last_parse(), &edit_plat, &edit_sys.part[0],
			       0, &layout, &used) == BH_OK);
	CHECK(fdt_node_offset_by_compatible(dt, -1, "arm,gic-v3-its") < 0);
	CHECK(fdt_getprop(dt, fdt_path_offset(dt, "/pcie@4010000000"), "msi-map", NULL) == NULL);
}
