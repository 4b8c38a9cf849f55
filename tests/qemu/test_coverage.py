# SPDX-License-Identifier: Apache-2.0
"""make coverage-check's floor can fail: tools/coverage check against a
recorded figure above, at and below what the unit tests reach (make test
runs coverage-check before the tests, so build/coverage/unit has data)."""

import os
import re
import subprocess

from lib.harness import check, test


def _check_with(ctx, name, text):
    doc = os.path.join(ctx.tmp, "coverage-%s.md" % name)
    with open(doc, "w") as f:
        f.write(text)
    return subprocess.run([os.path.join(ctx.top, "tools", "coverage"), "--build",
                           os.path.relpath(ctx.build, ctx.top), "check", "--docs", doc],
                          cwd=ctx.top, capture_output=True, text=True, timeout=300)


@test("coverage: the unit tests' core/ line floor fails when not reached", reqs="REQ-SAF-003")
def coverage_floor(ctx):
    line = "core/ line coverage under the unit tests alone: %s%%\n"
    r = _check_with(ctx, "zero", line % "0.0")
    check(r.returncode == 0, "a floor of 0%% failed", r.stdout + r.stderr)
    m = re.search(r"core/ lines under the unit tests: (\d+) of (\d+), ([0-9.]+)%", r.stdout)
    check(m is not None and 0 < int(m.group(1)) < int(m.group(2)), "no measured figure", r.stdout)
    measured = float(m.group(3))
    r = _check_with(ctx, "at", line % measured)
    check(r.returncode == 0, "the measured figure as the floor failed", r.stdout + r.stderr)
    r = _check_with(ctx, "above", line % round(measured + 0.1, 1))
    check(r.returncode == 1 and "below the floor" in r.stderr,
          "a floor above the measured figure passed", r.stdout + r.stderr)
    r = _check_with(ctx, "none", "no figure here\n")
    check(r.returncode == 1 and "records no floor" in r.stderr, "a missing floor passed",
          r.stdout + r.stderr)
    with open(os.path.join(ctx.top, "docs", "testing.md")) as f:
        recorded = re.search(r"core/ line coverage under the unit tests alone: ([0-9.]+)%", f.read())
    check(recorded is not None and float(recorded.group(1)) <= measured,
          "docs/testing.md's floor is above the measured %.1f%%" % measured)
