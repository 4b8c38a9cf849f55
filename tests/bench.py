#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Benchmarks under QEMU icount (1 virtual ns = 1 instruction).

Every figure is declared in FIGURES (name as in issue 9, unit, target,
what it measures) and produced by one of RUNNERS. Latencies come from the
irqbench partition (partitions/bench): the median of --samples iterations
(1000 by default) with min and max, less the measured cost of the
measurement itself. Writes build/bench/results.json, results.md (a table)
and results.svg (a chart); --update-docs copies the table and chart into
docs/perf.md and docs/perf.svg. --check is make test's check that every
figure is produced: the same run (about ten seconds of wall time, Linux
boots included), written to build/bench/check/ so that the last full
run's results and the docs stay as they were. Benchmarks report; they never fail
on a target, only on a broken run. Methods: docs/perf.md.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from lib import bochs, qemu, system  # noqa: E402
from lib.system import Partition  # noqa: E402
import bench_report  # noqa: E402
import bench_llc  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools", "lib"))
from sloc import file_sloc  # noqa: E402

# name, unit, target (None: no target, reported for context), what.
# Figures of later features: rows in their own section below, and a runner
# in RUNNERS; every row must be produced or make bench fails.
FIGURES = [
    ("hvc_roundtrip", "insns", 60, "null hypercall (SMCCC_VERSION), guest to EL2 and back"),
    ("mmio_trap_read", "insns", 250, "trapped read of an emulated GICD register"),
    ("vtimer_latency", "insns", 150, "virtual timer deadline to guest handler"),
    ("sgi_latency", "insns", 600, "SGI from vCPU 0 to vCPU 1 (in WFI) of a partition"),
    ("sgi_self_latency", "insns", 600, "SGI a vCPU sends itself"),
    ("passthrough_irq_latency", "insns", 200, "PL031 SPI raised by an RTCMR write to guest handler"),
    ("boot_to_first_guest", "ns", 1_000_000,
     "hypervisor entry to first partition instruction: the worst of -m 1G, 2G, 4G (min..max)"),
    ("boot_all_cpus_online", "ns", 2_000_000, "reset to all 4 CPUs online"),
    ("image_bytes", "bytes", 90_000, "hypervisor text+rodata+data+bss"),
    ("image_bytes_minimal", "bytes", 64_000,
     "the same, every optional part left out (make minimal, docs/building.md)"),
    ("hyp_ram_bytes", "bytes", 1 << 20, "image plus run-time reservation (stacks, page tables, boot tables)"),
    ("sloc_core_arm64", "lines", 10_000, "non-blank, non-comment lines of .c/.h/.S in core/ and arch/arm64/"),
    ("timer_jitter_alone", "ns", None, "bare-metal heartbeat: spread of handler lateness, alone"),
    ("linux_boot_overhead", "%", 3, "Linux to /init in a partition (from its start) vs bare QEMU (from reset)"),
    ("timer_jitter_beside_linux", "ns", None, "the heartbeat's spread while Linux boots next door"),

    # The general paths (issue 19): any SMCCC call, and interrupts to a running vCPU.
    ("hvc_general_roundtrip", "insns", 60,
     "SMCCC call no one owns (SiP), answered NOT_SUPPORTED: the path of every SMCCC call by HVC"),
    ("hvc_bulkhead_roundtrip", "insns", 60, "Bulkhead's partition identity call by HVC, guest to EL2 and back"),
    ("vtimer_latency_running", "insns", 150, "virtual timer deadline to guest handler, the vCPU busy in a loop"),
    ("sgi_roundtrip_running", "insns", 600,
     "SGI from vCPU 0 to vCPU 1 (busy in a loop) and its reply, to vCPU 0's handler (in WFI)"),

    # Inter-partition channels.
    ("doorbell_latency", "insns", 800,
     "doorbell hypercall in one partition to the handler in the other (in WFI)"),
    ("channel_roundtrip", "insns", None,
     "message and doorbell, the peer's handler replies and rings back, to the sender's handler"),

    # Partition health.
    ("restart_time", "ns", 5_000_000,
     "a faulting 16 MiB partition: fault to the first instruction of its restarted self"),

    # SMMU.
    ("dma_throughput_smmu", "B/s", None,
     "edu DMA through the SMMU, bytes per second of virtual time (edu paces itself)"),
    ("dma_throughput_nosmmu", "B/s", None,
     "the same without an SMMU on the machine (identity-mapped partition)"),
    # MSI through a partition's virtual ITS (issue 25).
    ("msi_latency", "insns", 300,
     "edu MSI (its raise-register write) through the SMMU and the physical ITS, the LPI taken "
     "at EL2 and put in a list register as the vLPI, to the guest's IRQ vector"),
    ("msi_latency_gicv4", "insns", 100,
     "GICv4 (gic-version=4): the same edu MSI through the SMMU and the physical ITS, VMAPTI'd to "
     "the vPE resident on the vCPU's CPU, delivered by the GIC as the vLPI with no exit, to the "
     "guest's IRQ vector"),

    # GICv2 (QEMU virt gic-version=2): the same figures on a GIC-400.
    ("mmio_trap_read_gicv2", "insns", 250, "GICv2: trapped read of an emulated GICD register"),
    ("vtimer_latency_gicv2", "insns", 150, "GICv2: virtual timer deadline to guest handler"),
    ("sgi_latency_gicv2", "insns", 600,
     "GICv2: SGI (a trapped GICD_SGIR write) from vCPU 0 to vCPU 1 (in WFI)"),
    ("passthrough_irq_latency_gicv2", "insns", 200,
     "GICv2: PL031 SPI raised by an RTCMR write to guest handler"),
    ("doorbell_latency_gicv2", "insns", 800,
     "GICv2: doorbell hypercall in one partition to the handler in the other (in WFI)"),

    # The x86-64 port (AMD SVM under QEMU TCG).
    ("x86_vmmcall_roundtrip", "insns", None,
     "x86: VMMCALL (Bulkhead's revision call) guest to hypervisor and back"),
    ("x86_mmio_trap_read", "insns", None,
     "x86: read of an emulated local APIC register (nested page fault, decoded)"),
    ("x86_vtimer_latency", "insns", None,
     "x86: local APIC TSC deadline to the guest's handler"),
    ("x86_msi_latency", "insns", None,
     "x86: edu MSI raised (its BAR write) to the guest's handler (issue 25)"),
    ("x86_msix_latency", "insns", None,
     "x86: e1000e MSI-X raised (its ICS write) to the guest's handler (issue 25)"),
    # The x86-64 port on Intel VMX (bochs corei7_skylake_x, clock sync=none).
    ("x86_vmx_vmcall_roundtrip", "insns", None,
     "x86 VMX: the hypercall by VMCALL (a VMCALL exit) guest to hypervisor and back"),
    ("x86_vmx_vmmcall_roundtrip", "insns", None,
     "x86 VMX: the hypercall by VMMCALL (a #UD exit, fetched and decoded) guest to "
     "hypervisor and back"),
    ("x86_vmx_mmio_trap_read", "insns", None,
     "x86 VMX: read of an emulated local APIC register (EPT violation, decoded)"),
    ("x86_vmx_vtimer_latency", "insns", None,
     "x86 VMX: local APIC TSC deadline to the guest's handler"),

    # Safety evidence (issue 24): tools/stack-bound's figure.
    ("coverage_core_lines_pct", "%", 95,
     "core/ lines run by the unit tests and fuzz seeds (make coverage, gcov); at least the target"),
    ("coverage_core_branches_pct", "%", 85,
     "core/ branch outcomes taken by the unit tests and fuzz seeds; at least the target"),
    ("coverage_hyp_lines_pct", "%", None,
     "lines of the arm64 hypervisor's own sources run in make coverage's QEMU systems"),
    ("stack_worst_bytes", "bytes", 8192 - 1024,
     "deepest stack of any entry point (tools/stack-bound; min..max: the two ports), target the per-CPU stack less its 1 KiB margin"),
    ("misra_findings_required", "findings", 1,
     "MISRA C:2012 findings of required and mandatory rules neither fixed nor deviated with a written reason (tools/misra-check, docs/misra.md); target 0"),

]
# Cache colouring: interference through the last-level cache (bench_llc.py).
FIGURES += bench_llc.FIGURES
LINUX_FIGURES = ("linux_boot_overhead", "timer_jitter_beside_linux")


