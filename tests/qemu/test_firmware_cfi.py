# SPDX-License-Identifier: Apache-2.0
"""Firmware driving its flash as a CFI flash bank (docs/partition-firmware.md,
core/cfi_flash.c): U-Boot's saveenv on its environment bank, kept across the
partition's restart; EDK2's variable store; a hostile partition's commands
aimed outside its bank."""

import os
import re
import subprocess

from lib import qemu
from lib import system
from lib.harness import check, expect_lines, test
from lib.system import Partition

from .test_firmware import (EDK2, EDK2_IMAGE, ENV_IMAGE, ENV_SIZE, FATAL, FW_ENV, UBOOT, cells,
                            check_neighbour, disk_args, env_image, fat_disk, firmware_system,
                            flash_node, uboot_default_env)

BLOCK = 0x40000  # QEMU virt's flash: 256 KiB blocks, two x16 chips on a 32-bit bus


def cfi_node(guest, host, size, image=None, device_width=2):
    return ("\t\t\t\tflash@%x {\n\t\t\t\t\tcompatible = \"bulkhead,flash\";\n"
            "\t\t\t\t\treg = <%s %s>;\n\t\t\t\t\tmemory = <%s %s>;\n"
            "\t\t\t\t\tbank-width = <4>;\n\t\t\t\t\tdevice-width = <%d>;\n"
            "\t\t\t\t\terase-block-size = <%#x>;\n%s\t\t\t\t};\n"
            % (guest, cells(guest), cells(size), cells(host), cells(size), device_width, BLOCK,
               "\t\t\t\t\timage = <%s %s>;\n" % (cells(image[0]), cells(image[1]))
               if image else ""))


def keep_log(ctx, name, r):
    """The whole console, in the build's test directory, for a failure's
    diagnosis (the harness shows only its tail)."""
    with open(os.path.join(ctx.tmp, name + ".log"), "w") as f:
        f.write(r.output)


# At each boot U-Boot shows its view of the bank (flinfo); at the first it
# sets a variable, saves the environment and resets; at the second it shows
# the variable and powers off. The boot count comes from the partition's DT.
SAVEENV_BOOTCMD = ("flinfo; fdt addr ${fdt_addr}; fdt get value bc /chosen bulkhead,boot-count; "
                   "echo fw-test: boot ${bc}; "
                   "if test ${bc} = 0x00000001; then setenv fwtest_saved kept-${bc}; "
                   "saveenv; reset; else printenv fwtest_saved; poweroff; fi")


@test("firmware: U-Boot's saveenv programs its CFI flash bank; the environment is kept "
      "across the partition's restart; the neighbour never notices",
      reqs="REQ-PAR-005 REQ-PAR-007")
def uboot_saveenv(ctx):
    img = env_image(ctx, "fw-saveenv-env", uboot_default_env(
        [("bootdelay", "0"), ("bootcmd", SAVEENV_BOOTCMD)]))
    extra = cfi_node(FW_ENV[0], FW_ENV[1], ENV_SIZE, image=(ENV_IMAGE, ENV_SIZE),
                     device_width=4)
    args = firmware_system(ctx, "fw-saveenv", UBOOT, fw_extra=extra, loads=[(img, ENV_IMAGE)])
    r = qemu.run(qemu.arm64_command(smp=4, extra=args),
                 until=r"(?s)^partition fw: stopped$(.*^\[victim\] victim: beat \d+ ){2}",
                 fail=FATAL, timeout=90)
    keep_log(ctx, "fw-saveenv", r)
    check(r.matched, "the partitions did not finish (%s)" % r.reason, r.output)
    expect_lines(r, r"^\[fw\] Flash: 256 KiB$",
                 r"^\[fw\] Bank # 1: CFI conformant flash \(\d+ x \d+\)  Size: 256 kB in 1 Sectors$",
                 r"^\[fw\]   Intel Extended command set, Manufacturer ID: 0x89, Device ID: 0x0018$",
                 r"^\[fw\] Loading Environment from Flash\.\.\. OK$",
                 r"^\[fw\] fw-test: boot 0x00000001$",
                 r"^\[fw\] Saving Environment to Flash\.\.\. ",
                 r"^partition fw: restarting \(1\): PSCI SYSTEM_RESET$",
                 r"^\[fw\] fw-test: boot 0x00000002$",
                 r"^\[fw\] fwtest_saved=kept-0x00000001$",
                 r"^partition fw: stopping: PSCI SYSTEM_OFF$")
    check(r.output.count("[fw] Loading Environment from Flash... OK") == 2,
          "the environment was not read from flash at both boots", r.output)
    saving = r.output.split("Saving Environment", 1)[1].split("restarting", 1)[0]
    check(re.search(r"^\[fw\] Writing to Flash\.\.\. done$", saving, re.M) is not None and
          re.search(r"^\[fw\] OK$", saving, re.M) is not None, "saveenv failed", r.output)
    check_neighbour(r)


