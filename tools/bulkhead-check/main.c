// SPDX-License-Identifier: Apache-2.0
/*
 * bulkhead-check: validate a system device tree on the host with the very
 * code the hypervisor runs at boot, and print the partitions or every error.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include <arch/fake.h>

#include <bulkhead/arm_platform.h>
#include <bulkhead/boot.h>
#include <bulkhead/console.h>
#include <bulkhead/dt.h>
#include <bulkhead/partition_config.h>
#include <bulkhead/platform.h>

#include "report.h"

#define DTB_MAX (4 << 20)

/* The parts this checker's build has: what it refuses by option
 * (core/build_parts.c) and what --version says. */
const char *const bulkhead_parts = BULKHEAD_PARTS;

static const char usage[] =
	"usage: bulkhead-check [--quiet] [--hypervisor ADDR,SIZE] SYSTEM.dtb\n"
	"\n"
	"Checks the partitions of a Bulkhead system device tree (the node\n"
	"compatible with \"bulkhead,hypervisor\", see docs/bindings/partitions.md)\n"
	"against each other and the machine it describes, exactly as the\n"
	"hypervisor does at boot, and explains it: prints 'OK', the machine, one\n"
	"block per partition (CPUs, memory guest -> physical, boot modules,\n"
	"console, devices with their registers and interrupts) and the physical\n"
	"address map (every region and its owner, sorted, free RAM and unused\n"
	"address space shown). An invalid configuration gets every error, each\n"
	"with its node path and property.\n"
	"\n"
	"  --hypervisor ADDR,SIZE  where the loader puts the hypervisor, so memory\n"
	"                          over it is reported (unknown otherwise)\n"
	"  -q, --quiet             only the verdict line (and the errors)\n"
	"  -h, --help              this text\n"
	"  --version               the version (the hypervisor's)\n"
	"\n"
	"Exit status: 0 valid, 1 invalid configuration, 2 usage or input error.\n";

static void *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	void *buf = malloc(DTB_MAX);

	if (f == NULL || buf == NULL) {
		fprintf(stderr, "bulkhead-check: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	*size = fread(buf, 1, DTB_MAX, f);
	fclose(f);
	return buf;
}

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

int main(int argc, char **argv)
{
	static struct platform platform;
	static struct system_config sys;
	static struct config_errors errors;
	struct hyp_footprint hyp;
	bool have_hyp = false;
	bool quiet = false;
	const char *path = NULL;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(usage, stdout);
			return 0;
		} else if (strcmp(argv[i], "--version") == 0) {
			printf("bulkhead-check %s\nparts: %s\n", BULKHEAD_VERSION, bulkhead_parts);
			return 0;
		} else if (strcmp(argv[i], "--quiet") == 0 || strcmp(argv[i], "-q") == 0) {
			quiet = true;
		} else if (strcmp(argv[i], "--hypervisor") == 0 && i + 1 < argc) {
			char *end;

			hyp.base = strtoull(argv[++i], &end, 0);
			hyp.size = *end == ',' ? strtoull(end + 1, &end, 0) : 0;
			if (*end != '\0' || hyp.size == 0) {
				fprintf(stderr, "bulkhead-check: --hypervisor wants ADDR,SIZE\n");
				return 2;
			}
			have_hyp = true;
		} else if (argv[i][0] == '-' || path != NULL) {
			fputs(usage, stderr);
			return 2;
		} else {
			path = argv[i];
		}
	}
	if (path == NULL) {
		fputs(usage, stderr);
		return 2;
	}
	size_t size;
	void *fdt = read_file(path, &size);

	if (size < sizeof(struct fdt_header) || fdt_check_header(fdt) != 0 ||
	    fdt_totalsize(fdt) > size) {
		fprintf(stderr, "bulkhead-check: %s: not a valid device tree blob\n", path);
		return 2;
	}
	fake_console_mirror = stdout; /* the "console" of this tool */
	dt_index_build(fdt);
	/* The UART the hypervisor would keep (the partitions' virtual UART
	 * sits at its address), chosen by the hypervisor's own code: one it
	 * could not drive leaves it silent at boot, so it is an error here.
	 * Output goes to stdout either way. */
	if (console_init(fdt) != BH_OK) {
		printf("error: %s\n", console_refusal());
		printf("%s: the hypervisor has no console it can drive: it would halt silently\n",
		       path);
		return 1;
	}
	if (platform_parse(fdt, first_cpu_hwid(fdt), &platform) != BH_OK ||
	    platform_set_console(fdt, console_node(), &platform) != BH_OK ||
	    dt_gic_check_cpus(fdt, platform.cpu_count) != BH_OK) {
		printf("%s: the device tree does not describe a usable machine\n", path);
		return 1;
	}
	/* What the x86 port's arch_platform_parse() sets on a machine with
	 * local APICs: a vCPU starts in 32-bit mode, below 4 GiB; doorbells
	 * are local APIC vectors. */
	bool x86 = dt_node_by_compatible(fdt, -1, "intel,ce4100-lapic") >= 0;
	struct arm_platform arm;

	if (x86)
		platform_x86_guests(&platform);
	/* What the arm64 port's arch_platform_parse() reads from the DT: the
	 * GICv3, PSCI and the timer, by the same code. */
	/* The partitions are checked too when it fails: every problem at once. */
	bool platform_ok = x86 || arm_platform_parse(fdt, &arm) == BH_OK;

	if (config_parse(fdt, &platform, have_hyp ? &hyp : NULL, NULL, &sys, &errors) != BH_OK) {
		config_errors_print(&errors);
		printf("%s: %u error(s)%s\n", path, errors.count,
		       platform_ok ? "" : ", and the machine is not one Bulkhead runs on");
		return 1;
	}
	if (!platform_ok) {
		printf("%s: the device tree does not describe a machine Bulkhead runs on\n", path);
		return 1;
	}
	printf("OK: %s: %u partition(s)\n", path, sys.count);
	if (!quiet)
		report_print(fdt, &platform, &sys, have_hyp ? &hyp : NULL);
	free(fdt);
	return 0;
}
