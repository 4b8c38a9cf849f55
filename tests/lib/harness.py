# SPDX-License-Identifier: Apache-2.0
"""A minimal test runner: register with @test, assert with check()."""

import os
import traceback

_tests = []
# test name -> the requirement ids it verifies (docs/requirements.md;
# tools/trace reads this after importing the tests).
reqs_of = {}


class TestFailure(Exception):
    pass


def test(name, group="qemu", gic=(3,), reqs="", bochs=()):
    """Register fn(ctx) as a test. An arm64 test whose body passes ctx.gic
    to the helpers (qemu.arm64_command(gic=...), system.build) may run on
    several GIC versions: gic=(3, 2) registers it a second time, named with
    a " (gicv2)" suffix, with ctx.gic = 2. reqs: the ids of
    docs/requirements.md the test verifies, space-separated."""
    def register(fn):
        for version in gic:
            full = name if version == 3 else "%s (gicv%d)" % (name, version)
            _tests.append((group, full, fn if version == 3 else _on_gic(fn, version)))
            reqs_of[full] = reqs.split()
        # Under bochs too (make test; make test-bochs runs only those),
        # unless BULKHEAD_BOCHS=0 (docs/testing.md).
        for cpu in bochs if bochs_runs() else ():
            full = "%s (bochs %s)" % (name, cpu)
            _tests.append((group, full, _on_bochs(fn, cpu)))
            reqs_of[full] = reqs.split()
        return fn
    return register


def bochs_runs():
    """Whether the x86 tests' bochs parameters are registered: unless
    BULKHEAD_BOCHS=0 (a QEMU-only run)."""
    return os.environ.get("BULKHEAD_BOCHS", "1") != "0"


def _on_gic(fn, version):
    def run(ctx):
        saved = ctx.gic
        ctx.gic = version
        try:
            fn(ctx)
        finally:
            ctx.gic = saved
    return run


def _on_bochs(fn, cpu):
    """An x86 test whose helpers boot under bochs with CPU model cpu
    (ctx.bochs) instead of QEMU: the same test on Intel VMX, or another SVM."""
    def run(ctx):
        saved = ctx.bochs
        ctx.bochs = cpu
        try:
            fn(ctx)
        finally:
            ctx.bochs = saved
    return run


def check(cond, message, output=None):
    if not cond:
        if output is not None:
            tail = "\n".join(output.splitlines()[-40:])
            message += "\n--- last output lines ---\n" + tail
        raise TestFailure(message)


def expect_lines(result, *patterns):
    """Every regex in patterns must match somewhere in the output."""
    for p in patterns:
        check(result.search(p) is not None, "expected output matching %r (run ended: %s)"
              % (p, result.reason), result.output)


def run_all(ctx, groups=None, only=None):
    passed = failed = 0
    for group, name, fn in _tests:
        if groups and group not in groups:
            continue
        if only and only not in name:
            continue
        try:
            fn(ctx)
        except TestFailure as e:
            failed += 1
            print("FAIL %s: %s" % (name, e), flush=True)
            continue
        except Exception:  # a broken test is a failed test
            failed += 1
            print("FAIL %s: exception\n%s" % (name, traceback.format_exc()), flush=True)
            continue
        passed += 1
        print("PASS %s" % name, flush=True)
    return passed, failed
