// SPDX-License-Identifier: Apache-2.0
/*
 * The hypervisor console. The UART is the one /chosen/stdout-path names,
 * driven by the driver its compatible chooses (drivers/uart); a named UART
 * that cannot be driven is refused, never swapped for another. Output is
 * formatted into a per-call buffer and appended whole to the output ring
 * (core/console_ring.c) under console_lock, so lines from different CPUs
 * never interleave and no CPU running a partition waits for the UART: what
 * does not fit is dropped, counted and reported with the next line that
 * fits. A CPU that runs no vCPU (boot, the free CPU) waits for room
 * instead, so nothing the hypervisor says before partitions run is lost.
 * Fatal paths (console_emergency_begin) write synchronously.
 */

#include <stdarg.h>
#include <string.h>

#include <libfdt.h>

#include <bulkhead/arch.h>
#include <bulkhead/console.h>
#include <bulkhead/dt.h>
#include <bulkhead/platform.h>
#include <bulkhead/spinlock.h>
#include <uart/uart.h>

#include "console_ring.h"

#define LOG_LINE_MAX 256
#define NO_OWNER (~0u)

static bool attached;
static int attached_node = -1;
static const char *source = "none";
static struct uart console_uart;
static char refusal[192];
static struct spinlock console_lock = SPINLOCK_INIT;
static unsigned int holder = NO_OWNER; /* CPU inside console_lock */
static uint64_t guest_cpus;            /* bit n: CPU n runs a vCPU */
static unsigned int dropped;           /* lines lost to a full ring */
static unsigned int unreported;        /* of them, not yet reported */

/* Resolve /chosen/stdout-path: "serial0:115200n8" or "/pl011@9000000".
 * -FDT_ERR_NOTFOUND: no such property; -FDT_ERR_BADPATH: it names no node
 * (@refusal says so). */
static int stdout_path_node(const void *fdt)
{
	int chosen = dt_path_offset(fdt, "/chosen", 7);
	int len;

	if (chosen < 0)
		return -FDT_ERR_NOTFOUND;
	const char *prop = "stdout-path";
	const char *path = dt_getprop(fdt, chosen, prop, &len);

	if (path == NULL) {
		prop = "linux,stdout-path";
		path = dt_getprop(fdt, chosen, prop, &len);
	}
	if (path == NULL || len <= 1)
		return -FDT_ERR_NOTFOUND;

	const char *colon = memchr(path, ':', (size_t)len);
	int name_len = colon != NULL ? (int)(colon - path) : (int)strnlen(path, (size_t)len);
	int node = dt_path_offset(fdt, path, name_len);

	if (node < 0) {
		(void)bh_snprintf(refusal, sizeof(refusal),
				  "/chosen: property '%s': \"%.*s\" names no node (nor alias)", prop,
				  name_len, path);
		return -FDT_ERR_BADPATH;
	}
	return node;
}

static enum bh_err attach(const void *fdt, int node, const char *from)
{
	enum bh_err err = arch_console_attach(fdt, node, &console_uart);

	if (err != BH_OK) {
		char path[128];

		(void)bh_snprintf(refusal, sizeof(refusal), "%s: compatible \"%s\": the port cannot map it",
				  fdt_path_or_unknown(fdt, node, path, sizeof(path)),
				  console_uart.compatible);
		return err;
	}
	console_ring_reset();
	attached_node = node;
	source = from;
	attached = true;
	return BH_OK;
}

enum bh_err console_choose(const void *fdt, struct uart *u, int *node, const char **from)
{
	*node = stdout_path_node(fdt);
	if (*node >= 0) {
		*from = "/chosen/stdout-path";
		return uart_select(fdt, *node, u, refusal, sizeof(refusal));
	}
	if (*node == -FDT_ERR_BADPATH)
		return BH_ERR_NOT_FOUND;
	/* No stdout-path: the first enabled UART a driver takes, by the
	 * drivers' order. */
	for (unsigned int i = 0; uart_compatible(i) != NULL; i++) {
		const char *compat = uart_compatible(i);

		for (int n = dt_node_by_compatible(fdt, -1, compat); n >= 0;
		     n = dt_node_by_compatible(fdt, n, compat)) {
			char why[8];

			if (fdt_node_enabled(fdt, n) && uart_select(fdt, n, u, why, sizeof(why)) == BH_OK) {
				*node = n;
				*from = "first enabled UART (no /chosen/stdout-path)";
				return BH_OK;
			}
		}
	}
	(void)bh_snprintf(refusal, sizeof(refusal),
			  "/chosen: no property 'stdout-path', and no enabled UART has a console driver");
	return BH_ERR_NOT_FOUND;
}

enum bh_err console_init(const void *fdt)
{
	const char *from = "none";
	int node;

