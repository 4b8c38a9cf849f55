# SPDX-License-Identifier: Apache-2.0
"""Firmware driving its flash as a CFI flash bank (docs/partition-firmware.md,
core/cfi_flash.c): U-Boot's saveenv on its environment bank, kept across the
partition's restart; EDK2's variable store; a hostile partition's commands
aimed outside its bank."""

import os
import re

from lib import qemu
from lib.harness import check, expect_lines, test

from .test_firmware import (FATAL, FW_ENV, ENV_IMAGE, ENV_SIZE, UBOOT, cells, check_neighbour,
                            env_image, firmware_system, uboot_default_env)

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
                 until=r"(?s)^partition fw: stopped$.*^\[victim\] victim: beat \d+ ",
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
