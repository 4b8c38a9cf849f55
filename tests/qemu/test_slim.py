# SPDX-License-Identifier: Apache-2.0
"""Slim builds (docs/building.md): the minimal build ($(BUILD)/minimal, every
optional part left out but the GICv3 and the PL011) boots a configuration
that needs none of them, and refuses, at boot and in its bulkhead-check, one
that needs a part it lacks, naming the node, the property and the option;
the minimal ZynqMP build ($(BUILD)/minimal-zynqmp: the GICv2 and the Cadence
UART instead) boots the ZCU102's configuration and refuses QEMU virt's."""

import os
import re
import subprocess

from lib import qemu, system
from lib.harness import check, expect_lines, test
from lib.system import Partition

from .test_pmu import NOT_OWNER
from .test_uefi import uefi_boot

FATAL = r"^(fatal|\*\*\* EL2 exception)"


def minimal_image(ctx):
    return os.path.join(ctx.build, "minimal", "arm64", "bulkhead.bin")


def minimal_tool(ctx):
    return os.path.join(ctx.build, "minimal", "tools", "bulkhead-check")


# The parts each minimal build keeps (the Makefile's MINIMAL_KEEP and
# MINIMAL_ZYNQMP_KEEP): every other one is left out.
MINIMAL_KEEP = ("GICV3", "UART_PL011")
ZYNQMP_KEEP = ("GICV2", "UART_CADENCE")


def minimal_parts(ctx, keep=MINIMAL_KEEP):
    return " ".join(p if p.split("=")[0] in keep else p.replace("=y", "=n")
                    for p in ctx.expected_parts().split())


def refused_by_both(ctx, tool, dtb, message):
    """@tool (a slim build's bulkhead-check) refuses @dtb with @message, and
    the default build's accepts it: what is refused is the build."""
    c = subprocess.run(["timeout", "30", tool, dtb], capture_output=True, text=True)
    check(c.returncode == 1, "bulkhead-check exit %d, expected 1" % c.returncode, c.stdout)
    check(message in c.stdout.splitlines(), "message %r missing" % message, c.stdout)
    full = subprocess.run(["timeout", "30", os.path.join(ctx.build, "tools", "bulkhead-check"),
                           "--quiet", dtb], capture_output=True, text=True)
    check(full.returncode == 0, "the default bulkhead-check refused it (exit %d)" % full.returncode,
          full.stdout + full.stderr)


def refused_at_boot(ctx, args, *messages):
    """The minimal image, booted with the system of @args, refuses it with
    @messages, its only errors, and starts no partition."""
    r = qemu.run(qemu.arm64_command(minimal_image(ctx), smp=4, extra=args),
                 until=r"^(configuration: \d+ error\(s\); no partition started"
                 r"|partition \S+: starting)", fail=FATAL, timeout=30)
    check(r.matched, "boot ended without a verdict (%s)" % r.reason, r.output)
    expect_lines(r, *["^" + re.escape(m) + "$" for m in messages])
    expect_lines(r, r"^configuration: %d error\(s\); no partition started$" % len(messages))


@test("slim: the minimal build boots partitions with PSCI and virtual UARTs, and says what it lacks",
      reqs="REQ-BLD-002 REQ-BOOT-004")
def minimal_boots(ctx):
    parts = [Partition("smp", [1, 2, 3], 0x50000000, "smp"),
             Partition("hello", [0], 0x52000000, "hello")]
    args = system.build(ctx, "slim-boot", parts)
    r = qemu.run(qemu.arm64_command(minimal_image(ctx), smp=4, extra=args, icount=True),
                 until=r"(?s)(?=.*^partition smp: stopped$)(?=.*^partition hello: stopped$)",
                 fail=FATAL, timeout=60)
    check(r.matched, "the partitions did not both finish (%s)" % r.reason, r.output)
    expect_lines(r, r"^Bulkhead \S+ \(arm64\), a static partitioning hypervisor$",
                 r"^parts: %s$" % re.escape(minimal_parts(ctx)),
                 r"^\[smp\] smp: PSCI version 0x10000$",
                 r"^\[smp\] smp: vCPU 1 up \(MPIDR 0x80000001, arg 42\)$",
                 r"^\[hello\] hello: done$")
    # The same configuration passes the minimal build's bulkhead-check.
    dtb = os.path.join(ctx.tmp, "slim-boot.dtb")
    c = subprocess.run(["timeout", "30", minimal_tool(ctx), "--quiet", dtb],
                       capture_output=True, text=True)
    check(c.returncode == 0, "the minimal bulkhead-check refused it (exit %d)" % c.returncode,
          c.stdout + c.stderr)