EDK2_VARS = (0x04000000, 0x5fc00000, 0xc0000)  # guest, host, size: 3 blocks


def edk2_flash(code_host=0x5d000000):
    """EDK2's code (QEMU_EFI.fd) read-only at virt's first flash bank, where
    it runs in place, and its variable store as a CFI bank at the second:
    the variables (256 KiB), the fault-tolerant-write working and spare
    areas (256 KiB each). Returns (DTS lines, (file, address) to load)."""
    size = os.path.getsize(EDK2)
    return (flash_node(0x0, code_host, size, image=(EDK2_IMAGE, size), read_only=True) +
            cfi_node(*EDK2_VARS), (EDK2, EDK2_IMAGE))


def grub_efi(ctx, name):
    """GRUB's arm64 EFI image (tools/setup fetched Debian's modules into
    .deps/firmware/grub), reading grub.cfg from /EFI/BOOT of the disk it
    was loaded from."""
    mods = os.path.join(ctx.top, ".deps", "firmware", "grub", "arm64-efi")
    check(os.path.isfile(os.path.join(mods, "linux.mod")), "%s missing: run tools/setup" % mods)
    out = os.path.join(ctx.tmp, name + "-BOOTAA64.EFI")
    subprocess.run(["grub-mkimage", "-O", "arm64-efi", "-d", mods, "-p", "/EFI/BOOT", "-o", out,
                    "part_msdos", "fat", "normal", "linux", "echo", "configfile"], check=True)
    return out


GRUB_CFG = b"""set timeout=0
echo grub-test: loading /Image
linux /Image console=ttyAMA0 panic=-1
echo grub-test: loading /initramfs.cpio.gz
initrd /initramfs.cpio.gz
echo grub-test: booting
boot
"""


@test("firmware: EDK2 in a partition keeps its variables in a CFI flash bank, boots GRUB from "
      "the EFI system partition of its virtio disk, and GRUB boots Debian's kernel to /init; "
      "the neighbour never notices",
      reqs="REQ-PAR-005 REQ-PAR-007")
def edk2_grub_linux(ctx):
    extra, load = edk2_flash()
    disk = fat_disk(ctx, "fw-edk2-esp", {
        "EFI/BOOT/BOOTAA64.EFI": grub_efi(ctx, "fw-edk2"),
        "EFI/BOOT/grub.cfg": GRUB_CFG,
        "Image": os.path.join(ctx.top, ".deps", "linux", "Image"),
        "initramfs.cpio.gz": os.path.join(ctx.build, "linux", "initramfs.cpio.gz")})
    args = firmware_system(ctx, "fw-edk2-grub", None, fw_extra=extra, loads=[load]) + \
        disk_args(disk)
    r = qemu.run(qemu.arm64_command(smp=4, extra=args),
                 until=r"(?s)^partition fw: stopped$(.*^\[victim\] victim: beat \d+ ){2}",
                 fail=FATAL + r"|^partition fw: .*external abort injected", timeout=300)
    keep_log(ctx, "fw-edk2-grub", r)
    check(r.matched, "EDK2, GRUB and Linux did not finish (%s)" % r.reason, r.output)
    expect_lines(r, r"^\[fw\] UEFI firmware \(version",
                 r"^\[fw\] .*BdsDxe: starting Boot\d+ \"UEFI Misc Device\"",
                 r"^\[fw\] .*Welcome to GRUB!",
                 # GRUB's lines start with a carriage return (and colours).
                 r"^\[fw\] .*grub-test: loading /Image",
                 r"^\[fw\] .*grub-test: booting",
                 r"^\[fw\] .*EFI stub: Booting Linux Kernel\.\.\.$",
                 r"^\[fw\] \[ *[0-9.]+\] efi: EFI v[0-9.]+ by EDK II$",
                 r"^\[fw\] \[ *[0-9.]+\] BULKHEAD-LINUX-INIT: 1 CPUs$",
                 r"^\[fw\] \[ *[0-9.]+\] linux-test: iomem 40000000-[0-9a-f]+ : System RAM$",
                 r"^\[fw\] \[ *[0-9.]+\]  vda: vda1$",
                 r"^\[fw\] \[ *[0-9.]+\] linux-test: done$",
                 r"^partition fw: stopping: PSCI SYSTEM_OFF$")
    check_neighbour(r)


@test("firmware: hostile firmware's CFI commands are contained: buffered data outside the "
      "block it named and an unconfirmed erase refused by the bank's status, a program and a "
      "command past its end refused as accesses; what it programmed kept across its restart, "
      "each program counted; the neighbour never notices",
      reqs="REQ-PAR-007 REQ-ISO-001")
