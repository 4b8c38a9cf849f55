# SPDX-License-Identifier: Apache-2.0
"""DMA isolation through the SMMUv3 (docs/smmu.md), on QEMU's virt board with
iommu=smmuv3,highmem=off and two `edu` PCI devices.

The `dma` partition (partitions/tests/dma.c) owns the PCIe host bridge and,
through `pci-functions`, only the first edu (00:01.0). It has the edu copy
its own memory (must arrive), write into the victim's guarded memory and
into the hypervisor's image, read the hypervisor's image, and has the
second edu (00:02.0, owned by nobody) copy its own memory. The victim
(partitions/hostile/victim.c) checks its memory on every beat.
"""

import os
import re
import subprocess

from lib import qemu, system
from lib.harness import check, expect_lines, test
from lib.system import Partition

SMMU_BOARD = "virt-smmu-4cpu-1g.dtsi"
MACHINE = qemu.MACHINE + ",iommu=smmuv3,highmem=off"
EDUS = ["-device", "edu,addr=01.0,dma_mask=0xffffffffffffffff",
        "-device", "edu,addr=02.0,dma_mask=0xffffffffffffffff"]
VICTIM_PA = 0x50000000
DMA_PA = 0x52000000
HYP_PA = 0x40200000  # where QEMU's -kernel puts the hypervisor
FATAL = r"^(fatal|\*\*\* EL2 exception)"
VICTIM = re.compile(r"^\[victim\] victim: beat (\d+) memory (\S+) ", re.M)


def victim_guarded_pa(ctx):
    """The physical address of the victim's guarded words (its `guarded`
    array, linked at the guest base 0x40000000)."""
    nm = subprocess.check_output(["aarch64-linux-gnu-nm", os.path.join(ctx.build, "partitions",
                                                                       "victim.elf")], text=True)
    sym = int(re.search(r"^([0-9a-f]+) [bBdD] guarded$", nm, re.M).group(1), 16)
    return VICTIM_PA + sym - 0x40000000


def dma_system(ctx, name, pci_functions="<&{/pcie@10000000} 0x08>", bootargs=""):
    bridge = "\t\t\t\tdevices = <&{/pcie@10000000}>;\n"
    funcs = "\t\t\t\tpci-functions = %s;\n" % pci_functions if pci_functions else ""
    parts = [Partition("victim", [1], VICTIM_PA, "victim",
                       extra="\t\t\t\tdevices = <&{/pl031@9010000}>;\n"),
             Partition("dma", [2], DMA_PA, "dma", guest_base=0x80000000,
                       extra=bridge + funcs, bootargs=bootargs)]
    return system.build(ctx, name, parts, board=SMMU_BOARD)


@test("smmu: a partition's DMA reaches its own memory only; the neighbour, the hypervisor "
      "and an unowned device are blocked and logged")
def dma_isolation(ctx):
    guarded = victim_guarded_pa(ctx)
    args = dma_system(ctx, "smmu-dma", bootargs="victim=0x%x hyp=0x%x" % (guarded, HYP_PA))
    until = (r"(?s)^partition dma: stopped$.*?^\[victim\] victim: beat .*?"
             r"^\[victim\] victim: beat [^\n]*\n")
    r = qemu.run(qemu.arm64_command(ctx.image, smp=4, machine=MACHINE, extra=args + EDUS,
                                    icount=True), until=until, fail=FATAL, timeout=120)
    check(r.matched, "the DMA partition did not finish with the victim beating on (%s)"
          % r.reason, r.output)
    expect_lines(
        r,
        r"^hypervisor: 0x%016x-" % HYP_PA,
        r"^smmu: SMMUv3 at 0x9050000, stage 1 \(hypervisor-owned tables\)",
        r"^smmu: 0x9050000 on: 1 stream\(s\) assigned",
        r"^\[dma\] dma: ECAM 0x3f000000, 2 edu device\(s\): 01\.0 02\.0$",
        r"^\[dma\] dma: own memory: arrived$",
        r"^partition dma: DMA from stream 0x8 outside the partition blocked: F_TRANSLATION "
        r"write at 0x%x$" % guarded,
        r"^partition dma: DMA from stream 0x8 outside the partition blocked: F_TRANSLATION "
        r"write at 0x%x$" % HYP_PA,
        r"^partition dma: DMA from stream 0x8 outside the partition blocked: F_TRANSLATION "
        r"read at 0x%x$" % HYP_PA,
        r"^\[dma\] dma: read of the hypervisor: nothing came back$",
        r"^smmu: DMA from stream 0x10, which no partition owns, blocked \(C_BAD_STE\)",
        r"^\[dma\] dma: unowned device: blocked$",
        r"^\[dma\] dma: done$")
    reports = VICTIM.findall(r.output)
    check(len(reports) >= 2 and all(m == "ok" for _, m in reports),
          "the victim's memory changed: %s" % reports, r.output)


@test("smmu: with no pci-functions, the owner of the bridge gets no DMA at all")
def dma_nothing_assigned(ctx):
    args = dma_system(ctx, "smmu-none", pci_functions=None)
    r = qemu.run(qemu.arm64_command(ctx.image, smp=4, machine=MACHINE, extra=args + EDUS,
                                    icount=True), until=r"(?m)^partition dma: stopped$",
                 fail=FATAL, timeout=120)
    check(r.matched, "the DMA partition did not finish (%s)" % r.reason, r.output)
    expect_lines(r, r"^smmu: 0x9050000 on: 0 stream\(s\) assigned",
                 r"^smmu: DMA from stream 0x8, which no partition owns, blocked \(C_BAD_STE\)",
                 r"^\[dma\] dma: own memory: LOST$")
