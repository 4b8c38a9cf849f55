/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A unit test's DTB with a few properties changed or removed, through the
 * boot-time parsers: one valid system DT per fixture, and each error case a
 * small edit of it rather than a DTS file of its own.
 */
#ifndef BULKHEAD_UNIT_CONFIG_EDIT_H
#define BULKHEAD_UNIT_CONFIG_EDIT_H

#include <stdbool.h>
#include <stdint.h>

#include <bulkhead/partition_config.h>
#include <bulkhead/platform.h>

#define EDIT_CELLS_MAX 24

/* Set @prop of @node to @str (when not NULL), else to @cells (@ncells of
 * them; EDIT_DELETE removes the property, EDIT_EMPTY leaves it empty).
 * Without @prop: add the subnode @str to @node. */
struct edit {
	const char *node;
	const char *prop;
	const char *str;
	int ncells;
	uint32_t cells[EDIT_CELLS_MAX];
};

#define EDIT_DELETE (-1)
#define EDIT_EMPTY 0

/* Edits that give QEMU's virt tree (qemu-virt) one partition, p0: CPU 1,
 * 16 MiB at 0x50000000, its kernel at 0x48000000. The last is the kernel
 * module's reg. */
#define EDIT_VIRT_PARTITION_COUNT 11
extern const struct edit edit_virt_partition[EDIT_VIRT_PARTITION_COUNT];

/* The parsers' results for the last edited_parse(). */
extern struct platform edit_plat;
extern struct system_config edit_sys;
extern struct config_errors edit_errors;

/* DTB @dtb with @n edits (in a buffer of its own), or NULL if one failed. */
void *edited_tree(const char *dtb, const struct edit *e, unsigned int n);

/* DTB @dtb with @n edits, indexed and parsed as at boot (with @peek for the
 * kernel's header); the tree (for more lookups) or NULL if an edit failed,
 * and in *status what config_parse() returned. */
void *edited_parse(const char *dtb, const struct edit *e, unsigned int n, config_peek_fn peek,
		   enum bh_err *status);

/* The phandle of the node at @path in @fdt, or 0. */
uint32_t edit_phandle(const void *fdt, const char *path);

/* Whether edit_errors holds an error at @path, @prop, whose message
 * contains @msg. */
bool edit_has_error(const char *path, const char *prop, const char *msg);

/* An edit (of one or two properties) that must be refused, with an error
 * at @path, @prop whose message contains @msg. */
struct error_case {
	struct edit edit[2];
	unsigned int edits;
	const char *path, *prop, *msg;
};

/* Each of @cases, applied alone to @dtb, refused with its error (a test
 * failure, naming the case, for each that is not). */
void edit_check_cases(const char *dtb, const struct error_case *cases, unsigned int n);

/* The errors, one a line, for a failing check's message. */
const char *edit_errors_text(void);

#endif
