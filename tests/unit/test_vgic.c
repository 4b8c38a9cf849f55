// SPDX-License-Identifier: Apache-2.0
/*
 * arch/arm64/vgic.c on the host: the emulated distributor and
 * redistributors, SGIs between vCPUs, and the list-register bookkeeping,
 * against the fake GIC (fake_gic.h). The fake's list registers are those of
 * the CPU the test runs "on": vCPU 0's, unless a test says otherwise.
 */

#include <arch/fake.h>
#include <arch/gic_ich.h>
#include <arch/guest.h>
#include <bulkhead/partition.h>

#include "fake_gic.h"
#include "test.h"
#include "vgic_fixture.h"

/* Register offsets and values from the GICv3 architecture specification,
 * written down again here rather than taken from vgic.c. */
#define GICD_BASE VGIC_TEST_GICD
#define GICR_BASE VGIC_TEST_GICR
#define GICR_FRAME 0x20000ull
#define SGI_FRAME 0x10000ull

#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IIDR 0x0008
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_IPRIORITYR 0x0400
#define GICx_PIDR2 0xffe8

#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_IGROUPR0 (SGI_FRAME + 0x080)
#define GICR_ISENABLER0 (SGI_FRAME + 0x100)
#define GICR_ICENABLER0 (SGI_FRAME + 0x180)
#define GICR_ISPENDR0 (SGI_FRAME + 0x200)
#define GICR_ICPENDR0 (SGI_FRAME + 0x280)
#define GICR_ISACTIVER0 (SGI_FRAME + 0x300)
#define GICR_ICACTIVER0 (SGI_FRAME + 0x380)
#define GICR_IPRIORITYR (SGI_FRAME + 0x400)

#define WAKER_SLEEP 2u
#define WAKER_ASLEEP 4u

#define LR_PENDING (1ull << 62)
#define LR_ACTIVE (1ull << 63)
#define LR_HW (1ull << 61)
#define LR_GROUP1 (1ull << 60)
#define LR_PRIO(p) ((uint64_t)(p) << 48)
#define LR_PINTID(i) ((uint64_t)(i) << 32)
#define LR_EOI (1ull << 41)
#define HCR_EN 1ull
#define HCR_UIE 2ull

#define PPI_VTIMER 27
#define PPI_PTIMER 30
#define MAX_TEST_VCPUS 4

static struct partition_config cfg;
static struct partition part;
static struct vcpu vcpus[MAX_TEST_VCPUS];

/* A running partition of @n vCPUs, vCPU i on physical CPU i + 1, each
 * reset as at boot; the fake GIC starts clean afterwards. */
static void setup(unsigned int n)
{
	vgic_test_partition(&cfg, &part, vcpus, ARRAY_SIZE(vcpus), n, false);
}

static uint64_t read_at(struct vcpu *v, uint64_t ipa, unsigned int size)
{
	uint64_t value = 0xbadbadbadull;

	CHECK(vgic_mmio(v, ipa, false, &value, size));
	return value;
}

static void write_at(struct vcpu *v, uint64_t ipa, uint64_t value, unsigned int size)
{
	CHECK(vgic_mmio(v, ipa, true, &value, size));
}

static uint32_t gicd_read(uint64_t off)
{
	return (uint32_t)read_at(&vcpus[0], GICD_BASE + off, 4);
}

static void gicd_write(uint64_t off, uint32_t value)
{
	write_at(&vcpus[0], GICD_BASE + off, value, 4);
}

/* Redistributor register @off of vCPU @frame's frame, accessed by vCPU 0. */
static uint32_t gicr_read(unsigned int frame, uint64_t off)
{
	return (uint32_t)read_at(&vcpus[0], GICR_BASE + frame * GICR_FRAME + off, 4);
}

static void gicr_write(unsigned int frame, uint64_t off, uint32_t value)
{
	write_at(&vcpus[0], GICR_BASE + frame * GICR_FRAME + off, value, 4);
}

/* vCPU 0 enables private interrupt @intid with @priority, as a guest does. */
static void enable_private(unsigned int intid, uint8_t priority)
{
	write_at(&vcpus[0], GICR_BASE + GICR_IPRIORITYR + intid, priority, 1);
	gicr_write(0, GICR_ISENABLER0, 1u << intid);
}

static unsigned int lrs_in_use(void)
{
	unsigned int used = 0;

	for (unsigned int n = 0; n < FAKE_ICH_LRS; n++)
		used += (fake_gic.lr[n] >> 62) != 0;
	return used;
}

/* The list register (in use) holding virtual INTID @intid; 0 if none, and a
 * failure if more than one does. */
static uint64_t lr_holding(unsigned int intid)
{
	uint64_t found = 0;
	unsigned int count = 0;

	for (unsigned int n = 0; n < FAKE_ICH_LRS; n++) {
		if ((fake_gic.lr[n] >> 62) != 0 && (fake_gic.lr[n] & 0xffffffff) == intid) {
			found = fake_gic.lr[n];
			count++;
		}
	}
	CHECK(count <= 1);
	return found;
}

TEST(vgic_mmio_outside_the_gic_windows_is_not_ours) /* reqs: REQ-ISO-003 */
{
	uint64_t value = 0;

	setup(2);
	CHECK(!vgic_mmio(&vcpus[0], GICD_BASE - 4, false, &value, 4));
	CHECK(!vgic_mmio(&vcpus[0], GICR_BASE + 2 * GICR_FRAME, false, &value, 4));
	CHECK(vgic_mmio(&vcpus[0], GICR_BASE + 2 * GICR_FRAME - 4, false, &value, 4));
}

