// SPDX-License-Identifier: Apache-2.0
/*
 * The console-spoof payloads (partitions/include/console_spoof.h): what a
 * partition could use to drive the operator's terminal if its bytes reached
 * it raw. Each payload is one line; the tests' table (tests/qemu/
 * test_hostile.py, SPOOF) must list the same ones in the same order.
 */

#include <stddef.h>
#include <stdio.h>

#include "console_spoof.h"
#include "rt.h"

#define CONSOLE_WRITE 0xc6000003u /* docs/hypercalls.md: x1 count, x2-x3 bytes */
#define FNV_OFFSET 2166136261u
#define FNV_PRIME 16777619u

struct payload {
	const char *bytes;
	size_t len;
};

#define PAYLOAD(s) {s, sizeof(s) - 1}

static const struct payload payloads[] = {
	/* Back over its own prefix, then a forged line of the victim's. */
	PAYLOAD("\b\b\b\b\b\b\b\b\b\b\b[victim] victim: memory CORRUPT\n"),
	PAYLOAD("\r[victim] victim: memory CORRUPT\n"),
	/* Erase the line, column 1, cursor up, home: a forged hypervisor line. */
	PAYLOAD("\x1b[2K\x1b[1Gpartition victim: stopping\n"),
	PAYLOAD("\x1b[1A\x1bM\x1b[Hpartition victim: stopped\n"),
	/* Terminal queries whose answers would be typed into the console input. */
	PAYLOAD("\x1b[6n\x1b[c\x05\x1b[>c\n"),
	/* Window title, clipboard (OSC 52), colour and concealed text. */
	PAYLOAD("\x1b]0;owned\x07\x1b]52;c;aGk=\x1b\\\n"),
	PAYLOAD("\x1b[31mred\x1b[8mhidden\x1b[0m\n"),
	/* 8-bit CSI raw and as U+009B, DCS, DEL, NUL. */
	PAYLOAD("\x9b" "6n\xc2\x9b" "6n\x1bP+q\x1b\\\x7f\x00\n"),
	/* A bidi override, invalid, overlong and surrogate UTF-8, valid UTF-8. */
	PAYLOAD("\xe2\x80\xae" "evil\xe2\x80\xac \xff\xfe\xc0\xaf\xed\xa0\x80 caf\xc3\xa9 \xe2\x82\xac\n"),
	/* CR CR LF is a plain line end. */
	PAYLOAD("tail\r\r\n"),
	PAYLOAD("\a\t|\v\f|\x0e\x0f\x18\x1a\x1c\n"),
};

static void count(struct console_spoof_sent *sent, char c)
{
	sent->bytes++;
	sent->fnv1a = (sent->fnv1a ^ (uint8_t)c) * FNV_PRIME;
}

void console_spoof_uart(struct console_spoof_sent *sent)
{
	*sent = (struct console_spoof_sent){.fnv1a = FNV_OFFSET};
	for (size_t p = 0; p < sizeof(payloads) / sizeof(payloads[0]); p++) {
		for (size_t i = 0; i < payloads[p].len; i++) {
			printf("%c", payloads[p].bytes[i]);
			count(sent, payloads[p].bytes[i]);
		}
	}
}

static void write_call(struct console_spoof_sent *sent, const uint8_t *buf, unsigned int len)
{
	uint64_t words[2] = {0, 0};
	uint64_t res[4];

	for (unsigned int i = 0; i < len; i++)
		words[i / 8] |= (uint64_t)buf[i] << (8 * (i % 8));
	rt_bulkhead_call(CONSOLE_WRITE, len, words[0], words[1], res);
	if (res[0] != 0)
		sent->call_errors++;
}

void console_spoof_hypercall(struct console_spoof_sent *sent)
{
	uint8_t buf[16];
	unsigned int have = 0, want = 1;

	*sent = (struct console_spoof_sent){.fnv1a = FNV_OFFSET};
	for (size_t p = 0; p < sizeof(payloads) / sizeof(payloads[0]); p++) {
		for (size_t i = 0; i < payloads[p].len; i++) {
			buf[have++] = (uint8_t)payloads[p].bytes[i];
			count(sent, payloads[p].bytes[i]);
			if (have == want) {
				write_call(sent, buf, have);
				have = 0;
				want = want % 16 + 1;
			}
		}
	}
	if (have != 0)
		write_call(sent, buf, have);
}
