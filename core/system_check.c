// SPDX-License-Identifier: Apache-2.0
/*
 * One verdict on a system device tree for bulkhead-check and for the
 * hypervisor's verdict build (bulkhead/system_check.h): the boot's own
 * checks, in the boot's order, touching no hardware.
 */

#include <string.h>

#include <libfdt.h>

#include <bulkhead/console.h>
#include <bulkhead/dt.h>
#include <bulkhead/system_check.h>

/* The hardware ID of the first enabled CPU: stands in for the boot CPU. */
static uint64_t first_cpu_hwid(const void *fdt)
{
	int cpus = fdt_path_offset(fdt, "/cpus");
	int node;

	fdt_for_each_subnode(node, fdt, cpus) {
		const char *type = fdt_getprop(fdt, node, "device_type", NULL);
		int len;
		const uint8_t *reg = fdt_getprop(fdt, node, "reg", &len);

		if (type != NULL && strcmp(type, "cpu") == 0 && reg != NULL && (len == 4 || len == 8))
			return fdt_read_cells(reg, len / 4);
	}
	return 0;
}

enum system_verdict system_check(const void *fdt, const struct hyp_footprint *hyp,
				 struct system_check *c)
{
	const char *from;

	(void)dt_index_build(fdt);
	/* The UART the hypervisor would keep (the partitions' virtual UART
	 * sits at its address): one it could not drive leaves it silent. */
	if (console_choose(fdt, &c->console, &c->console_node, &from) != BH_OK) {
		log_printf("error: %s\n", console_refusal());
		return SYSTEM_NO_CONSOLE;
	}
	if (platform_parse(fdt, first_cpu_hwid(fdt), &c->platform) != BH_OK ||
	    platform_set_console(fdt, c->console_node, &c->platform) != BH_OK ||
	    dt_gic_check_cpus(fdt, c->platform.cpu_count) != BH_OK)
		return SYSTEM_NOT_A_MACHINE;
	/* What the x86 port's arch_platform_parse() sets on a machine with
	 * local APICs: a vCPU starts in 32-bit mode, below 4 GiB; doorbells
	 * are local APIC vectors. */
	c->x86 = dt_node_by_compatible(fdt, -1, "intel,ce4100-lapic") >= 0;
	if (c->x86)
		platform_x86_guests(&c->platform);
	/* What the arm64 port's arch_platform_parse() reads from the DT. The
	 * partitions are checked too when it fails: every problem at once. */
	bool machine_ok = c->x86 || arm_platform_parse(fdt, &c->arm) == BH_OK;

	if (config_parse(fdt, &c->platform, hyp, NULL, &c->sys, &c->errors) != BH_OK) {
		config_errors_print(&c->errors);
		return machine_ok ? SYSTEM_CONFIG_REFUSED : SYSTEM_BOTH_REFUSED;
	}
	return machine_ok ? SYSTEM_OK : SYSTEM_NOT_RUNNABLE;
}

const char *system_verdict_name(enum system_verdict v)
{
	switch (v) {
	case SYSTEM_OK:
		return "accepted";
	case SYSTEM_NO_CONSOLE:
		return "refused: no console";
	case SYSTEM_NOT_A_MACHINE:
		return "refused: not a machine";
	case SYSTEM_CONFIG_REFUSED:
		return "refused: the partitions";
	case SYSTEM_BOTH_REFUSED:
		return "refused: the partitions and the platform";
	case SYSTEM_NOT_RUNNABLE:
		return "refused: the platform";
	default:
		return "?";
	}
}
