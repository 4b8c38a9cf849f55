# SPDX-License-Identifier: Apache-2.0
"""SMCCC calls and interrupts through the short-frame paths of
arch/arm64/vectors.S: every class of call answered as before, every
register a guest does not get results in preserved."""

from lib import qemu, system
from lib.harness import check, expect_lines, test
from lib.system import Partition

FATAL = r"^(fatal|\*\*\* EL2 exception)"
NS32 = "0xffffffff"          # NOT_SUPPORTED as an SMC32 call's w0
NS64 = "0xffffffffffffffff"  # and an SMC64 call's x0

# Each call: x0-x3 as smccc.c prints them (partitions/tests/smccc.c).
EXPECTED = [
    ("SMCCC_VERSION", "0x10001", None),
    ("SMCCC_ARCH_FEATURES", NS32, None),
    ("PSCI_VERSION", "0x10000", None),
    ("PSCI_FEATURES\\(CPU_ON64\\)", "0x0", None),
    ("PSCI_FEATURES\\(MIGRATE\\)", NS32, None),
    ("AFFINITY_INFO64\\(0\\)", "0x0", None),             # vCPU 0: on
    ("AFFINITY_INFO64\\(1\\)", "0xfffffffffffffffe", None),  # no vCPU 1: INVALID_PARAMETERS
    ("MIGRATE_INFO_TYPE", "0x2", None),
    ("PSCI MIGRATE", NS32, None),
    ("SiP32", NS32, None),
    ("OEM64", NS64, None),
    ("TrustedOS32", NS32, None),
    ("yielding", NS32, None),
    ("CALL_UID", "0x1fe7358f", ("0x7a4efab6", "0x18e3b9bc", "0x7813955f")),
    ("PARTITION_ID", "0x0", ("0x0", "0x1", "0x0")),    # partition 0, vCPU 0 of 1
    ("CONSOLE_WRITE\\(17\\)", "0xfffffffffffffffe", ("0x0", "0x0", "0x0")),
    ("CONSOLE_WRITE\\(0\\)", "0x0", ("0x0", "0x0", "0x0")),     # acts: the checks after
    ("VERSION32", NS32, ("0x0", "0x0", "0x0")),           # the slot holds the SMC64 ID
    ("vendor 0x3e", NS32, ("0x0", "0x0", "0x0")),         # CALL_UID's slot, not its ID
    ("vendor unknown32", NS32, ("0x0", "0x0", "0x0")),
    ("vendor unknown64", NS64, ("0x0", "0x0", "0x0")),
]


@test("smccc: every class of SMCCC call by HVC (arch, PSCI, Bulkhead's, unowned, yielding) "
      "answers as specified, keeps x4-x30 and counts one exit; interrupts keep x2-x30", gic=(3, 2),
      reqs="REQ-HYP-001 REQ-HYP-003")
def smccc_classes(ctx):
    parts = [Partition("smccc", [1], 0x50000000, "smccc")]
    args = system.build(ctx, "smccc", parts)
    r = qemu.run(qemu.arm64_command(ctx.image, gic=ctx.gic, smp=4, extra=args, icount=True),
                 until=r"^partition smccc: stopped$", fail=FATAL, timeout=60)
    check(r.matched, "the smccc partition did not finish (%s)" % r.reason, r.output)
    lines = []
    for name, x0, rest in EXPECTED:
        x123 = (r"x1 0x[0-9a-f]+ x2 0x[0-9a-f]+ x3 0x[0-9a-f]+" if rest is None
                else "x1 %s x2 %s x3 %s" % rest)
        lines.append(r"^\[smccc\] smccc: %s: x0 %s %s, x4-x30 kept 0x0$" % (name, x0, x123))
    expect_lines(r, *lines)
    # Each call one exit, wherever it is answered; SMCCC_VERSION's fast
    # path is not counted (docs/hypercalls.md).
    expect_lines(r, r"^\[smccc\] smccc: exits per call: SiP32 1, PARTITION_ID 1, "
                    r"DOORBELL 1, PSCI_VERSION 1, SMCCC_VERSION 0$")
    spin = r.search(r"^\[smccc\] smccc: spin with (\d+) interrupts: x2-x30 (\S+) (0x[0-9a-f]+)$")
    check(spin is not None, "no spin line", r.output)
    check(int(spin.group(1)) >= 100, "too few interrupts in the spin to say anything: %s"
          % spin.group(1), r.output)
    check(spin.group(2) == "kept", "registers changed across interrupts: mask %s" % spin.group(3),
          r.output)
    expect_lines(r, r"^\[smccc\] smccc: done$")
