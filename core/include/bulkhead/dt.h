/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Device-tree lookups backed by a one-pass node index.
 *
 * libfdt finds a node by path, phandle, its parent, or the next node with a
 * given compatible by walking the flattened tree from the start each time;
 * on a 60-node QEMU tree that is ~200K instructions per lookup. The index
 * records every node's offset, parent, phandle and compatible list in one
 * pass, so later lookups touch only the nodes they need. Trees larger than the index fall back to plain libfdt,
 * with the same results.
 */
#ifndef BULKHEAD_DT_H
#define BULKHEAD_DT_H

#include <stdbool.h>
#include <stdint.h>

#include <bulkhead/error.h>

#define DT_INDEX_MAX_NODES 512

/* Index @fdt (already checked with fdt_check_header). Returns false, and
 * leaves lookups on plain libfdt, if the tree is too large, older than
 * version 16 or malformed. */
bool dt_index_build(const void *fdt);

/* Whether libfdt can walk @fdt's structure block (already checked with
 * fdt_check_header) to its end without looping or reading past it: every
 * tag known, every property's length and name inside their blocks, nodes
 * closed as opened (core/dt_check.c). A tree that is not is refused. */
bool dt_structure_sound(const void *fdt);

/* What fdt_strerror() says of a libfdt error (core/dt_error.c). */
const char *dt_strerror(int err);

/* Like fdt_path_offset_namelen(): absolute path or alias, "name" matches
 * "name@unit". Returns a node offset or a negative libfdt error. */
int dt_path_offset(const void *fdt, const char *path, int len);

/* Like fdt_getprop(): on the indexed tree a walk over the node's own
 * properties alone, unchecked since the index checked them all. */
const void *dt_getprop(const void *fdt, int node, const char *name, int *lenp);

/* Like fdt_parent_offset(). */
int dt_parent_offset(const void *fdt, int node);

/* Like fdt_node_offset_by_compatible(): first match after @from (-1: all). */
int dt_node_by_compatible(const void *fdt, int from, const char *compatible);

/* Like fdt_node_check_compatible() == 0. */
bool dt_node_is_compatible(const void *fdt, int node, const char *compatible);

/* Like fdt_node_offset_by_phandle(). */
int dt_node_by_phandle(const void *fdt, uint32_t phandle);

/* Like fdt_node_offset_by_prop_value() for a string property. */
int dt_node_by_prop_string(const void *fdt, int from, const char *prop, const char *value);

/* Like fdt_get_path(), but safe on any tree that passed fdt_check_header():
 * libfdt's version writes before @buf when a node name holds a '/' or the
 * root has a name (found by fuzzing). Returns 0 or a negative libfdt error. */
int dt_node_path(const void *fdt, int node, char *buf, int len);

/* The GIC Bulkhead supports (a GICv3, or a GICv2: "arm,gic-400",
 * "arm,cortex-a15-gic", "arm,cortex-a7-gic"): its node, or -1, and its
 * version in *@version (2 or 3) if not NULL (dt_gic.c). */
int dt_gic_node(const void *fdt, unsigned int *version);
/* BH_OK, or an error naming the GIC's node if it is a GICv2 and the
 * machine has more CPUs (@cpu_count) than it can serve (8). */
enum bh_err dt_gic_check_cpus(const void *fdt, unsigned int cpu_count);

#endif
