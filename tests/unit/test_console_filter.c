// SPDX-License-Identifier: Apache-2.0
/* core/console_filter.c and its use by core/vuart.c: what a partition's
 * bytes become on the operator's terminal. */

#include <string.h>

#include <arch/fake.h>
#include <bulkhead/console.h>
#include <bulkhead/console_filter.h>
#include <bulkhead/hypercall.h>
#include <bulkhead/partition.h>

#include "test.h"

/* @len bytes through a fresh filter; the text, with "|" where a line ends. */
static const char *filtered(const void *bytes, size_t len)
{
	static char buf[1024];
	struct console_filter f;
	struct console_filter_out out;
	size_t n = 0;

	console_filter_reset(&f);
	for (size_t i = 0; i < len; i++) {
		console_filter_byte(&f, ((const uint8_t *)bytes)[i], &out);
		if (out.len > CONSOLE_FILTER_OUT_MAX || n + out.len + 2 > sizeof(buf)) {
			test_fail(__FILE__, __LINE__, "output of byte %zu: %u bytes", i, out.len);
			break;
		}
		memcpy(&buf[n], out.text, out.len);
		n += out.len;
		if (out.end_line)
			buf[n++] = '|';
	}
	buf[n] = '\0';
	return buf;
}

#define FILTERED(s) filtered((s), sizeof(s) - 1)

/* Nothing a terminal obeys: no C0 but TAB, no DEL, no byte from 0x80 up
 * but in well-formed UTF-8 that is not a C1 or bidi control. Checked by
 * decoding, independently of the filter's own tables. */
static bool inert(const char *s)
{
	const uint8_t *p = (const uint8_t *)s;

	while (*p != 0) {
		unsigned int n = *p >= 0xf0 ? 4 : *p >= 0xe0 ? 3 : *p >= 0xc0 ? 2 : 1;
		uint32_t cp = n == 1 ? *p : *p & (0x7fu >> n);

		if (n == 1 && (*p >= 0x80 || (*p < 0x20 && *p != '\t') || *p == 0x7f))
			return false;
		for (unsigned int i = 1; i < n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (p[i] & 0x3fu);
		}
		if (cp < (n == 1 ? 0u : n == 2 ? 0x80u : n == 3 ? 0x800u : 0x10000u) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x80 && cp <= 0x9f) ||
		    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
			return false;
		p += n;
	}
	return true;
}

TEST(console_filter_every_byte_alone) /* reqs: REQ-ISO-008 */
{
	char want[8];

	for (unsigned int c = 0; c < 256; c++) {
		/* Each byte, then an 'x' that shows what it left pending. */
		const uint8_t in[2] = {(uint8_t)c, 'x'};
		const char *got = filtered(in, 2);

		if (c == '\n')
			strcpy(want, "|x");
		else if (c == '\r')
			strcpy(want, "^Mx");
		else if (c == '\t' || (c >= 0x20 && c < 0x7f))
			snprintf(want, sizeof(want), "%cx", (char)c);
		else if (c < 0x20 || c == 0x7f)
			snprintf(want, sizeof(want), "^%cx", (char)(c ^ 0x40));
		else
			snprintf(want, sizeof(want), "\\x%02xx", c);
		if (strcmp(got, want) != 0)
			test_fail(__FILE__, __LINE__, "byte 0x%02x: \"%s\", want \"%s\"", c, got, want);
		CHECK(inert(got));
	}
	CHECK_STR(FILTERED("\x1b"), "^[");
	CHECK_STR(FILTERED("\x7f"), "^?");
	CHECK_STR(FILTERED("\x00"), "^@");
	CHECK_STR(FILTERED("\x9b"), "\\x9b");
}

TEST(console_filter_every_pair_is_inert) /* reqs: REQ-ISO-008 */
{
	/* The oracle itself refuses what a terminal would obey. */
	CHECK(!inert("\x1b") && !inert("\r") && !inert("\x7f") && !inert("\x9b"));
	CHECK(!inert("\xc2\x9b") && !inert("\xe2\x80\xae") && !inert("\xc0\xaf"));
	CHECK(inert("\t\xc3\xa9\xf0\x9f\x98\x80"));
	/* Every two-byte input and every lead byte with every continuation:
	 * whatever comes out, a terminal has nothing to obey in it. */
	for (unsigned int a = 0; a < 256; a++) {
		for (unsigned int b = 0; b < 256; b++) {
			const uint8_t in[3] = {(uint8_t)a, (uint8_t)b, 0x80};

			if (!inert(filtered(in, 2)) || !inert(filtered(in, 3))) {
				test_fail(__FILE__, __LINE__, "0x%02x 0x%02x: \"%s\"", a, b,
					  filtered(in, 3));
				return;
			}
		}
	}
}

