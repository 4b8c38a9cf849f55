/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The hypervisor console: formatted output serialised line by line into an
 * output ring that the UART drains (core/console_ring.c). Messages from
 * different CPUs never interleave within a line, and a CPU running a
 * partition never waits for the UART.
 */
#ifndef BULKHEAD_CONSOLE_H
#define BULKHEAD_CONSOLE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <bulkhead/compiler.h>
#include <bulkhead/error.h>

/*
 * Find the console UART: the node /chosen/stdout-path names (alias or path,
 * ":options" ignored), which must have a driver (drivers/uart); without
 * stdout-path, the first enabled UART that has one. On failure nothing is
 * attached and console_refusal() says why, by node and compatible.
 */
enum bh_err console_init(const void *fdt);

struct uart;
/* The UART console_init() would take on @fdt, by the same rules, chosen
 * into @u without touching it (another machine's tree may be checked):
 * its @node and, in @from, how it was found; on failure
 * console_refusal() says why. */
enum bh_err console_choose(const void *fdt, struct uart *u, int *node, const char **from);

/* Bytes of console output queued for the UART at most; a power of two. */
#define CONSOLE_OUTPUT_RING 8192u

/* Why console_init() failed: "<node>: compatible "<c>": <what>". */
const char *console_refusal(void);

/* The attached UART's driver name ("none" headless) and address. */
const char *console_driver_name(void);
uint64_t console_base(void);

/* CPU @cpu_index runs a vCPU from now on: its console writes never wait for
 * the UART (a line that does not fit in the ring is dropped and counted). */
void console_cpu_runs_vcpu(unsigned int cpu_index);

/* Lines dropped because the output ring was full. */
unsigned int console_dropped_lines(void);

/* The output ring's free-running indices (core/console_ring.c): the head
 * is the writer's, the tail the drainer's; equal when nothing is queued. */
extern uint32_t console_ring_head;
extern uint32_t console_ring_tail;

void console_drain_pending(void);

/* Move queued output to the UART as far as it takes it now; never waits.
 * Called on every console write and from the ports' interrupt and idle
 * paths: inline, so that on every interrupt a guest takes an empty ring
 * costs two loads, not calls. */
static inline __attribute__((always_inline)) void console_drain(void)
{
	if (__atomic_load_n(&console_ring_head, __ATOMIC_RELAXED) !=
	    __atomic_load_n(&console_ring_tail, __ATOMIC_RELAXED))
		console_drain_pending();
}

/* Everything queued out now, waiting on the UART: before a halt. */
void console_flush(void);

bool console_ready(void);

/* Write through arch_console_tx() with no UART from a device tree: for
 * host tools, whose "UART" is standard output. */
void console_attach_headless(const char *what);

/* Where the console was found, for the boot report. */
const char *console_source(void);

/* DT offset of the console UART node (negative before console_init). */
int console_node(void);

/* printf-style output; one call is written atomically. */
void log_printf(const char *fmt, ...) PRINTF_LIKE(1, 2);
void log_vprintf(const char *fmt, va_list ap);

/*
 * For fatal paths: take the console even if this CPU faulted while holding
 * it, and keep it until console_emergency_end().
 */
void console_emergency_begin(void);
void console_emergency_end(void);

/* Freestanding vsnprintf: %d %i %u %x %X %p %s %c %%, with 0/- flags,
 * width, precision for %s (".N" or ".*"), and l/ll/z length modifiers.
 * Returns the untruncated length. */
int bh_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int bh_snprintf(char *buf, size_t size, const char *fmt, ...) PRINTF_LIKE(3, 4);

/* The console's status table, one line per partition (console_status.c;
 * with CONSOLE_STATUS=n, a line saying the build has none). */
void console_status_print(void);

#endif
