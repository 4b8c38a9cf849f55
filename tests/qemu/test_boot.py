# SPDX-License-Identifier: Apache-2.0
"""Boot foundation: banner, SMP, faults, refusal at EL1, DT fallbacks, memory map."""

import os
import re
import subprocess

from lib import qemu
from lib.harness import check, expect_lines, test

ONLINE = r"^all \d+ CPUs online"
FATAL = r"^(fatal|\*\*\* EL2 exception)"


@test("boot: banner shows the git version and the parts built in", reqs="REQ-BOOT-004")
def banner(ctx):
    r = qemu.run(qemu.arm64_command(ctx.image, gic=ctx.gic, smp=1), until=ONLINE, fail=FATAL)
    version = ctx.expected_version()
    expect_lines(r, r"^Bulkhead %s \(arm64\)" % re.escape(version),
                 r"^parts: %s$" % re.escape(ctx.expected_parts()),
                 r"^console: UART at 0x9000000, found from /chosen/stdout-path$")


def check_smp(ctx, n):
    r = qemu.run(qemu.arm64_command(ctx.image, gic=ctx.gic, smp=n), until=ONLINE, fail=FATAL)
    if ctx.gic == 2:
        expect_lines(r, r"^gic: GICv2, distributor 0x8000000, CPU interface 0x8010000, "
                        r"GICH 0x8030000, GICV 0x8040000$")
    expect_lines(r, r"^cpus: %d$" % n, r"^all %d CPUs online at \d+ ns since reset$" % n)
    online = sorted(int(i) for i in r.findall(r"^cpu (\d+): online \(hwid 0x[0-9a-f]+\)$"))
    check(online == list(range(1, n)), "secondaries online: %s, expected 1..%d" % (online, n - 1),
          r.output)


for _n in (1, 2, 4, 8):
    # A GICv2 serves up to 8 CPUs: the most it allows.
    test("boot: all CPUs online with -smp %d" % _n, gic=(3, 2) if _n == 8 else (3,),
         reqs="REQ-BOOT-002")(
        lambda ctx, n=_n: check_smp(ctx, n))


@test("boot: an EL2 fault dumps registers and halts only that CPU", reqs="REQ-CNT-003")
def el2_fault(ctx):
    r = qemu.run(qemu.arm64_command(ctx.fault_image, smp=3),
                 until=r"^fault-test: cpu 0 still running after the faulting CPUs halted$")
    check(r.matched, "cpu 0 did not report running on after the faults", r.output)
    expect_lines(r, r"^\*\*\* EL2 exception on CPU 1: synchronous, EL2$",
                 r"^ESR_EL2  0x[0-9a-f]{16} \(EC 0x25: data abort, EL2",
                 r"^FAR_EL2  0x00000000dead0000$",
                 r"^ELR_EL2  0x[0-9a-f]{16} \(bulkhead.elf \+ 0x[0-9a-f]+\)$",
                 r"^SPSR_EL2 0x[0-9a-f]{16}$", r"^x30 0x[0-9a-f]{16}  sp  0x[0-9a-f]{16}$",
                 r"^CPU 1 halted; other CPUs continue$")
    regs = set(int(i) for i in r.findall(r"x(\d+) +0x[0-9a-f]{16}"))
    check(regs == set(range(31)), "register dump lacks some of x0-x30: %s" % sorted(regs),
          r.output)


@test("boot: an EL2 stack overflow is caught at the guard page and halts only that CPU",
      reqs="REQ-CNT-003 REQ-SAF-002")
