# SPDX-License-Identifier: Apache-2.0
"""bulkhead.bin as a UEFI application: its PE/COFF header, and EDK2
(Debian's qemu-efi-aarch64) starting it from the removable-media path of a
FAT disk, with QEMU's device tree from the EFI configuration table."""

import os
import re
import shutil
import struct
import subprocess

from lib import qemu
from lib.harness import check, expect_lines, test

from .test_partitions import all_stopped, demo_args

EDK2_CODE = "/usr/share/qemu-efi-aarch64/QEMU_EFI.fd"
EDK2_VARS = "/usr/share/AAVMF/AAVMF_VARS.fd"
FLASH_BANK_SIZE = 64 * 1024 * 1024


def pe_headers(image):
    """The PE/COFF fields the firmware reads, from the file's bytes."""
    with open(image, "rb") as f:
        data = f.read()
    pe = struct.unpack_from("<I", data, 0x3c)[0]
    machine, nsections, _ts, _sym, _nsym, opt_size, chars = struct.unpack_from("<HHIIIHH", data, pe + 4)
    opt = pe + 24
    magic, = struct.unpack_from("<H", data, opt)
    entry, base_of_code = struct.unpack_from("<II", data, opt + 16)
    image_base, section_align, file_align = struct.unpack_from("<QII", data, opt + 24)
    size_of_image, size_of_headers = struct.unpack_from("<II", data, opt + 56)
    subsystem, = struct.unpack_from("<H", data, opt + 68)
    sections = []
    for i in range(nsections):
        off = opt + opt_size + 40 * i
        name = data[off:off + 8].rstrip(b"\0").decode()
        vsize, va, raw_size, raw_ptr = struct.unpack_from("<IIII", data, off + 8)
        flags, = struct.unpack_from("<I", data, off + 36)
        sections.append(dict(name=name, vsize=vsize, va=va, raw_size=raw_size, raw_ptr=raw_ptr,
                             flags=flags))
    return dict(data=data, pe=pe, machine=machine, chars=chars, magic=magic, entry=entry,
                base_of_code=base_of_code, image_base=image_base, section_align=section_align,
                file_align=file_align, size_of_image=size_of_image,
                size_of_headers=size_of_headers, subsystem=subsystem, sections=sections)


@test("uefi: bulkhead.bin is also a PE32+ EFI application for arm64", reqs="REQ-BOOT-001")
def pe_header(ctx):
    h = pe_headers(ctx.image)
    data = h["data"]
    check(data[:2] == b"MZ", "no MZ signature: %r" % data[:2])
    check(data[56:60] == b"ARM\x64", "the arm64 Image magic must stay")
    image_size, = struct.unpack_from("<Q", data, 16)
    check(data[h["pe"]:h["pe"] + 4] == b"PE\0\0", "no PE signature at %#x" % h["pe"])
    check(h["machine"] == 0xaa64, "machine %#x, expected ARM64 (0xaa64)" % h["machine"])
    check(h["chars"] & 0x0002 and not h["chars"] & 0x0001,
          "must be executable with relocations not stripped: %#x" % h["chars"])
    check(h["magic"] == 0x20b, "optional header magic %#x, expected PE32+" % h["magic"])
    check(h["subsystem"] == 10, "subsystem %d, expected EFI application (10)" % h["subsystem"])
    check(h["section_align"] == 4096 and h["file_align"] == 512, "alignments %#x, %#x" %
          (h["section_align"], h["file_align"]))
    check(h["size_of_image"] == image_size,
          "SizeOfImage %#x must equal the Image header's image_size %#x" %
          (h["size_of_image"], image_size))
    # Sections: page aligned, file offset == RVA (the raw Image layout),
    # back to back from the end of the headers, the file covering the data
    # in whole 512-byte file-alignment units.
    at = h["size_of_headers"]
    for s in h["sections"]:
        check(s["va"] == at and s["raw_ptr"] == s["va"] and s["va"] % 4096 == 0,
              "section %s at %#x (file %#x), expected %#x" % (s["name"], s["va"], s["raw_ptr"], at))
        check(s["raw_ptr"] + s["raw_size"] <= len(data) and s["raw_size"] % 512 == 0,
              "section %s: raw data beyond the file or unaligned" % s["name"])
        at = s["va"] + s["vsize"]
    check(at == h["size_of_image"], "sections end at %#x, image at %#x" % (at, h["size_of_image"]))
    check([s["name"] for s in h["sections"]] == [".text", ".data"], "sections %s" % h["sections"])
    text = h["sections"][0]
    check(text["va"] <= h["entry"] < text["va"] + text["vsize"], "entry point outside .text")
    nm = subprocess.check_output(["aarch64-linux-gnu-nm", os.path.join(ctx.build, "arm64",
                                                                        "bulkhead.elf")], text=True)
    efi_entry = int(re.search(r"^([0-9a-f]+) T efi_entry$", nm, re.M).group(1), 16)
    check(h["entry"] == efi_entry, "entry %#x is not efi_entry (%#x)" % (h["entry"], efi_entry))


