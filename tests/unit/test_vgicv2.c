// SPDX-License-Identifier: Apache-2.0
/*
 * arch/arm64/vgicv2_dist.c on the host: a partition's emulated GICv2
 * distributor against the fake GIC (fake_gic.h), and the translation of
 * list registers to and from the GICH_LR layout (arch/gich.h). The fake's
 * list registers are vCPU 0's.
 */

#include <arch/fake.h>
#include <arch/gic_ich.h>
#include <arch/gich.h>
#include <arch/guest.h>
#include <bulkhead/partition.h>

#include "fake_gic.h"
#include "test.h"
#include "vgic_fixture.h"

/* Offsets and values from the GICv2 architecture specification and the
 * GIC-400 manual, written down again rather than taken from the code. */
#define GICD_BASE VGIC_TEST_GICD
#define GICD_CTLR 0x000
#define GICD_TYPER 0x004
#define GICD_IIDR 0x008
#define GICD_IGROUPR 0x080
#define GICD_ISENABLER 0x100
#define GICD_ICENABLER 0x180
#define GICD_ISPENDR 0x200
#define GICD_ICPENDR 0x280
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR 0x800
#define GICD_ICFGR 0xc00
#define GICD_SGIR 0xf00
#define GICD_CPENDSGIR 0xf10
#define GICD_SPENDSGIR 0xf20

#define PPI_VTIMER 27
#define MAX_TEST_VCPUS 4

static struct partition_config cfg;
static struct partition part;
static struct vcpu vcpus[MAX_TEST_VCPUS];

/* A running GICv2 partition of @n vCPUs, vCPU i on physical CPU i + 1. */
static void setup(unsigned int n)
{
	vgic_test_partition(&cfg, &part, vcpus, ARRAY_SIZE(vcpus), n, true);
}

static uint64_t rd(unsigned int vcpu, uint64_t off, unsigned int size)
{
	uint64_t value = 0xbadbadbadull;

	CHECK(vgic_mmio(&vcpus[vcpu], GICD_BASE + off, false, &value, size));
	return value;
}

static void wr(unsigned int vcpu, uint64_t off, uint64_t value, unsigned int size)
{
	CHECK(vgic_mmio(&vcpus[vcpu], GICD_BASE + off, true, &value, size));
}

TEST(vgicv2_distributor_is_4k_and_has_no_redistributors) /* reqs: REQ-ISO-003 */
{
	uint64_t value = 0;

	setup(2);
	part.arch.vgicr_base = GICD_BASE + 0x10000;
	CHECK(vgic_mmio(&vcpus[0], GICD_BASE + 0xffc, false, &value, 4));
	CHECK(!vgic_mmio(&vcpus[0], GICD_BASE + 0x1000, false, &value, 4));
	CHECK(!vgic_mmio(&vcpus[0], GICD_BASE + 0x10000, false, &value, 4));
	CHECK(!vgic_mmio(&vcpus[0], GICD_BASE - 4, true, &value, 4));
}

TEST(vgicv2_typer_iidr_ctlr) /* reqs: REQ-ISO-003 */
{
	setup(3);
	CHECK_EQ(rd(0, GICD_TYPER, 4) & 0x1f, 0u); /* no SPIs: INTIDs 0-31 */
	CHECK_EQ((rd(0, GICD_TYPER, 4) >> 5) & 7, 2u); /* CPUNumber: 3 vCPUs */
	CHECK_EQ(rd(0, GICD_IIDR, 4), 0x0200143bu);
	wr(0, GICD_CTLR, 0xffffffffu, 4);
	CHECK_EQ(rd(0, GICD_CTLR, 4), 3u);
	wr(0, GICD_CTLR, 0, 4);
	CHECK_EQ(rd(0, GICD_CTLR, 4), 0u);
}

TEST(vgicv2_itargetsr_private_bytes_are_the_callers_own_bit) /* reqs: REQ-ISO-003 */
{
	setup(3);
	CHECK_EQ(rd(0, GICD_ITARGETSR, 4), 0x01010101u);
	CHECK_EQ(rd(2, GICD_ITARGETSR + 28, 4), 0x04040404u);
	CHECK_EQ(rd(1, GICD_ITARGETSR + 31, 1), 0x02u);
}

TEST(vgicv2_itargetsr_spis_show_vcpu0_for_owned_only_and_ignore_writes) /* reqs: REQ-ISO-003 */
{
	setup(2);
	vgic_add_spi(&part, 34, false, 0x80000001);
	vgic_add_virtual_spi(&part, 33);
	CHECK_EQ(rd(0, GICD_ITARGETSR + 32, 4), 0x00010100u); /* 33, 34 owned; 32, 35 not */
	wr(1, GICD_ITARGETSR + 32, 0x02020202u, 4);
	CHECK_EQ(rd(1, GICD_ITARGETSR + 32, 4), 0x00010100u);
	/* The physical route was set once, to vCPU 0's CPU, and never since. */
	CHECK_EQ(fake_gic.spi_route[34], 0x80000001ull);
	CHECK(!fake_gic.spi_routed[35]);
}

