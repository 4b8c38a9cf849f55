# SPDX-License-Identifier: Apache-2.0
"""MSI through a partition's virtual ITS (docs/passthrough.md, "MSI"), on
QEMU's virt board with its ITS, SMMUv3 and two `edu` PCI devices.

The `msi` partition (partitions/tests/msi.c) owns the PCIe host bridge and,
through `pci-functions`, only the first edu (00:01.0, DeviceID 0x8). It
sets up LPIs and its ITS, points the edu's MSI at the ITS and has it raise
interrupts one at a time, counting what it takes against what it raised.
The hostile run tries what it must not have beside a watching victim
(partitions/hostile/victim.c): LPI tables and a command queue in the
victim's memory, MAPD of the second edu's DeviceID, MAPC to a vCPU it does
not have, an MSI forged to the victim's memory, one with an event it never
mapped, and the unowned edu told to signal its event.
"""

import re

from lib import qemu, system
from lib.harness import check, expect_lines, test
from lib.system import Partition
from .test_hostile import check_victim
from .test_smmu import (EDUS, FATAL, MACHINE, SMMU_BOARD, VICTIM_PA, linux_virtio_disk,
                        victim_guarded_pa)

MSI_PA = 0x52000000
EVENTS = 16
VICTIM = re.compile(r"^\[victim\] victim: beat (\d+) memory (\S+) ", re.M)
UNTIL = (r"(?s)^partition msi: stopped$.*?^\[victim\] victim: beat .*?"
         r"^\[victim\] victim: beat [^\n]*\n")


def msi_system(ctx, name, bootargs):
    parts = [Partition("victim", [1], VICTIM_PA, "victim",
                       extra="\t\t\t\tdevices = <&{/pl031@9010000}>;\n"),
             Partition("msi", [2], MSI_PA, "msi", guest_base=0x80000000, bootargs=bootargs,
                       extra="\t\t\t\tdevices = <&{/pcie@10000000}>;\n"
                             "\t\t\t\tpci-functions = <&{/pcie@10000000} 0x08>;\n")]
    return system.build(ctx, name, parts, board=SMMU_BOARD)


def run(ctx, args):
    return qemu.run(qemu.arm64_command(ctx.image, smp=4, machine=MACHINE, extra=args + EDUS,
                                       icount=True), until=UNTIL, fail=FATAL, timeout=120)


@test("msi: an edu's MSI reach its partition through the virtual ITS: %d raised, %d taken"
      % (EVENTS, EVENTS), reqs="REQ-PAR-008")
def msi_counted(ctx):
    r = run(ctx, msi_system(ctx, "msi-count", "events=%d" % EVENTS))
    check(r.matched, "the MSI partition did not finish (%s)" % r.reason, r.output)
    expect_lines(
        r,
        r"^its: ITS at 0x8080000 for partitions' MSI",
        r"^\[msi\] msi: ITS 0x8080000, edu 01\.0 DeviceID 0x8, GITS_TYPER 0x",
        r"^\[msi\] msi: LPIs on \(GICR_TYPER\.PLPIS 1\)$",
        r"^\[msi\] msi: %d raised, %d taken$" % (EVENTS, EVENTS),
        r"^\[msi\] msi: done \(0 stray\)$")
    check(r.search(r"partition msi: its:") is None, "a command was refused", r.output)
    check(r.search(r"DMA from stream") is None, "an MSI write was blocked", r.output)


@test("msi: a hostile partition's ITS commands, LPI tables and forged MSI are refused beside a "
      "watching victim, and its own MSI still arrive", reqs="REQ-ISO-010 REQ-CNT-001")
