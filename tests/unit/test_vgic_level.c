// SPDX-License-Identifier: Apache-2.0
/*
 * Passthrough SPIs against the GIC architecture, on the host with the fake
 * GIC (fake_gic.h; its list registers are vCPU 0's): a level-triggered
 * one's pending state follows its line past the guest's EOI
 * (arch/arm64/vgic_level.c), the distributor's pending and active views
 * and writes (vgic_spi_state.c), and the audit's results for the GICv3
 * distributor and redistributors (GICD_TYPER sized by what the partition
 * owns, RES0 bits).
 */

#include <arch/fake.h>
#include <arch/gic_ich.h>
#include <arch/guest.h>
#include <bulkhead/partition.h>

#include "fake_gic.h"
#include "test.h"
#include "vgic_fixture.h"

/* From the GICv3 architecture specification (IHI 0069), not from vgic.c. */
#define GICD_BASE VGIC_TEST_GICD
#define GICR_BASE VGIC_TEST_GICR
#define GICR_FRAME 0x20000ull
#define GICD_TYPER 0x0004
#define GICD_ISENABLER 0x0100
#define GICD_ISPENDR 0x0200
#define GICD_ICPENDR 0x0280
#define GICD_ISACTIVER 0x0300
#define GICD_ICACTIVER 0x0380
#define GICD_ICFGR 0x0c00
#define GICR_ICFGR1 0x10c04

#define LR_PENDING (1ull << 62)
#define LR_ACTIVE (1ull << 63)
#define LR_HW (1ull << 61)
#define LR_GROUP1 (1ull << 60)
#define LR_EOI (1ull << 41)
#define LR_PRIO(p) ((uint64_t)(p) << 48)
#define LR_PINTID(i) ((uint64_t)(i) << 32)

#define SPI 34
#define SPI_BIT (1u << (SPI % 32))
#define EDGE_SPI 36

static struct partition_config cfg;
static struct partition part;
static struct vcpu vcpus[2];

/* A running partition of @n vCPUs owning level SPI 34 and edge SPI 36, both
 * enabled, with a usable EL2 timer. */
static void setup(unsigned int n)
{
	vgic_test_partition(&cfg, &part, vcpus, ARRAY_SIZE(vcpus), n, false);
	fake_gic.hyp_timer_usable = true;
	vgic_add_spi(&part, SPI, false, 0x80000001);
	vgic_add_spi(&part, EDGE_SPI, true, 0x80000001);
}

static uint32_t gicd_read_by(unsigned int vcpu, uint64_t off)
{
	uint64_t value = 0xbadbadbadull;

	CHECK(vgic_mmio(&vcpus[vcpu], GICD_BASE + off, false, &value, 4));
	return (uint32_t)value;
}

static uint32_t gicd_read(uint64_t off)
{
	return gicd_read_by(0, off);
}

static void gicd_write(uint64_t off, uint32_t v)
{
	uint64_t value = v;

	CHECK(vgic_mmio(&vcpus[0], GICD_BASE + off, true, &value, 4));
}

static void enable_both(void)
{
	gicd_write(GICD_ISENABLER + 4, SPI_BIT | (1u << (EDGE_SPI % 32)));
}

/* The device raises its line; EL2 takes and acknowledges the interrupt. */
static void device_fires(void)
{
	fake_gic.spi_pending[SPI] = true;
	CHECK(vgic_inject_spi(&vcpus[0], SPI));
}

/* The guest acknowledges and ends the interrupt in list register 0; its
 * EOI bit raises the maintenance interrupt. */
static void guest_acks_and_ends(void)
{
	CHECK_EQ(fake_gic.lr[0], LR_PENDING | LR_EOI | LR_GROUP1 | LR_PRIO(0xa0) | SPI);
	fake_gic.lr[0] = (fake_gic.lr[0] & ~LR_PENDING) | LR_ACTIVE;
	CHECK_EQ(gicd_read(GICD_ISACTIVER + 4), SPI_BIT);
	fake_gic.lr[0] &= ~(LR_ACTIVE | LR_PENDING);
	vgic_maintenance(&vcpus[0]);
	CHECK_EQ(fake_gic.lr[0], 0); /* the list register is free again */
}

TEST(vgic_level_spi_cleared_before_its_end_is_deactivated_at_once) /* reqs: REQ-IRQ-006 */
{
	setup(1);
	enable_both();
	device_fires();
	fake_gic.spi_pending[SPI] = false; /* Linux's order: the device first */
	guest_acks_and_ends();
	CHECK_EQ(fake_gic.deactivations, 1);
	CHECK_EQ(fake_gic.deactivated[0], SPI);
	CHECK_EQ(fake_gic.hyp_timer_deadline, 0);
	CHECK_EQ(part.arch.spis.recheck, 0);
}

