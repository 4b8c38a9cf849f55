# SPDX-License-Identifier: Apache-2.0
"""Real boards (dts/<board>/, docs/boards/): each configuration, built on its
untouched Linux 6.1 board tree, gets the verdict VERDICTS gives it from
bulkhead-check, which runs the hypervisor's platform checks (GIC, PSCI,
timer) and configuration checks; each broken variant in tests/configs/boards
is refused with the message its `// expect:` line names."""

import glob
import os
import re
import subprocess

from lib.harness import check, expect_lines, test

# The expected verdict per board: [] is accepted, else every error line
# bulkhead-check prints (a substring of each; no other error may appear).
# Update here when a missing piece lands. The GICv2 boards (issue 18):
# the ZCU102 and the R-Car H3 are accepted, the RPi 4 still wants PSCI.
VERDICTS = {
    "lx2160a-rdb": [],
    "imx8mp-evk": [],
    "imx8qm-mek": [],
    "am625-sk": [],
    "j721e-evm": [],
    "rock-3a": [],
    "jetson-agx-orin": [],
    "zcu102": [],
    "rcar-h3-salvator-xs": [],
    "rpi4b": ["/cpus/cpu@0: property 'enable-method': \"spin-table\": Bulkhead starts CPUs "
              "through PSCI only"],
}

# Where the board's U-Boot puts the hypervisor (docs/boards/<board>.md): no
# partition's memory may overlap it.
HYPERVISOR = {
    "lx2160a-rdb": 0x80200000, "imx8mp-evk": 0x40200000, "imx8qm-mek": 0x82000000,
    "am625-sk": 0x82000000, "j721e-evm": 0x82000000, "rock-3a": 0x00a00000,
    "jetson-agx-orin": 0x82000000, "zcu102": 0x00200000, "rcar-h3-salvator-xs": 0x48200000,
    "rpi4b": 0x00200000,
}

# Boards whose Linux partition states no clock rate: the Orin's has no
# device (its only other UART is the hypervisor's), the LX2160A's SBSA UART
# needs no clock in Linux.
NO_CLOCK_RATE = {"jetson-agx-orin", "lx2160a-rdb"}


def top():
    return os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run_check(ctx, dtb, args=()):
    tool = os.path.join(ctx.build, "tools", "bulkhead-check")
    return subprocess.run(["timeout", "30", tool] + list(args) + [dtb],
                          capture_output=True, text=True)


def board_verdict(ctx, board):
    dtb = os.path.join(ctx.build, "dts", "boards", board + ".dtb")
    check(os.path.exists(dtb), "%s not built (make boards)" % dtb)
    r = run_check(ctx, dtb, ["--hypervisor", "%#x,0x200000" % HYPERVISOR[board]])
    expected = VERDICTS[board]
    errors = re.findall(r"^error: (.*)$", r.stdout, re.M)
    if not expected:
        check(r.returncode == 0 and r.stdout.startswith("OK: ") and not errors,
              "%s: expected accepted, exit %d" % (board, r.returncode), r.stdout + r.stderr)
        check(board in NO_CLOCK_RATE or
              re.search(r"^  devices .*, clock \d+ Hz \(fixed\)$", r.stdout, re.M) is not None,
              "%s: the Linux partition's UART and its clock rate expected" % board, r.stdout)
        check(re.search(r"^partition linux: CPUs ", r.stdout, re.M) is not None and
              re.search(r"^partition rt: CPUs ", r.stdout, re.M) is not None,
              "%s: a Linux and a bare-metal partition expected" % board, r.stdout)
        return
    check(r.returncode == 1, "%s: expected refused, exit %d" % (board, r.returncode),
          r.stdout + r.stderr)
    for e in expected:
        check(any(e in line for line in errors), "%s: missing error %r" % (board, e), r.stdout)
    for line in errors:
        check(any(e in line for e in expected), "%s: unexpected error %r" % (board, line),
              r.stdout)


