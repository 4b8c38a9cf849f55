#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""make bench-compare BASE=<git rev>: the bench of another revision against
this tree's, as a ratio per figure (this / base: above 1 is slower or
bigger). The other revision is exported with git archive into a temporary
directory (no git worktree metadata, no network) with this tree's .deps,
built and benched there; then this tree is benched. Extra arguments go to
both bench.py runs (e.g. --no-linux; older revisions know only that one)."""

import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bench_report  # noqa: E402

# Names the figures had before issue 9 fixed them, so older revisions compare.
OLD_NAMES = {
    "vtimer_irq_latency_insns": "vtimer_latency",
    "sgi_latency_insns": "sgi_latency",
    "sgi_self_latency_insns": "sgi_self_latency",
    "gicd_read_trap_insns": "mmio_trap_read",
    "boot_to_first_guest_4G_ns": "boot_to_first_guest",  # the worst of the three
    "boot_all_cpus_online_ns": "boot_all_cpus_online",
    "linux_boot_overhead_pct": "linux_boot_overhead",
}


def bench_tree(tree, version, bench_args):
    # What make bench builds: bench.py also sizes the minimal image and runs the LLC plugin.
    targets = ["hypervisor", "minimal", "partitions", "build/tools/llc.so"]
    if "--no-linux" not in bench_args:
        targets.append("linux-guest")
    version_arg = ["VERSION=" + version] if version else []
    subprocess.run(["make", "-s", "-j2"] + version_arg + targets, cwd=tree, check=True)
    subprocess.run([sys.executable, os.path.join(tree, "tests", "bench.py"), "--build", "build"]
                   + bench_args, cwd=tree, check=True)
    with open(os.path.join(tree, "build", "bench", "results.json")) as f:
        figures = json.load(f)["figures"]
    return dict((OLD_NAMES.get(name, name), f) for name, f in figures.items())


def main():
    if len(sys.argv) < 2:
        raise SystemExit("usage: bench_compare.py <git rev> [bench.py arguments]")
    base, bench_args = sys.argv[1], sys.argv[2:]
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    rev = subprocess.check_output(["git", "rev-parse", "--verify", base + "^{commit}"],
                                  cwd=top, text=True).strip()
    tmp = tempfile.mkdtemp(prefix="bulkhead-bench-base-")
    try:
        archive = subprocess.Popen(["git", "archive", rev], cwd=top, stdout=subprocess.PIPE)
        subprocess.run(["tar", "-x", "-C", tmp], stdin=archive.stdout, check=True)
        if archive.wait() != 0:
            raise SystemExit("bench-compare: git archive %s failed" % base)
        os.symlink(os.path.realpath(os.path.join(top, ".deps")), os.path.join(tmp, ".deps"))
        print("bench-compare: base %s (%s) in %s" % (base, rev[:12], tmp), flush=True)
        base_figures = bench_tree(tmp, "base-" + rev[:12], bench_args)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("bench-compare: this tree", flush=True)
    this_figures = bench_tree(top, None, bench_args)
    print(bench_report.compare(base_figures, this_figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
