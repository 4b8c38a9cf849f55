# SPDX-License-Identifier: Apache-2.0
"""The x86-64 port under QEMU TCG (q35, AMD SVM with nested paging)."""

import os
import re

from lib import qemu
from lib.harness import check, expect_lines, test

ONLINE = r"^all \d+ CPUs online"
FATAL = r"^(fatal|\*\*\* exception)"


def image(ctx):
    return os.path.join(ctx.build, "x86", "bulkhead32.elf")


def dtb(ctx, name):
    return os.path.join(ctx.build, "x86", "dtb", name + ".dtb")


def boot(ctx, name, smp=2, cpu=qemu.X86_CPU, until=None, fail=FATAL, loads=(), timeout=30):
    """Boot the system DT `name`; without `until`, run until Bulkhead exits QEMU."""
    cmd = qemu.x86_command(image(ctx), dtb(ctx, name), smp=smp, cpu=cpu, loads=loads)
    return qemu.run(cmd, until=until, fail=fail, timeout=timeout)


def expect_idle_exit(r):
    check(r.reason == "exited" and r.status == qemu.X86_EXIT_IDLE,
          "expected Bulkhead to exit QEMU with status %d once idle; run ended: %s, status %s"
          % (qemu.X86_EXIT_IDLE, r.reason, r.status), r.output)


@test("x86: boots from QEMU -kernel (multiboot1), banner, memory map, exit when idle")
def x86_boot(ctx):
    r = boot(ctx, "boot-2cpu")
    expect_idle_exit(r)
    version = ctx.expected_version()
    expect_lines(r, r"^Bulkhead %s \(x86_64\), a static partitioning hypervisor$" % re.escape(version),
                 r"^x86: entered from multiboot1 on APIC ID 0 at \d+ ns since reset, "
                 r"device tree at 0x[0-9a-f]+ \(module \".*boot-2cpu.dtb dtb\"\)$",
                 r"^console: UART at 0x3f8, found from /chosen/stdout-path$",
                 r"^memory: 0x0000000000100000-0x000000003fffffff \(1023 MiB\)$",
                 r"^memory: 1023 MiB in 1 range\(s\)$",
                 r"^hypervisor: 0x0000000000100000-0x[0-9a-f]{16} \(\d+ KiB\)$",
                 r"^apic: local APIC 0xfee00000, I/O APIC 0xfec00000 \(24 pins, all masked\), "
                 r"legacy PICs masked$",
                 r"^svm: nested paging, \d+ ASIDs$",
                 r"^error: /chosen: no node with compatible \"bulkhead,hypervisor\"$",
                 r"^configuration: 1 error\(s\); no partition started$")
    check(r.output.index("Bulkhead ") < r.output.index("x86: entered"),
          "the banner comes first", r.output)


def check_smp(ctx, n):
    r = boot(ctx, "boot-%dcpu" % n, smp=n)
    expect_idle_exit(r)
    expect_lines(r, r"^cpus: %d$" % n, r"^all %d CPUs online at \d+ ns since reset$" % n)
    online = sorted(int(i) for i in r.findall(r"^cpu (\d+): online \(hwid 0x[0-9a-f]+\)$"))
    check(online == list(range(1, n)), "secondaries online: %s, expected 1..%d" % (online, n - 1),
          r.output)


for _n in (2, 4):
    test("x86: all CPUs online with -smp %d (INIT-SIPI-SIPI)" % _n)(
        lambda ctx, n=_n: check_smp(ctx, n))


def check_refusal(ctx, cpu, why):
    r = boot(ctx, "boot-2cpu", cpu=cpu, fail=None)
    check(r.reason == "exited" and r.status == qemu.X86_EXIT_REFUSED,
          "expected the refusal exit status %d; run ended: %s, status %s"
          % (qemu.X86_EXIT_REFUSED, r.reason, r.status), r.output)
    expect_lines(r, r"^Bulkhead .* \(x86_64\)", r"^fatal: %s" % why,
                 r"^Bulkhead needs AMD SVM with nested paging \(QEMU: -cpu qemu64,\+svm,\+npt, "
                 r"EPYC or max\); halting$")
    check("cpus:" not in r.output, "nothing is started after the refusal", r.output)


@test("x86: a CPU without SVM is refused with a clear message")
def x86_no_svm(ctx):
    check_refusal(ctx, "qemu64,-svm", r"the CPU has no SVM \(CPUID 0x80000001 ECX bit 2 is clear\)$")


@test("x86: a CPU with SVM but no nested paging is refused")
def x86_no_npt(ctx):
    check_refusal(ctx, "qemu64", r"the CPU has SVM but no nested paging")