TEST(vgic_gicd_spis_not_owned_read_zero_and_writes_do_nothing) /* reqs: REQ-ISO-003 */
{
	setup(1);
	vgic_add_spi(&part, 34, false, 0x80000001);
	vgic_add_spi(&part, 40, false, 0x80000001);
	CHECK(fake_gic.spi_routed[34]);
	CHECK_EQ(fake_gic.spi_route[40], 0x80000001);
	CHECK(!fake_gic.spi_routed[33]);

	/* Every bit set: only the owned SPIs (bits 2 and 8 of word 1) change. */
	gicd_write(GICD_ISENABLER + 4, 0xffffffff);
	gicd_write(GICD_ISENABLER + 8, 0xffffffff);
	CHECK_EQ(gicd_read(GICD_ISENABLER + 4), (1u << 2) | (1u << 8));
	CHECK_EQ(gicd_read(GICD_ICENABLER + 4), (1u << 2) | (1u << 8));
	CHECK_EQ(gicd_read(GICD_ISENABLER + 8), 0);
	for (unsigned int intid = 32; intid < 96; intid++) {
		bool owned = intid == 34 || intid == 40;

		CHECK_EQ(fake_gic.spi_enable_calls[intid], owned ? 1 : 0);
		CHECK_EQ(fake_gic.spi_enabled[intid], owned);
	}
	gicd_write(GICD_ICENABLER + 4, ~((1u << 2) | (1u << 8)));
	CHECK_EQ(gicd_read(GICD_ISENABLER + 4), (1u << 2) | (1u << 8));
	CHECK_EQ(fake_gic.spi_enable_calls[33], 0);

	/* IGROUPR: owned SPIs are group 1, the rest reads as zero. */
	CHECK_EQ(gicd_read(GICD_IGROUPR + 4), (1u << 2) | (1u << 8));
	CHECK_EQ(gicd_read(GICD_IGROUPR + 8), 0);
	gicd_write(GICD_IGROUPR + 8, 0xffffffff);
	CHECK_EQ(gicd_read(GICD_IGROUPR + 8), 0);

	/* IPRIORITYR: INTIDs 36-39 and 44-47 are someone else's. */
	gicd_write(GICD_IPRIORITYR + 36, 0x11223344);
	CHECK_EQ(gicd_read(GICD_IPRIORITYR + 36), 0);
	write_at(&vcpus[0], GICD_BASE + GICD_IPRIORITYR + 45, 0x55, 1);
	CHECK_EQ(gicd_read(GICD_IPRIORITYR + 44), 0);
	/* Word 32-35 holds SPI 34 only: the default priority in byte 2. */
	CHECK_EQ(gicd_read(GICD_IPRIORITYR + 32), 0xa0u << 16);

	/* The SGI/PPI words of the distributor are the redistributors' business. */
	gicd_write(GICD_ISENABLER, 0xffffffff);
	CHECK_EQ(gicd_read(GICD_ISENABLER), 0);
	CHECK_EQ(fake_gic.ppi_enable_calls, 0);
}

TEST(vgic_gicd_owned_spi_enable_is_mirrored_physically) /* reqs: REQ-ISO-003 */
{
	setup(1);
	vgic_add_spi(&part, 34, false, 0x80000001);
	CHECK(!fake_gic.spi_enabled[34]);
	gicd_write(GICD_ISENABLER + 4, 1u << 2);
	CHECK(fake_gic.spi_enabled[34]);
	CHECK_EQ(gicd_read(GICD_ISENABLER + 4), 1u << 2);
	gicd_write(GICD_ICENABLER + 4, 1u << 2);
	CHECK(!fake_gic.spi_enabled[34]);
	CHECK_EQ(gicd_read(GICD_ISENABLER + 4), 0);
	CHECK_EQ(gicd_read(GICD_ICENABLER + 4), 0);
	/* Owned but disabled: still shown in IGROUPR. */
	CHECK_EQ(gicd_read(GICD_IGROUPR + 4), 1u << 2);
}

TEST(vgic_gicd_priority_byte_and_word_writes) /* reqs: REQ-ISO-003 */
{
	setup(1);
	vgic_add_spi(&part, 33, false, 0x80000001);
	vgic_add_spi(&part, 34, false, 0x80000001);
	write_at(&vcpus[0], GICD_BASE + GICD_IPRIORITYR + 34, 0x40, 1);
	CHECK_EQ(gicd_read(GICD_IPRIORITYR + 32), 0x0040a000u);
	/* A word write sets the owned bytes, the others stay zero. */
	gicd_write(GICD_IPRIORITYR + 32, 0x11223344);
	/* Five priority bits: the low three of each byte are RAZ/WI. */
	CHECK_EQ(gicd_read(GICD_IPRIORITYR + 32), 0x00203000u);
	/* The priority is the one an injected SPI gets. */
	gicd_write(GICD_ISENABLER + 4, 1u << 2);
	CHECK(vgic_inject_spi(&vcpus[0], 34));
	CHECK_EQ(fake_gic.lr[0] >> 48 & 0xff, 0x20);
}

TEST(vgic_gicd_ctlr_typer_iidr_pidr2) /* reqs: REQ-ISO-003 */
{
	setup(1);
	/* ARE and DS always set; only the group enables are writable. */
	CHECK_EQ(gicd_read(GICD_CTLR), 0x50);
	gicd_write(GICD_CTLR, 0xffffffff);
	CHECK_EQ(gicd_read(GICD_CTLR), 0x53);
	gicd_write(GICD_CTLR, 0x2);
	CHECK_EQ(gicd_read(GICD_CTLR), 0x52);
	CHECK_EQ(gicd_read(GICD_TYPER), 9u << 19); /* no SPIs: ITLinesNumber 0 */
	CHECK_EQ(gicd_read(GICD_IIDR), 0x43b);
	CHECK_EQ(gicd_read(GICx_PIDR2), 0x3b);
	/* A reset of vCPU 0 disables the distributor again. */
	vgic_vcpu_reset(&vcpus[0]);
	CHECK_EQ(gicd_read(GICD_CTLR), 0x50);
}

