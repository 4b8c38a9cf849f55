# SPDX-License-Identifier: Apache-2.0
"""tools/stack-bound on tiny synthetic call graphs (each failure it must
catch, and the figures it must add up), and on the real images."""

import json
import os
import subprocess

from lib.harness import check, test


def _node(name, size, where="t.c:1:1"):
    return 'node: { title: "%s" label: "%s\\n%s\\n%d bytes (static)" }\n' % (
        name, name.split(":")[-1], where, size)


def _edge(src, dst, label="t.c:2:3"):
    return 'edge: { sourcename: "%s" targetname: "%s" label: "%s" }\n' % (src, dst, label)


def _run(ctx, name, frames, calls, table, stack=1024):
    """Write one .ci from frames {fn: bytes} and calls [(src, dst)], and a
    table with [t] section `table`; run the tool. Returns (rc, output, json)."""
    d = os.path.join(ctx.tmp, "stack-bound-" + name)
    os.makedirs(d, exist_ok=True)
    ci = os.path.join(d, "t.c.ci")
    with open(ci, "w") as f:
        f.write('graph: { title: "t.c"\n')
        for fn, size in frames.items():
            f.write(_node(fn, size))
        for src, dst in calls:
            if dst not in frames:
                f.write('node: { title: "%s" label: "%s\\nt.c:9:9" shape : ellipse }\n' % (dst, dst))
            f.write(_edge(src, dst))
        f.write("}\n")
    tab = os.path.join(d, "table")
    with open(tab, "w") as f:
        f.write("[t]\nmargin 100\n" + table)
    out_json = os.path.join(d, "out.json")
    if os.path.exists(out_json):
        os.remove(out_json)
    r = subprocess.run([os.path.join(ctx.top, "tools", "stack-bound"), "--arch", "t", "--table", tab,
                        "--stack-size", str(stack), "--json", out_json, ci],
                       capture_output=True, text=True, timeout=60)
    fig = None
    if os.path.exists(out_json):
        with open(out_json) as f:
            fig = json.load(f)
    return r.returncode, r.stdout + r.stderr, fig


FRAMES = {"main": 100, "a": 200, "b": 300, "leaf": 50}
CALLS = [("main", "a"), ("main", "b"), ("a", "leaf"), ("b", "leaf")]


@test("stack-bound: a small graph's worst path is summed, and fits", group="qemu",
      reqs="REQ-SAF-002")
def stack_bound_sums(ctx):
    rc, out, fig = _run(ctx, "ok", FRAMES, CALLS,
                        "asm vec 64 -> leaf\nentry boot main\nentry irq vec nested\n")
    check(rc == 0, "a graph within its stack fails", out)
    # main > b > leaf = 450; irq: vec > leaf = 114 on top of 450.
    check(fig is not None and fig["entries"] == {"boot": 450, "irq": 564},
          "figures %r, expected boot 450 and irq 450 + 114" % (fig and fig["entries"]), out)
    check("main (100) > b (300) > leaf (50)" in out, "the worst path is not printed", out)


@test("stack-bound: a too-deep path fails the check", group="qemu", reqs="REQ-SAF-002")
def stack_bound_too_deep(ctx):
    # limit = 500 - 100 = 400 < 450
    rc, out, _ = _run(ctx, "deep", FRAMES, CALLS, "entry boot main\n", stack=500)
    check(rc == 1, "450 bytes passed a 400-byte limit", out)
    check("entry boot needs 450 bytes, over the limit of 400" in out, "no clear message", out)
    # A nested entry pushes a path that fits alone over the limit.
    rc, out, _ = _run(ctx, "nested", FRAMES, CALLS,
                      "asm vec 64 -> leaf\nentry boot main\nentry irq vec nested\n", stack=600)
    check(rc == 1 and "entry irq needs 564 bytes" in out, "a nested entry is not stacked", out)


@test("stack-bound: recursion fails unless stated with a bound", group="qemu", reqs="REQ-SAF-002")
def stack_bound_recursion(ctx):
    calls = CALLS + [("leaf", "a")]
    rc, out, _ = _run(ctx, "cycle", FRAMES, calls, "entry boot main\n", stack=100000)
    check(rc == 1 and "recursion: a > leaf > a" in out, "a cycle passed", out)
    rc, out, fig = _run(ctx, "cycle-stated", FRAMES, calls,
                        "cycle a leaf bound 2\nentry boot main\n", stack=100000)
    check(rc == 0, "a stated, bounded cycle fails", out)
    check(fig["entries"]["boot"] >= 100 + 2 * (200 + 50) + 200 + 50,
          "the stated cycle's rounds are not counted: %r" % fig["entries"], out)


