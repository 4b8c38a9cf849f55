# SPDX-License-Identifier: Apache-2.0
"""Partitions from the device tree: start, isolation, PSCI, stop and restart."""

import re

from lib import qemu, system
from lib.harness import check, expect_lines, test
from lib.samples import PINGPONG_BOOTARGS, check_pingpong
from lib.system import Partition

FATAL = r"^(fatal|\*\*\* EL2 exception)"


def all_stopped(*names):
    """A regex that matches once every named partition has stopped."""
    return "(?s)" + "".join(r"(?=.*^partition %s: stopped$)" % n for n in names)


def boot(ctx, name, partitions, until, timeout=60, smp=4):
    args = system.build(ctx, name, partitions)
    # icount: the orderings these tests assert on repeat exactly.
    return qemu.run(qemu.arm64_command(ctx.image, gic=ctx.gic, smp=smp, extra=args, icount=True), until=until,
                    fail=FATAL, timeout=timeout)


@test("partitions: two partitions on their own CPUs print concurrently", gic=(3, 2),
      reqs="REQ-PAR-001 REQ-CNS-003")
def two_partitions(ctx):
    parts = [Partition("hello-a", [1], 0x50000000, "hello"),
             Partition("hello-b", [2], 0x52000000, "hello")]
    r = boot(ctx, "two", parts, until=all_stopped("hello-a", "hello-b"))
    check(r.matched, "both partitions should run and stop (%s)" % r.reason, r.output)
    for name in ("hello-a", "hello-b"):
        expect_lines(r, r"^\[%s\] hello from %s \(vCPU 0, MPIDR 0x80000000\)$" % (name, name),
                     r"^\[%s\] %s: line 3 of 3$" % (name, name), r"^\[%s\] hello: done$" % name)
    # Whole lines only: every partition line is a complete, prefixed line.
    for line in r.output.splitlines():
        if line.startswith("[hello-"):
            check(re.match(r"^\[hello-[ab]\] (hello from|hello-[ab]: line|hello: (first instruction|done))", line),
                  "mixed-up console line: %r" % line, r.output)


@test("partitions: a second vCPU starts with CPU_ON; racing CPU_ONs get one SUCCESS", gic=(3, 2),
      reqs="REQ-HYP-003")
def smp(ctx):
    parts = [Partition("smp", [1, 2, 3], 0x50000000, "smp")]
    r = boot(ctx, "smp", parts, until=r"^partition smp: stopped$")
    check(r.matched, "the smp partition did not finish (%s)" % r.reason, r.output)
    expect_lines(r, r"^\[smp\] smp: PSCI version 0x10000$",
                 r"^\[smp\] smp: affinity of vCPU 1 before: 1$",
                 r"^\[smp\] smp: CPU_ON vCPU 1: 0$",
                 r"^\[smp\] smp: CPU_ON vCPU 1 again: -4$",
                 r"^\[smp\] smp: vCPU 1 up \(MPIDR 0x80000001, arg 42\)$",
                 r"^\[smp\] smp: vCPU 2 up \(MPIDR 0x80000002, arg [01]\)$",
                 r"^\[smp\] smp: racing CPU_ON results .*: 1 success, 1 already-on$",
                 r"^\[smp\] smp: affinity of a vCPU that does not exist: -2$")


@test("partitions: the portable sample pingpong (IPIs both ways, one-shot timer ticks) prints "
      "what it prints on x86", gic=(3, 2), reqs="REQ-PAR-001 REQ-IRQ-003")
def pingpong(ctx):
    parts = [Partition("pingpong", [1, 2], 0x50000000, "pingpong", bootargs=PINGPONG_BOOTARGS)]
    r = boot(ctx, "pingpong", parts, until=r"^partition pingpong: stopped$")
    check(r.matched, "the pingpong partition did not finish (%s)" % r.reason, r.output)
    check_pingpong(r)


@test("partitions: reading another partition's memory is an external abort", gic=(3, 2),
      reqs="REQ-ISO-001")
