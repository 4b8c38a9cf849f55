// SPDX-License-Identifier: Apache-2.0
/*
 * The health watchdog left out of the build (HEALTH=n, docs/building.md):
 * replaces watchdog.c. No partition has a watchdog (the property is
 * refused), so the EL2 physical timer is never armed; should its interrupt
 * come anyway, the timer is turned off rather than left to fire again.
 */

#include <bulkhead/partition.h>

#include <arch/arm64.h>
#include <arch/sysreg.h>

void arm64_watchdog_start(const struct vcpu *v)
{
	(void)v;
}

void arm64_watchdog_interrupt(void)
{
	write_sysreg(cnthp_ctl_el2, 0);
}
