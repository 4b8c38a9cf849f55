# SPDX-License-Identifier: Apache-2.0
"""Health monitoring: a partition that stops kicking its watchdog is
restarted while its neighbour's heartbeat keeps every beat; a crash loop is
stopped by its restart-limit; Ctrl-T s lists the partitions' status."""

import os
import re
import subprocess

from lib import qemu, system
from lib.harness import check, expect_lines, test
from lib.system import Partition

FATAL = r"^(fatal|\*\*\* EL2 exception)"


def all_stopped(*names):
    return "(?s)" + "".join(r"(?=.*^partition %s: stopped$)" % n for n in names)


def check_heartbeat(r, name, beats):
    """Every beat printed, in order, and none late by a period or more."""
    shown = [int(b) for b in r.findall(r"^\[%s\] heartbeat (\d+)$" % name)]
    check(shown == list(range(10, beats + 1, 10)), "heartbeat beats: %s" % shown, r.output)
    m = r.search(r"^\[%s\] heartbeat: %d beats of (\d+) ticks, handler (\d+)\.\.(\d+) ticks "
                 r"after the deadline$" % (name, beats))
    check(m is not None, "no heartbeat summary", r.output)
    period, worst = int(m.group(1)), int(m.group(3))
    check(worst < period // 20, "a beat was late by %d of %d ticks" % (worst, period), r.output)


@test("health: a partition that stops kicking its watchdog is restarted and resumes; the "
      "neighbour's heartbeat misses no beat", gic=(3, 2), reqs="REQ-RST-002 REQ-TIM-002")
def watchdog_restart(ctx):
    parts = [Partition("rt", [1], 0x50000000, "heartbeat", bootargs="beats=40"),
             Partition("dog", [2], 0x52000000, "watchdog", bootargs="kicks=5",
                       extra="\t\t\t\twatchdog-timeout-ms = <50>;\n"
                             "\t\t\t\twatchdog-action = \"restart\";\n")]
    args = system.build(ctx, "watchdog", parts)
    r = qemu.run(qemu.arm64_command(ctx.image, gic=ctx.gic, smp=4, extra=args, icount=True),
                 until=all_stopped("rt", "dog"), fail=FATAL, timeout=90)
    check(r.matched, "both partitions should finish (%s)" % r.reason, r.output)
    expect_lines(r, r"^\[dog\] watchdog: boot 1$",
                 r"^\[dog\] watchdog: boot 1, kick 1: status 0, timeout 50 ms$",
                 r"^\[dog\] watchdog: boot 1, kick 5: status 0, timeout 50 ms$",
                 r"^\[dog\] watchdog: boot 1: hanging without kicks$",
                 r"^partition dog: watchdog expired \(no kick for 50 ms\): restart$",
                 r"^partition dog: restarting \(1\): watchdog expired$",
                 r"^\[dog\] watchdog: boot 2$",
                 r"^\[dog\] watchdog: boot 2, kick 3: status 0, timeout 50 ms$",
                 r"^\[dog\] watchdog: boot 2: resumed, health report: status 0$",
                 r"^\[dog\] watchdog: bad health report: status -2$")
    check(len(r.findall(r"^partition dog: restarting")) == 1, "expected one restart", r.output)
    check_heartbeat(r, "rt", 40)
    check(r.search(r"^partition rt: (stopping|restarting)") is None or
          r.search(r"^partition rt: stopping: PSCI SYSTEM_OFF$") is not None,
          "the neighbour was acted on", r.output)


@test("health: a partition without a watchdog is denied the kick", reqs="REQ-RST-002 REQ-HYP-002")
def watchdog_denied(ctx):
    parts = [Partition("dog", [1], 0x50000000, "watchdog", bootargs="kicks=1")]
    args = system.build(ctx, "nowatchdog", parts)
    r = qemu.run(qemu.arm64_command(ctx.image, gic=ctx.gic, smp=4, extra=args, icount=True),
                 until=r"^\[dog\] watchdog: boot 1: hanging", fail=FATAL, timeout=60)
    check(r.matched, "the partition should run (%s)" % r.reason, r.output)
    expect_lines(r, r"^\[dog\] watchdog: boot 1, kick 1: status -3, timeout 0 ms$")


@test("health: a crash loop is stopped by its restart-limit; Ctrl-T s lists the partitions", gic=(3, 2),
      reqs="REQ-RST-003 REQ-CNT-002")
def crash_loop(ctx):
    parts = [Partition("rt", [1], 0x50000000, "heartbeat", bootargs="every=10"),
             Partition("crasher", [2], 0x52000000, "crasher",
                       extra="\t\t\t\tfault-action = \"restart\";\n"
                             "\t\t\t\tfault-limit = <1>;\n"
                             "\t\t\t\trestart-limit = <2>;\n"
                             "\t\t\t\trestart-window-ms = <1000>;\n")]
    args = system.build(ctx, "crashloop", parts)
    r = qemu.run(qemu.arm64_command(ctx.image, gic=ctx.gic, smp=4, extra=args, icount=True),
                 until=r"(?s)^status: rt .*^\[rt\] heartbeat 30$", fail=FATAL, timeout=90,
                 send=[(r"^partition crasher: stopped$", b"\x14s")])
    check(r.matched, "the status table should show (%s)" % r.reason, r.output)
    expect_lines(r, r"^\[crasher\] crasher: boot 1, first instruction at \d+ ns$",
                 r"^partition crasher: vCPU 0: data access outside the partition at IPA "
                 r"0x50000000 .*external abort injected$",
                 r"^partition crasher: 1 fault\(s\) since its start \(fault-limit\): restart$",
                 r"^partition crasher: restarting \(1\): data access outside the partition$",
                 r"^\[crasher\] crasher: boot 2, first instruction",
                 r"^\[crasher\] crasher: memory left by the last boot: cleared$",
                 r"^partition crasher: restarting \(2\): data access outside the partition$",
                 r"^\[crasher\] crasher: boot 3, first instruction",
                 r"^partition crasher: stopping: data access outside the partition, but 2 "
                 r"restarts within 1000 ms already \(restart-limit\)$",
                 r"^partition crasher: stopped$",
                 r"^status: partition +state +cpus +restarts +faults +uptime-ms +report$",
                 r"^status: rt +running +1 +0 +0 +\d+ +-$",
                 r"^status: crasher +stopped +2 +2 +3 +0 +-$")
    check(len(r.findall(r"^\[crasher\] crasher: memory left by the last boot: cleared$")) == 2,
          "a restart left memory behind", r.output)
    check(r.search(r"^\[crasher\] crasher: (survived|abort taken)") is None,
          "the crasher ran on after a fault", r.output)
    check(r.search(r"^console: input goes to") is None or
          len(r.findall(r"^console: input goes to")) == 1,
          "Ctrl-T s moved the focus", r.output)
    shown = [int(b) for b in r.findall(r"^\[rt\] heartbeat (\d+)$")]
    check(shown == list(range(10, shown[-1] + 1, 10)) if shown else False,
          "heartbeat beats: %s" % shown, r.output)


@test("health: a restart resets the partition's passthrough device by its reset-registers",
      reqs="REQ-RST-004")
def device_reset(ctx):
    parts = [Partition("gpio", [1], 0x50000000, "devreset",
                       extra="\t\t\t\tdevices = <&{/pl061@9030000}>;\n"
                             "\t\t\t\treset-registers = <0x0 0x9030410 0x0>;\n")]
    args = system.build(ctx, "devreset", parts)
    r = qemu.run(qemu.arm64_command(ctx.image, gic=ctx.gic, smp=4, extra=args, icount=True),
                 until=r"^partition gpio: stopped$", fail=FATAL, timeout=60)
    check(r.matched, "the partition should restart and stop (%s)" % r.reason, r.output)
    expect_lines(r, r"^\[gpio\] devreset: boot 1, GPIOIE 0x0$",
                 r"^\[gpio\] devreset: GPIOIE set to 0xff, resetting$",
                 r"^partition gpio: restarting \(1\): PSCI SYSTEM_RESET$",
                 r"^\[gpio\] devreset: boot 2, GPIOIE 0x0$")


@test("health: poweroff-action = \"restart\" restarts a partition that powers itself off, "
      "within its restart-limit", gic=(3, 2), reqs="REQ-RST-005 REQ-RST-003")
def poweroff_restart(ctx):
    parts = [Partition("hello", [1], 0x50000000, "hello",
                       extra="\t\t\t\tpoweroff-action = \"restart\";\n"
                             "\t\t\t\trestart-limit = <2>;\n"
                             "\t\t\t\trestart-window-ms = <1000>;\n")]
    args = system.build(ctx, "poweroff", parts)
    r = qemu.run(qemu.arm64_command(ctx.image, gic=ctx.gic, smp=4, extra=args, icount=True),
                 until=r"^partition hello: stopped$", fail=FATAL, timeout=60)
    check(r.matched, "the partition should stop in the end (%s)" % r.reason, r.output)
    expect_lines(r, r"^partition hello: restarting \(1\): PSCI SYSTEM_OFF$",
                 r"^partition hello: restarting \(2\): PSCI SYSTEM_OFF$",
                 r"^partition hello: stopping: PSCI SYSTEM_OFF, but 2 restarts within 1000 ms "
                 r"already \(restart-limit\)$")
    check(len(r.findall(r"^\[hello\] hello: done$")) == 3, "expected three runs", r.output)


@test("health: bulkhead-check explains a partition's health policies", reqs="REQ-CFG-002")
def check_explains(ctx):
    parts = [Partition("p", [1], 0x50000000, "hello",
                       extra="\t\t\t\tdevices = <&{/pl061@9030000}>;\n"
                             "\t\t\t\twatchdog-timeout-ms = <100>;\n"
                             "\t\t\t\twatchdog-action = \"stop\";\n"
                             "\t\t\t\tfault-action = \"restart\";\n"
                             "\t\t\t\tfault-limit = <3>;\n"
                             "\t\t\t\trestart-limit = <4>;\n"
                             "\t\t\t\trestart-window-ms = <10000>;\n"
                             "\t\t\t\treset-registers = <0x0 0x9030410 0x0>;\n")]
    system.build(ctx, "healthcheck", parts)
    tool = os.path.join(ctx.build, "tools", "bulkhead-check")
    r = subprocess.run(["timeout", "30", tool, os.path.join(ctx.tmp, "healthcheck.dtb")],
                       capture_output=True, text=True)
    check(r.returncode == 0, "exit %d" % r.returncode, r.stdout + r.stderr)
    for line in (r"^  health +watchdog 100 ms, then stop$",
                 r"^  health +3 fault\(s\) in a run, then restart$",
                 r"^  health +at most 4 restart\(s\) in 10000 ms, then stop$",
                 r"^  health +on restart, write 0x0 to 0x9030410$"):
        check(re.search(line, r.stdout, re.M) is not None, "missing line %r" % line, r.stdout)