def abort(ctx):
    parts = [Partition("victim", [1], 0x50000000, "ticker"),
             Partition("attacker", [2], 0x52000000, "abort")]
    r = boot(ctx, "abort", parts, until=all_stopped("victim", "attacker"))
    check(r.matched, "the victim did not finish (%s)" % r.reason, r.output)
    expect_lines(r, r"^partition attacker: vCPU 0: data access outside the partition at IPA "
                    r"0x50000000 .*external abort injected$",
                 r"^\[attacker\] abort: caught exception class 0x25, fault status 0x10 at "
                 r"0x50000000$",
                 r"^\[attacker\] abort: contained")
    beats = [int(b) for b in r.findall(r"^\[victim\] beat (\d+)$")]
    check(beats == list(range(1, 41)), "victim beats not intact: %s" % beats, r.output)


@test("partitions: SYSTEM_OFF stops only the calling partition", reqs="REQ-RST-001 REQ-HYP-003")
def system_off(ctx):
    parts = [Partition("ticker", [1], 0x50000000, "ticker"),
             Partition("quitter", [2], 0x52000000, "hello")]
    r = boot(ctx, "off", parts, until=all_stopped("ticker", "quitter"))
    check(r.matched, "the ticker did not finish (%s)" % r.reason, r.output)
    out = r.output
    stopped = out.find("partition quitter: stopped")
    check(stopped >= 0, "quitter never stopped", out)
    after = re.findall(r"^\[ticker\] beat (\d+)$", out[stopped:], re.M)
    check(len(after) > 0, "no ticker beat after the neighbour stopped", out)
    check("partition ticker: stopping" not in out[:out.find("[ticker] ticker: done")],
          "the ticker was stopped with its neighbour", out)


@test("partitions: SYSTEM_RESET restarts only that partition, from a reloaded image", gic=(3, 2),
      reqs="REQ-RST-001")
def system_reset(ctx):
    parts = [Partition("ticker", [1], 0x50000000, "ticker"),
             Partition("resetter", [2], 0x52000000, "reset")]
    r = boot(ctx, "reset", parts, until=all_stopped("ticker", "resetter"))
    check(r.matched, "the ticker did not finish (%s)" % r.reason, r.output)
    expect_lines(r, r"^\[resetter\] reset: boot 1, marker 1$",
                 r"^partition resetter: restarting \(1\): PSCI SYSTEM_RESET$",
                 r"^\[resetter\] reset: boot 2, marker 1$",
                 r"^\[resetter\] reset: image reloaded$")
    check(len(r.findall(r"^\[resetter\] reset: boot \d")) == 2, "expected exactly two boots",
          r.output)
    beats = [int(b) for b in r.findall(r"^\[ticker\] beat (\d+)$")]
    check(beats == list(range(1, 41)), "ticker beats not intact: %s" % beats, r.output)


def demo_args(ctx):
    """The QEMU arguments `make run` uses for dts/qemu-virt/two-partitions.dts."""
    hello = "%s/partitions/hello.bin" % ctx.build
    args = ["-dtb", "%s/dts/two-partitions.dtb" % ctx.build]
    for addr in ("0x44000000", "0x44400000"):
        args += ["-device", "loader,file=%s,addr=%s,force-raw=on" % (hello, addr)]
    return args


def check_demo(ctx, uboot):
    env = qemu.uboot_env_image(ctx.build) if uboot else None
    cmd = qemu.arm64_command(ctx.image, gic=ctx.gic, smp=4, uboot=uboot, uboot_env=env, extra=demo_args(ctx))
    r = qemu.run(cmd, until=all_stopped("hello-a", "hello-b"), fail=FATAL, timeout=90)
    check(r.matched, "the demo partitions did not both run and stop (%s)" % r.reason, r.output)
    expect_lines(r, r"^\[hello-a\] hello: done$", r"^\[hello-b\] hello: done$")


@test("partitions: the make run demo boots through -kernel", reqs="REQ-BOOT-001 REQ-PAR-001")
def demo_kernel(ctx):
    check_demo(ctx, uboot=False)


@test("partitions: the make run demo boots through U-Boot booti", reqs="REQ-BOOT-001")
def demo_uboot(ctx):
    check_demo(ctx, uboot=True)


@test("partitions: forbidden registers are UNDEF, ID registers filtered, unknown calls refused, "
      "SMCCC_VERSION the same by the HVC fast path and by SMC", reqs="REQ-ISO-007 REQ-HYP-001")