@test("stack-bound: an indirect call needs a listed target set", group="qemu", reqs="REQ-SAF-002")
def stack_bound_indirect(ctx):
    calls = CALLS + [("a", "__indirect_call")]
    rc, out, _ = _run(ctx, "indirect", FRAMES, calls, "entry boot main\n", stack=100000)
    check(rc == 1 and "a makes an indirect call (t.c:2:3) with no target set" in out,
          "an unlisted indirect call passed", out)
    frames = dict(FRAMES, big=5000)
    rc, out, fig = _run(ctx, "indirect-listed", frames, calls,
                        "indirect a -> big\nentry boot main\n", stack=100000)
    check(rc == 0 and fig["entries"]["boot"] == 100 + 200 + 5000,
          "a listed target is not followed: %r" % (fig and fig["entries"]), out)
    rc, out, _ = _run(ctx, "indirect-stale", frames, calls,
                      "indirect a -> big gone*\nentry boot main\n", stack=100000)
    check(rc == 1 and "'gone*' matches no function" in out, "a stale target passed", out)


@test("stack-bound: after LTO, local functions and indirect calls moved by inlining are found",
      group="qemu", reqs="REQ-SAF-002")
def stack_bound_lto(ctx):
    # An LTO link's graph: local functions named by gcc's partition, and an
    # indirect call written in dispatch() (s.c) that LTO inlined into main.
    d = os.path.join(ctx.tmp, "stack-bound-lto")
    os.makedirs(d, exist_ok=True)
    src = os.path.join(d, "s.c")
    with open(src, "w") as f:
        f.write("int dispatch(int (*fn)(void))\n{\n\treturn fn();\n}\n")
    lt = "/tmp/ccX.ltrans0.o:"
    frames = {"main": (100, "m.c:1:1"), lt + "big.lto_priv.0": (5000, "t.c:9:1"),
              lt + "fatal": (30, "e.c:4:1")}

    def run(name, table):
        ci = os.path.join(d, name + ".ci")
        with open(ci, "w") as f:
            f.write('graph: { title: "bulkhead.elf.ltrans0.ltrans.o"\n')
            for fn, (size, where) in frames.items():
                f.write(_node(fn, size, where))
            f.write('node: { title: "__indirect_call" label: "Indirect Call Placeholder" shape : ellipse }\n')
            f.write(_edge("main", "__indirect_call", src + ":3:9"))
            f.write("}\n")
        tab = os.path.join(d, name + ".table")
        with open(tab, "w") as f:
            f.write("[t]\nmargin 100\n" + table)
        r = subprocess.run([os.path.join(ctx.top, "tools", "stack-bound"), "--arch", "t", "--table", tab,
                            "--stack-size", "100000", "--json", os.path.join(d, name + ".json"), ci],
                           capture_output=True, text=True, timeout=60)
        return r.returncode, r.stdout + r.stderr

    rc, out = run("unlisted", "entry boot main\n")
    check(rc == 1 and "main makes an indirect call (%s:3:9) with no target set" % src in out,
          "an indirect call inlined out of its function passed unlisted", out)
    rc, out = run("listed", "indirect dispatch -> t.c:big\nentry boot main\nentry dump e.c:fatal nested\n")
    with open(os.path.join(d, "listed.json")) as f:
        fig = json.load(f) if rc == 0 else None
    check(rc == 0 and fig["entries"]["boot"] == 100 + 5000 and fig["entries"]["dump"] == 30 + 5100,
          "the call's targets (by its source function) or a local entry were not followed: %r" %
          (fig and fig["entries"]), out)


@test("stack-bound: a call to an unknown function fails", group="qemu", reqs="REQ-SAF-002")
def stack_bound_unknown(ctx):
    rc, out, _ = _run(ctx, "unknown", FRAMES, CALLS + [("b", "asm_thing")], "entry boot main\n")
    check(rc == 1 and "b calls asm_thing, which is neither compiled here nor listed" in out,
          "an unlisted assembly routine passed", out)


@test("stack-bound: both images are within their stacks", group="qemu", reqs="REQ-SAF-002")
def stack_bound_images(ctx):
    for arch in ("arm64", "x86"):
        path = os.path.join(ctx.build, "stack-bound", arch + ".json")
        check(os.path.exists(path), "%s missing: run make hypervisor" % path)
        with open(path) as f:
            fig = json.load(f)
        check(0 < fig["worst"] <= fig["stack"] - fig["margin"],
              "%s: worst %d over %d - %d" % (arch, fig["worst"], fig["stack"], fig["margin"]))
