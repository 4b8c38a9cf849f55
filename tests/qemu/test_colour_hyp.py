# SPDX-License-Identifier: Apache-2.0
"""The coloured hypervisor (docs/colouring.md, `bulkhead,hypervisor-colours`):
at boot its image (text, data, bss, per-CPU stacks, boot tables) moves onto pages of its
own colour and the old pages are poisoned. Checked from outside the machine
with QMP `pmemsave`: the moved image is on pages of its colour only, at the
page the colouring rule gives for each image offset (worked out here, not
by the hypervisor's code), its text as built and its per-CPU data live;
the old image holds nothing but poison while partitions run and restart.
"""

import os
import re
import shutil
import struct
import subprocess
import tempfile

from lib import qemu, system
from lib.harness import check, expect_lines, test

from .test_colouring import (COLOURS, FATAL, LLC, PAGE, SPAN, SPAN_PA, TAGGED, check_tags,
                             coloured, llc_model, scan)

HYP_COLOUR = 15
HYP_EXTRA = LLC + "\t\t\tbulkhead,hypervisor-colours = <%d>;\n" % HYP_COLOUR
POISON = struct.pack("<I", 0xd43bd5a0)  # mmu_colour.c: `brk #0xdead` in every word
CPU_ONLINE = 2                          # core/include/bulkhead/cpu.h
# Where the pieces are on QEMU's virt machine with 1 GiB: the image where
# QEMU loads -kernel (low RAM), the span carved from the top of free RAM.
LOW_DUMP = (0x40000000, 0x800000)
HIGH_DUMP = (0x7f000000, 0x1000000)
MOVED = re.compile(r"^hypervisor: coloured, its (\d+) KiB image moved to pages of its colours "
                   r"in 0x([0-9a-f]+)-0x([0-9a-f]+) \(mapped only at its own addresses, W\^X "
                   r"kept: checked\); the old image's pages are poisoned$", re.M)
IMAGE = re.compile(r"^hypervisor: 0x([0-9a-f]+)-0x([0-9a-f]+) \(", re.M)


def symbols(ctx):
    """The image's symbols: name -> (offset, size)."""
    out = subprocess.check_output(["aarch64-linux-gnu-nm", "-S", os.path.join(
        ctx.build, "arm64", "bulkhead.elf")], text=True)
    syms = {}
    for line in out.splitlines():
        f = line.split()
        if len(f) == 4:
            syms[f[3]] = (int(f[0], 16), int(f[1], 16))
        elif len(f) == 3:
            syms[f[2]] = (int(f[0], 16), 0)
    return syms


