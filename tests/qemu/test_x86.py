# SPDX-License-Identifier: Apache-2.0
"""The x86-64 port under QEMU TCG (q35, AMD SVM with nested paging)."""

import os
import re
import shutil
import subprocess
import tempfile

from lib import bochs, harness, qemu
from lib.harness import check, expect_lines, test
from lib.samples import check_pingpong

# The partition suite also runs on Intel VMX, under bochs (tests/lib/bochs.py);
# a subset (SVM_AND_VMX) on bochs' AMD SVM model too, beside QEMU's.
VMX = (bochs.VMX_CPU,)
SVM_AND_VMX = (bochs.SVM_CPU, bochs.VMX_CPU)
ONLINE = r"^all \d+ CPUs online"
FATAL = r"^(fatal|\*\*\* exception)"


def image(ctx):
    return os.path.join(ctx.build, "x86", "bulkhead32.elf")


def dtb(ctx, name):
    return os.path.join(ctx.build, "x86", "dtb", name + ".dtb")


def boot(ctx, name, smp=2, cpu=qemu.X86_CPU, until=None, fail=FATAL, loads=(), timeout=30):
    """Boot the system DT `name`; without `until`, run until Bulkhead exits QEMU."""
    if ctx.bochs:
        path = os.path.join(ctx.tmp, "x86-bochs-%s.dtb" % name)
        shutil.copyfile(dtb(ctx, name), path)
        return run_bochs(ctx, name, path, (), smp, until=until, fail=fail)
    cmd = qemu.x86_command(image(ctx), dtb(ctx, name), smp=smp, cpu=cpu, loads=loads)
    return qemu.run(cmd, until=until, fail=fail, timeout=timeout)


def run_bochs(ctx, name, system, modules, smp, until=None, fail=FATAL, cpu=None, timeout=180):
    """The system DT at path `system` under bochs (CPU model ctx.bochs, or
    cpu), booted by GRUB from an ISO with modules: (program, DT module node)
    pairs. Bulkhead powers bochs off once idle (bochs.set_exit_on_idle)."""
    bochs.set_exit_on_idle(system)
    kernel = os.path.join(ctx.build, "x86", "bulkhead.elf")
    model = cpu or ctx.bochs
    label = "%s-%s" % (name, model)
    iso = bochs.iso(ctx.tmp, label, kernel, system, modules)
    return bochs.run(ctx.tmp, label, iso, cpu=model, smp=smp, until=until, fail=fail,
                     timeout=timeout)


def expect_refused(ctx, name, error):
    """The system DT `name` has one configuration error, `error`: reported,
    and no partition started."""
    r = boot(ctx, name, smp=4)
    expect_idle_exit(r)
    expect_lines(r, error, r"^configuration: 1 error\(s\); no partition started$")
    check("starting on" not in r.output, "a partition started", r.output)


def expect_idle_exit(r):
    if r.cmd[5] == bochs.BOCHS:  # powered off: the same status whatever the reason
        check(r.reason == "exited" and r.status == bochs.EXIT_STATUS
              and r.search(r"^(fatal|Bulkhead needs)") is None,
              "expected Bulkhead to power bochs off once idle; run ended: %s, status %s"
              % (r.reason, r.status), r.output)
        return
    check(r.reason == "exited" and r.status == qemu.X86_EXIT_IDLE,
          "expected Bulkhead to exit QEMU with status %d once idle; run ended: %s, status %s"
          % (qemu.X86_EXIT_IDLE, r.reason, r.status), r.output)


@test("x86: boots from QEMU -kernel (multiboot1), banner, memory map, exit when idle",
      reqs="REQ-BOOT-001 REQ-BOOT-002 REQ-BOOT-004")
def x86_boot(ctx):
    r = boot(ctx, "boot-2cpu")
    expect_idle_exit(r)
    version = ctx.expected_version()
    expect_lines(r, r"^Bulkhead %s \(x86_64\), a static partitioning hypervisor$" % re.escape(version),
                 r"^x86: entered from multiboot1 on APIC ID 0 at \d+ ns since reset, "
                 r"device tree at 0x[0-9a-f]+ \(module \".*boot-2cpu.dtb dtb\"\)$",
                 r"^console: UART at 0x3f8, found from /chosen/stdout-path$",
                 r"^multiboot1: memory map checked: the device tree's RAM and 1 module\(s\) are RAM$",
                 r"^memory: 0x0000000000100000-0x000000003fdfffff \(1021 MiB\)$",
                 r"^memory: 1021 MiB in 1 range\(s\)$",
                 r"^hypervisor: 0x0000000000100000-0x[0-9a-f]{16} \(\d+ KiB\)$",
                 r"^apic: local APIC 0xfee00000, I/O APIC 0xfec00000 \(24 pins, all masked\), "
                 r"legacy PICs masked$",
                 r"^svm: nested paging, \d+ ASIDs, no next RIP \(instruction lengths decoded\)$",
                 r"^error: /chosen: no node with compatible \"bulkhead,hypervisor\"$",
                 r"^configuration: 1 error\(s\); no partition started$")
    check(r.output.index("Bulkhead ") < r.output.index("x86: entered"),
          "the banner comes first", r.output)


def check_smp(ctx, n):
    r = boot(ctx, "boot-%dcpu" % n, smp=n)
    expect_idle_exit(r)
    expect_lines(r, r"^cpus: %d$" % n, r"^all %d CPUs online at \d+ ns since reset$" % n)
    online = sorted(int(i) for i in r.findall(r"^cpu (\d+): online \(hwid 0x[0-9a-f]+\)$"))
    check(online == list(range(1, n)), "secondaries online: %s, expected 1..%d" % (online, n - 1),
          r.output)


for _n in (2, 4):
    test("x86: all CPUs online with -smp %d (INIT-SIPI-SIPI)" % _n, reqs="REQ-BOOT-002")(
        lambda ctx, n=_n: check_smp(ctx, n))


def check_refusal(ctx, cpu, why):
    r = boot(ctx, "boot-2cpu", cpu=cpu, fail=None)
    check(r.reason == "exited" and r.status == qemu.X86_EXIT_REFUSED,
          "expected the refusal exit status %d; run ended: %s, status %s"
          % (qemu.X86_EXIT_REFUSED, r.reason, r.status), r.output)
    expect_lines(r, r"^Bulkhead .* \(x86_64\)", r"^fatal: %s" % why,
                 r"^Bulkhead needs AMD SVM with nested paging \(QEMU: -cpu qemu64,\+svm,\+npt, "
                 r"EPYC or max\) or Intel VMX with EPT and unrestricted guest \(bochs: "
                 r"corei5_arrandale_m520 or newer\); halting$")
    check("cpus:" not in r.output, "nothing is started after the refusal", r.output)


def x86_vmx_no_unrestricted_guest(ctx):
    path = os.path.join(ctx.tmp, "x86-bochs-no-ug.dtb")
    shutil.copyfile(dtb(ctx, "boot-2cpu"), path)
    r = run_bochs(ctx, "no-ug", path, (), 2, fail=None, cpu=bochs.NO_UG_CPU)
    check(r.reason == "exited" and r.status == bochs.EXIT_STATUS,
          "expected Bulkhead to power bochs off; run ended: %s, status %s"
          % (r.reason, r.status), r.output)
    expect_lines(r, r"^Bulkhead .* \(x86_64\)",
                 r"^fatal: the CPU has VMX with EPT but no unrestricted guest "
                 r"\(IA32_VMX_PROCBASED_CTLS2 bit 39 is clear\)$",
                 r"^Bulkhead needs AMD SVM with nested paging .* or Intel VMX with EPT and "
                 r"unrestricted guest \(bochs: corei5_arrandale_m520 or newer\); halting$")
    check("cpus:" not in r.output, "nothing is started after the refusal", r.output)


