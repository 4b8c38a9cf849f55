// SPDX-License-Identifier: Apache-2.0
/*
 * The hypervisor console. Output is formatted into a per-call buffer and
 * written under console_lock so lines from different CPUs never interleave.
 */

#include <stdarg.h>
#include <string.h>

#include <libfdt.h>

#include <bulkhead/arch.h>
#include <bulkhead/console.h>
#include <bulkhead/dt.h>
#include <bulkhead/platform.h>
#include <bulkhead/spinlock.h>

#define LOG_LINE_MAX 256
#define NO_OWNER (~0u)

static bool attached;
static int attached_node = -1;
static const char *source = "none";
static struct spinlock console_lock = SPINLOCK_INIT;
static unsigned int holder = NO_OWNER; /* CPU inside console_lock */

/* Resolve /chosen/stdout-path: "serial0:115200n8" or "/pl011@9000000". */
static int stdout_path_node(const void *fdt)
{
	int chosen = dt_path_offset(fdt, "/chosen", 7);
	int len;

	if (chosen < 0)
		return -FDT_ERR_NOTFOUND;
	const char *path = fdt_getprop(fdt, chosen, "stdout-path", &len);

	if (path == NULL)
		path = fdt_getprop(fdt, chosen, "linux,stdout-path", &len);
	if (path == NULL || len <= 1)
		return -FDT_ERR_NOTFOUND;

	const char *colon = memchr(path, ':', (size_t)len);
	int name_len = colon != NULL ? (int)(colon - path) : (int)strnlen(path, (size_t)len);

	return dt_path_offset(fdt, path, name_len);
}

enum bh_err console_init(const void *fdt)
{
	int node = stdout_path_node(fdt);

	attached = false;
	attached_node = -1;
	source = "none";
	if (node >= 0 && arch_console_attach(fdt, node) == BH_OK) {
		attached_node = node;
		source = "/chosen/stdout-path";
		attached = true;
		return BH_OK;
	}
	for (const char *const *compat = arch_console_compatibles; *compat != NULL; compat++) {
		for (node = dt_node_by_compatible(fdt, -1, *compat); node >= 0;
		     node = dt_node_by_compatible(fdt, node, *compat)) {
			if (fdt_node_enabled(fdt, node) && arch_console_attach(fdt, node) == BH_OK) {
				attached_node = node;
				source = "first enabled UART (no usable /chosen/stdout-path)";
				attached = true;
				return BH_OK;
			}
		}
	}
	return BH_ERR_NOT_FOUND;
}

void console_attach_headless(const char *what)
{
	attached = true;
	attached_node = -1;
	source = what;
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

/* UARTs want CR LF; callers write plain '\n'. */
static void write_crlf(const char *buf, size_t len)
{
	size_t start = 0;

	for (size_t i = 0; i < len; i++) {
		if (buf[i] != '\n')
			continue;
		arch_console_write(buf + start, i - start);
		arch_console_write("\r\n", 2);
		start = i + 1;
	}
	arch_console_write(buf + start, len - start);
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

	if (__atomic_load_n(&holder, __ATOMIC_RELAXED) == me)
		return;
	spin_lock(&console_lock);
	__atomic_store_n(&holder, me, __ATOMIC_RELAXED);
}

void console_emergency_end(void)
{
	__atomic_store_n(&holder, NO_OWNER, __ATOMIC_RELAXED);
	spin_unlock(&console_lock);
}

void log_vprintf(const char *fmt, va_list ap)
{
	char line[LOG_LINE_MAX];
	int n = bh_vsnprintf(line, sizeof(line), fmt, ap);
	size_t len = n < (int)sizeof(line) ? (size_t)n : sizeof(line) - 1;
	unsigned int me = arch_cpu_index();

	if (!attached)
		return;
	if (__atomic_load_n(&holder, __ATOMIC_RELAXED) == me) {
		write_crlf(line, len);
		return;
	}
	spin_lock(&console_lock);
	__atomic_store_n(&holder, me, __ATOMIC_RELAXED);
	write_crlf(line, len);
	__atomic_store_n(&holder, NO_OWNER, __ATOMIC_RELAXED);
	spin_unlock(&console_lock);
}

void log_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vprintf(fmt, ap);
	va_end(ap);
}
