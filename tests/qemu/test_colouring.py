# SPDX-License-Identifier: Apache-2.0
"""Cache colouring (docs/colouring.md): a coloured partition's memory is
backed by pages of its colours only, checked from outside the machine.

Two partitions draw their pages from the same 16 MiB of physical memory,
colours 0-3 and 4-7 of 16. Each runs partitions/tests/colourtag.c, which
tags every free page of its memory; QEMU's QMP `pmemsave` then dumps the
physical span and the test checks every tag: on a page of the writer's
colours, at exactly the physical page the guest page must have (worked out
here independently of the hypervisor's code), every page the partition
says it tagged found once. The first partition then restarts: its pages
are cleared (its first boot's markers are gone) and its neighbour's, which
interleave with them, are untouched.
"""

import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile

from lib import qemu, system
from lib.harness import check, expect_lines, test
from lib.system import Partition

FATAL = r"^(fatal|\*\*\* EL2 exception)"
SPAN_PA = 0x50000000
SPAN = 0x1000000
GUEST_BASE = 0x40000000
PAGE = 4096
COLOURS = 16                       # 1 MiB, 16 ways: a way is 64 KiB
LLC = "\t\t\tbulkhead,llc = <0x100000 1024 64>;\n"
TAG_MAGIC = 0x5241544c4f434842     # partitions/tests/colourtag.c
STALE_MAGIC = 0x454c4154534f4342
STALE_OFFSET = 2048
TAGGED = re.compile(r"^\[(tag-[ab])\] colourtag: boot (\d) tagged (\d+) pages at guest "
                    r"0x([0-9a-f]+)-0x([0-9a-f]+), (\d+) stale$", re.M)


