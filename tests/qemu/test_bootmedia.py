# SPDX-License-Identifier: Apache-2.0
"""Boot media from tools/bulkhead-image, booted by Debian's U-Boot under QEMU:
the SD-card image through U-Boot's distro boot, the FIT through bootm, the
partitions overlay applied offline and by U-Boot at boot; and the layouts
bulkhead-image must refuse."""

import hashlib
import os
import re
import shutil
import subprocess

from lib import qemu
from lib.harness import check, expect_lines, test

BOOT_TIMEOUT = 90
# U-Boot, the script or the hypervisor giving up: fail at once.
BOOT_FAIL = (r"^\*\*\* EL2 exception|^configuration: \d+ error|^bulkhead: (failed|boot failed)"
             r"|^SCRIPT FAILED|^## Error|^ERROR|Bad Data Hash|^Wrong Image|^Unknown command"
             r"|^Could not find")
PARTITIONS = ("hello-a", "hello-b")
BOTH_STOPPED = "(?s)" + "".join(r"(?=.*^partition %s: stopped$)" % n for n in PARTITIONS)
ENV_SIZE = 0x40000            # Debian's qemu_arm64 U-Boot: CONFIG_ENV_SIZE
FLASH_BANK = 64 * 1024 * 1024


def tool(ctx):
    return os.path.join(ctx.top, "tools", "bulkhead-image")


def hello(ctx):
    return os.path.join(ctx.build, "partitions", "hello.bin")


def modules(ctx, big=None):
    return ["-m", "hello-a=" + hello(ctx), "-m", "hello-b=" + (big or hello(ctx))]


def board_dtb(ctx):
    """The untouched board: the DT QEMU generates for the machine we boot."""
    path = os.path.join(ctx.tmp, "virt-4cpu-1g-board.dtb")
    if not os.path.exists(path):
        qemu.dump_dtb(path, smp=4, mem="1G")
    return path


def overlay_src(ctx):
    return os.path.join(ctx.top, "dts", "qemu-virt", "two-partitions-overlay.dtso")


def make_image(ctx, name, args, expect_status=0):
    """Run bulkhead-image into a fresh directory; returns (dir, result)."""
    out = os.path.join(ctx.tmp, "bootmedia-" + name)
    shutil.rmtree(out, ignore_errors=True)
    r = subprocess.run(["timeout", "120", tool(ctx), "-o", out,
                        "--hypervisor", ctx.image] + args, capture_output=True, text=True)
    check(r.returncode == expect_status, "bulkhead-image exit %d, expected %d:\n%s%s"
          % (r.returncode, expect_status, r.stdout, r.stderr))
    return out, r


def layout_of(result, what):
    """The (first, last) address bulkhead-image printed for a line of its layout."""
    m = re.search(r"^  0x([0-9a-f]+)-0x([0-9a-f]+)  %s" % re.escape(what), result.stdout, re.M)
    check(m is not None, "no %r in the layout printed" % what, result.stdout)
    return int(m.group(1), 16), int(m.group(2), 16)


def sd_boot(ctx, out):
    """Boot out/sdcard.img as a virtio-blk disk with U-Boot's default environment."""
    cmd = qemu.arm64_command(bios=qemu.UBOOT_BIOS, smp=4, mem="1G", extra=[
        "-drive", "if=none,file=%s,format=raw,id=sd" % os.path.join(out, "sdcard.img"),
        "-device", "virtio-blk-device,drive=sd"])
    r = qemu.run(cmd, until=BOTH_STOPPED, fail=BOOT_FAIL, timeout=BOOT_TIMEOUT)
    check(r.matched, "the SD-card boot did not reach both partitions' end (%s)" % r.reason,
          r.output)
    expect_lines(r, r"^Found U-Boot script /boot\.scr$", r"^bulkhead: loading /bulkhead\.itb$",
                 r"^arm64: entered at EL2 ")
    return r


