# SPDX-License-Identifier: Apache-2.0
"""tools/trace (make trace): the requirements matrix is complete on this
tree, and each kind of broken link fails on its own, named: a requirement
no test names, a test that names no requirement, a test naming an id the
requirements page does not have (host only, no QEMU)."""

import os
import shutil
import subprocess

from lib.harness import check, test


def _trace(ctx, name, extra_requirement=None, extra_unit=None):
    """tools/trace on docs/requirements.md and tests/unit as they are, plus
    one requirement row and one unit-test file if given. (rc, output)"""
    d = os.path.join(ctx.tmp, "trace-" + name)
    shutil.rmtree(d, ignore_errors=True)
    unit = os.path.join(d, "unit")
    shutil.copytree(os.path.join(ctx.top, "tests", "unit"), unit)
    reqs = os.path.join(d, "requirements.md")
    shutil.copy(os.path.join(ctx.top, "docs", "requirements.md"), reqs)
    if extra_requirement:
        with open(reqs, "a") as f:
            f.write("| %s | a promise for the checker's self-test |\n" % extra_requirement)
    if extra_unit:
        with open(os.path.join(unit, "test_zz_trace_self_test.c"), "w") as f:
            f.write(extra_unit)
    r = subprocess.run([os.path.join(ctx.top, "tools", "trace"), "--requirements", reqs,
                        "--unit-dir", unit, "--out", os.path.join(d, "out")],
                       capture_output=True, text=True, timeout=120)
    return r.returncode, r.stdout + r.stderr


def _errors(out):
    """The lines naming a broken link (not the closing summary)."""
    return [line for line in out.splitlines() if line.startswith("trace: ")
            and "error(s)" not in line and "each with a test" not in line]


@test("trace: every requirement has a test and every test names its requirements",
      group="qemu", reqs="REQ-SAF-004")
def trace_complete(ctx):
    rc, out = _trace(ctx, "complete")
    check(rc == 0, "tools/trace fails on this tree (status %d)" % rc, out)
    check(out.splitlines()[0].split() == ["requirement", "qemu", "unit", "fuzz"],
          "no matrix printed", out)
    # The positive control of the next test: the copies alone pass.
    check(_errors(out) == [] and "each with a test" in out, "unexpected lines", out)


@test("trace: a requirement without a test, a test without a requirement and an unknown id "
      "each fail, named", group="qemu", reqs="REQ-SAF-004")
def trace_fails_on_a_missing_link(ctx):
    cases = [
        ("untested", dict(extra_requirement="REQ-ZZZ-999"), "REQ-ZZZ-999 has no test"),
        ("unnamed", dict(extra_unit="TEST(trace_self_test_names_nothing)\n{\n}\n"),
         "'trace_self_test_names_nothing'"),
        ("unknown", dict(extra_unit="TEST(trace_self_test_unknown) /* reqs: REQ-ZZZ-998 */\n"),
         "names REQ-ZZZ-998, which"),
    ]
    for name, kwargs, expected in cases:
        rc, out = _trace(ctx, name, **kwargs)
        errors = _errors(out)
        check(rc == 1, "%s: tools/trace passed (status %d)" % (name, rc), out)
        check(len(errors) == 1 and expected in errors[0],
              "%s: expected exactly one error naming %r, got %r" % (name, expected, errors), out)
