// SPDX-License-Identifier: Apache-2.0
/* The boot-time checks on a DT, shared by the fuzz targets. */

#include <string.h>

#include <libfdt.h>

#include <bulkhead/boot.h>
#include <bulkhead/dt.h>

#include "fuzz.h"

/* The hypervisor build generates this; core/boot.c refers to it. */
const char bulkhead_version[] = "fuzz";
const char *const bulkhead_parts = "fuzz";

const void *fuzz_blob(const uint8_t *data, size_t size)
{
	static uint64_t blob[FUZZ_MAX_BLOB / sizeof(uint64_t)];

	if (size < sizeof(struct fdt_header) || size > sizeof(blob))
		return NULL;
	memcpy(blob, data, size);
	if (fdt_check_header(blob) != 0 || fdt_totalsize(blob) > size || !dt_structure_sound(blob))
		return NULL;
	return blob;
}
