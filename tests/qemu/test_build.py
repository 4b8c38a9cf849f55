# SPDX-License-Identifier: Apache-2.0
"""Build properties checked from the outside: reproducibility, image header."""

import hashlib
import json
import os
import re
import shutil
import struct
import subprocess
import tarfile
import tempfile

from lib.harness import check, test


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def _copy_tree(ctx, name):
    """The working tree's files (committed or not, no build/ or .deps) in ctx.tmp/name."""
    other = os.path.join(ctx.tmp, name)
    shutil.rmtree(other, ignore_errors=True)
    files = subprocess.check_output(["git", "ls-files", "-co", "--exclude-standard"],
                                    cwd=ctx.top, text=True).split()
    for name in files:
        src = os.path.join(ctx.top, name)
        if os.path.isfile(src):
            os.makedirs(os.path.dirname(os.path.join(other, name)), exist_ok=True)
            shutil.copy2(src, os.path.join(other, name))
    return other


@test("build: make -j4 all partitions tools on a fresh clone runs tools/setup once",
      reqs="REQ-BLD-001")
def fresh_clone_parallel(ctx):
    # A fresh clone with an empty .deps: every rule that needs setup waits
    # for one run of tools/setup, which unpacks libfdt once. The Linux guest
    # is copied in beforehand so that nothing is downloaded (the package
    # checks are no-ops on a machine that can run this test); libfdt comes
    # from the installed linux-source tarball, and is what two concurrent
    # setups used to unpack over each other.
    other = _copy_tree(ctx, "fresh-tree")
    deps = os.path.join(ctx.tmp, "fresh-deps")
    shutil.rmtree(deps, ignore_errors=True)
    os.makedirs(deps)
    shutil.copytree(os.path.join(os.path.realpath(os.path.join(ctx.top, ".deps")), "linux"),
                    os.path.join(deps, "linux"))
    os.symlink(deps, os.path.join(other, ".deps"))
    # Not the jobserver of a make that runs the tests: this make has its own -j4.
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    try:
        r = subprocess.run(["timeout", "900", "make", "-j4", "all", "partitions", "tools"],
                           cwd=other, env=env, capture_output=True, text=True)
        out = r.stdout + r.stderr
        check(r.returncode == 0, "make -j4 all partitions tools failed (exit %d)" % r.returncode,
              out[-4000:])
        runs = out.count("setup: libfdt sources unpacked into .deps/libfdt")
        check(runs == 1, "tools/setup unpacked libfdt %d times, expected once" % runs, out[-4000:])
        for built in ("build/arm64/bulkhead.bin", "build/x86/bulkhead.elf",
                      "build/partitions/hello.bin", "build/tools/bulkhead-check"):
            check(os.path.isfile(os.path.join(other, built)), "%s was not built" % built)
    finally:
        shutil.rmtree(other, ignore_errors=True)
        shutil.rmtree(deps, ignore_errors=True)


@test("build: the same tree builds the same bytes in another directory", reqs="REQ-BLD-001")
def reproducible(ctx):
    # A copy of the source tree elsewhere (as a distro builder would have),
    # built with the same version string: every output byte must match.
    other = _copy_tree(ctx, "repro-tree")
    os.symlink(os.path.realpath(os.path.join(ctx.top, ".deps")), os.path.join(other, ".deps"))
    subprocess.run(["make", "-s", "-j2", "VERSION=" + ctx.expected_version(), "hypervisor"], cwd=other, check=True, stdout=subprocess.DEVNULL)
    for name in ("bulkhead.bin", "bulkhead.elf"):
        a = sha256(os.path.join(ctx.build, "arm64", name))
        b = sha256(os.path.join(other, "build", "arm64", name))
        check(a == b, "%s differs between two builds of one tree: %s vs %s" % (name, a, b))
    shutil.rmtree(other, ignore_errors=True)


@test("build: bulkhead.bin has a valid arm64 Image header", reqs="REQ-BOOT-001")
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


def _tree_is_clean(top):
    r = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=top,
                       capture_output=True, text=True)
    return r.returncode == 0 and r.stdout == ""


