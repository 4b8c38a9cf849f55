#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Run Bulkhead's tests: host unit tests, then QEMU integration tests.

Prints PASS/FAIL per test and ends with the line `N passed, N failed`
(unit-test assertions counted by the unit-test binary are folded in).
Exit status is non-zero if anything failed.
"""

import argparse
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from lib import harness  # noqa: E402
import qemu  # noqa: E402,F401  (registers the integration tests)


class Context:
    def __init__(self, top, build):
        self.top = top
        self.build = build
        self.image = os.path.join(build, "arm64", "bulkhead.bin")
        self.fault_image = os.path.join(build, "arm64-faulttest", "bulkhead.bin")
        self.tmp = os.path.join(build, "test-tmp")
        os.makedirs(self.tmp, exist_ok=True)
        self.gic = 3  # the GIC version of QEMU virt for arm64 tests (harness.test gic=)
        self.bochs = None  # x86 tests: a bochs CPU model to run on instead of QEMU (bochs=)

    def expected_version(self):
        """As the Makefile says: VERSION in a release tarball, else `git describe`."""
        path = os.path.join(self.top, "VERSION")
        if os.path.exists(path):
            return open(path).read().strip()
        try:
            return subprocess.check_output(
                ["git", "describe", "--tags", "--always", "--dirty"], cwd=self.top,
                stderr=subprocess.DEVNULL, text=True).strip()
        except (subprocess.CalledProcessError, FileNotFoundError):
            return "unknown"


    def expected_parts(self):
        """What the default build's banner and bulkhead-check --version say
        of the optional parts: every option of mk/options.mk, built in."""
        text = open(os.path.join(self.top, "mk", "options.mk")).read()
        options = re.search(r"^OPTIONS := ((?:.*\\\n)*.*)$", text, re.M).group(1)
        options = options.replace("\\", " ").split()
        return " ".join("%s=y" % o for o in options)


def run_unit_tests(ctx):
    binary = os.path.join(ctx.build, "host", "unit-tests")
    proc = subprocess.run(["timeout", "300", binary, os.path.join(ctx.build, "host", "dtb")],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out = proc.stdout
    for line in out.splitlines():
        if line.startswith("FAIL") or line.startswith("unit:"):
            print(line)
    m = re.search(r"^unit: (\d+) passed, (\d+) failed$", out, re.M)
    if not m:
        print(out)
        print("FAIL unit-tests: no summary line (exit status %d)" % proc.returncode)
        return 0, 1
    passed, failed = int(m.group(1)), int(m.group(2))
    if proc.returncode != 0 and failed == 0:
        print(out)
        print("FAIL unit-tests: exit status %d (sanitizer report?)" % proc.returncode)
        failed = 1
    return passed, failed


def main():
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--build", default="build")
    ap.add_argument("--only", choices=["unit", "qemu"], help="run one group")
    ap.add_argument("--filter", help="run only tests whose name contains this")
    args = ap.parse_args()
    ctx = Context(top, os.path.abspath(os.path.join(top, args.build)))

    passed = failed = 0
    if args.only in (None, "unit") and not args.filter:
        p, f = run_unit_tests(ctx)
        passed += p
        failed += f
    if args.only in (None, "qemu"):
        p, f = harness.run_all(ctx, groups=["qemu"], only=args.filter)
        passed += p
        failed += f
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
