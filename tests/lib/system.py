# SPDX-License-Identifier: Apache-2.0
"""Assemble a Bulkhead system for QEMU virt from a short description.

A test names its partitions (CPUs, memory, image); this writes the system
DTS on top of dts/qemu-virt/virt-4cpu-1g.dtsi, compiles it with dtc, places
each image as a boot module (sizes taken from the real files) and returns
the QEMU arguments that load them: the same thing a user writes by hand in
dts/qemu-virt/*.dts.
"""

import os
import subprocess

BOARD = "virt-4cpu-1g.dtsi"      # QEMU -smp 4 -m 1G
MODULE_BASE = 0x44000000          # below QEMU's DTB (0x48000000 for 1 GiB)


class Partition:
    def __init__(self, name, cpus, pa, image, size=0x1000000, guest_base=0x40000000, extra="",
                 ramdisk=None, bootargs=None):
        self.name = name
        self.cpus = cpus            # CPU numbers of the board: [1], [1, 2, 3]
        self.pa = pa
        self.size = size
        self.image = image          # program name under build/partitions/, or a path
        self.guest_base = guest_base
        self.extra = extra          # more DTS lines for the partition node
        self.ramdisk = ramdisk      # path of an initramfs, or None
        self.bootargs = bootargs


def cells(v):
    return "0x%x 0x%x" % (v >> 32, v & 0xffffffff)


def module_dts(kind, addr, size):
    return ("\t\t\t\tmodule@%x {\n"
            "\t\t\t\t\tcompatible = \"multiboot,%s\", \"multiboot,module\";\n"
            "\t\t\t\t\treg = <%s %s>;\n\t\t\t\t};\n" % (addr, kind, cells(addr), cells(size)))


def partition_dts(p, module_addr, module_size, ramdisk=None):
    cpus = " ".join("&cpu%d" % c for c in p.cpus)
    guest = "\t\t\t\tmemory-guest-base = <%s>;\n" % cells(p.guest_base) \
        if p.guest_base is not None else ""
    extra = p.extra
    if p.bootargs:
        extra += "\t\t\t\tbootargs = \"%s\";\n" % p.bootargs
    if ramdisk:
        extra += module_dts("ramdisk", *ramdisk)
    return (
        "\t\t\t%s {\n"
        "\t\t\t\tcompatible = \"bulkhead,partition\";\n"
        "\t\t\t\t#address-cells = <2>;\n\t\t\t\t#size-cells = <2>;\n"
        "\t\t\t\tcpus = <%s>;\n"
        "\t\t\t\tmemory = <%s %s>;\n%s%s"
        "\t\t\t\tmodule@%x {\n"
        "\t\t\t\t\tcompatible = \"multiboot,kernel\", \"multiboot,module\";\n"
        "\t\t\t\t\treg = <%s %s>;\n\t\t\t\t};\n"
        "\t\t\t};\n" % (p.name, cpus, cells(p.pa), cells(p.size), guest, extra,
                        module_addr, cells(module_addr), cells(module_size)))


def layout(partitions, files):
    """Module addresses: one after another from MODULE_BASE, 2 MiB aligned.

    files[i] is (kernel path, ramdisk path or None) for partition i; returns
    [(kernel addr, kernel size, (ramdisk addr, size) or None)]."""
    at = MODULE_BASE
    placed = []
    for kernel, ramdisk in files:
        ksize = os.path.getsize(kernel)
        kaddr = at
        at = (at + ksize + 0x1fffff) & ~0x1fffff
        rd = None
        if ramdisk:
            rd = (at, os.path.getsize(ramdisk))
            at = (at + rd[1] + 0x1fffff) & ~0x1fffff
        placed.append((kaddr, ksize, rd))
    if at > 0x48000000:
        raise ValueError("modules run into QEMU's device tree at 0x48000000")
    return placed


def system_dts(partitions, placed, hypervisor_extra="", board=BOARD):
    body = "".join(partition_dts(p, kaddr, ksize, rd)
                   for p, (kaddr, ksize, rd) in zip(partitions, placed))
    return ("/dts-v1/;\n/include/ \"%s\"\n\n/ {\n\tchosen {\n\t\tbulkhead {\n"
            "\t\t\tcompatible = \"bulkhead,hypervisor\";\n%s%s\t\t};\n\t};\n};\n"
            % (board, hypervisor_extra, body))


def board_for(ctx, smp, mem, machine=None):
    """A board .dtsi for another -smp/-m (and -M options), made the way
    virt-4cpu-1g.dtsi was: QEMU's generated DT with labels cpu0.. added."""
    import re
    from lib import qemu
    suffix = "" if machine is None else "-" + re.sub(r"[^a-z0-9]+", "_", machine)
    dtb = os.path.join(ctx.tmp, "board-%d-%s%s.dtb" % (smp, mem, suffix))
    path = os.path.join(ctx.tmp, "board-%d-%s%s.dtsi" % (smp, mem, suffix))
    qemu.dump_dtb(dtb, smp=smp, mem=mem, machine=machine or qemu.MACHINE)
    text = subprocess.check_output(["dtc", "-q", "-I", "dtb", "-O", "dts", dtb], text=True)
    text = text.replace("/dts-v1/;", "", 1)
    text = re.sub(r"^(\t\t)cpu@(\d+) \{", r"\1cpu\2: cpu@\2 {", text, flags=re.M)
    with open(path, "w") as f:
        f.write(text)
    return path


def board_for_gic(ctx, smp=4, mem="1G"):
    """The board .dtsi of QEMU virt with ctx.gic's GIC version: BOARD for a
    GICv3, else made once per run by board_for()."""
    from lib import qemu
    gic = getattr(ctx, "gic", 3)
    if gic == 3 and (smp, mem) == (4, "1G"):
        return BOARD
    key = (gic, smp, mem)
    cache = ctx.__dict__.setdefault("_boards", {})
    if key not in cache:
        cache[key] = board_for(ctx, smp, mem, machine=qemu.machine_for(gic))
    return cache[key]


def build(ctx, name, partitions, hypervisor_extra="", dts=None, board=None):
    """Write and compile the system; return the extra QEMU arguments.

    dts, if given, is used as the whole system DTS instead (bad configs).
    board defaults to QEMU virt -smp 4 -m 1G with ctx.gic's GIC.
    """
    board = board or board_for_gic(ctx)
    images = [p.image if os.path.isabs(p.image)
              else os.path.join(ctx.build, "partitions", p.image + ".bin") for p in partitions]
    placed = layout(partitions, [(img, p.ramdisk) for img, p in zip(images, partitions)])
    text = dts if dts is not None else system_dts(partitions, placed, hypervisor_extra, board)
    src = os.path.join(ctx.tmp, name + ".dts")
    dtb = os.path.join(ctx.tmp, name + ".dtb")
    with open(src, "w") as f:
        f.write(text)
    subprocess.run(["dtc", "-q", "-@", "-i", os.path.join(ctx.top, "dts", "qemu-virt"),
                    "-I", "dts", "-O", "dtb", "-o", dtb, src], check=True)
    args = ["-dtb", dtb]
    for p, image, (kaddr, _, rd) in zip(partitions, images, placed):
        args += ["-device", "loader,file=%s,addr=0x%x,force-raw=on" % (image, kaddr)]
        if rd:
            args += ["-device", "loader,file=%s,addr=0x%x,force-raw=on" % (p.ramdisk, rd[0])]
    return args
