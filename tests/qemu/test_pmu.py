# SPDX-License-Identifier: Apache-2.0
"""A partition that owns its CPUs' PMU (`pmu`, arch/arm64/vpmu.c) counts its
own execution only, takes the overflow interrupt and finds the PMU reset
after a restart; a partition beside it without `pmu` sees no PMU."""

from lib.harness import check, expect_lines, test
from lib.system import Partition

from .test_partitions import all_stopped, boot

# Guest instructions per VCPU_EXITS call (the loop, rt_bulkhead_call, the
# HVC): about 20. The hypervisor's side is a few hundred: counted, it would
# show far above this.
GUEST_SIDE_BOUND = 60

# What a partition without `pmu` ("other") reports: no PMU, its registers
# UNDEF (also what every partition gets in a PMU=n build, test_slim.py).
NOT_OWNER = (r"^\[other\] pmu: boot 1: ID_AA64DFR0_EL1 PMU field 0, DT PMU interrupt 0$",
             r"^\[other\] pmu: not the owner: PMCR_EL0 read gave 1 UNDEF$",
             r"^\[other\] pmu: not the owner: PMCR_EL0 write gave 1 UNDEF$",
             r"^\[other\] pmu: not the owner: PMCCNTR_EL0 read gave 1 UNDEF$")


@test("pmu: the owner counts without the hypervisor, takes the overflow PPI and finds the PMU "
      "reset after a restart; a partition without pmu sees PMUVer 0 and UNDEF",
      gic=(3, 2), reqs="REQ-IRQ-005")
def pmu_owner(ctx):
    parts = [Partition("owner", [1], 0x50000000, "pmu", extra="\t\t\t\tpmu;\n"),
             Partition("other", [2], 0x52000000, "pmu")]
    r = boot(ctx, "pmu", parts, until=all_stopped("owner", "other"))
    check(r.matched, "the partitions did not both finish (%s)" % r.reason, r.output)
    expect_lines(r, r"^\[owner\] pmu: boot 1: ID_AA64DFR0_EL1 PMU field [1-9], DT PMU interrupt 23$",
                 r"^\[owner\] pmu: [1-9]\d* event counters$",
                 # NSH, asked for, reads back clear: EL2 is not for the guest.
                 r"^\[owner\] pmu: filters read back: counter 0 0x8, cycles 0x0$",
                 r"^\[owner\] pmu: software increments counted: 3$",
                 r"^\[owner\] pmu: overflow interrupts taken: 1 \(INTID 23\)$",
                 r"^partition owner: restarting",
                 r"^\[owner\] pmu: boot 2: ID_AA64DFR0_EL1 PMU field [1-9], DT PMU interrupt 23$",
                 r"^\[owner\] pmu: after restart: PMCR\.E 0, enabled 0x0, interrupts 0x0, "
                 r"overflows 0x0, EL0 access 0x0$",
                 r"^\[owner\] pmu: after restart: counter 0 0 \(filter 0x0\), cycles 0 \(filter 0x0\)$",
                 *NOT_OWNER)
    m = r.search(r"^\[owner\] pmu: per hypercall: (\d+) instructions, (\d+) cycles counted$")
    check(m is not None, "no counts from the owner", r.output)
    insns, cycles = int(m.group(1)), int(m.group(2))
    check(0 < insns <= GUEST_SIDE_BOUND, "%d instructions counted per hypercall: the hypervisor's "
          "are counted too (at most %d expected)" % (insns, GUEST_SIDE_BOUND), r.output)
    check(0 < cycles <= GUEST_SIDE_BOUND, "%d cycles counted per hypercall (at most %d expected)"
          % (cycles, GUEST_SIDE_BOUND), r.output)


@test("pmu: perf stat -e cycles,instructions counts in a Linux partition that owns the PMU",
      reqs="REQ-IRQ-005")
def pmu_linux(ctx):
    from lib import qemu, system
    from .test_linux import linux
    owner = linux(ctx, init="perf")
    owner.extra = "\t\t\t\tpmu;\n"
    args = system.build(ctx, "pmu-linux", [owner])
    # icount: QEMU counts retired instructions only with it (else the
    # event is not in PMCEID0 and perf reports it not supported).
    r = qemu.run(qemu.arm64_command(ctx.image, gic=ctx.gic, smp=4, extra=args, icount=True),
                 until=r"^partition linux: stopped$",
                 fail=r"^(fatal|\*\*\* EL2 exception)|Kernel panic", timeout=300)
    check(r.matched, "Linux should run perfstat and stop (%s)" % r.reason, r.output)
    expect_lines(r, r"linux-test: dmesg: .*hw perfevents: enabled with \S+ PMU driver, \d+ counters "
                    r"available$",
                 r"linux-test: perf: Performance counter stats for 'a loop of 1000000':$")
    counts = {}
    for name in ("cycles", "instructions"):
        m = r.search(r"linux-test: perf: (\d+) +%s$" % name)
        check(m is not None, "perfstat printed no %s count" % name, r.output)
        counts[name] = int(m.group(1))
        check(counts[name] > 0, "%s counted 0" % name, r.output)
    # A loop of a million turns retires a few million instructions.
    check(counts["instructions"] >= 1000000, "only %d instructions for a million turns"
          % counts["instructions"], r.output)
