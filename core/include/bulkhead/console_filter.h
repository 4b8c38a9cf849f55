/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The filter every byte a partition writes to the console goes through
 * (its virtual UART on either port, the CONSOLE_WRITE hypercall), before it
 * reaches the operator's terminal. A partition must not be able to drive
 * that terminal: move the cursor back over its "[name] " prefix, forge
 * another partition's or the hypervisor's lines, retitle the window, or
 * make the terminal answer a query into the console input.
 *
 * What passes as it is: printable ASCII, TAB, and well-formed UTF-8 (RFC
 * 3629: no overlong forms, no surrogates, nothing above U+10FFFF) except
 * the C1 controls U+0080-U+009F and the bidirectional embedding, override
 * and isolate controls (U+202A-U+202E, U+2066-U+2069). LF ends the line,
 * and so does CR LF (any run of CRs before the LF). Everything else is
 * shown, not obeyed and not dropped, so the operator sees that something
 * odd was sent: C0 controls and DEL in caret notation ("^[" for ESC, "^M"
 * for a CR not followed by LF, "^?" for DEL), every other byte, and each
 * byte of an invalid or refused UTF-8 sequence, as "\xNN". Escape
 * sequences, colour (SGR) included, are therefore never obeyed: ESC shows
 * as "^[" and the rest of the sequence as the printable text it is.
 *
 * The state is per writer (per vCPU), so a sequence split across writes is
 * judged as a whole.
 */
#ifndef BULKHEAD_CONSOLE_FILTER_H
#define BULKHEAD_CONSOLE_FILTER_H

#include <stdbool.h>
#include <stdint.h>

/*
 * The most one byte can produce: an unfinished 3-byte UTF-8 prefix shown
 * as "\xNN" each, then the byte that broke it, shown the same way.
 */
#define CONSOLE_FILTER_OUT_MAX 16u

struct console_filter {
	uint8_t seq[4];   /* a UTF-8 sequence being gathered */
	uint8_t have;     /* its bytes so far (0: none) */
	uint8_t need;     /* its length, from the lead byte */
	bool cr;          /* CRs wait for an LF, which makes them a newline */
};

/* What one byte gives the line: text to append, then maybe its end. */
struct console_filter_out {
	char text[CONSOLE_FILTER_OUT_MAX];
	unsigned int len;
	bool end_line;
};

void console_filter_reset(struct console_filter *f);
void console_filter_byte(struct console_filter *f, uint8_t c, struct console_filter_out *out);

#endif
