// SPDX-License-Identifier: Apache-2.0
/*
 * The pending and active state of a partition's passthrough SPIs, as its
 * distributor shows and changes them (GICD_ISPENDR, ICPENDR, ISACTIVER,
 * ICACTIVER from word 1, INTID 32, on; the same offsets on a GICv2 and a
 * GICv3). The state lives in three places, combined here:
 *
 * - the physical distributor: pending until EL2 acknowledges the interrupt
 *   (for a level one, while its line is high, even while the guest has it
 *   disabled), then active while the guest has it;
 * - the list registers of vCPU 0's CPU (every SPI is delivered to vCPU 0):
 *   pending, active, or both, as the guest's own view;
 * - EL2's own: held (acknowledged, waiting for a free list register: to the
 *   guest, pending) and recheck (ended while its line was high: pending if
 *   the line still is, which the physical pending bit shows).
 *
 * Pending reads as the physical pending bit, or held, or pending in a list
 * register. Active reads as active in a list register; a vCPU other than
 * vCPU 0 cannot see vCPU 0's list registers, and reads the physical active
 * bit of one EL2 has handed to the guest instead (which also counts one
 * still only pending in a list register).
 *
 * Writes: ISPENDR and ICPENDR go to the physical distributor (a level
 * interrupt whose line is high stays pending, as the architecture says);
 * ICPENDR also takes back one only pending in a list register or held, and
 * deactivates it in the GIC, which signals it again if it is still pending.
 * ICACTIVER ends an active one as its EOI would. ISACTIVER is ignored:
 * activating a passthrough interrupt the guest has not taken would leave
 * the physical one active with no list register to end it.
 */

#include <bulkhead/partition.h>

#include <arch/gic.h>
#include <arch/gic_ich.h>
#include <arch/guest.h>

#define GICD_ISPENDR 0x0200u
#define GICD_ICPENDR 0x0280u
#define GICD_ISACTIVER 0x0300u
#define GICD_ICACTIVER 0x0380u
#define GICD_STATE_END 0x0400u

/* Is @off in words 1-31 of one of the four registers? */
static bool state_word(uint64_t off)
{
	return off >= GICD_ISPENDR && off < GICD_STATE_END && (off & 0x7fu) >= 4u;
}

/* @intid's list register state bits on this CPU (0 if none holds it). */
static uint64_t spi_lr_state(bool v2, unsigned int intid)
{
	int n = vgic_lr_of(v2, intid);

	return n >= 0 ? ich_lr_read(v2, (unsigned int)n) & ICH_LR_STATE_MASK : 0u;
}

uint64_t vgic_spi_state_read(const struct vcpu *v, uint64_t off)
{
	if (!state_word(off))
		return 0;
	const struct vgic_spis *spis = &v->part->arch.spis;
	unsigned int word = (unsigned int)(off & 0x7fu) / 4u;
	bool active = off >= GICD_ISACTIVER;
	bool own = v->index == 0U;
	bool v2 = ich_v2();
	uint32_t bits = 0;

	for (unsigned int i = 0; i < spis->count; i++) {
		unsigned int intid = spis->intid[i];
		bool kept = (((spis->held | spis->recheck) >> i) & 1u) != 0u;
		bool set;

		if (intid / 32u != word)
			continue;
		if (active)
			set = own ? (spi_lr_state(v2, intid) & ICH_LR_ACTIVE) != 0u
				  : (!kept && gic_spi_active(intid));
		else
			set = ((spis->held >> i) & 1u) != 0u || gic_spi_pending(intid) ||
			      (own && (spi_lr_state(v2, intid) & ICH_LR_PENDING) != 0u);
		if (set)
			bits |= 1u << (intid % 32u);
	}
	return bits;
}

/* Take @i out of the list registers if it is only pending there (@want
 * ICH_LR_PENDING; also out of held), or active (ICH_LR_ACTIVE, and maybe
 * pending too); true if it was. */
static bool take_back(bool v2, struct vgic_spis *spis, unsigned int i, uint64_t want)
{
	int n = vgic_lr_of(v2, spis->intid[i]);
	bool taken = false;

	uint64_t state = n >= 0 ? ich_lr_read(v2, (unsigned int)n) & ICH_LR_STATE_MASK : 0u;

	if (want == ICH_LR_PENDING ? state == want : (state & want) != 0u) {
		ich_lr_write(v2, (unsigned int)n, 0);
		ich_sync(v2);
		taken = true;
	}
	if (want == ICH_LR_PENDING && ((spis->held >> i) & 1u) != 0u) {
		spis->held &= ~(1ULL << i);
		taken = true;
	}
	return taken;
}

void vgic_spi_state_write(struct vcpu *v, uint64_t off, uint64_t value)
{
	if (!state_word(off) || (off >= GICD_ISACTIVER && off < GICD_ICACTIVER))
		return; /* not these registers, or ISACTIVER (above) */
	struct vgic_spis *spis = &v->part->arch.spis;
	unsigned int word = (unsigned int)(off & 0x7fu) / 4u;
	bool own = v->index == 0U;
	bool v2 = ich_v2();
	uint32_t bits = (uint32_t)value;

	for (unsigned int i = 0; i < spis->count; i++) {
		unsigned int intid = spis->intid[i];

		if (intid / 32u != word || ((bits >> (intid % 32u)) & 1u) == 0u)
			continue;
		if (off < GICD_ICPENDR) {
			gic_spi_set_pending(intid, true);
		} else if (off < GICD_ISACTIVER) {
			gic_spi_set_pending(intid, false);
			if (own && take_back(v2, spis, i, ICH_LR_PENDING))
				gic_deactivate(intid);
		} else if (own && take_back(v2, spis, i, ICH_LR_ACTIVE)) {
			if (((spis->edge >> i) & 1u) != 0u)
				gic_deactivate(intid);
			else
				vgic_level_ended(v, i);
		} else {
			/* ICACTIVER of one not active here: nothing to end */
		}
	}
}
