# SPDX-License-Identifier: Apache-2.0
"""The readable forms of make bench's figures: a text table for the
terminal, a Markdown table and an SVG chart (plain Python, no plotting
library) for docs/perf.md, and the per-figure ratios of make bench-compare."""

import os
import re
from xml.sax.saxutils import escape

DOCS_BEGIN = "<!-- bench table: written by make bench, do not edit -->"
DOCS_END = "<!-- end of bench table -->"


def shown(value):
    if isinstance(value, float):
        return "%.2f" % value
    return "{:,}".format(value)


def spread(f):
    return "%s..%s" % (shown(f["min"]), shown(f["max"])) if "min" in f and "max" in f else ""


def status(f):
    return "" if f.get("met") is None else ("met" if f["met"] else "MISSED")


def target_text(f):
    """"< T", or ">= T" for a figure where more is better (coverage)."""
    if f.get("target") is None:
        return ""
    return "%s %s" % (">=" if f.get("at_least") else "<", shown(f["target"]))


def text_table(figures, order):
    lines = ["%-26s %14s %20s %6s %12s  %s" % ("figure", "median", "min..max", "unit", "target",
                                             "status")]
    for name in order:
        f = figures[name]
        target = target_text(f)
        lines.append("%-26s %14s %20s %6s %12s  %s" % (name, shown(f["value"]), spread(f),
                                                      f.get("unit", ""), target, status(f)))
    return "\n".join(lines)


def markdown_table(figures, order):
    rows = ["| figure | value | min..max | unit | target | status | what |",
            "| --- | ---: | ---: | --- | ---: | --- | --- |"]
    for name in order:
        f = figures[name]
        target = target_text(f)
        rows.append("| `%s` | %s | %s | %s | %s | %s | %s |" % (
            name, shown(f["value"]), spread(f), f.get("unit", ""), target, status(f),
            f.get("what", "")))
    return "\n".join(rows) + "\n"


def svg_chart(figures, order):
    """One horizontal bar per figure with a target: its value as a share of
    the target (the line at 100%), green when met, red when not; bars
    longer than 200% are cut and marked with an arrow."""
    named = [n for n in order if figures[n].get("target")]
    row, left, width, scale_max = 26, 230, 420, 2.0
    height = 48 + row * len(named)
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
           'font-family="sans-serif" font-size="12">' % (left + width + 160, height),
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="%d" y="16" font-weight="bold">value / target '
           '(QEMU -icount shift=0)</text>' % left]
    for i, name in enumerate(named):
        f = figures[name]
        y = 28 + i * row
        share = f["value"] / f["target"]
        bar = max(1, min(share, scale_max) / scale_max * width)
        colour = "#3a9a48" if f.get("met") else "#c8372d"
        out.append('<text x="%d" y="%d" text-anchor="end">%s</text>'
                   % (left - 8, y + 14, escape(name)))
        out.append('<rect x="%d" y="%d" width="%.1f" height="18" fill="%s"/>'
                   % (left, y + 2, bar, colour))
        label = "%s %s (%d%%)%s" % (shown(f["value"]), f.get("unit", ""), round(share * 100),
                                   " \u2192" if share > scale_max else "")
        # In a column of their own, clear of the bars and the target line.
        out.append('<text x="%d" y="%d">%s</text>' % (left + width + 10, y + 15, escape(label)))
    target_x = left + width / scale_max
    out.append('<line x1="%.1f" y1="22" x2="%.1f" y2="%d" stroke="black" stroke-dasharray="4 3"/>'
               % (target_x, target_x, height - 18))
    out.append('<text x="%.1f" y="%d" text-anchor="middle">target</text>'
               % (target_x, height - 5))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def update_docs(top, table, svg):
    """docs/perf.svg is the chart; the table goes between the markers of
    docs/perf.md."""
    with open(os.path.join(top, "docs", "perf.svg"), "w") as f:
        f.write(svg)
    path = os.path.join(top, "docs", "perf.md")
    with open(path) as f:
        text = f.read()
    pattern = re.compile(re.escape(DOCS_BEGIN) + ".*?" + re.escape(DOCS_END), re.S)
    if not pattern.search(text):
        raise SystemExit("bench: %s has no bench table markers" % path)
    text = pattern.sub(lambda _: DOCS_BEGIN + "\n" + table + DOCS_END, text)
    with open(path, "w") as f:
        f.write(text)


def compare(base, new):
    """Lines of base and new value and their ratio, per figure of either
    results.json (a figure only one side has shows as missing there)."""
    lines = ["%-26s %14s %14s %8s" % ("figure", "base", "this", "ratio")]
    for name in sorted(set(base) | set(new)):
        b, n = base.get(name, {}).get("value"), new.get(name, {}).get("value")
        ratio = "%.3f" % (n / b) if b and n is not None else "-"
        lines.append("%-26s %14s %14s %8s" % (name, "-" if b is None else shown(b),
                                              "-" if n is None else shown(n), ratio))
    return "\n".join(lines)