CHANNEL = ("\t\t\tchannel@0 {\n"
           "\t\t\t\tcompatible = \"bulkhead,channel\";\n"
           "\t\t\t\tregion = <0x0 0x56000000 0x0 0x10000>;\n"
           "\t\t\t\tpartitions = <&{/chosen/bulkhead/ping} &{/chosen/bulkhead/pong}>;\n"
           "\t\t\t\taccess = \"rw\", \"rw\";\n"
           "\t\t\t\tguest-addresses = <0x0 0x60000000 0x0 0x60000000>;\n"
           "\t\t\t\tdoorbell-intids = <80 81>;\n"
           "\t\t\t};\n")
NO_CHANNELS = ("error: /chosen/bulkhead/channel@0: property 'compatible': \"bulkhead,channel\": "
               "this build has no channels (CHANNELS=n)")


@test("slim: a build without channels refuses a channel, at boot and in bulkhead-check",
      reqs="REQ-CFG-005")
def no_channels(ctx):
    parts = [Partition("ping", [1], 0x50000000, "channel"),
             Partition("pong", [2], 0x52000000, "channel")]
    args = system.build(ctx, "slim-channel", parts, hypervisor_extra=CHANNEL)
    dtb = os.path.join(ctx.tmp, "slim-channel.dtb")
    c = subprocess.run(["timeout", "30", minimal_tool(ctx), dtb], capture_output=True, text=True)
    check(c.returncode == 1, "bulkhead-check exit %d, expected 1" % c.returncode, c.stdout)
    check(NO_CHANNELS in c.stdout.splitlines(), "message %r missing" % NO_CHANNELS, c.stdout)
    # The default build's bulkhead-check accepts the same configuration:
    # what is refused is the build, not the configuration.
    full = subprocess.run(["timeout", "30", os.path.join(ctx.build, "tools", "bulkhead-check"),
                           "--quiet", dtb], capture_output=True, text=True)
    check(full.returncode == 0, "the default bulkhead-check refused it (exit %d)" % full.returncode,
          full.stdout + full.stderr)
    r = qemu.run(qemu.arm64_command(minimal_image(ctx), smp=4, extra=args),
                 until=r"^(configuration: \d+ error\(s\); no partition started"
                 r"|partition \S+: starting)", fail=FATAL, timeout=30)
    check(r.matched, "boot ended without a verdict (%s)" % r.reason, r.output)
    expect_lines(r, "^" + re.escape(NO_CHANNELS) + "$",
                 r"^configuration: 1 error\(s\); no partition started$")
    check(r.search(r"^partition \S+: starting") is None, "a partition started", r.output)


@test("slim: a build without the UEFI entry, started by EDK2, says why and returns to the firmware",
      reqs="REQ-CFG-005 REQ-BOOT-003")
def no_efi(ctx):
    r = uefi_boot(ctx, image=minimal_image(ctx),
                  until=r"^Bulkhead: this build has no UEFI application entry \(EFI=n\).*"
                  r"not starting\r?$")
    check(r.matched, "no refusal from the minimal image (%s)" % r.reason, r.output)
    check(r.search(r"^Bulkhead \S+ \(arm64\)") is None, "the hypervisor started", r.output)


NO_PCI = ("error: /chosen/bulkhead/pci: property 'devices': /pcie@10000000: a PCI host bridge: "
          "this build has no PCI passthrough (PCI=n)")


NO_SMMU = ("error: /chosen/bulkhead/dma: property 'pci-functions': entry 0: requester ID 0x8: "
           "this build drives no IOMMU (SMMU=n)")
# The same function's MSI reach QEMU virt's ITS (the bridge's msi-map):
# said too, before the missing IOMMU driver.
NO_ITS = ("error: /chosen/bulkhead/dma: property 'pci-functions': entry 0: requester ID 0x8 "
          "has MSI at an ITS (DeviceID 0x8): this build has no virtual ITS (ITS=n)")


@test("slim: a build without the SMMUv3 driver and the virtual ITS refuses a PCI function's DMA "
      "stream and its MSI, at boot and in bulkhead-check", reqs="REQ-CFG-005")