def partition_view(r):
    """What the partitions did and how the hypervisor started them, timing removed."""
    # The time since reset on "starting" lines differs with the boot path.
    lines = [re.sub(r", at \d+ ns since reset$", "", line) for line in r.output.splitlines()
             if re.match(r"^(\[hello-[ab]\] |partition hello-[ab]: )", line)
             and "first instruction at" not in line]
    starts = [line for line in lines if re.match(r"^partition \S+: starting", line)]
    return starts, sorted(lines)


def check_handover(r, result):
    """The hypervisor runs where bulkhead-image put it, with x0 = its DT."""
    hyp, _ = layout_of(result, "the hypervisor")
    dtb, _ = layout_of(result, "the device tree")
    expect_lines(r, r"^hypervisor: 0x%016x-" % hyp,
                 r"^arm64: entered at EL2 on MPIDR 0x0 at \d+ ns since reset, device tree at "
                 r"0x%x$" % dtb)
    for name in PARTITIONS:
        expect_lines(r, r"^\[%s\] hello from %s " % (name, name),
                     r"^\[%s\] hello: done$" % name)


@test("bootmedia: the SD-card image from two-partitions.dts boots through U-Boot's distro boot",
      reqs="REQ-BOOT-001 REQ-BLD-003")
def sd_from_system_dts(ctx):
    out, res = make_image(ctx, "sd", [os.path.join(ctx.top, "dts", "qemu-virt",
                                                   "two-partitions.dts")] + modules(ctx))
    for name in ("system.dtb", "bulkhead.itb", "boot.scr", "sdcard.img", "qemu.sh"):
        check(os.path.isfile(os.path.join(out, name)), "%s not written" % name, res.stdout)
    # The printed QEMU command line is the one that boots the card.
    check("-device virtio-blk-device,drive=sd" in res.stdout and qemu.UBOOT_BIOS in res.stdout,
          "no QEMU command line printed", res.stdout)
    r = sd_boot(ctx, out)
    check_handover(r, res)
    expect_lines(r, r"^   Using Device Tree in place at ", r"^   Verifying Hash Integrity \.\.\. "
                 r"sha256\+ OK$")
    # Module addresses in the DTS are kept; sizes are the images'.
    size = os.path.getsize(hello(ctx))
    for name, addr in (("hello-a", 0x44000000), ("hello-b", 0x44400000)):
        first, last = layout_of(res, "module /chosen/bulkhead/%s/" % name)
        check((first, last) == (addr, addr + size - 1), "%s placed at 0x%x-0x%x"
              % (name, first, last), res.stdout)


@test("bootmedia: U-Boot bootm of the FIT in memory reaches the partitions", reqs="REQ-BOOT-001")
def bootm_fit(ctx):
    out, res = make_image(ctx, "fit", [os.path.join(ctx.top, "dts", "qemu-virt",
                                                    "two-partitions.dts")] + modules(ctx))
    env_txt = os.path.join(out, "uboot-env.txt")
    env_img = os.path.join(out, "uboot-env.img")
    subprocess.run(["mkenvimage", "-s", hex(ENV_SIZE), "-o", env_img, env_txt], check=True)
    os.truncate(env_img, FLASH_BANK)
    fit, _ = layout_of(res, "the FIT")
    cmd = qemu.arm64_command(bios=qemu.UBOOT_BIOS, smp=4, mem="1G", extra=[
        "-drive", "if=pflash,format=raw,unit=1,readonly=on,file=" + env_img,
        "-device", "loader,file=%s,addr=%#x,force-raw=on" % (os.path.join(out, "bulkhead.itb"),
                                                             fit)])
    r = qemu.run(cmd, until=BOTH_STOPPED, fail=BOOT_FAIL, timeout=BOOT_TIMEOUT)
    check(r.matched, "bootm of the FIT did not reach both partitions' end (%s)" % r.reason,
          r.output)
    expect_lines(r, r"^Loading Environment from Flash\.\.\. OK$",
                 r"^## Loading kernel from FIT Image at %x \.\.\.$" % fit,
                 r"^   Using 'system' configuration$",
                 r"^   Loading loadables from ", r"^Starting kernel \.\.\.$")
    check_handover(r, res)


