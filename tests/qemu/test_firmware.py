# SPDX-License-Identifier: Apache-2.0
"""Firmware inside a partition (docs/partition-firmware.md): Debian's
U-Boot for QEMU virt as a partition's boot loader, booting Debian's kernel
by distro boot (extlinux.conf) from a passthrough virtio-mmio disk built
here, beside a bare-metal partition; then an update from inside.

The layout. The firmware partition's disk does DMA with no IOMMU (QEMU's
virtio-mmio transports are behind none), so its memory must be at its host
address; U-Boot reads its device tree from the start of RAM, guest
0x40000000: together, the partition owns host 0x40000000-0x4fffffff. QEMU's
-kernel would put the hypervisor at 0x40200000, so here Debian's U-Boot
(the board's firmware, on flash) loads it higher, with booti from an
environment image this test writes: a real board's layout, not QEMU's
shortcut. The Image header's "anywhere in RAM" flag keeps booti from
moving it.
"""

import gzip
import os
import re
import shutil
import struct
import subprocess

from lib import qemu
from lib import system
from lib.harness import check, expect_lines, test
from lib.system import Partition

FATAL = r"^(fatal|\*\*\* EL2 exception)|Kernel panic|^error:|^\[fw\] Resetting CPU"
UBOOT = qemu.UBOOT_BIOS
HYP_ADDR = 0x60000000        # where the board's U-Boot loads bulkhead.bin
MODULES = 0x62000000         # the partitions' boot modules, from here up
FW_MEM = (0x40000000, 0x10000000)
FW_LOAD_OFFSET = 0x200000    # U-Boot runs from 0x40200000 until it relocates
FW_ENV = (0x04000000, 0x5fc00000)  # U-Boot's environment: guest (virt's flash bank 1), host
VICTIM_PA = 0x50000000
ENV_SIZE = 0x40000           # CONFIG_ENV_SIZE of Debian's qemu_arm64 U-Boot
ENV_IMAGE = 0x5f000000       # where the partition's first environment is loaded
VICTIM = re.compile(r"^\[victim\] victim: beat (\d+) memory (\S+) spi (\S+) irqs (\d+) "
                    r"sgis (\d+) ", re.M)
VIRTIO = "/virtio_mmio@a003e00"  # the transport the first virtio device takes


def cells(v):
    return "0x%x 0x%x" % (v >> 32, v & 0xffffffff)


def env_image(ctx, name, env, bank=False):
    """A U-Boot environment (mkenvimage); bank: padded to the 64 MiB QEMU
    wants for a virt flash bank."""
    txt = os.path.join(ctx.tmp, name + ".txt")
    img = os.path.join(ctx.tmp, name + ".img")
    with open(txt, "w") as f:
        f.write("".join("%s=%s\n" % kv for kv in env))
    subprocess.run(["mkenvimage", "-s", "%#x" % ENV_SIZE, "-o", img, txt], check=True)
    if bank:
        os.truncate(img, 64 << 20)
    return img


