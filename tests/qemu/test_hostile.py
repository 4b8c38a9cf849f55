# SPDX-License-Identifier: Apache-2.0
"""The hostile-guest suite: one attack per test, against a watching victim.

The victim (partitions/hostile/victim.c) guards a memory pattern, owns the
PL031's interrupt and beats on its virtual timer every millisecond,
reporting every 20 beats. The attacker (partitions/hostile/attacker.c) runs
the attack its bootargs name and powers itself off. After each attack the
test waits for two more victim reports and checks them all: memory intact,
its SPI still enabled, no stray interrupt or SGI, no late beat; and the
hypervisor must have stayed up (no fatal exception, and the victim reports
after the attacker stopped).
"""

import re

from lib import console_spoof, qemu, system
from lib.harness import check, expect_lines, test
from lib.system import Partition

FATAL = r"^(fatal|\*\*\* EL2 exception)"
VICTIM_PA = 0x50000000
ATTACKER_PA = 0x52000000
HYP_PA = 0x40200000      # where QEMU's -kernel puts the hypervisor (checked below)
REPORT = re.compile(r"^\[victim\] victim: beat (\d+) memory (\S+) spi (\S+) irqs (\d+) "
                    r"sgis (\d+) late-max (\d+) us gap-max (\d+) us lost (\d+)"
                    r"(?: chan 0x([0-9a-f]+) rings (\d+))?$", re.M)
# A beat is 1 ms; the victim's own CPU is never taken from it, so under
# icount its lateness stays far below a period whatever the attacker does.
LATE_LIMIT_US = 500

# Attacks that need a passthrough device of the attacker's own.
ATTACKER_DEVICES = {"device-irq-storm": "&{/pl061@9030000}",
                    "gicd-sub-word-writes": "&{/pl061@9030000}"}

# Attacks that need a CPU model other than the default (qemu.CPU): "max" has
# FEAT_RAS, the default does not.
ATTACK_CPUS = {"ras-registers": "max"}

# attack name -> what the attacker must report (the containment)
ATTACKS = {
    "victim-memory-read": r"aborted 256/256",
    "victim-memory-write": r"aborted 256/256",
    "hypervisor-memory-read": r"aborted 256/256",
    "hypervisor-memory-write": r"aborted 256/256",
    "own-physical-alias": r"aborted 256/256",
    "victim-device": r"aborted 8/8",
    "gicd-disable-victim-spi": r"victim's field reads back 0x0, aborts 0",
    "gicd-priority-victim-spi": r"victim's field reads back 0x0, aborts 0",
    "gicd-pend-victim-spi": r"victim's field reads back 0x0, aborts 0",
    "gicd-activate-victim-spi": r"victim's field reads back 0x0, aborts 0",
    "gicd-group-victim-spi": r"victim's field reads back 0x0, aborts 0",
    "gicd-route-victim-spi": r"reads back 0x0, aborts 0",
    "gicd-ctlr-off": r"own distributor off, reads 0x0",
    "gicd-sub-word-writes": r"victim's fields read back 0x0, own SPI 39 enabled by a stray byte: no, "
                            r"aborts 0",
    "gicr-other-frames": r"aborted 6/6",
    "sgi-target-list": r"sent 16",
    "sgi-broadcast": r"sent 16",
    "sgi-other-affinity": r"sent 60",
    "psci-cpu-on-victim": r"worst result -2",
    "psci-affinity-info-victim": r"worst result -2",
    "psci-mpidr-reserved-bits": r"invalid parameters 8/8",
    "psci-cpu-suspend-entry": r"invalid address 4/4, own entry 0",
    "psci-cpu-off": r"calling CPU_OFF on its only vCPU",
    "psci-system-off": r"calling SYSTEM_OFF",
    "psci-system-reset": r"restarted, boot 2",
    "raw-smc": r"refused 10/10",
    "hvc-fuzz": r"survived \d+ calls, undefs 0",
    "set-way-maintenance": r"undefs 0",
    "tlb-maintenance": r"own-VMID undefs 0, EL2 undefs 3",
    "debug-registers": r"undefs 0",
    "pmu-registers": r"undefs 4/4",
    "el2-registers": r"undefs 4/4",
    "el3-registers": r"undefs 3/3",
    "ras-registers": r"undefs 10/10, ID registers show RAS 0.0",
    "emulated-register-odd-access": r"aborted 4/4",
    "aarch32-el0": r"counted 8, emulated loads right, 1 abort\(s\) at vector 0x600",
    "irq-masked-spin": r"spun 200 ms with interrupts masked",
    "timer-storm": r"took 20000 timer interrupts",
    "device-irq-storm": r"took 20000 device interrupts, line masked",
    "console-flood": r"wrote 8192 bytes in one line",
    "console-spoof": console_spoof.REPORT,
    "timer-storm-for-ever": r"storming for ever",
}

