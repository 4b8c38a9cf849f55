// SPDX-License-Identifier: Apache-2.0
/*
 * arch/arm64/vgic.c on the host: access sizes. The GICv3 architecture makes
 * a few registers byte-accessible (IPRIORITYR, ITARGETSR, [CS]PENDSGIR),
 * a few 64-bit (IROUTER, GICR_TYPER), and the rest word-only, all naturally
 * aligned; every other access reads as zero and writes nothing
 * (docs/security.md). Offsets are the specification's, written down again.
 */

#include <arch/fake.h>
#include <arch/gic_ich.h>
#include <arch/guest.h>
#include <bulkhead/partition.h>

#include "fake_gic.h"
#include "test.h"

#define GICD_BASE 0x08000000ull
#define GICR_BASE 0x080a0000ull
#define SGI_FRAME 0x10000ull

#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_IPRIORITYR 0x0400
#define GICD_ITARGETSR 0x0800
#define GICD_ICFGR 0x0c00
#define GICD_IROUTER 0x6000

#define GICR_TYPER 0x0008
#define GICR_ISENABLER0 (SGI_FRAME + 0x100)
#define GICR_IPRIORITYR (SGI_FRAME + 0x400)

static struct partition_config cfg;
static struct partition part;
static struct vcpu vcpu;

/* A running one-vCPU partition owning SPIs 33 and 34 (disabled). */
static void setup(void)
{
	memset(&cfg, 0, sizeof(cfg));
	memset(&part, 0, sizeof(part));
	memset(&vcpu, 0, sizeof(vcpu));
	cfg.cpu_count = 1;
	cfg.cpus[0] = 1;
	part.cfg = &cfg;
	part.state = PARTITION_RUNNING;
	part.arch.vgicd_base = GICD_BASE;
	part.arch.vgicr_base = GICR_BASE;
	vcpu = (struct vcpu){.part = &part, .index = 0, .pcpu = 1, .state = VCPU_RUNNING};
	part.vcpus[0] = &vcpu;
	vgic_vcpu_reset(&vcpu);
	fake_gic_reset();
	vgic_add_spi(&part, 33, false, 0x80000001);
	vgic_add_spi(&part, 34, false, 0x80000001);
}

static uint64_t rd(uint64_t ipa, unsigned int size)
{
	uint64_t value = 0xbadbadbadull;

	CHECK(vgic_mmio(&vcpu, ipa, false, &value, size));
	return value;
}

static void wr(uint64_t ipa, uint64_t value, unsigned int size)
{
	CHECK(vgic_mmio(&vcpu, ipa, true, &value, size));
}

/* ISENABLER1 holds INTIDs 32-63 by bit: a byte write at its second byte
 * would, if taken as the word, enable SPI 33 or 34 (bits 1 and 2). */
TEST(vgic_access_sub_word_enable_writes_are_ignored) /* reqs: REQ-ISO-003 */
{
	setup();
	wr(GICD_BASE + GICD_ISENABLER + 5, 0x06, 1);
	wr(GICD_BASE + GICD_ISENABLER + 6, 0x0606, 2);
	wr(GICD_BASE + GICD_ISENABLER + 4, 0x0006, 2);
	CHECK(!fake_gic.spi_enabled[33]);
	CHECK(!fake_gic.spi_enabled[34]);
	CHECK_EQ(rd(GICD_BASE + GICD_ISENABLER + 4, 4), 0);
	/* A word write does it. */
	wr(GICD_BASE + GICD_ISENABLER + 4, 0x06, 4);
	CHECK(fake_gic.spi_enabled[33]);
	CHECK(fake_gic.spi_enabled[34]);
	/* Disabling by byte is no more allowed than enabling. */
	wr(GICD_BASE + GICD_ICENABLER + 4, 0x06, 1);
	CHECK(fake_gic.spi_enabled[34]);
	CHECK_EQ(rd(GICD_BASE + GICD_ISENABLER + 4, 1), 0); /* RAZ, not the enabled bits */
}

TEST(vgic_access_priority_by_byte_and_word_not_halfword) /* reqs: REQ-ISO-003 */
{
	setup();
	wr(GICD_BASE + GICD_IPRIORITYR + 34, 0x40, 1);
	CHECK_EQ(rd(GICD_BASE + GICD_IPRIORITYR + 32, 4), 0x0040a000u);
	CHECK_EQ(rd(GICD_BASE + GICD_IPRIORITYR + 34, 1) & 0xff, 0x40);
	wr(GICD_BASE + GICD_IPRIORITYR + 34, 0x1111, 2);
	wr(GICD_BASE + GICD_IPRIORITYR + 32, 0x1111111111111111ull, 8);
	wr(GICD_BASE + GICD_IPRIORITYR + 33, 0x11111111, 4); /* unaligned */
	CHECK_EQ(rd(GICD_BASE + GICD_IPRIORITYR + 32, 4), 0x0040a000u);
	CHECK_EQ(rd(GICD_BASE + GICD_IPRIORITYR + 34, 2), 0);
	CHECK_EQ(rd(GICD_BASE + GICD_IPRIORITYR + 32, 8), 0);
}

