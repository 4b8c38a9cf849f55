// SPDX-License-Identifier: Apache-2.0
/*
 * The partition's purely virtual SPIs, always delivered to vCPU 0 and with
 * no physical twin: its virtual UART's interrupt (level-sensitive, slot 0)
 * and its channels' doorbells (edge-triggered, below). The device
 * drives a line from any CPU (vgic_set_virtual_spi_level); a rising line
 * kicks vCPU 0's CPU, whose flush puts the interrupt in a list register
 * while the line is high and the guest enables it, and withdraws one still
 * only pending once the line has fallen.
 *
 * Level semantics past the guest's EOI: the list register carries the EOI
 * bit, so the guest deactivating the interrupt raises the maintenance
 * interrupt, vCPU 0 exits at once and its flush pends the interrupt again
 * if the line is still high. Re-evaluating only at exits taken for other
 * reasons would be simpler, but a guest that ends the interrupt and then
 * waits in WFI (not trapped) would never see a line that stayed high.
 *
 * Doorbells are edges: a ring latches `level`, the flush moves the latch
 * into a list register (pending, or pending and active if the guest is
 * still in its handler) and clears it, so rings before the guest takes the
 * interrupt coalesce into one, and a ring during the handler is taken again
 * after it. No EOI maintenance is needed for them.
 */

#include <bulkhead/arch.h>
#include <bulkhead/partition.h>

#include <arch/gic_ich.h>
#include <arch/guest.h>

#define VSPI_PRIORITY_RESET 0xa0

#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_ISPENDR 0x0200
#define GICD_ICPENDR 0x0280
#define GICD_ISACTIVER 0x0300
#define GICD_ICACTIVER 0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR 0x0c00

void vgic_add_virtual_spi(struct partition *part, unsigned int intid)
{
	struct partition_arch *a = &part->arch;

	a->vspi[0] = (struct vgic_vspi){.intid = intid, .priority = VSPI_PRIORITY_RESET};
	if (a->vspi_count == 0)
		a->vspi_count = 1;
	vgic_note_intid(part, intid);
}

void vgic_add_doorbell_spi(struct partition *part, unsigned int intid)
{
	struct partition_arch *a = &part->arch;

	if (a->vspi_count == 0)
		a->vspi_count = 1; /* slot 0 stays the UART's, even without one */
	if (a->vspi_count < VGIC_MAX_VSPIS) {
		a->vspi[a->vspi_count] = (struct vgic_vspi){
			.intid = intid, .priority = VSPI_PRIORITY_RESET, .edge = true};
		a->vspi_count++;
		vgic_note_intid(part, intid);
	}
}

void vgic_vspi_reset(struct partition *part)
{
	for (unsigned int i = 0; i < part->arch.vspi_count; i++) {
		struct vgic_vspi *s = &part->arch.vspi[i];

		__atomic_store_n(&s->enabled, false, __ATOMIC_SEQ_CST);
		__atomic_store_n(&s->level, false, __ATOMIC_SEQ_CST);
		s->priority = VSPI_PRIORITY_RESET;
	}
}

/* Have vCPU 0 flush soon. A guest in WFI wakes too: WFI is not trapped, but
 * the kick is a physical interrupt, taken to EL2. On vCPU 0's own CPU the
 * flush before eret is soon enough. */
static void vspi_poke(const struct partition *part)
{
	const struct vcpu *v0 = part->vcpus[0];

	if (v0->pcpu != arch_cpu_index() &&
	    __atomic_load_n(&v0->state, __ATOMIC_ACQUIRE) == VCPU_RUNNING)
		arch_cpu_kick(v0->pcpu);
}

/* Raise (or drop) slot @s's line; poke vCPU 0 on a rise it will take. */
static void vspi_set(struct partition *part, struct vgic_vspi *s, bool level)
{
	/* Sequentially consistent with the enable: of a rise racing the
	 * guest's enable, at least one side sees the other and pokes. */
	bool was = __atomic_exchange_n(&s->level, level, __ATOMIC_SEQ_CST);

	if (level && !was && __atomic_load_n(&s->enabled, __ATOMIC_SEQ_CST))
		vspi_poke(part);
}

void vgic_set_virtual_spi_level(struct partition *part, bool level)
{
	if (part->arch.vspi_count == 0 || part->arch.vspi[0].intid == 0)
		return;
	vspi_set(part, &part->arch.vspi[0], level);
}