TEST(vgicv2_banked_enables_are_the_callers_and_mirror_the_timer) /* reqs: REQ-ISO-003 */
{
	setup(2);
	wr(1, GICD_ISENABLER, (1u << PPI_VTIMER) | (1u << 3), 4);
	CHECK_EQ(rd(1, GICD_ISENABLER, 4), (1u << PPI_VTIMER) | (1u << 3));
	CHECK_EQ(rd(0, GICD_ISENABLER, 4), 0u);
	CHECK_EQ(vcpus[1].arch.gicr.enabled, (1u << PPI_VTIMER) | (1u << 3));
	CHECK_EQ(fake_gic.ppi_enabled[2], 1u << PPI_VTIMER); /* vCPU 1's CPU */
	CHECK_EQ(fake_gic.ppi_enabled[1], 0u);
	wr(1, GICD_ICENABLER, 1u << PPI_VTIMER, 4);
	CHECK_EQ(fake_gic.ppi_enabled[2], 0u);
}

TEST(vgicv2_banked_priorities_and_icfgr) /* reqs: REQ-ISO-003 */
{
	setup(2);
	wr(0, GICD_IPRIORITYR + 4, 0x40302010u, 4);
	wr(1, GICD_IPRIORITYR + PPI_VTIMER, 0x90, 1);
	CHECK_EQ(rd(0, GICD_IPRIORITYR + 4, 4), 0x40302010u);
	CHECK_EQ(vcpus[1].arch.gicr.priority[PPI_VTIMER], 0x90);
	CHECK_EQ(vcpus[0].arch.gicr.priority[PPI_VTIMER], 0);
	CHECK_EQ(rd(0, GICD_ICFGR, 4), 0xaaaaaaaau);
}

TEST(vgicv2_spi_registers_show_and_change_owned_spis_only) /* reqs: REQ-ISO-003 */
{
	setup(1);
	vgic_add_spi(&part, 40, false, 0x80000001);
	wr(0, GICD_ISENABLER + 4, 0xffffffffu, 4);
	CHECK_EQ(rd(0, GICD_ISENABLER + 4, 4), 1u << 8);
	CHECK(fake_gic.spi_enabled[40]);
	CHECK(!fake_gic.spi_enabled[41]);
	wr(0, GICD_IPRIORITYR + 40, 0xffffffffu, 4);
	CHECK_EQ(rd(0, GICD_IPRIORITYR + 40, 4), 0xf8u); /* five bits, as a GIC-400's */
	wr(0, GICD_ICFGR + 8, 0xffffffffu, 4);
	CHECK_EQ(rd(0, GICD_ICFGR + 8, 4), 2u << 16);
	CHECK(fake_gic.spi_edge[40]);
	wr(0, GICD_ICENABLER + 4, 0xffffffffu, 4);
	CHECK(!fake_gic.spi_enabled[40]);
}

TEST(vgicv2_igroupr_reads_zero_and_ignores_writes) /* reqs: REQ-ISO-003 */
{
	setup(1);
	vgic_add_spi(&part, 40, false, 0x80000001);
	wr(0, GICD_IGROUPR + 4, 0xffffffffu, 4);
	CHECK_EQ(rd(0, GICD_IGROUPR, 4), 0u);
	CHECK_EQ(rd(0, GICD_IGROUPR + 4, 4), 0u);
}

TEST(vgicv2_sgir_target_list_reaches_only_the_partitions_vcpus) /* reqs: REQ-ISO-004 */
{
	setup(2);
	/* CPUs 2-7 of the target list are nobody here. */
	wr(0, GICD_SGIR, 0xfeu << 16 | 5, 4);
	CHECK_EQ(vcpus[1].arch.gicr.pending, 1u << 5);
	CHECK_EQ(vcpus[0].arch.gicr.pending, 0u);
	CHECK_EQ(fake_kicks, 1);
	CHECK_EQ(fake_kicked_cpus, 1u << 2);
}

TEST(vgicv2_sgir_filters_others_self_and_reserved) /* reqs: REQ-ISO-004 */
{
	setup(3);
	wr(1, GICD_SGIR, 1u << 24 | 7, 4);
	CHECK_EQ(vcpus[0].arch.gicr.pending, 1u << 7);
	CHECK_EQ(vcpus[1].arch.gicr.pending, 0u);
	CHECK_EQ(vcpus[2].arch.gicr.pending, 1u << 7);
	wr(1, GICD_SGIR, 2u << 24 | 0xffu << 16 | 3, 4);
	CHECK_EQ(vcpus[1].arch.gicr.pending, 1u << 3);
	CHECK_EQ(vcpus[0].arch.gicr.pending, 1u << 7);
	wr(1, GICD_SGIR, 3u << 24 | 0xffu << 16 | 4, 4);
	CHECK_EQ(vcpus[0].arch.gicr.pending, 1u << 7);
	CHECK_EQ(vcpus[2].arch.gicr.pending, 1u << 7);
}