def no_smmu(ctx):
    from .test_smmu import EDUS, MACHINE, dma_system
    args = dma_system(ctx, "slim-smmu")
    dtb = os.path.join(ctx.tmp, "slim-smmu.dtb")
    c = subprocess.run(["timeout", "30", minimal_tool(ctx), dtb], capture_output=True, text=True)
    check(c.returncode == 1, "bulkhead-check exit %d, expected 1" % c.returncode, c.stdout)
    check(NO_SMMU in c.stdout.splitlines(), "message %r missing" % NO_SMMU, c.stdout)
    check(NO_ITS in c.stdout.splitlines(), "message %r missing" % NO_ITS, c.stdout)
    # The minimal build has no PCI passthrough either: the bridge is refused
    # too, and its function's needs are still all named.
    no_pci = NO_PCI.replace("/chosen/bulkhead/pci:", "/chosen/bulkhead/dma:")
    check(no_pci in c.stdout.splitlines(), "message %r missing" % no_pci, c.stdout)
    full = subprocess.run(["timeout", "30", os.path.join(ctx.build, "tools", "bulkhead-check"),
                           "--quiet", dtb], capture_output=True, text=True)
    check(full.returncode == 0, "the default bulkhead-check refused it (exit %d)" % full.returncode,
          full.stdout + full.stderr)
    r = qemu.run(qemu.arm64_command(minimal_image(ctx), smp=4, machine=MACHINE, extra=args + EDUS),
                 until=r"^(configuration: \d+ error\(s\); no partition started"
                 r"|partition \S+: starting)", fail=FATAL, timeout=30)
    check(r.matched, "boot ended without a verdict (%s)" % r.reason, r.output)
    expect_lines(r, r"^smmu: smmuv3@\S+ not driven: this build has no SMMUv3 driver \(SMMU=n\)$",
                 "^" + re.escape(NO_SMMU) + "$", "^" + re.escape(NO_ITS) + "$",
                 "^" + re.escape(no_pci) + "$",
                 # Its memory is not at its host address either: without an
                 # IOMMU, the partition's DMA would miss (dma-not-identity).
                 r"^configuration: 4 error\(s\); no partition started$")
    check(r.search(r"^partition \S+: starting") is None, "a partition started", r.output)


NO_IOMMUS = ("error: /chosen/bulkhead/rtc: property 'devices': /pl031@9010000: 'iommus': this "
             "build drives no IOMMU (SMMU=n)")


@test("slim: a build without the SMMUv3 driver refuses a device's DMA stream ('iommus'), at boot "
      "and in bulkhead-check", reqs="REQ-CFG-005")
def no_smmu_iommus(ctx):
    from .test_smmu import SMMU_BOARD
    # QEMU virt's SMMU with the RTC made one of its masters: the default
    # build assigns its stream, the minimal one has no driver to.
    board = os.path.join(ctx.tmp, "slim-iommus.dtsi")
    with open(board, "w") as f:
        f.write("/include/ \"%s\"\n\n&{/pl031@9010000} {\n\tiommus = <&smmu 0x100>;\n};\n"
                % SMMU_BOARD)
    parts = [Partition("rtc", [1], 0x50000000, "hello", guest_base=None,
                       extra="\t\t\t\tdevices = <&{/pl031@9010000}>;\n")]
    args = system.build(ctx, "slim-iommus", parts, board=board)
    refused_by_both(ctx, minimal_tool(ctx), os.path.join(ctx.tmp, "slim-iommus.dtb"), NO_IOMMUS)
    refused_at_boot(ctx, args, NO_IOMMUS)


@test("slim: a build without PCI passthrough refuses a partition's PCI host bridge, at boot and "
      "in bulkhead-check", reqs="REQ-CFG-005")
def no_pci(ctx):
    # QEMU virt's ECAM bridge, its memory at its host addresses (the bridge
    # does DMA, and there is no SMMU here): the default build passes it.
    parts = [Partition("pci", [1], 0x50000000, "hello", guest_base=None,
                       extra="\t\t\t\tdevices = <&{/pcie@10000000}>;\n")]
    args = system.build(ctx, "slim-pci", parts)
    refused_by_both(ctx, minimal_tool(ctx), os.path.join(ctx.tmp, "slim-pci.dtb"), NO_PCI)
    refused_at_boot(ctx, args, NO_PCI)


NO_HEALTH = ("error: /chosen/bulkhead/dog: property 'watchdog-timeout-ms': "
             "this build has no health monitoring (HEALTH=n)")


@test("slim: a build without health monitoring refuses a watchdog, at boot and in bulkhead-check",
      reqs="REQ-CFG-005")
def no_health(ctx):
    parts = [Partition("dog", [1], 0x50000000, "watchdog", bootargs="kicks=1",
                       extra="\t\t\t\twatchdog-timeout-ms = <50>;\n")]
    args = system.build(ctx, "slim-health", parts)
    refused_by_both(ctx, minimal_tool(ctx), os.path.join(ctx.tmp, "slim-health.dtb"), NO_HEALTH)
    refused_at_boot(ctx, args, NO_HEALTH)