void vgic_raise_doorbell(struct partition *part, uint32_t intid)
{
	for (unsigned int i = 1; i < part->arch.vspi_count; i++) {
		if (part->arch.vspi[i].intid == intid)
			vspi_set(part, &part->arch.vspi[i], true);
	}
}

/* Free the list registers of interrupts the guest ended with the EOI bit
 * set: while any is left, ICH_MISR_EL2.EOI holds the maintenance interrupt
 * high. A level passthrough SPI's end also goes to vgic_level.c, which
 * decides when its physical twin is deactivated. */
static void clear_ended(bool v2, struct vcpu *v)
{
	for (uint64_t ended = ich_eoi_lrs(v2); ended != 0; ended &= ended - 1) {
		unsigned int n = (unsigned int)__builtin_ctzll(ended);
		unsigned int intid = (unsigned int)(ich_lr_read(v2, n) & ICH_LR_VINTID_MASK);
		int i = v->index == 0U ? vgic_spi_index(&v->part->arch.spis, intid) : -1;

		ich_lr_write(v2, n, 0);
		if (i >= 0)
			vgic_level_ended(v, (unsigned int)i);
	}
}

void vgic_maintenance(struct vcpu *v)
{
	bool v2 = ich_v2();

	clear_ended(v2, v);
	/* Underflow, too, would hold the level-sensitive maintenance interrupt
	 * high through its deactivation; the flush re-arms it if needed. */
	ich_hcr_write(v2, ICH_HCR_EN);
	v->arch.uie_armed = false;
	ich_sync(v2);
}

/* The UART's level-sensitive slot; true if it waits for a free LR. */
static bool flush_level(bool v2, const struct vgic_vspi *s)
{
	bool asserted = __atomic_load_n(&s->level, __ATOMIC_SEQ_CST) &&
			__atomic_load_n(&s->enabled, __ATOMIC_SEQ_CST);
	int n = vgic_lr_of(v2, s->intid);

	if (n >= 0) {
		/* A level interrupt stops being pending when its line falls. */
		if (!asserted && (ich_lr_read(v2, (unsigned int)n) & ICH_LR_STATE_MASK) == ICH_LR_PENDING)
			ich_lr_write(v2, (unsigned int)n, 0);
		return false;
	}
	if (!asserted)
		return false;
	n = vgic_free_lr(v2);
	if (n < 0)
		return true;
	ich_lr_write_pending(v2, (unsigned int)n, s->intid, s->priority, ICH_LR_EOI);
	return false;
}

/* A doorbell's slot: the latched ring into a list register. */
static bool flush_edge(bool v2, struct vgic_vspi *s)
{
	if (!__atomic_load_n(&s->level, __ATOMIC_SEQ_CST) ||
	    !__atomic_load_n(&s->enabled, __ATOMIC_SEQ_CST))
		return false;
	int n = vgic_lr_of(v2, s->intid);

	if (n >= 0) {
		/* Pending already: coalesce; active: pending again behind it. */
		ich_lr_write(v2, (unsigned int)n, ich_lr_read(v2, (unsigned int)n) | ICH_LR_PENDING);
	} else {
		n = vgic_free_lr(v2);
		if (n < 0)
			return true;
		ich_lr_write_pending(v2, (unsigned int)n, s->intid, s->priority, 0);
	}
	__atomic_store_n(&s->level, false, __ATOMIC_SEQ_CST);
	return false;
}

static __attribute__((noinline)) bool flush_doorbells(bool v2, struct partition_arch *a)
{
	bool waiting = false;

	for (unsigned int i = 1; i < a->vspi_count; i++)
		waiting |= flush_edge(v2, &a->vspi[i]);
	return waiting;
}


bool vgic_vspi_flush(bool v2, struct vcpu *v)
{
	struct partition_arch *a = &v->part->arch;
	bool waiting = false;

	if (v->index != 0 || a->vspi_count == 0)
		return false;
	clear_ended(v2, v);
	if (a->vspi[0].intid != 0)
		waiting = flush_level(v2, &a->vspi[0]);
	if (a->vspi_count > 1)
		waiting |= flush_doorbells(v2, a);
	return waiting;
}


/* Slot @s's list register state (@bit) on vCPU 0's own CPU. */
static bool vspi_in_lr(const struct vcpu *v, const struct vgic_vspi *s, uint64_t bit)
{
	if (v->index != 0)
		return false; /* vCPU 0's list registers are in its CPU */
	bool v2 = ich_v2();
	int n = vgic_lr_of(v2, s->intid);

	return n >= 0 && (ich_lr_read(v2, (unsigned int)n) & bit) != 0;
}