TEST(vgic_level_spi_ended_while_high_is_not_delivered_again_once_cleared) /* reqs: REQ-IRQ-006 */
{
	setup(1);
	enable_both();
	device_fires();
	guest_acks_and_ends(); /* line still high: the handler clears it next */
	CHECK_EQ(fake_gic.deactivations, 0); /* it cannot fire again meanwhile */
	CHECK(fake_gic.hyp_timer_deadline != 0);
	/* Still pending to the guest while its line is high. */
	CHECK_EQ(gicd_read(GICD_ISPENDR + 4), SPI_BIT);
	CHECK_EQ(gicd_read(GICD_ISACTIVER + 4), 0);
	fake_gic.spi_pending[SPI] = false;
	CHECK_EQ(gicd_read(GICD_ISPENDR + 4), 0);
	vgic_level_timer(&vcpus[0]);
	CHECK_EQ(fake_gic.lr[0], 0);
	CHECK_EQ(fake_gic.deactivations, 1);
	CHECK_EQ(fake_gic.deactivated[0], SPI);
	CHECK_EQ(part.arch.spis.recheck, 0);
}

TEST(vgic_level_spi_still_high_at_the_recheck_is_delivered_again) /* reqs: REQ-IRQ-006 */
{
	setup(1);
	enable_both();
	device_fires();
	guest_acks_and_ends();
	vgic_level_timer(&vcpus[0]);
	CHECK_EQ(fake_gic.deactivations, 0);
	CHECK_EQ(fake_gic.lr[0], LR_PENDING | LR_EOI | LR_GROUP1 | LR_PRIO(0xa0) | SPI);
	/* A line the guest leaves high past a recheck: its next end
	 * deactivates it at once (it fires again at hardware speed). */
	fake_gic.hyp_timer_deadline = 0;
	guest_acks_and_ends();
	CHECK_EQ(fake_gic.deactivations, 1);
	CHECK_EQ(fake_gic.hyp_timer_deadline, 0);
	CHECK_EQ(part.arch.spis.recheck, 0);
	device_fires();
	guest_acks_and_ends();
	CHECK_EQ(fake_gic.deactivations, 2);
	/* An end that finds it low: the next one ended while high waits again. */
	device_fires();
	fake_gic.spi_pending[SPI] = false;
	guest_acks_and_ends();
	CHECK_EQ(fake_gic.deactivations, 3);
	device_fires();
	guest_acks_and_ends();
	CHECK_EQ(fake_gic.deactivations, 3);
	CHECK(fake_gic.hyp_timer_deadline != 0);
	/* Disabled meanwhile: deactivated instead (its twin is disabled too). */
	gicd_write(GICD_ISENABLER + 0x80 + 4, SPI_BIT); /* ICENABLER */
	vgic_level_timer(&vcpus[0]);
	CHECK_EQ(fake_gic.lr[0], 0);
	CHECK_EQ(fake_gic.deactivations, 4);
}

TEST(vgic_level_spi_without_el2_timer_is_deactivated_at_its_end) /* reqs: REQ-IRQ-006 */
{
	setup(1);
	fake_gic.hyp_timer_usable = false;
	enable_both();
	device_fires();
	guest_acks_and_ends();
	CHECK_EQ(fake_gic.deactivations, 1);
	CHECK_EQ(part.arch.spis.recheck, 0);
}

TEST(vgic_level_spi_reset_deactivates_one_ended_or_rechecked) /* reqs: REQ-IRQ-006 */
{
	setup(1);
	enable_both();
	device_fires();
	guest_acks_and_ends();
	vgic_vcpu_reset(&vcpus[0]);
	CHECK_EQ(fake_gic.deactivations, 1);
	CHECK_EQ(fake_gic.deactivated[0], SPI);
	/* Ended but the maintenance interrupt not yet taken. */
	enable_both();
	device_fires();
	fake_gic.lr[0] &= ~LR_PENDING;
	vgic_vcpu_reset(&vcpus[0]);
	CHECK_EQ(fake_gic.deactivations, 2);
	CHECK_EQ(fake_gic.deactivated[1], SPI);
}

TEST(vgic_spi_pending_of_a_disabled_spi_is_the_physical_one) /* reqs: REQ-IRQ-006 */
{
	setup(2);
	CHECK_EQ(gicd_read(GICD_ISPENDR + 4), 0);
	fake_gic.spi_pending[SPI] = true;
	fake_gic.spi_pending[35] = true; /* not the partition's */
	CHECK_EQ(gicd_read(GICD_ISPENDR + 4), SPI_BIT);
	CHECK_EQ(gicd_read(GICD_ICPENDR + 4), SPI_BIT);
	CHECK_EQ(gicd_read_by(1, GICD_ISPENDR + 4), SPI_BIT);
	/* Word 0 (SGIs and PPIs) is the redistributors' on a GICv3. */
	CHECK_EQ(gicd_read(GICD_ISPENDR), 0);
	/* ICPENDR and ISPENDR reach the physical distributor, owned only. */
	gicd_write(GICD_ICPENDR + 4, 0xffffffffu);
	CHECK(!fake_gic.spi_pending[SPI]);
	CHECK(fake_gic.spi_pending[35]);
	gicd_write(GICD_ISPENDR + 4, SPI_BIT | (1u << 5));
	CHECK(fake_gic.spi_pending[SPI]);
	CHECK(!fake_gic.spi_pending[37]);
}

