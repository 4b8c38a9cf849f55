# SPDX-License-Identifier: Apache-2.0
"""Cache interference, measured with a model of the shared last-level cache
(tools/llc-plugin, a QEMU TCG plugin: QEMU models no caches).

A real-time partition (partitions/tests/llcrt.c, CPU 1) runs one pass over
a 192 KiB working set per 200 us period; a neighbour (llcthrash.c, CPU 2)
streams through 4 MiB meanwhile. Three runs: the real-time partition
alone; beside the thrasher, neither coloured; beside it, colours 0-3 of 16
for the real-time partition and 4-15 for the thrasher, drawing from the
same 16 MiB. Each gives the real-time loop's miss rate in the modelled
1 MiB, 16-way cache and its worst iteration in modelled time
(instructions at 1 ns, as -icount shift=0 counts them, plus LLC_MISS_NS per
miss). The first pass, which fills the cache, is not counted. Methods:
docs/colouring.md.
"""

import os
import re

from lib import qemu, system
from lib.system import Partition

LLC_SIZE, LLC_WAYS, LLC_LINE = 1 << 20, 16, 64
LLC_MISS_NS = 100
LLC_DT = "\t\t\tbulkhead,llc = <0x%x %d %d>;\n" % (LLC_SIZE, LLC_SIZE // LLC_WAYS // LLC_LINE,
                                                  LLC_LINE)
ITERATIONS = 20
REPORT = re.compile(r"^llc: cpu 1: iterations (\d+) accesses (\d+) misses (\d+) "
                    r"worst_ns (\d+) mean_ns (\d+)$", re.M)
RT_COLOURS = "0 1 2 3"
THRASH_COLOURS = " ".join(str(c) for c in range(4, 16))

# name, unit, target, what: rows for bench.FIGURES.
FIGURES = [
    ("llc_miss_rate_alone", "%", None,
     "real-time loop's LLC miss rate (modelled 1 MiB 16-way LLC), alone"),
    ("llc_miss_rate_beside_thrasher", "%", None,
     "the same beside a neighbour streaming through memory, neither coloured"),
    ("llc_miss_rate_beside_thrasher_coloured", "%", 5,
     "the same, the two partitions on disjoint colours (4 and 12 of 16)"),
    ("llc_loop_worst_ns_alone", "ns", None,
     "real-time loop's worst iteration, modelled (1 ns per instruction, 100 ns per miss), alone"),
    ("llc_loop_worst_ns_beside_thrasher", "ns", None,
     "the same beside the thrasher, neither coloured"),
    ("llc_loop_worst_ns_beside_thrasher_coloured", "ns", None,
     "the same beside the thrasher, on disjoint colours"),
    ("llc_miss_rate_trapping_thrasher_hyp_uncoloured", "%", None,
     "coloured real-time loop filling its colours (248 of 256 KiB) beside a coloured thrasher "
     "that traps every 64 lines, the hypervisor uncoloured"),
    ("llc_miss_rate_trapping_thrasher_hyp_coloured", "%", None,
     "the same, the hypervisor on a colour of its own (bulkhead,hypervisor-colours)"),
]
# Figures that may be 0 (a working set that stays in its cache misses nothing).
MAY_BE_ZERO = ("llc_miss_rate_alone", "llc_miss_rate_beside_thrasher_coloured",
               "llc_miss_rate_trapping_thrasher_hyp_coloured")


def plugin_path(ctx):
    return os.path.join(ctx.build, "tools", "llc.so")