def msi_hostile(ctx):
    guarded = victim_guarded_pa(ctx)
    args = msi_system(ctx, "msi-hostile", "events=%d hostile=1 foreign=0x10 victim=0x%x"
                      % (EVENTS, guarded))
    r = run(ctx, args)
    check(r.matched, "the MSI partition did not finish with the victim beating on (%s)"
          % r.reason, r.output)
    expect_lines(
        r,
        r"^partition msi: its: vCPU 0: GICR_PROPBASER table at IPA 0x%x outside its memory: "
        r"LPIs stay off$" % (guarded & ~0xfff),
        r"^\[msi\] msi: PROPBASER outside: LPIs off$",
        r"^partition msi: its: GITS_CBASER: queue at IPA 0x%x-0x%x outside its memory: "
        r"not valid$" % (guarded & ~0xfff, (guarded & ~0xfff) + 0xfff),
        r"^\[msi\] msi: CBASER outside: refused$",
        r"^partition msi: its: ITS command 0x08 \(DeviceID 0x10, event \d+\) refused: DeviceID is not "
        r"one of its functions$",
        r"^partition msi: its: ITS command 0x09 \(ICID 1, target 5\) refused: MAPC: target is not one "
        r"of its vCPUs$",
        r"^\[msi\] msi: %d raised, %d taken$" % (EVENTS, EVENTS),
        r"^partition msi: DMA from stream 0x8 outside the partition blocked: F_TRANSLATION "
        r"write at 0x%x$" % guarded,
        r"^smmu: DMA from stream 0x10, which no partition owns, blocked \(C_BAD_STE\)",
        r"^\[msi\] msi: forged: 0 taken$",
        r"^\[msi\] msi: after: taken$",
        r"^\[msi\] msi: done \(0 stray\)$")
    reports = VICTIM.findall(r.output)
    check(len(reports) >= 2 and all(m == "ok" for _, m in reports),
          "the victim's memory changed: %s" % reports, r.output)
    check_victim(r)


@test("msi: a restart clears the virtual ITS and drops the physical mappings: a stale MSI "
      "brings nothing, and MSI work again once set up anew", reqs="REQ-PAR-008 REQ-ISO-010")
def msi_restart(ctx):
    r = run(ctx, msi_system(ctx, "msi-restart", "events=%d restart=1" % EVENTS))
    check(r.matched, "the MSI partition did not finish (%s)" % r.reason, r.output)
    expect_lines(
        r,
        r"^\[msi\] msi: %d raised, %d taken$" % (EVENTS, EVENTS),
        r"^\[msi\] msi: restarting with the ITS set up$",
        r"^partition msi: restarting",
        r"^\[msi\] msi: boot 2: GITS_CTLR 0, GITS_CBASER 0x0, EnableLPIs 0; stale MSI: nothing$",
        r"^\[msi\] msi: %d raised, %d taken$" % (EVENTS, EVENTS),
        r"^\[msi\] msi: done \(0 stray\)$")


@test("msi: Linux in a partition uses a virtio-pci disk's MSI-X through its virtual ITS: one "
      "vector per queue, none refused", reqs="REQ-PAR-008 REQ-PAR-002")
def msi_linux_virtio_pci(ctx):
    line = "BULKHEAD-DISK-7c41: MSI-X through the virtual ITS"
    r = linux_virtio_disk(ctx, "msi", line, timeout=180)
    check(r.matched, "Linux did not finish (%s)" % r.reason, r.output)
    expect_lines(r, r"^\[linux\] .*PCI/MSI: /interrupt-controller@8000000/msi-controller@8080000 "
                 r"domain created$",
                 r"linux-test: vda sector 0: %s$" % re.escape(line))
    # INTx would be one shared "virtio0" handler; MSI-X gives the
    # configuration and each queue a vector of its own, and the disk's
    # reads completed on them.
    expect_lines(r, r"linux-test: irq \d+: virtio0-config count \d+$")
    queues = r.findall(r"linux-test: irq \d+: virtio0-req\.\d+ count (\d+)$")
    check(len(queues) >= 1 and sum(int(n) for n in queues) >= 1,
          "no queue interrupt taken through MSI-X: %s" % queues, r.output)
    check(r.search(r"^partition linux: its:") is None, "an ITS command or table was refused",
          r.output)