def traps(ctx):
    parts = [Partition("traps", [1], 0x50000000, "traps")]
    r = boot(ctx, "traps", parts, until=r"^partition traps: stopped$")
    check(r.matched, "the traps partition did not finish (%s)" % r.reason, r.output)
    expect_lines(r, r"^\[traps\] traps: PMCR_EL0 read gave 1 UNDEF$",
                 r"^\[traps\] traps: PMCR_EL0 write gave 1 UNDEF$",
                 r"^\[traps\] traps: ID_AA64PFR0_EL1 EL2 field 0, EL1 field [12]$",
                 r"^\[traps\] traps: ID_AA64DFR0_EL1 PMU field 0$",
                 r"^\[traps\] traps: ACTLR_EL1 reads 0x0$",
                 r"^\[traps\] traps: set/way and WFE gave 0 UNDEF$",
                 r"^\[traps\] traps: unknown HVC returns -1$",
                 r"^\[traps\] traps: unknown SMC returns 0xffffffff$",
                 r"^\[traps\] traps: SMCCC_VERSION 0x10001, PSCI_FEATURES\(CPU_ON\) 0, "
                 r"PSCI_FEATURES\(0x84000077\) -1$",
                 r"^\[traps\] traps: CPU_SUSPEND returns 0$",
                 r"^\[traps\] traps: SMCCC_VERSION as 0x80000000: by HVC 0x10001 \(x1-x3, x17 kept\), "
                 r"by SMC 0x10001$",
                 r"^\[traps\] traps: SMCCC_VERSION as 0xffffffff80000000: by HVC 0x10001 "
                 r"\(x1-x3, x17 kept\), by SMC 0x10001$",
                 r"^\[traps\] traps: done$")


@test("partitions: console input goes to the focused partition; Ctrl-T moves the focus",
      reqs="REQ-CNS-004")
def console_focus(ctx):
    parts = [Partition("echo-a", [1], 0x50000000, "echo"),
             Partition("echo-b", [2], 0x52000000, "echo")]
    args = system.build(ctx, "focus", parts)
    typed = b"one\n\x14two\nquit\n\x14three\nquit\n"
    r = qemu.run(qemu.arm64_command(ctx.image, gic=ctx.gic, smp=4, extra=args, icount=True),
                 until=all_stopped("echo-a", "echo-b"), fail=FATAL, timeout=60,
                 stdin_data=typed)
    check(r.matched, "both echo partitions should quit (%s)" % r.reason, r.output)
    expect_lines(r, r"^console: input goes to echo-a; Ctrl-T moves it to the next partition$",
                 r"^\[echo-a\] echo: one$", r"^console: input goes to echo-b$",
                 r"^\[echo-b\] echo: two$", r"^\[echo-b\] echo: quit$",
                 r"^\[echo-a\] echo: three$", r"^\[echo-a\] echo: quit$")
    check(r.search(r"^\[echo-a\] echo: two$") is None, "echo-a got echo-b's input", r.output)
    check(r.search(r"^\[echo-b\] echo: (one|three)$") is None, "echo-b got echo-a's input",
          r.output)


def check_uartirq(r, a, b):
    """Both uartirq partitions saw the TX interrupt and echoed, from their
    interrupt handler, exactly the lines typed for them."""
    for name in (a, b):
        expect_lines(r, r"^\[%s\] uartirq: SPI 33, RIS 0x[236]0$" % name,
                     r"^\[%s\] uartirq: TX interrupt with an empty FIFO \(1\)$" % name,
                     r"^\[%s\] uartirq: ready$" % name)
    expect_lines(r, r"^\[%s\] uartirq: got 'one'$" % a, r"^\[%s\] uartirq: got 'two'$" % a,
                 r"^\[%s\] uartirq: got 'quit'$" % a, r"^console: input goes to %s$" % b,
                 r"^\[%s\] uartirq: got 'three'$" % b, r"^\[%s\] uartirq: got 'quit'$" % b)
    got = r.findall(r"^\[(\S+)\] uartirq: got '(.*)'$")
    check(got.count((a, "three")) == 0 and got.count((b, "one")) == 0 and len(got) == 5,
          "lines went to the wrong partition or twice: %s" % got, r.output)
    counts = r.findall(r"^\[(\S+)\] uartirq: interrupts: rx (\d+), tx (\d+), other (\d+)$")
    check(len(counts) == 2 and all(int(rx) > 0 and tx == "1" and other == "0"
                                   for _, rx, tx, other in counts),
          "interrupt counts: %s" % counts, r.output)