class BenchContext:
    def __init__(self, top, build, samples):
        self.top = top
        self.build = build
        self.samples = samples
        self.tmp = os.path.join(build, "bench")
        self.gic = 3  # QEMU virt's GIC version (system.build's board, arm64_command)
        os.makedirs(self.tmp, exist_ok=True)


def hypervisor_image(ctx):
    return os.path.join(ctx.build, "arm64", "bulkhead.bin")


def first_guest(ctx, mem):
    """Hypervisor entry to the first instruction of the later of two
    partitions (the demo's two hellos), with -m mem."""
    board = system.board_for(ctx, 4, mem)
    parts = [Partition("hello-a", [1], 0x50000000, "hello"),
             Partition("hello-b", [2], 0x52000000, "hello")]
    args = system.build(ctx, "bench-%s" % mem, parts, board=board)
    r = qemu.run(qemu.arm64_command(hypervisor_image(ctx), smp=4, mem=mem, icount=True, extra=args),
                 until=r"(?s)(?=.*^\[hello-a\] hello: done$)(?=.*^\[hello-b\] hello: done$)",
                 fail=r"^(fatal|configuration)", timeout=60)
    if not r.matched:
        raise SystemExit("bench: partitions did not start (%s)\n%s" % (r.reason, r.output))
    entry = int(r.search(r"at (\d+) ns since reset, device tree").group(1))
    firsts = [int(x) for x in r.findall(r"hello: first instruction at (\d+) ns since reset$")]
    return max(firsts) - entry