if harness.bochs_runs():  # with the other bochs runs
    test("x86: a VMX CPU with EPT but without unrestricted guest (bochs corei5_lynnfield_750) "
         "is refused with a clear message", reqs="REQ-BOOT-003")(x86_vmx_no_unrestricted_guest)


@test("x86: a CPU without SVM is refused with a clear message", reqs="REQ-BOOT-003")
def x86_no_svm(ctx):
    check_refusal(ctx, "qemu64,-svm", r"the CPU has no SVM \(CPUID 0x80000001 ECX bit 2 is clear\)$")


@test("x86: a CPU with SVM but no nested paging is refused", reqs="REQ-BOOT-003")
def x86_no_npt(ctx):
    check_refusal(ctx, "qemu64", r"the CPU has SVM but no nested paging")


# The two-partition test system: module addresses as in
# dts/qemu-x86/two-partitions.dts.
MODULES = {"hello-a": 0x08000000, "hello-b": 0x08100000, "pingpong": 0x08000000}


def partition_system(ctx, name, programs, system="partitions-exit", modules=None, bootargs=None):
    """tests/x86/<system>.dtb with each partition's module sized to the
    program the test loads there (programs: partition name -> program;
    modules: partition name -> module address, MODULES by default;
    bootargs: partition name -> its bootargs)."""
    path = os.path.join(ctx.tmp, "x86-%s.dtb" % name)
    shutil.copyfile(dtb(ctx, system), path)
    loads = []
    for part, program in programs.items():
        image = os.path.join(ctx.build, "x86", "partitions", program + ".bin")
        addr = (modules or MODULES)[part]
        subprocess.run(["fdtput", "-t", "x", path, "/chosen/bulkhead/%s/module@%x" % (part, addr),
                        "reg", "%x" % (addr >> 32), "%x" % (addr & 0xffffffff), "0",
                        "%x" % os.path.getsize(image)], check=True)
        loads.append((image, addr))
    for part, args in (bootargs or {}).items():
        subprocess.run(["fdtput", "-t", "s", path, "/chosen/bulkhead/" + part, "bootargs", args],
                       check=True)
    return path, loads


def run_partitions(ctx, name, programs, smp=4, cpu=qemu.X86_CPU, system="partitions-exit",
                   extra=(), modules=None, mem="1G", icount=False, bootargs=None):
    system, loads = partition_system(ctx, name, programs, system, modules, bootargs)
    if ctx.bochs:
        nodes = [(path, "/chosen/bulkhead/%s/module@%x" % (part, addr))
                 for (path, addr), part in zip(loads, programs)]
        return run_bochs(ctx, name, system, nodes, smp)
    cmd = qemu.x86_command(image(ctx), system, smp=smp, cpu=cpu, loads=loads, extra=extra,
                           mem=mem, icount=icount)
    return qemu.run(cmd, fail=FATAL, timeout=60)


@test("x86: two partitions on their own CPUs print through the virtual 16550, then power off",
      reqs="REQ-PAR-001 REQ-CNS-003", bochs=SVM_AND_VMX)
def x86_two_partitions(ctx):
    r = run_partitions(ctx, "hello", {"hello-a": "hello", "hello-b": "hello"})
    expect_idle_exit(r)
    for name in ("hello-a", "hello-b"):
        expect_lines(r, r"^partition %s: starting on 1 CPU\(s\), entry 0x100000, "
                        r"device tree at 0xff0000, at \d+ ns since reset$" % name,
                     r"^\[%s\] hello from %s \(APIC ID 0, boot 1\)$" % (name, name),
                     r"^\[%s\] %s: line 3 of 3$" % (name, name),
                     r"^\[%s\] hello: done$" % name,
                     r"^partition %s: stopping: hypercall SYSTEM_OFF$" % name,
                     r"^partition %s: stopped$" % name)


@test("x86: a read outside the partition's memory is a nested page fault that stops only it",
      reqs="REQ-ISO-001 REQ-CNT-002", bochs=SVM_AND_VMX)
def x86_memory_isolation(ctx):
    r = run_partitions(ctx, "memtouch", {"hello-a": "memtouch", "hello-b": "hello"})
    expect_idle_exit(r)
    expect_lines(r, r"^\[hello-a\] memtouch: reading guest-physical 0x0*11000000$",
                 r"^partition hello-a: vCPU 0: read at guest-physical 0x11000000 \(rip 0x[0-9a-f]+\): "
                 r"outside the partition's memory$",
                 r"^partition hello-a: stopping: access outside the partition's memory$",
                 r"^partition hello-a: stopped$",
                 r"^\[hello-b\] hello: done$",
                 r"^partition hello-b: stopping: hypercall SYSTEM_OFF$")
    check("still running" not in r.output, "the faulting partition went on", r.output)


@test("x86: an I/O port the partition does not own stops only it",
      reqs="REQ-ISO-002 REQ-CNT-002", bochs=SVM_AND_VMX)
def x86_port_isolation(ctx):
    r = run_partitions(ctx, "porttouch", {"hello-a": "hello", "hello-b": "porttouch"})
    expect_idle_exit(r)
    expect_lines(r, r"^\[hello-b\] porttouch: writing port 0x2f8$",
                 r"^partition hello-b: vCPU 0: write of port 0x2f8 \(1 bytes\) at rip 0x[0-9a-f]+: "
                 r"not the partition's$",
                 r"^partition hello-b: stopping: I/O port outside the partition$",
                 r"^partition hello-b: stopped$",
                 r"^\[hello-a\] hello: done$",
                 r"^partition hello-a: stopping: hypercall SYSTEM_OFF$")
    check("still running" not in r.output, "the partition went on after the port write", r.output)


@test("x86: SYSTEM_RESET restarts only that partition, from a reloaded image",
      reqs="REQ-RST-001", bochs=SVM_AND_VMX)
def x86_reset(ctx):
    r = run_partitions(ctx, "reset", {"hello-a": "reset", "hello-b": "hello"})
    expect_idle_exit(r)
    expect_lines(r, r"^\[hello-a\] reset: boot 1, runs in this image 1$",
                 r"^partition hello-a: restarting \(1\): hypercall SYSTEM_RESET$",
                 r"^\[hello-a\] reset: boot 2, runs in this image 1$",
                 r"^partition hello-a: stopping: hypercall SYSTEM_OFF$",
                 r"^partition hello-b: stopped$")


def check_cpu_model(ctx, cpu):
    r = run_partitions(ctx, "cpu-" + cpu, {"hello-a": "hello", "hello-b": "hello"}, cpu=cpu)
    expect_idle_exit(r)
    expect_lines(r, r"^\[hello-a\] hello: done$", r"^\[hello-b\] hello: done$",
                 r"^partition hello-a: stopped$", r"^partition hello-b: stopped$")


for _cpu in ("EPYC", "max"):
    test("x86: two partitions run with -cpu %s" % _cpu,
         reqs="REQ-PAR-001")(lambda ctx, c=_cpu: check_cpu_model(ctx, c))


@test("x86: a bad configuration is refused with every error named, nothing starts",
      reqs="REQ-CFG-001", bochs=VMX)
