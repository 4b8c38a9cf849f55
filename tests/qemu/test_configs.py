# SPDX-License-Identifier: Apache-2.0
"""The bad-configuration catalogue (tests/configs/bad): every error class is
refused by bulkhead-check on the host and by the hypervisor at boot, with the
same message, and no partition starts."""

import glob
import os
import re
import subprocess

from lib import qemu
from lib.harness import check, expect_lines, test


def catalogue(top):
    for src in sorted(glob.glob(os.path.join(top, "tests", "configs", "bad", "*.dts"))):
        text = open(src).read()
        expect = re.search(r"^// expect: (.*)$", text, re.M).group(1)
        args = re.search(r"^// check-args: (.*)$", text, re.M)
        machine = re.search(r"^// machine: (.*)$", text, re.M)
        yield (os.path.basename(src)[:-4], expect, args.group(1).split() if args else [],
               machine.group(1) if machine else None)


def dtb(ctx, name):
    return os.path.join(ctx.build, "configs", "bad", name + ".dtb")


def check_on_host(ctx, name, expect, args):
    tool = os.path.join(ctx.build, "tools", "bulkhead-check")
    r = subprocess.run(["timeout", "30", tool] + args + [dtb(ctx, name)],
                       capture_output=True, text=True)
    check(r.returncode == 1, "bulkhead-check exit %d, expected 1" % r.returncode, r.stdout)
    check(expect in r.stdout, "message %r missing" % expect, r.stdout)
    check(re.search(r"^error: /", r.stdout, re.M) is not None,
          "errors must name the node path", r.stdout)


def check_at_boot(ctx, name, expect, machine=None):
    """machine: more -M options the board of the DTS needs (`// machine:`)."""
    cmd = qemu.arm64_command(ctx.image, smp=4, extra=["-dtb", dtb(ctx, name)],
                             machine=qemu.MACHINE + ("," + machine if machine else ""))
    r = qemu.run(cmd, until=r"^(configuration: \d+ error\(s\); no partition started"
                 r"|partition \S+: starting)", timeout=30)
    check(r.matched, "boot ended without a verdict (%s)" % r.reason, r.output)
    expect_lines(r, re.escape(expect), r"^configuration: \d+ error\(s\); no partition started$")
    check(r.search(r"^partition \S+: starting") is None, "a partition started", r.output)


@test("configs: bulkhead-check accepts the demo configuration", reqs="REQ-CFG-002")
def check_demo(ctx):
    tool = os.path.join(ctx.build, "tools", "bulkhead-check")
    r = subprocess.run(["timeout", "30", tool, os.path.join(ctx.build, "dts", "two-partitions.dtb")],
                       capture_output=True, text=True)
    check(r.returncode == 0, "exit %d" % r.returncode, r.stdout + r.stderr)
    check(r.stdout.startswith("OK: ") and "partition hello-a: CPUs 1" in r.stdout,
          "unexpected report", r.stdout)


@test("configs: bulkhead-check explains the demo: partitions, CPUs, memory, address map",
      reqs="REQ-CFG-002")