def restart_time(ctx):
    """A 16 MiB partition's fault (the crasher's last timestamp before its
    faulting load) to the first instruction of its restarted self: the
    policy, clearing its memory, reloading its images, resetting its vCPU."""
    parts = [Partition("crasher", [1], 0x50000000, "crasher", size=0x1000000,
                       extra="\t\t\t\tfault-action = \"restart\";\n"
                             "\t\t\t\trestart-limit = <1>;\n"
                             "\t\t\t\trestart-window-ms = <1000>;\n")]
    args = system.build(ctx, "bench-restart", parts)
    r = qemu.run(qemu.arm64_command(hypervisor_image(ctx), smp=4,
                                    icount=True, extra=args),
                 until=r"^partition crasher: stopped$", fail=r"^(fatal|configuration)", timeout=60)
    fault = r.search(r"^\[crasher\] crasher: faulting at (\d+) ns$")
    first = r.search(r"^\[crasher\] crasher: boot 2, first instruction at (\d+) ns$")
    if not r.matched or fault is None or first is None:
        raise SystemExit("bench: the crasher did not restart (%s)\n%s" % (r.reason, r.output))
    return int(first.group(1)) - int(fault.group(1))


def boot_figures(ctx):
    r = qemu.run(qemu.arm64_command(hypervisor_image(ctx), smp=4, icount=True),
                 until=r"^all \d+ CPUs online at \d+ ns", fail=r"^fatal", timeout=60)
    if not r.matched:
        raise SystemExit("bench: boot did not complete (%s)\n%s" % (r.reason, r.output))
    figures = {"boot_all_cpus_online":
               {"value": int(r.search(r"^all \d+ CPUs online at (\d+) ns").group(1))}}
    # Flat in the RAM size: the figure is the worst, min..max the spread.
    by_ram = dict((mem, first_guest(ctx, mem)) for mem in ("1G", "2G", "4G"))
    figures["boot_to_first_guest"] = {"value": max(by_ram.values()), "min": min(by_ram.values()),
                                      "max": max(by_ram.values()), "samples": len(by_ram),
                                      "by_ram": by_ram}
    return figures


IRQBENCH_MAX_SAMPLES = 4000  # partitions/bench/irqbench.c
# irqbench's names for its figures.
IRQBENCH_FIGURES = {"vtimer": "vtimer_latency", "sgi": "sgi_latency",
                    "sgi-self": "sgi_self_latency", "passthrough": "passthrough_irq_latency",
                    "hvc": "hvc_roundtrip", "mmio-read": "mmio_trap_read",
                    "hvc-general": "hvc_general_roundtrip", "hvc-bulkhead": "hvc_bulkhead_roundtrip",
                    "vtimer-running": "vtimer_latency_running", "sgi-running": "sgi_roundtrip_running",
                    "sgi-running-oneway": "sgi_oneway_running"}


def reported_figures(r, prefix, names):
    """The figures a benchmark partition printed with bench_report(), as
    `<prefix>: <name> samples=N median=M min=A max=B empty=E` lines; names
    maps each printed name to its figure's."""
    line = (r"^%s: (\S+) samples=(\d+) median=(-?\d+) min=(-?\d+) max=(-?\d+) "
            r"empty=(-?\d+)$" % re.escape(prefix))
    figures = {}
    for name, n, mid, lo, hi, empty in r.findall(line):
        figures[names[name]] = {"value": int(mid), "min": int(lo), "max": int(hi),
                                "samples": int(n), "empty": int(empty)}
    return figures


def irq_figures(ctx):
    """irqbench in a 2-vCPU partition (CPUs 1-2) given the PL031, the rest
    of the machine idle."""
    parts = [Partition("bench", [1, 2], 0x50000000, "irqbench",
                       bootargs="samples=%d" % ctx.samples,
                       extra="\t\t\t\tdevices = <&{/pl031@9010000}>;\n")]
    args = system.build(ctx, "irqbench", parts)
    r = qemu.run(qemu.arm64_command(hypervisor_image(ctx), gic=ctx.gic, smp=4, icount=True,
                                    extra=args),
                 until=r"^partition bench: stopped$", fail=r"^(fatal|\*\*\* EL2 exception)",
                 timeout=600)
    if not r.matched or "[bench] irqbench: done" not in r:
        raise SystemExit("bench: irqbench did not finish (%s)\n%s" % (r.reason, r.output))
    figures = reported_figures(r, "[bench] irqbench", IRQBENCH_FIGURES)
    # The round trip's first half, kept beside it in results.json.
    oneway = figures.pop("sgi_oneway_running", None)
    if oneway is not None and "sgi_roundtrip_running" in figures:
        figures["sgi_roundtrip_running"]["oneway"] = oneway
    return figures


CHANBENCH_FIGURES = {"doorbell": "doorbell_latency", "roundtrip": "channel_roundtrip"}
CHANBENCH_CHANNEL = ("\t\t\tchannel@0 {\n"
                     "\t\t\t\tcompatible = \"bulkhead,channel\";\n"
                     "\t\t\t\tregion = <0x0 0x56000000 0x0 0x1000>;\n"
                     "\t\t\t\tpartitions = <&{/chosen/bulkhead/ping} &{/chosen/bulkhead/pong}>;\n"
                     "\t\t\t\tguest-addresses = <0x0 0x60000000 0x0 0x60000000>;\n"
                     "\t\t\t\tdoorbell-intids = <80 81>;\n"
                     "\t\t\t};\n")