# GICv2 only (QEMU virt gic-version=2): name -> the containment.
GICV2_ATTACKS = {
    "gicv2-sgir-neighbour": r"sent 32",
    "gicv2-itargetsr-victim-spi": r"reads back 0x0, aborts 0",
    "gicv2-isenabler-victim-spi": r"victim's field reads back 0x0, aborts 0",
    "gicv2-past-gicv": r"aborted 28/28",
    "gicv2-gich-gicv-gicd-frames": r"aborted 16/16",
}
# Attacks of both GICs also run on a GICv2. Not timer-storm: QEMU 7.2's
# GICv2 re-signals a level PPI that a guest's EOI deactivated (list register
# HW bit) only at the GIC's next other event, about one per millisecond
# here, so 20,000 interrupts outlast the test.
BOTH_GICS = ("victim-memory-write", "gicd-disable-victim-spi", "gicd-priority-victim-spi",
             "gicd-pend-victim-spi", "gicd-ctlr-off", "sgi-target-list", "psci-system-reset")

# Attacks that never end: the victim is watched for this many beats after
# the attack began (under icount, 1 beat = 1 ms of virtual time).
FOR_EVER_BEATS = {"timer-storm-for-ever": 500}


# The lifecycle attacks (partitions/hostile/racer.c): a two-vCPU attacker
# sharing a channel with the victim. name -> (expected report, health
# properties of the attacker, the line after which no vCPU of the old run
# may write the channel).
CHANNEL_PA = 0x56000000
CHANNEL_IPA = 0x60000000
RACES = {
    "race-cpu-on-system-off": (r"starting vCPU 1 and at once SYSTEM_OFF", "",
                               r"^partition attacker: stopped$"),
    "race-cpu-on-system-reset": (r"starting vCPU 1 and at once SYSTEM_RESET", "",
                                 r"^partition attacker: restarting \(1\): PSCI SYSTEM_RESET"),
    "race-cpu-on-fault-stop": (r"starting vCPU 1 and at once a fault",
                               "fault-action = \"stop\";\nfault-limit = <1>;\n",
                               r"^partition attacker: stopped$"),
    "race-cpu-on-fault-restart": (r"starting vCPU 1 and at once a fault",
                                  "fault-action = \"restart\";\nfault-limit = <1>;\n",
                                  r"^partition attacker: restarting \(1\)"),
}
DOORBELLS = {
    "doorbell-paced": r"rang 200 times, 0 refused",
    "doorbell-flood": r"rang (\d+) times, 0 refused",
}


def channel_dts():
    return ("\t\t\tchannel@0 {\n"
            "\t\t\t\tcompatible = \"bulkhead,channel\";\n"
            "\t\t\t\tregion = <0x0 0x%x 0x0 0x10000>;\n"
            "\t\t\t\tpartitions = <&{/chosen/bulkhead/attacker} &{/chosen/bulkhead/victim}>;\n"
            "\t\t\t\tguest-addresses = <0x0 0x%x 0x0 0x%x>;\n"
            "\t\t\t\tdoorbell-intids = <80 81>;\n"
            "\t\t\t};\n" % (CHANNEL_PA, CHANNEL_IPA, CHANNEL_IPA))