TEST(vgic_spi_active_views_and_icactiver) /* reqs: REQ-IRQ-006 */
{
	setup(2);
	enable_both();
	CHECK(vgic_inject_spi(&vcpus[0], EDGE_SPI));
	fake_gic.spi_active[EDGE_SPI] = true; /* acknowledged by EL2 */
	/* Only pending in its list register: not active yet, to vCPU 0. */
	CHECK_EQ(gicd_read(GICD_ISACTIVER + 4), 0);
	CHECK_EQ(gicd_read(GICD_ISPENDR + 4), 1u << (EDGE_SPI % 32));
	fake_gic.lr[0] = (fake_gic.lr[0] & ~LR_PENDING) | LR_ACTIVE;
	CHECK_EQ(gicd_read(GICD_ISACTIVER + 4), 1u << (EDGE_SPI % 32));
	CHECK_EQ(gicd_read(GICD_ISPENDR + 4), 0);
	/* vCPU 1 cannot see vCPU 0's list registers: the physical state. */
	CHECK_EQ(gicd_read_by(1, GICD_ICACTIVER + 4), 1u << (EDGE_SPI % 32));
	/* ISACTIVER writes are ignored; ICACTIVER ends it as its EOI would. */
	gicd_write(GICD_ISACTIVER + 4, SPI_BIT);
	CHECK_EQ(gicd_read(GICD_ISACTIVER + 4), 1u << (EDGE_SPI % 32));
	gicd_write(GICD_ICACTIVER + 4, 0xffffffffu);
	CHECK_EQ(fake_gic.lr[0], 0);
	CHECK_EQ(fake_gic.deactivations, 1);
	CHECK_EQ(fake_gic.deactivated[0], EDGE_SPI);
}

TEST(vgic_spi_icpendr_takes_back_one_only_pending) /* reqs: REQ-IRQ-006 */
{
	setup(1);
	enable_both();
	device_fires();
	CHECK_EQ(gicd_read(GICD_ISPENDR + 4), SPI_BIT);
	fake_gic.spi_pending[SPI] = false; /* the device dropped its line */
	CHECK_EQ(gicd_read(GICD_ISPENDR + 4), SPI_BIT); /* still in its LR */
	gicd_write(GICD_ICPENDR + 4, SPI_BIT);
	CHECK_EQ(fake_gic.lr[0], 0);
	CHECK_EQ(gicd_read(GICD_ISPENDR + 4), 0);
	CHECK_EQ(fake_gic.deactivations, 1);
	CHECK_EQ(fake_gic.deactivated[0], SPI);
}

TEST(vgic_audit_typer_lines_cover_the_owned_spis_only) /* reqs: REQ-IRQ-006 */
{
	setup(1);
	CHECK_EQ(gicd_read(GICD_TYPER) & 0x1f, 1u); /* SPIs 34, 36: INTIDs 0-63 */
	vgic_add_spi(&part, 100, false, 0x80000001);
	CHECK_EQ(gicd_read(GICD_TYPER) & 0x1f, 3u); /* 0-127 */
	vgic_add_virtual_spi(&part, 200);
	CHECK_EQ(gicd_read(GICD_TYPER) & 0x1f, 6u); /* 0-223 */
	/* IDbits: 10; no LPIs, no security extension, no extended SPIs. */
	CHECK_EQ(gicd_read(GICD_TYPER) >> 5, 9u << 14);
}

TEST(vgic_audit_icfgr_res0_bits_and_sgi_config_read_only) /* reqs: REQ-IRQ-006 */
{
	uint64_t value = 0xffffffffu;

	setup(1);
	CHECK(vgic_mmio(&vcpus[0], GICR_BASE + GICR_ICFGR1, true, &value, 4));
	value = 0;
	CHECK(vgic_mmio(&vcpus[0], GICR_BASE + GICR_ICFGR1, false, &value, 4));
	CHECK_EQ(value, 0xaaaaaaaau);
	value = 0;
	CHECK(vgic_mmio(&vcpus[0], GICR_BASE + GICR_ICFGR1 - 4, true, &value, 4));
	CHECK(vgic_mmio(&vcpus[0], GICR_BASE + GICR_ICFGR1 - 4, false, &value, 4));
	CHECK_EQ(value, 0xaaaaaaaau);
	/* The distributor's SGI and PPI words are RAZ/WI with ARE set. */
	gicd_write(GICD_ICFGR + 4, 0xffffffffu);
	CHECK_EQ(gicd_read(GICD_ICFGR + 4), 0);
}

TEST(vgic_audit_priorities_keep_the_bits_the_cpu_interface_compares) /* reqs: REQ-IRQ-006 */
{
	uint64_t value = 0xffffffffu;

	setup(1);
	gicd_write(0x0400 + 32, 0xffffffffu);
	CHECK_EQ(gicd_read(0x0400 + 32), 0x00f80000u); /* SPI 34 only is ours in 32-35 */
	CHECK(vgic_mmio(&vcpus[0], GICR_BASE + 0x10400, true, &value, 4));
	value = 0;
	CHECK(vgic_mmio(&vcpus[0], GICR_BASE + 0x10400, false, &value, 1));
	CHECK_EQ(value, 0xf8u);
}