def explain_demo(ctx):
    tool = os.path.join(ctx.build, "tools", "bulkhead-check")
    demo = os.path.join(ctx.build, "dts", "linux-rt.dtb")
    r = subprocess.run(["timeout", "30", tool, "--hypervisor", "0x40200000,0x100000", demo],
                       capture_output=True, text=True)
    check(r.returncode == 0, "exit %d" % r.returncode, r.stdout + r.stderr)
    out = r.stdout
    for line in (r"^machine: 4 CPU\(s\), RAM 0x40000000-0x7fffffff \(1 GiB\)$",
                 r"^partition linux: CPUs 1 2 \(/chosen/bulkhead/linux; hwid 0x1 0x2\)$",
                 r"^  memory +guest 0x0040000000-0x005fffffff -> physical "
                 r"0x0050000000-0x006fffffff, 512 MiB$",
                 r"^  kernel +module at 0x44000000, ",
                 r"^  ramdisk +module at 0x46400000, ",
                 r"^  bootargs +\"console=ttyAMA0 panic=-1 bulkhead.init=shell\"$",
                 r"^partition rt: CPUs 3 \(/chosen/bulkhead/rt; hwid 0x3\)$",
                 r"^  memory +guest 0x0040000000-0x0040ffffff -> physical "
                 r"0x0070000000-0x0070ffffff, 16 MiB$",
                 r"^  console +vuart \(emulated PL011 at guest 0x9000000\)$",
                 r"^  0x0009000000-0x0009000fff +4 KiB  hypervisor: console /pl011@9000000 \(PL011\)$",
                 r"^  0x0040200000-0x00402fffff +1 MiB  hypervisor: image$",
                 r"^  0x0050000000-0x006fffffff +512 MiB  linux: memory \(guest 0x40000000\)$",
                 r"^  0x0070000000-0x0070ffffff +16 MiB  rt: memory \(guest 0x40000000\)$",
                 r"^  0x0071000000-0x007fffffff +240 MiB  free RAM$"):
        check(re.search(line, out, re.M) is not None, "missing line %r" % line, out)
    # The map is sorted, without overlaps, and covers all of RAM.
    ranges = [(int(a, 16), int(b, 16)) for a, b in
              re.findall(r"^  0x([0-9a-f]+)-0x([0-9a-f]+) ", out, re.M)]
    check(len(ranges) > 10, "address map too short", out)
    for (a0, a1), (b0, b1) in zip(ranges, ranges[1:]):
        check(a1 < b0, "map not sorted or overlapping at %#x-%#x / %#x-%#x" % (a0, a1, b0, b1), out)
    check(any(a <= 0x40000000 and b >= 0x7fffffff for a, b in
              [(ranges[0][0], ranges[-1][1])]), "map does not cover RAM", out)
    r = subprocess.run(["timeout", "30", tool, "--quiet", demo], capture_output=True, text=True)
    check(r.returncode == 0 and r.stdout == "OK: %s: 2 partition(s)\n" % demo,
          "--quiet must print only the verdict", r.stdout)


@test("configs: bulkhead-check shows a passthrough device with its registers and IRQ",
      reqs="REQ-CFG-002")
def explain_device(ctx):
    tool = os.path.join(ctx.build, "tools", "bulkhead-check")
    r = subprocess.run(["timeout", "30", tool, os.path.join(ctx.build, "dts", "examples",
                                                            "smp-partition.dtb")],
                       capture_output=True, text=True)
    check(r.returncode == 0, "exit %d" % r.returncode, r.stdout + r.stderr)
    expect_in = ["  devices   /pl031@9010000: reg 0x9010000+0x1000, IRQ 34 (SPI 2)",
                 ": device /pl031@9010000"]
    for text in expect_in:
        check(text in r.stdout, "missing %r" % text, r.stdout)


@test("configs: bulkhead-check --version and --help", reqs="REQ-BOOT-004")
def check_version(ctx):
    tool = os.path.join(ctx.build, "tools", "bulkhead-check")
    r = subprocess.run([tool, "--version"], capture_output=True, text=True)
    check(r.returncode == 0 and r.stdout == "bulkhead-check %s\nparts: %s\n"
          % (ctx.expected_version(), ctx.expected_parts()), "version %r" % r.stdout)
    r = subprocess.run([tool, "--help"], capture_output=True, text=True)
    check(r.returncode == 0 and "usage: bulkhead-check" in r.stdout, "help", r.stdout)
    r = subprocess.run([tool, "/nonexistent.dtb"], capture_output=True, text=True)
    check(r.returncode == 2 and "/nonexistent.dtb" in r.stderr, "missing file", r.stderr)
    r = subprocess.run([tool, "--no-such-option", "x.dtb"], capture_output=True, text=True)
    check(r.returncode == 2 and "usage: bulkhead-check" in r.stderr, "bad option", r.stderr)