def channel_figures(ctx):
    """chanbench (partitions/bench): partitions ping (CPU 1) and pong (CPU 2)
    on one channel, the other CPUs idle."""
    bootargs = "samples=%d" % ctx.samples
    parts = [Partition("ping", [1], 0x50000000, "chanbench", bootargs=bootargs),
             Partition("pong", [2], 0x52000000, "chanbench", bootargs=bootargs)]
    args = system.build(ctx, "chanbench", parts, hypervisor_extra=CHANBENCH_CHANNEL)
    r = qemu.run(qemu.arm64_command(hypervisor_image(ctx), gic=ctx.gic, smp=4, icount=True,
                                    extra=args),
                 until=r"(?s)(?=.*^partition ping: stopped$)(?=.*^partition pong: stopped$)",
                 fail=r"^(fatal|\*\*\* EL2 exception)", timeout=600)
    if not r.matched or "[ping] chanbench: done" not in r:
        raise SystemExit("bench: chanbench did not finish (%s)\n%s" % (r.reason, r.output))
    return reported_figures(r, "[ping] chanbench", CHANBENCH_FIGURES)


GICV2_FIGURES = ("mmio_trap_read", "vtimer_latency", "sgi_latency", "passthrough_irq_latency",
                 "doorbell_latency")


def gicv2_figures(ctx):
    """irqbench and chanbench again on QEMU virt with a GICv2: the figures
    of GICV2_FIGURES, named with a _gicv2 suffix."""
    ctx.gic = 2
    try:
        measured = dict(irq_figures(ctx))
        measured.update(channel_figures(ctx))
    finally:
        ctx.gic = 3
    return dict((name + "_gicv2", measured[name]) for name in GICV2_FIGURES if name in measured)


HEARTBEAT_LINE = (r"^\[rt\] heartbeat: (\d+) beats of (\d+) ticks, handler (\d+)\.\.(\d+) "
                  r"ticks after the deadline$")
# Beats of 10 ms from the heartbeat's start: past Linux's /init (0.96 s).
HEARTBEAT_BEATS = 110
HEARTBEAT_PERIOD_NS = 10_000_000  # heartbeat.c: CNTFRQ / 100 ticks


def jitter(r):
    """The heartbeat's spread of lateness (worst - best), which bounds the
    spread of its periods, as a figure in ns."""
    beat = r.search(HEARTBEAT_LINE)
    if beat is None:
        raise SystemExit("bench: no heartbeat summary\n%s" % r.output)
    beats, period, best, worst = (int(x) for x in beat.groups())
    to_ns = HEARTBEAT_PERIOD_NS / period
    return {"value": round((worst - best) * to_ns), "best_lateness": round(best * to_ns),
            "worst_lateness": round(worst * to_ns), "samples": beats}


def heartbeat_alone(ctx):
    parts = [Partition("rt", [3], 0x70000000, "heartbeat",
                       bootargs="beats=%d every=0" % HEARTBEAT_BEATS)]
    args = system.build(ctx, "rt-alone", parts)
    r = qemu.run(qemu.arm64_command(hypervisor_image(ctx), smp=4, icount=True, extra=args),
                 until=r"^partition rt: stopped$", fail=r"^(fatal|\*\*\* EL2 exception)",
                 timeout=300)
    if not r.matched:
        raise SystemExit("bench: the heartbeat alone did not finish (%s)\n%s" % (r.reason, r.output))
    return {"timer_jitter_alone": jitter(r)}


DMA_ROUNDS = 8


def dma_throughput(ctx, smmu):
    """edu DMA (2 KiB to the device and back, DMA_ROUNDS times) from an
    identity-mapped partition owning the PCIe bridge, through the SMMU or
    with none on the machine (then the partition's memory must be at its
    host address, which it is). Bytes per second of virtual time."""
    machine = qemu.MACHINE + (",iommu=smmuv3" if smmu else "") + ",highmem=off"
    board = system.board_for(ctx, 4, "2G", machine=machine)
    extra = "\t\t\t\tdevices = <&{/pcie@10000000}>;\n"
    if smmu:
        extra += "\t\t\t\tpci-functions = <&{/pcie@10000000} 0x08>;\n"
    parts = [Partition("dma", [2], 0x80000000, "dma", guest_base=0x80000000, extra=extra,
                       bootargs="bench=%d" % DMA_ROUNDS)]
    args = system.build(ctx, "dma-bench-%s" % ("smmu" if smmu else "nosmmu"), parts, board=board)
    args += ["-device", "edu,addr=01.0,dma_mask=0xffffffffffffffff"]
    r = qemu.run(qemu.arm64_command(hypervisor_image(ctx), smp=4, mem="2G", machine=machine,
                                    icount=True, extra=args),
                 until=r"^partition dma: stopped$", fail=r"^(fatal|configuration|\*\*\* EL2)",
                 timeout=120)
    m = r.search(r"^\[dma\] dma: bench: (\d+) bytes in (\d+) ticks at (\d+) Hz$")
    if not r.matched or m is None:
        raise SystemExit("bench: the DMA bench did not finish (%s)\n%s" % (r.reason, r.output))
    size, ticks, hz = (int(g) for g in m.groups())
    return round(size * hz / ticks)


