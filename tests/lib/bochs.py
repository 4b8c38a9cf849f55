# SPDX-License-Identifier: Apache-2.0
"""Boot the x86 port under bochs (Debian's `bochs`, 2.7), the only emulator
here with Intel VMX, EPT and unrestricted guest (QEMU's TCG has no VMX).

bochs boots its i440FX PC from a GRUB ISO (no -kernel or generic loader):
iso() builds one holding the hypervisor, the system DT and the partition
programs, each program a multiboot module whose bulkhead-module= names the
DT node Bulkhead fills in (docs/x86.md, "Boot with GRUB"). The serial port
goes to a file that `tail -F` passes on as it grows, read here with
select(): a test waits on output, never on time. Every run is under `timeout`
with SIGHUP (bochs ignores SIGTERM) and `clock: sync=none` with a fixed
`ips`, so a run repeats byte for byte. A guest (Bulkhead, /chosen
`bulkhead,exit-on-idle = <0xb004 0x2000>`) ends the run by ACPI power-off:
bochs then exits with status 1.
"""

import os
import re
import select
import shutil
import signal
import subprocess
import sys
import time

from . import qemu

BOCHS = "bochs"
VMX_CPU = "corei7_skylake_x"  # VMX, EPT, unrestricted guest, VPID, preemption timer
SVM_CPU = "ryzen"             # SVM with nested paging
NO_UG_CPU = "corei5_lynnfield_750"  # EPT without unrestricted guest
IPS = 50000000
# To probe other interleavings of the CPUs when hunting a flake (a run with
# the same image and settings repeats exactly): BULKHEAD_BOCHS_IPS changes
# the instruction rate (the guests' timers against their work),
# BULKHEAD_BOCHS_QUANTUM how many instructions a CPU runs before the next
# one (bochs' default: 16).
RUN_IPS = int(os.environ.get("BULKHEAD_BOCHS_IPS", IPS))
QUANTUM = int(os.environ.get("BULKHEAD_BOCHS_QUANTUM", "16"))
EXIT_PORT = 0xb004   # the PIIX4's ACPI PM1a control register on bochs' i440FX
EXIT_VALUE = 0x2000  # SLP_EN with sleep type 0: power off
EXIT_STATUS = 1      # what bochs returns after the guest powered it off
BIOS = "/usr/share/bochs/BIOS-bochs-latest"
GRUB_LAST = b"  Booting `hypervisor'\n\r\n\r"  # GRUB's last bytes on the serial port
VGABIOS = "/usr/share/vgabios/vgabios.bin"


def available():
    return shutil.which(BOCHS) is not None


def set_exit_on_idle(dtb):
    """Make Bulkhead power bochs off once idle, or when it refuses the CPU."""
    subprocess.run(["fdtput", "-t", "x", dtb, "/chosen", "bulkhead,exit-on-idle",
                    "%x" % EXIT_PORT, "%x" % EXIT_VALUE], check=True)


def iso(tmp, name, kernel, dtb, modules=()):
    """A GRUB ISO in tmp booting kernel (bulkhead.elf, multiboot2) with the
    system DT dtb and modules: (program file, DT module node path) pairs."""
    tree = os.path.join(tmp, "bochs-iso-" + name)
    shutil.rmtree(tree, ignore_errors=True)
    os.makedirs(os.path.join(tree, "boot", "grub"))
    shutil.copyfile(kernel, os.path.join(tree, "boot", "bulkhead.elf"))
    shutil.copyfile(dtb, os.path.join(tree, "boot", "system.dtb"))
    # GRUB's serial terminal sets the line up (8N1: Bulkhead keeps the
    # firmware's settings, and bochs' BIOS leaves none); run() drops what
    # GRUB itself writes there.
    lines = ["set timeout=0", "set default=0", "serial --unit=0 --speed=115200",
             "terminal_input serial", "terminal_output serial", 'menuentry "hypervisor" {',
             "\tmultiboot2 /boot/bulkhead.elf", "\tmodule2 /boot/system.dtb dtb"]
    for i, (program, node) in enumerate(modules):
        base = "m%d-%s" % (i, os.path.basename(program))
        shutil.copyfile(program, os.path.join(tree, "boot", base))
        lines.append("\tmodule2 /boot/%s bulkhead-module=%s" % (base, node))
    lines.append("}")
    with open(os.path.join(tree, "boot", "grub", "grub.cfg"), "w") as f:
        f.write("\n".join(lines) + "\n")
    path = os.path.join(tmp, "bochs-%s.iso" % name)
    subprocess.run(["timeout", "120", "grub-mkrescue", "-o", path, tree], check=True,
                   capture_output=True)
    return path


