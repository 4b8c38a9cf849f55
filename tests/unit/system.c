// SPDX-License-Identifier: Apache-2.0
/* A system DT from tests/unit/dts, through the boot-time parsers (test.h). */

#include <arch/fake.h>
#include <bulkhead/console.h>
#include <bulkhead/dt.h>
#include <bulkhead/partition_config.h>
#include <bulkhead/platform.h>

#include "test.h"

void *test_parse_platform(const char *dtb, struct platform *plat)
{
	void *fdt = test_load_dtb(dtb);

	console_init(test_load_dtb("console-path"));
	fake_console_reset();
	dt_index_build(fdt);
	return platform_parse(fdt, 0, plat) == BH_OK ? fdt : NULL;
}

const void *test_parse_system(const char *dtb, struct platform *plat, struct system_config *sys,
			      struct config_errors *errors)
{
	void *fdt = test_parse_platform(dtb, plat);

	if (fdt == NULL || config_parse(fdt, plat, NULL, NULL, sys, errors) != BH_OK)
		return NULL;
	return fdt;
}
