# SPDX-License-Identifier: Apache-2.0
"""Device passthrough on QEMU virt beyond the bare-metal RTC: a virtio-mmio
disk read by Linux (DMA into identity-mapped partition memory) and the
PL061 GPIO's power-button interrupt raised from the QEMU monitor. See
docs/passthrough.md."""

import os
import shutil
import tempfile

from lib import qemu, system
from lib.harness import check, expect_lines, test
from lib.system import Partition

FATAL = r"^(fatal|\*\*\* EL2 exception)|Kernel panic"
# QEMU virt's 32 virtio-mmio transports: 0x200 bytes each from 0x0a000000,
# SPIs 16..47; the first -device virtio-*-device takes the highest one.
LINUX_IRQ = r"linux-test: irq (\d+): (\S+) count (\d+)$"
VIRTIO_TRANSPORTS = ["/virtio_mmio@a003c00", "/virtio_mmio@a003e00"]  # one 4 KiB page


def disk_image(ctx, name, first_line):
    """A 1 MiB raw disk whose first sector starts with first_line."""
    path = os.path.join(ctx.tmp, name + ".img")
    with open(path, "wb") as f:
        f.write((first_line + "\n").encode().ljust(512, b"\0"))
        f.truncate(1 << 20)
    return path


@test("passthrough: Linux reads two virtio-mmio disks through an identity-mapped partition",
      reqs="REQ-PAR-002")
def virtio_disks(ctx):
    lines = ["BULKHEAD-DISK-7f3a: the first disk", "BULKHEAD-DISK-c41e: the second disk"]
    disks = [disk_image(ctx, "virtio-disk%d" % i, line) for i, line in enumerate(lines)]
    # No memory-guest-base: guest addresses are host addresses, as the
    # devices' DMA needs without an IOMMU. Both transports share a page.
    linux = Partition("linux", [1, 2], 0x50000000, os.path.join(ctx.top, ".deps", "linux", "Image"),
                      size=0x20000000, guest_base=None,
                      ramdisk=os.path.join(ctx.build, "linux", "initramfs.cpio.gz"),
                      bootargs="console=ttyAMA0 panic=-1",
                      extra="\t\t\t\tdevices = <%s>;\n"
                      % " ".join("&{%s}" % t for t in VIRTIO_TRANSPORTS))
    args = system.build(ctx, "virtio-disks", [linux])
    for i, disk in enumerate(disks):
        args += ["-drive", "if=none,id=disk%d,format=raw,readonly=on,file=%s" % (i, disk),
                 "-device", "virtio-blk-device,drive=disk%d" % i]
    r = qemu.run(qemu.arm64_command(ctx.image, gic=ctx.gic, smp=4, extra=args),
                 until=r"^partition linux: stopped$", fail=FATAL, timeout=90)
    check(r.matched, "Linux did not finish (%s)" % r.reason, r.output)
    expect_lines(r, r"linux-test: module virtio_mmio loaded$",
                 r"linux-test: module virtio_blk loaded$",
                 r"linux-test: iomem 50000000-6fffffff : System RAM$")
    seen = sorted(r.findall(r"linux-test: vd[ab] sector 0: (.*)$"))
    check(seen == lines, "the disks' first sectors as Linux read them: %s" % seen, r.output)
    counts = dict((name, (int(irq), int(n)))
                  for irq, name, n in r.findall(LINUX_IRQ))
    virtio = [name for name in counts if name.startswith("virtio")]
    check(len(virtio) == 2, "two virtio interrupts expected in /proc/interrupts: %s" % counts,
          r.output)
    check(all(counts[name][1] > 0 for name in virtio),
          "a virtio interrupt never fired: %s" % counts, r.output)


@test("passthrough: the PL061's power-button pin interrupts its partition (QMP system_powerdown)", gic=(3, 2),
      reqs="REQ-PAR-002 REQ-IRQ-002")
def gpio_power_button(ctx):
    parts = [Partition("gpio", [1], 0x50000000, "gpioirq",
                       extra="\t\t\t\tdevices = <&{/pl061@9030000}>;\n"),
             Partition("ticker", [2], 0x52000000, "ticker")]
    args = system.build(ctx, "gpioirq", parts)
    sockdir = tempfile.mkdtemp(prefix="bh-qmp-")  # short: Unix socket paths are limited
    sock = os.path.join(sockdir, "qmp")
    try:
        press = (r"^\[gpio\] gpioirq: waiting for pin 3 \(SPI 39\)$",
                 lambda: qemu.qmp_execute(sock, "system_powerdown"))
        r = qemu.run(qemu.arm64_command(ctx.image, gic=ctx.gic, smp=4, qmp=sock, extra=args),
                     until=r"(?s)(?=.*^partition gpio: stopped$)(?=.*^partition ticker: stopped$)",
                     fail=FATAL, timeout=60, actions=[press])
    finally:
        shutil.rmtree(sockdir, ignore_errors=True)
    check(r.matched, "the partitions did not finish (%s)" % r.reason, r.output)
    expect_lines(r, r"^\[gpio\] gpioirq: interrupt 39 handled 1 time\(s\), GPIOMIS 0x8$")
    beats = [int(b) for b in r.findall(r"^\[ticker\] beat (\d+)$")]
    check(beats == list(range(1, 41)), "the neighbour's beats were not all there: %s" % beats,
          r.output)


