// SPDX-License-Identifier: Apache-2.0
/*
 * Neutralising a partition's console output: what passes, what is shown
 * instead of obeyed, and why, is in <bulkhead/console_filter.h>. The
 * filter sees one byte at a time and keeps what it cannot judge yet (an
 * unfinished UTF-8 sequence, CRs that an LF may follow) in its state.
 */

#include <bulkhead/console_filter.h>

static void put(struct console_filter_out *out, char c)
{
	/* CONSOLE_FILTER_OUT_MAX is the worst case; never write past it. */
	if (out->len < CONSOLE_FILTER_OUT_MAX) {
		out->text[out->len] = c;
		out->len++;
	}
}

/* "\xNN": a byte the terminal must not see, made visible. */
static void put_hex(struct console_filter_out *out, uint8_t c)
{
	static const char digits[] = "0123456789abcdef";

	put(out, '\\');
	put(out, 'x');
	put(out, digits[c >> 4]);
	put(out, digits[c & 0xfu]);
}

/* Caret notation for C0 controls and DEL, as `cat -v` shows them. */
static void put_caret(struct console_filter_out *out, uint8_t c)
{
	put(out, '^');
	put(out, (char)(uint8_t)(c ^ 0x40u));
}

/* The sequence gathered so far, shown byte by byte; the filter forgets it. */
static void refuse_sequence(struct console_filter *f, struct console_filter_out *out)
{
	for (unsigned int i = 0; i < f->have; i++)
		put_hex(out, f->seq[i]);
	f->have = 0;
	f->need = 0;
}

/* RFC 3629's table of well-formed sequences: the second byte's range
 * depends on the lead (no overlongs, no surrogates, nothing past
 * U+10FFFF); every later byte is 0x80-0xbf. */
static bool continues(const struct console_filter *f, uint8_t c)
{
	uint8_t lo = 0x80u;
	uint8_t hi = 0xbfu;

	if (f->have == 1u) {
		switch (f->seq[0]) {
		case 0xe0u:
			lo = 0xa0u;
			break;
		case 0xedu:
			hi = 0x9fu;
			break;
		case 0xf0u:
			lo = 0x90u;
			break;
		case 0xf4u:
			hi = 0x8fu;
			break;
		default:
			break;
		}
	}
	return c >= lo && c <= hi;
}

static uint32_t code_point(const struct console_filter *f)
{
	static const uint8_t lead_mask[5] = {0u, 0u, 0x1fu, 0x0fu, 0x07u};
	uint32_t cp = (uint32_t)f->seq[0] & lead_mask[f->need];

	for (unsigned int i = 1; i < f->need; i++)
		cp = (cp << 6) | ((uint32_t)f->seq[i] & 0x3fu);
	return cp;
}

/*
 * Well-formed, but a terminal may obey it: the C1 controls (some terminals
 * take U+009B as CSI) and the bidirectional controls that reorder what
 * follows on the line.
 */
static bool refused_code_point(uint32_t cp)
{
	return (cp >= 0x80u && cp <= 0x9fu) || (cp >= 0x202au && cp <= 0x202eu) ||
	       (cp >= 0x2066u && cp <= 0x2069u);
}

/* The next byte of a UTF-8 sequence (f->need != 0). False if it does not
 * continue it: the sequence was shown and c is still to be judged. */
static bool continue_sequence(struct console_filter *f, uint8_t c, struct console_filter_out *out)
{
	if (!continues(f, c)) {
		refuse_sequence(f, out);
		return false;
	}
	f->seq[f->have] = c;
	f->have++;
	if (f->have < f->need)
		return true;
	if (refused_code_point(code_point(f))) {
		refuse_sequence(f, out);
	} else {
		for (unsigned int i = 0; i < f->have; i++)
			put(out, (char)f->seq[i]);
		f->have = 0;
		f->need = 0;
	}
	return true;
}

/* A byte from 0x80 up that starts no sequence of its own is shown. */
static void start_sequence(struct console_filter *f, uint8_t c, struct console_filter_out *out)
{
	uint8_t need = 0;

	if (c >= 0xc2u && c <= 0xdfu)
		need = 2;
	else if (c >= 0xe0u && c <= 0xefu)
		need = 3;
	else if (c >= 0xf0u && c <= 0xf4u)
		need = 4;
	else
		put_hex(out, c); /* a stray continuation, C0/C1 (overlong), F5-FF */
	if (need != 0u) {
		f->seq[0] = c;
		f->have = 1;
		f->need = need;
	}
}

void console_filter_reset(struct console_filter *f)
{
	f->have = 0;
	f->need = 0;
	f->cr = false;
}

void console_filter_byte(struct console_filter *f, uint8_t c, struct console_filter_out *out)
{
	out->len = 0;
	out->end_line = false;
	if (f->need != 0u && continue_sequence(f, c, out))
		return;
	if (c == (uint8_t)'\n') {
		f->cr = false;
		out->end_line = true;
		return;
	}
	if (c == (uint8_t)'\r') {
		f->cr = true;
		return;
	}
	/* CRs without an LF would put the cursor back over the prefix. */
	if (f->cr) {
		f->cr = false;
		put_caret(out, (uint8_t)'\r');
	}
	if (c == (uint8_t)'\t' || (c >= 0x20u && c < 0x7fu))
		put(out, (char)c);
	else if (c < 0x20u || c == 0x7fu)
		put_caret(out, c);
	else
		start_sequence(f, c, out);
}