TEST(vgic_gicr_typer_per_vcpu) /* reqs: REQ-ISO-003 */
{
	setup(3);
	for (unsigned int i = 0; i < 3; i++) {
		uint64_t base = GICR_BASE + i * GICR_FRAME;
		uint64_t last = i == 2 ? 1u << 4 : 0;

		/* Affinity (Aff0 = vCPU) in the top half, processor number in
		 * bits 8-23, Last only on the last frame. */
		CHECK_EQ(read_at(&vcpus[0], base + GICR_TYPER, 8),
			 (uint64_t)i << 32 | (uint64_t)i << 8 | last);
		CHECK_EQ(read_at(&vcpus[0], base + GICR_TYPER, 4), (uint64_t)i << 8 | last);
		CHECK_EQ(read_at(&vcpus[0], base + GICR_TYPER + 4, 4), i);
		CHECK_EQ(read_at(&vcpus[0], base + GICx_PIDR2, 4), 0x3b);
	}
}

TEST(vgic_gicr_waker_sleep_and_asleep) /* reqs: REQ-ISO-003 */
{
	setup(2);
	CHECK_EQ(gicr_read(1, GICR_WAKER), WAKER_SLEEP | WAKER_ASLEEP);
	gicr_write(1, GICR_WAKER, 0);
	CHECK_EQ(gicr_read(1, GICR_WAKER), 0);
	CHECK_EQ(gicr_read(0, GICR_WAKER), WAKER_SLEEP | WAKER_ASLEEP);
	/* ChildrenAsleep is read-only: it follows ProcessorSleep. */
	gicr_write(1, GICR_WAKER, WAKER_ASLEEP);
	CHECK_EQ(gicr_read(1, GICR_WAKER), 0);
	gicr_write(1, GICR_WAKER, WAKER_SLEEP);
	CHECK_EQ(gicr_read(1, GICR_WAKER), WAKER_SLEEP | WAKER_ASLEEP);
}

TEST(vgic_gicr_enables_mirror_only_the_timer_ppis) /* reqs: REQ-ISO-003 */
{
	uint32_t guest_enables = (1u << PPI_VTIMER) | (1u << PPI_PTIMER) | (1u << 26) | (1u << 3);

	setup(2);
	/* vCPU 0 writes vCPU 1's frame: vCPU 1's physical CPU (2) changes. */
	gicr_write(1, GICR_ISENABLER0, guest_enables);
	CHECK_EQ(gicr_read(1, GICR_ISENABLER0), guest_enables);
	CHECK_EQ(gicr_read(1, GICR_ICENABLER0), guest_enables);
	CHECK_EQ(fake_gic.ppi_enabled[2], (1u << PPI_VTIMER) | (1u << PPI_PTIMER));
	CHECK_EQ(fake_gic.ppi_enabled[1], 0);
	CHECK_EQ(fake_gic.ppi_enable_calls, 2);
	/* Enabling again changes nothing physically. */
	gicr_write(1, GICR_ISENABLER0, 1u << PPI_VTIMER);
	CHECK_EQ(fake_gic.ppi_enable_calls, 2);
	gicr_write(1, GICR_ICENABLER0, (1u << PPI_VTIMER) | (1u << 26));
	CHECK_EQ(gicr_read(1, GICR_ISENABLER0), (1u << PPI_PTIMER) | (1u << 3));
	CHECK_EQ(fake_gic.ppi_enabled[2], 1u << PPI_PTIMER);
	CHECK_EQ(fake_gic.ppi_enable_calls, 3);
}

TEST(vgic_gicr_ispendr0_accepts_only_sgis_and_icpendr0_clears) /* reqs: REQ-ISO-003 */
{
	setup(2);
	gicr_write(1, GICR_ISPENDR0, 0xffffffff);
	CHECK_EQ(gicr_read(1, GICR_ISPENDR0), 0xffff);
	CHECK_EQ(vcpus[1].arch.gicr.pending, 0xffff);
	gicr_write(1, GICR_ICPENDR0, 0x00ff);
	CHECK_EQ(gicr_read(1, GICR_ICPENDR0), 0xff00);
	gicr_write(1, GICR_ICPENDR0, 0xffffffff);
	CHECK_EQ(gicr_read(1, GICR_ISPENDR0), 0);
	/* A guest timer pending on the physical CPU shows; other PPIs don't. */
	fake_gic.ppi_pending[2] = (1u << PPI_VTIMER) | (1u << 26);
	CHECK_EQ(gicr_read(1, GICR_ISPENDR0), 1u << PPI_VTIMER);
	CHECK_EQ(gicr_read(0, GICR_ISPENDR0), 0);
}

TEST(vgic_gicr_pending_and_active_views_include_own_lrs) /* reqs: REQ-ISO-003 */
{
	setup(2);
	fake_gic.lr[1] = LR_PENDING | LR_GROUP1 | 5;
	fake_gic.lr[2] = LR_ACTIVE | LR_GROUP1 | 6;
	fake_gic.lr[3] = LR_ACTIVE | LR_PENDING | LR_GROUP1 | 7;
	CHECK_EQ(gicr_read(0, GICR_ISPENDR0), (1u << 5) | (1u << 7));
	CHECK_EQ(gicr_read(0, GICR_ISACTIVER0), (1u << 6) | (1u << 7));
	/* The list registers are vCPU 0's: vCPU 1's frame does not show them. */
	CHECK_EQ(gicr_read(1, GICR_ISPENDR0), 0);
	CHECK_EQ(gicr_read(1, GICR_ISACTIVER0), 0);
}