def msi_figures(ctx, gic=3):
    """partitions/tests/msi.c's bench mode: the edu owned through
    pci-functions, its MSI through the virtual ITS (tests/qemu/test_msi.py's
    system, without the victim); gic=4: on a GICv4, with direct injection."""
    machine = qemu.machine_for(gic) + ",iommu=smmuv3,highmem=off"
    parts = [Partition("msi", [2], 0x52000000, "msi", guest_base=0x80000000,
                       bootargs="bench=%d" % min(ctx.samples, 1000),
                       extra="\t\t\t\tdevices = <&{/pcie@10000000}>;\n"
                             "\t\t\t\tpci-functions = <&{/pcie@10000000} 0x08>;\n")]
    args = system.build(ctx, "msi-bench-gicv%d" % gic, parts, board="virt-smmu-4cpu-1g.dtsi")
    args += ["-device", "edu,addr=01.0,dma_mask=0xffffffffffffffff"]
    r = qemu.run(qemu.arm64_command(hypervisor_image(ctx), smp=4, machine=machine,
                                    icount=True, extra=args),
                 until=r"^partition msi: stopped$", fail=r"^(fatal|configuration|\*\*\* EL2)",
                 timeout=300)
    if not r.matched or r.search(r"^\[msi\] msi: (\d+) raised, \1 taken$") is None:
        raise SystemExit("bench: the MSI bench did not finish (%s)\n%s" % (r.reason, r.output))
    # The figure names its path: refuse a GICv4 run that did not take it.
    direct = r.search(r"^its: .*, GICv4: vLPIs injected directly$") is not None
    if direct != (gic == 4):
        raise SystemExit("bench: MSI on gic-version=%d %s direct injection\n%s"
                         % (gic, "took" if direct else "did not take", r.output))
    return reported_figures(r, "[msi] msi",
                            {"msi": "msi_latency" if gic == 3 else "msi_latency_gicv4"})


def dma_figures(ctx):
    return {"dma_throughput_smmu": {"value": dma_throughput(ctx, True)},
            "dma_throughput_nosmmu": {"value": dma_throughput(ctx, False)}}


def sloc(top):
    """Lines of C and assembly in core/ and arch/arm64/ that are neither
    blank nor only comment (tools/lib/sloc.py)."""
    count = 0
    for base in ("core", os.path.join("arch", "arm64")):
        for root, _, files in os.walk(os.path.join(top, base)):
            count += sum(file_sloc(os.path.join(root, name)) for name in files
                         if name.endswith((".c", ".h", ".S")))
    return count


def elf_sizes(readelf, elf):
    """(allocated bytes but .reserved, .reserved's bytes) of an image's ELF."""
    out = subprocess.check_output([readelf, "-SW", elf], text=True)
    image = reserved = 0
    for m in re.finditer(r"^\s*\[\s*\d+\]\s+(\S+)\s+\S+\s+[0-9a-f]+\s+[0-9a-f]+\s+([0-9a-f]+)"
                         r"\s+\S+\s+(\S*A\S*)", out, re.M):
        name, size = m.group(1), int(m.group(2), 16)
        if name == ".reserved":
            reserved += size
        else:
            image += size
    return image, reserved


def size_figures(ctx, readelf):
    image, reserved = elf_sizes(readelf, os.path.join(ctx.build, "arm64", "bulkhead.elf"))
    minimal, _ = elf_sizes(readelf, os.path.join(ctx.build, "minimal", "arm64", "bulkhead.elf"))
    return {"image_bytes": {"value": image}, "image_bytes_minimal": {"value": minimal},
            "hyp_ram_bytes": {"value": image + reserved},
            "sloc_core_arm64": {"value": sloc(ctx.top)}}


LINUX_BOOTARGS = "console=ttyAMA0 panic=-1"
# Nodes of QEMU's DT that a partition's DT has too (core/guest_dt.c).
LINUX_FAIL = r"^(fatal|\*\*\* EL2 exception)|Kernel panic"
PARTITION_DT_NODES = ("psci", "memory@", "intc@", "timer", "apb-pclk", "pl011@", "cpus", "chosen")


def bare_linux_dtb(ctx, smp, mem):
    """QEMU's DT for bare Linux, cut down to what the Linux partition's DT
    describes, so both boots probe the same devices: no virtio, PCIe, flash,
    RTC, GPIO, fw-cfg, PMU or ITS; no UART interrupt (the virtual UART has
    none); no random seeds, so KASLR is off as in the partition."""
    dtb = os.path.join(ctx.tmp, "bare-linux.dtb")
    qemu.dump_dtb(dtb, smp=smp, mem=mem, machine="virt,gic-version=3")
    text = subprocess.check_output(["dtc", "-q", "-I", "dtb", "-O", "dts", dtb], text=True)
    for node in re.findall(r"^\t(\S+) \{$", text, re.M):
        if not node.startswith(PARTITION_DT_NODES):
            subprocess.check_call(["fdtput", "-r", dtb, "/" + node])
    gic = re.search(r"^\t(intc@\S+) \{$", text, re.M).group(1)
    for node in re.findall(r"^\t\t(its@\S+) \{$", text, re.M):
        subprocess.check_call(["fdtput", "-r", dtb, "/%s/%s" % (gic, node)])
    subprocess.check_call(["fdtput", "-r", dtb, "/cpus/cpu-map"])
    uart = re.search(r"^\t(pl011@\S+) \{$", text, re.M).group(1)
    subprocess.check_call(["fdtput", "-d", dtb, "/" + uart, "interrupts"])
    for prop in ("rng-seed", "kaslr-seed"):
        subprocess.check_call(["fdtput", "-d", dtb, "/chosen", prop])
    return dtb


