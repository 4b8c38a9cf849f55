// SPDX-License-Identifier: Apache-2.0
/*
 * The arch-neutral part of the partition runtime (partitions/include/rt_api.h):
 * what the partition's device tree says about it, and counter arithmetic.
 * Built into the runtime of both architectures.
 */

#include <string.h>

#include <libfdt.h>

#include "rt.h"

#define NS_PER_S 1000000000ull

static const void *chosen_prop(const char *name)
{
	int chosen = rt_fdt != NULL ? fdt_path_offset(rt_fdt, "/chosen") : -1;

	return chosen >= 0 ? fdt_getprop(rt_fdt, chosen, name, NULL) : NULL;
}

const char *rt_partition_name(void)
{
	const char *name = chosen_prop("bulkhead,partition");

	return name != NULL ? name : "unknown";
}

uint32_t rt_boot_count(void)
{
	const fdt32_t *v = chosen_prop("bulkhead,boot-count");

	return v != NULL ? fdt32_to_cpu(*v) : 0;
}

const char *rt_bootarg(const char *key, char *buf, size_t size)
{
	const char *p = chosen_prop("bootargs");
	size_t klen = strlen(key);

	while (p != NULL && *p != '\0') {
		size_t n = 0;

		while (p[n] != '\0' && p[n] != ' ')
			n++;
		if (n > klen && strncmp(p, key, klen) == 0 && p[klen] == '=' && n - klen - 1 < size) {
			memcpy(buf, p + klen + 1, n - klen - 1);
			buf[n - klen - 1] = '\0';
			return buf;
		}
		p += n;
		while (*p == ' ')
			p++;
	}
	return NULL;
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 16;
}

/* Like strtoull(s, NULL, 0) for decimal and 0x: digits up to the first
 * that is not one. */
uint64_t rt_bootarg_u64(const char *key, uint64_t fallback)
{
	char buf[32];
	const char *s = rt_bootarg(key, buf, sizeof(buf));
	unsigned int base = 10;
	uint64_t v = 0;

	if (s == NULL)
		return fallback;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	for (; digit_value(*s) < (int)base; s++)
		v = v * base + (unsigned int)digit_value(*s);
	return v;
}

uint64_t rt_ns_to_counts(uint64_t ns)
{
	uint64_t hz = rt_counter_hz();

	return ns / NS_PER_S * hz + ns % NS_PER_S * hz / NS_PER_S;
}

uint64_t rt_counts_to_ns(uint64_t counts)
{
	uint64_t hz = rt_counter_hz();

	return hz != 0 ? counts / hz * NS_PER_S + counts % hz * NS_PER_S / hz : 0;
}

void rt_wait_ns(uint64_t ns)
{
	uint64_t end = rt_counter() + rt_ns_to_counts(ns);

	while (rt_counter() < end)
		rt_wait_event();
}
