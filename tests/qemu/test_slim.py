# SPDX-License-Identifier: Apache-2.0
"""Slim builds (docs/building.md): the minimal build ($(BUILD)/minimal, every
optional part left out) boots a configuration that needs none of them, and
refuses, at boot and in its bulkhead-check, one that needs a part it lacks,
naming the node, the property and the option."""

import os
import re
import subprocess

from lib import qemu, system
from lib.harness import check, expect_lines, test
from lib.system import Partition

from .test_uefi import uefi_boot

FATAL = r"^(fatal|\*\*\* EL2 exception)"


def minimal_image(ctx):
    return os.path.join(ctx.build, "minimal", "arm64", "bulkhead.bin")


def minimal_tool(ctx):
    return os.path.join(ctx.build, "minimal", "tools", "bulkhead-check")


def minimal_parts(ctx):
    return ctx.expected_parts().replace("=y", "=n")


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


NO_SMMU = ("error: /chosen/bulkhead/dma: property 'pci-functions': entry 0: requester ID 0x8 "
           "reaches an \"arm,smmu-v3\": this build has no driver for it (SMMU=n)")


@test("slim: a build without the SMMUv3 driver refuses a DMA stream, at boot and in bulkhead-check",
      reqs="REQ-CFG-005")
def no_smmu(ctx):
    from .test_smmu import EDUS, MACHINE, dma_system
    args = dma_system(ctx, "slim-smmu")
    dtb = os.path.join(ctx.tmp, "slim-smmu.dtb")
    c = subprocess.run(["timeout", "30", minimal_tool(ctx), dtb], capture_output=True, text=True)
    check(c.returncode == 1, "bulkhead-check exit %d, expected 1" % c.returncode, c.stdout)
    check(NO_SMMU in c.stdout.splitlines(), "message %r missing" % NO_SMMU, c.stdout)
    full = subprocess.run(["timeout", "30", os.path.join(ctx.build, "tools", "bulkhead-check"),
                           "--quiet", dtb], capture_output=True, text=True)
    check(full.returncode == 0, "the default bulkhead-check refused it (exit %d)" % full.returncode,
          full.stdout + full.stderr)
    r = qemu.run(qemu.arm64_command(minimal_image(ctx), smp=4, machine=MACHINE, extra=args + EDUS),
                 until=r"^(configuration: \d+ error\(s\); no partition started"
                 r"|partition \S+: starting)", fail=FATAL, timeout=30)
    check(r.matched, "boot ended without a verdict (%s)" % r.reason, r.output)
    expect_lines(r, r"^smmu: smmuv3@\S+ not driven: this build has no SMMUv3 driver \(SMMU=n\)$",
                 "^" + re.escape(NO_SMMU) + "$",
                 # Its memory is not at its host address either: without an
                 # IOMMU, the partition's DMA would miss (dma-not-identity).
                 r"^configuration: 2 error\(s\); no partition started$")
    check(r.search(r"^partition \S+: starting") is None, "a partition started", r.output)