def fat_disk(ctx, name, files, size_mib=80):
    """A disk image with an MBR and one bootable FAT partition (from 1 MiB)
    holding files ({path on the disk: host path or bytes}): mkfs.vfat and
    mtools on the partition's image, then the table in front; no root
    needed."""
    fs = os.path.join(ctx.tmp, name + ".fs")
    path = os.path.join(ctx.tmp, name + ".img")
    for old in (fs, path):
        if os.path.exists(old):
            os.unlink(old)
    subprocess.run(["mkfs.vfat", "-C", "-n", "BOOT", fs, str(size_mib * 1024)], check=True,
                   stdout=subprocess.DEVNULL)
    made = set()
    for dest in sorted(files):
        parts = dest.strip("/").split("/")
        for i in range(1, len(parts)):
            d = "/".join(parts[:i])
            if d not in made:
                subprocess.run(["mmd", "-i", fs, "::/" + d], check=True)
                made.add(d)
        src = files[dest]
        if isinstance(src, bytes):
            tmp = os.path.join(ctx.tmp, name + ".file")
            with open(tmp, "wb") as f:
                f.write(src)
            src = tmp
        subprocess.run(["mcopy", "-i", fs, src, "::/" + "/".join(parts)], check=True)
    sectors = size_mib * 2048
    # One entry: bootable, CHS unused (LBA only), type 0x0c (FAT32, LBA).
    entry = struct.pack("<B3sB3sII", 0x80, b"\xfe\xff\xff", 0x0c, b"\xfe\xff\xff", 2048, sectors)
    mbr = bytearray(512)
    mbr[446:462] = entry
    mbr[510:512] = b"\x55\xaa"
    with open(path, "wb") as out, open(fs, "rb") as src:
        out.write(bytes(mbr).ljust(1 << 20, b"\0"))
        shutil.copyfileobj(src, out)
    os.unlink(fs)
    return path


def extlinux(append):
    return ("default linux\n"
            "label linux\n"
            "\tkernel /Image\n"
            "\tinitrd /initramfs.cpio.gz\n"
            "\tappend %s\n" % append).encode()


def uboot_default_env(overrides):
    """Debian's U-Boot's built-in environment (its distro boot scripts),
    read from u-boot.bin, with overrides ((name, value) pairs) applied: an
    environment from flash replaces the built-in one whole."""
    with open(UBOOT, "rb") as f:
        data = f.read()
    start = data.find(b"bootcmd=run distro_bootcmd\0")
    check(start >= 0, "no default environment found in " + UBOOT)
    env = [v.decode().split("=", 1) for v in data[start:data.find(b"\0\0", start)].split(b"\0")]
    names = dict(overrides)
    return [(k, names.pop(k, v)) for k, v in env] + list(names.items())


def flash_node(guest, host, size, image=None, read_only=False):
    return ("\t\t\t\tflash@%x {\n\t\t\t\t\tcompatible = \"bulkhead,flash\";\n"
            "\t\t\t\t\treg = <%s %s>;\n\t\t\t\t\tmemory = <%s %s>;\n%s%s\t\t\t\t};\n"
            % (guest, cells(guest), cells(size), cells(host), cells(size),
               "\t\t\t\t\tread-only;\n" if read_only else "",
               "\t\t\t\t\timage = <%s %s>;\n" % (cells(image[0]), cells(image[1]))
               if image else ""))


def uboot_env_flash(ctx, name, env):
    """The partition's U-Boot environment in a writable flash region at
    virt's second flash bank, where Debian's U-Boot reads it; its first
    contents an environment image loaded as a module. Returns (DTS lines,
    (file, address) to load)."""
    img = env_image(ctx, name + "-env", env)
    return (flash_node(FW_ENV[0], FW_ENV[1], ENV_SIZE, image=(ENV_IMAGE, ENV_SIZE)),
            (img, ENV_IMAGE))