def init_ns(r, what):
    """Counter time at which Linux's /init started (partitions/linux/init)."""
    m = r.search(r"linux-test: /init started at counter (\d+) (\d+)$")
    if m is None:
        raise SystemExit("bench: %s: no /init counter\n%s" % (what, r.output))
    ticks, hz = int(m.group(1)), int(m.group(2))
    return ticks * 1_000_000_000 // hz


def linux_beside_heartbeat(ctx, kernel, initrd, rt_cpu):
    """Linux on CPUs 1-2 and the heartbeat on @rt_cpu: the counter time of
    Linux's /init, Linux's start and the heartbeat's jitter."""
    parts = [Partition("linux", [1, 2], 0x50000000, kernel, size=0x20000000, ramdisk=initrd,
                       bootargs=LINUX_BOOTARGS),
             Partition("rt", [rt_cpu], 0x70000000, "heartbeat",
                       bootargs="beats=%d every=0" % HEARTBEAT_BEATS)]
    args = system.build(ctx, "linux-rt%d" % rt_cpu, parts)
    r = qemu.run(qemu.arm64_command(hypervisor_image(ctx), smp=4, icount=True, extra=args),
                 until=r"(?s)(?=.*^partition linux: stopped$)(?=.*^partition rt: stopped$)",
                 fail=LINUX_FAIL, timeout=900)
    if not r.matched:
        raise SystemExit("bench: Linux beside the heartbeat did not finish (%s)\n%s"
                         % (r.reason, r.output))
    at_init = init_ns(r, "Linux in a partition")
    starts = dict((name, int(ns)) for name, ns in r.findall(
        r"^partition (\S+): starting on .* at (\d+) ns since reset$"))
    if "linux" not in starts or "rt" not in starts:
        raise SystemExit("bench: no partition start times\n%s" % r.output)
    if starts["rt"] + HEARTBEAT_BEATS * HEARTBEAT_PERIOD_NS < at_init:
        raise SystemExit("bench: the heartbeat stopped before Linux reached /init")
    return at_init, starts["linux"], jitter(r)


def linux_figures(ctx):
    """Linux (2 vCPUs, 512 MiB) from its first instruction to /init in a
    partition, beside the heartbeat on CPU 3 as in the make run demo,
    against the same kernel and initramfs from reset on bare QEMU -smp 2
    -m 512M; and the heartbeat's jitter meanwhile."""
    kernel = os.path.join(ctx.top, ".deps", "linux", "Image")
    initrd = os.path.join(ctx.build, "linux", "initramfs.cpio.gz")

    dtb = bare_linux_dtb(ctx, 2, "512M")
    r = qemu.run(qemu.arm64_command(kernel, smp=2, mem="512M", machine="virt,gic-version=3",
                                    icount=True, dtb=dtb, append=LINUX_BOOTARGS,
                                    extra=["-initrd", initrd]),
                 until=r"linux-test: done$", fail=LINUX_FAIL, timeout=300)
    if not r.matched:
        raise SystemExit("bench: bare Linux did not boot (%s)\n%s" % (r.reason, r.output))
    bare = init_ns(r, "bare Linux")
    at_init, linux_start, beside = linux_beside_heartbeat(ctx, kernel, initrd, 3)
    in_partition = at_init - linux_start
    return {
        "linux_boot_overhead": {"value": round(100.0 * (in_partition - bare) / bare, 3),
                                "partition_ns": in_partition, "bare_ns": bare},
        "timer_jitter_beside_linux": beside,
    }


XBENCH_FIGURES = {"vmmcall_roundtrip": "x86_vmmcall_roundtrip",
                  "mmio_trap_read": "x86_mmio_trap_read", "vtimer_latency": "x86_vtimer_latency"}


def x86_bench_system(ctx, name, system, program):
    """build/x86/dtb/<system>.dtb copied to <name>.dtb with program in
    hello-a (CPU 1) and hello in hello-b (CPU 2), each module node sized
    for its file: the dtb and [(path, module address, module node)]."""
    dtb = os.path.join(ctx.tmp, name + ".dtb")
    shutil.copyfile(os.path.join(ctx.build, "x86", "dtb", system + ".dtb"), dtb)
    modules = []
    for part, prog, module in (("hello-a", program, 0x08000000), ("hello-b", "hello", 0x08100000)):
        path = os.path.join(ctx.build, "x86", "partitions", prog + ".bin")
        node = "/chosen/bulkhead/%s/module@%x" % (part, module)
        subprocess.run(["fdtput", "-t", "x", dtb, node, "reg", "0", "%x" % module, "0",
                        "%x" % os.path.getsize(path)], check=True)
        modules.append((path, module, node))
    return dtb, modules


