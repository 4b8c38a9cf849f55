# SPDX-License-Identifier: Apache-2.0
"""Channels between partitions (docs/channels.md): messages through shared
memory with doorbells, a read-only end, and the hypercall's typed errors."""

from lib import qemu, system
from lib.harness import check, expect_lines, test
from lib.system import Partition

FATAL = r"^(fatal|\*\*\* EL2 exception)"
CHANNEL_PA = 0x56000000


def channel_dts(a, b, access=("rw", "rw"), intids=(80, 81), size=0x10000, name="channel@0"):
    return ("\t\t\t%s {\n"
            "\t\t\t\tcompatible = \"bulkhead,channel\";\n"
            "\t\t\t\tregion = <0x0 0x%x 0x0 0x%x>;\n"
            "\t\t\t\tpartitions = <&{/chosen/bulkhead/%s} &{/chosen/bulkhead/%s}>;\n"
            "\t\t\t\taccess = \"%s\", \"%s\";\n"
            "\t\t\t\tguest-addresses = <0x0 0x60000000 0x0 0x60000000>;\n"
            "\t\t\t\tdoorbell-intids = <%d %d>;\n"
            "\t\t\t};\n" % (name, CHANNEL_PA, size, a, b, access[0], access[1],
                            intids[0], intids[1]))


def boot(ctx, name, parts, extra, until, timeout=120):
    args = system.build(ctx, name, parts, hypervisor_extra=extra)
    return qemu.run(qemu.arm64_command(ctx.image, gic=ctx.gic, smp=4, extra=args, icount=True), until=until,
                    fail=FATAL, timeout=timeout)


def all_stopped(*names):
    return "(?s)" + "".join(r"(?=.*^partition %s: stopped$)" % n for n in names)


@test("channels: two partitions exchange 10,000 messages, none lost or duplicated, checksums ok", gic=(3, 2),
      reqs="REQ-CHN-001 REQ-CHN-003")
def ping_pong(ctx):
    parts = [Partition("ping", [1], 0x50000000, "channel"),
             Partition("pong", [2], 0x52000000, "channel")]
    r = boot(ctx, "channel", parts, channel_dts("ping", "pong"), all_stopped("ping", "pong"))
    check(r.matched, "ping and pong did not both finish (%s)" % r.reason, r.output)
    expect_lines(r, r"^\[ping\] channel: channel 0 at 0x60000000, rw, peer pong, doorbell INTID 80$",
                 r"^\[pong\] channel: channel 0 at 0x60000000, rw, peer ping, doorbell INTID 81$",
                 r"^\[ping\] channel: doorbell of channel 1: -3, of channel 99: -2$",
                 r"^\[ping\] channel: sent 10000 messages, waited for room \d+ times$",
                 r"^\[pong\] channel: received 10000 messages, 0 lost, 0 duplicated, "
                 r"0 bad checksums, \d+ doorbells$")
    doorbells = int(r.search(r"^\[pong\] channel: received .* (\d+) doorbells$").group(1))
    check(0 < doorbells <= 10000, "doorbells %d: none taken, or more than rung" % doorbells,
          r.output)
    check(r.search(r"doorbell refused") is None, "a doorbell was refused", r.output)


@test("channels: a read-only end reads the peer's data; its write is contained", gic=(3, 2),
      reqs="REQ-CHN-002 REQ-ISO-001")
def read_only(ctx):
    parts = [Partition("writer", [1], 0x50000000, "channel"),
             Partition("reader", [2], 0x52000000, "channel")]
    r = boot(ctx, "channel-ro", parts, channel_dts("writer", "reader", access=("rw", "ro")),
             all_stopped("writer", "reader"))
    check(r.matched, "writer and reader did not both finish (%s)" % r.reason, r.output)
    expect_lines(r, r"^\[reader\] channel: channel 0 at 0x60000000, ro, peer writer",
                 r"^\[reader\] channel: read \"hello from the writer\"$",
                 r"^partition reader: vCPU 0: write to a read-only channel at IPA 0x60000040 "
                 r".*external abort injected$",
                 r"^\[reader\] channel: write caught: exception class 0x25, fault status 0x10 "
                 r"at 0x60000040$",
                 r"^\[reader\] channel: contained; tail still 0$")
    check(r.search(r"^partition writer: .*abort") is None, "the writer was affected", r.output)


@test("channels: Linux rings a bare-metal partition through the doorbell page and reads its "
      "message (no kernel module)", gic=(3, 2), reqs="REQ-CHN-003 REQ-PAR-001")
def linux_reads(ctx):
    from qemu.test_linux import linux
    parts = [linux(ctx, init="channel"), Partition("greeter", [3], 0x70000000, "channel")]
    extra = ("\t\t\tchannel@0 {\n"
             "\t\t\t\tcompatible = \"bulkhead,channel\";\n"
             "\t\t\t\tregion = <0x0 0x72000000 0x0 0x10000>;\n"
             "\t\t\t\tpartitions = <&{/chosen/bulkhead/linux} &{/chosen/bulkhead/greeter}>;\n"
             "\t\t\t\tguest-addresses = <0x0 0x70000000 0x0 0x60000000>;\n"
             "\t\t\t\tdoorbell-registers = <0x0 0x70100000 0x0 0x0>;\n"
             "\t\t\t\tdoorbell-intids = <80 81>;\n"
             "\t\t\t};\n")
    args = system.build(ctx, "channel-linux", parts, hypervisor_extra=extra)
    r = qemu.run(qemu.arm64_command(ctx.image, gic=ctx.gic, smp=4, extra=args),
                 until=all_stopped("linux", "greeter"),
                 fail=FATAL + r"|Kernel panic", timeout=90)
    check(r.matched, "Linux and the greeter should both finish (%s)" % r.reason, r.output)
    expect_lines(r, r"^\[linux\] \[ *[0-9.]+\] linux-test: channel to greeter at 0x70000000, "
                    r"doorbell page 0x70100000$",
                 r"^\[greeter\] channel: greeted the peer after 1 doorbell\(s\)$",
                 r"^\[linux\] \[ *[0-9.]+\] linux-test: channel message "
                 r"'hello Linux, from bare metal' after \d+ polls$")