def firmware_system(ctx, name, fw_image, fw_extra="", loads=()):
    """The system DT (firmware partition on CPU 1, the hostile suite's
    victim on CPU 2: it beats every millisecond, checks its memory and
    reports every second) and the QEMU arguments that boot it through the
    board's U-Boot. fw_image None: the firmware runs in place from a
    read-only flash region at guest 0 (in fw_extra), no kernel module."""
    ticker_bin = os.path.join(ctx.build, "partitions", "victim.bin")
    fw_size = os.path.getsize(fw_image) if fw_image else 0x200000
    ticker_at = (MODULES + fw_size + 0x1fffff) & ~0x1fffff
    dts = """/dts-v1/;
/include/ "virt-4cpu-1g.dtsi"

/ {
	chosen {
		bulkhead {
			compatible = "bulkhead,hypervisor";
			fw {
				compatible = "bulkhead,partition";
				#address-cells = <2>;
				#size-cells = <2>;
				cpus = <&cpu1>;
				memory = <%(fw_mem)s>;
				devices = <&{%(virtio)s}>;
				device-tree-address = <%(fw_base)s>;
%(fw_start)s%(fw_extra)s			};
			victim {
				compatible = "bulkhead,partition";
				#address-cells = <2>;
				#size-cells = <2>;
				cpus = <&cpu2>;
				memory = <%(t_pa)s 0x0 0x1000000>;
				memory-guest-base = <0x0 0x40000000>;
				devices = <&{/pl031@9010000}>;
				bootargs = "report=1000";
				module@%(t_at)x {
					compatible = "multiboot,kernel", "multiboot,module";
					reg = <%(t_at_c)s %(t_size_c)s>;
				};
			};
		};
	};
};
""" % {"fw_mem": cells(FW_MEM[0]) + " " + cells(FW_MEM[1]), "virtio": VIRTIO,
       "fw_base": cells(FW_MEM[0]), "fw_extra": fw_extra,
       "fw_start": ("\t\t\t\tload-offset = <%s>;\n\t\t\t\tmodule@%x {\n"
                    "\t\t\t\t\tcompatible = \"multiboot,kernel\", \"multiboot,module\";\n"
                    "\t\t\t\t\treg = <%s %s>;\n\t\t\t\t};\n"
                    % (cells(FW_LOAD_OFFSET), MODULES, cells(MODULES), cells(fw_size))
                    if fw_image else "\t\t\t\tentry = <0x0 0x0>;\n"),
       "t_pa": cells(VICTIM_PA), "t_at": ticker_at, "t_at_c": cells(ticker_at),
       "t_size_c": cells(os.path.getsize(ticker_bin))}
    src = os.path.join(ctx.tmp, name + ".dts")
    dtb = os.path.join(ctx.tmp, name + ".dtb")
    with open(src, "w") as f:
        f.write(dts)
    subprocess.run(["dtc", "-q", "-@", "-i", os.path.join(ctx.top, "dts", "qemu-virt"),
                    "-I", "dts", "-O", "dtb", "-o", dtb, src], check=True)
    env = env_image(ctx, name + "-board-env",
                    [("bootdelay", "0"),
                     ("bootcmd", "booti %#x - ${fdtcontroladdr}" % HYP_ADDR)], bank=True)
    return ["-bios", UBOOT, "-dtb", dtb,
            "-drive", "if=pflash,format=raw,unit=1,readonly=on,file=" + env,
            "-device", "loader,file=%s,addr=%#x,force-raw=on" % (ctx.image, HYP_ADDR),
            "-device", "loader,file=%s,addr=%#x,force-raw=on" % (fw_image or ticker_bin, MODULES),
            "-device", "loader,file=%s,addr=%#x,force-raw=on" % (ticker_bin, ticker_at)] + \
        [a for load in loads for a in ("-device", "loader,file=%s,addr=%#x,force-raw=on" % load)]


EDK2 = "/usr/share/qemu-efi-aarch64/QEMU_EFI.fd"
EDK2_IMAGE = 0x64000000      # where the loader puts QEMU_EFI.fd, the code region's image


def disk_args(path, readonly=False):
    return ["-drive", "if=none,id=disk0,format=raw,%sfile=%s"
            % ("readonly=on," if readonly else "", path),
            "-device", "virtio-blk-device,drive=disk0"]


def linux_files(ctx, append, kernel=None):
    return {"extlinux/extlinux.conf": extlinux(append),
            "Image": kernel or os.path.join(ctx.top, ".deps", "linux", "Image"),
            "initramfs.cpio.gz": os.path.join(ctx.build, "linux", "initramfs.cpio.gz")}