TEST(vgic_gicr_priorities_byte_and_word) /* reqs: REQ-ISO-003 */
{
	setup(1);
	write_at(&vcpus[0], GICR_BASE + GICR_IPRIORITYR + 27, 0x80, 1);
	CHECK_EQ(gicr_read(0, GICR_IPRIORITYR + 24), 0x80000000u);
	gicr_write(0, GICR_IPRIORITYR + 4, 0x44332211);
	CHECK_EQ(vcpus[0].arch.gicr.priority[4], 0x10);
	CHECK_EQ(vcpus[0].arch.gicr.priority[7], 0x40);
	CHECK_EQ(read_at(&vcpus[0], GICR_BASE + GICR_IPRIORITYR + 6, 1), 0x30);
}

TEST(vgic_send_sgi_to_a_target_list) /* reqs: REQ-ISO-004 */
{
	setup(4);
	vcpus[2].state = VCPU_OFF;
	vcpus[3].state = VCPU_STARTING;
	vgic_send_sgi(&vcpus[0], 5ull << 24 | 0xe);
	CHECK_EQ(vcpus[0].arch.gicr.pending, 0);
	CHECK_EQ(vcpus[1].arch.gicr.pending, 1u << 5);
	CHECK_EQ(vcpus[2].arch.gicr.pending, 1u << 5);
	CHECK_EQ(vcpus[3].arch.gicr.pending, 1u << 5);
	/* Only the running target is kicked, on its physical CPU (2). */
	CHECK_EQ(fake_kicks, 1);
	CHECK_EQ(fake_kicked_cpus, 1u << 2);
	/* Targets beyond the partition's vCPUs are nobody. */
	vgic_send_sgi(&vcpus[0], 6ull << 24 | 0xfff0);
	for (unsigned int i = 0; i < 4; i++)
		CHECK(!(vcpus[i].arch.gicr.pending & (1u << 6)));
}

TEST(vgic_send_sgi_to_self_is_not_a_kick) /* reqs: REQ-ISO-004 */
{
	setup(2);
	vgic_send_sgi(&vcpus[1], 3ull << 24 | 0x2);
	CHECK_EQ(vcpus[1].arch.gicr.pending, 1u << 3);
	CHECK_EQ(fake_kicks, 0);
}

TEST(vgic_send_sgi_broadcast_excludes_the_sender) /* reqs: REQ-ISO-004 */
{
	setup(4);
	vcpus[3].state = VCPU_OFF;
	vgic_send_sgi(&vcpus[1], 1ull << 40 | 9ull << 24 | 0x2);
	CHECK_EQ(vcpus[0].arch.gicr.pending, 1u << 9);
	CHECK_EQ(vcpus[1].arch.gicr.pending, 0);
	CHECK_EQ(vcpus[2].arch.gicr.pending, 1u << 9);
	CHECK_EQ(vcpus[3].arch.gicr.pending, 1u << 9);
	CHECK_EQ(fake_kicks, 2);
	CHECK_EQ(fake_kicked_cpus, (1u << 1) | (1u << 3));
}

TEST(vgic_send_sgi_other_affinities_reach_nobody) /* reqs: REQ-ISO-004 */
{
	static const uint64_t other_affinity[] = {
		1ull << 16, /* Aff1 */
		1ull << 32, /* Aff2 */
		1ull << 48, /* Aff3 */
		1ull << 44, /* RS: target list for Aff0 16-31 */
	};

	setup(4);
	for (unsigned int k = 0; k < sizeof(other_affinity) / sizeof(other_affinity[0]); k++)
		vgic_send_sgi(&vcpus[0], other_affinity[k] | 2ull << 24 | 0xf);
	for (unsigned int i = 0; i < 4; i++)
		CHECK_EQ(vcpus[i].arch.gicr.pending, 0);
	CHECK_EQ(fake_kicks, 0);
}

TEST(vgic_flush_fills_free_lrs_with_priority_and_group) /* reqs: REQ-IRQ-001 */
{
	setup(1);
	enable_private(1, 0x10);
	enable_private(2, 0x20);
	fake_gic.lr[0] = LR_ACTIVE | LR_GROUP1 | LR_PRIO(0x30) | 9; /* busy */
	vcpus[0].arch.gicr.pending = (1u << 1) | (1u << 2);
	vgic_flush(&vcpus[0]);
	CHECK_EQ(fake_gic.lr[1], LR_PENDING | LR_GROUP1 | LR_PRIO(0x10) | 1);
	CHECK_EQ(fake_gic.lr[2], LR_PENDING | LR_GROUP1 | LR_PRIO(0x20) | 2);
	CHECK_EQ(fake_gic.lr[3], 0);
	CHECK_EQ(fake_gic.lr[0], LR_ACTIVE | LR_GROUP1 | LR_PRIO(0x30) | 9);
	CHECK_EQ(vcpus[0].arch.gicr.pending, 0);
	CHECK_EQ(fake_gic.hcr, HCR_EN);
	CHECK(fake_gic.syncs > 0);
}

