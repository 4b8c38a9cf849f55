/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The hypervisor console: formatted output serialised line by line over the
 * UART the arch attached. Messages from different CPUs never interleave
 * within a line.
 */
#ifndef BULKHEAD_CONSOLE_H
#define BULKHEAD_CONSOLE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include <bulkhead/compiler.h>
#include <bulkhead/error.h>

/*
 * Find the console UART: /chosen/stdout-path (alias or path, ":options"
 * ignored), else the first enabled node of a compatible the arch drives.
 */
enum bh_err console_init(const void *fdt);

bool console_ready(void);

/* Write through arch_console_write() with no UART from a device tree: for
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

#endif