def uefi_disk(ctx, image=None):
    """A FAT disk (no partition table, as a USB stick may be) holding
    bulkhead.bin (or @image) at the removable-media path EDK2 boots by default."""
    disk = os.path.join(ctx.tmp, "uefi-disk.img")
    if os.path.exists(disk):
        os.remove(disk)
    with open(disk, "wb") as f:
        f.truncate(16 * 1024 * 1024)
    subprocess.run(["mkfs.vfat", "-n", "BULKHEAD", disk], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["mmd", "-i", disk, "::/EFI", "::/EFI/BOOT"], check=True)
    subprocess.run(["mcopy", "-i", disk, image or ctx.image, "::/EFI/BOOT/BOOTAA64.EFI"],
                   check=True)
    return disk


def edk2_code(ctx):
    """QEMU wants a flash bank's file to be exactly 64 MiB."""
    code = os.path.join(ctx.tmp, "edk2-code.fd")
    shutil.copyfile(EDK2_CODE, code)
    with open(code, "r+b") as f:
        f.truncate(FLASH_BANK_SIZE)
    return code


def uefi_boot(ctx, virtualization=True, until=None, image=None):
    disk = uefi_disk(ctx, image)
    # acpi=off: with ACPI, EDK2 would hand the OS ACPI tables instead of
    # QEMU's device tree. The variable store is a throw-away snapshot.
    machine = "virt,virtualization=%s,gic-version=3,acpi=off" % ("on" if virtualization else "off")
    extra = ["-drive", "if=pflash,format=raw,unit=0,readonly=on,file=" + edk2_code(ctx),
             "-drive", "if=pflash,format=raw,unit=1,snapshot=on,file=" + EDK2_VARS,
             "-drive", "if=none,format=raw,id=uefidisk,file=" + disk,
             "-device", "virtio-blk-device,drive=uefidisk"]
    cmd = qemu.arm64_command(None, smp=4, machine=machine, extra=extra)
    return qemu.run(cmd, until=until, fail=r"^(fatal|\*\*\* EL2 exception)", timeout=120)


@test("uefi: EDK2 starts bulkhead.bin, which leaves boot services and brings all CPUs up",
      reqs="REQ-BOOT-001 REQ-BOOT-002")
