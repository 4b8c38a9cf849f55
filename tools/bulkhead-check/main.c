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

#include <bulkhead/boot.h>
#include <bulkhead/console.h>
#include <bulkhead/dt.h>
#include <bulkhead/partition_config.h>
#include <bulkhead/platform.h>
#include <bulkhead/system_check.h>

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

int main(int argc, char **argv)
{
	static struct system_check c;
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
	if (!dt_structure_sound(fdt)) {
		fprintf(stderr, "bulkhead-check: %s: the device tree's structure block is malformed "
			"(a tag, a property's length or name outside its block, or nodes not closed "
			"as opened): the hypervisor halts on it\n", path);
		return 2;
	}
	fake_console_mirror = stdout; /* the "console" of this tool */
	console_attach_headless("bulkhead-check");
	/* The hypervisor's own checks, in its order: the same verdict. */
	enum system_verdict v = system_check(fdt, have_hyp ? &hyp : NULL, &c);

	switch (v) {
	case SYSTEM_OK:
		break;
	case SYSTEM_NO_CONSOLE:
		printf("%s: the hypervisor has no console it can drive: it would halt silently\n",
		       path);
		return 1;
	case SYSTEM_NOT_A_MACHINE:
		printf("%s: the device tree does not describe a usable machine\n", path);
		return 1;
	case SYSTEM_CONFIG_REFUSED:
	case SYSTEM_BOTH_REFUSED:
		printf("%s: %u error(s)%s\n", path, c.errors.count,
		       v == SYSTEM_CONFIG_REFUSED ? "" : ", and the machine is not one Bulkhead runs on");
		return 1;
	case SYSTEM_NOT_RUNNABLE:
		printf("%s: the device tree does not describe a machine Bulkhead runs on\n", path);
		return 1;
	}
	printf("OK: %s: %u partition(s)\n", path, c.sys.count);
	if (!quiet)
		report_print(fdt, &c.platform, &c.sys, have_hyp ? &hyp : NULL, c.console.drv->name);
	free(fdt);
	return 0;
}