def linux_initramfs(ctx):
    """The test initramfs with the FAT modules (tools/setup:
    .deps/firmware/modules) appended as a second archive, which Linux
    unpacks over the first: /init loads them after the usual ones."""
    path = os.path.join(ctx.tmp, "fw-initramfs.cpio.gz")
    root = os.path.join(ctx.tmp, "fw-initramfs")
    base = os.path.join(ctx.build, "linux", "initramfs.cpio.gz")
    fw = os.path.join(ctx.top, ".deps", "firmware", "modules")
    check(os.path.isfile(os.path.join(fw, "load-order")), "%s missing: run tools/setup" % fw)
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(os.path.join(root, "lib", "modules"))
    with open(os.path.join(fw, "load-order")) as f:
        extra = f.read().split()
    with open(os.path.join(ctx.top, ".deps", "linux", "modules", "load-order")) as f:
        order = f.read().split() + extra
    for m in extra:
        shutil.copy(os.path.join(fw, m + ".ko"), os.path.join(root, "lib", "modules"))
    with open(os.path.join(root, "lib", "modules", "load-order"), "w") as f:
        f.write("\n".join(order) + "\n")
    names = subprocess.run(["find", ".", "-mindepth", "1"], cwd=root, check=True,
                           capture_output=True).stdout
    overlay = subprocess.run(["cpio", "--quiet", "-o", "-H", "newc", "--owner=0:0"], cwd=root,
                             input=names, check=True, capture_output=True).stdout
    with open(base, "rb") as f, open(path, "wb") as out:
        out.write(f.read())
        out.write(gzip.compress(overlay))
    return path


# U-Boot's command at each boot of the partition, by the boot count the
# hypervisor puts in its DT (`fdt get value` shows a cell as 0x%08x): 1
# `reset`, then distro boot, and at the boot given `poweroff`. Both commands
# must act on the partition alone.
def uboot_bootcmd(poweroff_at):
    return ("fdt addr ${fdt_addr}; fdt get value bc /chosen bulkhead,boot-count; "
            "echo fw-test: boot ${bc}; "
            "if test ${bc} = 0x00000001; then reset; "
            "elif test ${bc} = 0x%08x; then poweroff; "
            "else run distro_bootcmd; fi" % poweroff_at)


def updated_kernel(ctx):
    """Debian's kernel with its version string changed, same length: the
    "new" kernel of the update, told apart by its version line."""
    path = os.path.join(ctx.tmp, "fw-Image.new")
    with open(os.path.join(ctx.top, ".deps", "linux", "Image"), "rb") as f:
        image = f.read()
    check(image.count(OLD_VERSION) >= 1, "no %r in the kernel" % OLD_VERSION)
    with open(path, "wb") as f:
        f.write(image.replace(OLD_VERSION, NEW_VERSION))
    return path


OLD_VERSION = b"#1 SMP Debian "
NEW_VERSION = b"#2 SMP Update "


@test("firmware: U-Boot in a partition boots Linux by extlinux.conf from its virtio disk; Linux "
      "replaces its kernel there and restarts into it; U-Boot's reset and poweroff act on the "
      "partition alone; the neighbour's beat and memory never notice",
      reqs="REQ-PAR-005 REQ-PAR-006 REQ-RST-001")
