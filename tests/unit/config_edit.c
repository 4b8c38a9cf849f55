// SPDX-License-Identifier: Apache-2.0
/* Edited unit-test DTBs through the boot-time parsers (config_edit.h). */

#include <stdio.h>
#include <string.h>

#include <libfdt.h>

#include <arch/fake.h>
#include <bulkhead/console.h>
#include <bulkhead/dt.h>

#include "config_edit.h"
#include "test.h"

/* test_load_dtb()'s buffers are this big: room for the edits. */
#define EDIT_BUF_SIZE (1 << 20)

#define HV "/chosen/bulkhead"
#define P0 HV "/p0"

const struct edit edit_virt_partition[EDIT_VIRT_PARTITION_COUNT] = {
	{"/chosen", NULL, "bulkhead", 0, {0}},
	{HV, "compatible", "bulkhead,hypervisor", 0, {0}},
	{HV, NULL, "p0", 0, {0}},
	{P0, "compatible", "bulkhead,partition", 0, {0}},
	{P0, "#address-cells", NULL, 1, {2}},
	{P0, "#size-cells", NULL, 1, {2}},
	{P0, "cpus", NULL, 1, {0x8003}}, /* CPU 1 */
	{P0, "memory", NULL, 4, {0, 0x50000000, 0, 0x1000000}},
	{P0, NULL, "module@48000000", 0, {0}},
	{P0 "/module@48000000", "compatible", "multiboot,kernel", 0, {0}},
	{P0 "/module@48000000", "reg", NULL, 4, {0, 0x48000000, 0, 0x1000}},
};

struct platform edit_plat;
struct system_config edit_sys;
struct config_errors edit_errors;

static bool apply(void *fdt, const struct edit *e)
{
	int node = fdt_path_offset(fdt, e->node);

	if (node < 0) {
		printf("  edit: no node %s\n", e->node);
		return false;
	}
	if (e->prop == NULL)
		return fdt_add_subnode(fdt, node, e->str) >= 0;
	if (e->str != NULL)
		return fdt_setprop(fdt, node, e->prop, e->str, (int)strlen(e->str) + 1) == 0;
	if (e->ncells == EDIT_DELETE)
		return fdt_delprop(fdt, node, e->prop) == 0;

	fdt32_t be[EDIT_CELLS_MAX];

	for (int i = 0; i < e->ncells; i++)
		be[i] = cpu_to_fdt32(e->cells[i]);
	return fdt_setprop(fdt, node, e->prop, be, e->ncells * 4) == 0;
}

void *edited_tree(const char *dtb, const struct edit *e, unsigned int n)
{
	void *fdt = test_load_dtb(dtb);

	if (fdt_open_into(fdt, fdt, EDIT_BUF_SIZE) != 0)
		return NULL;
	for (unsigned int i = 0; i < n; i++) {
		if (!apply(fdt, &e[i])) {
			printf("  edit: cannot set %s %s\n", e[i].node,
			       e[i].prop != NULL ? e[i].prop : e[i].str);
			return NULL;
		}
	}
	return fdt_pack(fdt) == 0 ? fdt : NULL;
}

void *edited_parse(const char *dtb, const struct edit *e, unsigned int n, config_peek_fn peek,
		   enum bh_err *status)
{
	void *fdt = edited_tree(dtb, e, n);

	*status = BH_ERR_INVALID;
	if (fdt == NULL)
		return NULL;
	console_init(test_load_dtb("console-path"));
	fake_console_reset();
	dt_index_build(fdt);
	memset(&edit_plat, 0, sizeof(edit_plat));
	memset(&edit_sys, 0, sizeof(edit_sys));
	memset(&edit_errors, 0, sizeof(edit_errors));
	if (platform_parse(fdt, 0, &edit_plat) != BH_OK) {
		printf("  edit: the platform of %s is refused\n", dtb);
		return NULL;
	}
	/* A tree with its own console: the platform knows it, as at boot. */
	if (fdt_getprop(fdt, fdt_path_offset(fdt, "/chosen"), "stdout-path", NULL) != NULL) {
		console_init(fdt);
		fake_console_reset();
		if (platform_set_console(fdt, console_node(), &edit_plat) != BH_OK)
			return NULL;
	}
	*status = config_parse(fdt, &edit_plat, NULL, peek, &edit_sys, &edit_errors);
	return fdt;
}

uint32_t edit_phandle(const void *fdt, const char *path)
{
	int node = fdt_path_offset(fdt, path);

	return node < 0 ? 0 : fdt_get_phandle(fdt, node);
}

bool edit_has_error(const char *path, const char *prop, const char *msg)
{
	unsigned int n = edit_errors.count < MAX_CONFIG_ERRORS ? edit_errors.count
							       : MAX_CONFIG_ERRORS;

	for (unsigned int i = 0; i < n; i++) {
		const struct config_error *e = &edit_errors.list[i];

		if (strcmp(e->path, path) == 0 && strcmp(e->property, prop) == 0 &&
		    strstr(e->message, msg) != NULL)
			return true;
	}
	return false;
}

const char *edit_errors_text(void)
{
	static char text[MAX_CONFIG_ERRORS * 256];
	size_t at = 0;
	unsigned int n = edit_errors.count < MAX_CONFIG_ERRORS ? edit_errors.count
							       : MAX_CONFIG_ERRORS;

	text[0] = '\0';
	for (unsigned int i = 0; i < n && at < sizeof(text); i++) {
		const struct config_error *e = &edit_errors.list[i];
		int w = snprintf(text + at, sizeof(text) - at, "%s '%s': %s\n", e->path,
				 e->property, e->message);

		if (w < 0)
			break;
		at += (size_t)w;
	}
	return text;
}

void edit_check_cases(const char *dtb, const struct error_case *cases, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		const struct error_case *k = &cases[i];
		enum bh_err status;

		if (edited_parse(dtb, k->edit, k->edits, NULL, &status) == NULL) {
			test_fail(__FILE__, __LINE__, "%s case %u (%s): edit failed", dtb, i,
				  k->edit[0].prop);
			continue;
		}
		if (status == BH_OK)
			test_fail(__FILE__, __LINE__, "%s case %u (%s %s): accepted", dtb, i,
				  k->edit[0].node, k->edit[0].prop);
		else if (!edit_has_error(k->path, k->prop, k->msg))
			test_fail(__FILE__, __LINE__, "%s case %u: no error %s '%s': %s among:\n%s",
				  dtb, i, k->path, k->prop, k->msg, edit_errors_text());
	}
}