def boot_attack(ctx, attack, image="attacker", attacker_cpus=(2,), attacker_extra="",
                channel=False, icount=True):
    """Boot the victim beside the attacker; return the QEMU result."""
    bootargs = "attack=%s victim=0x%x hyp=0x%x self=0x%x" % (attack, VICTIM_PA, HYP_PA,
                                                            ATTACKER_PA)
    victim_args = None
    if channel:
        bootargs += " chan=0x%x" % CHANNEL_IPA
        victim_args = "chan=0x%x doorbell=81" % CHANNEL_IPA
    extra = attacker_extra
    if attack in ATTACKER_DEVICES:
        extra += "\t\t\t\tdevices = <%s>;\n" % ATTACKER_DEVICES[attack]
    parts = [Partition("victim", [1], VICTIM_PA, "victim", bootargs=victim_args,
                       extra="\t\t\t\tdevices = <&{/pl031@9010000}>;\n"),
             Partition("attacker", list(attacker_cpus), ATTACKER_PA, image,
                       guest_base=0x80000000, bootargs=bootargs, extra=extra)]
    name = "hostile-%s%s" % (attack, "" if icount else "-noicount")
    args = system.build(ctx, name, parts, hypervisor_extra=channel_dts() if channel else "")
    if attack in FOR_EVER_BEATS:
        until = (r"(?s)^\[attacker\] hostile: %s: .*?^\[victim\] victim: beat %d [^\n]*\n"
                 % (re.escape(attack), FOR_EVER_BEATS[attack]))
    else:
        # Three victim reports after the stop: the first may have read the
        # channel before it; the next two must agree with each other.
        until = (r"(?s)^partition attacker: stopped$.*?^\[victim\] victim: beat .*?"
                 r"^\[victim\] victim: beat .*?^\[victim\] victim: beat [^\n]*\n")
    cpu = ATTACK_CPUS.get(attack, qemu.CPU)
    return qemu.run(qemu.arm64_command(ctx.image, gic=ctx.gic, smp=4, cpu=cpu, extra=args,
                                       icount=icount),
                    until=until, fail=FATAL, timeout=90 if icount else 120)


def check_victim(r, timing=True):
    """Every victim report: memory, SPI, no stray interrupt, no lost or late
    beat, no long gap (timing: only under icount, where a beat's lateness
    is the hypervisor's doing, not the host's load), and no skipped report.
    Returns the reports."""
    reports = REPORT.findall(r.output)
    check(len(reports) >= 2, "fewer than two victim reports", r.output)
    for beat, memory, spi, irqs, sgis, late, gap, lost, _, _ in reports:
        check(memory == "ok" and spi == "on" and irqs == "0" and sgis == "0",
              "victim harmed at beat %s: memory %s, spi %s, irqs %s, sgis %s"
              % (beat, memory, spi, irqs, sgis), r.output)
        if not timing:
            continue
        check(int(late) < LATE_LIMIT_US, "victim beat %s us late" % late, r.output)
        check(lost == "0", "victim lost %s beats by beat %s" % (lost, beat), r.output)
        check(int(gap) < 1000 + LATE_LIMIT_US, "victim's beats %s us apart" % gap, r.output)
    beats = [int(b) for b, *_ in reports]
    check(beats == list(range(20, 20 * len(beats) + 1, 20)), "victim reports skipped: %s" % beats,
          r.output)
    return reports


def run_attack(ctx, attack, expected=None):
    expected = expected or ATTACKS.get(attack) or GICV2_ATTACKS[attack]
    r = boot_attack(ctx, attack)
    check(r.matched, "the attack did not end with the victim reporting on (%s)" % r.reason,
          r.output)
    expect_lines(r, r"^hypervisor: 0x%016x-" % HYP_PA, r"^\[victim\] victim: ready$",
                 r"^\[attacker\] hostile: %s: %s$" % (re.escape(attack), expected))
    if attack in FOR_EVER_BEATS:
        check("partition attacker: stopp" not in r.output, "the attacker stopped", r.output)
    check_victim(r)
    if attack == "console-spoof":
        console_spoof.check_output(r, "attacker", "hostile: console-spoof: ")


def channel_after(r, line):
    """The channel words the victim reported after @line, as integers."""
    m = re.search(line, r.output, re.M)
    check(m is not None, "no line %r" % line, r.output)
    return [int(m2.group(9), 16) for m2 in REPORT.finditer(r.output, m.end())]