def x86_bad_config(ctx):
    r = boot(ctx, "bad-config")
    expect_idle_exit(r)
    expect_lines(r, r"^error: /chosen/bulkhead/p1: property 'cpus': /cpus/cpu@1 is already in "
                    r"partition 'p0'$",
                 r"^error: /chosen/bulkhead/p0: property 'memory': 0x100000-0x1fffff overlaps the "
                 r"hypervisor at 0x100000-0x[0-9a-f]+$",
                 r"^error: /chosen/bulkhead/p1: boot module at 0x10000 \(4096 bytes\) is not in RAM$",
                 r"^error: /chosen/bulkhead/p1: property 'devices': /ioports/serial@2f8 is already "
                 r"assigned to 'p0'$",
                 r"^error: /chosen/bulkhead/p1: property 'devices': /ioports/serial@3f8 belongs to "
                 r"the hypervisor$",
                 r"^configuration: 5 error\(s\); no partition started$")
    check("starting on" not in r.output, "a partition started", r.output)


@test("x86: every example in dts/qemu-x86 passes bulkhead-check", reqs="REQ-CFG-002")
def x86_examples(ctx):
    tool = os.path.join(ctx.build, "tools", "bulkhead-check")
    examples = os.listdir(os.path.join(ctx.top, "dts", "qemu-x86"))
    names = sorted(p[:-len(".dts")] for p in examples if p.endswith(".dts"))
    check(names, "expected examples in dts/qemu-x86")
    for name in names:
        r = subprocess.run(["timeout", "30", tool, dtb(ctx, name)], capture_output=True, text=True)
        check(r.returncode == 0 and r.stdout.startswith("OK: "),
              "%s: exit %d" % (name, r.returncode), r.stdout)


@test("x86: a second vCPU starts with the CPU_ON hypercall, sends an IPI, turns itself off",
      reqs="REQ-HYP-003 REQ-ISO-004", bochs=VMX)
def x86_smp_partition(ctx):
    r = run_partitions(ctx, "smp", {"hello-a": "smp", "hello-b": "hello"}, system="smp-partition")
    expect_idle_exit(r)
    expect_lines(r, r"^partition hello-a: starting on 2 CPU\(s\)",
                 r"^\[hello-a\] smp: vCPU 0 starts vCPU 1: 0$",
                 r"^\[hello-a\] smp: again while it runs: -3$",
                 r"^\[hello-a\] smp: vCPU 5: -2$",
                 r"^\[hello-a\] smp: vCPU 1 up, arg 0x1234$",
                 r"^\[hello-a\] smp: IPI from vCPU 1 taken on vCPU 0$",
                 r"^\[hello-a\] smp: vCPU 1 turning itself off$",
                 r"^\[hello-a\] smp: vCPU 1 is off$",
                 r"^partition hello-a: stopped$",
                 r"^\[hello-b\] hello from hello-b \(APIC ID 0, boot 1\)$",
                 r"^partition hello-b: stopped$")


@test("x86: two partitions with two vCPUs each (-smp 4, CPU 0 runs one too), each in its own memory",
      reqs="REQ-PAR-001 REQ-ISO-001", bochs=VMX)
def x86_two_smp_partitions(ctx):
    r = run_partitions(ctx, "smp2x2", {"hello-a": "smp", "hello-b": "sipi"}, system="smp-partitions")
    expect_idle_exit(r)
    expect_lines(r, r"^partition hello-a: starting on 2 CPU\(s\)",
                 r"^partition hello-b: starting on 2 CPU\(s\)",
                 r"^\[hello-a\] smp: vCPU 1 up, arg 0x1234$",
                 r"^\[hello-a\] smp: IPI from vCPU 1 taken on vCPU 0$",
                 r"^\[hello-a\] smp: vCPU 1 is off$",
                 r"^\[hello-b\] sipi: vCPU 1 up, started in real mode at CS 0x800, arg 0x1$",
                 r"^\[hello-b\] sipi: vCPU 1 is off$",
                 r"^partition hello-a: stopped$",
                 r"^partition hello-b: stopped$")


@test("x86: a vCPU started by INIT and start-up IPIs through the virtual local APIC, in real mode",
      reqs="REQ-HYP-003", bochs=SVM_AND_VMX)
def x86_init_sipi(ctx):
    r = run_partitions(ctx, "sipi", {"hello-a": "sipi", "hello-b": "hello"}, system="smp-partition")
    expect_idle_exit(r)
    expect_lines(r, r"^\[hello-a\] sipi: vCPU 1 is off$",
                 r"^\[hello-a\] sipi: INIT-SIPI-SIPI to vCPU 1: 0$",
                 r"^\[hello-a\] sipi: vCPU 1 up, started in real mode at CS 0x800, arg 0x1$",
                 r"^\[hello-a\] sipi: vCPU 1 returned and is off$",
                 r"^\[hello-a\] sipi: a start-up IPI without INIT: vCPU 1 stays off$",
                 r"^\[hello-a\] sipi: INIT-SIPI-SIPI again: 0$",
                 r"^\[hello-a\] sipi: vCPU 1 up, started in real mode at CS 0x800, arg 0x2$",
                 r"^\[hello-a\] sipi: INIT and SIPI while it runs: vCPU 1 carries on$",
                 r"^\[hello-a\] sipi: rt_cpu_on_sipi while it runs: -3$",
                 r"^\[hello-a\] sipi: vCPU 1 is off$",
                 r"^partition hello-a: stopped$")


@test("x86: the portable sample pingpong (IPIs both ways, one-shot timer ticks) prints what "
      "it prints on arm64",
      reqs="REQ-PAR-001 REQ-IRQ-003", bochs=VMX)
def x86_pingpong(ctx):
    r = run_partitions(ctx, "pingpong", {"pingpong": "pingpong"}, system="pingpong")
    expect_idle_exit(r)
    check_pingpong(r)
    expect_lines(r, r"^partition pingpong: starting on 2 CPU\(s\)",
                 r"^partition pingpong: stopping: hypercall SYSTEM_OFF$",
                 r"^partition pingpong: stopped$")


@test("x86: the guest's TSC runs at the rate CPUID 0x40000010 reports and agrees with the "
      "hypervisor's clock",
      reqs="REQ-TIM-003", bochs=VMX)
def x86_guest_tsc(ctx):
    r = run_partitions(ctx, "tsc", {"hello-a": "hello", "hello-b": "tsc"})
    expect_idle_exit(r)
    host_khz = r.search(r"^timer: TSC (\d+) kHz")
    guest_khz = r.search(r"^\[hello-b\] tsc: (\d+) kHz$")
    start = r.search(r"^partition hello-b: starting on .* at (\d+) ns since reset$")
    guest_ns = r.search(r"^\[hello-b\] tsc: main\(\) at (\d+) ns since reset$")
    check(host_khz and guest_khz and start and guest_ns, "expected the TSC lines", r.output)
    check(guest_khz.group(1) == host_khz.group(1), "the guest reads %s kHz, the hypervisor "
          "calibrated %s kHz" % (guest_khz.group(1), host_khz.group(1)), r.output)
    # Later than the partition's start by the little the runtime does first
    # (a second of slack for a loaded host; TCG runs in real time).
    lag = int(guest_ns.group(1)) - int(start.group(1))
    check(0 <= lag < 1000000000, "main() at %d ns from the partition's start" % lag, r.output)


@test("x86: Bulkhead's own calls by the CPU's hypercall instruction (CPUID 0x40000001: VMMCALL "
      "on SVM, VMCALL on VMX, where VMMCALL's #UD is the call too) reach the core dispatcher "
      "(revision, identity, a doorbell refused)",
      reqs="REQ-HYP-001 REQ-HYP-002", bochs=SVM_AND_VMX)