def el2_stack_overflow(ctx):
    r = qemu.run(qemu.arm64_command(ctx.fault_image, smp=3),
                 until=r"^fault-test: cpu 0 still running after the faulting CPUs halted$")
    check(r.matched, "cpu 0 did not report running on after the overflow", r.output)
    expect_lines(r, r"^fault-test: cpu 2 overflows its stack$",
                 r"^\*\*\* EL2 exception on CPU 2: synchronous, EL2 "
                 r"\(stack overflow: guard page hit\)$",
                 r"^CPU 2 halted; other CPUs continue$")
    check("cpu 2 survived" not in r.output, "the recursion ran to completion", r.output)
    # The faulting address is the guard page: just below the stack pointer.
    dump = r.output[r.output.index("EL2 exception on CPU 2"):]
    far = int(re.search(r"^FAR_EL2  0x([0-9a-f]{16})", dump, re.M).group(1), 16)
    esr = re.search(r"^ESR_EL2  0x[0-9a-f]{16} \(EC 0x(..)", dump, re.M).group(1)
    check(esr == "25", "EC 0x%s, not a data abort at EL2" % esr, dump)
    check(far % 4096 >= 4096 - 512, "FAR 0x%x is not at the top of a guard page" % far, dump)


@test("boot: entry at EL1 is refused on the UART", reqs="REQ-BOOT-003")
def el1_refused(ctx):
    r = qemu.run(qemu.arm64_command(ctx.image, gic=ctx.gic, smp=2, machine="virt,gic-version=3"),
                 until=r"halting$", timeout=20)
    check(r.matched, "no refusal message", r.output)
    expect_lines(r, r"^fatal: entered at EL1",
                 r"Bulkhead must be started at EL2 with virtualization enabled")
    check("CPUs online" not in r.output, "hypervisor went on booting at EL1", r.output)


@test("boot: the UART is found without /chosen/stdout-path", reqs="REQ-CNS-001")
def no_stdout_path(ctx):
    dtb = os.path.join(ctx.tmp, "no-stdout-path.dtb")
    qemu.dump_dtb(dtb, smp=2)
    subprocess.run(["fdtput", "-d", dtb, "/chosen", "stdout-path"], check=True)
    out = subprocess.run(["fdtget", dtb, "/chosen", "stdout-path"], capture_output=True)
    check(out.returncode != 0, "stdout-path still present in the test DTB")
    r = qemu.run(qemu.arm64_command(ctx.image, gic=ctx.gic, smp=2, dtb=dtb), until=ONLINE, fail=FATAL)
    expect_lines(r, r"^console: UART at 0x9000000, found from first enabled UART",
                 r"^all 2 CPUs online")


def patched_dtb(ctx, name, smp, *edits):
    """QEMU's own DTB for this machine with edits (type, node, property, values...)."""
    dtb = os.path.join(ctx.tmp, name + ".dtb")
    qemu.dump_dtb(dtb, smp=smp)
    for kind, node, prop, *values in edits:
        subprocess.run(["fdtput", "-t", kind, dtb, node, prop] + list(values), check=True)
    return dtb


@test("boot: redistributors split over two regions are all found", reqs="REQ-CFG-004 REQ-BOOT-002")
def two_redistributor_regions(ctx):
    gic = "/intc@8000000"
    dtb = patched_dtb(ctx, "two-gicr-regions", 4,
                      ("u", gic, "#redistributor-regions", "2"),
                      ("x", gic, "reg", "0", "8000000", "0", "10000",
                       "0", "80a0000", "0", "40000", "0", "80e0000", "0", "f20000"))
    r = qemu.run(qemu.arm64_command(ctx.image, gic=ctx.gic, smp=4, dtb=dtb), until=ONLINE, fail=FATAL)
    expect_lines(r, r"^gic: GICv3, distributor 0x8000000, 2 redistributor region\(s\)$",
                 r"^gic: redistributors 0x80a0000 \(256 KiB\)$",
                 r"^gic: redistributors 0x80e0000 \(15488 KiB\)$", r"^all 4 CPUs online")
    check("no GICv3 redistributor" not in r.output, "a CPU found no redistributor", r.output)


@test("boot: the DT timer clock-frequency overrides CNTFRQ_EL0", reqs="REQ-TIM-003 REQ-CFG-004")
def timer_clock_frequency(ctx):
    dtb = patched_dtb(ctx, "timer-freq", 2, ("u", "/timer", "clock-frequency", "125000000"))
    r = qemu.run(qemu.arm64_command(ctx.image, gic=ctx.gic, smp=2, dtb=dtb), until=ONLINE, fail=FATAL)
    expect_lines(r, r"^timer: 125000000 Hz, EL2 timer PPI 26$")