@test("build: make dist gives a tarball with a VERSION file that builds without git",
      reqs="REQ-BLD-001")
def dist_tarball(ctx):
    head = subprocess.check_output(["git", "describe", "--tags", "--always", "HEAD"],
                                   cwd=ctx.top, text=True).strip()
    # BUILD relative (as in size_report): a relink here must not change
    # the debug info's paths of the image the other tests compare.
    subprocess.run(["make", "-s", "BUILD=" + os.path.relpath(ctx.build, ctx.top), "dist"],
                   cwd=ctx.top, check=True,
                   stdout=subprocess.DEVNULL)
    tarball = os.path.join(ctx.build, "bulkhead-%s.tar.gz" % head)
    check(os.path.exists(tarball), "make dist did not write %s" % tarball)
    # Outside every git checkout, so that nothing can ask git for a version.
    where = tempfile.mkdtemp(prefix="bulkhead-dist-")
    try:
        with tarfile.open(tarball) as tar:
            names = tar.getnames()
            top_dir = "bulkhead-" + head
            check(all(n == top_dir or n.startswith(top_dir + "/") for n in names),
                  "every file must be under bulkhead-%s/" % head, "\n".join(names[:20]))
            check(not any("/.git/" in n or n.endswith("/.git") for n in names), "the tarball has .git")
            tar.extractall(where)
        src = os.path.join(where, "bulkhead-" + head)
        check(open(os.path.join(src, "VERSION")).read() == head + "\n", "VERSION file")
        env = dict(os.environ, GIT_CEILING_DIRECTORIES=where)
        libfdt = os.path.realpath(os.path.join(ctx.top, ".deps", "libfdt"))
        r = subprocess.run(["timeout", "900", "make", "-s", "-j2", "LIBFDT_SRC=" + libfdt,
                            "all", "tools"], cwd=src, env=env, capture_output=True, text=True)
        check(r.returncode == 0, "the tarball does not build (exit %d)" % r.returncode,
              r.stdout + r.stderr)
        r = subprocess.run([os.path.join(src, "build", "tools", "bulkhead-check"), "--version"],
                           capture_output=True, text=True)
        check(r.stdout == "bulkhead-check %s\nparts: %s\n" % (head, ctx.expected_parts()),
              "tool version %r" % r.stdout)
        image = open(os.path.join(src, "build", "arm64", "bulkhead.bin"), "rb").read()
        check(b"\0" + head.encode() + b"\0" in image, "the hypervisor does not carry %s" % head)
        # When the tested image was built from this very commit (a clean
        # checkout), the release builds the very same bytes.
        built = open(ctx.image, "rb").read()
        if _tree_is_clean(ctx.top) and b"\0" + head.encode() + b"\0" in built:
            a = sha256(ctx.image)
            b = sha256(os.path.join(src, "build", "arm64", "bulkhead.bin"))
            check(a == b, "bulkhead.bin from the tarball differs: %s vs %s" % (b, a))
    finally:
        shutil.rmtree(where, ignore_errors=True)


