# SPDX-License-Identifier: Apache-2.0
"""Booting through Debian's U-Boot: the environment image, booti to all CPUs online."""

import os
import re
import struct
import zlib

from lib import qemu
from lib.harness import check, expect_lines, test

from .test_boot import FATAL, ONLINE

ENV_SIZE = 0x40000  # CONFIG_ENV_SIZE of Debian's qemu_arm64 U-Boot
FLASH_BANK = 64 * 1024 * 1024
# U-Boot giving up on our environment or on the image: fail at once rather
# than wait for its default distro boot to run out.
UBOOT_FAIL = (FATAL + r"|bad CRC|Bad Linux ARM64 Image magic|^ERROR|Unknown command"
              r"|^## Error|^Wrong Image")
UBOOT_TIMEOUT = 60


def env_image(ctx):
    path = qemu.uboot_env_image(ctx.build)
    check(os.path.isfile(path), "%s missing: `make uboot-env` builds it" % path)
    return path


def uboot_boot(ctx, smp, mem="1G"):
    cmd = qemu.arm64_command(ctx.image, smp=smp, mem=mem, uboot=True, uboot_env=env_image(ctx))
    r = qemu.run(cmd, until=ONLINE, fail=UBOOT_FAIL, timeout=UBOOT_TIMEOUT)
    check(r.matched, "U-Boot boot did not reach all CPUs online (run ended: %s)" % r.reason,
          r.output)
    expect_lines(r, r"^Loading Environment from Flash\.\.\. OK$", r"^Starting kernel \.\.\.$")
    check("bad CRC" not in r, "U-Boot did not take our environment", r.output)
    return r


@test("uboot: the environment image has the size and CRC U-Boot expects", reqs="REQ-BOOT-001")
def env_image_layout(ctx):
    with open(env_image(ctx), "rb") as f:
        data = f.read()
    check(len(data) == FLASH_BANK, "image is %d bytes; the virt flash bank needs %d"
          % (len(data), FLASH_BANK))
    crc, = struct.unpack_from("<I", data)
    body = data[4:ENV_SIZE]
    check(zlib.crc32(body) == crc, "CRC %#x over the first %#x bytes does not match %#x"
          % (zlib.crc32(body), ENV_SIZE, crc))
    env = dict(v.decode().split("=", 1) for v in body.split(b"\0\0", 1)[0].split(b"\0"))
    check(env.get("bulkhead_addr") == "%#x" % qemu.UBOOT_LOAD_ADDR,
          "bulkhead_addr=%s in the environment, but QEMU loads the image at %#x"
          % (env.get("bulkhead_addr"), qemu.UBOOT_LOAD_ADDR))
    check(env.get("bootdelay") == "0", "bootdelay=%s: the boot would wait"
          % env.get("bootdelay"))
    check(env.get("bootcmd", "").startswith("booti ${bulkhead_addr} - "),
          "bootcmd is %r" % env.get("bootcmd"))


@test("uboot: booti boots bulkhead.bin to all 4 CPUs online", reqs="REQ-BOOT-001 REQ-BOOT-002")
def uboot_smp4(ctx):
    r = uboot_boot(ctx, smp=4)
    uboot = r.output.find("U-Boot 20")
    banner = r.search(r"^Bulkhead \S+ \(arm64\)")
    check(uboot >= 0, "no U-Boot banner", r.output)
    check(banner is not None and uboot < banner.start(),
          "U-Boot's banner does not come before Bulkhead's", r.output)
    expect_lines(r, r"^Bulkhead %s \(arm64\)" % re.escape(ctx.expected_version()),
                 r"^cpus: 4$", r"^all 4 CPUs online at \d+ ns since reset$")
    online = sorted(int(i) for i in r.findall(r"^cpu (\d+): online \(hwid 0x[0-9a-f]+\)$"))
    check(online == [1, 2, 3], "secondaries online: %s, expected 1..3" % online, r.output)

    # The same machine booted with -kernel sees the same memory, and the
    # image runs where it ran there.
    k = qemu.run(qemu.arm64_command(ctx.image, smp=4), until=ONLINE, fail=FATAL)
    check(k.matched, "-kernel boot did not reach all CPUs online", k.output)
    for pattern in (r"^memory: .*$", r"^hypervisor: .*$"):
        via_uboot, via_kernel = r.findall(pattern), k.findall(pattern)
        check(via_uboot and via_uboot == via_kernel, "U-Boot boot reports %s, -kernel boot %s"
              % (via_uboot, via_kernel), r.output)
    expect_lines(r, r"^hypervisor: 0x%016x-" % qemu.UBOOT_LOAD_ADDR)


@test("uboot: booti with -smp 2 -m 2G sees 2 GiB", reqs="REQ-BOOT-002")
def uboot_smp2_2g(ctx):
    r = uboot_boot(ctx, smp=2, mem="2G")
    expect_lines(r, r"^DRAM: +2 GiB$",
                 r"^memory: 0x0000000040000000-0x00000000bfffffff \(2048 MiB\)$",
                 r"^memory: 2048 MiB in 1 range\(s\)$",
                 r"^cpus: 2$", r"^all 2 CPUs online at \d+ ns since reset$")
