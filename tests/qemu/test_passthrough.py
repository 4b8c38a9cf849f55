# SPDX-License-Identifier: Apache-2.0
"""Device passthrough on QEMU virt beyond the bare-metal RTC: a virtio-mmio
disk read by Linux (DMA into identity-mapped partition memory) and the
PL061 GPIO's power-button interrupt raised from the QEMU monitor. See
docs/passthrough.md."""

import os

from lib import qemu, system
from lib.harness import check, expect_lines, test
from lib.system import Partition

FATAL = r"^(fatal|\*\*\* EL2 exception)|Kernel panic"
# QEMU virt's 32 virtio-mmio transports: 0x200 bytes each from 0x0a000000,
# SPIs 16..47; the first -device virtio-*-device takes the highest one.
VIRTIO_LAST = "/virtio_mmio@a003e00"
VIRTIO_LAST_INTID = 32 + 47


def disk_image(ctx, name, first_line):
    """A 1 MiB raw disk whose first sector starts with first_line."""
    path = os.path.join(ctx.tmp, name + ".img")
    with open(path, "wb") as f:
        f.write((first_line + "\n").encode().ljust(512, b"\0"))
        f.truncate(1 << 20)
    return path


@test("passthrough: Linux reads a virtio-mmio disk through an identity-mapped partition")
def virtio_disk(ctx):
    line = "BULKHEAD-DISK-7f3a: written by the test, read by Linux"
    disk = disk_image(ctx, "virtio-disk", line)
    # No memory-guest-base: guest addresses are host addresses, as the
    # device's DMA needs without an IOMMU.
    linux = Partition("linux", [1, 2], 0x50000000, os.path.join(ctx.top, ".deps", "linux", "Image"),
                      size=0x20000000, guest_base=None,
                      ramdisk=os.path.join(ctx.build, "linux", "initramfs.cpio.gz"),
                      bootargs="console=ttyAMA0 panic=-1",
                      extra="\t\t\t\tdevices = <&{%s}>;\n" % VIRTIO_LAST)
    args = system.build(ctx, "virtio-disk", [linux])
    args += ["-drive", "if=none,id=disk0,format=raw,readonly=on,file=" + disk,
             "-device", "virtio-blk-device,drive=disk0"]
    r = qemu.run(qemu.arm64_command(ctx.image, smp=4, extra=args),
                 until=r"^partition linux: stopped$", fail=FATAL, timeout=90)
    check(r.matched, "Linux did not finish (%s)" % r.reason, r.output)
    expect_lines(r, r"linux-test: module virtio_mmio loaded$",
                 r"linux-test: module virtio_blk loaded$",
                 r"linux-test: iomem 50000000-6fffffff : System RAM$",
                 r"linux-test: vda sector 0: %s$" % line)
    counts = dict((name, (int(irq), int(n)))
                  for irq, name, n in r.findall(r"linux-test: irq (\d+): (\S+) count (\d+)$"))
    virtio = [name for name in counts if name.startswith("virtio")]
    check(len(virtio) == 1, "one virtio interrupt expected in /proc/interrupts: %s" % counts,
          r.output)
    check(counts[virtio[0]][1] > 0, "the virtio interrupt never fired: %s" % counts, r.output)