TEST(console_filter_line_ends) /* reqs: REQ-ISO-008 */
{
	CHECK_STR(FILTERED("a\nb"), "a|b");
	CHECK_STR(FILTERED("a\r\nb"), "a|b");
	CHECK_STR(FILTERED("a\r\r\nb"), "a|b"); /* CR CR LF, as some ttys send */
	CHECK_STR(FILTERED("abc\rXY\n"), "abc^MXY|");
	CHECK_STR(FILTERED("\r[victim] mem CORRUPT\n"), "^M[victim] mem CORRUPT|");
	CHECK_STR(FILTERED("\b\b\b\b\b\b\b\b\bpartition victim: stopping"),
		  "^H^H^H^H^H^H^H^H^Hpartition victim: stopping");
	CHECK_STR(FILTERED("col\tumn"), "col\tumn");
}

TEST(console_filter_escape_sequences_shown) /* reqs: REQ-ISO-008 */
{
	CHECK_STR(FILTERED("\x1b[2K\x1b[1G"), "^[[2K^[[1G");             /* erase, column 1 */
	CHECK_STR(FILTERED("\x1b[31mred\x1b[0m"), "^[[31mred^[[0m");     /* colour too */
	CHECK_STR(FILTERED("\x1b[6n\x1b[c\x05"), "^[[6n^[[c^E");         /* DSR, DA, ENQ */
	CHECK_STR(FILTERED("\x1b]0;title\x07"), "^[]0;title^G");         /* OSC, BEL */
	CHECK_STR(FILTERED("\x9b" "6n"), "\\x9b6n");                      /* 8-bit CSI */
	CHECK_STR(FILTERED("\xc2\x9b" "6n"), "\\xc2\\x9b6n");             /* U+009B */
}