def run_race(ctx, attack, icount=True):
    expected, health, frozen_after = RACES[attack]
    r = boot_attack(ctx, attack, image="racer", attacker_cpus=(2, 3), channel=True,
                    attacker_extra="".join("\t\t\t\t%s\n" % l for l in health.splitlines()),
                    icount=icount)
    check(r.matched, "the partition did not stop with the victim reporting on (%s)" % r.reason,
          r.output)
    expect_lines(r, r"^\[attacker\] hostile: %s: %s$" % (re.escape(attack), expected))
    if "restart" in frozen_after:
        expect_lines(r, r"^\[attacker\] hostile: %s: restarted, boot 2$" % re.escape(attack))
    check_victim(r, timing=icount)
    # Only the boot that raced may have written: a later boot never starts
    # vCPU 1 (racer.c).
    words = channel_after(r, frozen_after)
    stopped = channel_after(r, r"^partition attacker: stopped$")
    check(all(w >> 48 in (0, 1) for w in words), "a write tagged with a later boot", r.output)
    check(len(stopped) >= 3 and len(set(stopped[1:])) == 1,
          "the channel still changes after the attacker stopped: %s" % stopped, r.output)
    # Once its partition stops, restarts or faults, vCPU 1 may have written
    # only in the window before the last vCPU left: the word read two
    # reports after the line must already be final.
    check(len(words) >= 2 and len(set(words[1:])) == 1,
          "vCPU 1 kept writing after %r: %s" % (frozen_after, words), r.output)


def run_doorbells(ctx, attack):
    r = boot_attack(ctx, attack, image="racer", channel=True)
    check(r.matched, "the attack did not end with the victim reporting on (%s)" % r.reason,
          r.output)
    expect_lines(r, r"^\[attacker\] hostile: %s: %s$" % (re.escape(attack), DOORBELLS[attack]))
    sent = int(r.search(r"^\[attacker\] hostile: %s: rang (\d+) times" % attack).group(1))
    reports = check_victim(r)
    word, rings = int(reports[-1][8], 16), int(reports[-1][9])
    check(word == sent, "the channel says %d sent, the attacker %d" % (word, sent), r.output)
    if attack == "doorbell-paced":
        check(rings == sent, "%d rings sent, %d taken" % (sent, rings), r.output)
    else:
        check(0 < rings <= sent, "%d rings sent, %d taken" % (sent, rings), r.output)


for _race in RACES:
    test("hostile: %s is contained (icount)" % _race,
         reqs="REQ-CNT-004 REQ-CNT-001")(lambda ctx, a=_race: run_race(ctx, a))
for _race in ("race-cpu-on-system-off", "race-cpu-on-fault-restart"):
    test("hostile: %s is contained (no icount)" % _race, reqs="REQ-CNT-004 REQ-CNT-001")(
        lambda ctx, a=_race: run_race(ctx, a, icount=False))
for _attack in DOORBELLS:
    test("hostile: %s: doorbells taken as sent" % _attack, reqs="REQ-CHN-003 REQ-CNT-001")(
        lambda ctx, a=_attack: run_doorbells(ctx, a))


# What each attack's containment shows beyond REQ-CNT-001 (docs/requirements.md),
# by the attack's name up to its first "-".
ATTACK_REQS = {"victim": "REQ-ISO-001", "hypervisor": "REQ-ISO-001", "own": "REQ-ISO-001",
               "gicd": "REQ-ISO-003", "gicr": "REQ-ISO-003", "gicv2": "REQ-ISO-003",
               "sgi": "REQ-ISO-004", "psci": "REQ-ISO-005 REQ-RST-001", "raw": "REQ-ISO-007",
               "hvc": "REQ-ISO-007 REQ-HYP-001", "set": "REQ-ISO-007", "tlb": "REQ-ISO-007",
               "debug": "REQ-ISO-007", "pmu": "REQ-ISO-007", "el2": "REQ-ISO-007",
               "el3": "REQ-ISO-007", "ras": "REQ-ISO-007", "emulated": "REQ-ISO-007",
               "aarch32": "REQ-ISO-007", "irq": "REQ-CNT-005", "timer": "REQ-CNT-005",
               "device": "REQ-CNT-005 REQ-ISO-002", "console": "REQ-ISO-008 REQ-CNS-003"}


def attack_reqs(attack):
    return "REQ-CNT-001 " + ATTACK_REQS[attack.split("-")[0]]


for _attack in ATTACKS:
    test("hostile: %s is contained" % _attack, gic=(3, 2) if _attack in BOTH_GICS else (3,),
         reqs=attack_reqs(_attack))(lambda ctx, a=_attack: run_attack(ctx, a))
for _attack in GICV2_ATTACKS:
    test("hostile: %s is contained" % _attack, gic=(2,), reqs=attack_reqs(_attack))(
        lambda ctx, a=_attack: run_attack(ctx, a))
