// SPDX-License-Identifier: Apache-2.0
/*
 * The console's output ring. Writers (serialised by console_lock) copy a
 * whole line in and leave: the UART's line rate (about 87 us a character
 * at 115200 baud) is never paid by a CPU running a partition's vCPU.
 * One CPU at a time (the drainer) drains it into the transmitter while the transmitter
 * has room, and stops when it has none; the next console write, physical
 * interrupt or idle wake-up on any CPU carries on. Head and tail run free
 * (modulo 2^32): the writer owns the head, the drainer the tail.
 *
 * The ring's bytes come from the hypervisor's page pool when the console
 * attaches, not from .bss: 8 KiB less in the image (docs/building.md).
 * Until then (or if the pool is not there yet: a refusal before the MMU is
 * on) a line goes to the UART directly, as it would on a fatal path.
 */

#include <string.h>

#include <bulkhead/arch.h>

#include "console_ring.h"

static char *ring; /* CONSOLE_RING_SIZE bytes, or NULL: write through */
/* Read by console_drain() (console.h) on every physical interrupt. */
uint32_t console_ring_head;
uint32_t console_ring_tail;

void console_ring_reset(void)
{
	if (ring == NULL)
		ring = arch_boot_alloc(CONSOLE_RING_SIZE);
	__atomic_store_n(&console_ring_tail, __atomic_load_n(&console_ring_head, __ATOMIC_ACQUIRE),
			 __ATOMIC_RELEASE);
}

size_t console_ring_used(void)
{
	uint32_t used = __atomic_load_n(&console_ring_head, __ATOMIC_ACQUIRE) -
			__atomic_load_n(&console_ring_tail, __ATOMIC_ACQUIRE);

	return (size_t)used;
}

size_t console_ring_free(void)
{
	return CONSOLE_RING_SIZE - console_ring_used();
}

bool console_ring_put(const char *text, size_t len)
{
	uint32_t h = __atomic_load_n(&console_ring_head, __ATOMIC_RELAXED);
	size_t done = 0;

	if (len > console_ring_free())
		return false;
	if (ring == NULL) {
		while (done < len)
			done += arch_console_tx(&text[done], len - done);
		return true;
	}
	while (done < len) {
		uint32_t at = (h + (uint32_t)done) % CONSOLE_RING_SIZE;
		size_t chunk = (size_t)CONSOLE_RING_SIZE - (size_t)at;

		if (chunk > len - done)
			chunk = len - done;
		(void)memcpy(&ring[at], &text[done], chunk);
		done += chunk;
	}
	/* The drainer reads the bytes only after it sees the new head. */
	__atomic_store_n(&console_ring_head, h + (uint32_t)len, __ATOMIC_RELEASE);
	return true;
}

/* One pass: false when the UART took less than was offered. */
static bool drain_pass(void)
{
	for (;;) {
		uint32_t t = __atomic_load_n(&console_ring_tail, __ATOMIC_RELAXED);
		uint32_t h = __atomic_load_n(&console_ring_head, __ATOMIC_ACQUIRE);

		if (t == h)
			return true;
		uint32_t at = t % CONSOLE_RING_SIZE;
		uint32_t queued = h - t;
		size_t chunk = (size_t)CONSOLE_RING_SIZE - (size_t)at;

		if (chunk > (size_t)queued)
			chunk = (size_t)queued;
		size_t taken = arch_console_tx(&ring[at], chunk);

		/* The writer reuses the bytes only after it sees the new tail. */
		__atomic_store_n(&console_ring_tail, t + (uint32_t)taken, __ATOMIC_RELEASE);
		if (taken < chunk)
			return false;
	}
}

/*
 * The right to move bytes from the ring to the UART: one CPU at a time, or
 * two would send the same bytes or interleave them. Held briefly by a
 * drain pass, and for the whole of a fatal report by console_emergency_*.
 */
#define NO_DRAINER UINT32_MAX
static uint32_t drainer = NO_DRAINER;
/* CPUs waiting in console_ring_claim(): a release wakes them. */
static uint32_t claim_waiters;

static bool try_claim(uint32_t me)
{
	uint32_t none = NO_DRAINER;

	return __atomic_compare_exchange_n(&drainer, &none, me, false, __ATOMIC_SEQ_CST,
					   __ATOMIC_RELAXED);
}

void console_ring_release(void)
{
	__atomic_store_n(&drainer, NO_DRAINER, __ATOMIC_SEQ_CST);
	/* Ordered after the store (both SEQ_CST, as in console_ring_claim):
	 * a waiter either sees the ring free or is counted here. */
	if (__atomic_load_n(&claim_waiters, __ATOMIC_SEQ_CST) != 0u)
		arch_send_event();
}

void console_ring_drain(void)
{
	uint32_t me = arch_cpu_index();
	bool emptied;

	do {
		/* A CPU finding another draining leaves the ring to it. */
		if (console_ring_used() == 0 || !try_claim(me))
			return;
		emptied = drain_pass();
		console_ring_release();
		/* A line put after the pass found the ring empty, while this
		 * CPU still held it, was left to this CPU: look again. */
	} while (emptied && console_ring_used() != 0);
}

void console_ring_claim(void)
{
	uint32_t me = arch_cpu_index();

	/* This CPU faulted inside its own drain pass (in arch_console_tx):
	 * that pass is over for good, the ring is this CPU's already. */
	if (__atomic_load_n(&drainer, __ATOMIC_SEQ_CST) == me)
		return;
	(void)__atomic_fetch_add(&claim_waiters, 1u, __ATOMIC_SEQ_CST);
	/* Another CPU's pass is bounded (it never waits on the UART) and it
	 * sends an event on release. */
	while (!try_claim(me))
		arch_wait_event();
	(void)__atomic_fetch_sub(&claim_waiters, 1u, __ATOMIC_SEQ_CST);
}

void console_ring_flush_claimed(void)
{
	while (!drain_pass())
		;
}