TEST(vgic_flush_merges_into_the_lr_holding_the_same_intid) /* reqs: REQ-IRQ-001 */
{
	setup(1);
	enable_private(3, 0x40);
	enable_private(4, 0x40);
	fake_gic.lr[2] = LR_ACTIVE | LR_GROUP1 | LR_PRIO(0x40) | 3;
	fake_gic.lr[1] = LR_PENDING | LR_GROUP1 | LR_PRIO(0x40) | 4;
	vcpus[0].arch.gicr.pending = (1u << 3) | (1u << 4);
	vgic_flush(&vcpus[0]);
	/* Active and pending in the same LR; the pending one absorbs it. */
	CHECK_EQ(fake_gic.lr[2], LR_ACTIVE | LR_PENDING | LR_GROUP1 | LR_PRIO(0x40) | 3);
	CHECK_EQ(lr_holding(4), LR_PENDING | LR_GROUP1 | LR_PRIO(0x40) | 4);
	CHECK_EQ(lrs_in_use(), 2);
	CHECK_EQ(vcpus[0].arch.gicr.pending, 0);
}

TEST(vgic_flush_leaves_disabled_interrupts_pending) /* reqs: REQ-IRQ-001 */
{
	setup(1);
	enable_private(1, 0x10);
	vcpus[0].arch.gicr.pending = (1u << 1) | (1u << 4);
	vgic_flush(&vcpus[0]);
	CHECK_EQ(lrs_in_use(), 1);
	CHECK_EQ(vcpus[0].arch.gicr.pending, 1u << 4);
	/* Nothing enabled waits: no underflow interrupt is asked for. */
	CHECK_EQ(fake_gic.hcr, HCR_EN);
	enable_private(4, 0x50);
	vgic_flush(&vcpus[0]);
	CHECK_EQ(fake_gic.lr[1], LR_PENDING | LR_GROUP1 | LR_PRIO(0x50) | 4);
	CHECK_EQ(vcpus[0].arch.gicr.pending, 0);
}

TEST(vgic_flush_with_more_pending_than_lrs_asks_for_underflow) /* reqs: REQ-IRQ-001 */
{
	setup(1);
	for (unsigned int intid = 0; intid < 6; intid++)
		enable_private(intid, (uint8_t)(0x10 * intid));
	vcpus[0].arch.gicr.pending = 0x3f;
	vgic_flush(&vcpus[0]);
	for (unsigned int n = 0; n < FAKE_ICH_LRS; n++)
		CHECK_EQ(fake_gic.lr[n], LR_PENDING | LR_GROUP1 | LR_PRIO(0x10 * n) | n);
	CHECK_EQ(vcpus[0].arch.gicr.pending, (1u << 4) | (1u << 5));
	CHECK_EQ(fake_gic.hcr, HCR_EN | HCR_UIE);

	/* The guest handles two; the maintenance interrupt brings us back. */
	fake_gic.lr[0] = 0;
	fake_gic.lr[2] = 0;
	vgic_flush(&vcpus[0]);
	static const unsigned int in_lrs[] = {1, 3, 4, 5};

	for (unsigned int i = 0; i < 4; i++)
		CHECK_EQ(lr_holding(in_lrs[i]),
			 LR_PENDING | LR_GROUP1 | LR_PRIO(0x10 * in_lrs[i]) | in_lrs[i]);
	CHECK_EQ(lrs_in_use(), 4);
	CHECK_EQ(vcpus[0].arch.gicr.pending, 0);
	CHECK_EQ(fake_gic.hcr, HCR_EN);
}

TEST(vgic_flush_puts_the_most_urgent_in_the_lrs) /* reqs: REQ-IRQ-001 */
{
	setup(1);
	for (unsigned int intid = 0; intid < 4; intid++)
		enable_private(intid, 0x80);
	enable_private(5, 0x10);
	enable_private(6, 0x90);
	/* Four less urgent ones already wait in every list register. */
	for (unsigned int n = 0; n < FAKE_ICH_LRS; n++)
		fake_gic.lr[n] = LR_PENDING | LR_GROUP1 | LR_PRIO(0x80) | n;
	vcpus[0].arch.gicr.pending = (1u << 5) | (1u << 6);
	vgic_flush(&vcpus[0]);
	CHECK_EQ(lr_holding(5), LR_PENDING | LR_GROUP1 | LR_PRIO(0x10) | 5);
	CHECK_EQ(lr_holding(6), 0);
	/* Among equals the lowest INTIDs stay; the rest waits, with underflow. */
	for (unsigned int intid = 0; intid < 3; intid++)
		CHECK_EQ(lr_holding(intid), LR_PENDING | LR_GROUP1 | LR_PRIO(0x80) | intid);
	CHECK_EQ(vcpus[0].arch.gicr.pending, (1u << 3) | (1u << 6));
	CHECK_EQ(fake_gic.hcr, HCR_EN | HCR_UIE);
}

TEST(vgic_flush_never_takes_back_active_or_hardware_interrupts) /* reqs: REQ-IRQ-001 */
{
	const uint64_t active = LR_ACTIVE | LR_GROUP1 | LR_PRIO(0xf0) | 1;
	const uint64_t active_pending = LR_ACTIVE | LR_PENDING | LR_GROUP1 | LR_PRIO(0xf0) | 3;
	const uint64_t timer = LR_PENDING | LR_HW | LR_GROUP1 | LR_PRIO(0xf0) |
			       LR_PINTID(PPI_VTIMER) | PPI_VTIMER;

	setup(1);
	enable_private(2, 0xf0);
	enable_private(4, 0x10);
	enable_private(5, 0x10);
	fake_gic.lr[0] = active;
	fake_gic.lr[1] = timer;
	fake_gic.lr[2] = LR_PENDING | LR_GROUP1 | LR_PRIO(0xf0) | 2;
	fake_gic.lr[3] = active_pending;
	vcpus[0].arch.gicr.pending = (1u << 4) | (1u << 5);
	vgic_flush(&vcpus[0]);
	CHECK_EQ(fake_gic.lr[0], active);
	CHECK_EQ(fake_gic.lr[1], timer);
	CHECK_EQ(fake_gic.lr[2], LR_PENDING | LR_GROUP1 | LR_PRIO(0x10) | 4);
	CHECK_EQ(fake_gic.lr[3], active_pending);
	CHECK_EQ(vcpus[0].arch.gicr.pending, (1u << 2) | (1u << 5));
	CHECK_EQ(fake_gic.hcr, HCR_EN | HCR_UIE);
}