def variants():
    for src in sorted(glob.glob(os.path.join(top(), "tests", "configs", "boards", "*.dts"))):
        expect = re.search(r"^// expect: (.*)$", open(src).read(), re.M).group(1)
        yield os.path.basename(src)[:-4], expect


def variant_refused(ctx, name, expect):
    dtb = os.path.join(ctx.build, "configs", "boards", name + ".dtb")
    check(os.path.exists(dtb), "%s not built (make boards)" % dtb)
    r = run_check(ctx, dtb)
    check(r.returncode == 1, "exit %d, expected 1" % r.returncode, r.stdout + r.stderr)
    check(expect in r.stdout, "message %r missing" % expect, r.stdout)
    check(all(line.startswith("error: /") for line in r.stdout.splitlines()
              if line.startswith("error:")), "errors must name the node path", r.stdout)


VERDICT_TREE = 0x70000000  # arch/arm64/verdict_test.c's BOARD_TREE


def same_verdict(ctx, dtb):
    """The hypervisor's verdict build, at EL2 on QEMU's virt, checks the
    board tree (loaded as data) with the boot's own code: its error lines
    and verdict are bulkhead-check's, one for one and in order."""
    from lib import qemu
    check(os.path.exists(dtb), "%s not built (make boards)" % dtb)
    host = run_check(ctx, dtb, ["-q"])
    host_errors = re.findall(r"^error: (.*)$", host.stdout, re.M)
    image = os.path.join(ctx.build, "arm64-verdict", "bulkhead.bin")
    cmd = qemu.arm64_command(image, smp=1, extra=[
        "-device", "loader,file=%s,addr=%#x,force-raw=on" % (dtb, VERDICT_TREE)])
    r = qemu.run(cmd, until=r"^verdict: (accepted|refused|no device tree).*$", timeout=60)
    check(r.matched, "the hypervisor gave no verdict (%s)" % r.reason, r.output)
    out = r.output[r.output.index("verdict: the system device tree at"):]
    hyp_errors = re.findall(r"^error: (.*?)\r?$", out, re.M)
    verdict = re.search(r"^verdict: (accepted|refused[^,]*), (\d+) partition", out, re.M)
    check(verdict is not None, "no verdict line", out)
    check(hyp_errors == host_errors, "the hypervisor says %s, the checker %s"
          % (hyp_errors, host_errors), out + host.stdout)
    accepted = verdict.group(1) == "accepted"
    check(accepted == (host.returncode == 0), "the hypervisor: %s; the checker: exit %d"
          % (verdict.group(1), host.returncode), out + host.stdout)
    if accepted:
        count = re.search(r"^OK: .*: (\d+) partition", host.stdout, re.M).group(1)
        check(count == verdict.group(2), "%s partitions on the host, %s at EL2"
              % (count, verdict.group(2)), out + host.stdout)


def _register():
    for board in sorted(VERDICTS):
        test("boards: %s gets its verdict from bulkhead-check" % board, reqs="REQ-BRD-001")(
            lambda ctx, b=board: board_verdict(ctx, b))
        test("boards: %s: the hypervisor at EL2 gives bulkhead-check's verdict" % board,
             reqs="REQ-BRD-003 REQ-CFG-002")(
            lambda ctx, b=board: same_verdict(
                ctx, os.path.join(ctx.build, "dts", "boards", b + ".dtb")))
    for name, expect in variants():
        test("boards: %s refused by bulkhead-check" % name, reqs="REQ-BRD-001 REQ-CFG-001")(
            lambda ctx, n=name, e=expect: variant_refused(ctx, n, e))
        test("boards: %s: the hypervisor at EL2 gives bulkhead-check's verdict" % name,
             reqs="REQ-BRD-003 REQ-CFG-002")(
            lambda ctx, n=name: same_verdict(
                ctx, os.path.join(ctx.build, "configs", "boards", n + ".dtb")))


_register()