@test("bootmedia: the overlay applied by U-Boot at boot gives what fdtoverlay gives offline",
      reqs="REQ-BOOT-001")
def overlay_at_boot(ctx):
    board = board_dtb(ctx)
    with open(board, "rb") as f:
        before = hashlib.sha256(f.read()).hexdigest()
    common = ["--board", board, "--overlay", overlay_src(ctx)] + modules(ctx)
    out_off, res_off = make_image(ctx, "overlay-offline", common)
    out_boot, res_boot = make_image(ctx, "overlay-at-boot", common + ["--apply-at-boot"])
    with open(board, "rb") as f:
        check(hashlib.sha256(f.read()).hexdigest() == before, "the board DTB was changed")
    with open(os.path.join(out_boot, "boot.cmd")) as f:
        script = f.read()
    check("fdt mknode /chosen bulkhead" in script and "bootm ${bulkhead_fit}#board - " in script,
          "boot.cmd does not apply the overlay at boot", script)

    offline = sd_boot(ctx, out_off)
    check_handover(offline, res_off)
    expect_lines(offline, r"^   Using 'system' configuration$")
    at_boot = sd_boot(ctx, out_boot)
    check_handover(at_boot, res_boot)
    expect_lines(at_boot, r"^   Booting using the fdt blob at 0x%x$"
                 % layout_of(res_boot, "the device tree")[0])
    check(at_boot.search(r"Using 'system' configuration") is None,
          "the at-boot script booted the offline device tree", at_boot.output)
    starts_off, lines_off = partition_view(offline)
    starts_boot, lines_boot = partition_view(at_boot)
    check(len(starts_off) == 2 and starts_off == starts_boot,
          "partitions started differently:\noffline: %s\nat boot: %s" % (starts_off, starts_boot))
    # In the overlay's order, although libfdt inserts new nodes first.
    check(starts_off[0].startswith("partition hello-a: "),
          "partitions not in the overlay's order: %s" % starts_off)
    check(lines_off == lines_boot, "partition output differs:\noffline: %s\nat boot: %s"
          % (lines_off, lines_boot))
    # The passthrough RTC of hello-b went through a phandle made at boot.
    expect_lines(at_boot, r"^\[hello-b\] hello from hello-b ")


@test("bootmedia: bulkhead-image refuses overlapping modules, naming both and the overlap",
      reqs="REQ-BLD-003")
def refuses_overlap(ctx):
    src = open(os.path.join(ctx.top, "dts", "qemu-virt", "two-partitions.dts")).read()
    src = src.replace("module@44400000", "module@44008000").replace(
        "reg = <0x0 0x44400000 0x0 0x100000>", "reg = <0x0 0x44008000 0x0 0x100000>")
    path = os.path.join(ctx.tmp, "bootmedia-overlap.dts")
    with open(path, "w") as f:
        f.write(src)
    size = os.path.getsize(hello(ctx))
    out, r = make_image(ctx, "overlap", ["-I", os.path.join(ctx.top, "dts", "qemu-virt"), path]
                        + modules(ctx), expect_status=1)
    expect = ("bulkhead-image: module /chosen/bulkhead/hello-b/module@44008000 (hello.bin, "
              "%d bytes) at 0x44008000-0x%x overlaps module /chosen/bulkhead/hello-a/"
              "module@44000000 (hello.bin, %d bytes) at 0x44000000-0x%x by 0x%x bytes"
              % (size, 0x44008000 + size - 1, size, 0x44000000 + size - 1, size - 0x8000))
    check(expect in r.stderr, "message %r missing" % expect, r.stderr)
    check(not os.path.exists(out), "output written despite the refusal")


@test("bootmedia: bulkhead-image refuses a module too big for RAM or for its partition",
      reqs="REQ-BLD-003")