TEST(vgic_flush_with_nothing_new_leaves_the_lrs_alone) /* reqs: REQ-IRQ-001 */
{
	setup(1);
	enable_private(2, 0x80);
	fake_gic.lr[3] = LR_PENDING | LR_GROUP1 | LR_PRIO(0x80) | 2;
	fake_gic.hcr = HCR_EN | HCR_UIE;
	vcpus[0].arch.uie_armed = true; /* as the flush that armed it records */
	vgic_flush(&vcpus[0]);
	CHECK_EQ(fake_gic.lr[3], LR_PENDING | LR_GROUP1 | LR_PRIO(0x80) | 2);
	CHECK_EQ(lrs_in_use(), 1);
	CHECK_EQ(fake_gic.hcr, HCR_EN);
}

TEST(vgic_inject_hw_sets_hw_bit_and_physical_intid) /* reqs: REQ-IRQ-002 REQ-IRQ-001 */
{
	setup(2);
	CHECK(!vgic_inject_hw(&vcpus[0], PPI_VTIMER)); /* disabled by the guest */
	CHECK_EQ(lrs_in_use(), 0);
	enable_private(PPI_VTIMER, 0x80);
	fake_gic.lr[0] = LR_PENDING | LR_GROUP1 | 1;
	CHECK(vgic_inject_hw(&vcpus[0], PPI_VTIMER));
	CHECK_EQ(fake_gic.lr[1], LR_PENDING | LR_HW | LR_GROUP1 | LR_PRIO(0x80) |
		 LR_PINTID(PPI_VTIMER) | PPI_VTIMER);
	/* Disabled meanwhile: the caller deactivates it. */
	gicr_write(0, GICR_ICENABLER0, 1u << PPI_VTIMER);
	CHECK(!vgic_inject_hw(&vcpus[0], PPI_VTIMER));
	CHECK_EQ(lrs_in_use(), 2);
}

TEST(vgic_inject_hw_makes_room_by_taking_back_pending_sgis) /* reqs: REQ-IRQ-002 REQ-IRQ-001 */
{
	setup(1);
	for (unsigned int n = 0; n < FAKE_ICH_LRS; n++) {
		enable_private(n, (uint8_t)(0x10 * n));
		fake_gic.lr[n] = LR_PENDING | LR_GROUP1 | LR_PRIO(0x10 * n) | n;
	}
	fake_gic.lr[1] |= LR_ACTIVE;
	enable_private(PPI_VTIMER, 0x80);
	CHECK(vgic_inject_hw(&vcpus[0], PPI_VTIMER));
	CHECK_EQ(lr_holding(PPI_VTIMER), LR_PENDING | LR_HW | LR_GROUP1 | LR_PRIO(0x80) |
		 LR_PINTID(PPI_VTIMER) | PPI_VTIMER);
	CHECK_EQ(lr_holding(1), LR_ACTIVE | LR_PENDING | LR_GROUP1 | LR_PRIO(0x10) | 1);
	CHECK_EQ(vcpus[0].arch.gicr.pending, (1u << 0) | (1u << 2) | (1u << 3));
	/* On the way back into the guest, the most urgent go back in. */
	vgic_flush(&vcpus[0]);
	CHECK_EQ(lr_holding(0), LR_PENDING | LR_GROUP1 | LR_PRIO(0) | 0);
	CHECK_EQ(lr_holding(2), LR_PENDING | LR_GROUP1 | LR_PRIO(0x20) | 2);
	CHECK_EQ(lr_holding(3), 0);
	CHECK_EQ(vcpus[0].arch.gicr.pending, 1u << 3);
	CHECK_EQ(fake_gic.hcr, HCR_EN | HCR_UIE);
}

TEST(vgic_inject_spi_only_owned_and_enabled) /* reqs: REQ-IRQ-002 REQ-ISO-003 */
{
	setup(1);
	vgic_add_spi(&part, 34, false, 0x80000001);
	CHECK(!vgic_inject_spi(&vcpus[0], 34)); /* owned, disabled */
	CHECK(!vgic_inject_spi(&vcpus[0], 35)); /* not owned */
	CHECK_EQ(lrs_in_use(), 0);
	gicd_write(GICD_ISENABLER + 4, (1u << 2) | (1u << 3));
	CHECK(!vgic_inject_spi(&vcpus[0], 35));
	CHECK(vgic_inject_spi(&vcpus[0], 34));
	/* Level: its end comes to EL2 (EOI bit), no HW bit. */
	CHECK_EQ(fake_gic.lr[0], LR_PENDING | LR_EOI | LR_GROUP1 | LR_PRIO(0xa0) | 34);
	CHECK_EQ(lrs_in_use(), 1);
	/* Edge: the guest's EOI deactivates it (HW bit). */
	vgic_add_spi(&part, 36, true, 0x80000001);
	gicd_write(GICD_ISENABLER + 4, 1u << 4);
	CHECK(vgic_inject_spi(&vcpus[0], 36));
	CHECK_EQ(lr_holding(36), LR_PENDING | LR_HW | LR_GROUP1 | LR_PRIO(0xa0) | LR_PINTID(36) | 36);
}