NO_PMU = "error: /chosen/bulkhead/owner: property 'pmu': this build has no PMU ownership (PMU=n)"


@test("slim: a build without PMU ownership refuses a partition's pmu, at boot and in "
      "bulkhead-check; a partition without pmu still finds the PMU's registers UNDEF",
      reqs="REQ-CFG-005 REQ-IRQ-005")
def no_pmu(ctx):
    owner = [Partition("owner", [1], 0x50000000, "pmu", extra="\t\t\t\tpmu;\n")]
    args = system.build(ctx, "slim-pmu", owner)
    refused_by_both(ctx, minimal_tool(ctx), os.path.join(ctx.tmp, "slim-pmu.dtb"), NO_PMU)
    refused_at_boot(ctx, args, NO_PMU)
    # Without the part, every partition is what a non-owner is with it
    # (arch/arm64/vpmu_none.c): the registers trap, to UNDEF.
    other = [Partition("other", [2], 0x52000000, "pmu")]
    args = system.build(ctx, "slim-pmu-other", other)
    r = qemu.run(qemu.arm64_command(minimal_image(ctx), smp=4, extra=args, icount=True),
                 until=r"^partition other: stopped$", fail=FATAL, timeout=60)
    check(r.matched, "the partition did not finish (%s)" % r.reason, r.output)
    expect_lines(r, *NOT_OWNER)


COLOUR_LLC = "\t\t\tbulkhead,llc = <0x100000 1024 64>;\n"  # test_colouring's: 16 colours
NO_COLOURS = ("error: /chosen/bulkhead/tag: property 'bulkhead,colours': this build has no cache "
              "colouring (COLOUR=n)")
NO_HYP_COLOURS = ("error: /chosen/bulkhead: property 'bulkhead,hypervisor-colours': this build "
                  "has no cache colouring (COLOUR=n)")


@test("slim: a build without cache colouring refuses a coloured partition and a coloured "
      "hypervisor, at boot and in bulkhead-check", reqs="REQ-CFG-005")
def no_colour(ctx):
    parts = [Partition("tag", [1], 0x50000000, "hello",
                       extra="\t\t\t\tbulkhead,colours = <0 1 2 3>;\n")]
    args = system.build(ctx, "slim-colour", parts,
                        hypervisor_extra=COLOUR_LLC + "\t\t\tbulkhead,hypervisor-colours = <15>;\n")
    dtb = os.path.join(ctx.tmp, "slim-colour.dtb")
    refused_by_both(ctx, minimal_tool(ctx), dtb, NO_COLOURS)
    refused_by_both(ctx, minimal_tool(ctx), dtb, NO_HYP_COLOURS)
    refused_at_boot(ctx, args, NO_HYP_COLOURS, NO_COLOURS)


NO_FLASH = ("error: /chosen/bulkhead/fw/flash@4000000: property 'compatible': \"bulkhead,flash\": "
            "this build has no flash emulation (FLASH=n)")


@test("slim: a build without flash emulation refuses a partition's flash region, at boot and in "
      "bulkhead-check", reqs="REQ-CFG-005")
def no_flash(ctx):
    from .test_firmware import FW_ENV, flash_node
    parts = [Partition("fw", [1], 0x50000000, "hello",
                       extra=flash_node(FW_ENV[0], FW_ENV[1], 0x40000))]
    args = system.build(ctx, "slim-flash", parts)
    refused_by_both(ctx, minimal_tool(ctx), os.path.join(ctx.tmp, "slim-flash.dtb"), NO_FLASH)
    refused_at_boot(ctx, args, NO_FLASH)


@test("slim: a build without the status table says so on Ctrl-T s; the watchdog kick is "
      "not supported",
      reqs="REQ-CFG-005")
def no_console_status(ctx):
    parts = [Partition("dog", [1], 0x50000000, "watchdog", bootargs="kicks=1")]
    args = system.build(ctx, "slim-status", parts)
    r = qemu.run(qemu.arm64_command(minimal_image(ctx), smp=4, extra=args, icount=True),
                 until=r"^console: this build has no status table \(CONSOLE_STATUS=n\)$",
                 fail=FATAL, timeout=60,
                 send=[(r"^\[dog\] watchdog: boot 1: hanging", b"\x14s")])
    check(r.matched, "no answer to Ctrl-T s (%s)" % r.reason, r.output)
    # SMCCC's NOT_SUPPORTED (-1), where the default build denies it (-3).
    expect_lines(r, r"^\[dog\] watchdog: boot 1, kick 1: status -1, timeout 0 ms$")
    check(r.search(r"^status: ") is None, "a status table in a build without one", r.output)
    check(r.search(r"^console: input goes to") is None or
          len(r.findall(r"^console: input goes to")) == 1, "Ctrl-T s moved the focus", r.output)


