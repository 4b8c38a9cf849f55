// SPDX-License-Identifier: Apache-2.0
/* core/libc/string.c (built as bh_*) against the host C library. */

#include <stdint.h>

#include "test.h"

void *bh_memcpy(void *d, const void *s, size_t n);
void *bh_memmove(void *d, const void *s, size_t n);
void *bh_memset(void *s, int c, size_t n);
int bh_memcmp(const void *a, const void *b, size_t n);
void *bh_memchr(const void *s, int c, size_t n);
size_t bh_strlen(const char *s);
size_t bh_strnlen(const char *s, size_t n);
char *bh_strchr(const char *s, int c);
char *bh_strrchr(const char *s, int c);
int bh_strcmp(const char *a, const char *b);
int bh_strncmp(const char *a, const char *b, size_t n);

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

static void fill(uint8_t *p, size_t n, unsigned int seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(seed * 31 + i * 7);
}

TEST(string_memcpy_memset_all_alignments)
{
	uint8_t src[64], a[64], b[64];

	fill(src, sizeof(src), 1);
	for (size_t so = 0; so < 8; so++) {
		for (size_t dof = 0; dof < 8; dof++) {
			for (size_t n = 0; n <= 40; n++) {
				memset(a, 0xaa, sizeof(a));
				memset(b, 0xaa, sizeof(b));
				bh_memcpy(a + dof, src + so, n);
				memcpy(b + dof, src + so, n);
				CHECK(memcmp(a, b, sizeof(a)) == 0);
				bh_memset(a + dof, (int)n, n);
				memset(b + dof, (int)n, n);
				CHECK(memcmp(a, b, sizeof(a)) == 0);
			}
		}
	}
}

TEST(string_memmove_overlaps)
{
	uint8_t a[64], b[64];

	for (int shift = -9; shift <= 9; shift++) {
		for (size_t n = 0; n <= 30; n++) {
			fill(a, sizeof(a), 3);
			fill(b, sizeof(b), 3);
			bh_memmove(a + 16 + shift, a + 16, n);
			memmove(b + 16 + shift, b + 16, n);
			CHECK(memcmp(a, b, sizeof(a)) == 0);
		}
	}
}

TEST(string_compare_and_search)
{
	const char *words[] = {"", "a", "ab", "abc", "abd", "b", "\xff"};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		for (size_t j = 0; j < sizeof(words) / sizeof(words[0]); j++) {
			CHECK_EQ(sign(bh_strcmp(words[i], words[j])), sign(strcmp(words[i], words[j])));
			CHECK_EQ(sign(bh_strncmp(words[i], words[j], 2)),
				 sign(strncmp(words[i], words[j], 2)));
			CHECK_EQ(sign(bh_memcmp(words[i], words[j], 1)),
				 sign(memcmp(words[i], words[j], 1)));
		}
	}
	const char *s = "hello, world";

	CHECK_EQ(bh_strlen(s), strlen(s));
	CHECK_EQ(bh_strnlen(s, 4), 4);
	CHECK_EQ(bh_strnlen(s, 100), strlen(s));
	CHECK(bh_strchr(s, 'o') == strchr(s, 'o'));
	CHECK(bh_strrchr(s, 'o') == strrchr(s, 'o'));
	CHECK(bh_strchr(s, '\0') == strchr(s, '\0'));
	CHECK(bh_strchr(s, 'z') == NULL);
	CHECK(bh_memchr(s, 'w', strlen(s)) == memchr(s, 'w', strlen(s)));
	CHECK(bh_memchr(s, 'w', 5) == NULL);
}