TEST(vgic_icactiver0_drops_active_lrs_and_deactivates_hw) /* reqs: REQ-IRQ-002 REQ-IRQ-001 */
{
	setup(2);
	fake_gic.lr[0] = LR_ACTIVE | LR_HW | LR_GROUP1 | LR_PINTID(PPI_VTIMER) | PPI_VTIMER;
	fake_gic.lr[1] = LR_ACTIVE | LR_GROUP1 | 2;
	fake_gic.lr[2] = LR_PENDING | LR_GROUP1 | 3;
	fake_gic.lr[3] = LR_ACTIVE | LR_HW | LR_GROUP1 | LR_PINTID(PPI_PTIMER) | PPI_PTIMER;
	/* Another vCPU's frame cannot reach this CPU's list registers. */
	write_at(&vcpus[1], GICR_BASE + GICR_ICACTIVER0, 0xffffffff, 4);
	CHECK_EQ(lrs_in_use(), 4);
	CHECK_EQ(fake_gic.deactivations, 0);

	gicr_write(0, GICR_ICACTIVER0, (1u << PPI_VTIMER) | (1u << 2) | (1u << 3));
	CHECK_EQ(fake_gic.lr[0], 0);
	CHECK_EQ(fake_gic.lr[1], 0);
	CHECK_EQ(fake_gic.lr[2], LR_PENDING | LR_GROUP1 | 3); /* pending, not active */
	CHECK_EQ(fake_gic.lr[3] & LR_ACTIVE, LR_ACTIVE);      /* not asked for */
	CHECK_EQ(fake_gic.deactivations, 1);
	CHECK_EQ(fake_gic.deactivated[0], PPI_VTIMER);
	CHECK_EQ(gicr_read(0, GICR_ISACTIVER0), 1u << PPI_PTIMER);
}

TEST(vgic_vcpu_reset_deactivates_hw_lrs_left_behind) /* reqs: REQ-IRQ-002 REQ-IRQ-001 */
{
	setup(2);
	vgic_add_spi(&part, 34, false, 0x80000001);
	gicd_write(GICD_ISENABLER + 4, 1u << 2);
	gicd_write(GICD_CTLR, 0x3);
	enable_private(PPI_VTIMER, 0x80);
	enable_private(PPI_PTIMER, 0x80);
	CHECK_EQ(fake_gic.ppi_enabled[1], (1u << PPI_VTIMER) | (1u << PPI_PTIMER));
	fake_gic.lr[0] = LR_ACTIVE | LR_HW | LR_GROUP1 | LR_PINTID(PPI_VTIMER) | PPI_VTIMER;
	fake_gic.lr[1] = LR_PENDING | LR_HW | LR_GROUP1 | LR_PINTID(34) | 34;
	fake_gic.lr[2] = LR_ACTIVE | LR_GROUP1 | 1;                  /* no physical twin */
	fake_gic.lr[3] = LR_HW | LR_GROUP1 | LR_PINTID(PPI_PTIMER) | PPI_PTIMER; /* done */
	fake_gic.hcr = HCR_EN | HCR_UIE;
	vcpus[0].arch.uie_armed = true;
	fake_gic.vmcr = 0xf0000001;
	vcpus[0].arch.gicr.pending = 1u << 2;

	vgic_vcpu_reset(&vcpus[0]);
	CHECK_EQ(fake_gic.deactivations, 2);
	CHECK_EQ(fake_gic.deactivated[0], PPI_VTIMER);
	CHECK_EQ(fake_gic.deactivated[1], 34);
	CHECK_EQ(lrs_in_use(), 0);
	for (unsigned int n = 0; n < FAKE_ICH_LRS; n++)
		CHECK_EQ(fake_gic.lr[n], 0);
	CHECK_EQ(fake_gic.hcr, HCR_EN);
	CHECK_EQ(fake_gic.vmcr, 0);
	CHECK_EQ(fake_gic.ppi_enabled[1], 0);
	CHECK(!fake_gic.spi_enabled[34]);
	CHECK_EQ(gicd_read(GICD_ISENABLER + 4), 0);
	CHECK_EQ(vcpus[0].arch.gicr.pending, 0);
	CHECK_EQ(vcpus[0].arch.gicr.enabled, 0);
	CHECK_EQ(gicr_read(0, GICR_WAKER), WAKER_SLEEP | WAKER_ASLEEP);
}

TEST(vgic_vcpu_reset_of_a_secondary_keeps_the_partition_spis) /* reqs: REQ-IRQ-002 REQ-IRQ-001 */
{
	setup(2);
	vgic_add_spi(&part, 34, false, 0x80000001);
	gicd_write(GICD_ISENABLER + 4, 1u << 2);
	vgic_vcpu_reset(&vcpus[1]);
	CHECK(fake_gic.spi_enabled[34]);
	CHECK_EQ(gicd_read(GICD_ISENABLER + 4), 1u << 2);
}

/* Every list register active or HW: nothing can make room. */
static void fill_lrs_with_active_and_hw(void)
{
	fake_gic.lr[0] = LR_ACTIVE | LR_GROUP1 | LR_PRIO(0xc0) | 1;
	fake_gic.lr[1] = LR_ACTIVE | LR_GROUP1 | LR_PRIO(0xa0) | 2;
	fake_gic.lr[2] = LR_PENDING | LR_HW | LR_GROUP1 | LR_PRIO(0xa0) | LR_PINTID(PPI_PTIMER) |
			 PPI_PTIMER;
	fake_gic.lr[3] = LR_ACTIVE | LR_PENDING | LR_GROUP1 | LR_PRIO(0x80) | 3;
}

