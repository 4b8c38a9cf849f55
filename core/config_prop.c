// SPDX-License-Identifier: Apache-2.0
/*
 * Reading the configuration's properties by their form: one reader, and
 * one wording of its errors, for every property that must be exactly so
 * many cells (an address, an (address size) pair, a number, two phandles),
 * a list of entries of so many cells, or a string among choices, where
 * each decoder used to open-code the lookup, the length check and the
 * error (issue 22: the decoder's size).
 */

#include <string.h>

#include <libfdt.h>

#include <bulkhead/compiler.h>
#include <bulkhead/dt.h>

#include "config_internal.h"

const fdt32_t *config_prop_cells(struct config_ctx *c, int node, const char *prop,
				 unsigned int cells, const char *what, const char *required)
{
	int len;
	const fdt32_t *v = dt_getprop(c->fdt, node, prop, &len);

	if (v == NULL) {
		if (required != NULL)
			config_error(c, CFG_ERR_MISSING_PROPERTY, node, prop, "%s", required);
		return NULL;
	}
	if ((unsigned int)len != cells * 4u) {
		config_error(c, CFG_ERR_MALFORMED, node, prop, "expected %u cell%s (%s)", cells,
			     cells == 1u ? "" : "s", what);
		return NULL;
	}
	return v;
}

bool config_read_u32(struct config_ctx *c, int node, const char *prop, uint32_t *out)
{
	const fdt32_t *v = config_prop_cells(c, node, prop, 1, "a 32-bit number", NULL);

	if (v != NULL)
		*out = fdt32_to_cpu(*v);
	return v != NULL;
}

bool config_read_address(struct config_ctx *c, int node, const char *prop, int ac, uint64_t *out)
{
	const fdt32_t *v = config_prop_cells(c, node, prop, (unsigned int)ac, "#address-cells", NULL);

	if (v != NULL)
		*out = fdt_read_cells(v, ac);
	return v != NULL;
}

const fdt32_t *config_prop_list(struct config_ctx *c, int node, const char *prop,
				unsigned int cells, unsigned int max, const char *what,
				unsigned int *count)
{
	int len;
	const fdt32_t *v = dt_getprop(c->fdt, node, prop, &len);
	const unsigned int bytes = cells * 4u;
	const unsigned int n = v != NULL ? (unsigned int)len / bytes : 0u;

	*count = 0;
	if (v == NULL)
		return NULL;
	if (n == 0u || n * bytes != (unsigned int)len || n > max) {
		config_error(c, CFG_ERR_MALFORMED, node, prop, "length %d: must be 1 to %u %s, %u bytes each",
			     len, max, what, bytes);
		return NULL;
	}
	*count = n;
	return v;
}

uint32_t config_u32_or(const void *fdt, int node, const char *prop, uint32_t fallback)
{
	int len;
	const fdt32_t *v = dt_getprop(fdt, node, prop, &len);

	return v != NULL && len == 4 ? fdt32_to_cpu(*v) : fallback;
}

int config_prop_choice(struct config_ctx *c, int node, const char *prop,
		       const char *const *choices, unsigned int n, const char *err)
{
	int len;
	const char *v = dt_getprop(c->fdt, node, prop, &len);

	if (v == NULL)
		return -1;
	/* The whole value, NUL-terminated: a prefix of a choice is not it. */
	for (unsigned int i = 0; i < n; i++) {
		if (strnlen(v, (size_t)len) == strlen(choices[i]) && strcmp(v, choices[i]) == 0)
			return (int)i;
	}
	config_error(c, CFG_ERR_BAD_VALUE, node, prop, "%s", err);
	return -2;
}
