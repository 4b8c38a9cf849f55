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
from .test_hostile import check_victim

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


def linux_virtio_disk(ctx, name, line, timeout, machine=MACHINE):
    """Linux in a 2-vCPU partition owning the bridge and a virtio-pci disk
    at 00:03.0 whose sector 0 holds @line, run on @machine until it stops."""
    disk = os.path.join(ctx.tmp, "%s-disk.img" % name)
    with open(disk, "wb") as f:
        f.write((line + "\n").encode().ljust(512, b"\0"))
        f.truncate(1 << 20)
    # Guest RAM at 0x40000000, host memory at 0x50000000: the disk's DMA
    # uses guest addresses, which only the SMMU makes right.
    linux = Partition("linux", [1, 2], 0x50000000, os.path.join(ctx.top, ".deps", "linux", "Image"),
                      size=0x20000000, ramdisk=os.path.join(ctx.build, "linux", "initramfs.cpio.gz"),
                      bootargs="console=ttyAMA0 panic=-1",
                      extra="\t\t\t\tdevices = <&{/pcie@10000000}>;\n"
                            "\t\t\t\tpci-functions = <&{/pcie@10000000} 0x18>;\n")
    args = system.build(ctx, "%s-linux" % name, [linux], board=SMMU_BOARD)
    # iommu_platform=on: without it QEMU's virtio devices reach memory
    # around the SMMU, which real hardware cannot (docs/smmu.md).
    args += ["-drive", "if=none,id=disk0,format=raw,readonly=on,file=%s" % disk,
             "-device", "virtio-blk-pci,drive=disk0,addr=03.0,iommu_platform=on,disable-legacy=on"]
    return qemu.run(qemu.arm64_command(ctx.image, smp=4, machine=machine, extra=args),
                    until=r"^partition linux: stopped$", fail=FATAL + r"|Kernel panic",
                    timeout=timeout)


def dma_system(ctx, name, pci_functions="<&{/pcie@10000000} 0x08>", bootargs="", policy=""):
    bridge = "\t\t\t\tdevices = <&{/pcie@10000000}>;\n" + policy
    funcs = "\t\t\t\tpci-functions = %s;\n" % pci_functions if pci_functions else ""
    parts = [Partition("victim", [1], VICTIM_PA, "victim",
                       extra="\t\t\t\tdevices = <&{/pl031@9010000}>;\n"),
             Partition("dma", [2], DMA_PA, "dma", guest_base=0x80000000,
                       extra=bridge + funcs, bootargs=bootargs)]
    return system.build(ctx, name, parts, board=SMMU_BOARD)


@test("smmu: a partition's DMA reaches its own memory only; the neighbour, the hypervisor "
      "and an unowned device are blocked and logged", reqs="REQ-ISO-006")
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


@test("smmu: a DMA fault counts as the partition's fault: fault-action \"stop\" stops it",
      reqs="REQ-CNT-002")
def dma_fault_policy(ctx):
    guarded = victim_guarded_pa(ctx)
    args = dma_system(ctx, "smmu-policy", bootargs="victim=0x%x hyp=0x%x" % (guarded, HYP_PA),
                      policy="\t\t\t\tfault-action = \"stop\";\n")
    until = (r"(?s)^partition dma: stopped$.*?^\[victim\] victim: beat .*?"
             r"^\[victim\] victim: beat [^\n]*\n")
    r = qemu.run(qemu.arm64_command(ctx.image, smp=4, machine=MACHINE, extra=args + EDUS,
                                    icount=True), until=until, fail=FATAL, timeout=120)
    check(r.matched, "the DMA partition was not stopped (%s)" % r.reason, r.output)
    expect_lines(r, r"^\[dma\] dma: own memory: arrived$",
                 r"^partition dma: DMA from stream 0x8 outside the partition blocked: "
                 r"F_TRANSLATION write at 0x%x$" % guarded,
                 r"^partition dma: 1 fault\(s\) since its start \(fault-limit\): stop$",
                 r"^partition dma: stopping: DMA outside its memory$")
    check(r.search(r"dma: wrote to the neighbour") is None,
          "the partition ran on after its fault", r.output)
    reports = VICTIM.findall(r.output)
    check(len(reports) >= 2 and all(m == "ok" for _, m in reports),
          "the victim's memory changed: %s" % reports, r.output)


STORM_ROUNDS = 400
REPORT_LIMIT = 8  # lines per partition, and per SMMU for overflows (arch/arm64/smmuv3.c)


@test("smmu: a DMA fault storm with no CPU free costs its neighbour nothing: events go to the "
      "stormer's CPU, bounded work per interrupt, overflow lines rate-limited", reqs="REQ-CNT-005")