def edk2_boot(ctx):
    r = uefi_boot(ctx, until=r"no partition started$")
    check(r.matched, "the boot did not end in the verdict (%s)" % r.reason, r.output)
    expect_lines(r, r"^Bulkhead: started by UEFI\r?$",
                 r"^Bulkhead: device tree at 0x[0-9a-f]+, leaving boot services\r?$",
                 r"^Bulkhead %s \(arm64\)" % re.escape(ctx.expected_version()),
                 r"^arm64: entered at EL2 on MPIDR 0x0 at \d+ ns since reset, device tree at 0x",
                 r"^arm64: EL2 MMU on, identity map",
                 r"^console: UART at 0x9000000, found from /chosen/stdout-path$",
                 r"^cpus: 4$", r"^all 4 CPUs online at \d+ ns since reset$",
                 r"^error: /chosen: no node with compatible \"bulkhead,hypervisor\"$")
    # The DT the hypervisor uses is the one UEFI gave it.
    efi_dtb = r.search(r"^Bulkhead: device tree at (0x[0-9a-f]+),").group(1)
    check(r.search(r"device tree at %s$" % efi_dtb) is not None,
          "the hypervisor did not get the EFI device tree %s" % efi_dtb, r.output)
    # Loaded wherever the firmware chose: page aligned, inside RAM.
    start = int(r.search(r"^hypervisor: 0x([0-9a-f]+)-").group(1), 16)
    check(start % 4096 == 0 and 0x40000000 <= start < 0x80000000,
          "hypervisor at %#x" % start, r.output)


@test("uefi: without EL2 the application says why and returns to the firmware", reqs="REQ-BOOT-003")
def edk2_el1(ctx):
    r = uefi_boot(ctx, virtualization=False,
                  until=r"^Bulkhead: not at EL2 \(at EL1\).*not starting\r?$")
    check(r.matched, "no refusal (%s)" % r.reason, r.output)
    check(r.search(r"^Bulkhead \S+ \(arm64\)") is None, "the hypervisor must not start", r.output)


def bootefi_env(ctx):
    """A U-Boot environment that loads the application from the FAT disk
    and starts it with bootefi, handing on U-Boot's copy of QEMU's -dtb.
    (bootefi wants an image U-Boot loaded itself, so not -device loader.)"""
    txt = os.path.join(ctx.tmp, "uboot-bootefi-env.txt")
    img = os.path.join(ctx.tmp, "uboot-bootefi-env.img")
    with open(txt, "w") as f:
        f.write("bootdelay=0\nbulkhead_addr=%#x\n"
                "bootcmd=virtio scan; load virtio 0 ${bulkhead_addr} EFI/BOOT/BOOTAA64.EFI"
                " && bootefi ${bulkhead_addr} ${fdtcontroladdr}\n" % qemu.UBOOT_LOAD_ADDR)
    subprocess.run(["mkenvimage", "-s", "0x40000", "-o", img, txt], check=True)
    with open(img, "r+b") as f:
        f.truncate(FLASH_BANK_SIZE)
    return img


@test("uefi: U-Boot's bootefi starts bulkhead.bin with the demo's device tree: partitions run",
      reqs="REQ-BOOT-001 REQ-PAR-001")
def uboot_bootefi(ctx):
    disk = uefi_disk(ctx)
    extra = ["-drive", "if=pflash,format=raw,unit=1,readonly=on,file=" + bootefi_env(ctx),
             "-drive", "if=none,format=raw,id=uefidisk,file=" + disk,
             "-device", "virtio-blk-device,drive=uefidisk"] + demo_args(ctx)
    cmd = qemu.arm64_command(None, smp=4, bios=qemu.UBOOT_BIOS, extra=extra)
    r = qemu.run(cmd, until=all_stopped("hello-a", "hello-b"),
                 fail=r"^(fatal|\*\*\* EL2 exception|Unknown command|## Error)", timeout=90)
    check(r.matched, "the demo partitions did not both run and stop (%s)" % r.reason, r.output)
    expect_lines(r, r"^Bulkhead: started by UEFI\r?$",
                 r"^Bulkhead %s \(arm64\)" % re.escape(ctx.expected_version()),
                 r"^all 4 CPUs online at \d+ ns since reset$",
                 r"^\[hello-a\] hello: done$", r"^\[hello-b\] hello: done$")