TEST(console_filter_utf8) /* reqs: REQ-ISO-008 */
{
	CHECK_STR(FILTERED("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
		  "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	CHECK_STR(FILTERED("\xc2\xa0\xdf\xbf\xe0\xa0\x80\xef\xbf\xbd\xf4\x8f\xbf\xbf"),
		  "\xc2\xa0\xdf\xbf\xe0\xa0\x80\xef\xbf\xbd\xf4\x8f\xbf\xbf"); /* edges */
	CHECK_STR(FILTERED("\xc0\xaf"), "\\xc0\\xaf");                  /* overlong '/' */
	CHECK_STR(FILTERED("\xe0\x80\xaf"), "\\xe0\\x80\\xaf");         /* overlong, 3 bytes */
	CHECK_STR(FILTERED("\xf0\x8f\xbf\xbf"), "\\xf0\\x8f\\xbf\\xbf"); /* overlong, 4 */
	CHECK_STR(FILTERED("\xed\xa0\x80"), "\\xed\\xa0\\x80");         /* a surrogate */
	CHECK_STR(FILTERED("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80"); /* past U+10FFFF */
	CHECK_STR(FILTERED("\xf5\x80"), "\\xf5\\x80");
	CHECK_STR(FILTERED("\xe2\x82z"), "\\xe2\\x82z");                /* cut short */
	CHECK_STR(FILTERED("\xe2\x82\n"), "\\xe2\\x82|");
	CHECK_STR(FILTERED("\xe2\x82\x1b"), "\\xe2\\x82^[");
	CHECK_STR(FILTERED("\xf0\x9f\x98\xc3\xa9"), "\\xf0\\x9f\\x98\xc3\xa9");
	/* C1 and bidirectional controls: well-formed, refused. */
	CHECK_STR(FILTERED("\xc2\x80\xc2\x9f"), "\\xc2\\x80\\xc2\\x9f");
	CHECK_STR(FILTERED("\xe2\x80\xae" "evil"), "\\xe2\\x80\\xae" "evil"); /* U+202E */
	CHECK_STR(FILTERED("\xe2\x81\xa6\xe2\x81\xa9"), "\\xe2\\x81\\xa6\\xe2\\x81\\xa9");
	CHECK_STR(FILTERED("\xe2\x80\xa9\xe2\x81\xaa"), "\xe2\x80\xa9\xe2\x81\xaa"); /* neighbours pass */
	/* The worst case fills the output exactly. */
	CHECK_STR(FILTERED("\xf0\x9f\x98\xff"), "\\xf0\\x9f\\x98\\xff");
}

/* A partition of one vCPU named "p", whose lines go to the fake console. */
static struct partition_config p_cfg = {.name = "p", .cpu_count = 1};
static struct partition p_part = {.cfg = &p_cfg};
static struct vcpu p_vcpu = {.part = &p_part};

static void vuart_start(void)
{
	CHECK_EQ(console_init(test_load_dtb("console-path")), BH_OK);
	memset(&p_vcpu.out, 0, sizeof(p_vcpu.out));
	console_filter_reset(&p_vcpu.out.filter);
	fake_console_reset();
}

static void vuart_write(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		vuart_putc(&p_vcpu, s[i]);
}

TEST(console_filter_sequences_split_across_writes) /* reqs: REQ-ISO-008 */
{
	vuart_start();
	vuart_write("a\r", 2);
	vuart_write("\n", 1);
	vuart_write("\xe2", 1);
	vuart_write("\x82", 1);
	vuart_write("\xac\r", 2);
	vuart_write("z\xe2\x80", 3);
	vuart_write("\xae\n", 2);
	CHECK_STR(fake_console_output(),
		  "[p] a\r\n[p] \xe2\x82\xac^Mz\\xe2\\x80\\xae\r\n");
}

TEST(console_filter_long_lines) /* reqs: REQ-ISO-008 */
{
	char line[400];
	char want[200];

	/* 119 characters, then ESC: "^[" does not fit, so it starts the next
	 * line whole. */
	vuart_start();
	memset(line, 'a', 119);
	line[119] = '\x1b';
	line[120] = '\n';
	vuart_write(line, 121);
	snprintf(want, sizeof(want), "[p] %.119s\r\n[p] ^[\r\n", line);
	CHECK_STR(fake_console_output(), want);

	/* 300 ESCs: lines of 60 "^[", each with the prefix. */
	vuart_start();
	memset(line, '\x1b', 300);
	vuart_write(line, 300);
	vuart_write("\n", 1);
	const char *out = fake_console_output();
	unsigned int lines = 0;

	for (const char *l = out; *l != '\0'; lines++) {
		const char *end = strstr(l, "\r\n");

		REQUIRE(end != NULL);
		CHECK(strncmp(l, "[p] ", 4) == 0);
		CHECK(end - l - 4 <= (long)VUART_LINE_MAX);
		CHECK(end - l - 4 == 120 || (lines == 5 && end - l - 4 == 0));
		l = end + 2;
	}
	CHECK_EQ(lines, 6); /* 5 full lines (each flushed when full), then the LF's empty one */

	/* A 4-byte character never straddles two lines. */
	vuart_start();
	memset(line, 'b', 118);
	memcpy(&line[118], "\xf0\x9f\x98\x80\n", 5);
	vuart_write(line, 123);
	snprintf(want, sizeof(want), "[p] %.118s\r\n[p] \xf0\x9f\x98\x80\r\n", line);
	CHECK_STR(fake_console_output(), want);
}

TEST(console_filter_hypercall_path) /* reqs: REQ-ISO-008 REQ-HYP-001 */
{
	struct partition_config cfg = {.name = "hc", .cpu_count = 1};
	struct partition part = {.cfg = &cfg};
	struct vcpu v = {.part = &part};
	struct vcpu *vcpus[1] = {&v};
	uint64_t r[4];
	uint64_t a1, a2;

	memcpy(part.vcpus, vcpus, sizeof(vcpus));
	CHECK_EQ(console_init(test_load_dtb("console-path")), BH_OK);
	fake_console_reset();
	memcpy(&a1, "\x1b[2K\r[vi", 8);
	memcpy(&a2, "ctim] x\n", 8);
	const struct hypercall c = {.fn = BH_HYPERCALL_CONSOLE_WRITE, .arg = {16, a1, a2},
				    .caller = &part, .vcpu = 0};

	hypercall_dispatch(&c, r);
	CHECK_EQ(r[0], BH_HC_SUCCESS);
	CHECK_STR(fake_console_output(), "[hc] ^[[2K^M[victim] x\r\n");
}
