# SPDX-License-Identifier: Apache-2.0
"""The console-spoof attack's oracle, for the arm64 and x86 hostile suites.

The attacking partition (partitions/common/console_spoof.c) sends the
payloads below, in this order, once through its console UART and once
through the CONSOLE_WRITE hypercall, and reports how many bytes it sent by
each path and their FNV-1a hash. Each payload is one line; next to it is
what that line must be on the serial port, after the partition's prefix:
the console filter's rendering (core/console_filter.c), written out here
by hand rather than computed, so that a change in the filter shows up as a
failure.
"""

import re

from lib.harness import check

SPOOF = [
    (b"\b" * 11 + b"[victim] victim: memory CORRUPT\n",
     b"^H" * 11 + b"[victim] victim: memory CORRUPT"),
    (b"\r[victim] victim: memory CORRUPT\n", b"^M[victim] victim: memory CORRUPT"),
    (b"\x1b[2K\x1b[1Gpartition victim: stopping\n", b"^[[2K^[[1Gpartition victim: stopping"),
    (b"\x1b[1A\x1bM\x1b[Hpartition victim: stopped\n", b"^[[1A^[M^[[Hpartition victim: stopped"),
    (b"\x1b[6n\x1b[c\x05\x1b[>c\n", b"^[[6n^[[c^E^[[>c"),
    (b"\x1b]0;owned\x07\x1b]52;c;aGk=\x1b\\\n", b"^[]0;owned^G^[]52;c;aGk=^[\\"),
    (b"\x1b[31mred\x1b[8mhidden\x1b[0m\n", b"^[[31mred^[[8mhidden^[[0m"),
    (b"\x9b6n\xc2\x9b6n\x1bP+q\x1b\\\x7f\x00\n", b"\\x9b6n\\xc2\\x9b6n^[P+q^[\\^?^@"),
    (b"\xe2\x80\xaeevil\xe2\x80\xac \xff\xfe\xc0\xaf\xed\xa0\x80 caf\xc3\xa9 \xe2\x82\xac\n",
     b"\\xe2\\x80\\xaeevil\\xe2\\x80\\xac \\xff\\xfe\\xc0\\xaf\\xed\\xa0\\x80 caf\xc3\xa9 \xe2\x82\xac"),
    (b"tail\r\r\n", b"tail"),
    (b"\a\t|\v\f|\x0e\x0f\x18\x1a\x1c\n", b"^G\t|^K^L|^N^O^X^Z^\\"),
]

# What the partition reports once it has sent everything.
REPORT = r"sent \d+ and \d+ bytes, fnv1a [0-9a-f]{8} and [0-9a-f]{8}, call errors 0"

# Text of the forged lines: wherever it appears, it must be the attacker's.
FORGED = (b"memory CORRUPT", b"partition victim: stopp", b";owned", b"mhidden", b"aeevil")


def _fnv1a(data):
    h = 2166136261
    for b in data:
        h = ((h ^ b) * 16777619) & 0xffffffff
    return h


def _terminal_safe(raw):
    """None if nothing in raw drives a terminal, else what does: raw must be
    UTF-8 with no C0 control but TAB and CR LF, no DEL, no C1 control and
    no bidirectional embedding, override or isolate."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        return "invalid UTF-8 at byte %d" % e.start
    for i, ch in enumerate(text):
        cp = ord(ch)
        if ch == "\r" and text[i + 1:i + 2] == "\n":
            continue
        if (cp < 0x20 and ch not in "\t\n") or 0x7f <= cp <= 0x9f or \
                0x202a <= cp <= 0x202e or 0x2066 <= cp <= 0x2069:
            return "U+%04X at character %d: %r" % (cp, i, text[max(0, i - 40):i + 40])
    return None


def check_output(result, name, marker):
    """Check the serial output of a run in which partition `name` ran the
    attack, printing `marker` + "by the UART", "by CONSOLE_WRITE" and the
    report before, between and after the two sends."""
    # All of it: under bochs, bochs.run() has dropped GRUB's bytes exactly.
    raw = result.raw
    problem = _terminal_safe(raw)
    check(problem is None, "a control reached the terminal: %s" % problem, result.output)
    lines = raw.split(b"\r\n")
    prefix = b"[%s] " % name.encode()
    for line in lines:
        if any(f in line for f in FORGED):
            check(line.startswith(prefix), "forged text outside the attacker's lines: %r" % line,
                  result.output)
    heads = [prefix + marker.encode() + s for s in
             (b"by the UART", b"by CONSOLE_WRITE", b"sent ")]
    at = []
    for head in heads:
        found = [i for i, line in enumerate(lines) if line.startswith(head)]
        check(len(found) == 1, "expected one line starting %r" % head, result.output)
        at.append(found[0])
    check(at == sorted(at), "the attack's marker lines are out of order", result.output)
    want = [prefix + shown for _, shown in SPOOF]
    for path, (begin, end) in (("the UART", (at[0], at[1])), ("CONSOLE_WRITE", (at[1], at[2]))):
        # Other partitions' and the hypervisor's lines may come in between.
        got = [line for line in lines[begin + 1:end] if line.startswith(prefix)]
        for i, (g, w) in enumerate(zip(got, want)):
            check(g == w, "by %s, line %d: %r, want %r" % (path, i, g, w), result.output)
        check(len(got) == len(want), "by %s: %d lines, want %d" % (path, len(got), len(want)),
              result.output)
    sent = b"".join(payload for payload, _ in SPOOF)
    m = re.search(r"sent (\d+) and (\d+) bytes, fnv1a ([0-9a-f]{8}) and ([0-9a-f]{8})",
                  lines[at[2]].decode())
    check(m is not None, "no count in the report", result.output)
    want_count = (str(len(sent)), str(len(sent)), "%08x" % _fnv1a(sent), "%08x" % _fnv1a(sent))
    check(m.groups() == want_count,
          "the partition sent %s, the test expects %s (the payload tables differ)"
          % (m.groups(), want_count), result.output)