@test("partitions: the virtual UART interrupts: TX with an empty FIFO, typed lines read in the "
      "handler of a guest waiting in WFI", gic=(3, 2), reqs="REQ-CNS-004")
def uart_interrupt(ctx):
    parts = [Partition("irq-a", [1], 0x50000000, "uartirq"),
             Partition("irq-b", [2], 0x52000000, "uartirq")]
    args = system.build(ctx, "uartirq", parts)
    # Everything is typed at once: what reaches a partition before it
    # enables its receive interrupt waits in its buffer, and the level
    # interrupt fires when it does. Ctrl-T after irq-a quit still works:
    # a CPU no partition runs on takes the input.
    r = qemu.run(qemu.arm64_command(ctx.image, gic=ctx.gic, smp=4, extra=args, icount=True),
                 until=all_stopped("irq-a", "irq-b"), fail=FATAL, timeout=60,
                 stdin_data=b"one\ntwo\nquit\n\x14three\nquit\n")
    check(r.matched, "both partitions should quit (%s)" % r.reason, r.output)
    expect_lines(r, r"^console: input on interrupt 33, taken by CPU 0$")
    check_uartirq(r, "irq-a", "irq-b")


@test("partitions: with no free CPU, the console interrupt follows the focus", reqs="REQ-CNS-004")
def uart_interrupt_no_free_cpu(ctx):
    quiet = '\t\t\t\tconsole = "none";\n'
    parts = [Partition("irq-a", [1], 0x50000000, "uartirq"),
             Partition("irq-b", [2], 0x52000000, "uartirq"),
             Partition("t0", [0], 0x54000000, "ticker", extra=quiet),
             Partition("t3", [3], 0x56000000, "ticker", extra=quiet)]
    args = system.build(ctx, "uartirq-busy", parts)
    # The input moves with the focus from irq-a's CPU to irq-b's and back.
    # irq-b does not quit: with no free CPU, what is typed after the focused
    # partition stopped (a Ctrl-T included) would wait for it.
    until = r"(?s)(?=.*^partition irq-a: stopped$)(?=.*^\[irq-b\] uartirq: got 'three'$)"
    r = qemu.run(qemu.arm64_command(ctx.image, gic=ctx.gic, smp=4, extra=args, icount=True),
                 until=until, fail=FATAL, timeout=60,
                 stdin_data=b"one\n\x14three\n\x14two\nquit\n")
    check(r.matched, "irq-a should quit and irq-b get its line (%s)" % r.reason, r.output)
    expect_lines(r, r"^console: input on interrupt 33, taken by CPU 1 \(no free CPU: it "
                 r"follows the focus\)$",
                 r"^\[irq-a\] uartirq: got 'one'$", r"^console: input goes to irq-b$",
                 r"^\[irq-b\] uartirq: got 'three'$", r"^console: input goes to irq-a$",
                 r"^\[irq-a\] uartirq: got 'two'$", r"^\[irq-a\] uartirq: got 'quit'$",
                 r"^\[irq-a\] uartirq: interrupts: rx \d+, tx 1, other 0$")
    got = r.findall(r"^\[(\S+)\] uartirq: got '(.*)'$")
    check(sorted(got) == [("irq-a", "one"), ("irq-a", "quit"), ("irq-a", "two"),
                          ("irq-b", "three")], "lines received: %s" % got, r.output)


@test("partitions: a partition may bring its own device tree module", reqs="REQ-CFG-006")
def own_device_tree(ctx):
    import os
    import subprocess
    src = os.path.join(ctx.top, "tests", "qemu", "data", "own-dt.dts")
    dtb = os.path.join(ctx.tmp, "own-dt-module.dtb")
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", dtb, src], check=True)
    size = os.path.getsize(dtb)
    module = ("\t\t\t\tmodule@47000000 {\n"
              "\t\t\t\t\tcompatible = \"multiboot,device-tree\", \"multiboot,module\";\n"
              "\t\t\t\t\treg = <0x0 0x47000000 0x0 0x%x>;\n\t\t\t\t};\n" % size)
    parts = [Partition("synthesised", [1], 0x50000000, "hello", extra=module)]
    args = system.build(ctx, "own-dt", parts)
    args += ["-device", "loader,file=%s,addr=0x47000000,force-raw=on" % dtb]
    r = qemu.run(qemu.arm64_command(ctx.image, gic=ctx.gic, smp=4, extra=args, icount=True),
                 until=all_stopped("synthesised"), fail=FATAL, timeout=60)
    check(r.matched, "the partition did not run (%s)" % r.reason, r.output)
    expect_lines(r, r"^\[synthesised\] hello from from-its-own-dt \(vCPU 0")


