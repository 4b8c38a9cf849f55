/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The console's output ring (core/console_ring.c), private to
 * core/console.c: whole lines in, bytes out to the UART as fast as its
 * transmitter takes them, nobody waiting for it.
 */
#ifndef BULKHEAD_CONSOLE_RING_H
#define BULKHEAD_CONSOLE_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <bulkhead/console.h>

#define CONSOLE_RING_SIZE CONSOLE_OUTPUT_RING

/* Forget everything queued (console_init). */
void console_ring_reset(void);

/* Append @len bytes whole, or nothing (false: they do not fit). Writers
 * are serialised by the caller (console_lock); the drainer is not. */
bool console_ring_put(const char *text, size_t len);

/* Free bytes now (at least this many until the next put). */
size_t console_ring_free(void);

/* Bytes queued and not yet taken by the UART. */
size_t console_ring_used(void);

/* Move what the UART takes now from the ring to it, without waiting; a
 * CPU finding another draining leaves it to that one. */
void console_ring_drain(void);

/* Fatal paths: become the only CPU that drains, waiting for a pass in
 * progress on another CPU to end, so that what follows goes out after
 * everything queued before and never between its bytes. */
void console_ring_claim(void);
void console_ring_release(void);

/* With the ring claimed: everything queued out now, waiting on the UART. */
void console_ring_flush_claimed(void);

#endif
