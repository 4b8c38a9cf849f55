# SPDX-License-Identifier: Apache-2.0
"""Console drivers on emulated boards: the Cadence UART of QEMU's ZCU102 model
with the untouched Linux 6.1 board tree, a console behind bus `ranges`, and a
console no driver takes refused by node on the host."""

import os
import re
import subprocess

from lib import qemu
from lib.harness import check, expect_lines, test

LINUX_SOURCE = "/usr/src/linux-source-6.1.tar.xz"
ZCU102_DTS = "arch/arm64/boot/dts/xilinx/zynqmp-zcu102-rev1.0.dts"


def linux_tree(ctx):
    """A Linux 6.1 tree holding the ZCU102's DTS and the headers it includes:
    `make boards`'s unpacked tree if it has them, else the few files unpacked
    once into the build directory."""
    for top in (os.path.join(ctx.build, "linux-dts"), os.path.join(ctx.build, "linux-zcu102")):
        if os.path.exists(os.path.join(top, ZCU102_DTS)) and \
                os.path.exists(os.path.join(top, "include/uapi/linux/input-event-codes.h")):
            return top
    top = os.path.join(ctx.build, "linux-zcu102")
    os.makedirs(top, exist_ok=True)
    subprocess.run(["tar", "-xJf", LINUX_SOURCE, "-C", top, "--strip-components=1", "--wildcards",
                    "linux-source-6.1/include/dt-bindings/*",
                    "linux-source-6.1/include/uapi/linux/input-event-codes.h",
                    "linux-source-6.1/arch/arm64/boot/dts/xilinx/*"], check=True)
    return top


def zcu102_dtb(ctx):
    """The ZCU102 rev 1.0 board tree, compiled as Linux's build does."""
    top = linux_tree(ctx)
    pre = os.path.join(ctx.tmp, "zcu102.dts.pre")
    out = os.path.join(ctx.tmp, "zcu102.dtb")
    subprocess.run(["cpp", "-nostdinc", "-I", "include", "-I", "arch/arm64/boot/dts",
                    "-I", "include/uapi", "-undef", "-x", "assembler-with-cpp", ZCU102_DTS,
                    "-o", os.path.abspath(pre)], cwd=top, check=True)
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", out, pre], check=True)
    return out


@test("consoles: ZCU102 (QEMU xlnx-zcu102, Linux 6.1 board tree): the banner on the Cadence "
      "UART stdout-path names, its GIC-400 accepted, then a fatal line instead of a silent halt",
      reqs="REQ-BRD-002 REQ-CNS-002")
def zcu102_cadence(ctx):
    dtb = zcu102_dtb(ctx)
    # serial0 is the first Cadence UART (stdout); the second goes nowhere, so
    # everything seen came through the driver on the UART the DT names.
    cmd = ["qemu-system-aarch64", "-M", "xlnx-zcu102,virtualization=on", "-m", "4G",
           "-display", "none", "-monitor", "none", "-serial", "stdio", "-serial", "null",
           "-icount", "shift=0,sleep=off", "-kernel", ctx.image, "-dtb", dtb]
    r = qemu.run(cmd, until=r"^fatal: ", timeout=60)
    check(r.matched, "no fatal line: the hypervisor did not report (%s)" % r.reason, r.output)
    expect_lines(r, r"^Bulkhead \S+ \(arm64\), a static partitioning hypervisor$",
                 r"^arm64: entered at EL2 on MPIDR 0x0",
                 r"^console: UART at 0xff000000, found from /chosen/stdout-path$",
                 r"^console: Cadence UART driver, ",
                 r"^fatal: ")
    # Its GIC-400 is no longer refused (docs/gicv2.md).
    check(r.search(r"interrupt-controller@f9010000: property 'compatible'") is None,
          "the GIC-400 was refused", r.output)