/* One slot's bit or priority byte in distributor register @off. */
static uint64_t slot_read(const struct vcpu *v, const struct vgic_vspi *s, uint64_t off,
			  unsigned int size)
{
	uint64_t word_off = 4 * (s->intid / 32);
	uint32_t bit = 1u << (s->intid % 32);

	if (off >= GICD_ICFGR)
		return s->edge && off == GICD_ICFGR + 4 * (s->intid / 16)
			       ? 2ULL << (2 * (s->intid % 16)) : 0;
	if (off >= GICD_IPRIORITYR) {
		uint64_t first = off - GICD_IPRIORITYR;

		return s->intid >= first && s->intid < first + size
			       ? (uint64_t)s->priority << (8 * (s->intid - first)) : 0;
	}
	if (off == GICD_IGROUPR + word_off)
		return bit;
	if (off == GICD_ISENABLER + word_off || off == GICD_ICENABLER + word_off)
		return __atomic_load_n(&s->enabled, __ATOMIC_SEQ_CST) ? bit : 0;
	/* Pending: the line is high (or a ring latched), or in a list register. */
	if (off == GICD_ISPENDR + word_off || off == GICD_ICPENDR + word_off)
		return __atomic_load_n(&s->level, __ATOMIC_SEQ_CST) ||
			       vspi_in_lr(v, s, ICH_LR_PENDING) ? bit : 0;
	if (off == GICD_ISACTIVER + word_off || off == GICD_ICACTIVER + word_off)
		return vspi_in_lr(v, s, ICH_LR_ACTIVE) ? bit : 0;
	return 0;
}

/* Out of line, so that the registers it needs are saved only for the
 * offsets it answers: most trapped reads are none of them. */
static __attribute__((noinline)) uint64_t slots_read(const struct vcpu *v, uint64_t off,
						     unsigned int size)
{
	const struct partition_arch *a = &v->part->arch;
	uint64_t value = 0;

	for (unsigned int i = 0; i < a->vspi_count; i++) {
		if (a->vspi[i].intid != 0)
			value |= slot_read(v, &a->vspi[i], off, size);
	}
	return value;
}

/* The virtual SPIs' bits or priority bytes in distributor register @off,
 * merged into what the passthrough SPIs show there (they never share an
 * INTID: the configuration refuses that). */
uint64_t vgic_vspi_gicd_read(const struct vcpu *v, uint64_t off, unsigned int size)
{
	/* Most reads (CTLR, TYPER, IROUTER...) are none of their registers. */
	if (off < GICD_IGROUPR || (off >= GICD_IPRIORITYR + 1020 && off < GICD_ICFGR) ||
	    off >= GICD_ICFGR + 0x100)
		return 0;
	return slots_read(v, off, size);
}

/* Enable and priority; a level slot's pending state follows its line, so
 * GICD_I[SC]PENDR change neither kind. */
static void slot_write(const struct vcpu *v, struct vgic_vspi *s, uint64_t off, uint64_t value,
		       unsigned int size)
{
	uint64_t word_off = 4 * (s->intid / 32);
	uint32_t bit = 1u << (s->intid % 32);

	if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + 1020) {
		uint64_t first = off - GICD_IPRIORITYR;

		if (s->intid >= first && s->intid < first + size)
			s->priority = (uint8_t)(value >> (8 * (s->intid - first))) & VGIC_PRIORITY_MASK;
	} else if (off == GICD_ISENABLER + word_off && (value & bit)) {
		__atomic_store_n(&s->enabled, true, __ATOMIC_SEQ_CST);
		if (__atomic_load_n(&s->level, __ATOMIC_SEQ_CST))
			vspi_poke(v->part);
	} else if (off == GICD_ICENABLER + word_off && (value & bit)) {
		/* A pending level one is withdrawn by vCPU 0's next flush. */
		__atomic_store_n(&s->enabled, false, __ATOMIC_SEQ_CST);
	} else {
		/* a register, or a bit, that does not touch this SPI */
	}
}

void vgic_vspi_gicd_write(const struct vcpu *v, uint64_t off, uint64_t value, unsigned int size)
{
	struct partition_arch *a = &v->part->arch;

	for (unsigned int i = 0; i < a->vspi_count; i++) {
		if (a->vspi[i].intid != 0)
			slot_write(v, &a->vspi[i], off, value, size);
	}
}
