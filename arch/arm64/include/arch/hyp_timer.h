/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The EL2 physical timer (CNTHP_*), shared on each CPU by the hypervisor's
 * users of a deadline: the health watchdog (watchdog.c) and the vGIC's
 * second look at a level-triggered passthrough line (vgic_level.c).
 */
#ifndef ARCH_ARM64_HYP_TIMER_H
#define ARCH_ARM64_HYP_TIMER_H

#include <stdbool.h>
#include <stdint.h>

enum hyp_timer_user {
	HYP_TIMER_WATCHDOG,
	HYP_TIMER_VGIC,
	HYP_TIMER_USERS,
};

/* Whether the timer's interrupt reaches the hypervisor (the DT gives it
 * the PPI the GIC drivers enable); set once at boot. */
void hyp_timer_init(bool usable);
bool hyp_timer_usable(void);

/* The calling CPU's deadline for @user, in arch_time_ns() time (0: none). */
void hyp_timer_set(enum hyp_timer_user user, uint64_t deadline_ns);

/* The timer's interrupt: every user whose deadline passed is called. */
void hyp_timer_interrupt(void);

#endif
