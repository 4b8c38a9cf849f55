#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Boot benchmarks under QEMU icount (1 virtual ns = 1 instruction).

Figures: virtual time from reset to the hypervisor's entry, to its banner
and to "all CPUs online" with -smp 4; from hypervisor entry to the first
instruction of the two demo partitions with -m 1G, 2G and 4G; the image size (text + rodata + data +
bss, the bytes a loader must provide) and the run-time reservation for
per-CPU stacks and page tables. Writes build/bench/results.json and prints a
table with each figure's target. Benchmarks report; they never fail on a
target (that is what the figures are for), only on a broken run.
"""

import argparse
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from lib import qemu, system  # noqa: E402
from lib.system import Partition  # noqa: E402

TARGETS = {
    "boot_all_cpus_online_ns": 2_000_000,
    # The whole-project target (issue 9); the boot-foundation stage had 48 KiB.
    "image_bytes": 90_000,
    "boot_to_first_guest_1G_ns": 1_000_000,
    "boot_to_first_guest_2G_ns": 1_000_000,
    "boot_to_first_guest_4G_ns": 1_000_000,
}


class BenchContext:
    def __init__(self, top, build):
        self.top = top
        self.build = build
        self.tmp = os.path.join(build, "bench")
        os.makedirs(self.tmp, exist_ok=True)


def first_guest(ctx, mem):
    """Hypervisor entry to the first instruction of the later of two
    partitions (the demo's two hellos), with -m mem."""
    board = system.board_for(ctx, 4, mem)
    parts = [Partition("hello-a", [1], 0x50000000, "hello"),
             Partition("hello-b", [2], 0x52000000, "hello")]
    args = system.build(ctx, "bench-%s" % mem, parts, board=board)
    r = qemu.run(qemu.arm64_command(os.path.join(ctx.build, "arm64", "bulkhead.bin"), smp=4,
                                    mem=mem, icount=True, extra=args),
                 until=r"(?s)(?=.*^\[hello-a\] hello: done$)(?=.*^\[hello-b\] hello: done$)",
                 fail=r"^(fatal|configuration)", timeout=60)
    if not r.matched:
        raise SystemExit("bench: partitions did not start (%s)\n%s" % (r.reason, r.output))
    entry = int(r.search(r"at (\d+) ns since reset, device tree").group(1))
    firsts = [int(x) for x in r.findall(r"hello: first instruction at (\d+) ns since reset$")]
    return max(firsts) - entry


def boot_figures(image, smp):
    r = qemu.run(qemu.arm64_command(image, smp=smp, icount=True),
                 until=r"^all \d+ CPUs online at \d+ ns", fail=r"^fatal", timeout=60)
    if not r.matched:
        raise SystemExit("bench: boot did not complete (%s)\n%s" % (r.reason, r.output))
    return {
        "boot_entry_ns": int(r.search(r"at (\d+) ns since reset, device tree").group(1)),
        "boot_to_banner_ns": int(r.search(r"^boot: banner at (\d+) ns").group(1)),
        "boot_all_cpus_online_ns": int(r.search(r"^all \d+ CPUs online at (\d+) ns").group(1)),
    }


def size_figures(elf, readelf):
    out = subprocess.check_output([readelf, "-SW", elf], text=True)
    image = reserved = 0
    for m in re.finditer(r"^\s*\[\s*\d+\]\s+(\S+)\s+\S+\s+[0-9a-f]+\s+[0-9a-f]+\s+([0-9a-f]+)"
                         r"\s+\S+\s+(\S*A\S*)", out, re.M):
        name, size = m.group(1), int(m.group(2), 16)
        if name == ".reserved":
            reserved += size
        else:
            image += size
    return {"image_bytes": image, "reserved_bytes": reserved,
            "hyp_ram_bytes": image + reserved}


def main():
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--build", default="build")
    ap.add_argument("--readelf", default="aarch64-linux-gnu-readelf")
    args = ap.parse_args()
    build = os.path.join(top, args.build)
    image = os.path.join(build, "arm64", "bulkhead.bin")

    results = {}
    results.update(boot_figures(image, 4))
    results.update(size_figures(os.path.join(build, "arm64", "bulkhead.elf"), args.readelf))
    ctx = BenchContext(top, build)
    for mem in ("1G", "2G", "4G"):
        results["boot_to_first_guest_%s_ns" % mem] = first_guest(ctx, mem)
    results["conditions"] = "qemu-system-aarch64 virt,gic-version=3 cortex-a57 -smp 4 -m 1G " \
                            "-icount shift=0,sleep=off"

    os.makedirs(os.path.join(build, "bench"), exist_ok=True)
    with open(os.path.join(build, "bench", "results.json"), "w") as f:
        json.dump(results, f, indent=2, sort_keys=True)
        f.write("\n")

    print("%-28s %12s %12s  %s" % ("figure", "value", "target", "status"))
    for name in sorted(k for k in results if k != "conditions"):
        value = results[name]
        target = TARGETS.get(name)
        status = "" if target is None else ("met" if value < target else "MISSED")
        print("%-28s %12d %12s  %s" % (name, value, "< %d" % target if target else "", status))
    print("written: %s" % os.path.relpath(os.path.join(build, "bench", "results.json"), top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