def hostile_cfi(ctx):
    parts = [Partition("victim", [1], 0x50000000, "victim", bootargs="report=100",
                       extra="\t\t\t\tdevices = <&{/pl031@9010000}>;\n"),
             Partition("cfiattack", [2], 0x52000000, "cfiattack",
                       extra=cfi_node(0x04000000, 0x54100000, 2 * BLOCK))]
    args = system.build(ctx, "fw-cfi-hostile", parts)
    r = qemu.run(qemu.arm64_command(ctx.image, smp=4, extra=args),
                 until=r"(?s)^partition cfiattack: stopped$(.*^\[victim\] victim: beat \d+ ){2}",
                 fail=FATAL, timeout=60)
    keep_log(ctx, "fw-cfi-hostile", r)
    check(r.matched, "the attack did not finish (%s)" % r.reason, r.output)
    ok = "0x00800080"
    expect_lines(r, r"^\[cfiattack\] cfiattack: query QRY, 2 blocks of 0x20000 bytes a chip$",
                 r"^\[cfiattack\] cfiattack: word program: status %s, reads 0x43464921$" % ok,
                 r"^\[cfiattack\] cfiattack: buffered data outside its block: status 0x00b000b0, "
                 r"refused$",
                 r"^\[cfiattack\] cfiattack: erase not confirmed: status 0x00b000b0, nothing "
                 r"erased$",
                 r"^\[cfiattack\] cfiattack: program past the bank's end: contained$",
                 r"^\[cfiattack\] cfiattack: command past the bank's end: contained$",
                 r"^\[cfiattack\] cfiattack: asked for 3 programs, 0 erases, 2 refused; "
                 r"restarting$",
                 r"^partition cfiattack: restarting \(1\): PSCI SYSTEM_RESET$",
                 r"^partition cfiattack: CFI flash at IPA 0x4000000: 3 programs, 0 erases, "
                 r"2 refused$",
                 r"^\[cfiattack\] cfiattack: query QRY, 2 blocks of 0x20000 bytes a chip$",
                 r"^\[cfiattack\] cfiattack: program kept across the restart: 0x43464921$",
                 r"^\[cfiattack\] cfiattack: erase: status %s, reads 0xffffffff$" % ok,
                 r"^partition cfiattack: stopping: PSCI SYSTEM_OFF$")
    check(len(r.findall(r"^\[cfiattack\] cfiattack: query QRY")) == 2,
          "the query was not answered at both boots", r.output)
    check_neighbour(r, every=100)


# The UEFI shell's script at each boot: show the test variable (none at the
# first boot), store it non-volatile, and restart the partition.
VAR_GUID = "6e2c5d1a-4b7f-4c1e-9a0b-1c2d3e4f5a6b"
STARTUP_NSH = ("echo edk2-test: shell script\r\n"
               "dmpstore BulkheadTest -guid %s\r\n"
               "setvar BulkheadTest -guid %s -nv -bs -rt =4B455054\r\n"
               "echo edk2-test: variable set, resetting\r\n"
               "reset\r\n" % (VAR_GUID, VAR_GUID)).encode()


@test("firmware: EDK2's non-volatile variables, programmed into its CFI flash bank, are kept "
      "across its partition's restart",
      reqs="REQ-PAR-005 REQ-PAR-007")
def edk2_variables_kept(ctx):
    extra, load = edk2_flash()
    # No GRUB on the disk: the boot manager falls back to its shell, which
    # runs startup.nsh from the disk's file system.
    disk = fat_disk(ctx, "fw-edk2-nsh", {"startup.nsh": STARTUP_NSH}, size_mib=34)
    args = firmware_system(ctx, "fw-edk2-vars", None, fw_extra=extra, loads=[load]) + \
        disk_args(disk)
    r = qemu.run(qemu.arm64_command(smp=4, extra=args),
                 until=r"(?s)^partition fw: restarting \(1\).*edk2-test: variable set",
                 fail=FATAL + r"|^partition fw: .*external abort injected", timeout=240)
    keep_log(ctx, "fw-edk2-vars", r)
    check(r.matched, "EDK2 did not run its script twice (%s)" % r.reason, r.output)
    boots = re.split(r"^partition fw: restarting \(1\): PSCI SYSTEM_RESET$", r.output, flags=re.M)
    check(len(boots) == 2, "no restart of fw", r.output)
    check("edk2-test: shell script" in boots[0] and "No matching variables found" in boots[0] and
          "BulkheadTest" in boots[0].split("edk2-test: shell script", 1)[1],
          "the first boot found the variable already, or ran no script", r.output)
    # dmpstore's dump of the variable (its header is coloured and wrapped).
    check(re.search(r"^\[fw\]   00000000: 4B 45 50 54 +\*KEPT\*$", boots[1], re.M) is not None and
          "No matching variables found" not in boots[1],
          "the variable was not kept across the restart", r.output)
    check_neighbour(r)