@test("partitions: reset and power-off take down a vCPU spinning with interrupts masked",
      reqs="REQ-RST-001 REQ-CNT-001")
def spinner(ctx):
    parts = [Partition("spinner", [1, 2], 0x50000000, "spinner"),
             Partition("ticker", [3], 0x52000000, "ticker")]
    r = boot(ctx, "spinner", parts, until=all_stopped("spinner", "ticker"))
    check(r.matched, "the spinner partition did not stop (%s)" % r.reason, r.output)
    expect_lines(r, r"^\[spinner\] spinner: boot 1, CPU_ON vCPU 1: 0$",
                 r"^partition spinner: restarting \(1\): PSCI SYSTEM_RESET$",
                 r"^\[spinner\] spinner: boot 2, CPU_ON vCPU 1: 0$",
                 r"^partition spinner: stopping: PSCI SYSTEM_OFF$")
    beats = [int(b) for b in r.findall(r"^\[ticker\] beat (\d+)$")]
    check(beats == list(range(1, 41)), "ticker beats not intact: %s" % beats, r.output)


@test("partitions: a passthrough device is mapped and wired to the virtual GIC",
      reqs="REQ-PAR-002 REQ-IRQ-002")
def passthrough(ctx):
    parts = [Partition("devices", [1], 0x50000000, "devices",
                       extra="\t\t\t\tdevices = <&{/pl031@9010000}>;\n")]
    r = boot(ctx, "devices", parts, until=all_stopped("devices"))
    check(r.matched, "the devices partition did not finish (%s)" % r.reason, r.output)
    expect_lines(r, r"^\[devices\] devices: PL031 at 0x9010000, interrupt parent is the virtual GIC$",
                 r"^\[devices\] devices: RTC reads a date, peripheral ID 0x31$")
    check("external abort injected" not in r.output, "the device access aborted", r.output)


@test("partitions: virtual timer interrupts arrive at a fixed period through the vGIC", gic=(3, 2),
      reqs="REQ-IRQ-003")
def vtimer(ctx):
    parts = [Partition("vtimer", [1], 0x50000000, "vtimer"),
             Partition("ticker", [2], 0x52000000, "ticker")]
    r = boot(ctx, "vtimer", parts, until=all_stopped("vtimer", "ticker"))
    check(r.matched, "the vtimer partition did not finish (%s)" % r.reason, r.output)
    m = r.search(r"^\[vtimer\] vtimer: 20 ticks, period (\d+), intervals (\d+)\.\.(\d+) counter ticks$")
    check(m is not None, "no tick report", r.output)
    period, lo, hi = (int(x) for x in m.groups())
    # Re-armed from the compare value: only entry latency varies, a few ticks.
    check(period - 2 <= lo <= hi <= period + 2,
          "intervals %d..%d are not the period %d" % (lo, hi, period), r.output)
    beats = [int(b) for b in r.findall(r"^\[ticker\] beat (\d+)$")]
    check(beats == list(range(1, 41)), "neighbour's beats not intact: %s" % beats, r.output)


@test("partitions: SGIs reach the targeted vCPUs of the partition and never a neighbour", gic=(3, 2),
      reqs="REQ-ISO-004")
def sgis(ctx):
    parts = [Partition("sgi", [1, 2], 0x50000000, "sgi"),
             Partition("listener", [3], 0x52000000, "listener")]
    r = boot(ctx, "sgi", parts, until=all_stopped("sgi", "listener"))
    check(r.matched, "the partitions did not finish (%s)" % r.reason, r.output)
    expect_lines(r, r"^\[sgi\] sgi: vCPU 1 received 10 unicast and 5 broadcast SGIs$",
                 r"^\[sgi\] sgi: vCPU 0 received 0 of its own broadcasts$",
                 r"^\[listener\] listener: received 0 SGIs$")
    out = r.output
    check(out.find("[listener] listener: listening") < out.find("partition sgi: stopped")
          < out.find("[listener] listener: received"),
          "the listener was not listening while the broadcasts went out", out)


