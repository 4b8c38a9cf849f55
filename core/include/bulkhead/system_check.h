/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The verdict on a system device tree, reached without starting anything:
 * the checks the boot makes (console, machine, GIC/PSCI/timer, the
 * partitions), on a tree that need not be the running machine's.
 * bulkhead-check gives this verdict on the host; the hypervisor's verdict
 * build gives it at EL2 on each board tree (tests/qemu/test_boards.py), so
 * that the two cannot disagree unnoticed.
 */
#ifndef BULKHEAD_SYSTEM_CHECK_H
#define BULKHEAD_SYSTEM_CHECK_H

#include <stdbool.h>

#include <bulkhead/arm_platform.h>
#include <bulkhead/partition_config.h>
#include <bulkhead/platform.h>
#include <uart/uart.h>

enum system_verdict {
	SYSTEM_OK,
	SYSTEM_NO_CONSOLE,      /* no UART the hypervisor can drive */
	SYSTEM_NOT_A_MACHINE,   /* memory, CPUs or the console's place */
	SYSTEM_CONFIG_REFUSED,  /* the partitions (the machine is fine) */
	SYSTEM_BOTH_REFUSED,    /* the partitions, and the GIC/PSCI/timer */
	SYSTEM_NOT_RUNNABLE,    /* the GIC, PSCI or the timer */
};

struct system_check {
	struct uart console;
	int console_node;
	struct platform platform;
	struct arm_platform arm; /* when !x86 */
	bool x86;                /* a tree with local APICs */
	struct system_config sys;
	struct config_errors errors;
};

/*
 * Check @fdt as the boot would, with the hypervisor at @hyp (NULL:
 * unknown) and no boot module read. Every error is printed (log_printf,
 * "error: <node>: property '<prop>': ...") as found. Indexes @fdt
 * (dt_index_build): a caller running on another tree re-indexes its own.
 */
enum system_verdict system_check(const void *fdt, const struct hyp_footprint *hyp,
				 struct system_check *c);

/* "accepted", "no console", ...: for the verdict line. */
const char *system_verdict_name(enum system_verdict v);

#endif
