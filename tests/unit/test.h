/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A tiny unit-test framework. TEST(name) registers a test at load time;
 * CHECK* record a failure with file:line and values and let the test go on.
 */
#ifndef BULKHEAD_UNIT_TEST_H
#define BULKHEAD_UNIT_TEST_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef void (*test_fn)(void);

void test_register(const char *name, test_fn fn);
void test_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The directory with compiled test DTBs, and a loader for them. */
extern const char *test_dtb_dir;
void *test_load_dtb(const char *name); /* a fresh buffer each call */

struct config_errors;
struct platform;
struct system_config;

/* DTB @dtb (with the console of "console-path") through the platform and
 * configuration parsers, as at boot; the tree, or NULL if either refused. */
/* A system DT's platform parsed (console and DT index set up as at boot),
 * or NULL: for tests that adjust the platform before config_parse(). */
void *test_parse_platform(const char *dtb, struct platform *plat);
const void *test_parse_system(const char *dtb, struct platform *plat, struct system_config *sys,
			      struct config_errors *errors);

#define TEST(name)                                                        \
	static void test_##name(void);                                    \
	__attribute__((constructor)) static void register_##name(void)    \
	{                                                                 \
		test_register(#name, test_##name);                        \
	}                                                                 \
	static void test_##name(void)

#define CHECK(cond)                                                       \
	do {                                                              \
		if (!(cond))                                              \
			test_fail(__FILE__, __LINE__, "CHECK(%s)", #cond); \
	} while (0)

/* Like CHECK, but ends the test: for what the rest of it relies on. */
#define REQUIRE(cond)                                                       \
	do {                                                                \
		if (!(cond)) {                                              \
			test_fail(__FILE__, __LINE__, "REQUIRE(%s)", #cond); \
			return;                                             \
		}                                                           \
	} while (0)

#define CHECK_EQ(a, b)                                                            \
	do {                                                                      \
		long long a_ = (long long)(a), b_ = (long long)(b);               \
		if (a_ != b_)                                                     \
			test_fail(__FILE__, __LINE__, "%s == %s: %lld != %lld", #a, \
				  #b, a_, b_);                                    \
	} while (0)

#define CHECK_STR(a, b)                                                              \
	do {                                                                         \
		const char *a_ = (a), *b_ = (b);                                     \
		if (strcmp(a_, b_) != 0)                                             \
			test_fail(__FILE__, __LINE__, "%s == %s: \"%s\" != \"%s\"", #a, \
				  #b, a_, b_);                                       \
	} while (0)

#define CHECK_CONTAINS(hay, needle)                                                 \
	do {                                                                        \
		const char *h_ = (hay), *n_ = (needle);                             \
		if (strstr(h_, n_) == NULL)                                         \
			test_fail(__FILE__, __LINE__, "\"%s\" not found in:\n%s", n_, h_); \
	} while (0)

#endif
