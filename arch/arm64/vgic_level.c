// SPDX-License-Identifier: Apache-2.0
/*
 * Level-triggered passthrough SPIs: their pending state follows the
 * device's line, as on the hardware, even when the guest ends the
 * interrupt before it clears the device (acknowledge, EOI, then clear: a
 * legal order some RTOSes use).
 *
 * With the HW bit, the guest's EOI would deactivate the physical interrupt
 * while the device still drives it; the GIC would signal it again at once,
 * and EL2 would queue a new pending virtual interrupt that nothing takes
 * back once the guest clears the device a moment later: the handler would
 * run twice. EL2 has no way to see the line fall afterwards (the device is
 * the guest's, its registers are not trapped), and nothing brings the guest
 * back to EL2 before it unmasks interrupts and takes a stale one.
 *
 * So a level SPI goes into its list register with the EOI bit and no HW
 * bit (vgic.c): the physical interrupt stays active, and the guest's end
 * raises the maintenance interrupt (vspi.c hands it here). Then:
 * - line low: the event is over; the physical interrupt is deactivated and
 *   fires again only on the device's next event;
 * - line high: the guest ended it before clearing the device, or the
 *   device has a new event. It stays active (it cannot fire) and the line
 *   is looked at again LEVEL_RECHECK_NS later, on the EL2 timer: high, it
 *   is injected again (a new event, or a handler that did not clear it);
 *   low, it is deactivated and no second delivery happens.
 * A line found still high at that second look is one the guest does not
 * clear by its EOI (a handler that leaves it, a device storming): until an
 * end finds it low, its ends deactivate it at once, as the HW bit would,
 * so such a line interrupts as fast as on the hardware instead of once per
 * recheck period (and a device's new event during the period of an
 * ack-EOI-clear handler costs at most one extra delivery).
 * A guest that clears its device first (Linux's order) finds the line low
 * at its EOI and pays nothing but the maintenance exit; the recheck delays
 * only an interrupt whose line stays high past its end. Without a usable
 * EL2 timer (a DT that gives it another PPI) the interrupt is deactivated
 * at once, as with the HW bit.
 */

#include <bulkhead/arch.h>
#include <bulkhead/partition.h>

#include <arch/gic.h>
#include <arch/gic_ich.h>
#include <arch/guest.h>
#include <arch/hyp_timer.h>

/* Far longer than a handler takes from its EOI to its device's register
 * write, short against any device's event rate worth an interrupt. */
#define LEVEL_RECHECK_NS 50000ULL

void vgic_level_ended(struct vcpu *v, unsigned int i)
{
	struct vgic_spis *spis = &v->part->arch.spis;
	unsigned int intid = spis->intid[i];
	uint64_t bit = 1ULL << i;

	if (!gic_spi_pending(intid)) {
		spis->stays_high &= ~bit;
	} else if (hyp_timer_usable() && (spis->enabled & bit) != 0U &&
		   (spis->stays_high & bit) == 0U) {
		spis->recheck |= bit;
		hyp_timer_set(HYP_TIMER_VGIC, arch_time_ns() + LEVEL_RECHECK_NS);
		return;
	} else {
		/* Disabled, no timer, or a line the guest leaves high. */
	}
	gic_deactivate(intid);
}

void vgic_level_timer(struct vcpu *v)
{
	if (v == NULL || v->index != 0U)
		return; /* the partition stopped: its reset deactivated them */
	struct vgic_spis *spis = &v->part->arch.spis;
	bool v2 = ich_v2();

	for (uint64_t set = spis->recheck; set != 0U; set &= set - 1U) {
		unsigned int i = (unsigned int)__builtin_ctzll(set);

		spis->recheck &= ~(1ULL << i);
		if (((spis->enabled >> i) & 1U) != 0U && gic_spi_pending(spis->intid[i])) {
			spis->stays_high |= 1ULL << i;
			vgic_spi_inject(v2, v, i);
		} else {
			gic_deactivate(spis->intid[i]);
		}
	}
}
