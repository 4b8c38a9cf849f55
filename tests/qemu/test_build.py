# SPDX-License-Identifier: Apache-2.0
"""Build properties checked from the outside: reproducibility, image header."""

import hashlib
import os
import shutil
import struct
import subprocess

from lib.harness import check, test


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


@test("build: the same tree builds the same bytes in another directory")
def reproducible(ctx):
    # A copy of the source tree elsewhere (as a distro builder would have),
    # built with the same version string: every output byte must match.
    other = os.path.join(ctx.tmp, "repro-tree")
    shutil.rmtree(other, ignore_errors=True)
    files = subprocess.check_output(["git", "ls-files", "-co", "--exclude-standard"],
                                    cwd=ctx.top, text=True).split()
    for name in files:
        src = os.path.join(ctx.top, name)
        if os.path.isfile(src):
            os.makedirs(os.path.dirname(os.path.join(other, name)), exist_ok=True)
            shutil.copy2(src, os.path.join(other, name))
    os.symlink(os.path.realpath(os.path.join(ctx.top, ".deps")), os.path.join(other, ".deps"))
    subprocess.run(["make", "-s", "-j2", "VERSION=" + ctx.expected_version(), "hypervisor"],
                   cwd=other, check=True, stdout=subprocess.DEVNULL)
    for name in ("bulkhead.bin", "bulkhead.elf"):
        a = sha256(os.path.join(ctx.build, "arm64", name))
        b = sha256(os.path.join(other, "build", "arm64", name))
        check(a == b, "%s differs between two builds of one tree: %s vs %s" % (name, a, b))
    shutil.rmtree(other, ignore_errors=True)


@test("build: bulkhead.bin has a valid arm64 Image header")
def image_header(ctx):
    with open(ctx.image, "rb") as f:
        head = f.read(64)
    _code0, _code1, text_offset, image_size, flags = struct.unpack_from("<IIQQQ", head)
    magic = head[56:60]
    check(magic == b"ARM\x64", "bad magic %r" % magic)
    check(text_offset == 0, "text_offset %#x, expected 0" % text_offset)
    check(flags == 0xa, "flags %#x, expected LE + 4K pages + anywhere (0xa)" % flags)
    file_size = os.path.getsize(ctx.image)
    check(file_size < image_size <= 1024 * 1024,
          "image_size %d must cover the file (%d) plus bss and per-CPU areas" %
          (image_size, file_size))
