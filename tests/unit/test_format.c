// SPDX-License-Identifier: Apache-2.0
/* core/format.c against the host's snprintf. */

#include <stdint.h>
#include <stdlib.h>
#include <sys/types.h>

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

TEST(format_integers) /* reqs: REQ-LIB-001 */
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

TEST(format_width_and_flags) /* reqs: REQ-LIB-001 */
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

TEST(format_string_precision) /* reqs: REQ-LIB-001 */
{
	SAME("[%.3s]", "abcdef");
	SAME("[%.*s]", 2, "abcdef");
	SAME("[%.*s]", 10, "abc");
	SAME("[%.0s]", "abc");
}

TEST(format_pointer) /* reqs: REQ-LIB-001 */
{
	char buf[64];
	void *p = (void *)(uintptr_t)0x1234;

	bh_snprintf(buf, sizeof(buf), "%p", p);
	CHECK_STR(buf, "0x0000000000001234");
}

TEST(format_truncation) /* reqs: REQ-LIB-001 */
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

TEST(format_negative_numbers_and_limits) /* reqs: REQ-LIB-001 */
{
	SAME("%d %i", (int)INT32_MIN, (int)INT32_MAX);
	SAME("%d|%i", -1, -987654321);
	SAME("%u %x %X", 0xffffffffu, 0u, 0u);
	SAME("%ld %lu", (long)INT64_MIN, (unsigned long)UINT64_MAX);
	SAME("%lli %llx", (long long)INT64_MIN, (unsigned long long)INT64_MIN);
	SAME("%lld %lld", (long long)INT64_MAX, -1LL);
	SAME("%zd %zx %zu", (ssize_t)-5, (size_t)SIZE_MAX, (size_t)0);
	SAME("%X", 0xabcdefu);
}

TEST(format_flags_with_negatives_and_widths) /* reqs: REQ-LIB-001 */
{
	SAME("[%8d]", -123);
	SAME("[%-8d]", -123);
	SAME("[%08d]", -123);
	SAME("[%2d]", -123);   /* width smaller than the number */
	SAME("[%020lld]", (long long)INT64_MIN);
	SAME("[%-6x|%06X]", 0xbeefu, 0xbeefu);
	SAME("[%5u|%-5u|%05u]", 7u, 7u, 7u);
	SAME("[%3c|%-3c]", 'a', 'b');
	SAME("[%10.3s|%-10.3s]", "abcdef", "abcdef");
	SAME("[%0d]", 5);
	SAME("%d%s%c%x%%%u", 1, "two", '3', 4u, 5u);
	SAME("no conversions at all");
	SAME("%s", "");
}

TEST(format_pointer_and_null_string) /* reqs: REQ-LIB-001 */
{
	char buf[64];
	const char *volatile none = NULL;

	bh_snprintf(buf, sizeof(buf), "%p", (void *)(uintptr_t)0xffff000012345678ull);
	CHECK_STR(buf, "0xffff000012345678");
	bh_snprintf(buf, sizeof(buf), "[%p]", (void *)NULL);
	CHECK_STR(buf, "[0x0000000000000000]");
	bh_snprintf(buf, sizeof(buf), "[%s]", none);
	CHECK_STR(buf, "[(null)]");
}

/* Every buffer size from 0 to past the full length: same bytes written
 * (including where the terminator lands), same return value. */
#define SWEEP(...)                                                              \
	do {                                                                    \
		char ours[96], libc[96];                                        \
		int full = snprintf(NULL, 0, __VA_ARGS__);                      \
		for (size_t size = 0; size <= (size_t)full + 2 && size <= sizeof(ours); \
		     size++) {                                                  \
			memset(ours, '#', sizeof(ours));                        \
			memset(libc, '#', sizeof(libc));                        \
			CHECK_EQ(bh_snprintf(ours, size, __VA_ARGS__), full);   \
			CHECK_EQ(snprintf(libc, size, __VA_ARGS__), full);      \
			if (memcmp(ours, libc, sizeof(ours)) != 0)              \
				test_fail(__FILE__, __LINE__, "size %zu: \"%.*s\" != \"%.*s\"", \
					  size, (int)size, ours, (int)size, libc); \
		}                                                               \
	} while (0)

TEST(format_truncation_at_every_size) /* reqs: REQ-LIB-001 */
{
	SWEEP("%s", "0123456789");
	SWEEP("%d", -2147483647 - 1);
	SWEEP("[%-8d|%08x]", -42, 0xabcu);
	SWEEP("%lld", (long long)INT64_MIN);
	SWEEP("%5s%%%c", "ab", 'z');
	SWEEP("x");
	SWEEP("%s", "");
}

TEST(format_size_zero_writes_nothing) /* reqs: REQ-LIB-001 */
{
	char buf[4] = {'a', 'b', 'c', 'd'};

	CHECK_EQ(bh_snprintf(buf, 0, "%s-%d", "hello", -1), 8);
	CHECK(memcmp(buf, "abcd", 4) == 0);
	CHECK_EQ(bh_snprintf(NULL, 0, "%lld", (long long)INT64_MIN), 20);
	CHECK_EQ(bh_snprintf(buf, 2, "%x", 0x1234u), 4);
	CHECK_STR(buf, "1");
}