def run_case(ctx, image, case):
    coloured = case == "coloured"
    rt = Partition("rt", [1], 0x50000000, "llcrt", bootargs="iters=%d" % ITERATIONS,
                   extra="\t\t\t\tbulkhead,colours = <%s>;\n" % RT_COLOURS if coloured else "")
    parts = [rt]
    if case != "alone":
        # Coloured: both draw their pages from the same 16 MiB.
        parts.append(Partition("thrash", [2], 0x50000000 if coloured else 0x52000000, "llcthrash",
                               extra="\t\t\t\tbulkhead,colours = <%s>;\n" % THRASH_COLOURS
                               if coloured else ""))
    args = system.build(ctx, "llc-" + case, parts, hypervisor_extra=LLC_DT)
    args += ["-plugin", "%s,size=%d,ways=%d,line=%d,miss_ns=%d" % (
        plugin_path(ctx), LLC_SIZE, LLC_WAYS, LLC_LINE, LLC_MISS_NS), "-d", "plugin"]
    r = qemu.run(qemu.arm64_command(image, smp=4, icount=True, extra=args),
                 until=REPORT.pattern, fail=r"^(fatal|configuration|\*\*\* EL2 exception)",
                 timeout=120)
    m = REPORT.search(r.output)
    if not r.matched or m is None:
        raise SystemExit("bench: the LLC bench (%s) did not finish (%s)\n%s"
                         % (case, r.reason, r.output))
    iterations, accesses, misses, worst, mean = (int(g) for g in m.groups())
    if iterations != ITERATIONS - 1 or accesses == 0:
        raise SystemExit("bench: the LLC bench (%s) counted %d iterations, %d accesses\n%s"
                         % (case, iterations, accesses, r.output))
    return 100.0 * misses / accesses, worst, mean


# The coloured hypervisor (docs/colouring.md): a working set that fills its
# colours but for 8 KiB, so that a few foreign lines in its sets show; the
# thrasher (colours 4-14) calls PSCI_VERSION every TRAP_LINES lines; the
# hypervisor on colour 15 or on every colour.
HYP_WS = 248 * 1024
TRAP_LINES = 64


def run_hyp_case(ctx, image, hyp_coloured):
    """Misses and accesses of the real-time loop beside a trapping thrasher."""
    rt = Partition("rt", [1], 0x50000000, "llcrt",
                   bootargs="iters=%d ws=%d" % (ITERATIONS, HYP_WS),
                   extra="\t\t\t\tbulkhead,colours = <%s>;\n" % RT_COLOURS)
    thrash = Partition("thrash", [2], 0x50000000, "llcthrash", bootargs="trap=%d" % TRAP_LINES,
                       extra="\t\t\t\tbulkhead,colours = <%s>;\n"
                       % " ".join(str(c) for c in range(4, 15)))
    extra = LLC_DT + ("\t\t\tbulkhead,hypervisor-colours = <15>;\n" if hyp_coloured else "")
    args = system.build(ctx, "llc-hyp-%d" % hyp_coloured, [rt, thrash], hypervisor_extra=extra)
    args += ["-plugin", "%s,size=%d,ways=%d,line=%d,miss_ns=%d" % (
        plugin_path(ctx), LLC_SIZE, LLC_WAYS, LLC_LINE, LLC_MISS_NS), "-d", "plugin"]
    r = qemu.run(qemu.arm64_command(image, smp=4, icount=True, extra=args),
                 until=REPORT.pattern, fail=r"^(fatal|configuration|\*\*\* EL2 exception)",
                 timeout=120)
    m = REPORT.search(r.output)
    moved = re.search(r"^hypervisor: coloured, ", r.output, re.M) is not None
    if not r.matched or m is None or moved != hyp_coloured:
        raise SystemExit("bench: the LLC bench (hypervisor coloured: %s) did not finish (%s)\n%s"
                         % (hyp_coloured, r.reason, r.output))
    iterations, accesses, misses, _, _ = (int(g) for g in m.groups())
    if iterations != ITERATIONS - 1 or accesses == 0:
        raise SystemExit("bench: the LLC bench (hypervisor coloured: %s) counted %d iterations, "
                         "%d accesses\n%s" % (hyp_coloured, iterations, accesses, r.output))
    return misses, accesses


def llc_figures(ctx, image):
    figures = {}
    for case, suffix in (("alone", "alone"), ("beside", "beside_thrasher"),
                         ("coloured", "beside_thrasher_coloured")):
        rate, worst, mean = run_case(ctx, image, case)
        figures["llc_miss_rate_" + suffix] = {"value": round(rate, 2)}
        figures["llc_loop_worst_ns_" + suffix] = {"value": worst, "mean": mean}
    for coloured, suffix in ((False, "uncoloured"), (True, "coloured")):
        misses, accesses = run_hyp_case(ctx, image, coloured)
        figures["llc_miss_rate_trapping_thrasher_hyp_" + suffix] = {
            "value": round(100.0 * misses / accesses, 2)}
    return figures
