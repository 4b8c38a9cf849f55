// SPDX-License-Identifier: Apache-2.0
/*
 * The emulated distributor of a partition's virtual GICv2. Its CPU
 * interface is the hardware's virtual one (GICV, mapped by stage 2 where
 * the partition's DT puts the GICC) fed through the list registers, as for
 * the GICv3 (vgic.c, vspi.c, with gich.c translating the list registers);
 * this file is only what a GICv2 guest sees differently:
 *
 * - SGIs and PPIs are banked in the distributor, not in redistributors:
 *   word 0 of each register, the first 32 priorities and the first two
 *   GICD_ICFGR words are the vCPU's own, served by the GICv3 vGIC's
 *   redistributor code for the calling vCPU (a vCPU never reaches
 *   another's);
 * - SGIs are sent by writing GICD_SGIR, whose CPU target list names the
 *   partition's vCPUs (bit n: vCPU n): bits past its last vCPU name no one,
 *   so an SGI never leaves the partition;
 * - GICD_ITARGETSR reads, for the private interrupts, the calling vCPU's
 *   own bit, and for the partition's SPIs vCPU 0's, the only one they are
 *   delivered to (as on the GICv3, where IROUTER writes have no effect);
 *   writes are ignored, so no SPI can be aimed anywhere else;
 * - the guest's interrupts are Group 0 (IGROUPR reads 0, writes ignored),
 *   as on a GIC without the Security Extensions.
 *
 * SPI registers (enables, priorities, trigger modes) show and change only
 * the SPIs the partition owns, through the same code as the GICv3's, and
 * accesses of sizes the architecture does not give a register are RAZ/WI
 * by the same table.
 */

#include <bulkhead/partition.h>

#include <arch/guest.h>

#define GICD_SIZE 0x1000u

#define GICD_CTLR 0x000u
#define GICD_CTLR_ENABLE_MASK 0x3u
#define GICD_TYPER 0x004u
#define GICD_IIDR 0x008u
#define GICD_IGROUPR 0x080u
#define GICD_ISENABLER 0x100u
#define GICD_ICACTIVER 0x380u
#define GICD_IPRIORITYR 0x400u
#define GICD_ITARGETSR 0x800u
#define GICD_ICFGR 0xc00u
#define GICD_SGIR 0xf00u
#define GICD_CPENDSGIR 0xf10u
#define GICD_SPENDSGIR 0xf20u
#define GICD_PIDR4 0xfd0u
#define GICD_PIDR2 0xfe8u
#define GICD_CIDR3 0xffcu

#define GICD_ISPENDR0 0x200u
#define GICD_ICPENDR0 0x280u

#define IIDR_GIC400 0x0200143bu
#define PIDR2_GICV2 0x2bu

#define SGIR_TARGETS_SHIFT 16u
#define SGIR_FILTER_SHIFT 24u
#define SGIR_FILTER_LIST 0u
#define SGIR_FILTER_OTHERS 1u
#define SGIR_FILTER_SELF 2u

/* Register words whose first word is the vCPU's own (its SGIs and PPIs),
 * from GICD_ISENABLER to GICD_ICACTIVER, 0x80 apart. */
static bool banked_word0(uint64_t off)
{
	return off >= GICD_ISENABLER && off <= GICD_ICACTIVER + 3u && (off & 0x7fu) < 4u;
}

/* Banked too: the private interrupts' priorities and trigger modes. */
static bool banked(uint64_t off)
{
	return banked_word0(off) || (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + 32u) ||
	       (off >= GICD_ICFGR && off < GICD_ICFGR + 8u);
}

/* Does the partition own SPI @intid (passthrough or purely virtual)? */
static bool owns_spi(const struct partition *part, unsigned int intid)
{
	const struct partition_arch *a = &part->arch;

	for (unsigned int i = 0; i < a->spis.count; i++) {
		if (a->spis.intid[i] == intid)
			return true;
	}
	for (unsigned int i = 0; i < a->vspi_count; i++) {
		if (a->vspi[i].intid != 0u && a->vspi[i].intid == intid)
			return true;
	}
	return false;
}

