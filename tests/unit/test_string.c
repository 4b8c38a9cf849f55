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

TEST(string_memcpy_memset_all_alignments) /* reqs: REQ-LIB-001 */
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

TEST(string_memmove_overlaps) /* reqs: REQ-LIB-001 */
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

TEST(string_compare_and_search) /* reqs: REQ-LIB-001 */
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

TEST(string_memmove_whole_buffer_and_in_place) /* reqs: REQ-LIB-001 */
{
	uint8_t a[48], b[48];

	for (size_t shift = 0; shift < 16; shift++) {
		fill(a, sizeof(a), 5);
		fill(b, sizeof(b), 5);
		CHECK(bh_memmove(a, a + shift, sizeof(a) - shift) == a);
		memmove(b, b + shift, sizeof(b) - shift);
		CHECK(memcmp(a, b, sizeof(a)) == 0);
		CHECK(bh_memmove(a + shift, a, sizeof(a) - shift) == a + shift);
		memmove(b + shift, b, sizeof(b) - shift);
		CHECK(memcmp(a, b, sizeof(a)) == 0);
	}
}

TEST(string_memory_edge_cases) /* reqs: REQ-LIB-001 */
{
	uint8_t a[16], b[16];

	/* Return values, and n = 0 touching nothing. */
	memset(a, 0x11, sizeof(a));
	memset(b, 0x33, sizeof(b));
	CHECK(bh_memcpy(a, b, 0) == a);
	CHECK(bh_memset(a, 0x22, 0) == a);
	CHECK_EQ(a[0], 0x11);
	CHECK_EQ(bh_memcmp(a, b, 0), 0);
	CHECK(bh_memchr(a, 0x11, 0) == NULL);
	/* memset and memchr use only the low byte of c. */
	bh_memset(a, 0x1ab, sizeof(a));
	memset(b, 0xab, sizeof(b));
	CHECK(memcmp(a, b, sizeof(a)) == 0);
	CHECK(bh_memchr(a, 0x3ab, sizeof(a)) == a);
	CHECK(bh_memchr(a, -0x55, sizeof(a)) == a); /* (unsigned char)-0x55 == 0xab */
	/* memcmp is unsigned and looks past the first difference-free bytes. */
	static const uint8_t x[] = {1, 2, 0x80, 4}, y[] = {1, 2, 0x7f, 9};

	for (size_t n = 0; n <= sizeof(x); n++) {
		CHECK_EQ(sign(bh_memcmp(x, y, n)), sign(memcmp(x, y, n)));
		CHECK_EQ(sign(bh_memcmp(y, x, n)), sign(memcmp(y, x, n)));
	}
	/* memchr finds the first of several. */
	static const uint8_t z[] = {9, 0, 9, 0};

	CHECK(bh_memchr(z, 0, sizeof(z)) == &z[1]);
}

TEST(string_str_edge_cases) /* reqs: REQ-LIB-001 */
{
	const char *s = "abcabc";
	static const char hi[] = "a\x80z";

	CHECK_EQ(bh_strlen(""), 0);
	CHECK_EQ(bh_strnlen(s, 0), 0);
	CHECK_EQ(bh_strnlen(s, 6), 6);
	CHECK_EQ(bh_strnlen(s, 7), 6);
	CHECK_EQ(bh_strnlen("", 5), 0);
	CHECK(bh_strchr(s, 'c') == s + 2);
	CHECK(bh_strrchr(s, 'c') == s + 5);
	CHECK(bh_strrchr(s, '\0') == s + 6);
	CHECK(bh_strrchr(s, 'z') == NULL);
	CHECK(bh_strchr("", '\0') != NULL);
	CHECK(bh_strchr(hi, 0x80) == strchr(hi, 0x80));
	CHECK(bh_strchr(hi, 'a' + 256) == hi); /* (char)c */
	CHECK(bh_strrchr(hi, 0x80) == strrchr(hi, 0x80));
	CHECK_EQ(bh_strncmp("abc", "abd", 0), 0);
	CHECK_EQ(bh_strncmp("abc", "abd", 2), 0);
	CHECK_EQ(sign(bh_strncmp("abc", "abd", 3)), -1);
	CHECK_EQ(bh_strncmp("ab", "ab", 100), 0);
	CHECK_EQ(sign(bh_strncmp("ab", "abc", 100)), -1);
	CHECK_EQ(sign(bh_strcmp("abc", "ab")), 1);
	CHECK_EQ(sign(bh_strcmp(hi, "a")), 1);
	CHECK_EQ(sign(bh_strcmp("a\x01", hi)), -1);
	CHECK_EQ(bh_strcmp("", ""), 0);
}