@test("boards: every board has a configuration, a broken variant and its docs", reqs="REQ-BRD-001")
def boards_complete(ctx):
    boards = sorted(os.path.basename(os.path.dirname(p))
                    for p in glob.glob(os.path.join(top(), "dts", "*", "*.dts"))
                    if not os.path.basename(os.path.dirname(p)).startswith("qemu-"))
    check(boards == sorted(VERDICTS), "dts/ boards %s, VERDICTS %s" % (boards, sorted(VERDICTS)))
    readme = open(os.path.join(top(), "docs", "boards", "README.md")).read()
    names = [n for n, _ in variants()]
    for board in boards:
        check(os.path.exists(os.path.join(top(), "docs", "boards", board + ".md")),
              "docs/boards/%s.md missing" % board)
        check("(%s.md)" % board in readme, "docs/boards/README.md does not list %s" % board)
        check(any(n.startswith(board + "-") for n in names),
              "no broken variant of %s in tests/configs/boards" % board)


@test("boards: zcu102: the hypervisor on QEMU's ZCU102 model agrees with bulkhead-check on the "
      "board's platform (GIC-400, PSCI, timer)", reqs="REQ-BRD-002 REQ-CFG-002")
def zcu102_same_verdict(ctx):
    """The one board here with a QEMU model: the hypervisor, entered at EL2
    on it with the system configuration, prints on the Cadence UART that
    stdout-path names the same DT error lines as the checker on the host
    (both run core/arm_platform.c and drivers/uart's selection). The checker
    accepts the board since the GICv2 landed; the hypervisor must then name
    no node either, and goes on to start the partitions (-m 2G: see
    zcu102_boots)."""
    from lib import qemu
    dtb = os.path.join(ctx.build, "dts", "boards", "zcu102.dtb")
    check(os.path.exists(dtb), "%s not built (make boards)" % dtb)
    host = run_check(ctx, dtb, ["--hypervisor", "%#x,0x200000" % HYPERVISOR["zcu102"]])
    host_errors = re.findall(r"^error: (/.*)$", host.stdout, re.M)
    cmd = ["qemu-system-aarch64", "-M", "xlnx-zcu102,virtualization=on", "-m", "2G",
           "-display", "none", "-monitor", "none", "-serial", "stdio", "-serial", "null",
           "-icount", "shift=0,sleep=off", "-kernel", ctx.image, "-dtb", dtb]
    r = qemu.run(cmd, until=r"^(fatal: |partition \S+: starting)", timeout=60)
    check(r.matched, "the hypervisor did not report (%s)" % r.reason, r.output)
    check(r.search(r"^console: Cadence UART driver, ") is not None,
          "not on the Cadence UART stdout-path names", r.output)
    hyp_errors = re.findall(r"^error: (/.*?)\r?$", r.output, re.M)
    check(hyp_errors == host_errors[:len(hyp_errors)],
          "the hypervisor says %s, the checker %s" % (hyp_errors, host_errors), r.output)


@test("boards: zcu102 on QEMU's model: both partitions start on the GIC-400 (64 KiB-aliased CPU "
      "interface), Debian's Linux reaches /init on its own Cadence UART, the heartbeat beats on",
      reqs="REQ-BRD-002 REQ-PAR-001")