def x86_figures(ctx):
    """xbench (partitions/x86/bench.c) in the x86 example system's first
    partition (CPU 1), hello in the second (CPU 2)."""
    dtb, modules = x86_bench_system(ctx, "x86-bench", "partitions-exit", "xbench")
    loads = [(path, module) for path, module, _ in modules]
    cmd = qemu.x86_command(os.path.join(ctx.build, "x86", "bulkhead32.elf"), dtb, smp=4,
                           icount=True, loads=loads)
    r = qemu.run(cmd, fail=r"^(fatal|\*\*\* exception)", timeout=120)
    if r.reason != "exited" or "partition hello-a: stopped" not in r.output:
        raise SystemExit("bench: xbench did not finish (%s)\n%s" % (r.reason, r.output))
    return reported_figures(r, "[hello-a] xbench", XBENCH_FIGURES)


def x86_pci_irq_figures(ctx, prog, dts, device, figure):
    """@prog (partitions/x86/tests/@prog.c) owning QEMU's @device as a PCI
    function (tests/x86/@dts.dts), hello beside it: its 200 interrupts'
    latency as the x86 figure @figure."""
    dtb, modules = x86_bench_system(ctx, "x86-" + prog, dts, prog)
    loads = [(path, module) for path, module, _ in modules]
    cmd = qemu.x86_command(os.path.join(ctx.build, "x86", "bulkhead32.elf"), dtb, smp=4,
                           icount=True, loads=loads, extra=["-device", device + ",addr=5.0"])
    r = qemu.run(cmd, fail=r"^(fatal|\*\*\* exception)", timeout=120)
    if (r.reason != "exited" or "partition hello-a: stopped" not in r.output
            or "[hello-a] %s: 200 raised, 200 taken" % prog not in r.output):
        raise SystemExit("bench: %s did not finish (%s)\n%s" % (prog, r.reason, r.output))
    return reported_figures(r, "[hello-a] " + prog, {figure.replace("x86_", "", 1): figure})


def x86_msi_figures(ctx):
    """msibench owning edu, its MSI (tests/x86/pci-msi.dts)."""
    return x86_pci_irq_figures(ctx, "msibench", "pci-msi", "edu", "x86_msi_latency")


def x86_msix_figures(ctx):
    """msixbench owning e1000e, its MSI-X (tests/x86/pci-msix.dts)."""
    return x86_pci_irq_figures(ctx, "msixbench", "pci-msix", "e1000e", "x86_msix_latency")


def x86_vmx_figures(ctx):
    """The same xbench system on Intel VMX under bochs (tests/lib/bochs.py):
    bochs' TSC counts instructions (clock sync=none, a fixed ips), as the
    TSC under QEMU's -icount shift=0 does, so the figures compare."""
    dtb, modules = x86_bench_system(ctx, "x86-vmx-bench", "partitions-exit", "xbench")
    bochs.set_exit_on_idle(dtb)
    iso = bochs.iso(ctx.tmp, "xbench", os.path.join(ctx.build, "x86", "bulkhead.elf"), dtb,
                    [(path, node) for path, _, node in modules])
    r = bochs.run(ctx.tmp, "xbench", iso, cpu=bochs.VMX_CPU, smp=4,
                  fail=r"^(fatal|\*\*\* exception)", timeout=600)
    if r.reason != "exited" or "partition hello-a: stopped" not in r.output:
        raise SystemExit("bench: xbench on VMX did not finish (%s)\n%s" % (r.reason, r.output))
    return reported_figures(r, "[hello-a] xbench",
                            dict({k: v.replace("x86_", "x86_vmx_")
                                  for k, v in XBENCH_FIGURES.items()},
                                 vmcall_roundtrip="x86_vmx_vmcall_roundtrip"))


# Figures where more is better: met when at least the target.
AT_LEAST = ("coverage_core_lines_pct", "coverage_core_branches_pct")


def coverage_figures(ctx):
    """make coverage (docs/testing.md): its summary's figures."""
    subprocess.run(["make", "-s", "--no-print-directory", "coverage",
                    "BUILD=" + os.path.relpath(ctx.build, ctx.top)],
                   cwd=ctx.top, check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(ctx.build, "coverage", "summary.json")) as f:
        s = json.load(f)
    core = s["unit_and_fuzz"]["core"]
    return {"coverage_core_lines_pct": {"value": core["lines_pct"]},
            "coverage_core_branches_pct": {"value": core["branches_pct"]},
            "coverage_hyp_lines_pct": {"value": s["hyp"]["lines_pct"]}}