def virt_dts(ctx, name):
    """QEMU virt's own tree as source text, for edits dtc cannot make."""
    dtb = qemu.dump_dtb(os.path.join(ctx.tmp, name + "-orig.dtb"), smp=2)
    return subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", dtb], check=True,
                          capture_output=True, text=True).stdout


def compile_dts(ctx, name, text):
    src = os.path.join(ctx.tmp, name + ".dts")
    out = os.path.join(ctx.tmp, name + ".dtb")
    with open(src, "w", encoding="utf-8") as f:
        f.write(text)
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", out, src], check=True)
    return out


@test("consoles: a console behind a bus's ranges is driven at its CPU address, not its bus "
      "address", reqs="REQ-CNS-002 REQ-CFG-004")
def console_through_ranges(ctx):
    text = virt_dts(ctx, "ranges")
    # Move the PL011 under a bus that shows it at another address, as
    # the Raspberry Pi 4's tree does: bus 0x7e000000 at CPU 0x8e00000, so the
    # UART at bus address 0x7e200000 is at CPU 0x9000000.
    m = re.search(r"\n\tpl011@9000000 \{.*?\n\t\};\n", text, re.S)
    check(m is not None, "no PL011 node in QEMU's tree", text)
    node = m.group(0).replace("pl011@9000000", "serial@7e200000")
    node = re.sub(r"reg = <0x00 0x9000000 0x00 0x1000>;", "reg = <0x7e200000 0x1000>;", node)
    check("0x7e200000 0x1000" in node, "the PL011's reg was not rewritten", node)
    node = node.replace("\n\t", "\n\t\t")
    bus = ("\n\tsoc {\n\t\tcompatible = \"simple-bus\";\n\t\t#address-cells = <0x01>;\n"
           "\t\t#size-cells = <0x01>;\n\t\tranges = <0x7e000000 0x00 0x8e00000 0x1000000>;\n"
           + node.lstrip("\n") + "\t};\n")
    text = text[:m.start()] + bus + text[m.end():]
    text = re.sub(r'stdout-path = "[^"]*";', 'stdout-path = "/soc/serial@7e200000:115200n8";', text)
    dtb = compile_dts(ctx, "ranges", text)
    r = qemu.run(qemu.arm64_command(ctx.image, smp=2, dtb=dtb), until=r"^all \d+ CPUs online",
                 fail=r"^fatal")
    check(r.matched, "the hypervisor did not boot on the translated console (%s)" % r.reason,
          r.output)
    expect_lines(r, r"^console: UART at 0x9000000, found from /chosen/stdout-path$",
                 r"^console: PL011 driver, ", r"^all 2 CPUs online")


@test("consoles: bulkhead-check refuses a stdout-path UART no driver takes, by node and "
      "compatible, rather than picking another", reqs="REQ-CNS-001 REQ-CFG-002")
def undrivable_console_refused(ctx):
    text = virt_dts(ctx, "undrivable")
    text = text.replace('compatible = "arm,pl011\\0arm,primecell";',
                        'compatible = "acme,uart";', 1)
    check('"acme,uart"' in text, "the PL011's compatible was not rewritten", text)
    # A second, drivable PL011 that must not be picked instead.
    text = text.replace("\tchosen {", "\tpl011@9100000 {\n\t\tcompatible = \"arm,pl011\";\n"
                        "\t\treg = <0x00 0x9100000 0x00 0x1000>;\n\t};\n\n\tchosen {", 1)
    dtb = compile_dts(ctx, "undrivable", text)
    tool = os.path.join(ctx.build, "tools", "bulkhead-check")
    r = subprocess.run(["timeout", "30", tool, dtb], capture_output=True, text=True)
    check(r.returncode == 1, "bulkhead-check exit %d, expected 1" % r.returncode, r.stdout)
    check('error: /pl011@9000000: compatible "acme,uart": no console driver for it\n'
          in r.stdout, "the refusal does not name the node and compatible", r.stdout)
    check("9100000" not in r.stdout, "another UART was considered", r.stdout)
