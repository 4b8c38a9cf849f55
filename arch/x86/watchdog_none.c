// SPDX-License-Identifier: Apache-2.0
/*
 * The health watchdog left out of the build (HEALTH=n, docs/building.md):
 * replaces watchdog.c. No partition has a watchdog (the property is
 * refused): nothing to arm, nothing to check on a timer interrupt.
 */

#include <bulkhead/partition.h>

#include <arch/x86.h>

void x86_watchdog_start(const struct vcpu *v)
{
	(void)v;
}

void x86_watchdog_check(void)
{
}
