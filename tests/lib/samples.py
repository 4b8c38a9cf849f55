# SPDX-License-Identifier: Apache-2.0
"""What the programs of partitions/samples print, the same on both
architectures: one check for the arm64 and the x86 test of each."""

from lib.harness import check

PINGPONG_BOOTARGS = "rounds=20 ticks=3"
PINGPONG_LINES = [
    "pingpong: partition pingpong, 20 rounds, 3 ticks",
    "pingpong: vCPU 1 up",
    "pingpong: vCPU 0 started vCPU 1: 0",
    "pingpong: 20 IPIs sent each way, vCPU 0 took 20, vCPU 1 took 20",
    "pingpong: timer ticks: vCPU 0 3, vCPU 1 3; early 0",
    "pingpong: vCPU 1 off, done",
]


def check_pingpong(r):
    """Exactly PINGPONG_LINES from partition pingpong, in order (the arm64
    runtime's own "exit 0" aside)."""
    prefix = "[pingpong] "
    lines = [line[len(prefix):] for line in r.output.splitlines()
             if line.startswith(prefix + "pingpong: ")]
    check(lines == PINGPONG_LINES, "pingpong printed %r, expected %r" % (lines, PINGPONG_LINES),
          r.output)
