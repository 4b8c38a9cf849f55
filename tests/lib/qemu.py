# SPDX-License-Identifier: Apache-2.0
"""Boot images under QEMU with a hard time limit and capture the serial port.

Every run is wrapped in coreutils `timeout`, so a hung guest can never hang
the test suite, and reading stops as soon as the expected output (or a known
failure pattern) appears: tests synchronise on output, they never sleep.
"""

import json
import os
import re
import select
import socket
import subprocess
import time

QEMU_ARM64 = "qemu-system-aarch64"
MACHINE = "virt,virtualization=on,gic-version=3"


def machine_for(gic=3):
    """QEMU virt with EL2 and GIC version gic (2: a GICv2 with GICH at
    0x8030000, GICV at 0x8040000, maintenance PPI 9, up to 8 CPUs)."""
    return "virt,virtualization=on,gic-version=%d" % gic
CPU = "cortex-a57"
UBOOT_BIOS = "/usr/lib/u-boot/qemu_arm64/u-boot.bin"
# Where `-device loader` puts the image for U-Boot's `booti`: 2 MiB aligned
# (text_offset 0), above the DTB QEMU gives firmware at 0x40000000 (1 MiB)
# and U-Boot's early stack, which grows down from 0x40200000. Must equal
# bulkhead_addr in boot/qemu-uboot-env.txt.
UBOOT_LOAD_ADDR = 0x40200000


def uboot_env_image(build):
    """The environment flash image `make uboot-env` builds into build."""
    return os.path.join(build, "boot", "qemu-uboot-env.img")


def _path_opt(path):
    """A file name as a QEMU option value: commas are doubled."""
    return path.replace(",", ",,")


class Result:
    def __init__(self, output, matched, reason, cmd, status=None, raw=b""):
        self.output = output
        self.raw = raw  # the serial output as bytes, exactly as QEMU wrote it
        self.matched = matched
        self.reason = reason  # "matched", "failed", "exited", "timeout"
        self.cmd = cmd
        self.status = status  # exit status when reason is "exited", else None

    def __contains__(self, text):
        return text in self.output

    def search(self, pattern):
        return re.search(pattern, self.output, re.M)

    def findall(self, pattern):
        return re.findall(pattern, self.output, re.M)


def arm64_command(kernel=None, smp=4, mem="1G", machine=None, cpu=CPU, bios=None,
                  dtb=None, append=None, icount=False, uboot=False, uboot_env=None,
                  interactive=False, qmp=None, extra=(), gic=3):
    """The QEMU command line for an arm64 boot; also used by tools/run-qemu.

    kernel is booted with -kernel, or with uboot=True through Debian's
    U-Boot: -bios u-boot.bin, the environment image uboot_env (see
    boot/README.md) on the second flash bank, and kernel placed at
    UBOOT_LOAD_ADDR by QEMU's loader for the environment's `booti`.
    interactive multiplexes the monitor onto the serial console on stdio
    (Ctrl-A X quits, Ctrl-A C switches to the monitor). qmp is the path of a
    Unix socket where QEMU listens for QMP commands (see qmp_execute).
    machine, if given, replaces QEMU virt with GIC version gic.
    """
    machine = machine or machine_for(gic)
    console = ["-serial", "mon:stdio"] if interactive else ["-monitor", "none", "-serial", "stdio"]
    if qmp:
        console += ["-qmp", "unix:%s,server=on,wait=off" % _path_opt(qmp)]
    cmd = [QEMU_ARM64, "-M", machine, "-cpu", cpu, "-smp", str(smp), "-m", mem,
           "-display", "none"] + console + ["-nic", "none"]
    if icount:
        # sleep=off: virtual time advances only with instructions, never with
        # host time, so every figure repeats exactly.
        cmd += ["-icount", "shift=0,sleep=off"]
    if uboot:
        if not kernel or not uboot_env:
            raise ValueError("a U-Boot boot needs the image and the environment image")
        if append is not None:
            raise ValueError("a U-Boot boot takes no -append: bootargs live in the environment")
        # readonly: several QEMUs can share the image, and it never changes.
        cmd += ["-bios", bios or UBOOT_BIOS,
                "-drive", "if=pflash,format=raw,unit=1,readonly=on,file=" + _path_opt(uboot_env),
                "-device", "loader,file=%s,addr=%#x,force-raw=on"
                % (_path_opt(kernel), UBOOT_LOAD_ADDR)]
    else:
        if bios:
            cmd += ["-bios", bios]
        if kernel:
            cmd += ["-kernel", kernel]
    if dtb:
        cmd += ["-dtb", dtb]
    if append is not None:
        cmd += ["-append", append]
    return cmd + list(extra)


QEMU_X86 = "qemu-system-x86_64"
X86_MACHINE = "q35"
X86_CPU = "qemu64,+svm,+npt"
# isa-debug-exit: a write of v to the port exits QEMU with status 2v+1.
X86_EXIT_PORT = 0xf4
X86_EXIT_IDLE = 1     # Bulkhead wrote 0: no partition runs any more
X86_EXIT_REFUSED = 3  # Bulkhead wrote 1: it refused the machine


