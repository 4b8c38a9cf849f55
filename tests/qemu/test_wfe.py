# SPDX-License-Identifier: Apache-2.0
"""WFE and WFI are not trapped (docs/architecture.md, "WFI and WFE"): a vCPU
idling in WFE takes no exits, and still wakes on SEV, its timer, an SGI and
the hypervisor's kick."""

from lib.harness import check, test
from lib.system import Partition

from .test_partitions import boot

# At most this many exits in a WFE wait: the interrupt that ends it (timer,
# SGI kick) and maybe the maintenance interrupt of its EOI. A trapped WFE
# costs one exit per turn of the loop, thousands here.
EXIT_BOUND = 4


@test("wfe: a vCPU idling in WFE takes no exits to the hypervisor and wakes on SEV, its timer, "
      "an SGI and the kick of its partition's stop", gic=(3, 2), reqs="REQ-IRQ-004")
def wfe_idle(ctx):
    parts = [Partition("wfe", [1, 2], 0x50000000, "wfe")]
    r = boot(ctx, "wfe", parts, until=r"^partition wfe: stopped$")
    check(r.matched, "the wfe partition did not stop with its vCPU 1 in WFE (%s)" % r.reason,
          r.output)
    for what in ("masked, woken by SEV", "woken by its timer", "woken by an SGI"):
        m = r.search(r"^\[wfe\] wfe: %s: woken after (\d+) WFE, (\d+) exits$" % what)
        check(m is not None, "no report for the WFE wait %r" % what, r.output)
        turns, exits = int(m.group(1)), int(m.group(2))
        check(turns >= 1, "%s: the wait never ran a WFE" % what, r.output)
        check(exits <= EXIT_BOUND, "%s: %d exits in %d WFE (at most %d expected)"
              % (what, exits, turns, EXIT_BOUND), r.output)
    check(r.search(r"^\[wfe\] wfe: vCPU 1 waits in WFE for good$") is not None,
          "vCPU 1 never reached its last wait", r.output)