@test("configs: bulkhead-check refuses a tree whose structure libfdt cannot walk, and ends",
      reqs="REQ-CFG-001")
def check_malformed_structure(ctx):
    # fuzz-config's find: a property length of 0xfffffff4 wraps libfdt 1.6's
    # tag walk onto the same tag, so every walk of the tree loops for ever.
    top = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    blob = os.path.join(top, "tests", "fuzz", "regressions", "config",
                        "property-length-wrapping-to-its-own-tag")
    tool = os.path.join(ctx.build, "tools", "bulkhead-check")
    r = subprocess.run(["timeout", "30", tool, blob], capture_output=True, text=True)
    check(r.returncode == 2 and "structure block is malformed" in r.stderr,
          "exit %d" % r.returncode, r.stdout + r.stderr)


def _register():
    top = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    for name, expect, args, machine in catalogue(top):
        test("configs: %s refused by bulkhead-check" % name, reqs="REQ-CFG-001 REQ-CFG-002")(
            lambda ctx, n=name, e=expect, a=args: check_on_host(ctx, n, e, a))
        test("configs: %s refused at boot, nothing started" % name, reqs="REQ-CFG-001 REQ-CFG-002")(
            lambda ctx, n=name, e=expect, m=machine: check_at_boot(ctx, n, e, m))


_register()


@test("configs: every example in dts/qemu-virt passes bulkhead-check", reqs="REQ-CFG-002")
def examples(ctx):
    tool = os.path.join(ctx.build, "tools", "bulkhead-check")
    dtbs = sorted(glob.glob(os.path.join(ctx.build, "dts", "examples", "*.dtb")))
    check(len(dtbs) >= 2, "expected the example configurations to be built: %s" % dtbs)
    for path in dtbs:
        r = subprocess.run(["timeout", "30", tool, path], capture_output=True, text=True)
        check(r.returncode == 0 and r.stdout.startswith("OK: "),
              "%s: exit %d" % (os.path.basename(path), r.returncode), r.stdout)


@test("configs: the LX2160A-RDB board configuration passes bulkhead-check", reqs="REQ-BRD-001")
def board_lx2160a_rdb(ctx):
    tool = os.path.join(ctx.build, "tools", "bulkhead-check")
    dtb = os.path.join(ctx.build, "dts", "boards", "lx2160a-rdb.dtb")
    # booti puts the hypervisor at 0x80200000 (docs/boards/lx2160a-rdb.md).
    r = subprocess.run(["timeout", "30", tool, "--hypervisor", "0x80200000,0x200000", dtb],
                       capture_output=True, text=True)
    check(r.returncode == 0, "exit %d" % r.returncode, r.stdout + r.stderr)
    for line in (r"^OK: .*: 2 partition\(s\)$",
                 r"^machine: 16 CPU\(s\), RAM 0x80000000-0xffffffff \(2 GiB\)$",
                 r"^partition linux: CPUs \d+ \d+ \(/chosen/bulkhead/linux; hwid 0x100 0x101\)$",
                 r"^  devices +/soc/serial@21d0000: reg 0x21d0000\+0x1000, IRQ 65 \(SPI 33\)$",
                 r"^ +/soc/esdhc@2140000: reg 0x2140000\+0x10000, IRQ 60 \(SPI 28\)$",
                 r"^partition rt: CPUs \d+ \(/chosen/bulkhead/rt; hwid 0x200\)$",
                 r"^  console +vuart \(emulated PL011 at guest 0x21c0000\)$",
                 r"hypervisor: console /soc/serial@21c0000 \(SBSA UART\)$",
                 r"hypervisor: GIC /interrupt-controller@6000000 \(distributor\)$"):
        check(re.search(line, r.stdout, re.M) is not None, "missing line %r" % line, r.stdout)