def x86_vendor_calls(ctx):
    r = run_partitions(ctx, "vendorcall", {"hello-a": "hello", "hello-b": "vendorcall"})
    expect_idle_exit(r)
    vmx = ctx.bochs == bochs.VMX_CPU
    expect_lines(r, r"^\[hello-b\] vendorcall: hypercall by %s$" % ("VMCALL" if vmx else "VMMCALL"),
                 r"^\[hello-b\] vendorcall: revision 1\.2$",
                 r"^\[hello-b\] vendorcall: partition 1, vCPU 0 of 1$",
                 r"^\[hello-b\] vendorcall: doorbell of channel 0: -3$",
                 r"^partition hello-b: stopped$")
    by_ud = r.search(r"^\[hello-b\] vendorcall: revision by VMMCALL too: 1\.2$") is not None
    check(by_ud == vmx, "VMMCALL's #UD taken as the hypercall on VMX (asked there only): %s"
          % by_ud, r.output)


@test("x86: a passthrough 16550 is the partition's alone; its interrupt reaches the guest",
      reqs="REQ-ISO-002 REQ-IRQ-002")
def x86_passthrough(ctx):
    com2 = os.path.join(ctx.tmp, "x86-com2.txt")
    if os.path.exists(com2):
        os.remove(com2)
    r = run_partitions(ctx, "passthrough", {"hello-a": "com2irq", "hello-b": "porttouch"},
                       system="passthrough", extra=["-serial", "file:" + com2])
    expect_idle_exit(r)
    expect_lines(r, r"^\[hello-a\] com2irq: /ioports/serial@2f8 in the device tree, interrupt 3$",
                 r"^\[hello-a\] com2irq: interrupt on pin 3, IIR 0x[0-9a-f]*2$",
                 r"^partition hello-a: stopping: hypercall SYSTEM_OFF$",
                 r"^partition hello-b: vCPU 0: write of port 0x2f8 \(1 bytes\) at rip 0x[0-9a-f]+: "
                 r"not the partition's$",
                 r"^partition hello-b: stopping: I/O port outside the partition$")
    with open(com2, "rb") as f:
        written = f.read()
    check(written == b"hello COM2 from the partition\r\n",
          "COM2 received %r from the partition" % written, r.output)


@test("x86: passthrough MMIO (the HPET) is the owner's, without traps; the neighbour is stopped",
      reqs="REQ-ISO-002")
def x86_passthrough_mmio(ctx):
    r = run_partitions(ctx, "hpet", {"hello-a": "hpet", "hello-b": "hpet"},
                       system="passthrough-mmio")
    expect_idle_exit(r)
    expect_lines(r, r"^\[hello-a\] hpet: in my device tree; vendor 0x8086, period 10000000 fs$",
                 r"^\[hello-a\] hpet: main counter advances$",
                 r"^partition hello-a: stopping: hypercall SYSTEM_OFF$",
                 r"^\[hello-b\] hpet: not in my device tree; reading it anyway$",
                 r"^partition hello-b: vCPU 0: read at guest-physical 0xfed00000 \(rip 0x[0-9a-f]+\): "
                 r"outside the partition's memory$",
                 r"^partition hello-b: stopping: access outside the partition's memory$")
    check("hello-b] hpet: still running" not in r.output, "hello-b read the HPET", r.output)


@test("x86: a partition that stops kicking its watchdog is restarted and resumes "
      "(the core's health monitor, the local APIC timer as its clock)",
      reqs="REQ-RST-002", bochs=VMX)
def x86_watchdog(ctx):
    r = run_partitions(ctx, "watchdog", {"hello-a": "watchdog", "hello-b": "hello"},
                       system="watchdog", icount=True)
    expect_idle_exit(r)
    expect_lines(r, r"^\[hello-a\] watchdog: boot 1$",
                 r"^\[hello-a\] watchdog: boot 1, kick 1: status 0, timeout 50 ms$",
                 r"^\[hello-a\] watchdog: boot 1, kick 5: status 0, timeout 50 ms$",
                 r"^\[hello-a\] watchdog: boot 1: hanging without kicks$",
                 r"^partition hello-a: watchdog expired \(no kick for 50 ms\): restart$",
                 r"^partition hello-a: restarting \(1\): watchdog expired$",
                 r"^\[hello-a\] watchdog: boot 2$",
                 r"^\[hello-a\] watchdog: boot 2, kick 3: status 0, timeout 50 ms$",
                 r"^\[hello-a\] watchdog: boot 2: resumed, health report: status 0$",
                 r"^\[hello-a\] watchdog: bad health report: status -2$",
                 r"^partition hello-a: stopped$")
    check(len(r.findall(r"^partition hello-a: restarting")) == 1, "expected one restart",
          r.output)


@test("x86: a partition without a watchdog is denied the kick", reqs="REQ-RST-002 REQ-HYP-002")
def x86_watchdog_denied(ctx):
    system, loads = partition_system(ctx, "nowatchdog", {"hello-a": "watchdog", "hello-b": "hello"})
    cmd = qemu.x86_command(image(ctx), system, smp=4, loads=loads, icount=True)
    r = qemu.run(cmd, until=r"^\[hello-a\] watchdog: boot 1: hanging", fail=FATAL, timeout=60)
    check(r.matched, "the partition should run (%s)" % r.reason, r.output)
    expect_lines(r, r"^\[hello-a\] watchdog: boot 1, kick 1: status -3, timeout 0 ms$")


def check_com2level(ctx, system, flags, count):
    """The com2level guest on COM2 with DT trigger `flags`: `count`
    interrupts with the cause left set, none more once cleared, on both
    boots (the first restarts the partition before an end of interrupt)."""
    r = run_partitions(ctx, system, {"hello-a": "com2level", "hello-b": "hello"}, system=system,
                       extra=["-serial", "null"])
    expect_idle_exit(r)
    lines = []
    for boot in (1, 2):
        lines += [r"^\[hello-a\] com2level: boot %d, interrupt 3, flags %d$" % (boot, flags),
                  r"^\[hello-a\] com2level: first interrupt ended with its cause set: "
                  r"%d interrupt\(s\) after 20 ms$" % count,
                  r"^\[hello-a\] com2level: cause cleared: %d interrupt\(s\) after 20 ms more$"
                  % count]
        if boot == 1:
            lines += [r"^\[hello-a\] com2level: restarting in the next interrupt's handler$",
                      r"^partition hello-a: restarting \(1\): hypercall SYSTEM_RESET$"]
    expect_lines(r, *lines, r"^partition hello-a: stopping: hypercall SYSTEM_OFF$")


@test("x86: a level-triggered I/O APIC pin (DT flags 2) delivers again while its cause stays, "
      "not after it is cleared, and is re-armed when its partition restarts", reqs="REQ-IRQ-002")
def x86_level_irq(ctx):
    check_com2level(ctx, "passthrough-level", 2, 2)


@test("x86: the same guest on an edge-triggered pin (DT flags 0) gets one interrupt only",
      reqs="REQ-IRQ-002")
def x86_edge_irq(ctx):
    check_com2level(ctx, "passthrough", 0, 1)


@test("x86: an I/O APIC trigger the binding does not define is refused, naming node and property",
      reqs="REQ-CFG-001")
def x86_bad_trigger(ctx):
    expect_refused(ctx, "bad-trigger",
                   r"^error: /chosen/bulkhead/hello-a: property 'devices': /ioports/serial@2f8: "
                   r"'interrupts' 0: trigger 4 is not 0-3 \(rising edge, low level, high level, "
                   r"falling edge\)$")


@test("x86: cache colouring is refused with a clear error: the port does not colour memory yet",
      reqs="REQ-COL-002")
def x86_bad_colours(ctx):
    expect_refused(ctx, "bad-colours",
                   r"^error: /chosen/bulkhead/hello-a: property 'bulkhead,colours': this port does "
                   r"not colour partitions' memory \(docs/colouring.md\)$")


