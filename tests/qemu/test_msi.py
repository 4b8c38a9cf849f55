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
not have, GICv4's VMAPTI (its virtual ITS has no GICv4), an MSI forged to
the victim's memory, one with an event it never mapped, and the unowned edu
told to signal its event.

Each test also runs on gic-version=4 ("(gicv4)"), where the hypervisor
carries the same validated commands out as GICv4's and the vLPIs reach the
guest with no exit (docs/passthrough.md, "GICv4"): the count checks the
guest's own exits while they came, none there, one or more each on a GICv3.
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


def machine(ctx):
    """QEMU virt with the SMMU and ctx.gic's GIC: 4 is a GICv4 (its ITS
    with GITS_TYPER.Virtual), whose DT is the GICv3's."""
    return MACHINE.replace("gic-version=3", "gic-version=%d" % ctx.gic)


def run(ctx, args):
    return qemu.run(qemu.arm64_command(ctx.image, smp=4, machine=machine(ctx), extra=args + EDUS,
                                       icount=True), until=UNTIL, fail=FATAL, timeout=120)


@test("msi: an edu's MSI reach its partition through the virtual ITS: %d raised, %d taken"
      % (EVENTS, EVENTS), gic=(3, 4), reqs="REQ-PAR-008 REQ-PAR-009")
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
    check_path(ctx, r)


def check_direct(ctx, r):
    """The boot's ITS line says GICv4's direct injection on gic-version=4
    only."""
    direct = r.search(r"^its: ITS at 0x8080000 for partitions' MSI, .*, GICv4: vLPIs injected "
                      r"directly$")
    check((direct is not None) == (ctx.gic == 4), "direct injection %s on gic-version=%d"
          % ("used" if direct else "not used", ctx.gic), r.output)


def check_path(ctx, r):
    """GICv4: the boot says the vLPIs go straight to the guest, and the
    guest's count of its own exits (VCPU_EXITS) while EVENTS MSI came is 0;
    through the emulated path (GICv3) each MSI is at least one exit."""
    check_direct(ctx, r)
    counts = [int(n) for n in r.findall(r"^\[msi\] msi: (\d+) exits while they came$")]
    check(len(counts) >= 1, "no exit count", r.output)
    if ctx.gic == 4:
        check(all(n == 0 for n in counts), "MSI took exits with direct injection: %s" % counts,
              r.output)
    else:
        check(all(n >= EVENTS for n in counts), "fewer exits than MSI on the emulated path: %s"
              % counts, r.output)


@test("msi: a hostile partition's ITS commands, LPI tables and forged MSI are refused beside a "
      "watching victim, and its own MSI still arrive", gic=(3, 4), reqs="REQ-ISO-010 REQ-CNT-001")
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
        r"^partition msi: its: ITS command 0x2a \(DeviceID 0x8, event 3\) refused: command not "
        r"supported$",
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
    check_path(ctx, r)


@test("msi: a restart clears the virtual ITS and drops the physical mappings: a stale MSI "
      "brings nothing, and MSI work again once set up anew", gic=(3, 4),
      reqs="REQ-PAR-008 REQ-PAR-009 REQ-ISO-010")
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
    check_path(ctx, r)


@test("msi: Linux in a partition uses a virtio-pci disk's MSI-X through its virtual ITS: one "
      "vector per queue, none refused", gic=(3, 4), reqs="REQ-PAR-008 REQ-PAR-009 REQ-PAR-002")
def msi_linux_virtio_pci(ctx):
    line = "BULKHEAD-DISK-7c41: MSI-X through the virtual ITS"
    r = linux_virtio_disk(ctx, "msi", line, timeout=180, machine=machine(ctx))
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
    check_direct(ctx, r)