@test("partitions: the irqbench guest of make bench builds and measures one sample of each",
      reqs="REQ-TIM-001")
def irqbench_smoke(ctx):
    parts = [Partition("bench", [1, 2], 0x50000000, "irqbench", bootargs="samples=1",
                       extra="\t\t\t\tdevices = <&{/pl031@9010000}>;\n")]
    r = boot(ctx, "irqbench", parts, until=all_stopped("bench"))
    check(r.matched and "[bench] irqbench: done" in r, "irqbench did not finish (%s)" % r.reason,
          r.output)
    found = dict((name, (int(n), int(mid), int(lo), int(hi), int(empty)))
                 for name, n, mid, lo, hi, empty in
                 r.findall(r"^\[bench\] irqbench: (\S+) samples=(\d+) median=(-?\d+) "
                           r"min=(-?\d+) max=(-?\d+) empty=(-?\d+)$"))
    check(sorted(found) == ["hvc", "hvc-bulkhead", "hvc-general", "mmio-read", "passthrough", "sgi",
                            "sgi-running", "sgi-running-oneway", "sgi-self", "vtimer",
                            "vtimer-running"],
          "figures reported: %s" % sorted(found), r.output)
    for name, (n, mid, lo, hi, empty) in found.items():
        # One sample; an interrupt or trap through EL2 takes tens to
        # thousands of instructions, never none; measuring costs a few.
        check(n == 1 and 10 <= lo == mid == hi < 10000 and 0 <= empty < 20,
              "%s: implausible sample %s" % (name, found[name]), r.output)


@test("partitions: a disabled timer shows pending; ICACTIVER from the handler ends it", gic=(3, 2),
      reqs="REQ-IRQ-001 REQ-IRQ-003")
def pending_and_active(ctx):
    parts = [Partition("pending", [1], 0x50000000, "pending")]
    r = boot(ctx, "pending", parts, until=all_stopped("pending"))
    check(r.matched, "the partition did not finish (%s)" % r.reason, r.output)
    expect_lines(r, r"^\[pending\] pending: timer due, interrupt disabled: ISPENDR0 bit 27 = 1$",
                 r"^\[pending\] pending: handled 1, active in handler 1, active after 0$")


@test("partitions: a passthrough SPI is injected; a neighbour's GICD writes cannot touch it", gic=(3, 2),
      reqs="REQ-IRQ-002 REQ-ISO-003")
def passthrough_irq(ctx):
    parts = [Partition("rtcirq", [1], 0x50000000, "rtcirq",
                       extra="\t\t\t\tdevices = <&{/pl031@9010000}>;\n"),
             Partition("attacker", [2], 0x52000000, "gicdattack")]
    r = boot(ctx, "rtcirq", parts, until=all_stopped("rtcirq", "attacker"))
    check(r.matched, "the partitions did not finish (%s)" % r.reason, r.output)
    expect_lines(r, r"^\[rtcirq\] rtcirq: SPI 34 enabled$",
                 r"^\[attacker\] gicdattack: done; enabled SPIs visible to me: 0x0$",
                 r"^\[rtcirq\] rtcirq: interrupt 34 handled 1 time\(s\)$")
    out = r.output
    check(out.find("[rtcirq] rtcirq: SPI 34 enabled") < out.find("[attacker] gicdattack: done")
          < out.find("[rtcirq] rtcirq: interrupt 34 handled"),
          "the attack did not happen between enable and trigger", out)


@test("partitions: a level passthrough SPI ended before its device is cleared is taken once per "
      "event; its pending and active bits follow the physical GIC", gic=(3, 2),
      reqs="REQ-IRQ-006 REQ-IRQ-002")