@test("passthrough: Linux drives the PL031 RTC (a fixed clock copied) and takes its alarm",
      reqs="REQ-PAR-002 REQ-IRQ-002")
def linux_rtc(ctx):
    linux = Partition("linux", [1, 2], 0x50000000, os.path.join(ctx.top, ".deps", "linux", "Image"),
                      size=0x20000000, ramdisk=os.path.join(ctx.build, "linux", "initramfs.cpio.gz"),
                      bootargs="console=ttyAMA0 panic=-1",
                      extra="\t\t\t\tdevices = <&{/pl031@9010000}>;\n")
    args = system.build(ctx, "linux-rtc", [linux])
    r = qemu.run(qemu.arm64_command(ctx.image, gic=ctx.gic, smp=4, extra=args),
                 until=r"^partition linux: stopped$", fail=FATAL, timeout=90)
    check(r.matched, "Linux did not finish (%s)" % r.reason, r.output)
    expect_lines(r, r"linux-test: rtc0 rtc-pl031 9010000.pl031 date \d{4}-\d\d-\d\d$",
                 r"linux-test: rtc0 alarm fired$")
    counts = dict((name, int(n)) for _, name, n in r.findall(LINUX_IRQ))
    check(counts.get("rtc-pl031", 0) > 0, "no RTC interrupt counted: %s" % counts, r.output)


@test("passthrough: a device clocked by a clock controller probes in Linux with its "
      "device-clock-rates fixed clock", reqs="REQ-PAR-002 REQ-CFG-006")
def linux_rate_clock(ctx):
    """The PL031's clock moved to a clock controller the partition cannot
    have (as on every real SoC): without a clock, Linux's AMBA bus never
    probes it; device-clock-rates gives the partition a fixed clock for it."""
    linux = Partition("linux", [1, 2], 0x50000000, os.path.join(ctx.top, ".deps", "linux", "Image"),
                      size=0x20000000, ramdisk=os.path.join(ctx.build, "linux", "initramfs.cpio.gz"),
                      bootargs="console=ttyAMA0 panic=-1",
                      extra="\t\t\t\tdevices = <&{/pl031@9010000}>;\n"
                            "\t\t\t\tdevice-clock-rates = <&{/pl031@9010000} 24000000>;\n")
    placed = system.layout([linux], [(linux.image, linux.ramdisk)])
    dts = system.system_dts([linux], placed) + (
        "\n/ {\n\tsoc_clocks: clock-controller {\n"
        "\t\tcompatible = \"bulkhead-test,clock-controller\";\n"
        "\t\t#clock-cells = <1>;\n\t};\n};\n\n"
        "&{/pl031@9010000} {\n\tclocks = <&soc_clocks 7>;\n};\n")
    args = system.build(ctx, "linux-rate-clock", [linux], dts=dts)
    r = qemu.run(qemu.arm64_command(ctx.image, smp=4, extra=args),
                 until=r"^partition linux: stopped$", fail=FATAL, timeout=90)
    check(r.matched, "Linux did not finish (%s)" % r.reason, r.output)
    expect_lines(r, r"linux-test: rtc0 rtc-pl031 9010000.pl031 date \d{4}-\d\d-\d\d$",
                 r"linux-test: rtc0 alarm fired$")


@test("passthrough: the example (dts/qemu-virt/passthrough.dts, make run-passthrough) works",
      reqs="REQ-PAR-002")
def example(ctx):
    b = ctx.build
    args = ["-dtb", os.path.join(b, "dts", "passthrough.dtb"),
            "-device", "loader,file=%s,addr=0x44000000,force-raw=on"
            % os.path.join(ctx.top, ".deps", "linux", "Image"),
            "-device", "loader,file=%s,addr=0x46400000,force-raw=on"
            % os.path.join(b, "linux", "initramfs.cpio.gz"),
            "-device", "loader,file=%s,addr=0x46800000,force-raw=on"
            % os.path.join(b, "partitions", "gpioirq.bin"),
            "-drive", "if=none,id=disk0,format=raw,readonly=on,file="
            + os.path.join(b, "passthrough", "disk.img"),
            "-device", "virtio-blk-device,drive=disk0"]
    sockdir = tempfile.mkdtemp(prefix="bh-qmp-")
    sock = os.path.join(sockdir, "qmp")
    try:
        # The button is pressed once Linux is done and the GPIO armed.
        press = (r"(?s)(?=.*linux-test: done$)(?=.*^\[gpio\] gpioirq: waiting for pin 3)",
                 lambda: qemu.qmp_execute(sock, "system_powerdown"))
        r = qemu.run(qemu.arm64_command(ctx.image, gic=ctx.gic, smp=4, qmp=sock, extra=args),
                     until=r"(?s)(?=.*^partition linux: stopped$)(?=.*^partition gpio: stopped$)",
                     fail=FATAL + r"|^error:", timeout=120, actions=[press])
    finally:
        shutil.rmtree(sockdir, ignore_errors=True)
    check(r.matched, "the example did not run to its end (%s)" % r.reason, r.output)
    expect_lines(r, r"linux-test: vda sector 0: BULKHEAD-DISK: the passthrough example disk$",
                 r"linux-test: rtc0 alarm fired$",
                 r"^\[gpio\] gpioirq: interrupt 39 handled 1 time\(s\), GPIOMIS 0x8$")
