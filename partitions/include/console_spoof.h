/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The console-spoof attack of the hostile-guest suites (arm64:
 * partitions/hostile/attacker.c; x86: partitions/x86/tests/attack.c):
 * bytes aimed at the operator's terminal rather than at the console, sent
 * once through the partition's console UART and once through the
 * CONSOLE_WRITE hypercall. The tests hold the same payloads, each with what
 * it must look like on the console.
 */
#ifndef BULKHEAD_CONSOLE_SPOOF_H
#define BULKHEAD_CONSOLE_SPOOF_H

#include <stdint.h>

/* What was sent by each path: bytes, their FNV-1a hash (the tests compare
 * both with their own copy), and hypercalls that did not succeed. */
struct console_spoof_sent {
	unsigned int bytes;
	uint32_t fnv1a;
	unsigned int call_errors;
};

/* Every payload through the console UART, one byte at a time. */
void console_spoof_uart(struct console_spoof_sent *sent);

/* Every payload through CONSOLE_WRITE, cut into calls of 1, 2, ... 16
 * bytes in turn, so escape and UTF-8 sequences straddle calls. */
void console_spoof_hypercall(struct console_spoof_sent *sent);

#endif