@test("x86: a channel between two partitions: a message, doorbells both ways (local APIC "
      "vectors; by hypercall, and back through an emulated doorbell page); the read-only end's "
      "write is contained",
      reqs="REQ-CHN-001 REQ-CHN-002 REQ-CHN-003", bochs=VMX)
def x86_channel(ctx):
    r = run_partitions(ctx, "channel", {"hello-a": "chan", "hello-b": "chan"}, system="channel")
    expect_idle_exit(r)
    expect_lines(r, r"^\[hello-a\] chan: channel 0 to hello-b, rw, doorbell vector 0x40$",
                 r"^\[hello-b\] chan: channel 0 to hello-a, ro, doorbell vector 0x41$",
                 r"^\[hello-b\] chan: doorbell page at 0x0*2100000, its ID register reads 0$",
                 r"^\[hello-b\] chan: doorbell; the region says \"hello over channel 0\"$",
                 r"^\[hello-a\] chan: hello-b rang back$",
                 r"^partition hello-a: stopping: hypercall SYSTEM_OFF$",
                 r"^\[hello-b\] chan: writing to my read-only end$",
                 r"^partition hello-b: vCPU 0: write to a read-only channel at guest-physical "
                 r"0x2000000 \(rip 0x[0-9a-f]+\): #GP injected$",
                 r"^\[hello-b\] rt: exception 13 \(error 0x0\) at rip 0x[0-9a-f]+ on vCPU 0$",
                 r"^partition hello-b: stopped$")
    check("the write went through" not in r.output, "the read-only end wrote", r.output)
    check("DOORBELL" not in r.output, "a doorbell was refused", r.output)


@test("x86: doorbells counted: 100 paced rings each way, taken one for one (one rung while the "
      "receiver's interrupts are off, taken once it enables them); a burst of 50 to a masked "
      "receiver coalesces; at most one kick of the receiver's CPU per interrupt made pending",
      reqs="REQ-CHN-003", bochs=VMX)
def x86_doorbell_count(ctx):
    rounds, burst = 100, 50
    r = run_partitions(ctx, "doorbells", {"hello-a": "doorbells", "hello-b": "doorbells"},
                       system="channel")
    expect_idle_exit(r)
    expect_lines(r, r"^\[hello-b\] doorbells: %d taken of %d paced, 0 of them while my interrupts "
                 r"were off$" % (rounds, rounds),
                 r"^\[hello-b\] doorbells: a burst of %d rung while my interrupts were off, "
                 r"taken [12] time\(s\)$" % burst,
                 r"^\[hello-a\] doorbells: rang %d paced and %d in a burst; %d rung back$"
                 % (rounds, burst, rounds + 1))
    # hello-b: every paced ring and the burst raised; a kick per paced ring
    # at most, and one for the whole burst (the rest find it pending).
    # hello-a: hello-b's rings back, each one interrupt.
    for name, raised in (("hello-b", rounds + burst), ("hello-a", rounds + 1)):
        m = r.search(r"^partition %s: doorbells: (\d+) raised, (\d+) kick\(s\)$" % name)
        check(m is not None, "no doorbell report for %s" % name, r.output)
        check(int(m.group(1)) == raised, "%s: %s doorbells raised, %d rung"
              % (name, m.group(1), raised), r.output)
        check(int(m.group(2)) <= rounds + 1, "%s: %s kicks for %d interrupts made pending"
              % (name, m.group(2), rounds + 1), r.output)


@test("x86: a channel doorbell that is no local APIC vector a doorbell may use is refused",
      reqs="REQ-CHN-003 REQ-CFG-001", bochs=VMX)
def x86_bad_channel_vector(ctx):
    expect_refused(ctx, "bad-channel-vector",
                   r"^error: /chosen/bulkhead/channel@0: property 'doorbell-intids': end 1: "
                   r"1000 is not a local APIC vector \(56-239\)$")


@test("x86: a restart writes the partition's reset-registers, to MMIO (the HPET) and to a port "
      "(COM2), before it boots again", reqs="REQ-RST-004")
def x86_reset_registers(ctx):
    r = run_partitions(ctx, "devreset", {"hello-a": "devreset", "hello-b": "hello"},
                       system="devreset", extra=["-serial", "null"])
    expect_idle_exit(r)
    expect_lines(r, r"^\[hello-a\] devreset: boot 1: HPET disabled, COM2 modem control 0x[0-9a-f]+$",
                 r"^\[hello-a\] devreset: boot 1: HPET enabled, COM2 modem control 0xb; "
                 r"restarting$",
                 r"^partition hello-a: restarting \(1\): hypercall SYSTEM_RESET$",
                 r"^\[hello-a\] devreset: boot 2: HPET disabled, COM2 modem control 0x0$",
                 r"^partition hello-a: stopped$")


@test("x86: a PCI device's legacy interrupt (QEMU's edu, INTA routed to I/O APIC pin 21, "
      "level, active low) reaches its partition once per raise", reqs="REQ-IRQ-002 REQ-PAR-002")
def x86_pci_intx(ctx):
    r = run_partitions(ctx, "pci-intx", {"hello-a": "pciedu", "hello-b": "hello"},
                       system="pci-intx", extra=["-device", "edu,addr=5.0"])
    expect_idle_exit(r)
    expect_lines(r, r"^\[hello-a\] pciedu: edu at 0x0*fea00000 \(identification 0x10000ed\), "
                    r"pin 21$",
                 r"^\[hello-a\] pciedu: 5 raised, 5 taken, the last on pin 21 with status 0x5$",
                 r"^partition hello-a: stopping: hypercall SYSTEM_OFF$",
                 r"^\[hello-b\] hello: done$")


@test("x86: a PCI function's MSI (QEMU's edu as bulkhead,pci-function): its configuration space "
      "filtered, its MSI delivered to the vCPU it names, once per raise; disabled again on a "
      "restart", reqs="REQ-IRQ-007 REQ-ISO-009")
def x86_pci_msi(ctx):
    r = run_partitions(ctx, "pci-msi", {"hello-a": "pcimsi", "hello-b": "hello"},
                       system="pci-msi", extra=["-device", "edu,addr=5.0"])
    expect_idle_exit(r)
    expect_lines(r, r"^partition hello-a: PCI function 00:05.0, MSI at hypervisor vector 0x58$",
                 r"^\[hello-a\] pcimsi: function 0x28: ID 0x11e81234, BAR0 0xfea00000 \(0xfea00000 "
                 r"after writing all ones\)$",
                 r"^\[hello-a\] pcimsi: 00:00.0 ID 0xffffffff; MSI capability at 0x[4-9a-f][0-9a-f]$",
                 r"^\[hello-a\] pcimsi: MSI enabled for vCPU 0 at vector 0x45$",
                 r"^\[hello-a\] pcimsi: 5 raised, 5 taken at vector 0x45, 0 at others$",
                 r"^\[hello-a\] pcimsi: restarting$",
                 r"^partition hello-a: restarting \(1\): hypercall SYSTEM_RESET$",
                 r"^partition hello-a: PCI function 00:05.0: 5 MSI\(s\) delivered, 0 of them on "
                 r"another CPU than their vCPU's$",
                 r"^\[hello-a\] pcimsi: boot 2: MSI disabled, address 0x0, data 0x0$",
                 r"^partition hello-a: stopped$",
                 r"^\[hello-b\] hello: done$")


@test("x86: a PCI function's MSI moved from vCPU 0 to vCPU 1 of a 2-vCPU partition follows it to "
      "that vCPU's CPU: each raise taken there, none on vCPU 0, none arriving elsewhere",
      reqs="REQ-IRQ-007")