def zcu102_boots(ctx):
    """The board's configuration, untouched, with its modules where it puts
    them: Debian's kernel and the test initramfs for the Linux partition
    (CPUs 2-3, the second Cadence UART passed through), the heartbeat for
    the bare-metal one (CPU 1). -m 2G: for -dtb, QEMU rewrites /memory as
    one range from 0 of -m bytes, which above 2 GiB runs over the ZynqMP's
    devices (its second 2 GiB are at 32 GiB)."""
    from lib import qemu
    dtb = os.path.join(ctx.build, "dts", "boards", "zcu102.dtb")
    check(os.path.exists(dtb), "%s not built (make boards)" % dtb)
    uart1 = os.path.join(ctx.tmp, "zcu102-uart1.log")
    if os.path.exists(uart1):
        os.remove(uart1)
    cmd = qemu.zcu102_command(ctx.image, dtb, ctx.top, ctx.build, "file:" + uart1)
    r = qemu.run(cmd, until=r"(?s)^partition linux: stopped$.*^\[rt\] heartbeat 1500$",
                 fail=r"^(fatal|\*\*\* EL2 exception)", timeout=120)
    check(r.matched, "Linux should stop and the heartbeat go on (%s)" % r.reason, r.output)
    expect_lines(r, r"^gic: GICv2, distributor 0xf9010000, CPU interface 0xf902f000 "
                    r"\(64 KiB-aliased pages\), GICH 0xf9040000, GICV 0xf906f000$",
                 r"^all 4 CPUs online",
                 r"^partition linux: starting on 2 CPU\(s\)",
                 r"^partition rt: starting on 1 CPU\(s\)",
                 r"^partition linux: stopping: PSCI SYSTEM_OFF$")
    check(r.search(r"outside the partition") is None, "a partition faulted", r.output)
    # Every 100th beat, in order, from before Linux's boot to well after it.
    beats = [int(b) for b in r.findall(r"^\[rt\] heartbeat (\d+)$")]
    check(beats == list(range(100, 100 * len(beats) + 1, 100)),
          "heartbeat beats: %s" % beats, r.output)
    with open(uart1, encoding="utf-8", errors="replace") as f:
        linux = f.read()
    for line in (r"Kernel command line: console=ttyPS1",
                 r"ff010000\.serial: ttyPS\d at MMIO 0xff010000 .* is a xuartps",
                 r"smp: Brought up 1 node, 2 CPUs",
                 r"BULKHEAD-LINUX-INIT: 2 CPUs",
                 r"linux-test: irq \d+: arch_timer count [1-9]",
                 r"linux-test: done"):
        check(re.search(line, linux) is not None,
              "Linux's UART (ttyPS) lacks %r" % line, linux[-3000:])


@test("boards: make run BOARD=zcu102 (tools/run-qemu --board zcu102) gives the Linux "
      "partition's shell on its own UART, a pseudo-terminal, that runs a command typed there",
      reqs="REQ-BRD-002 REQ-CNS-004")
def zcu102_run_shell(ctx):
    import select
    import termios
    import time
    import tty
    dtb = os.path.join(ctx.build, "dts", "boards", "zcu102.dtb")
    check(os.path.exists(dtb), "%s not built (make boards)" % dtb)
    proc = subprocess.Popen(["timeout", "--kill-after=5", "120",
                             os.path.join(ctx.top, "tools", "run-qemu"), "--board", "zcu102",
                             ctx.image], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    console, shell, pty = b"", b"", None
    deadline = time.monotonic() + 110
    try:
        out = proc.stdout.fileno()
        while pty is None and time.monotonic() < deadline:
            if select.select([out], [], [], 1)[0]:
                data = os.read(out, 4096)
                if not data:
                    break
                console += data
                m = re.search(rb"(/dev/pts/\d+) \(label serial1\)", console)
                pty = m.group(1).decode() if m else None
        check(pty is not None, "QEMU named no pseudo-terminal for serial1",
              console.decode(errors="replace"))
        fd = os.open(pty, os.O_RDWR | os.O_NOCTTY)
        tty.setraw(fd, termios.TCSANOW)
        typed = False
        while b"BULKHEAD-42" not in shell and time.monotonic() < deadline:
            ready = select.select([fd, out], [], [], 1)[0]
            if out in ready:
                console += os.read(out, 4096)
            if fd in ready:
                shell += os.read(fd, 4096)
                # The prompt's line ends the shell's start-up: type then.
                if not typed and re.search(rb"linux /[^\n]* #\r?\n", shell):
                    os.write(fd, b"echo BULKHEAD-$((6*7))\r")
                    typed = True
        os.close(fd)
    finally:
        # SIGTERM to `timeout`, which passes it on to QEMU (run-qemu execs
        # it): killing `timeout` itself would leave QEMU running.
        proc.terminate()
        proc.wait()
    check(b"BULKHEAD-42" in shell, "the shell did not run the command (typed: %s)" % typed,
          shell.decode(errors="replace")[-2000:])
    check(re.search(rb"partition rt: starting", console) is not None,
          "the bare-metal partition did not start beside it", console.decode(errors="replace"))
