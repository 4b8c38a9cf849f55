// SPDX-License-Identifier: Apache-2.0
/*
 * vLPIs into list registers (docs/passthrough.md, "MSI"). An LPI has no
 * active state and no physical twin to deactivate, so it goes in without
 * the HW bit: pending, group 1, the priority the guest's configuration
 * table gave it. One already pending in a list register is not added again
 * (LPIs are edge-triggered: two that arrive before the guest takes the
 * first are one interrupt, as on the hardware). With every list register
 * taken, or from another CPU (an INT command of a vCPU for another, an LPI
 * moved while in flight), it waits in a short per-vCPU set of slots that
 * any CPU fills with a compare-and-swap, and the flush before the vCPU
 * next enters its guest moves it in (arming the underflow interrupt while
 * some still wait). With all slots taken it is dropped: a guest with more
 * than VGIC_MAX_WAITING_LPIS vLPIs in flight at once on one vCPU beyond
 * its list registers loses some. Host-built with vgic.c: the unit tests
 * drive it.
 */

#include <bulkhead/partition.h>

#include <arch/gic_ich.h>
#include <arch/guest.h>

#define SLOT_INTID 0xffffu
#define SLOT_PRIO_SHIFT 16

static bool in_lrs(bool v2, unsigned int intid)
{
	int n = vgic_lr_of(v2, intid);

	return n >= 0 && (ich_lr_read(v2, (unsigned int)n) & ICH_LR_PENDING) != 0u;
}

static bool try_lr(bool v2, unsigned int intid, uint8_t priority)
{
	int n = vgic_free_lr(v2);

	if (n < 0)
		return false;
	ich_lr_write(v2, (unsigned int)n, ICH_LR_PENDING | ICH_LR_GROUP1 |
		     (uint64_t)(priority & VGIC_PRIORITY_MASK) << ICH_LR_PRIORITY_SHIFT | intid);
	return true;
}

bool vgic_lpi_post(struct vcpu *v, unsigned int intid, uint8_t priority)
{
	uint32_t want = (uint32_t)intid | (uint32_t)priority << SLOT_PRIO_SHIFT;

	for (unsigned int i = 0; i < VGIC_MAX_WAITING_LPIS; i++) {
		uint32_t seen = __atomic_load_n(&v->arch.lpi_slot[i], __ATOMIC_SEQ_CST);

		if ((seen & SLOT_INTID) == intid)
			return true; /* already waiting: one interrupt */
		if (seen == 0u && __atomic_compare_exchange_n(&v->arch.lpi_slot[i], &seen, want, false,
							      __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
			__atomic_fetch_add(&v->arch.lpi_count, 1u, __ATOMIC_SEQ_CST);
			return true;
		}
	}
	return false;
}

bool vgic_lpi_inject(struct vcpu *v, unsigned int intid, uint8_t priority)
{
	bool v2 = ich_v2();

	if (in_lrs(v2, intid))
		return true;
	if (try_lr(v2, intid, priority)) {
		ich_sync(v2);
		return true;
	}
	return vgic_lpi_post(v, intid, priority);
}

bool vgic_lpi_flush(bool v2, struct vcpu *v)
{
	unsigned int kept = 0;

	/* Cleared before the look: a post after it counts again. */
	__atomic_store_n(&v->arch.lpi_count, 0u, __ATOMIC_SEQ_CST);
	for (unsigned int i = 0; i < VGIC_MAX_WAITING_LPIS; i++) {
		uint32_t slot = __atomic_load_n(&v->arch.lpi_slot[i], __ATOMIC_SEQ_CST);
		unsigned int intid = slot & SLOT_INTID;

		if (slot == 0u)
			continue;
		if (in_lrs(v2, intid) || try_lr(v2, intid, (uint8_t)(slot >> SLOT_PRIO_SHIFT)))
			__atomic_store_n(&v->arch.lpi_slot[i], 0u, __ATOMIC_SEQ_CST);
		else
			kept++;
	}
	if (kept != 0u)
		__atomic_fetch_add(&v->arch.lpi_count, kept, __ATOMIC_SEQ_CST);
	return kept != 0u;
}

void vgic_lpi_forget(struct vcpu *v, unsigned int intid)
{
	for (unsigned int i = 0; i < VGIC_MAX_WAITING_LPIS; i++) {
		uint32_t slot = __atomic_load_n(&v->arch.lpi_slot[i], __ATOMIC_SEQ_CST);

		if (slot != 0u && (intid == 0u || (slot & SLOT_INTID) == intid))
			(void)__atomic_compare_exchange_n(&v->arch.lpi_slot[i], &slot, 0u, false,
							  __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	}
}