def x86_pci_msi_smp(ctx):
    r = run_partitions(ctx, "pci-msi-smp", {"hello-a": "pcimsi", "hello-b": "hello"},
                       system="pci-msi-smp", extra=["-device", "edu,addr=5.0"])
    expect_idle_exit(r)
    expect_lines(r, r"^\[hello-a\] pcimsi: 5 raised, 5 taken at vector 0x45, 0 at others$",
                 r"^\[hello-a\] pcimsi: MSI enabled for vCPU 1 at vector 0x45$",
                 r"^\[hello-a\] pcimsi: 5 raised for vCPU 1, 5 taken there, 0 on vCPU 0$",
                 r"^partition hello-a: PCI function 00:05.0: 10 MSI\(s\) delivered, 0 of them on "
                 r"another CPU than their vCPU's$",
                 r"^\[hello-a\] pcimsi: boot 2: MSI disabled, address 0x0, data 0x0$",
                 r"^partition hello-a: stopped$")


@test("x86: a PCI function's MSI-X (QEMU's e1000e): its table's pages trap, each entry validated "
      "and rewritten to a hypervisor vector; entry 0 for vCPU 0 and entry 1 for vCPU 1 each "
      "taken once per raise on its own vCPU; entry and function masks hold a raise pending "
      "until unmasked; on a restart MSI-X is disabled and the entries masked",
      reqs="REQ-IRQ-012 REQ-ISO-009")
def x86_pci_msix(ctx):
    r = run_partitions(ctx, "pci-msix", {"hello-a": "pcimsix", "hello-b": "hello"},
                       system="pci-msix", extra=["-device", "e1000e,addr=5.0"], icount=True)
    expect_idle_exit(r)
    expect_lines(r, r"^partition hello-a: PCI function 00:05.0, MSI-X table at 0xfebd0000 \(5 "
                    r"entries, hypervisor vectors 0x60-0x64\), PBA at 0xfebd2000$",
                 r"^\[hello-a\] pcimsix: function 0x28: MSI-X capability at 0x[4-9a-f][0-9a-f], 5 "
                 r"entries, table BAR3\+0x0 \(0xfebd0000\), PBA BAR3\+0x2000$",
                 r"^\[hello-a\] pcimsix: MSI-X enabled; entry 0 reads address 0xfee00000 data "
                 r"0x45, entry 1 address 0xfee01000 data 0x47$",
                 r"^\[hello-a\] pcimsix: entry 0: 5 raised, 5 taken at 0x45 on vCPU 0, 0 on vCPU 1$",
                 r"^\[hello-a\] pcimsix: entry 1: 5 raised, 5 taken at 0x47 on vCPU 1, 0 on vCPU 0; "
                 r"0 at others$",
                 r"^\[hello-a\] pcimsix: entry 0 masked: pending bit set, 0 taken; unmasked: taken "
                 r"\(6 at 0x45\)$",
                 r"^\[hello-a\] pcimsix: function masked: pending bit set, 0 taken; unmasked: "
                 r"taken \(6 at 0x47 on vCPU 1\)$",
                 r"^\[hello-a\] pcimsix: restarting$",
                 r"^partition hello-a: restarting \(1\): hypercall SYSTEM_RESET$",
                 r"^partition hello-a: PCI function 00:05.0: MSI-X entry 0: 6 message\(s\) "
                 r"delivered$",
                 r"^partition hello-a: PCI function 00:05.0: MSI-X entry 1: 6 message\(s\) "
                 r"delivered$",
                 r"^\[hello-a\] pcimsix: boot 2: MSI-X disabled, function unmasked; entry 0 "
                 r"address 0x0 data 0x0 masked, entry 1 masked$",
                 r"^partition hello-a: stopped$")
    check("refused" not in r.output, "an entry of its own was refused", r.output)


@test("x86: a PCI function whose MSI-X table is outside its device node's reg is refused at "
      "boot, naming the function and the table", reqs="REQ-IRQ-012 REQ-CFG-001")
def x86_pci_msix_outside_reg(ctx):
    r = run_partitions(ctx, "pci-msix-bad-reg", {"hello-a": "hello", "hello-b": "hello"},
                       system="pci-msix-bad-reg", extra=["-device", "e1000e,addr=5.0"])
    expect_idle_exit(r)
    expect_lines(r, r"^error: partition hello-a: the device with 'bulkhead,pci-function' = <0x28> "
                    r"\(00:05\.0\): its MSI-X table \(0xfebd0000, 5 entries\) or PBA \(0xfebd2000\) "
                    r"is not in its 'reg'$",
                 r"^error: partition hello-a: cannot be built: invalid$",
                 r"^no partition started$")
    check("starting on" not in r.output, "a partition started", r.output)


@test("x86: the virtual local APIC (decoded MMIO): ID, periodic timer, self-IPI",
      reqs="REQ-PAR-003 REQ-IRQ-003", bochs=VMX)
def x86_lapic(ctx):
    r = run_partitions(ctx, "lapic", {"hello-a": "lapic", "hello-b": "hello"})
    expect_idle_exit(r)
    expect_lines(r, r"^\[hello-a\] lapic: ID 0, version 0x50014$",
                 r"^\[hello-a\] lapic: TPR written and read with absolute-address MOVs: 0x20$",
                 r"^\[hello-a\] lapic: timer counting, current <= initial$",
                 r"^\[hello-a\] lapic: 20 timer interrupts$",
                 r"^\[hello-a\] lapic: self-IPI received$",
                 r"^partition hello-a: stopping: hypercall SYSTEM_OFF$")


@test("x86: the local APIC timer fires when due, not at the hypervisor's next tick "
      "(-icount: 100 us one-shots and TSC deadlines timed with the TSC of CPUID 0x40000010)",
      reqs="REQ-IRQ-003 REQ-TIM-003", bochs=VMX)
def x86_vtimer_resolution(ctx):
    r = run_partitions(ctx, "vtimer", {"hello-a": "vtimer", "hello-b": "hello"}, icount=True)
    expect_idle_exit(r)
    expect_lines(r, r"^\[hello-a\] vtimer: CPUID 0x40000000 max leaf 0x40000010; "
                    r"local APIC timer 1000000 kHz$",
                 r"^\[hello-a\] vtimer: 20 one-shots of 100 us: each fired on time$",
                 r"^\[hello-a\] vtimer: CPUID 1 offers TSC-deadline mode: yes$",
                 r"^\[hello-a\] vtimer: 20 TSC deadlines 100 us ahead: each fired on time; "
                 r"the MSR reads 0 after$",
                 r"^partition hello-a: stopping: hypercall SYSTEM_OFF$")


@test("x86: a device tree claiming RAM the loader's memory map does not have is refused",
      reqs="REQ-CFG-004")
def x86_bad_memory(ctx):
    r = boot(ctx, "bad-memory", fail=None, until=r"^fatal: ")
    expect_lines(r, r"^error: /memory: 0x100000-0x7fffffff is not all RAM by the multiboot1 memory "
                    r"map: 0x3ffdf000 is not$",
                 r"^fatal: the device tree does not describe a usable machine")
    check("cpus:" not in r.output, "nothing is started", r.output)


# Memory above 4 GiB: q35 with -m 6G (dts/qemu-x86/q35-4cpu-6g.dtsi).
HIMEM_MODULES = {"hello-a": 0x180000000, "hello-b": 0x08100000}
HIMEM_GUEST_MODULES = {"hello-a": 0x08000000, "hello-b": 0x08100000}
HIMEM_MAP = [r"^multiboot1: memory map checked: the device tree's RAM and 1 module\(s\) are RAM$",
             r"^memory: 0x0000000000100000-0x000000007fdfffff \(2045 MiB\)$",
             r"^memory: 0x0000000100000000-0x00000001ffffffff \(4096 MiB\)$",
             r"^memory: 6141 MiB in 2 range\(s\)$"]