def level_passthrough_irq(ctx):
    parts = [Partition("levelirq", [1], 0x50000000, "levelirq",
                       extra="\t\t\t\tdevices = <&{/pl031@9010000}>;\n")]
    r = boot(ctx, "levelirq", parts, until=all_stopped("levelirq"))
    check(r.matched, "the partition did not finish (%s)" % r.reason, r.output)
    expect_lines(r, r"^\[levelirq\] levelirq: SPI 34 disabled: pending before 0, after the alarm 1, "
                    r"after clearing 0$")
    found = r.findall(r"^\[levelirq\] levelirq: events (\d+), handler entries (\d+), empty (\d+)$")
    check(len(found) == 1, "no count of events and handler entries", r.output)
    events, entries, empty = (int(n) for n in found[0])
    check(events == 20 and entries == events and empty == 0,
          "%d events raised, %d handler entries (%d with nothing to do)" % (events, entries, empty),
          r.output)
    expect_lines(r, r"^\[levelirq\] levelirq: active in handler 20, after EOI 0, after return 0$")


# lroverflow.c: SGI n has priority rank 7n mod 16, the virtual timer comes
# between ranks 7 and 8; the most urgent first.
LROVERFLOW_SGIS = sorted(range(16), key=lambda sgi: sgi * 7 % 16)
LROVERFLOW_ORDER = " ".join(str(i) for i in LROVERFLOW_SGIS[:8] + [27] + LROVERFLOW_SGIS[8:])


def check_lroverflow(ctx, name, cpus, sender):
    parts = [Partition(name, cpus, 0x50000000, "lroverflow")]
    r = boot(ctx, name, parts, until=all_stopped(name))
    check(r.matched, "the partition did not finish (%s)" % r.reason, r.output)
    expect_lines(r, r"^\[%s\] lroverflow: sent by vCPU %d; pending with IRQs masked: 0x800ffff$"
                 % (name, sender),
                 r"^\[%s\] lroverflow: 17 delivered: %s$" % (name, LROVERFLOW_ORDER),
                 r"^\[%s\] lroverflow: each once, most urgent first: yes; "
                 r"left pending 0x0, active 0x0$" % name)


@test("partitions: 16 SGIs and a timer pending with 4 list registers arrive once each, by priority", gic=(3, 2),
      reqs="REQ-IRQ-001")
def lr_overflow(ctx):
    check_lroverflow(ctx, "lroverflow", [1], sender=0)


@test("partitions: 16 SGIs from another vCPU while IRQs are masked, and a timer, arrive by priority", gic=(3, 2),
      reqs="REQ-IRQ-001")
def lr_overflow_remote(ctx):
    check_lroverflow(ctx, "lroverflow2", [1, 2], sender=1)


@test("partitions: a timer firing while every list register holds an active SGI arrives once they end", gic=(3, 2),
      reqs="REQ-IRQ-001")
def lr_all_active(ctx):
    parts = [Partition("lractive", [1], 0x50000000, "lractive")]
    r = boot(ctx, "lractive", parts, until=all_stopped("lractive"))
    check(r.matched, "the partition did not finish (%s)" % r.reason, r.output)
    expect_lines(r, r"^\[lractive\] lractive: acknowledged 0 1 2 3; pending 0x8000000, active 0xf$",
                 r"^\[lractive\] lractive: timer delivered 1 time\(s\); left pending 0x0, active 0x0$")


@test("partitions: a partition reads the hypervisor's version by hypercall (git describe), "
      "its identity, and writes to its console by hypercall", reqs="REQ-HYP-001 REQ-BOOT-004")
def version_hypercall(ctx):
    parts = [Partition("version", [1], 0x50000000, "version")]
    r = boot(ctx, "version", parts, until=all_stopped("version"))
    check(r.matched, "the version partition did not finish (%s)" % r.reason, r.output)
    expect_lines(r, r"^\[version\] version: hypervisor UID 1fe7358f-7a4efab6-18e3b9bc-7813955f: "
                    r"Bulkhead$",
                 r"^\[version\] version: hypercall ABI 1\.2$",
                 r"^\[version\] version: Bulkhead %s$" % re.escape(ctx.expected_version()),
                 r"^\[version\] version: the SMC32 form returns -1$",
                 r"^\[version\] version: an unknown vendor call returns -1$",
                 r"^\[version\] version: partition 0, vCPU 0 of 1$",
                 r"^\[version\] by hypercall$",
                 r"^\[version\] version: console write of 17 bytes returns -2$")
    check(len(r.findall(r"^\[version\] by hypercall$")) == 1,
          "the refused console write wrote something", r.output)