static uint64_t targets_read(const struct vcpu *v, uint64_t off, unsigned int size)
{
	uint64_t value = 0;

	for (unsigned int b = 0; b < size; b++) {
		unsigned int intid = (unsigned int)(off - GICD_ITARGETSR) + b;
		uint64_t bit = 0;

		if (intid < 32u)
			bit = 1ULL << v->index;
		else if (owns_spi(v->part, intid))
			bit = 1u; /* vCPU 0 */
		else
			bit = 0u; /* not the partition's: no target */
		unsigned int shift = 8u * b;

		value |= bit << shift;
	}
	return value;
}

/* GICD_SGIR: within the partition only (vgic_sgi_deliver() ignores target
 * bits past its last vCPU). */
static void send_sgi(struct vcpu *from, uint32_t sgir)
{
	uint32_t targets;

	switch ((sgir >> SGIR_FILTER_SHIFT) & 3u) {
	case SGIR_FILTER_LIST:
		targets = (sgir >> SGIR_TARGETS_SHIFT) & 0xffu;
		break;
	case SGIR_FILTER_OTHERS:
		targets = ~(1u << from->index);
		break;
	case SGIR_FILTER_SELF:
		targets = 1u << from->index;
		break;
	default:
		targets = 0; /* reserved: no SGI */
		break;
	}
	vgic_sgi_deliver(from, targets, (unsigned int)(sgir & 0xfu));
}

/* GICD_SPENDSGIR/CPENDSGIR: one byte per SGI, a bit per source CPU. The
 * sources are not kept apart: any bit is the SGI, pending or not. */
static uint32_t sgi_bytes_to_bits(uint64_t value, unsigned int first, unsigned int size)
{
	uint32_t bits = 0;

	for (unsigned int b = 0; b < size && first + b < 16u; b++) {
		unsigned int shift = 8u * b;

		if (((value >> shift) & 0xffu) != 0u)
			bits |= 1u << (first + b);
	}
	return bits;
}

static uint64_t sgi_pending_bytes(const struct vcpu *v, unsigned int first, unsigned int size)
{
	uint32_t pending = (uint32_t)vgic_banked_read(v, GICD_ISPENDR0, 4u);
	uint64_t value = 0;

	for (unsigned int b = 0; b < size && first + b < 16u; b++) {
		unsigned int shift = 8u * b;

		if (((pending >> (first + b)) & 1u) != 0u)
			value |= 1ULL << shift;
	}
	return value;
}

/* The identification registers the GIC-400 manual gives (GICD_IIDR says
 * GIC-400): peripheral IDs 4-7 and 0-3, then the component IDs. */
static uint32_t gic400_id(uint64_t off)
{
	static const uint8_t ids[12] = {0x04, 0, 0, 0, 0x90, 0xb4, PIDR2_GICV2, 0,
					0x0d, 0xf0, 0x05, 0xb1};

	return (off & 3u) == 0u ? ids[(off - GICD_PIDR4) / 4u] : 0u;
}

static inline __attribute__((always_inline)) uint64_t dist_read(const struct vcpu *v, uint64_t off,
								  unsigned int size)
{
	const struct partition *part = v->part;

	switch (off) {
	case GICD_CTLR:
		return part->arch.vgicd_ctlr;
	case GICD_TYPER:
		return ((uint64_t)part->cfg->cpu_count - 1u) << 5 | vgic_it_lines(part);
	case GICD_IIDR:
		return IIDR_GIC400;
	default:
		break;
	}
	if (off >= GICD_PIDR4 && off <= GICD_CIDR3)
		return gic400_id(off);
	if (banked(off))
		return vgic_banked_read(v, off, size);
	if (off >= GICD_IGROUPR && off < GICD_ISENABLER)
		return 0;
	if (off >= GICD_ITARGETSR && off < GICD_ITARGETSR + 1020u)
		return targets_read(v, off, size);
	if (off >= GICD_SPENDSGIR && off < GICD_SPENDSGIR + 16u)
		return sgi_pending_bytes(v, (unsigned int)(off - GICD_SPENDSGIR), size);
	if (off >= GICD_CPENDSGIR && off < GICD_CPENDSGIR + 16u)
		return sgi_pending_bytes(v, (unsigned int)(off - GICD_CPENDSGIR), size);
	return vgic_spis_read(part, off) | vgic_vspi_gicd_read(v, off, size) |
	       vgic_spi_state_read(v, off);
}

