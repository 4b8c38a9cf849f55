/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Ticket spinlock. Waiters sleep in arch_wait_event() (WFE on arm64) and the
 * releaser wakes them with arch_send_event() (SEV), so a contended lock costs
 * no bus traffic and, under QEMU's icount, no busy instructions.
 *
 * Lock order (the only place it is written down), outermost first:
 *   partition.lock -> a partition's uart_lock -> the console's input lock
 *   (core/vuart.c) -> console_lock
 * console_lock and the GIC's icfgr_lock are leaves: nothing is taken while
 * holding either. A partition's flash_lock (its CFI flash banks,
 * arch/arm64/vflash.c) is taken with no other lock held, and takes only
 * console_lock (a log line).
 */
#ifndef BULKHEAD_SPINLOCK_H
#define BULKHEAD_SPINLOCK_H

#include <stdint.h>

#include <bulkhead/arch.h>

struct spinlock {
	uint16_t next;
	uint16_t owner;
};

#define SPINLOCK_INIT {0, 0}

static inline void spin_lock(struct spinlock *lock)
{
	uint16_t ticket = __atomic_fetch_add(&lock->next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&lock->owner, __ATOMIC_ACQUIRE) != ticket)
		arch_wait_event();
}

static inline void spin_unlock(struct spinlock *lock)
{
	__atomic_store_n(&lock->owner, (uint16_t)(lock->owner + 1), __ATOMIC_RELEASE);
	arch_send_event();
}

#endif
