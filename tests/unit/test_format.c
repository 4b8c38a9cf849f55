// SPDX-License-Identifier: Apache-2.0
/* core/format.c against the host's snprintf. */

#include <stdint.h>
#include <stdlib.h>

#include <bulkhead/console.h>

#include "test.h"

#define SAME(...)                                                             \
	do {                                                                  \
		char ours[128], libc[128];                                    \
		int n1 = bh_snprintf(ours, sizeof(ours), __VA_ARGS__);        \
		int n2 = snprintf(libc, sizeof(libc), __VA_ARGS__);           \
		CHECK_STR(ours, libc);                                        \
		CHECK_EQ(n1, n2);                                             \
	} while (0)

TEST(format_integers)
{
	SAME("%d %i %u", 42, -42, 42u);
	SAME("%d", 0);
	SAME("%lld", (long long)INT64_MIN);
	SAME("%llu", (unsigned long long)UINT64_MAX);
	SAME("%x %X", 0xdeadbeefu, 0xdeadbeefu);
	SAME("%lx", 0x123456789abcdefUL);
	SAME("%zu", (size_t)12345);
	SAME("%ld", -1234567890123L);
}

TEST(format_width_and_flags)
{
	SAME("[%5d]", 42);
	SAME("[%-5d]", 42);
	SAME("[%05d]", -42);
	SAME("[%016llx]", 0xabcull);
	SAME("[%8s]", "abc");
	SAME("[%-8s]", "abc");
	SAME("[%c%c]", 'o', 'k');
	SAME("100%%");
}

TEST(format_string_precision)
{
	SAME("[%.3s]", "abcdef");
	SAME("[%.*s]", 2, "abcdef");
	SAME("[%.*s]", 10, "abc");
	SAME("[%.0s]", "abc");
}

TEST(format_pointer)
{
	char buf[64];
	void *p = (void *)(uintptr_t)0x1234;

	bh_snprintf(buf, sizeof(buf), "%p", p);
	CHECK_STR(buf, "0x0000000000001234");
}

TEST(format_truncation)
{
	char buf[8];
	int n = bh_snprintf(buf, sizeof(buf), "%s", "0123456789");

	CHECK_EQ(n, 10);
	CHECK_STR(buf, "0123456");
	CHECK_EQ(bh_snprintf(NULL, 0, "%d", 12345), 5);
	buf[0] = 'x';
	CHECK_EQ(bh_snprintf(buf, 1, "%d", 7), 1);
	CHECK_EQ(buf[0], '\0');
}