	attached = false;
	attached_node = -1;
	source = "none";
	guest_cpus = 0;
	dropped = 0;
	unreported = 0;
	TRY(console_choose(fdt, &console_uart, &node, &from));
	return attach(fdt, node, from);
}

const char *console_refusal(void)
{
	return refusal;
}

void console_attach_headless(const char *what)
{
	attached = true;
	attached_node = -1;
	source = what;
	(void)memset(&console_uart, 0, sizeof(console_uart));
	console_ring_reset();
}

int console_node(void)
{
	return attached_node;
}

bool console_ready(void)
{
	return attached;
}

const char *console_source(void)
{
	return source;
}

const char *console_driver_name(void)
{
	return console_uart.drv != NULL ? console_uart.drv->name : "none";
}

uint64_t console_base(void)
{
	return console_uart.base;
}

void console_cpu_runs_vcpu(unsigned int cpu_index)
{
	if (cpu_index < 64u)
		(void)__atomic_fetch_or(&guest_cpus, (uint64_t)1 << cpu_index, __ATOMIC_RELAXED);
}

unsigned int console_dropped_lines(void)
{
	return __atomic_load_n(&dropped, __ATOMIC_RELAXED);
}

void console_drain_pending(void)
{
	console_ring_drain();
}

void console_flush(void)
{
	console_ring_claim();
	console_ring_flush_claimed();
	console_ring_release();
}

/* UARTs want CR LF; callers write plain '\n'. The result's length. */
static size_t to_crlf(const char *in, size_t len, char *out)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		if (in[i] == '\n') {
			out[n] = '\r';
			n++;
		}
		out[n] = in[i];
		n++;
	}
	return n;
}

/* Fatal paths (the ring claimed by console_emergency_begin): straight
 * out, after whatever was queued before. */
static void write_sync(const char *buf, size_t len)
{
	size_t done = 0;

	console_ring_flush_claimed();
	while (done < len)
		done += arch_console_tx(&buf[done], len - done);
}

/* With console_lock held: report drops first if the report and the line
 * both fit; false if the line does not. */
static bool put_line(const char *text, size_t len)
{
	char note[80];

	if (unreported != 0u) {
		int n = bh_snprintf(note, sizeof(note),
				    "console: %u line(s) dropped, the output ring was full\r\n",
				    unreported);

		if ((size_t)n + len > console_ring_free())
			return false;
		(void)console_ring_put(note, (size_t)n);
		unreported = 0;
	}
	return console_ring_put(text, len);
}

void console_emergency_begin(void)
{
	/*
	 * A CPU that faulted inside log_vprintf() already holds console_lock;
	 * waiting for it would hang this CPU and every later printer, so the
	 * dead context's hold is taken over instead. Either way the caller ends
	 * up holding the lock exactly once.
	 */
	unsigned int me = arch_cpu_index();

	if (__atomic_load_n(&holder, __ATOMIC_RELAXED) != me) {
		spin_lock(&console_lock);
		__atomic_store_n(&holder, me, __ATOMIC_RELAXED);
	}
	/* What others queued comes out first, and all of it: the machine or
	 * this CPU may stop right after. No other CPU drains until the end:
	 * the report's lines go out whole, after everything queued before. */
	console_ring_claim();
	console_ring_flush_claimed();
}

void console_emergency_end(void)
{
	console_ring_release();
	__atomic_store_n(&holder, NO_OWNER, __ATOMIC_RELAXED);
	spin_unlock(&console_lock);
}

void log_vprintf(const char *fmt, va_list ap)
{
	char line[LOG_LINE_MAX];
	char out[2 * LOG_LINE_MAX];
	int n = bh_vsnprintf(line, sizeof(line), fmt, ap);
	size_t len = to_crlf(line, n < (int)sizeof(line) ? (size_t)n : sizeof(line) - 1, out);
	unsigned int me = arch_cpu_index();
	bool may_wait = me >= 64u ||
			(__atomic_load_n(&guest_cpus, __ATOMIC_RELAXED) & ((uint64_t)1 << me)) == 0u;

	if (!attached)
		return;
	if (__atomic_load_n(&holder, __ATOMIC_RELAXED) == me) {
		write_sync(out, len);
		return;
	}
	for (;;) {
		spin_lock(&console_lock);
		__atomic_store_n(&holder, me, __ATOMIC_RELAXED);
		bool put = put_line(out, len);

		if (!put && !may_wait) {
			dropped++;
			unreported++;
		}
		__atomic_store_n(&holder, NO_OWNER, __ATOMIC_RELAXED);
		spin_unlock(&console_lock);
		console_ring_drain();
		if (put || !may_wait)
			return;
		/* A CPU without partitions waits for room: the UART is
		 * sending, and this wait costs no partition anything. */
	}
}

void log_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vprintf(fmt, ap);
	va_end(ap);
}
