# SPDX-License-Identifier: Apache-2.0
"""tools/pack-relocs: the image's packed fix-ups (RELR) are exactly the
first link's R_AARCH64_RELATIVE entries, the words they name hold the
link-time values head.S adds the load address to, and the check between
the two links catches a layout that moved. Booting at QEMU's and U-Boot's
load addresses (and through UEFI, which relocates twice) is in the boot,
uboot and uefi tests."""

import os
import re
import struct
import subprocess

from lib.harness import check, test

READELF = "aarch64-linux-gnu-readelf"
TOOL = ("tools", "pack-relocs")


def _rela(elf):
    """{offset: addend} of an ELF's R_AARCH64_RELATIVE entries."""
    out = subprocess.check_output([READELF, "-rW", elf], text=True)
    return {int(m.group(1), 16): int(m.group(2), 16)
            for m in re.finditer(r"^([0-9a-f]+)\s+[0-9a-f]+\s+R_AARCH64_RELATIVE\s+([0-9a-f]+)", out, re.M)}


def _decode(path):
    """The offsets a RELR list (relr.S's .quad lines) names."""
    offsets, where = [], 0
    with open(path) as f:
        entries = [int(m.group(1), 0) for m in re.finditer(r"\.quad\s+(\S+)", f.read())]
    for e in entries:
        if e & 1 == 0:
            offsets.append(e)
            where = e + 8
        else:
            bits = e >> 1
            for i in range(63):
                if bits >> i & 1:
                    offsets.append(where + 8 * i)
            where += 63 * 8
    return offsets, len(entries)


def _section(elf, name):
    out = subprocess.check_output([READELF, "-SW", elf], text=True)
    m = re.search(r"\s%s\s+\S+\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)" % re.escape(name), out)
    return (int(m.group(1), 16), int(m.group(2), 16)) if m else None


@test("pack-relocs: the image's packed fix-ups are the first link's, at words holding their link-time values",
      reqs="REQ-BOOT-001")
def pack_relocs_image(ctx):
    d = os.path.join(ctx.build, "arm64")
    rela = _rela(os.path.join(d, "rela", "bulkhead.elf"))
    check(len(rela) > 50, "the first link has %d fix-ups: not the image's?" % len(rela))
    offsets, entries = _decode(os.path.join(d, "relr.S"))
    check(sorted(offsets) == sorted(rela),
          "relr.S names %d words, the first link fixes up %d (%d not named, %d extra)" %
          (len(offsets), len(rela), len(set(rela) - set(offsets)), len(set(offsets) - set(rela))))
    check(entries * 24 < len(rela) * 24 // 10, "%d entries for %d fix-ups: not packed" % (entries, len(rela)))
    elf = os.path.join(d, "bulkhead.elf")
    check(_rela(elf) == {} and _section(elf, ".rela.dyn") is None, "the image still has .rela.dyn")
    relr = _section(elf, ".relr")
    check(relr is not None and relr[1] == 8 * entries, "the image's .relr is %r, expected %d bytes" %
          (relr, 8 * entries))
    # What moved between the links is after the relocations (the .bss): a
    # pointer to it holds the image's own address of it, any other its addend.
    moved_from = _section(os.path.join(d, "rela", "bulkhead.elf"), ".rela.dyn")[0]
    bss = _section(elf, ".bss")
    with open(os.path.join(d, "bulkhead.bin"), "rb") as f:
        image = f.read()
    for off, addend in sorted(rela.items()):
        (value,) = struct.unpack_from("<Q", image, off)
        if addend < moved_from:
            check(value == addend, "the word at %#x holds %#x, its link-time value is %#x" %
                  (off, value, addend))
        else:
            check(bss[0] <= value < bss[0] + bss[1], "the word at %#x holds %#x, outside .bss" % (off, value))


@test("pack-relocs: the check between the two links fails when the layout differs or .rela.dyn stays",
      reqs="REQ-BOOT-001")
def pack_relocs_check(ctx):
    tool = os.path.join(ctx.top, *TOOL)
    first = os.path.join(ctx.build, "arm64", "rela", "bulkhead.elf")
    image = os.path.join(ctx.build, "arm64", "bulkhead.elf")
    r = subprocess.run([tool, "--check", READELF, first, image], capture_output=True, text=True, timeout=60)
    check(r.returncode == 0, "the image's own two links fail the check", r.stderr)
    other = os.path.join(ctx.build, "minimal", "arm64", "bulkhead.elf")
    r = subprocess.run([tool, "--check", READELF, first, other], capture_output=True, text=True, timeout=60)
    check(r.returncode != 0 and ".text is at" in r.stderr, "another image's layout passed the check", r.stderr)
    r = subprocess.run([tool, "--check", READELF, first, first], capture_output=True, text=True, timeout=60)
    check(r.returncode != 0 and "still has dynamic relocations" in r.stderr,
          "an image with .rela.dyn passed the check", r.stderr)