NO_GICV2 = ("error: /intc@8000000: property 'compatible': \"arm,cortex-a15-gic\": "
            "this build has no GICv2 driver (GICV2=n)")


@test("slim: a build without the GICv2 refuses a GICv2 machine, at boot and in bulkhead-check",
      reqs="REQ-CFG-005")
def no_gicv2(ctx):
    board = system.board_for(ctx, 4, "1G", machine=qemu.machine_for(2))
    args = system.build(ctx, "slim-gicv2", [Partition("hello", [1], 0x50000000, "hello")],
                        board=board)
    refused_by_both(ctx, minimal_tool(ctx), os.path.join(ctx.tmp, "slim-gicv2.dtb"), NO_GICV2)
    r = qemu.run(qemu.arm64_command(minimal_image(ctx), smp=4, gic=2, extra=args),
                 until=r"^(fatal: .*|partition \S+: starting)", timeout=30)
    check(r.matched, "boot ended without a verdict (%s)" % r.reason, r.output)
    expect_lines(r, "^" + re.escape(NO_GICV2) + "$", r"^fatal: ")
    check(r.search(r"^partition \S+: starting") is None, "a partition started", r.output)


def zynqmp_image(ctx):
    return os.path.join(ctx.build, "minimal-zynqmp", "arm64", "bulkhead.bin")


@test("slim: the minimal ZynqMP build (GICv2, Cadence UART) boots the ZCU102's configuration",
      reqs="REQ-BLD-002 REQ-BRD-002")
def zynqmp_boots(ctx):
    dtb = os.path.join(ctx.build, "dts", "boards", "zcu102.dtb")
    check(os.path.exists(dtb), "%s not built (make boards)" % dtb)
    uart1 = os.path.join(ctx.tmp, "slim-zcu102-uart1.log")
    r = qemu.run(qemu.zcu102_command(zynqmp_image(ctx), dtb, ctx.top, ctx.build, "file:" + uart1),
                 until=r"^\[rt\] heartbeat 100$", fail=FATAL, timeout=60)
    check(r.matched, "the heartbeat should beat (%s)" % r.reason, r.output)
    expect_lines(r, r"^parts: %s$" % re.escape(minimal_parts(ctx, ZYNQMP_KEEP)),
                 r"^console: Cadence UART driver, ",
                 r"^gic: GICv2, distributor 0xf9010000",
                 r"^partition linux: starting on 2 CPU\(s\)",
                 r"^partition rt: starting on 1 CPU\(s\)")


@test("slim: the minimal ZynqMP build's bulkhead-check refuses QEMU virt's PL011 and GICv3",
      reqs="REQ-CFG-005")
def zynqmp_refuses_virt(ctx):
    system.build(ctx, "slim-virt", [Partition("hello", [1], 0x50000000, "hello")],
                 board=system.BOARD)
    dtb = os.path.join(ctx.tmp, "slim-virt.dtb")
    tool = os.path.join(ctx.build, "minimal-zynqmp", "tools", "bulkhead-check")
    c = subprocess.run(["timeout", "30", tool, dtb], capture_output=True, text=True)
    check(c.returncode == 1, "bulkhead-check exit %d, expected 1" % c.returncode, c.stdout)
    check("error: /pl011@9000000: compatible \"arm,pl011\": this build has no driver for it "
          "(UART_PL011=n)" in c.stdout.splitlines(), "no console refusal", c.stdout)
    # With a console it drives (a Cadence UART added to the same machine),
    # the GIC is what it refuses.
    serial = "/serial@9100000"
    for cmd in (["fdtput", "-c", dtb, serial],
                ["fdtput", "-t", "s", dtb, serial, "compatible", "cdns,uart-r1p12"],
                ["fdtput", "-t", "x", dtb, serial, "reg", "0", "0x9100000", "0", "0x1000"],
                ["fdtput", "-t", "s", dtb, "/chosen", "stdout-path", serial]):
        subprocess.run(cmd, check=True)
    message = ("error: /intc@8000000: property 'compatible': \"arm,gic-v3\": "
               "this build has no GICv3 driver (GICV3=n)")
    c = subprocess.run(["timeout", "30", tool, dtb], capture_output=True, text=True)
    check(c.returncode == 1, "bulkhead-check exit %d, expected 1" % c.returncode, c.stdout)
    check(message in c.stdout.splitlines(), "message %r missing" % message, c.stdout)