@test("build: make install DESTDIR= installs the expected files", reqs="REQ-BLD-001")
def install(ctx):
    dest = os.path.join(ctx.tmp, "install-root")
    shutil.rmtree(dest, ignore_errors=True)
    subprocess.run(["make", "-s", "BUILD=" + os.path.relpath(ctx.build, ctx.top), "PREFIX=/usr",
                    "DESTDIR=" + dest,
                    "install"], cwd=ctx.top, check=True, stdout=subprocess.DEVNULL)
    tracked = subprocess.check_output(["git", "ls-files", "dts", "docs", "tools"], cwd=ctx.top,
                                      text=True).split()
    expected = {"usr/bin/bulkhead-check", "usr/share/bulkhead/bulkhead.bin",
                "usr/share/doc/bulkhead/README.md", "usr/share/doc/bulkhead/LICENSE"}
    for name in tracked:
        if name.startswith("dts/") and (name.endswith((".dts", ".dtsi")) or
                                        name == "dts/README.md"):
            expected.add("usr/share/bulkhead/" + name)
        elif name.startswith("docs/") and name.endswith(".md"):
            expected.add("usr/share/doc/bulkhead/" + name[len("docs/"):])
        elif name == "tools/bulkhead-image":
            expected.add("usr/bin/bulkhead-image")
    found = set()
    for root, _dirs, files in os.walk(dest):
        for f in files:
            found.add(os.path.relpath(os.path.join(root, f), dest))
    check(found == expected, "installed files differ: missing %s, unexpected %s" %
          (sorted(expected - found), sorted(found - expected)))
    check("usr/share/bulkhead/dts/lx2160a-rdb/lx2160a-rdb.dts" in found, "the board example")
    tool = os.path.join(dest, "usr", "bin", "bulkhead-check")
    check(os.access(tool, os.X_OK), "bulkhead-check is not executable")
    r = subprocess.run([tool, "--version"], capture_output=True, text=True)
    check(r.stdout == "bulkhead-check %s\nparts: %s\n" % (ctx.expected_version(), ctx.expected_parts()),
          "installed tool version %r" % r.stdout)
    check(sha256(os.path.join(dest, "usr", "share", "bulkhead", "bulkhead.bin")) == sha256(ctx.image),
          "the installed image is not the built one")
    shutil.rmtree(dest, ignore_errors=True)


@test("build: every tool answers --version with the build's version", reqs="REQ-BOOT-004")
def tools_version(ctx):
    expected = ctx.expected_version()
    tools = {"bulkhead-check": os.path.join(ctx.build, "tools", "bulkhead-check"),
             "bulkhead-image": os.path.join(ctx.top, "tools", "bulkhead-image"),
             "run-qemu": os.path.join(ctx.top, "tools", "run-qemu"),
             "setup": os.path.join(ctx.top, "tools", "setup")}
    for name, path in tools.items():
        r = subprocess.run(["timeout", "30", path, "--version"], capture_output=True, text=True)
        # bulkhead-check's second line names the build's parts.
        first = (r.stdout.splitlines() or [""])[0]
        check(r.returncode == 0 and first == "%s %s" % (name, expected),
              "%s --version: %r (status %d), expected '%s %s'"
              % (name, r.stdout, r.returncode, name, expected))


@test("static: the MISRA check fails on a rule outside the deviation list, naming file and line",
      reqs="REQ-SAF-001")
def misra_gate_can_fail(ctx):
    tool = os.path.join(ctx.top, "tools", "misra-check")
    with tempfile.TemporaryDirectory() as tmp:
        strict = os.path.join(tmp, "deviations")
        with open(strict, "w") as f:
            f.write("2.5 all\n")  # every other rule enforced
        r = subprocess.run(["timeout", "300", tool, "--deviations", strict,
                            "--build-dir", os.path.join(ctx.build, "misra")],
                           capture_output=True, text=True)
    check(r.returncode == 1, "misra-check with an empty deviation list: status %d, expected 1\n%s"
          % (r.returncode, r.stdout + r.stderr))
    check(any(line.startswith("misra-check: rule ") for line in r.stdout.splitlines()),
          "no rule named:\n" + r.stdout)
    check(any(line.startswith("  ") and ".c:" in line for line in r.stdout.splitlines()),
          "no file:line named:\n" + r.stdout)


PORT_TABLE_BEGIN = "<!-- tools/port-lines -->"
PORT_TABLE_END = "<!-- end tools/port-lines -->"


@test("build: core/ and drivers/ have no architecture conditionals; docs/architecture.md's "
      "table of what both ports share matches tools/port-lines", reqs="REQ-SAF-005")