@test("x86: -m 6G: a partition in host-physical memory above 4 GiB, its module there too, "
      "boots and restarts with its memory cleared and its image reloaded",
      reqs="REQ-PAR-004 REQ-RST-001")
def x86_himem_host(ctx):
    r = run_partitions(ctx, "himem-host", {"hello-a": "clearcheck", "hello-b": "hello"},
                       system="himem-host", modules=HIMEM_MODULES, mem="6G")
    expect_idle_exit(r)
    expect_lines(r, *HIMEM_MAP)
    expect_lines(r, r"^partition hello-a: starting on 1 CPU\(s\), entry 0x100000, "
                    r"device tree at 0xff0000, at \d+ ns since reset$",
                 r"^\[hello-a\] clearcheck: boot 1, data 0x600dda7a, word at 0x0*800000 0x0$",
                 r"^partition hello-a: restarting \(1\): hypercall SYSTEM_RESET$",
                 r"^\[hello-a\] clearcheck: boot 2, data 0x600dda7a, word at 0x0*800000 0x0$",
                 r"^partition hello-a: stopping: hypercall SYSTEM_OFF$",
                 r"^partition hello-a: stopped$",
                 r"^\[hello-b\] hello: done$",
                 r"^partition hello-b: stopped$")


def himem_word(guest_address):
    """What partitions/x86/tests/himem.c writes at guest_address."""
    return guest_address * 0x9e3779b97f4a7c15 & (2 ** 64 - 1)


