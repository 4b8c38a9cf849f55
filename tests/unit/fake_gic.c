// SPDX-License-Identifier: Apache-2.0
/* The fake GICv3 behind the vGIC unit tests (fake_gic.h). */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arch/gic_ich.h>
#include <arch/gic.h>

#include "fake_gic.h"

struct fake_gic fake_gic;

void fake_gic_reset(void)
{
	memset(&fake_gic, 0, sizeof(fake_gic));
}

/* On hardware an access to a list register the CPU lacks is UNDEFINED. */
static void check_lr(unsigned int n)
{
	if (n >= FAKE_ICH_LRS) {
		fprintf(stderr, "fake GIC: access to ICH_LR%u_EL2, which does not exist\n", n);
		abort();
	}
}

static void check_intid(unsigned int intid, unsigned int first)
{
	if (intid < first || intid >= FAKE_GIC_INTIDS) {
		fprintf(stderr, "fake GIC: INTID %u out of range\n", intid);
		abort();
	}
}

bool ich_v2(void)
{
	return false; /* the GICv3 layout; gich.h's translation is tested apart */
}

unsigned int ich_lr_count(bool v2)
{
	(void)v2;
	return FAKE_ICH_LRS;
}

uint64_t ich_lr_read(bool v2, unsigned int n)
{
	(void)v2;
	check_lr(n);
	return fake_gic.lr[n];
}

void ich_lr_write(bool v2, unsigned int n, uint64_t lr)
{
	(void)v2;
	check_lr(n);
	fake_gic.lr[n] = lr;
}

void ich_lr_write_pending(bool v2, unsigned int n, unsigned int intid, uint8_t priority, uint64_t kind)
{
	ich_lr_write(v2, n, ich_lr_pending(intid, priority, kind));
}

/* Ended with its EOI bit asked for (and no HW bit): the LR is neither
 * pending nor active but stays busy until the hypervisor clears it. */
static bool lr_ended_with_eoi(uint64_t lr)
{
	return !(lr & ICH_LR_STATE_MASK) && (lr & ICH_LR_EOI) && !(lr & ICH_LR_HW);
}

/* An LR is empty when it is neither pending nor active, nor ended with EOI. */
uint64_t ich_empty_lrs(bool v2)
{
	(void)v2;
	uint64_t empty = 0;

	for (unsigned int n = 0; n < FAKE_ICH_LRS; n++) {
		if (!(fake_gic.lr[n] & ICH_LR_STATE_MASK) && !lr_ended_with_eoi(fake_gic.lr[n]))
			empty |= 1ull << n;
	}
	return empty;
}

uint64_t ich_eoi_lrs(bool v2)
{
	(void)v2;
	uint64_t ended = 0;

	for (unsigned int n = 0; n < FAKE_ICH_LRS; n++) {
		if (lr_ended_with_eoi(fake_gic.lr[n]))
			ended |= 1ull << n;
	}
	return ended;
}

uint64_t ich_hcr_read(bool v2)
{
	(void)v2;
	return fake_gic.hcr;
}

void ich_hcr_write(bool v2, uint64_t hcr)
{
	(void)v2;
	fake_gic.hcr = hcr;
}

void ich_vmcr_write(bool v2, uint64_t vmcr)
{
	(void)v2;
	fake_gic.vmcr = vmcr;
}

void ich_apr_clear(bool v2)
{
	(void)v2;
	fake_gic.apr_clears++;
}

void ich_sync(bool v2)
{
	(void)v2;
	fake_gic.syncs++;
}

void gic_deactivate(unsigned int intid)
{
	check_intid(intid, 0);
	if (fake_gic.deactivations < FAKE_GIC_MAX_DEACTIVATIONS)
		fake_gic.deactivated[fake_gic.deactivations] = intid;
	fake_gic.deactivations++;
}

void gic_set_ppi_enabled(unsigned int cpu, unsigned int intid, bool enabled)
{
	check_intid(intid, 16);
	if (cpu >= MAX_CPUS || intid >= 32)
		abort();
	fake_gic.ppi_enable_calls++;
	if (enabled)
		fake_gic.ppi_enabled[cpu] |= 1u << intid;
	else
		fake_gic.ppi_enabled[cpu] &= ~(1u << intid);
}

void gic_spi_set_edge(unsigned int intid, bool edge)
{
	check_intid(intid, 32);
	fake_gic.spi_edge[intid] = edge;
}

uint32_t gic_ppi_pending(unsigned int cpu)
{
	if (cpu >= MAX_CPUS)
		abort();
	return fake_gic.ppi_pending[cpu];
}

void gic_spi_route(unsigned int intid, uint64_t mpidr)
{
	check_intid(intid, 32);
	fake_gic.spi_routed[intid] = true;
	fake_gic.spi_route[intid] = mpidr;
}

void gic_spi_enable(unsigned int intid, bool enabled)
{
	check_intid(intid, 32);
	fake_gic.spi_enable_calls[intid]++;
	fake_gic.spi_enabled[intid] = enabled;
}

bool gic_spi_pending(unsigned int intid)
{
	check_intid(intid, 32);
	return fake_gic.spi_pending[intid];
}

bool gic_spi_active(unsigned int intid)
{
	check_intid(intid, 32);
	return fake_gic.spi_active[intid];
}

void gic_spi_set_pending(unsigned int intid, bool pending)
{
	check_intid(intid, 32);
	fake_gic.spi_pending[intid] = pending;
}

void hyp_timer_init(bool usable)
{
	fake_gic.hyp_timer_usable = usable;
}

bool hyp_timer_usable(void)
{
	return fake_gic.hyp_timer_usable;
}

void hyp_timer_set(enum hyp_timer_user user, uint64_t deadline_ns)
{
	if (user == HYP_TIMER_VGIC)
		fake_gic.hyp_timer_deadline = deadline_ns;
}