def uboot_extlinux_update(ctx):
    files = linux_files(ctx, "console=ttyAMA0 panic=-1 bulkhead.init=update")
    files["initramfs.cpio.gz"] = linux_initramfs(ctx)
    files["Image.new"] = updated_kernel(ctx)
    disk = fat_disk(ctx, "fw-uboot", files)
    # Boot 1: U-Boot resets; 2: the old kernel swaps in the new one and
    # reboots; 3: the new kernel finds nothing to replace and reboots; 4:
    # U-Boot powers off.
    env, load = uboot_env_flash(ctx, "fw-uboot", uboot_default_env(
        [("bootdelay", "0"), ("boot_targets", "virtio0"), ("bootcmd", uboot_bootcmd(4))]))
    args = firmware_system(ctx, "fw-uboot", UBOOT, fw_extra=env, loads=[load]) + disk_args(disk)
    r = qemu.run(qemu.arm64_command(smp=4, extra=args),
                 until=r"(?s)^partition fw: stopped$(.*^\[victim\] victim: beat \d+ ){2}",
                 fail=FATAL, timeout=600)
    check(r.matched, "the partitions did not finish (%s)" % r.reason, r.output)
    expect_lines(r, r"^\[fw\] Loading Environment from Flash\.\.\. OK$",
                 r"^\[fw\] fw-test: boot 0x00000001$",
                 r"^partition fw: restarting \(1\): PSCI SYSTEM_RESET$",
                 r"^\[fw\] Found /extlinux/extlinux.conf$",
                 r"^\[fw\] \[ *[0-9.]+\] linux-test: iomem 40000000-4fffffff : System RAM$",
                 r"^\[fw\] \[ *[0-9.]+\] linux-test: module vfat loaded$",
                 r"^partition fw: restarting \(2\): PSCI SYSTEM_RESET$",
                 r"^partition fw: restarting \(3\): PSCI SYSTEM_RESET$",
                 r"^\[fw\] fw-test: boot 0x00000004$",
                 r"^partition fw: stopping: PSCI SYSTEM_OFF$")
    # Each boot of Linux, in order: its version and what /init did.
    boots = re.split(r"^partition fw: restarting \(\d+\): PSCI SYSTEM_RESET$", r.output,
                     flags=re.M)
    check(len(boots) == 4, "%d restarts of fw, 3 expected" % (len(boots) - 1), r.output)
    old, new = boots[1], boots[2]
    check(OLD_VERSION.decode() in old and NEW_VERSION.decode() not in old,
          "the first Linux boot is not the old kernel", r.output)
    check(re.search(r"linux-test: update: /Image replaced$", old, re.M) is not None and
          re.search(r"linux-test: update: /boot unmounted$", old, re.M) is not None,
          "the old kernel did not replace /Image", r.output)
    check(NEW_VERSION.decode() in new and OLD_VERSION.decode() not in new,
          "the second Linux boot is not the new kernel", r.output)
    check(re.search(r"BULKHEAD-LINUX-INIT: 1 CPUs$", new, re.M) is not None and
          re.search(r"linux-test: update: nothing to replace$", new, re.M) is not None,
          "the new kernel did not reach /init", r.output)
    check("[fw] U-Boot 2023.01" in boots[0] and "[fw] Starting kernel" not in boots[0],
          "U-Boot's reset did not come before any kernel", r.output)
    check_neighbour(r)


def check_neighbour(r, every=1000):
    """The victim beside the firmware: every report, before, during and
    after the firmware's boots and restarts, has its memory intact, its
    SPI on, no stray interrupt or SGI, no beat lost (timing is not judged:
    this runs without icount, on a shared host)."""
    reports = VICTIM.findall(r.output)
    check(len(reports) >= 2, "fewer than two victim reports", r.output)
    for beat, memory, spi, irqs, sgis in reports:
        check(memory == "ok" and spi == "on" and irqs == "0" and sgis == "0",
              "victim harmed at beat %s: memory %s, spi %s, irqs %s, sgis %s"
              % (beat, memory, spi, irqs, sgis), r.output)
    beats = [int(b) for b, *_ in reports]
    check(beats == list(range(every, every * len(beats) + 1, every)),
          "victim reports skipped: %s" % beats, r.output)
    check("partition victim: " not in r.output.split("partition victim: starting", 1)[1],
          "the victim was stopped or restarted", r.output)


# "mov x0, #42; ret": the code the hostile firmware runs from read-only flash.
RETURN_42 = struct.pack("<II", 0xd2800540, 0xd65f03c0)


@test("firmware: hostile firmware is contained: its writes to its read-only flash are ignored, "
      "past its writable one and to a neighbour's device refused; its store survives its restart",
      reqs="REQ-PAR-005 REQ-ISO-001 REQ-ISO-002")