static void dist_write(struct vcpu *v, uint64_t off, uint64_t value, unsigned int size)
{
	struct partition *part = v->part;

	if (off == GICD_CTLR) {
		part->arch.vgicd_ctlr = (uint32_t)value & GICD_CTLR_ENABLE_MASK;
	} else if (off == GICD_SGIR) {
		send_sgi(v, (uint32_t)value);
	} else if (banked(off)) {
		vgic_banked_write(v, off, value, size);
	} else if (off >= GICD_SPENDSGIR && off < GICD_SPENDSGIR + 16u) {
		vgic_banked_write(v, GICD_ISPENDR0, sgi_bytes_to_bits(value, (unsigned int)(off - GICD_SPENDSGIR), size), 4u);
	} else if (off >= GICD_CPENDSGIR && off < GICD_CPENDSGIR + 16u) {
		vgic_banked_write(v, GICD_ICPENDR0, sgi_bytes_to_bits(value, (unsigned int)(off - GICD_CPENDSGIR), size), 4u);
	} else if (off >= GICD_ISENABLER && (off < GICD_ITARGETSR || off >= GICD_ICFGR)) {
		vgic_spis_write(part, off, value, size);
		vgic_vspi_gicd_write(v, off, value, size);
		vgic_spi_state_write(v, off, value);
	} else {
		/* IGROUPR, ITARGETSR and the rest: no effect (above). */
	}
}

/* A read or write of a register the architecture gives that size. Out of
 * line, and apart, like the other sizes below: vgicv2_mmio() in front of
 * them is a leaf, and neither saves registers for the other's paths. True:
 * the access is the distributor's. */
static __attribute__((noinline)) bool read_register(const struct vcpu *v, uint64_t off, unsigned int size,
						   uint64_t *value)
{
	*value = dist_read(v, off, size);
	return true;
}

static __attribute__((noinline)) bool write_register(struct vcpu *v, uint64_t off, uint64_t value,
						    unsigned int size)
{
	dist_write(v, off, value, size);
	return true;
}

static inline __attribute__((always_inline)) bool access_register(struct vcpu *v, uint64_t off, bool write,
								  uint64_t *value, unsigned int size)
{
	if (write)
		return write_register(v, off, *value, size);
	return read_register(v, off, size, value);
}

/* Any access but an aligned word: vgic_gicd_access_ok()'s table decides,
 * and one the architecture does not define is RAZ/WI. */
static __attribute__((noinline)) bool access_sized(struct vcpu *v, uint64_t off, bool write,
						  uint64_t *value, unsigned int size)
{
	if (vgic_gicd_access_ok(off, size))
		return access_register(v, off, write, value, size);
	if (!write)
		*value = 0;
	return true;
}

bool vgicv2_mmio(struct vcpu *v, uint64_t ipa, bool write, uint64_t *value, unsigned int size)
{
	const struct partition_arch *a = &v->part->arch;

	if (a->vgicd_base == 0u || ipa < a->vgicd_base || ipa - a->vgicd_base >= GICD_SIZE)
		return false;
	uint64_t off = ipa - a->vgicd_base;

	/* Aligned words, nearly every access, need no look at the table. */
	if (size == 4u && (off & 3u) == 0u)
		return access_register(v, off, write, value, size);
	return access_sized(v, off, write, value, size);
}