def hyp_page_pa(span, k, colours):
    """Image page k: the (k mod n)-th of the n colours in way cycle k div n."""
    n = len(colours)
    return span + (k // n) * COLOURS * PAGE + sorted(colours)[k % n] * PAGE


def cut(dump, base, pa, size):
    off = pa - base
    check(0 <= off and off + size <= len(dump), "0x%x-0x%x is outside the dump at 0x%x"
          % (pa, pa + size - 1, base))
    return dump[off:off + size]


@test("colouring: the hypervisor moves onto pages of its own colour (text as built, per-CPU "
      "data live there), its old pages stay poisoned while coloured partitions run and restart",
      gic=(3,), reqs="REQ-COL-005 REQ-COL-001")
def hypervisor_coloured(ctx):
    a_colours, b_colours = [0, 1, 2, 3], [4, 5, 6, 7]
    parts = [coloured("tag-a", 1, 1, a_colours), coloured("tag-b", 2, 2, b_colours)]
    args = system.build(ctx, "colour-hyp", parts, hypervisor_extra=HYP_EXTRA)
    syms = symbols(ctx)
    # Text to stacks and the boot tables after them (configuration,
    # partitions, vCPUs: what the trap paths read).
    copied = syms["__pt_pool"][0] - syms["__image_start"][0]
    sockdir = tempfile.mkdtemp(prefix="bh-qmp-")
    sock = os.path.join(sockdir, "qmp")
    files = {k: os.path.join(sockdir, k + ".bin") for k in ("tags1", "tags2", "low", "high")}

    def pmemsave(name, base, size):
        return lambda: qemu.qmp_execute(sock, "pmemsave", arguments={
            "val": base, "size": size, "filename": files[name]})

    def after_restart():
        pmemsave("tags2", SPAN_PA, SPAN)()
        pmemsave("low", *LOW_DUMP)()
        pmemsave("high", *HIGH_DUMP)()

    both = r"(?s)(?=.*^\[tag-a\] colourtag: boot 1 tagged)(?=.*^\[tag-b\] colourtag: boot 1 tagged)"
    again = r"^\[tag-a\] colourtag: boot 2 tagged"
    try:
        r = qemu.run(qemu.arm64_command(ctx.image, gic=ctx.gic, smp=4, qmp=sock, extra=args,
                                        icount=True),
                     until=r"^partition tag-a: stopped$", fail=FATAL, timeout=90,
                     actions=[(both, pmemsave("tags1", SPAN_PA, SPAN)), (again, after_restart)],
                     send=[(both, b"go\n"), (again, b"go\n")])
        dumps = {}
        for name, path in files.items():
            check(os.path.exists(path), "no dump %s (%s)" % (name, r.reason), r.output)
            with open(path, "rb") as f:
                dumps[name] = f.read()
    finally:
        shutil.rmtree(sockdir, ignore_errors=True)
    check(r.matched, "tag-a did not restart and stop (%s)" % r.reason, r.output)
    m = MOVED.search(r.output)
    check(m is not None, "the boot did not say the hypervisor moved", r.output)
    kib, span, span_last = int(m.group(1)), int(m.group(2), 16), int(m.group(3), 16)
    check(kib * 1024 == copied, "moved %d KiB, the image's text to boot tables are %d" % (kib, copied),
          r.output)
    pages = copied // PAGE
    check(span % (COLOURS * PAGE) == 0 and span_last + 1 - span == pages * COLOURS * PAGE,
          "span 0x%x-0x%x: not way aligned or not %d cycles" % (span, span_last, pages), r.output)
    old = int(IMAGE.search(r.output).group(1), 16)

    # The old image: poison only, every page (guard pages too), while the
    # partitions ran and one restarted.
    check(cut(dumps["low"], LOW_DUMP[0], old, copied) == POISON * (copied // 4),
          "the old image at 0x%x is not all poison" % old, r.output)

    # The span: pages of other colours untouched (zero), the hypervisor's
    # colour holding the image page by page.
    high = dumps["high"]
    image = b""
    for off in range(0, span_last + 1 - span, PAGE):
        page = cut(high, HIGH_DUMP[0], span + off, PAGE)
        if ((span + off) // PAGE) % COLOURS != HYP_COLOUR:
            check(page == bytes(PAGE), "page 0x%x (colour %d) of the span was written"
                  % (span + off, ((span + off) // PAGE) % COLOURS), r.output)
    for k in range(pages):
        pa = hyp_page_pa(span, k, [HYP_COLOUR])
        check((pa // PAGE) % COLOURS == HYP_COLOUR, "image page %d at 0x%x" % (k, pa))
        image += cut(high, HIGH_DUMP[0], pa, PAGE)
    with open(os.path.join(ctx.build, "arm64", "bulkhead.bin"), "rb") as f:
        built = f.read()
    ro = syms["__rodata_end"][0]
    check(image[:ro] == built[:ro], "the moved text and read-only data differ from the image "
          "as built", r.output)
    # Per-CPU data: cpus[i] (index, hwid, state) as the running CPUs keep it.
    at, size = syms["cpus"]
    one = size // 16
    for i in range(4):
        index, hwid, state = struct.unpack_from("<IxxxxQI", image, at + i * one)
        check((index, hwid, state) == (i, i, CPU_ONLINE),
              "cpus[%d] in the moved image: index %d hwid 0x%x state %d" % (i, index, hwid, state),
              r.output)

    # The coloured partitions ran and restarted after the move, as without it.
    reported = {}
    for name, boot, count, first, last, stale in TAGGED.findall(r.output):
        reported[(name, int(boot))] = (int(count), int(first, 16), int(last, 16) & ~(PAGE - 1))
    for key in (("tag-a", 1), ("tag-b", 1), ("tag-a", 2)):
        check(key in reported, "%s boot %d did not report its tags" % key, r.output)
    tags, _ = scan(dumps["tags1"])
    check_tags(tags, 1, a_colours, 1, reported[("tag-a", 1)], r.output)
    check_tags(tags, 2, b_colours, 1, reported[("tag-b", 1)], r.output)
    tags, stale = scan(dumps["tags2"])
    check_tags(tags, 1, a_colours, 2, reported[("tag-a", 2)], r.output)
    check(not [s for s in stale if s[1] == 1], "tag-a's first boot left markers", r.output)
    expect_lines(r, r"^\[tag-a\] colourtag: restarting$")


@test("colouring: with the hypervisor moved, an EL2 stack overflow still hits its guard page "
      "and halts only that CPU; a CPU halted before the move moves too, the partition runs on",
      gic=(3,), reqs="REQ-COL-005 REQ-CNT-003")
def guard_after_move(ctx):
    parts = [coloured("tag-a", 3, 1, [0, 1, 2, 3])]
    args = system.build(ctx, "colour-hyp-fault", parts, hypervisor_extra=HYP_EXTRA)
    done = (r"(?s)(?=.*^fault-test: cpu 0 still running after the faulting CPUs halted$)"
            r"(?=.*^\[tag-a\] colourtag: boot 1 tagged)")
    r = qemu.run(qemu.arm64_command(ctx.fault_image, gic=ctx.gic, smp=4, extra=args,
                                    icount=True),
                 until=done, timeout=90)
    check(r.matched, "cpu 0 or the partition did not run on after the faults (%s)" % r.reason,
          r.output)
    expect_lines(r, r"^fault-test: cpu 1 reads unmapped address",
                 r"^CPU 1 halted; other CPUs continue$",
                 r"^hypervisor: coloured, ",
                 r"^fault-test: cpu 2 overflows its stack$",
                 r"^\*\*\* EL2 exception on CPU 2: synchronous, EL2 "
                 r"\(stack overflow: guard page hit\)$",
                 r"^CPU 2 halted; other CPUs continue$")
    out = r.output
    check(out.index("CPU 1 halted") < out.index("hypervisor: coloured, ")
          < out.index("fault-test: cpu 2 overflows its stack"),
          "cpu 1 did not halt before the move, or cpu 2 overflowed before it", out)
    check("cpu 2 survived" not in out, "the recursion ran to completion", out)
    dump = out[out.index("EL2 exception on CPU 2"):]
    far = int(re.search(r"^FAR_EL2  0x([0-9a-f]{16})", dump, re.M).group(1), 16)
    check(far % 4096 >= 4096 - 512, "FAR 0x%x is not at the top of a guard page" % far, dump)


@test("colouring: bulkhead-check shows the hypervisor's colours and the free RAM its image "
      "takes; the hypervisor's verdict build agrees, accepted and refused",
      reqs="REQ-COL-005 REQ-COL-002 REQ-CFG-002")
def check_shows_hyp_colours(ctx):
    from .test_boards import same_verdict
    from .test_configs import dtb as bad_dtb
    parts = [coloured("tag-a", 1, 1, [0, 1, 2, 3])]
    system.build(ctx, "colour-hyp-check", parts, hypervisor_extra=HYP_EXTRA)
    dtb = os.path.join(ctx.tmp, "colour-hyp-check.dtb")
    tool = os.path.join(ctx.build, "tools", "bulkhead-check")
    # 424 KiB at 1 of 16 colours: 106 way-sized cycles of 64 KiB.
    r = subprocess.run(["timeout", "30", tool, "--hypervisor", "0x40200000,0x6a000", dtb],
                       capture_output=True, text=True)
    check(r.returncode == 0, "exit %d" % r.returncode, r.stdout + r.stderr)
    line = (r"^hypervisor: colours 15 \(1 of 16\): its image's 424 KiB takes 6784 KiB of free RAM "
            r"at boot$")
    check(re.search(line, r.stdout, re.M) is not None, "missing: " + line, r.stdout)
    same_verdict(ctx, dtb)
    for name in ("colour-hyp-range", "colour-hyp-shared"):
        same_verdict(ctx, bad_dtb(ctx, name))


@test("x86: the hypervisor's colours are refused with a clear error: the port does not move "
      "its image", reqs="REQ-COL-005")
def x86_hyp_colours_refused(ctx):
    from .test_x86 import expect_refused
    expect_refused(ctx, "bad-hyp-colours",
                   r"^error: /chosen/bulkhead: property 'bulkhead,hypervisor-colours': this port "
                   r"does not colour the hypervisor \(docs/colouring.md\)$")


@test("colouring: in the model of the shared cache, a trapping neighbour's hypervisor work "
      "evicts fewer of a coloured real-time loop's lines when the hypervisor is coloured",
      reqs="REQ-COL-005 REQ-COL-003")
def hyp_colour_interference(ctx):
    bench_llc = llc_model(ctx)
    uncoloured = bench_llc.run_hyp_case(ctx, ctx.image, False)
    coloured_ = bench_llc.run_hyp_case(ctx, ctx.image, True)
    figures = "misses/accesses: hypervisor uncoloured %s, coloured %s" % (uncoloured, coloured_)
    check(uncoloured[1] == coloured_[1], "different work measured: " + figures)
    check(coloured_[0] < uncoloured[0], "colouring the hypervisor saved no misses: " + figures)