def config(iso_path, serial, cpu=VMX_CPU, smp=2, megs=1024, ips=RUN_IPS, log="/dev/null"):
    """A bochsrc: the i440FX PC booting iso_path from its CD drive, the
    serial port into the file (or FIFO) serial, no display, a clock that
    follows the instruction count only."""
    return "\n".join([
        "megs: %d" % megs,
        "cpu: model=%s, count=%d, ips=%d, quantum=%d" % (cpu, smp, ips, QUANTUM),
        "romimage: file=%s" % BIOS,
        "vgaromimage: file=%s" % VGABIOS,
        "display_library: term",
        "ata0-master: type=cdrom, path=%s, status=inserted" % iso_path,
        "boot: cdrom",
        "com1: enabled=1, mode=file, dev=%s" % serial,
        "clock: sync=none, time0=1",
        "log: %s" % log,
        "panic: action=fatal", "error: action=ignore", "info: action=ignore",
        "debug: action=ignore", ""])


def run(tmp, name, iso_path, cpu=VMX_CPU, smp=2, megs=1024, until=None, fail=None, timeout=120):
    """run_once(), again once if bochs itself crashed (SIGSEGV): bochs 2.7
    has been seen to, rarely and on a loaded machine only, never twice in a
    row; its log is kept (tmp/bochs-NAME.crash.log) and the crash said on
    stderr. Any other end, a second crash included, is the test's result."""
    r = run_once(tmp, name, iso_path, cpu, smp, megs, until, fail, timeout)
    if r.reason != "exited" or r.status != -signal.SIGSEGV:
        return r
    log = os.path.join(tmp, "bochs-%s.log" % name)
    if os.path.exists(log):
        shutil.copyfile(log, os.path.join(tmp, "bochs-%s.crash.log" % name))
    sys.stderr.write("bochs: %s crashed (SIGSEGV) after %d bytes of output: run again once\n"
                     % (name, len(r.raw)))
    return run_once(tmp, name, iso_path, cpu, smp, megs, until, fail, timeout)


def run_once(tmp, name, iso_path, cpu=VMX_CPU, smp=2, megs=1024, until=None, fail=None,
             timeout=120):
    """Boot iso_path under bochs; stop when `until` matches the serial
    output (or `fail` does, or bochs exits, or the time limit). Returns a
    qemu.Result whose output is the serial port's, from the file bochs
    writes it to, tmp/bochs-NAME.serial (bochs' own messages: .log). While
    bochs runs, `tail -F` (inotify) passes the file on as it grows, so the
    wait is on output, never on time."""
    timeout = int(timeout * float(os.environ.get("BULKHEAD_TIMEOUT_SCALE", "1")))
    rc = os.path.join(tmp, "bochs-%s.rc" % name)
    cont = os.path.join(tmp, "bochs-continue.rc")
    capture = os.path.join(tmp, "bochs-%s.serial" % name)
    open(capture, "wb").close()
    with open(rc, "w") as f:
        f.write(config(iso_path, capture, cpu, smp, megs,
                       log=os.path.join(tmp, "bochs-%s.log" % name)))
    with open(cont, "w") as f:
        f.write("c\n")  # the built-in debugger's first command: run
    full = ["timeout", "-s", "HUP", "--kill-after=5", str(timeout), BOCHS, "-q", "-f", rc,
            "-rc", cont]
    env = dict(os.environ, TERM="dumb")
    tail = subprocess.Popen(["tail", "-c", "+1", "-F", capture], stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    proc = subprocess.Popen(full, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, env=env)
    until_re = re.compile(until, re.M) if until else None
    fail_re = re.compile(fail, re.M) if fail else None
    buf = b""
    reason = "exited"
    deadline = time.monotonic() + timeout + 10
    serial, out = tail.stdout.fileno(), proc.stdout.fileno()
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                reason = "timeout"
                break
            ready, _, _ = select.select([serial, out], [], [], remaining)
            if serial in ready:
                buf += os.read(serial, 65536)
                text = buf[:buf.rfind(b"\n") + 1].decode("utf-8", "replace").replace("\r", "")
                if fail_re and fail_re.search(text):
                    reason = "failed"
                    break
                if until_re and until_re.search(text):
                    reason = "matched"
                    break
            if out in ready and not os.read(out, 65536):
                proc.wait()  # bochs has ended; its file has every byte
                reason = "timeout" if proc.returncode == 124 else "exited"
                break
    finally:
        for p in (proc, tail):
            if p.poll() is None:
                p.send_signal(signal.SIGHUP)  # timeout passes it on to bochs
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        tail.stdout.close()
        proc.stdout.close()
    with open(capture, "rb") as f:
        raw = f.read()
    # GRUB's lines (screen codes, "Booting `hypervisor'") are not Bulkhead's.
    # GRUB ends them with two "\n\r" (its serial terminal's line end):
    # dropped exactly, so that whatever follows, Bulkhead's first "\r\n"
    # on, is checked as Bulkhead's, stray bytes included.
    grub = raw.find(GRUB_LAST)
    if grub >= 0:
        raw = raw[grub + len(GRUB_LAST):]
    text = raw.decode("utf-8", "replace").replace("\r", "")
    status = proc.returncode if reason == "exited" else None
    return qemu.Result(text, reason == "matched", reason, full, status, raw=raw)