def port_sharing(ctx):
    conditionals = []
    for root, _, names in [w for top in ("core", "drivers")
                           for w in os.walk(os.path.join(ctx.top, top))]:
        for name in names:
            if not name.endswith((".c", ".h")):
                continue
            path = os.path.join(root, name)
            with open(path) as f:
                for number, line in enumerate(f, 1):
                    words = line.split()
                    if not words or not words[0].startswith("#if") and words[0] != "#elif":
                        continue
                    # include guards, and the host build's libc prefix
                    if words[-1].endswith("_H") or words[-1] == "BH_LIBC_PREFIX":
                        continue
                    conditionals.append("%s:%d: %s" % (os.path.relpath(path, ctx.top), number,
                                                       line.strip()))
    check(not conditionals, "conditional compilation in core/ or drivers/:\n" +
          "\n".join(conditionals))

    out = subprocess.check_output([os.path.join(ctx.top, "tools", "port-lines"), "--json",
                                   "--build", ctx.build], cwd=ctx.top, text=True)
    actual = json.loads(out)
    with open(os.path.join(ctx.top, "docs", "architecture.md")) as f:
        doc = f.read()
    check(PORT_TABLE_BEGIN in doc and PORT_TABLE_END in doc,
          "docs/architecture.md has no table between %s and %s" % (PORT_TABLE_BEGIN, PORT_TABLE_END))
    table = doc.split(PORT_TABLE_BEGIN, 1)[1].split(PORT_TABLE_END, 1)[0]
    documented = {}
    for row in table.splitlines():
        cells = [c.strip() for c in row.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0] in actual:
            documented[cells[0]] = int(cells[2].replace(",", ""))
    check(set(documented) == set(actual),
          "docs/architecture.md lists %s, tools/port-lines %s" % (sorted(documented), sorted(actual)))
    for name, g in actual.items():
        # a stale report fails; the churn of a few commits does not
        slack = max(g["lines"] // 10, 100)
        check(abs(documented[name] - g["lines"]) <= slack,
              "docs/architecture.md: '%s' says %d lines, tools/port-lines counts %d: "
              "paste its table again" % (name, documented[name], g["lines"]))


@test("build: make size attributes every byte of the image's sections to a part and an object",
      reqs="REQ-BLD-002")
def size_report(ctx):
    # BUILD relative, as the build that made the image had it: should the
    # image be relinked here, its debug info names the same paths.
    r = subprocess.run(["make", "-s", "BUILD=" + os.path.relpath(ctx.build, ctx.top), "size"],
                       cwd=ctx.top,
                       capture_output=True, text=True)
    check(r.returncode == 0, "make size failed (exit %d)" % r.returncode, r.stdout + r.stderr)
    for line in ("SMMU", "CHANNELS", "core/boot.c", "arch/arm64/smmuv3.c", "libfdt/fdt_ro.c"):
        check(any(l.split()[:1] == [line] for l in r.stdout.splitlines()),
              "make size names no %s" % line, r.stdout)
    # Against the ELF's own section headers: the report's per-section sums;
    # with LTO (the default) of the objects linked without it, which the
    # parts and objects are of, and the image's own figures after them.
    lto = os.path.exists(os.path.join(ctx.build, "arm64", "nolto", "bulkhead.map"))
    by_object = os.path.join(ctx.build, "arm64", "nolto" if lto else "", "bulkhead")
    report = json.loads(subprocess.check_output(
        [os.path.join(ctx.top, "tools", "size-report"), "--json", by_object + ".map"], text=True))

    def elf_section(elf, name):
        sections = subprocess.check_output(["aarch64-linux-gnu-readelf", "-SW", elf], text=True)
        m = re.search(r"\s%s\s+\S+\s+[0-9a-f]+\s+[0-9a-f]+\s+([0-9a-f]+)" % re.escape(name), sections)
        check(m is not None, "no %s in %s" % (name, elf), sections)
        return int(m.group(1), 16)

    for name, col in ((".text", "text"), (".bss", "bss")):
        want = elf_section(by_object + ".elf", name)
        got = sum(row.get(col, 0) for row in report["objects"].values())
        check(got == want, "%s: the report attributes %d bytes, the ELF has %d" % (name, got, want))
    if lto:
        row = [l.split() for l in r.stdout.splitlines() if l.startswith("total with LTO")]
        check(len(row) == 1, "make size prints no 'total with LTO' line", r.stdout)
        want = elf_section(os.path.join(ctx.build, "arm64", "bulkhead.elf"), ".text")
        check(int(row[0][3]) == want, "total with LTO: text %s, the image's ELF has %d" %
              (row[0][3], want), r.stdout)