TEST(vgicv2_spendsgir_and_cpendsgir_set_and_clear_the_callers_sgis) /* reqs: REQ-ISO-003 */
{
	setup(2);
	wr(1, GICD_SPENDSGIR + 4, 0x00000100u, 4); /* SGI 5, from CPU 0 */
	CHECK_EQ(vcpus[1].arch.gicr.pending, 1u << 5);
	CHECK_EQ(vcpus[0].arch.gicr.pending, 0u);
	CHECK_EQ(rd(1, GICD_SPENDSGIR + 4, 4), 0x00000100u);
	CHECK_EQ(rd(1, GICD_ISPENDR, 4), 1u << 5);
	wr(1, GICD_CPENDSGIR + 5, 0xff, 1);
	CHECK_EQ(vcpus[1].arch.gicr.pending, 0u);
	wr(1, GICD_ICPENDR, 0xffffffffu, 4);
}

TEST(vgicv2_lr_translation_round_trips) /* reqs: REQ-IRQ-001 */
{
	/* Pending, HW, priority 0xa0, physical and virtual INTID 27. */
	uint64_t hw = 1ull << 62 | 1ull << 61 | 1ull << 60 | 0xa0ull << 48 | 27ull << 32 | 27;
	/* Active and pending, EOI maintenance, priority 0x80, virtual 33. */
	uint64_t eoi = 3ull << 62 | 1ull << 60 | 1ull << 41 | 0x80ull << 48 | 33;

	CHECK_EQ(gich_lr_from_ich(hw), 1u << 31 | 1u << 28 | (0xa0u >> 3) << 23 | 27u << 10 | 27u);
	CHECK_EQ(gich_lr_from_ich(eoi), 3u << 28 | (0x80u >> 3) << 23 | 1u << 19 | 33u);
	CHECK_EQ(gich_lr_to_ich(gich_lr_from_ich(hw)), hw);
	CHECK_EQ(gich_lr_to_ich(gich_lr_from_ich(eoi)), eoi);
	/* The group bit is not written (Group 0); 3 priority bits are lost. */
	CHECK_EQ(gich_lr_from_ich(1ull << 60 | 0x07ull << 48), 0u);
}

TEST(vgicv2_pending_lr_from_parts_is_the_translated_one) /* reqs: REQ-IRQ-001 */
{
	/* The injection path builds a GICH_LR from its parts
	 * (gich_lr_pending); it must be what translating the GICv3 one gives. */
	static const unsigned int intids[] = {0, 1, 15, 27, 33, 80, 511, 1019};
	static const uint8_t priorities[] = {0x00, 0x07, 0x08, 0x80, 0xa0, 0xf8, 0xff};
	static const uint64_t kinds[] = {0, ICH_LR_HW, ICH_LR_EOI};

	for (unsigned int i = 0; i < sizeof(intids) / sizeof(intids[0]); i++) {
		for (unsigned int p = 0; p < sizeof(priorities); p++) {
			for (unsigned int k = 0; k < 3; k++)
				CHECK_EQ(gich_lr_pending(intids[i], priorities[p], kinds[k]),
					 gich_lr_from_ich(ich_lr_pending(intids[i], priorities[p], kinds[k])));
		}
	}
	/* And what it is, spelled out: pending, HW, priority 0xa0, INTID 27. */
	CHECK_EQ(gich_lr_pending(27, 0xa0, ICH_LR_HW), 1u << 31 | 1u << 28 | (0xa0u >> 3) << 23 | 27u << 10 | 27u);
	CHECK_EQ(gich_lr_pending(33, 0x80, ICH_LR_EOI), 1u << 28 | (0x80u >> 3) << 23 | 1u << 19 | 33u);
}

TEST(vgicv2_audit_typer_lines_id_registers_and_priority_bits) /* reqs: REQ-IRQ-006 */
{
	setup(2);
	vgic_add_spi(&part, 40, false, 0x80000001);
	CHECK_EQ(rd(0, GICD_TYPER, 4), (1u << 5) | 1u); /* 2 vCPUs; INTIDs 0-63 */
	vgic_add_spi(&part, 130, false, 0x80000001);
	CHECK_EQ(rd(0, GICD_TYPER, 4) & 0x1f, 4u); /* 0-159 */
	/* The GIC-400's peripheral and component IDs, by word only. */
	static const uint32_t ids[12] = {0x04, 0, 0, 0, 0x90, 0xb4, 0x2b, 0, 0x0d, 0xf0, 0x05, 0xb1};

	for (unsigned int i = 0; i < 12; i++)
		CHECK_EQ(rd(1, 0xfd0 + 4 * i, 4), ids[i]);
	CHECK_EQ(rd(0, 0xfe8, 1), 0);
	/* Banked private priorities keep five bits too. */
	wr(1, GICD_IPRIORITYR + 4, 0xffffffffu, 4);
	CHECK_EQ(rd(1, GICD_IPRIORITYR + 4, 4), 0xf8f8f8f8u);
	CHECK_EQ(rd(0, GICD_IPRIORITYR + 4, 4), 0);
}
