// SPDX-License-Identifier: Apache-2.0
/*
 * Fuzzing what the hypervisor does with the system DT at boot: index it,
 * find the console, parse the platform, decode and validate the partitions,
 * and write each partition's DT. Nothing may crash or trip a sanitizer,
 * and every DT written must pass libfdt's full check.
 *
 * "Physical memory" for boot modules is the input itself, mapped at
 * FUZZ_RAM, so the fuzzer can reach the Image-header and DT-module paths.
 */

#include <stdio.h>
#include <stdlib.h>

#include <libfdt.h>

#include <bulkhead/console.h>
#include <bulkhead/dt.h>
#include <bulkhead/guest_dt.h>
#include <bulkhead/partition_config.h>
#include <bulkhead/platform.h>

#include <arch/fake.h>

#include "fuzz.h"

#define FUZZ_RAM 0x40000000ull

static const uint8_t *ram;
static size_t ram_size;

static const void *peek(uint64_t pa, uint64_t len)
{
	if (pa < FUZZ_RAM || len > ram_size || pa - FUZZ_RAM > ram_size - len)
		return NULL;
	return ram + (pa - FUZZ_RAM);
}

static void write_guest_dt(const void *fdt, const struct platform *p,
			   const struct partition_config *cfg, unsigned int id)
{
	static uint64_t out[FUZZ_MAX_BLOB / sizeof(uint64_t)];
	struct guest_dt_layout layout = {.vuart_ipa = p->console.base,
					 .vuart_size = p->console.size,
					 .boot_count = 1};
	size_t used = 0;
	enum bh_err err;

	if (cfg->ramdisk.present) {
		layout.ramdisk_ipa = cfg->mem[0].ipa;
		layout.ramdisk_size = cfg->ramdisk.size;
	}
	const void *module = cfg->dtb.present ? peek(cfg->dtb.pa, cfg->dtb.size) : NULL;

	if (module != NULL)
		err = guest_dt_adopt(out, sizeof(out), module, cfg->dtb.size, cfg, &layout, &used);
	else
		err = guest_dt_build(out, sizeof(out), fdt, p, cfg, id, &layout, &used);
	if (err == BH_OK && (used > sizeof(out) || fdt_check_full(out, used) != 0)) {
		fprintf(stderr, "partition %s: the DT written is not valid\n", cfg->name);
		abort();
	}
}

/* reqs: REQ-CFG-003 REQ-CFG-001 REQ-CFG-006 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct platform platform;
	static struct system_config sys;
	static struct config_errors errors;
	const struct hyp_footprint hyp = {FUZZ_RAM + 0x200000, 0x100000};
	const void *fdt = fuzz_blob(data, size);

	if (fdt == NULL)
		return 0;
	fake_console_reset();
	ram = fdt;
	ram_size = size;
	dt_index_build(fdt);
	if (console_init(fdt) != BH_OK)
		console_attach_headless("fuzz");
	if (platform_parse(fdt, 0, &platform) != BH_OK ||
	    platform_set_console(fdt, console_node(), &platform) != BH_OK)
		return 0;
	if (config_parse(fdt, &platform, &hyp, peek, &sys, &errors) != BH_OK) {
		config_errors_print(&errors);
		return 0;
	}
	for (unsigned int i = 0; i < sys.count; i++)
		write_guest_dt(fdt, &platform, &sys.part[i], i);
	return 0;
}