def colour_of(pa):
    return (pa // PAGE) % COLOURS


def expected_pa(colours, ipa):
    """Guest page k of a coloured region: the (k mod n)-th of its n colours
    (ascending) in the (k div n)-th way-sized cycle of its span."""
    k = (ipa - GUEST_BASE) // PAGE
    n = len(colours)
    return SPAN_PA + (k // n) * COLOURS * PAGE + sorted(colours)[k % n] * PAGE


def scan(dump):
    """Every tag and stale marker in a dump of the span, by physical address."""
    tags, stale = [], []
    for off in range(0, len(dump), PAGE):
        magic, ident, boot, ipa = struct.unpack_from("<QIIQ", dump, off)
        if magic == TAG_MAGIC:
            tags.append((SPAN_PA + off, ident, boot, ipa))
        magic, ident, boot, ipa = struct.unpack_from("<QIIQ", dump, off + STALE_OFFSET)
        if magic == STALE_MAGIC:
            stale.append((SPAN_PA + off, ident, boot, ipa))
    return tags, stale


def check_tags(tags, ident, colours, boot, reported, output):
    """The tags of partition ident: each on a page of its colours, where its
    guest page must be, of the expected boot; as many as it reported."""
    mine = [t for t in tags if t[1] == ident]
    count, first, last = reported
    check(len(mine) == count, "partition %d: %d tags found in physical memory, %d written"
          % (ident, len(mine), count), output)
    ipas = sorted(t[3] for t in mine)
    check(ipas == list(range(first, last + 1, PAGE)),
          "partition %d: the tagged guest pages are not 0x%x-0x%x, each once" % (ident, first, last),
          output)
    for pa, _, tag_boot, ipa in mine:
        check(colour_of(pa) in colours, "partition %d's tag at 0x%x: colour %d, not one of %s"
              % (ident, pa, colour_of(pa), colours), output)
        check(pa == expected_pa(colours, ipa), "guest page 0x%x at 0x%x, expected 0x%x"
              % (ipa, pa, expected_pa(colours, ipa)), output)
        check(tag_boot == boot, "partition %d's tag at 0x%x is from boot %d, not %d"
              % (ident, pa, tag_boot, boot), output)


def coloured(name, cpu, tag, colours):
    extra = "\t\t\t\tbulkhead,colours = <%s>;\n" % " ".join(str(c) for c in colours)
    return Partition(name, [cpu], SPAN_PA, "colourtag", size=SPAN, bootargs="tag=%d" % tag,
                     extra=extra)


@test("colouring: every page a coloured partition tags has its colours, at the page its guest "
      "address must have; after its restart its pages are cleared and its neighbour's kept",
      gic=(3,), reqs="REQ-COL-001 REQ-ISO-001")
def tagged_pages(ctx):
    a_colours, b_colours = [0, 1, 2, 3], [4, 5, 6, 7]
    parts = [coloured("tag-a", 1, 1, a_colours), coloured("tag-b", 2, 2, b_colours)]
    args = system.build(ctx, "colourtag", parts, hypervisor_extra=LLC)
    sockdir = tempfile.mkdtemp(prefix="bh-qmp-")  # short: Unix socket paths are limited
    sock = os.path.join(sockdir, "qmp")
    dumps = [os.path.join(sockdir, "boot1.bin"), os.path.join(sockdir, "boot2.bin")]

    def pmemsave(path):
        return lambda: qemu.qmp_execute(sock, "pmemsave", arguments={
            "val": SPAN_PA, "size": SPAN, "filename": path})

    both = r"(?s)(?=.*^\[tag-a\] colourtag: boot 1 tagged)(?=.*^\[tag-b\] colourtag: boot 1 tagged)"
    again = r"^\[tag-a\] colourtag: boot 2 tagged"
    try:
        # Each dump is taken (synchronously, through QMP) while the
        # partitions wait for a line; only then is the line typed.
        r = qemu.run(qemu.arm64_command(ctx.image, gic=ctx.gic, smp=4, qmp=sock, extra=args,
                                        icount=True),
                     until=r"^partition tag-a: stopped$", fail=FATAL, timeout=90,
                     actions=[(both, pmemsave(dumps[0])), (again, pmemsave(dumps[1]))],
                     send=[(both, b"go\n"), (again, b"go\n")])
        contents = []
        for path in dumps:
            check(os.path.exists(path), "no dump %s (%s)" % (path, r.reason), r.output)
            with open(path, "rb") as f:
                contents.append(f.read())
    finally:
        shutil.rmtree(sockdir, ignore_errors=True)
    check(r.matched, "tag-a did not restart and stop (%s)" % r.reason, r.output)
    expect_lines(r, r"^\[tag-a\] colourtag: restarting$")
    reported = {}
    for name, boot, count, first, last, stale in TAGGED.findall(r.output):
        reported[(name, int(boot))] = (int(count), int(first, 16), int(last, 16) & ~(PAGE - 1))
        check(int(stale) == 0, "%s boot %s found %s stale pages of itself" % (name, boot, stale),
              r.output)
    for key in (("tag-a", 1), ("tag-b", 1), ("tag-a", 2)):
        check(key in reported, "%s boot %d did not report its tags" % key, r.output)
    # 4 MiB of guest memory each, less image and device tree: most of it.
    check(reported[("tag-a", 1)][0] > 900, "too few pages tagged: %s" % (reported,), r.output)

    tags, stale = scan(contents[0])
    check_tags(tags, 1, a_colours, 1, reported[("tag-a", 1)], r.output)
    check_tags(tags, 2, b_colours, 1, reported[("tag-b", 1)], r.output)
    check(len(tags) == reported[("tag-a", 1)][0] + reported[("tag-b", 1)][0],
          "tags of nobody in the span", r.output)

    tags, stale = scan(contents[1])
    check_tags(tags, 1, a_colours, 2, reported[("tag-a", 2)], r.output)
    check_tags(tags, 2, b_colours, 1, reported[("tag-b", 1)], r.output)
    a_stale = [s for s in stale if s[1] == 1]
    b_stale = [s for s in stale if s[1] == 2]
    check(not a_stale, "tag-a's first boot left %d markers after its restart (at 0x%x...)"
          % (len(a_stale), a_stale[0][0] if a_stale else 0), r.output)
    check(len(b_stale) == reported[("tag-b", 1)][0],
          "tag-a's restart cleared %d of its neighbour's pages"
          % (reported[("tag-b", 1)][0] - len(b_stale)), r.output)


@test("colouring: bulkhead-check shows the cache, each partition's colours and the physical "
      "memory they take", reqs="REQ-COL-002")
def check_explains_colours(ctx):
    tool = os.path.join(ctx.build, "tools", "bulkhead-check")
    dtb = os.path.join(ctx.build, "dts", "examples", "coloured.dtb")
    r = subprocess.run(["timeout", "30", tool, dtb], capture_output=True, text=True)
    check(r.returncode == 0, "exit %d" % r.returncode, r.stdout + r.stderr)
    out = r.stdout
    for line in (r"^last-level cache: 1 MiB, 16 ways of 64 KiB \(1024 sets of 64-byte lines\): "
                 r"16 colours of 4 KiB \(/cpus/l2-cache\)$",
                 r"^  memory +guest 0x0040000000-0x00403fffff -> physical "
                 r"0x0050000000-0x0050ffffff \(its colours' pages\), 4 MiB$",
                 r"^  colours +0-3 \(4 of 16\): 4 MiB of guest memory takes 16 MiB of physical "
                 r"memory$",
                 r"^  colours +4-15 \(12 of 16\): 12 MiB of guest memory takes 16 MiB of physical "
                 r"memory$",
                 r"^  tables +28 KiB of translation tables \(a page per 2 MiB\), from free RAM at "
                 r"boot$",
                 r"^  tables +44 KiB of translation tables \(a page per 2 MiB\), from free RAM at "
                 r"boot$",
                 r"^carved from free RAM at boot: 136 KiB \(the coloured partitions' translation "
                 r"tables, and 64 KiB their device trees are built in\)$",
                 r"^  0x0050000000-0x0050ffffff +16 MiB  rt: memory \(guest 0x40000000\), "
                 r"colours 0-3$"):
        check(re.search(line, out, re.M) is not None, "missing: %s" % line, out)


def llc_model(ctx):
    """tests/bench_llc.py, the shared-cache model's runs, once its QEMU
    plugin is built (make tools)."""
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    import bench_llc
    check(os.path.exists(bench_llc.plugin_path(ctx)), "no %s: make tools" % bench_llc.plugin_path(ctx))
    return bench_llc


@test("colouring: in a model of the shared cache (tools/llc-plugin), a streaming neighbour "
      "evicts an uncoloured real-time loop's working set and not a coloured one's",
      reqs="REQ-COL-003")
def interference(ctx):
    bench_llc = llc_model(ctx)
    alone = bench_llc.run_case(ctx, ctx.image, "alone")
    beside = bench_llc.run_case(ctx, ctx.image, "beside")
    coloured = bench_llc.run_case(ctx, ctx.image, "coloured")
    figures = "alone %s, beside %s, coloured %s (miss %%, worst ns, mean ns)" % (alone, beside,
                                                                             coloured)
    # The damage shows uncoloured: most of the working set is gone each period.
    check(beside[0] > alone[0] + 50 and beside[1] > 2 * alone[1], "no interference: " + figures)
    # Coloured: as alone, within 5 (percentage points; per cent of time).
    check(coloured[0] <= alone[0] + 5 and coloured[1] <= alone[1] * 1.05,
          "colouring did not keep the neighbour out: " + figures)


@test("colouring: a coloured partition's DMA through the SMMU lands in its coloured memory "
      "(the SMMU's tables map the same pages as its stage 2)", reqs="REQ-COL-001 REQ-ISO-001")
def dma_coloured(ctx):
    from .test_smmu import EDUS, MACHINE as SMMU_MACHINE, SMMU_BOARD
    extra = ("\t\t\t\tdevices = <&{/pcie@10000000}>;\n"
             "\t\t\t\tpci-functions = <&{/pcie@10000000} 0x08>;\n"
             "\t\t\t\tbulkhead,colours = <0 1 2 3 4 5 6 7>;\n")
    parts = [Partition("dma", [2], 0x52000000, "dma", guest_base=0x80000000, extra=extra)]
    args = system.build(ctx, "colour-dma", parts, hypervisor_extra=LLC, board=SMMU_BOARD)
    r = qemu.run(qemu.arm64_command(ctx.image, smp=4, machine=SMMU_MACHINE, extra=args + EDUS,
                                    icount=True),
                 until=r"^partition dma: stopped$", fail=FATAL, timeout=120)
    check(r.matched, "the DMA partition did not finish (%s)" % r.reason, r.output)
    # The device wrote through the SMMU's tables; the CPU read through the
    # coloured stage 2 (checked page by page above): the data arriving
    # means both put the guest page on the same coloured physical page.
    expect_lines(r, r"^smmu: 0x9050000 on: 1 stream\(s\) assigned",
                 r"^\[dma\] dma: own memory: arrived$",
                 r"^\[dma\] dma: unowned device: blocked$", r"^\[dma\] dma: done$")


BIG_SPAN_PA = 0x50000000
BIG_SPAN = 0x8000000               # 128 MiB: colours 0-7 and 8-15 give 64 MiB each
TABLES = re.compile(r"^tables: (\d+) KiB at 0x([0-9a-f]+)-0x([0-9a-f]+) for coloured partitions' "
                    r"translation tables and device-tree scratch, from free RAM$", re.M)
DT_SCRATCH = 64 * 1024             # core/partition.c builds coloured DTs there


@test("colouring: two 64 MiB coloured partitions boot, their translation tables (a page per "
      "2 MiB, beyond the image's fixed pool) carved from free RAM outside their span",
      gic=(3,), reqs="REQ-COL-004 REQ-COL-001")
def big_coloured(ctx):
    def big(name, cpu, tag, colours):
        extra = "\t\t\t\tbulkhead,colours = <%s>;\n" % " ".join(str(c) for c in colours)
        return Partition(name, [cpu], BIG_SPAN_PA, "colourtag", size=BIG_SPAN,
                         bootargs="tag=%d" % tag, extra=extra)

    parts = [big("tag-a", 1, 1, range(0, 8)), big("tag-b", 2, 2, range(8, 16))]
    args = system.build(ctx, "colour-big", parts, hypervisor_extra=LLC)
    both = r"(?s)(?=.*^\[tag-a\] colourtag: boot 1 tagged)(?=.*^\[tag-b\] colourtag: boot 1 tagged)"
    r = qemu.run(qemu.arm64_command(ctx.image, gic=ctx.gic, smp=4, extra=args, icount=True),
                 until=both, fail=FATAL, timeout=120)
    check(r.matched, "the two 64 MiB coloured partitions did not both run (%s)" % r.reason,
          r.output)
    m = TABLES.search(r.output)
    check(m is not None, "no line saying where the coloured tables are", r.output)
    kib, first, last = int(m.group(1)), int(m.group(2), 16), int(m.group(3), 16)
    # 64 MiB each at a page per 2 MiB: 32 last-level pages each at least,
    # more than the 80-page pool in the image holds beside its own tables.
    check(kib >= 2 * 32 * 4, "only %d KiB of tables for 128 MiB of coloured memory" % kib,
          r.output)
    check(last - first + 1 == kib * 1024, "the range does not match its size", r.output)
    check(last < BIG_SPAN_PA or first >= BIG_SPAN_PA + BIG_SPAN,
          "the tables 0x%x-0x%x overlap the partitions' span" % (first, last), r.output)
    for name, boot, count, lo, hi, stale in TAGGED.findall(r.output):
        # 64 MiB of guest memory, less image and device tree.
        check(int(count) > 16000, "%s tagged only %s pages" % (name, count), r.output)


@test("colouring: coloured memory's translation tables and device-tree scratch take a gap of "
      "free RAM of exactly their size; with one page less the boot names the partition and property and starts nothing",
      gic=(3,), reqs="REQ-COL-004")
def tables_need_free_ram(ctx):
    # One partition on 8 of 16 colours of 16 MiB: 8 MiB of guest memory,
    # 4 last-level tables, one each above, a root of up to 3: 9 pages;
    # and the 64 KiB its device tree is built in.
    extra = "\t\t\t\tbulkhead,colours = <0 1 2 3 4 5 6 7>;\n"
    parts = [Partition("tag-a", [1], SPAN_PA, "colourtag", size=SPAN, bootargs="tag=1",
                       extra=extra)]
    module_size = os.path.getsize(os.path.join(ctx.build, "partitions", "colourtag.bin"))
    module_end = (system.MODULE_BASE + module_size + PAGE - 1) & ~(PAGE - 1)
    need = 9 * PAGE + DT_SCRATCH

    def boot(gap):
        # Everything but the module, the span and a gap of `gap` bytes
        # above the span is reserved by /memreserve/ (the hypervisor and
        # the device tree included: the carve avoids them either way).
        reserve = [(0x40000000, system.MODULE_BASE), (module_end, SPAN_PA),
                   (SPAN_PA + SPAN + gap, 0x80000000)]
        text = system.system_dts(parts, [(system.MODULE_BASE, module_size, None)], LLC, system.BOARD)
        text = text.replace("/dts-v1/;\n", "/dts-v1/;\n" + "".join(
            "/memreserve/ 0x%x 0x%x;\n" % (lo, hi - lo) for lo, hi in reserve), 1)
        args = system.build(ctx, "colour-gap-%d" % gap, parts, dts=text)
        return qemu.run(qemu.arm64_command(ctx.image, gic=ctx.gic, smp=4, extra=args,
                                           icount=True),
                        until=r"^(\[tag-a\] colourtag: boot 1 tagged|no partition started$)",
                        fail=FATAL, timeout=60)

    r = boot(need)
    expect_lines(r, r"^tables: 100 KiB at 0x0000000051000000-0x0000000051018fff for coloured "
                 r"partitions' translation tables and device-tree scratch, from free RAM$",
                 r"^\[tag-a\] colourtag: boot 1 tagged")
    r = boot(need - PAGE)
    expect_lines(r, r"^error: /chosen/bulkhead/tag-a: property 'bulkhead,colours': its coloured "
                 r"memory's translation tables take 36 KiB \(a 4 KiB page per 2 MiB\)$",
                 r"^error: no free RAM range of 100 KiB for coloured partitions' translation "
                 r"tables and DT scratch: none outside", r"^no partition started$")
    check(re.search(r"^partition tag-a: starting", r.output, re.M) is None,
          "the partition started", r.output)