def misra_figures(ctx):
    """tools/misra-check's count of required and mandatory findings still
    on the ratchet (its --json summary)."""
    out = os.path.join(ctx.build, "misra", "summary.json")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    subprocess.run([os.path.join(ctx.top, "tools", "misra-check"), "--build-dir",
                    os.path.join(ctx.build, "misra"), "--json", out],
                   cwd=ctx.top, check=True, stdout=subprocess.DEVNULL)
    with open(out) as f:
        return {"misra_findings_required": {"value": json.load(f)["required_on_ratchet"]}}


def stack_figures(ctx):
    """The worst entry-point depth of either port, as the build checked it
    (make hypervisor writes build/stack-bound/ARCH.json)."""
    worst = {}
    for arch in ("arm64", "x86"):
        with open(os.path.join(ctx.build, "stack-bound", arch + ".json")) as f:
            worst[arch] = json.load(f)["worst"]
    return {"stack_worst_bytes": {"value": max(worst.values()), "min": min(worst.values()),
                                  "max": max(worst.values())}}


# (function, needs the Linux boots); each returns {name: figure}. Later
# figures: a runner in their own section, so that parallel work merges.
RUNNERS = [
    (boot_figures, False),
    (lambda ctx: size_figures(ctx, ctx.readelf), False),
    (irq_figures, False),
    (heartbeat_alone, False),
    (linux_figures, True),

    # Inter-partition channels.
    (channel_figures, False),

    # GICv2.
    (gicv2_figures, False),

    # Partition health.
    (lambda ctx: {"restart_time": {"value": restart_time(ctx)}}, False),

    # SMMU.
    (dma_figures, False),
    (msi_figures, False),
    (lambda ctx: msi_figures(ctx, gic=4), False),

    # The x86-64 port.
    (x86_figures, False),
    (x86_msi_figures, False),
    (x86_msix_figures, False),

    # Cache colouring.
    (lambda ctx: bench_llc.llc_figures(ctx, hypervisor_image(ctx)), False),

    # The x86-64 port on Intel VMX (bochs).
    (x86_vmx_figures, False),

    # Safety evidence.
    (stack_figures, False),
    (coverage_figures, False),
    (misra_figures, False),
]


def main():
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--build", default="build")
    ap.add_argument("--readelf", default="aarch64-linux-gnu-readelf")
    ap.add_argument("--samples", type=int, default=1000,
                    help="iterations per latency figure (default 1000)")
    ap.add_argument("--no-linux", action="store_true",
                    help="skip the Linux boots (minutes of wall time)")
    ap.add_argument("--check", action="store_true",
                    help="make test's check: results in build/bench/check, docs untouched")
    ap.add_argument("--update-docs", action="store_true",
                    help="copy the table and chart into docs/perf.md and docs/perf.svg")
    args = ap.parse_args()
    if not 1 <= args.samples <= IRQBENCH_MAX_SAMPLES:
        ap.error("--samples: 1 to %d (irqbench's MAX_SAMPLES)" % IRQBENCH_MAX_SAMPLES)
    ctx = BenchContext(top, os.path.join(top, args.build), args.samples)
    ctx.readelf = args.readelf

    figures = {}
    for runner, needs_linux in RUNNERS:
        if not (needs_linux and args.no_linux):
            figures.update(runner(ctx))
    expected = [name for name, _, _, _ in FIGURES
                if not (args.no_linux and name in LINUX_FIGURES)]
    missing = [name for name in expected if name not in figures]
    if missing:
        raise SystemExit("bench: figures not produced: %s" % ", ".join(missing))
    declared = dict((name, (unit, target, what)) for name, unit, target, what in FIGURES)
    for name, f in figures.items():
        unit, target, what = declared.get(name, ("", None, ""))
        f.update(unit=unit, target=target, what=what,
                 met=None if target is None else
                 (f["value"] >= target if name in AT_LEAST else f["value"] < target))
        if name in AT_LEAST:
            f["at_least"] = True
    out = {
        "conditions": "qemu-system-aarch64 virt,gic-version=3 cortex-a57 -icount shift=0,sleep=off; "
                      "boot: -smp 4 -m 1G; irqbench: a 2-vCPU partition on CPUs 1-2 with the "
                      "PL031, %d samples, the other CPUs idle; Linux: 2 vCPUs and 512 MiB beside "
                      "the heartbeat (-smp 4 -m 1G) against bare -smp 2 -m 512M; see docs/perf.md"
                      % args.samples,
        "samples": args.samples,
        "figures": figures,
    }
    order = [name for name, _, _, _ in FIGURES if name in figures]
    # The check leaves the last full run's results alone.
    out_dir = os.path.join(ctx.build, "bench", "check" if args.check else "")
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "results.json"), "w") as f:
        json.dump(out, f, indent=2, sort_keys=True)
        f.write("\n")
    table = bench_report.markdown_table(figures, order)
    svg = bench_report.svg_chart(figures, order)
    with open(os.path.join(out_dir, "results.md"), "w") as f:
        f.write(table)
    with open(os.path.join(out_dir, "results.svg"), "w") as f:
        f.write(svg)
    if args.update_docs and not args.check:
        bench_report.update_docs(top, table, svg)
    print(bench_report.text_table(figures, order))
    print("written: %s" % os.path.relpath(os.path.join(out_dir, "results.json"), top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