def hostile_firmware(ctx):
    code = os.path.join(ctx.tmp, "fw-return42.bin")
    with open(code, "wb") as f:
        f.write(RETURN_42)
    code_at = 0x47000000
    flash = (flash_node(0x0, 0x54000000, 0x1000, image=(code_at, len(RETURN_42)), read_only=True) +
             flash_node(0x04000000, 0x54100000, 0x40000))
    parts = [Partition("victim", [1], 0x50000000, "victim", bootargs="report=100",
                       extra="\t\t\t\tdevices = <&{/pl031@9010000}>;\n"),
             Partition("flashattack", [2], 0x52000000, "flashattack", extra=flash)]
    args = system.build(ctx, "fw-hostile", parts) + \
        ["-device", "loader,file=%s,addr=%#x,force-raw=on" % (code, code_at)]
    r = qemu.run(qemu.arm64_command(ctx.image, smp=4, extra=args),
                 until=r"(?s)^partition flashattack: stopped$(.*^\[victim\] victim: beat \d+ ){2}",
                 fail=FATAL, timeout=60)
    check(r.matched, "the attack did not finish (%s)" % r.reason, r.output)
    expect_lines(r, r"^\[flashattack\] flashattack: read-only flash holds 0xd2800540 0xd65f03c0$",
                 r"^\[flashattack\] flashattack: store 0xffffffff on first boot; storing and "
                 r"restarting$",
                 r"^partition flashattack: restarting \(1\): PSCI SYSTEM_RESET$",
                 r"^\[flashattack\] flashattack: store kept across the restart$",
                 r"^partition flashattack: stopping: PSCI SYSTEM_OFF$")
    seen = r.findall(r"^\[flashattack\] flashattack: write to read-only flash: (.*)$")
    check(seen == ["ignored", "ignored"], "write to read-only flash: %s (once per boot)" % seen,
          r.output)
    expect_lines(r, r"^partition flashattack: vCPU 0: write to its read-only flash at IPA 0x0 "
                 r"\(PC 0x[0-9a-f]+\) ignored; further ones not reported$")
    for what in ("write past the writable flash", "read of a device it does not own"):
        seen = r.findall(r"^\[flashattack\] flashattack: %s: (.*)$" % re.escape(what))
        check(seen == ["contained", "contained"], "%s: %s (once per boot)" % (what, seen),
              r.output)
    check_neighbour(r, every=100)


@test("firmware: EDK2 starts in a partition from a read-only flash region at guest 0, with no "
      "kernel module: it runs in place, its stores there are ignored",
      reqs="REQ-PAR-005")
def edk2_runs_in_place(ctx):
    # The code region (QEMU_EFI.fd, 2 MiB) at virt's first flash bank, the
    # variable store (erased) at the second; the partition starts at guest 0.
    size = os.path.getsize(EDK2)
    extra = (flash_node(0x0, 0x5d000000, size, image=(EDK2_IMAGE, size), read_only=True) +
             flash_node(0x04000000, 0x5fc00000, 0xc0000))
    args = firmware_system(ctx, "fw-edk2", None, fw_extra=extra, loads=[(EDK2, EDK2_IMAGE)])
    r = qemu.run(qemu.arm64_command(smp=4, extra=args),
                 until=r"(?s)^\[fw\] UEFI firmware \(version.*^partition fw: vCPU 0: write to its "
                       r"read-only flash at IPA 0x[0-9a-f]+ \(PC 0x[0-9a-f]+\) ignored",
                 fail=FATAL + r"|^partition fw: .*external abort injected", timeout=120)
    check(r.matched, "EDK2 did not start from its flash (%s)" % r.reason, r.output)
    expect_lines(r, r"^partition fw: starting on 1 CPU\(s\), entry 0x0, device tree at 0x40000000,")