TEST(vgic_access_word_only_registers_refuse_other_sizes) /* reqs: REQ-ISO-003 */
{
	setup();
	wr(GICD_BASE + GICD_CTLR, 0x3, 1);
	wr(GICD_BASE + GICD_CTLR, 0x3, 2);
	wr(GICD_BASE + GICD_CTLR, 0x3, 8);
	CHECK_EQ(rd(GICD_BASE + GICD_CTLR, 4), 0x50); /* ARE and DS only: not enabled */
	CHECK_EQ(rd(GICD_BASE + GICD_TYPER, 2), 0);
	CHECK_EQ(rd(GICD_BASE + GICD_TYPER, 1), 0);
	CHECK_EQ(rd(GICD_BASE + GICD_TYPER, 4), (9u << 19) | 1u); /* SPI 34: INTIDs 0-63 */
	/* ICFGR: edge for SPI 34 (bit 5 of word 2) only by a word write. */
	wr(GICD_BASE + GICD_ICFGR + 8, 0x20, 1);
	wr(GICD_BASE + GICD_ICFGR + 8, 0x20, 2);
	CHECK_EQ(rd(GICD_BASE + GICD_ICFGR + 8, 4), 0);
	wr(GICD_BASE + GICD_ICFGR + 8, 0x20, 4);
	CHECK_EQ(rd(GICD_BASE + GICD_ICFGR + 8, 4), 0x20);
}

TEST(vgic_access_router_and_targets_sizes) /* reqs: REQ-ISO-003 */
{
	setup();
	/* IROUTER is 64-bit, also by word; ITARGETSR by byte (RAZ/WI with
	 * affinity routing); neither by halfword. All read as zero here. */
	CHECK_EQ(rd(GICD_BASE + GICD_IROUTER + 8 * 34, 8), 0);
	CHECK_EQ(rd(GICD_BASE + GICD_IROUTER + 8 * 34 + 4, 4), 0);
	CHECK_EQ(rd(GICD_BASE + GICD_IROUTER + 8 * 34, 2), 0);
	CHECK_EQ(rd(GICD_BASE + GICD_ITARGETSR + 34, 1), 0);
	wr(GICD_BASE + GICD_IROUTER + 8 * 34, 2, 8);
	CHECK_EQ(fake_gic.spi_route[34], 0x80000001);
}

TEST(vgic_access_redistributor_sizes) /* reqs: REQ-ISO-003 */
{
	setup();
	/* GICR_TYPER by doubleword or either word; not by byte or halfword. */
	CHECK_EQ(rd(GICR_BASE + GICR_TYPER, 8), 1u << 4);
	CHECK_EQ(rd(GICR_BASE + GICR_TYPER, 2), 0);
	CHECK_EQ(rd(GICR_BASE + GICR_TYPER, 1), 0);
	/* ISENABLER0 by word only: a byte write at its fourth byte would, as a
	 * word, enable the SGIs 0-7; a halfword one PPIs 16-31. */
	wr(GICR_BASE + GICR_ISENABLER0 + 3, 0xff, 1);
	wr(GICR_BASE + GICR_ISENABLER0 + 2, 0xffff, 2);
	CHECK_EQ(rd(GICR_BASE + GICR_ISENABLER0, 4), 0);
	CHECK_EQ(vcpu.arch.gicr.enabled, 0);
	CHECK_EQ(fake_gic.ppi_enable_calls, 0);
	/* IPRIORITYR by byte, not by halfword or unaligned word. */
	wr(GICR_BASE + GICR_IPRIORITYR + 27, 0x80, 1);
	wr(GICR_BASE + GICR_IPRIORITYR + 26, 0x1111, 2);
	wr(GICR_BASE + GICR_IPRIORITYR + 25, 0x11111111, 4);
	CHECK_EQ(vcpu.arch.gicr.priority[27], 0x80);
	CHECK_EQ(vcpu.arch.gicr.priority[26], 0);
	CHECK_EQ(vcpu.arch.gicr.priority[25], 0);
	CHECK_EQ(rd(GICR_BASE + GICR_IPRIORITYR + 24, 4), 0x80000000u);
}

/* GICD_TYPER.ITLinesNumber covers the highest INTID the partition owns,
 * passthrough, virtual (the UART's) or a doorbell, whatever the order they
 * were added in (kept as they are added, not found on each read). */
TEST(vgic_access_typer_lines_follow_every_kind_of_spi) /* reqs: REQ-ISO-003 */
{
	setup();
	CHECK_EQ(rd(GICD_BASE + GICD_TYPER, 4) & 0x1f, 1); /* 33, 34: INTIDs up to 63 */
	vgic_add_doorbell_spi(&part, 130);
	CHECK_EQ(rd(GICD_BASE + GICD_TYPER, 4) & 0x1f, 4);
	vgic_add_virtual_spi(&part, 40); /* lower: the count stays */
	CHECK_EQ(rd(GICD_BASE + GICD_TYPER, 4) & 0x1f, 4);
	vgic_add_spi(&part, 200, false, 0x80000001);
	CHECK_EQ(rd(GICD_BASE + GICD_TYPER, 4) & 0x1f, 6);
	vgic_add_virtual_spi(&part, 230);
	CHECK_EQ(rd(GICD_BASE + GICD_TYPER, 4) & 0x1f, 7);
	CHECK_EQ(rd(GICD_BASE + GICD_TYPER, 4) >> 19, 9); /* 10 ID bits */
}