def dma_fault_storm(ctx):
    # Every CPU has a vCPU: the victim's vCPU 0 on CPU 0 (where the SMMU's
    # interrupt went before), its other two idle on CPUs 2 and 3. Under
    # icount the storm lasts only microseconds of virtual time (each TDT
    # write is one instruction, however much the device does for it), so
    # the victim's beats would hold either way: what fails without the
    # bounds is where the interrupt goes and how many lines it prints.
    guarded = victim_guarded_pa(ctx)
    parts = [Partition("victim", [0, 2, 3], VICTIM_PA, "victim",
                       extra="\t\t\t\tdevices = <&{/pl031@9010000}>;\n"),
             Partition("dma", [1], DMA_PA, "dma", guest_base=0x80000000,
                       bootargs="victim=0x%x storm=%d" % (guarded, STORM_ROUNDS),
                       extra="\t\t\t\tdevices = <&{/pcie@10000000}>;\n"
                             "\t\t\t\tpci-functions = <&{/pcie@10000000} 0x18>;\n")]
    args = system.build(ctx, "smmu-storm", parts, board=SMMU_BOARD)
    until = (r"(?s)^partition dma: stopped$.*?^\[victim\] victim: beat .*?"
             r"^\[victim\] victim: beat [^\n]*\n")
    r = qemu.run(qemu.arm64_command(ctx.image, smp=4, machine=MACHINE,
                                    extra=args + EDUS + ["-device", "e1000,addr=03.0"],
                                    icount=True), until=until, fail=FATAL, timeout=180)
    check(r.matched, "the storm did not end with the victim beating on (%s)" % r.reason, r.output)
    expect_lines(
        r,
        r"^smmu: 0x9050000 on: 1 stream\(s\) assigned, .*; events to CPU 1 \(a partition "
        r"owning streams here\)$",
        r"^\[dma\] dma: storm: %d descriptor fetches asked for" % (STORM_ROUNDS * 255),
        r"^partition dma: DMA from stream 0x18 outside the partition blocked: F_TRANSLATION "
        r"read at 0x%x$" % guarded,
        r"^smmu: 0x9050000: global error 0x4; further ones not reported$")
    # QEMU's SMMU reports a full event queue as a global error
    # (GERROR.EVENTQ_ABT_ERR), never as an overflow: one per lost event.
    errors = r.findall(r"^smmu: 0x9050000: global error")
    check(len(errors) == REPORT_LIMIT, "%d global error lines, not %d" % (len(errors), REPORT_LIMIT),
          r.output)
    check(len(r.findall(r"^smmu: 0x9050000: event queue overflowed")) <= REPORT_LIMIT,
          "overflow lines not rate-limited", r.output)
    # The hostile suite's checks of the victim: memory, SPI, no stray
    # interrupt, every beat on time, no report skipped.
    check_victim(r)


@test("smmu: with no pci-functions, the owner of the bridge gets no DMA at all", reqs="REQ-ISO-006")
def dma_nothing_assigned(ctx):
    args = dma_system(ctx, "smmu-none", pci_functions=None)
    r = qemu.run(qemu.arm64_command(ctx.image, smp=4, machine=MACHINE, extra=args + EDUS,
                                    icount=True), until=r"(?m)^partition dma: stopped$",
                 fail=FATAL, timeout=120)
    check(r.matched, "the DMA partition did not finish (%s)" % r.reason, r.output)
    expect_lines(r, r"^smmu: 0x9050000 on: 0 stream\(s\) assigned",
                 r"^smmu: DMA from stream 0x8, which no partition owns, blocked \(C_BAD_STE\)",
                 r"^\[dma\] dma: own memory: LOST$")


@test("smmu: Linux reads a virtio-pci disk behind the SMMU, its memory not identity mapped",
      reqs="REQ-ISO-006 REQ-PAR-002")
def linux_virtio_pci(ctx):
    line = "BULKHEAD-DISK-5e9b: behind the SMMU"
    r = linux_virtio_disk(ctx, "smmu", line, timeout=120)
    check(r.matched, "Linux did not finish (%s)" % r.reason, r.output)
    expect_lines(r, r"^smmu: 0x9050000 on: 1 stream\(s\) assigned",
                 r"linux-test: module virtio_pci loaded$",
                 r"linux-test: iomem 40000000-5fffffff : System RAM$",
                 r"linux-test: vda sector 0: %s$" % re.escape(line))
    check(r.search(r"DMA from stream") is None, "a DMA fault was logged", r.output)


@test("smmu: bulkhead-check explains a partition's DMA streams", reqs="REQ-CFG-002")
def check_explains_streams(ctx):
    dma_system(ctx, "smmu-explain")
    tool = os.path.join(ctx.build, "tools", "bulkhead-check")
    r = subprocess.run(["timeout", "30", tool, os.path.join(ctx.tmp, "smmu-explain.dtb")],
                       capture_output=True, text=True)
    check(r.returncode == 0, "exit %d" % r.returncode, r.stdout + r.stderr)
    check("  dma       stream 0x8 at /smmuv3@9050000: PCI 00:01.0 under /pcie@10000000\n"
          in r.stdout, "no DMA stream line", r.stdout)
    dma_system(ctx, "smmu-explain-none", pci_functions=None)
    r = subprocess.run(["timeout", "30", tool, os.path.join(ctx.tmp, "smmu-explain-none.dtb")],
                       capture_output=True, text=True)
    check("  dma       none: its devices' DMA is blocked by the SMMU\n" in r.stdout,
          "no 'DMA blocked' line", r.stdout)