def check_memory(ctx, mem, mib):
    r = qemu.run(qemu.arm64_command(ctx.image, gic=ctx.gic, smp=1, mem=mem), until=ONLINE, fail=FATAL)
    end = 0x40000000 + mib * 1024 * 1024 - 1
    expect_lines(r, r"^memory: 0x0000000040000000-0x%016x \(%d MiB\)$" % (end, mib),
                 r"^memory: %d MiB in 1 range\(s\)$" % mib)


for _mem, _mib in (("128M", 128), ("1G", 1024), ("3G", 3072), ("6G", 6144)):
    test("boot: memory map matches -m %s" % _mem, reqs="REQ-BOOT-002 REQ-CFG-004")(
        lambda ctx, mem=_mem, mib=_mib: check_memory(ctx, mem, mib))


def gicv2_dtb(ctx, name, smp, *commands):
    """QEMU virt's DTB with a GICv2 and EL2, changed by fdtput commands
    (options, node, property, values...)."""
    dtb = os.path.join(ctx.tmp, name + ".dtb")
    qemu.dump_dtb(dtb, smp=smp, machine=qemu.machine_for(2))
    for options, *args in commands:
        subprocess.run(["fdtput"] + list(options) + [dtb] + list(args), check=True)
    return dtb


def check_gicv2_refused(ctx, dtb, smp, error):
    """Refused at boot, before any CPU starts, and by bulkhead-check, with error."""
    r = qemu.run(qemu.arm64_command(ctx.image, gic=2, smp=smp, dtb=dtb),
                 until=r"^fatal: the device tree does not describe a usable machine", fail=ONLINE)
    check(r.matched, "not refused at boot (%s)" % r.reason, r.output)
    expect_lines(r, error)
    tool = os.path.join(ctx.build, "tools", "bulkhead-check")
    out = subprocess.run([tool, dtb], capture_output=True, text=True, timeout=30)
    check(out.returncode == 1 and re.search(error, out.stdout, re.M),
          "bulkhead-check exit %d, expected 1 and %r" % (out.returncode, error),
          out.stdout + out.stderr)


@test("boot: a GICv2 with a ninth CPU is refused at boot and by bulkhead-check",
      reqs="REQ-BOOT-003 REQ-CFG-002")
def gicv2_nine_cpus(ctx):
    cpu8 = "/cpus/cpu@8"
    dtb = gicv2_dtb(ctx, "gicv2-9cpus", 8, (["-c"], cpu8),
                    (["-t", "s"], cpu8, "device_type", "cpu"),
                    (["-t", "s"], cpu8, "compatible", "arm,cortex-a57"),
                    (["-t", "s"], cpu8, "enable-method", "psci"),
                    (["-t", "u"], cpu8, "reg", "8"))
    check_gicv2_refused(ctx, dtb, 8, r"^error: /intc@8000000: property 'compatible': a GICv2 "
                                     r"serves at most 8 CPUs \(no affinity routing\), and /cpus "
                                     r"has more$")


@test("boot: a GICv2 without its virtualisation frames (GICH, GICV) is refused",
      reqs="REQ-BOOT-003")
def gicv2_without_virtualisation(ctx):
    dtb = gicv2_dtb(ctx, "gicv2-novirt", 2,
                    (["-t", "x"], "/intc@8000000", "reg",
                     "0", "8000000", "0", "10000", "0", "8010000", "0", "10000"))
    r = qemu.run(qemu.arm64_command(ctx.image, gic=2, smp=2, dtb=dtb),
                 until=r"^fatal: the device tree does not describe a usable machine", fail=ONLINE)
    check(r.matched, "not refused at boot (%s)" % r.reason, r.output)
    expect_lines(r, r"^error: /intc@8000000: property 'reg': no virtualisation extensions "
                    r"\(GICH and GICV, 3rd and 4th entries\)")
