// SPDX-License-Identifier: Apache-2.0
/*
 * The registers of a partition's distributor that hold its SPIs' enables,
 * groups, priorities and trigger modes (words and bytes for INTID 32 on,
 * at the offsets a GICv2 and a GICv3 distributor both give them), and
 * GICD_TYPER's number of lines. Only the SPIs the partition owns show and
 * change; every other bit, byte and field is RAZ/WI. Enables and trigger
 * modes of passthrough SPIs are mirrored onto the physical distributor.
 * The pending and active registers are vgic_spi_state.c's; the virtual
 * SPIs' bits are merged in by vspi.c.
 */

#include <bulkhead/partition.h>

#include <arch/gic.h>
#include <arch/guest.h>

#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR 0x0c00 /* 2 bits per INTID, 16 a word; bit 1: edge */

/* Bits of register word @word (32 INTIDs each) for SPIs the partition owns. */
static uint32_t owned_bits(const struct vgic_spis *spis, unsigned int word, bool enabled_only)
{
	uint32_t bits = 0;

	for (unsigned int i = 0; i < spis->count; i++) {
		if (spis->intid[i] / 32 == word && (!enabled_only || ((spis->enabled >> i) & 1)))
			bits |= 1u << (spis->intid[i] % 32);
	}
	return bits;
}

/* GICD_ICFGR word @word for the SPIs the partition owns. */
static uint32_t owned_config(const struct vgic_spis *spis, unsigned int word)
{
	uint32_t v = 0;

	for (unsigned int i = 0; i < spis->count; i++) {
		if (spis->intid[i] / 16 == word && ((spis->edge >> i) & 1))
			v |= 2u << (2 * (spis->intid[i] % 16));
	}
	return v;
}

/* The guest choosing level or edge for its SPIs: mirrored onto the physical
 * distributor, where a change while enabled is UNPREDICTABLE, so an enabled
 * one is disabled around it. */
static void gicd_set_config(struct vgic_spis *spis, unsigned int word, uint32_t value)
{
	for (unsigned int i = 0; i < spis->count; i++) {
		uint64_t bit = 1ull << i;
		bool edge = (value >> (2 * (spis->intid[i] % 16) + 1)) & 1;
		bool enabled = spis->enabled & bit;

		if (spis->intid[i] / 16 != word || edge == ((spis->edge & bit) != 0))
			continue;
		spis->edge = edge ? spis->edge | bit : spis->edge & ~bit;
		if (enabled)
			gic_spi_enable(spis->intid[i], false);
		gic_spi_set_edge(spis->intid[i], edge);
		if (enabled)
			gic_spi_enable(spis->intid[i], true);
	}
}

/* The guest enabling or disabling its SPIs: mirrored onto the physical
 * distributor; bits of interrupts it does not own have no effect. */
static void gicd_set_enables(struct partition *part, unsigned int word, uint32_t bits, bool on)
{
	struct vgic_spis *spis = &part->arch.spis;

	for (unsigned int i = 0; i < spis->count; i++) {
		if (spis->intid[i] / 32 != word || !(bits & (1u << (spis->intid[i] % 32))))
			continue;
		if (on)
			spis->enabled |= 1ull << i;
		else
			spis->enabled &= ~(1ull << i);
		gic_spi_enable(spis->intid[i], on);
	}
}

/* GICD_TYPER.ITLinesNumber: 32 * (N + 1) INTIDs, as few as cover the SPIs
 * the partition owns (passthrough and virtual), so that a guest sizing its
 * tables or scanning registers by it goes no further than its own. */
void vgic_note_intid(struct partition *part, unsigned int intid)
{
	struct partition_arch *a = &part->arch;

	if (intid > a->last_intid)
		a->last_intid = intid;
}

uint32_t vgic_it_lines(const struct partition *part)
{
	unsigned int last = part->arch.last_intid;

	return (last > 31u ? last : 31u) / 32u;
}


uint64_t vgic_spis_read(const struct partition *part, uint64_t off)
{
	const struct vgic_spis *spis = &part->arch.spis;

	if (off >= GICD_IGROUPR + 4 && off < GICD_IGROUPR + 0x80)
		return owned_bits(spis, (unsigned int)(off - GICD_IGROUPR) / 4, false);
	if ((off >= GICD_ISENABLER + 4 && off < GICD_ISENABLER + 0x80) ||
	    (off >= GICD_ICENABLER + 4 && off < GICD_ICENABLER + 0x80))
		return owned_bits(spis, (unsigned int)(off & 0x7f) / 4, true);
	if (off >= GICD_ICFGR + 8 && off < GICD_ICFGR + 0x100)
		return owned_config(spis, (unsigned int)(off - GICD_ICFGR) / 4);
	if (off >= GICD_IPRIORITYR + 32 && off < GICD_IPRIORITYR + 1020) {
		uint64_t v = 0;

		for (unsigned int b = 0; b < 4; b++) {
			int i = vgic_spi_index(spis, (unsigned int)(off - GICD_IPRIORITYR) + b);

			if (i >= 0)
				v |= (uint64_t)spis->priority[i] << (8 * b);
		}
		return v;
	}
	return 0;
}

void vgic_spis_write(struct partition *part, uint64_t off, uint64_t value, unsigned int size)
{
	struct vgic_spis *spis = &part->arch.spis;

	if (off >= GICD_ISENABLER + 4 && off < GICD_ISENABLER + 0x80) {
		gicd_set_enables(part, (unsigned int)(off - GICD_ISENABLER) / 4, (uint32_t)value, true);
	} else if (off >= GICD_ICENABLER + 4 && off < GICD_ICENABLER + 0x80) {
		gicd_set_enables(part, (unsigned int)(off - GICD_ICENABLER) / 4, (uint32_t)value, false);
	} else if (off >= GICD_ICFGR + 8 && off < GICD_ICFGR + 0x100) {
		gicd_set_config(spis, (unsigned int)(off - GICD_ICFGR) / 4, (uint32_t)value);
	} else if (off >= GICD_IPRIORITYR + 32 && off < GICD_IPRIORITYR + 1020) {
		for (unsigned int b = 0; b < size; b++) {
			int i = vgic_spi_index(spis, (unsigned int)(off - GICD_IPRIORITYR) + b);

			if (i >= 0)
				spis->priority[i] = (uint8_t)(value >> (8 * b)) & VGIC_PRIORITY_MASK;
		}
	} else {
		/* any other register: read-only, reserved or not the partition's; ignored */
	}
}
