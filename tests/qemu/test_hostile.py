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

from lib import qemu, system
from lib.harness import check, expect_lines, test
from lib.system import Partition

FATAL = r"^(fatal|\*\*\* EL2 exception)"
VICTIM_PA = 0x50000000
ATTACKER_PA = 0x52000000
HYP_PA = 0x40200000      # where QEMU's -kernel puts the hypervisor (checked below)
REPORT = re.compile(r"^\[victim\] victim: beat (\d+) memory (\S+) spi (\S+) irqs (\d+) "
                    r"sgis (\d+) late-max (\d+) us$", re.M)
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
    "timer-storm-for-ever": r"storming for ever",
}

# Attacks that never end: the victim is watched for this many beats after
# the attack began (under icount, 1 beat = 1 ms of virtual time).
FOR_EVER_BEATS = {"timer-storm-for-ever": 500}


def run_attack(ctx, attack, expected):
    bootargs = "attack=%s victim=0x%x hyp=0x%x self=0x%x" % (attack, VICTIM_PA, HYP_PA,
                                                            ATTACKER_PA)
    parts = [Partition("victim", [1], VICTIM_PA, "victim",
                       extra="\t\t\t\tdevices = <&{/pl031@9010000}>;\n"),
             Partition("attacker", [2], ATTACKER_PA, "attacker", guest_base=0x80000000,
                       bootargs=bootargs,
                       extra=("\t\t\t\tdevices = <%s>;\n" % ATTACKER_DEVICES[attack]
                              if attack in ATTACKER_DEVICES else ""))]
    args = system.build(ctx, "hostile-" + attack, parts)
    if attack in FOR_EVER_BEATS:
        until = (r"(?s)^\[attacker\] hostile: %s: .*?^\[victim\] victim: beat %d [^\n]*\n"
                 % (re.escape(attack), FOR_EVER_BEATS[attack]))
    else:
        until = (r"(?s)^partition attacker: stopped$.*?^\[victim\] victim: beat .*?"
                 r"^\[victim\] victim: beat [^\n]*\n")
    cpu = ATTACK_CPUS.get(attack, qemu.CPU)
    r = qemu.run(qemu.arm64_command(ctx.image, smp=4, cpu=cpu, extra=args, icount=True),
                 until=until, fail=FATAL, timeout=90)
    check(r.matched, "the attack did not end with the victim reporting on (%s)" % r.reason,
          r.output)
    expect_lines(r, r"^hypervisor: 0x%016x-" % HYP_PA, r"^\[victim\] victim: ready$",
                 r"^\[attacker\] hostile: %s: %s$" % (re.escape(attack), expected))
    if attack in FOR_EVER_BEATS:
        check("partition attacker: stopp" not in r.output, "the attacker stopped", r.output)
    reports = REPORT.findall(r.output)
    check(len(reports) >= 2, "fewer than two victim reports", r.output)
    for beat, memory, spi, irqs, sgis, late in reports:
        check(memory == "ok" and spi == "on" and irqs == "0" and sgis == "0",
              "victim harmed at beat %s: memory %s, spi %s, irqs %s, sgis %s"
              % (beat, memory, spi, irqs, sgis), r.output)
        check(int(late) < LATE_LIMIT_US, "victim beat %s us late" % late, r.output)
    beats = [int(b) for b, *_ in reports]
    check(beats == list(range(20, 20 * len(beats) + 1, 20)), "victim reports skipped: %s" % beats,
          r.output)


for _attack, _expected in ATTACKS.items():
    test("hostile: %s is contained" % _attack)(
        lambda ctx, a=_attack, e=_expected: run_attack(ctx, a, e))
