// SPDX-License-Identifier: Apache-2.0
/*
 * The sequential writer of a partition's device tree (guest_dt_writer.h):
 * libfdt's fdt_sw calls, the first error kept and every later call skipped,
 * so the builders write node after node and check once at the end.
 */

#include <string.h>

#include <libfdt.h>

#include "guest_dt_writer.h"

void dtw_begin(struct writer *w, const char *name)
{
	if (w->err == 0)
		w->err = fdt_begin_node(w->fdt, name);
}

void dtw_end(struct writer *w)
{
	if (w->err == 0)
		w->err = fdt_end_node(w->fdt);
}

void dtw_prop(struct writer *w, const char *name, const void *val, int len)
{
	if (w->err == 0)
		w->err = fdt_property(w->fdt, name, val, len);
}

void dtw_prop_u32(struct writer *w, const char *name, uint32_t v)
{
	fdt32_t be = cpu_to_fdt32(v);

	dtw_prop(w, name, &be, (int)sizeof(be));
}

void dtw_prop_u64(struct writer *w, const char *name, uint64_t v)
{
	fdt64_t be = cpu_to_fdt64(v);

	dtw_prop(w, name, &be, (int)sizeof(be));
}

void dtw_prop_str(struct writer *w, const char *name, const char *s)
{
	dtw_prop(w, name, s, (int)strlen(s) + 1);
}