def refuses_oversized(ctx):
    huge = os.path.join(ctx.tmp, "bootmedia-huge.bin")
    with open(huge, "wb") as f:
        f.truncate(1 << 30)   # sparse: as big as all of RAM
    try:
        args = ["--board", board_dtb(ctx), "--overlay", overlay_src(ctx)]
        out, r = make_image(ctx, "huge", args + modules(ctx, big=huge), expect_status=1)
        check(re.search(r"^bulkhead-image: no room for module /chosen/bulkhead/hello-b/module@0 "
                        r"\(bootmedia-huge\.bin, 1 GiB\): it needs 0x40000000 bytes, "
                        r"2 MiB-aligned, and the largest free range is 0x[0-9a-f]+ bytes "
                        r"\(\d+(\.\d)? MiB\) at 0x[0-9a-f]+$",
                        r.stderr, re.M), "no 'no room' message", r.stderr)
        check(not os.path.exists(out), "output written despite the refusal")
        with open(huge, "r+b") as f:
            f.truncate(20 << 20)   # fits in RAM, not in hello-b's 16 MiB
        out, r = make_image(ctx, "big", args + modules(ctx, big=huge), expect_status=1)
        check("bulkhead-check refuses the system" in r.stderr and
              "error: /chosen/bulkhead/hello-b: property 'memory': the kernel needs 20480 KiB"
              in r.stderr, "no checker refusal naming hello-b", r.stderr)
    finally:
        os.unlink(huge)


@test("bootmedia: bulkhead-image --version, --help, bad input and reproducible output",
      reqs="REQ-BLD-003 REQ-BLD-001 REQ-BOOT-004")
def tool_cli(ctx):
    r = subprocess.run([tool(ctx), "--version"], capture_output=True, text=True)
    check(r.returncode == 0 and r.stdout.strip() == "bulkhead-image " + ctx.expected_version(),
          "version %r" % r.stdout)
    r = subprocess.run([tool(ctx), "--help"], capture_output=True, text=True)
    for section in ("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "EXIT STATUS", "EXAMPLES"):
        check(re.search(r"^%s$" % section, r.stdout, re.M), "--help lacks %s" % section,
              r.stdout)
    dts = os.path.join(ctx.top, "dts", "qemu-virt", "two-partitions.dts")
    _, r = make_image(ctx, "nomodule", [dts, "-m", "hello-a=" + hello(ctx)], expect_status=2)
    check("/chosen/bulkhead/hello-b/module@44400000: no image for this kernel module "
          "(give --module hello-b=FILE)" in r.stderr, "missing module not named", r.stderr)
    lbl = os.path.join(ctx.tmp, "bootmedia-label.dtso")
    with open(overlay_src(ctx)) as f:
        text = f.read().replace("&{/cpus/cpu@1}", "&cpu1")
    with open(lbl, "w") as f:
        f.write(text)
    _, r = make_image(ctx, "label", ["--board", board_dtb(ctx), "--overlay", lbl] + modules(ctx),
                      expect_status=1)
    check("refers to label 'cpu1' (/fragment@0/__overlay__/bulkhead/hello-a property 'cpus')"
          in r.stderr and "--label cpu1=" in r.stderr, "unresolved label not explained",
          r.stderr)
    # With the label given, the same overlay is fine; built twice, byte for byte the same.
    args = ["--board", board_dtb(ctx), "--overlay", lbl, "--label", "cpu1=/cpus/cpu@1",
            "--apply-at-boot"] + modules(ctx)
    first, _ = make_image(ctx, "repro-1", args)
    second, _ = make_image(ctx, "repro-2", args)
    for name in ("bulkhead.itb", "boot.scr", "sdcard.img", "system.dtb", "partitions.dtbo"):
        digests = []
        for d in (first, second):
            with open(os.path.join(d, name), "rb") as f:
                digests.append(hashlib.sha256(f.read()).hexdigest())
        check(digests[0] == digests[1], "%s differs between two identical runs" % name)