TEST(vgic_inject_hw_holds_it_while_every_lr_is_active_or_hw) /* reqs: REQ-IRQ-002 REQ-IRQ-001 */
{
	setup(1);
	enable_private(PPI_VTIMER, 0x40);
	enable_private(PPI_PTIMER, 0xa0);
	fill_lrs_with_active_and_hw();
	/* Taken (the caller must not deactivate it), though not in an LR. */
	CHECK(vgic_inject_hw(&vcpus[0], PPI_VTIMER));
	CHECK_EQ(lr_holding(PPI_VTIMER), 0);
	CHECK_EQ(fake_gic.deactivations, 0);
	CHECK_EQ(gicr_read(0, GICR_ISPENDR0) & (1u << PPI_VTIMER), 1u << PPI_VTIMER);
	vgic_flush(&vcpus[0]);
	CHECK_EQ(fake_gic.hcr, HCR_EN | HCR_UIE);
	CHECK_EQ(lr_holding(PPI_VTIMER), 0);

	/* The guest ends one: the underflow interrupt's flush hands it over. */
	fake_gic.lr[1] = 0;
	vgic_flush(&vcpus[0]);
	CHECK_EQ(fake_gic.lr[1], LR_PENDING | LR_HW | LR_GROUP1 | LR_PRIO(0x40) |
		 LR_PINTID(PPI_VTIMER) | PPI_VTIMER);
	CHECK_EQ(fake_gic.hcr, HCR_EN);
	CHECK_EQ(fake_gic.deactivations, 0);
	vgic_flush(&vcpus[0]);
	CHECK_EQ(lrs_in_use(), 4); /* handed over once */
	CHECK_EQ(gicr_read(0, GICR_ISPENDR0) & (1u << PPI_VTIMER), 1u << PPI_VTIMER);
}

TEST(vgic_inject_spi_holds_it_while_every_lr_is_active_or_hw) /* reqs: REQ-IRQ-002 REQ-ISO-003 */
{
	setup(1);
	enable_private(PPI_PTIMER, 0xa0);
	vgic_add_spi(&part, 34, false, 0x80000001);
	gicd_write(GICD_ISENABLER + 4, 1u << 2);
	fill_lrs_with_active_and_hw();
	fake_gic.spi_pending[34] = true; /* its line is high, and stays so */
	CHECK(vgic_inject_spi(&vcpus[0], 34));
	CHECK_EQ(lr_holding(34), 0);
	vgic_flush(&vcpus[0]);
	CHECK_EQ(fake_gic.hcr, HCR_EN | HCR_UIE);
	fake_gic.lr[3] = 0;
	vgic_flush(&vcpus[0]);
	CHECK_EQ(fake_gic.lr[3], LR_PENDING | LR_EOI | LR_GROUP1 | LR_PRIO(0xa0) | 34);
	CHECK_EQ(fake_gic.hcr, HCR_EN);
	CHECK_EQ(fake_gic.deactivations, 0);
}

TEST(vgic_held_interrupts_disabled_meanwhile_are_deactivated) /* reqs: REQ-IRQ-002 REQ-IRQ-001 */
{
	setup(1);
	enable_private(PPI_VTIMER, 0x40);
	enable_private(PPI_PTIMER, 0xa0);
	vgic_add_spi(&part, 34, false, 0x80000001);
	gicd_write(GICD_ISENABLER + 4, 1u << 2);
	fill_lrs_with_active_and_hw();
	CHECK(vgic_inject_hw(&vcpus[0], PPI_VTIMER));
	CHECK(vgic_inject_spi(&vcpus[0], 34));
	gicr_write(0, GICR_ICENABLER0, 1u << PPI_VTIMER);
	gicd_write(GICD_ICENABLER + 4, 1u << 2);
	vgic_flush(&vcpus[0]);
	CHECK_EQ(fake_gic.deactivations, 2);
	CHECK_EQ(fake_gic.deactivated[0], PPI_VTIMER);
	CHECK_EQ(fake_gic.deactivated[1], 34);
	CHECK_EQ(fake_gic.hcr, HCR_EN);
	fake_gic.lr[1] = 0;
	vgic_flush(&vcpus[0]);
	CHECK_EQ(lrs_in_use(), 3);
	CHECK_EQ(fake_gic.deactivations, 2);
}

TEST(vgic_vcpu_reset_deactivates_held_interrupts) /* reqs: REQ-IRQ-002 REQ-IRQ-001 */
{
	setup(1);
	enable_private(PPI_VTIMER, 0x40);
	enable_private(PPI_PTIMER, 0xa0);
	vgic_add_spi(&part, 34, false, 0x80000001);
	gicd_write(GICD_ISENABLER + 4, 1u << 2);
	fill_lrs_with_active_and_hw();
	CHECK(vgic_inject_hw(&vcpus[0], PPI_VTIMER));
	CHECK(vgic_inject_spi(&vcpus[0], 34));
	vgic_vcpu_reset(&vcpus[0]);
	/* The PTIMER in an LR, then the held timer and SPI. */
	CHECK_EQ(fake_gic.deactivations, 3);
	CHECK_EQ(fake_gic.deactivated[0], PPI_VTIMER);
	CHECK_EQ(fake_gic.deactivated[1], PPI_PTIMER);
	CHECK_EQ(fake_gic.deactivated[2], 34);
	/* Nothing is held any more: enabling and flushing hands nothing over. */
	enable_private(PPI_VTIMER, 0x40);
	gicd_write(GICD_ISENABLER + 4, 1u << 2);
	vgic_flush(&vcpus[0]);
	CHECK_EQ(lrs_in_use(), 0);
	CHECK_EQ(fake_gic.hcr, HCR_EN);
}