def himem_checksum(base, size):
    """What partitions/x86/tests/himem.c reads back from [base, base + size)."""
    total = 0
    for page in range(size // 4096):
        total += himem_word(base + page * 4096 + (page * 8 & 4088))
    return total & (2 ** 64 - 1)


def physical_words(sock, address, count):
    """count 64-bit words of QEMU's physical memory at address (QMP, HMP xp)."""
    text = qemu.qmp_execute(sock, "human-monitor-command",
                            arguments={"command-line": "xp /%dgx %#x" % (count, address)})
    return [int(w, 16) for w in re.findall(r"\b0x([0-9a-f]{16})\b", text)]


def check_himem_guest(ctx, cpu):
    """hello-a's guest 4 GiB is host 5 GiB: the pattern it wrote is found
    there, through QEMU's monitor, and not at host 4 GiB."""
    system, loads = partition_system(ctx, "himem-guest-" + cpu.split(",")[0],
                                     {"hello-a": "himem", "hello-b": "hightouch"},
                                     "himem-guest", HIMEM_GUEST_MODULES)
    sockdir = tempfile.mkdtemp(prefix="bh-qmp-")  # short: Unix socket paths are limited
    sock = os.path.join(sockdir, "qmp")
    found = {}

    def look(name, address, count):
        found[name] = physical_words(sock, address, count)

    try:
        done = r"^\[hello-a\] himem: 1 region\(s\) above 4 GiB$"
        actions = [(done, lambda: look("host 5 GiB", 0x140000000, 1)),
                   (done, lambda: look("host 5 GiB + 4 KiB", 0x140001008, 1)),
                   (done, lambda: look("host 4 GiB", 0x100000000, 1))]
        cmd = qemu.x86_command(image(ctx), system, smp=4, cpu=cpu, loads=loads, mem="6G",
                               extra=["-qmp", "unix:%s,server=on,wait=off" % sock])
        r = qemu.run(cmd, until=r"(?s)(?=.*%s)(?=.*^partition hello-b: stopped$)" % done,
                     fail=FATAL, timeout=60, actions=actions)
    finally:
        shutil.rmtree(sockdir, ignore_errors=True)
    check(r.matched, "himem did not finish beside a stopped hightouch (%s)" % r.reason, r.output)
    expect_lines(r, *HIMEM_MAP)
    expected = {"host 5 GiB": [himem_word(0x100000000)],
                "host 5 GiB + 4 KiB": [himem_word(0x100001008)], "host 4 GiB": [0]}
    check(found == expected, "host-physical memory: %s, expected %s" % (
        {k: [hex(w) for w in v] for k, v in found.items()},
        {k: [hex(w) for w in v] for k, v in expected.items()}), r.output)
    expect_lines(r, r"^\[hello-a\] himem: 0x100000000-0x13fffffff: 262144 pages written and "
                    r"read back, 0 differ, checksum 0x%x$" % himem_checksum(1 << 32, 1 << 30),
                 r"^\[hello-b\] hightouch: reading guest-physical 0x0*140000000$",
                 r"^partition hello-b: vCPU 0: read at guest-physical 0x140000000 "
                 r"\(rip 0x[0-9a-f]+\): outside the partition's memory$",
                 r"^partition hello-b: stopping: access outside the partition's memory$",
                 r"^partition hello-b: stopped$")
    check("still running" not in r.output, "the partition went on after the read", r.output)


# qemu64 has no 1 GiB pages (the nested tables map the 1 GiB with 2 MiB
# pages), EPYC has them (one nested 1 GiB page).
for _cpu in (qemu.X86_CPU, "EPYC"):
    test("x86: -m 6G: a partition's memory at guest-physical 4 GiB holds a pattern, found at "
         "host-physical 5 GiB (-cpu %s); its neighbour reading above 4 GiB is stopped"
         % _cpu.split(",")[0], reqs="REQ-ISO-001 REQ-PAR-004")(
        lambda ctx, c=_cpu: check_himem_guest(ctx, c))


@test("x86: -m 6G: entry or device tree above 4 GiB and memory or a module beyond the RAM "
      "are refused by node and property, nothing starts", reqs="REQ-PAR-004 REQ-CFG-001")
def x86_himem_bad_config(ctx):
    cmd = qemu.x86_command(image(ctx), dtb(ctx, "himem-bad"), smp=4, mem="6G")
    r = qemu.run(cmd, fail=FATAL, timeout=30)
    expect_idle_exit(r)
    expect_lines(r, r"^error: /chosen/bulkhead/p0: property 'load-offset': entry point 0x100100000 "
                    r"is not below 0x100000000, all a starting vCPU reaches$",
                 r"^error: /chosen/bulkhead/p0: property 'memory': region 0 ends at guest "
                 r"0x100ffffff: the device tree at its top is not below 0x100000000, all a "
                 r"starting vCPU reaches$",
                 r"^error: /chosen/bulkhead/p1: property 'entry': entry point 0x100001000 is not "
                 r"below 0x100000000, all a starting vCPU reaches$",
                 r"^error: /chosen/bulkhead/p2: property 'memory': 0x200000000-0x200ffffff is not "
                 r"inside one RAM range$",
                 r"^error: /chosen/bulkhead/p2: boot module at 0x201000000 \(4096 bytes\) is not "
                 r"in RAM$",
                 r"^configuration: 5 error\(s\); no partition started$")
    check("starting on" not in r.output, "a partition started", r.output)


@test("x86: bulkhead-check refuses entry points and device trees above 4 GiB on an x86 "
      "machine, as the hypervisor does", reqs="REQ-PAR-004 REQ-CFG-002")
def x86_himem_bad_config_check(ctx):
    tool = os.path.join(ctx.build, "tools", "bulkhead-check")
    r = subprocess.run(["timeout", "30", tool, dtb(ctx, "himem-bad")], capture_output=True,
                       text=True)
    check(r.returncode == 1, "exit %d, expected 1" % r.returncode, r.stdout + r.stderr)
    lines = r.stdout.splitlines()
    for expected in ("error: /chosen/bulkhead/p0: property 'load-offset': entry point "
                     "0x100100000 is not below 0x100000000, all a starting vCPU reaches",
                     "error: /chosen/bulkhead/p0: property 'memory': region 0 ends at guest "
                     "0x100ffffff: the device tree at its top is not below 0x100000000, all a "
                     "starting vCPU reaches",
                     "error: /chosen/bulkhead/p1: property 'entry': entry point 0x100001000 is "
                     "not below 0x100000000, all a starting vCPU reaches"):
        check(expected in lines, "missing: %s" % expected, r.stdout)


@test("x86: -m 6G: a device tree claiming RAM above 4 GiB the loader's memory map does not have "
      "is refused", reqs="REQ-CFG-004")
def x86_himem_bad_ram(ctx):
    cmd = qemu.x86_command(image(ctx), dtb(ctx, "himem-bad-ram"), smp=4, mem="6G")
    r = qemu.run(cmd, until=r"^fatal: ", timeout=30)
    expect_lines(r, r"^error: /memory: 0x100000000-0x2ffffffff is not all RAM by the multiboot1 "
                    r"memory map: 0x200000000 is not$",
                 r"^fatal: the device tree does not describe a usable machine")
    check("cpus:" not in r.output, "nothing is started", r.output)


def fault_run(ctx):
    cmd = qemu.x86_command(os.path.join(ctx.build, "x86-faulttest", "bulkhead32.elf"),
                           dtb(ctx, "boot-4cpu"), smp=4)
    return qemu.run(cmd, until=r"^fault-test: cpu 0 still running after the faulting CPUs halted$")


@test("x86: an exception in the hypervisor dumps the registers and halts only that CPU",
      reqs="REQ-CNT-003")
def x86_fault(ctx):
    r = fault_run(ctx)
    check(r.matched, "cpu 0 did not report running on after the faults", r.output)
    expect_lines(r, r"^fault-test: cpu 1 reads unmapped address 0xdead00000$",
                 r"^\*\*\* exception on CPU 1: vector 14 \(page fault\), error code 0x0$",
                 r"^RSP 0x[0-9a-f]{16} SS 0x10 CR2 0x0000000dead00000$",
                 r"^CPU 1 halted; other CPUs continue$", r"^cpu 3: online \(hwid 0x3\)$")
    names = set(r.findall(r"\b(R[A-Z0-9]{1,2}) +0x[0-9a-f]{16}"))
    expected = {"RIP", "RSP", "RAX", "RBX", "RCX", "RDX", "RSI", "RDI", "RBP"} | \
        {"R%d" % i for i in range(8, 16)}
    check(expected <= names, "register dump lacks %s" % sorted(expected - names), r.output)


@test("x86: a hypervisor stack overflow is caught at the guard page and halts only that CPU",
      reqs="REQ-CNT-003 REQ-SAF-002")
def x86_stack_overflow(ctx):
    r = fault_run(ctx)
    check(r.matched, "cpu 0 did not report running on after the overflow", r.output)
    expect_lines(r, r"^fault-test: cpu 2 overflows its stack$",
                 r"^\*\*\* exception on CPU 2: vector 14 \(page fault\), error code 0x2 "
                 r"\(stack overflow: guard page hit\)$",
                 r"^CPU 2 halted; other CPUs continue$",
                 r"^x86: own page tables, W\^X, stack guard pages \(\d+ table pages\)$")
    check("cpu 2 survived" not in r.output, "the recursion ran to completion", r.output)


def iso_command(iso, mem="1G"):
    """q35 booting @iso from its CD drive (SeaBIOS, then GRUB)."""
    return [qemu.QEMU_X86, "-M", qemu.X86_MACHINE, "-accel", "tcg", "-cpu", qemu.X86_CPU,
            "-smp", "4", "-m", mem, "-display", "none", "-monitor", "none", "-serial", "stdio",
            "-nic", "none", "-cdrom", iso]


def derived_iso(ctx, name, edit):
    """The demo ISO's tree (build/x86/iso) copied, changed by edit(tree) and
    made into an ISO again with grub-mkrescue; its path."""
    tree = os.path.join(ctx.tmp, "x86-iso-" + name)
    shutil.rmtree(tree, ignore_errors=True)
    shutil.copytree(os.path.join(ctx.build, "x86", "iso"), tree)
    edit(tree)
    iso = os.path.join(ctx.tmp, "x86-%s.iso" % name)
    subprocess.run(["timeout", "120", "grub-mkrescue", "-o", iso, tree], check=True,
                   capture_output=True)
    return iso


@test("x86: the GRUB ISO (make x86-iso) boots Bulkhead by multiboot2; GRUB places the "
      "partitions' modules, Bulkhead fills them into the device tree", reqs="REQ-BOOT-001")
def x86_grub_iso(ctx):
    iso = os.path.join(ctx.build, "x86", "bulkhead.iso")
    cmd = iso_command(iso)
    until = "(?s)(?=.*^partition hello-a: stopped$)(?=.*^partition hello-b: stopped$)"
    r = qemu.run(cmd, until=until, fail=FATAL, timeout=60)
    check(r.matched, "the demo's partitions did not both run to their end (%s)" % r.reason,
          r.output)
    expect_lines(r, r"^x86: entered from multiboot2 on APIC ID 0 at \d+ ns since reset, "
                    r"device tree at 0x[0-9a-f]+ \(module \"dtb\"\)$",
                 r"^x86: 2 boot module\(s\) placed by the loader, their nodes' reg set to match$",
                 r"^multiboot2: memory map checked: the device tree's RAM and 3 module\(s\) are RAM$",
                 r"^\[hello-a\] hello: done$", r"^\[hello-b\] hello: done$")


@test("x86: a GRUB module naming no module node of the device tree is refused by name",
      reqs="REQ-CFG-001")
def x86_grub_bad_module(ctx):
    def rename_module(tree):
        cfg = os.path.join(tree, "boot", "grub", "grub.cfg")
        with open(cfg) as f:
            text = f.read().replace("hello-b/module@8100000", "hello-b/no-such-module")
        with open(cfg, "w") as f:
            f.write(text)

    cmd = iso_command(derived_iso(ctx, "bad", rename_module))
    r = qemu.run(cmd, until=r"^fatal: multiboot module", timeout=60)
    check(r.matched, "no refusal (%s)" % r.reason, r.output)
    expect_lines(r, r"^fatal: multiboot module \"bulkhead-module=/chosen/bulkhead/hello-b/"
                    r"no-such-module\": its bulkhead-module= path is not a boot module node")
    check(r.search(r"^partition .*: starting") is None, "a partition started", r.output)


@test("x86: -m 6G through GRUB: the multiboot2 memory map has both RAM ranges; partitions in "
      "memory above 4 GiB run (dts/qemu-x86/two-partitions-6g.dts)",
      reqs="REQ-BOOT-001 REQ-PAR-004")
def x86_grub_himem(ctx):
    def high_memory_system(tree):
        shutil.copyfile(dtb(ctx, "two-partitions-6g"), os.path.join(tree, "boot", "system.dtb"))

    cmd = iso_command(derived_iso(ctx, "6g", high_memory_system), mem="6G")
    until = "(?s)(?=.*^partition hello-a: stopped$)(?=.*^partition hello-b: stopped$)"
    r = qemu.run(cmd, until=until, fail=FATAL, timeout=60)
    check(r.matched, "the partitions did not both run to their end (%s)" % r.reason, r.output)
    expect_lines(r, r"^x86: entered from multiboot2 on APIC ID 0",
                 r"^multiboot2: memory map checked: the device tree's RAM and 3 module\(s\) are RAM$",
                 *HIMEM_MAP[1:])
    expect_lines(r, r"^\[hello-a\] hello: done$", r"^\[hello-b\] hello: done$")
