// SPDX-License-Identifier: Apache-2.0
/*
 * String and memory functions for the freestanding hypervisor. The host build
 * uses the C library instead; tests/unit checks these against it under other
 * names (see BH_LIBC_PREFIX).
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#ifdef BH_LIBC_PREFIX
#define FN(name) bh_##name
#else
#define FN(name) name
#endif

void *FN(memchr)(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (size_t i = 0; i < n; i++) {
		if (p[i] == (unsigned char)c)
			return (void *)(uintptr_t)(p + i);
	}
	return NULL;
}

int FN(memcmp)(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a;
	const unsigned char *y = b;

	for (size_t i = 0; i < n; i++) {
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	}
	return 0;
}

/* may_alias: these words overlay objects of any type. */
typedef uint64_t __attribute__((may_alias)) word_t;
#define WORD sizeof(word_t)

static bool both_word_aligned(const void *a, const void *b)
{
	return (((uintptr_t)a | (uintptr_t)b) & (WORD - 1)) == 0;
}

void *FN(memcpy)(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	/* Word copies for the aligned bulk: page tables and DT blobs are large. */
	if (both_word_aligned(d, s)) {
		for (; n >= WORD; n -= WORD, d += WORD, s += WORD)
			*(word_t *)(void *)d = *(const word_t *)(const void *)s;
	}
	while (n-- > 0)
		*d++ = *s++;
	return dst;
}

void *FN(memmove)(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d == s || n == 0)
		return dst;
	if (d < s) {
		while (n-- > 0)
			*d++ = *s++;
	} else {
		while (n-- > 0)
			d[n] = s[n];
	}
	return dst;
}

void *FN(memset)(void *s, int c, size_t n)
{
	unsigned char *p = s;

	if (both_word_aligned(p, p)) {
		word_t pattern = 0x0101010101010101ull * (unsigned char)c;

		/* Four words a turn: page tables and libfdt's fdt_create() clear
		 * whole pages and buffers, and boot time is mostly this loop. */
		for (; n >= 4 * WORD; n -= 4 * WORD, p += 4 * WORD) {
			word_t *w = (word_t *)(void *)p;

			w[0] = pattern;
			w[1] = pattern;
			w[2] = pattern;
			w[3] = pattern;
		}
		for (; n >= WORD; n -= WORD, p += WORD)
			*(word_t *)(void *)p = pattern;
	}
	while (n-- > 0)
		*p++ = (unsigned char)c;
	return s;
}

char *FN(strchr)(const char *s, int c)
{
	while (*s != (char)c) {
		if (*s == '\0')
			return NULL;
		s++;
	}
	return (char *)(uintptr_t)s;
}

int FN(strcmp)(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

int FN(strncmp)(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (a[i] != b[i] || a[i] == '\0')
			return (unsigned char)a[i] - (unsigned char)b[i];
	}
	return 0;
}

size_t FN(strlen)(const char *s)
{
	size_t n = 0;

	while (s[n] != '\0')
		n++;
	return n;
}

size_t FN(strnlen)(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n] != '\0')
		n++;
	return n;
}

char *FN(strrchr)(const char *s, int c)
{
	const char *last = NULL;

	while (true) {
		if (*s == (char)c)
			last = s;
		if (*s == '\0')
			return (char *)(uintptr_t)last;
		s++;
	}
}