def x86_command(kernel, dtb, smp=2, mem="1G", machine=X86_MACHINE, cpu=X86_CPU,
                loads=(), icount=False, extra=()):
    """The QEMU command line for an x86-64 boot through multiboot1.

    kernel is the ELF32 image (QEMU's -kernel takes no ELF64); dtb is the
    system device tree, passed as the multiboot module with the string
    "dtb"; loads are (file, address) pairs put in memory by QEMU's generic
    loader, as the partitions' boot modules. An isa-debug-exit device lets
    Bulkhead end the run (/chosen bulkhead,exit-on-idle).
    """
    if "," in dtb or " " in dtb:
        raise ValueError("QEMU's -initrd list cannot hold a file name with ',' or ' '")
    cmd = [QEMU_X86, "-M", machine, "-accel", "tcg", "-cpu", cpu, "-smp", str(smp), "-m", mem,
           "-display", "none", "-monitor", "none", "-serial", "stdio", "-nic", "none",
           "-device", "isa-debug-exit,iobase=%#x,iosize=0x04" % X86_EXIT_PORT,
           "-kernel", kernel, "-initrd", dtb + " dtb"]
    if icount:
        cmd += ["-icount", "shift=0,sleep=off"]
    for path, addr in loads:
        cmd += ["-device", "loader,file=%s,addr=%#x,force-raw=on" % (_path_opt(path), addr)]
    return cmd + list(extra)


def qmp_execute(path, command, timeout=10, arguments=None):
    """Send one QMP command (with its arguments, a dict, if any) to the QEMU
    listening on Unix socket path and return its "return" value; a QMP error
    raises RuntimeError."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        sock.connect(path)
        replies = sock.makefile("r")

        def reply():
            # Events (asynchronous messages) may come before the answer.
            while True:
                line = replies.readline()
                if not line:
                    raise RuntimeError("QMP connection closed")
                msg = json.loads(line)
                if "return" in msg or "error" in msg or "QMP" in msg:
                    return msg

        reply()  # the greeting
        for execute, args in (("qmp_capabilities", None), (command, arguments)):
            request = {"execute": execute}
            if args:
                request["arguments"] = args
            sock.sendall(json.dumps(request).encode() + b"\n")
            msg = reply()
            if "error" in msg:
                raise RuntimeError("QMP %s: %s" % (execute, msg["error"]))
        return msg["return"]


def run(cmd, until=None, fail=None, timeout=30, stdin_data=None, send=(), actions=()):
    """Run cmd under `timeout`; stop when `until` matches the output.

    until/fail are regular expressions (or None). stdin_data is typed at
    once; send is a list of (regex, bytes): each is typed when its regex
    matches the output, in order (after the previous one). actions are
    (regex, function) pairs: each function is called once, with no
    argument, when its regex first matches, e.g. to press a button through
    QMP once the guest says it is ready. Returns a Result.
    BULKHEAD_TIMEOUT_SCALE (a number, default 1) stretches every timeout, for
    machines busier than CI's; timeouts only bound a hung run, never pace one.
    """
    timeout = int(timeout * float(os.environ.get("BULKHEAD_TIMEOUT_SCALE", "1")))
    full = ["timeout", "--kill-after=5", str(timeout)] + cmd
    if os.environ.get("BULKHEAD_SHOW_CMD"):
        print(" ".join(full))
    send = [(re.compile(p, re.M), data) for p, data in send]
    proc = subprocess.Popen(full, stdin=subprocess.PIPE if stdin_data or send
                            else subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if stdin_data:
        proc.stdin.write(stdin_data)
        proc.stdin.flush()
    sent_at = 0  # output offset after which the next send's regex must match
    until_re = re.compile(until, re.M) if until else None
    fail_re = re.compile(fail, re.M) if fail else None
    buf = b""
    reason = "exited"
    deadline = time.monotonic() + timeout + 10
    fd = proc.stdout.fileno()
    pending = [(re.compile(pattern, re.M), action) for pattern, action in actions]
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                reason = "timeout"
                break
            ready, _, _ = select.select([fd], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                reason = "timeout" if proc.wait() == 124 else "exited"
                break
            buf += chunk
            # Match complete lines only, so `$` never matches half a line.
            text = buf[:buf.rfind(b"\n") + 1].decode("utf-8", "replace").replace("\r", "")
            if fail_re and fail_re.search(text):
                reason = "failed"
                break
            for entry in [e for e in pending if e[0].search(text)]:
                pending.remove(entry)
                entry[1]()
            if until_re and until_re.search(text):
                reason = "matched"
                break
            while send:
                m = send[0][0].search(text, sent_at)
                if m is None:
                    break
                proc.stdin.write(send.pop(0)[1])
                proc.stdin.flush()
                sent_at = m.end()
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    text = buf.decode("utf-8", "replace").replace("\r", "")
    status = proc.returncode if reason == "exited" else None
    return Result(text, reason == "matched", reason, full, status, raw=buf)


def dump_dtb(path, smp=4, mem="1G", machine=MACHINE, cpu=CPU):
    """Write the DTB QEMU would generate for this machine (for DT edits)."""
    cmd = arm64_command(smp=smp, mem=mem, machine=machine + ",dumpdtb=" + path, cpu=cpu)
    subprocess.run(["timeout", "30"] + cmd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return path
