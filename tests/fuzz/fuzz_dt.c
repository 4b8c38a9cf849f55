// SPDX-License-Identifier: Apache-2.0
/*
 * Differential fuzzing of the DT index (core/dt.c): on any blob that passes
 * the checks the hypervisor makes at boot, every indexed lookup must give
 * what plain libfdt gives. Any difference aborts, and libFuzzer keeps the
 * input.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include <bulkhead/dt.h>

#include "fuzz.h"

static void same(int indexed, int libfdt, const char *what, int node)
{
	if ((indexed < 0 && libfdt < 0) || indexed == libfdt)
		return;
	fprintf(stderr, "dt index and libfdt differ: %s of node %d: %d vs %d\n", what, node,
		indexed, libfdt);
	abort();
}

static void check_node(const void *fdt, int node)
{
	char path[256];
	int len;

	same(dt_parent_offset(fdt, node), fdt_parent_offset(fdt, node), "parent", node);
	/* Our path must lead back to the node (libfdt's fdt_get_path() is
	 * not called: it writes out of bounds on some malformed trees). */
	if (dt_node_path(fdt, node, path, sizeof(path)) == 0)
		same(dt_path_offset(fdt, path, (int)strlen(path)), fdt_path_offset(fdt, path), "path",
		     node);
	uint32_t phandle = fdt_get_phandle(fdt, node);

	if (phandle != 0)
		same(dt_node_by_phandle(fdt, phandle), fdt_node_offset_by_phandle(fdt, phandle),
		     "phandle", node);
	const char *list = fdt_getprop(fdt, node, "compatible", &len);

	for (int at = 0; list != NULL && at < len;) {
		const char *c = list + at;
		size_t n = strnlen(c, (size_t)(len - at));

		if (n == (size_t)(len - at))
			break; /* not terminated: libfdt and the index may both refuse */
		if (n == 0) {
			/* libfdt's fdt_stringlist_contains() matches "" against the
			 * byte after a list; the index does not. Not compared. */
			at++;
			continue;
		}
		same(dt_node_by_compatible(fdt, -1, c), fdt_node_offset_by_compatible(fdt, -1, c),
		     "first compatible", node);
		same(dt_node_by_compatible(fdt, node, c), fdt_node_offset_by_compatible(fdt, node, c),
		     "next compatible", node);
		same(dt_node_is_compatible(fdt, node, c), fdt_node_check_compatible(fdt, node, c) == 0,
		     "is compatible", node);
		same(dt_node_by_prop_string(fdt, -1, "device_type", c),
		     fdt_node_offset_by_prop_value(fdt, -1, "device_type", c, (int)n + 1),
		     "device_type", node);
		at += (int)n + 1;
	}
}

/* reqs: REQ-CFG-003 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const void *fdt = fuzz_blob(data, size);

	if (fdt == NULL)
		return 0;
	dt_index_build(fdt);
	int depth = 0;

	for (int node = 0, steps = 0; node >= 0 && steps < 4096;
	     node = fdt_next_node(fdt, node, &depth), steps++)
		check_node(fdt, node);
	return 0;
}
