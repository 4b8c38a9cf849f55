// SPDX-License-Identifier: Apache-2.0
/* core/dt.c must answer exactly as libfdt does, indexed or not; and so
 * must core/dt_error.c. */

#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include <bulkhead/dt.h>

#include "test.h"

/* dt_getprop against fdt_getprop: every property name the tree has (and
 * one it has not) asked of every node, value pointer and length alike. */
static void getprop_agrees(const void *fdt)
{
	for (int node = 0; node >= 0; node = fdt_next_node(fdt, node, NULL)) {
		for (int q = 0; q >= 0; q = fdt_next_node(fdt, q, NULL)) {
			int prop;

			fdt_for_each_property_offset(prop, fdt, q) {
				const char *name;
				int la = 0, lb = 0;

				REQUIRE(fdt_getprop_by_offset(fdt, prop, &name, NULL) != NULL);
				CHECK(dt_getprop(fdt, node, name, &la) == fdt_getprop(fdt, node, name, &lb));
				CHECK_EQ(la, lb);
			}
		}
		int la = 0, lb = 0;

		CHECK(dt_getprop(fdt, node, "no-such-property", &la) == NULL);
		CHECK(fdt_getprop(fdt, node, "no-such-property", &lb) == NULL);
		CHECK_EQ(la, lb);
		CHECK(dt_getprop(fdt, node, "no-such-property", NULL) == NULL);
	}
}

/* Every node's path, parent and compatible search, against libfdt. */
static void agree_with_libfdt(void *fdt)
{
	char path[256];
	int node;

	for (node = 0; node >= 0; node = fdt_next_node(fdt, node, NULL)) {
		CHECK_EQ(fdt_get_path(fdt, node, path, sizeof(path)), 0);
		CHECK_EQ(dt_path_offset(fdt, path, (int)strlen(path)), node);
		CHECK_EQ(dt_parent_offset(fdt, node), fdt_parent_offset(fdt, node));
	}
	static const char *const compats[] = {"arm,pl011", "arm,gic-v3", "arm,psci-0.2",
					       "arm,armv8-timer", "virtio,mmio", "nothing"};
	for (size_t i = 0; i < sizeof(compats) / sizeof(compats[0]); i++) {
		int a = -1, b = -1;

		do {
			a = dt_node_by_compatible(fdt, a, compats[i]);
			b = fdt_node_offset_by_compatible(fdt, b, compats[i]);
			CHECK_EQ(a, b);
		} while (a >= 0 && b >= 0);
	}
	int a = -1, b = -1;

	do {
		a = dt_node_by_prop_string(fdt, a, "device_type", "memory");
		b = fdt_node_offset_by_prop_value(fdt, b, "device_type", "memory", 7);
		CHECK_EQ(a, b);
	} while (a >= 0 && b >= 0);
	getprop_agrees(fdt);
}

TEST(dt_index_agrees_with_libfdt_on_qemu_virt) /* reqs: REQ-CFG-003 */
{
	void *fdt = test_load_dtb("qemu-virt");

	CHECK(dt_index_build(fdt));
	agree_with_libfdt(fdt);
	/* Unit-address-less names, aliases and misses. */
	CHECK_EQ(dt_path_offset(fdt, "/pl011", 6), fdt_path_offset(fdt, "/pl011"));
	CHECK_EQ(dt_path_offset(fdt, "/chosen", 7), fdt_path_offset(fdt, "/chosen"));
	CHECK(dt_path_offset(fdt, "/no-such-node", 13) < 0);
}

TEST(dt_index_aliases) /* reqs: REQ-CFG-003 */
{
	void *fdt = test_load_dtb("console-alias");

	CHECK(dt_index_build(fdt));
	CHECK_EQ(dt_path_offset(fdt, "serial0", 7), fdt_path_offset(fdt, "/soc/uart@2000"));
	CHECK(dt_path_offset(fdt, "serial9", 7) < 0);
	agree_with_libfdt(fdt);
}

TEST(dt_falls_back_when_not_indexed) /* reqs: REQ-CFG-003 */
{
	void *fdt = test_load_dtb("qemu-virt");
	void *other = test_load_dtb("console-alias");

	CHECK(dt_index_build(other)); /* the index is for another tree */
	agree_with_libfdt(fdt);
}

TEST(dt_too_large_a_tree_stays_on_libfdt) /* reqs: REQ-CFG-003 */
{
	size_t size = 256 * 1024;
	void *fdt = malloc(size);
	char name[32];

	CHECK_EQ(fdt_create(fdt, (int)size), 0);
	CHECK_EQ(fdt_finish_reservemap(fdt), 0);
	CHECK_EQ(fdt_begin_node(fdt, ""), 0);
	for (int i = 0; i < DT_INDEX_MAX_NODES + 10; i++) {
		snprintf(name, sizeof(name), "n@%x", i);
		CHECK_EQ(fdt_begin_node(fdt, name), 0);
		CHECK_EQ(fdt_end_node(fdt), 0);
	}
	CHECK_EQ(fdt_end_node(fdt), 0);
	CHECK_EQ(fdt_finish(fdt), 0);
	CHECK(!dt_index_build(fdt));
	CHECK_EQ(dt_path_offset(fdt, "/n@205", 6), fdt_path_offset(fdt, "/n@205"));
	free(fdt);
}

/* The scanner checks every length: a corrupt tree is refused, not indexed. */
TEST(dt_index_refuses_corrupt_trees) /* reqs: REQ-CFG-003 REQ-CFG-001 */
{
	void *fdt = test_load_dtb("qemu-virt");
	uint8_t *st = (uint8_t *)fdt + fdt_off_dt_struct(fdt);
	uint32_t size = fdt_size_dt_struct(fdt);
	uint32_t pos;

	CHECK(dt_index_build(fdt));
	/* Find the first property and make its length run past the block. */
	for (pos = 0; pos + 12 <= size; pos += 4) {
		if (fdt32_to_cpu(*(fdt32_t *)(st + pos)) == FDT_PROP)
			break;
	}
	REQUIRE(pos + 12 <= size);
	*(fdt32_t *)(st + pos + 4) = cpu_to_fdt32(size);
	CHECK(!dt_index_build(fdt));
	*(fdt32_t *)(st + pos + 4) = cpu_to_fdt32(4);
	/* A name offset outside the strings block. */
	*(fdt32_t *)(st + pos + 8) = cpu_to_fdt32(fdt_size_dt_strings(fdt));
	CHECK(!dt_index_build(fdt));
	/* An unknown tag. */
	*(fdt32_t *)(st + pos) = cpu_to_fdt32(0x77);
	CHECK(!dt_index_build(fdt));
	/* With no index, lookups still answer through libfdt. */
	CHECK(dt_path_offset(fdt, "/chosen", 7) == fdt_path_offset(fdt, "/chosen"));
}

/* A tree built with libfdt's sequential writer: @root_name for the root,
 * one child @child_name with two "compatible" and two "phandle" properties
 * and a property after its own subnode, which libfdt never sees. */
static void *odd_tree(const char *root_name, const char *child_name)
{
	static uint64_t buf[512];

	CHECK_EQ(fdt_create(buf, sizeof(buf)), 0);
	CHECK_EQ(fdt_finish_reservemap(buf), 0);
	CHECK_EQ(fdt_begin_node(buf, root_name), 0);
	CHECK_EQ(fdt_begin_node(buf, child_name), 0);
	CHECK_EQ(fdt_property_string(buf, "compatible", "first"), 0);
	CHECK_EQ(fdt_property_string(buf, "compatible", "second"), 0);
	CHECK_EQ(fdt_property_u32(buf, "phandle", 7), 0);
	CHECK_EQ(fdt_property_u32(buf, "phandle", 8), 0);
	CHECK_EQ(fdt_begin_node(buf, "sub"), 0);
	CHECK_EQ(fdt_end_node(buf), 0);
	CHECK_EQ(fdt_property_string(buf, "device_type", "late"), 0);
	CHECK_EQ(fdt_end_node(buf), 0);
	CHECK_EQ(fdt_end_node(buf), 0);
	CHECK_EQ(fdt_finish(buf), 0);
	return buf;
}

TEST(dt_index_keeps_the_first_of_duplicate_properties_as_libfdt_does) /* reqs: REQ-CFG-003 */
{
	void *fdt = odd_tree("", "child");

	REQUIRE(dt_index_build(fdt));
	int child = fdt_path_offset(fdt, "/child");

	REQUIRE(child > 0);
	CHECK_EQ(dt_node_by_compatible(fdt, -1, "first"), child);
	CHECK_EQ(fdt_node_offset_by_compatible(fdt, -1, "first"), child);
	CHECK(dt_node_by_compatible(fdt, -1, "second") < 0);
	CHECK_EQ(dt_node_by_phandle(fdt, 7), child);
	CHECK(dt_node_by_phandle(fdt, 8) < 0);
	/* After a subnode, libfdt no longer sees the node's properties. */
	CHECK(fdt_node_offset_by_prop_value(fdt, -1, "device_type", "late", 5) < 0);
	CHECK(dt_node_by_prop_string(fdt, -1, "device_type", "late") < 0);
	CHECK(dt_getprop(fdt, child, "device_type", NULL) == NULL);
	/* The first of duplicates, and NOPs (a property overwritten) skipped. */
	CHECK(dt_getprop(fdt, child, "compatible", NULL) == fdt_getprop(fdt, child, "compatible", NULL));
	getprop_agrees(fdt);
	CHECK_EQ(fdt_nop_property(fdt, child, "compatible"), 0);
	REQUIRE(dt_index_build(fdt));
	CHECK(fdt_getprop(fdt, child, "compatible", NULL) != NULL); /* the second one now */
	getprop_agrees(fdt);
}

TEST(dt_node_path_is_bounded_on_malformed_names) /* reqs: REQ-CFG-003 */
{
	char path[16];
	/* libfdt's fdt_get_path() writes before its buffer on these. */
	void *fdt = odd_tree("rootname", "a/b/c");

	dt_index_build(fdt);
	int child = fdt_first_subnode(fdt, 0);

	REQUIRE(child > 0);
	CHECK_EQ(dt_node_path(fdt, child, path, sizeof(path)), 0);
	CHECK_STR(path, "/a/b/c");
	CHECK_EQ(dt_node_path(fdt, 0, path, sizeof(path)), 0);
	CHECK_STR(path, "/");
	int sub = fdt_first_subnode(fdt, child);

	CHECK_EQ(dt_node_path(fdt, sub, path, 8), -FDT_ERR_NOSPACE);
	CHECK_EQ(dt_node_path(fdt, sub, path, sizeof(path)), 0);
	CHECK_STR(path, "/a/b/c/sub");
	CHECK_EQ(dt_node_path(fdt, sub, path, 11), 0); /* exactly fits with its NUL */
	CHECK_EQ(dt_node_path(fdt, sub, path, 10), -FDT_ERR_NOSPACE);
}

/* Found by fuzz-dt: a second top-level node after the root's end. libfdt
 * reaches no node past the root; the index refuses the tree, so lookups
 * stay on libfdt and agree with it. */
TEST(dt_index_refuses_a_second_root) /* reqs: REQ-CFG-003 REQ-CFG-001 */
{
	static char buf[1024];

	REQUIRE(fdt_create(buf, sizeof(buf)) == 0);
	REQUIRE(fdt_finish_reservemap(buf) == 0);
	REQUIRE(fdt_begin_node(buf, "") == 0);
	REQUIRE(fdt_begin_node(buf, "a") == 0);
	REQUIRE(fdt_end_node(buf) == 0);
	REQUIRE(fdt_end_node(buf) == 0);
	REQUIRE(fdt_begin_node(buf, "stray") == 0);
	REQUIRE(fdt_begin_node(buf, "child") == 0);
	REQUIRE(fdt_end_node(buf) == 0);
	REQUIRE(fdt_end_node(buf) == 0);
	REQUIRE(fdt_finish(buf) == 0);
	CHECK(!dt_index_build(buf));
	int depth = 0;
	int child = -1;

	for (int n = 0; n >= 0; n = fdt_next_node(buf, n, &depth)) {
		const char *name = fdt_get_name(buf, n, NULL);

		if (name != NULL && strcmp(name, "child") == 0)
			child = n;
	}
	REQUIRE(child > 0);
	CHECK_EQ(dt_parent_offset(buf, child), fdt_parent_offset(buf, child));
}

/* Two aliases naming each other: libfdt alone would follow them until the
 * stack overflows. Unindexed, dt_path_offset() refuses an alias that is not
 * an absolute path (and still follows one that is). */
TEST(dt_unindexed_alias_loop_is_refused) /* reqs: REQ-CFG-003 REQ-CFG-001 */
{
	static uint64_t buf[256];

	REQUIRE(fdt_create(buf, sizeof(buf)) == 0);
	REQUIRE(fdt_finish_reservemap(buf) == 0);
	REQUIRE(fdt_begin_node(buf, "") == 0);
	REQUIRE(fdt_begin_node(buf, "aliases") == 0);
	REQUIRE(fdt_property_string(buf, "a", "b") == 0);
	REQUIRE(fdt_property_string(buf, "b", "a") == 0);
	REQUIRE(fdt_property_string(buf, "good", "/uart@1000") == 0);
	REQUIRE(fdt_end_node(buf) == 0);
	REQUIRE(fdt_begin_node(buf, "uart@1000") == 0);
	REQUIRE(fdt_end_node(buf) == 0);
	REQUIRE(fdt_end_node(buf) == 0);
	REQUIRE(fdt_finish(buf) == 0);

	CHECK_EQ(dt_path_offset(buf, "a", 1), -FDT_ERR_BADPATH);
	CHECK_EQ(dt_path_offset(buf, "b/x", 3), -FDT_ERR_BADPATH);
	CHECK_EQ(dt_path_offset(buf, "good", 4), fdt_path_offset(buf, "/uart@1000"));
	CHECK_EQ(dt_path_offset(buf, "/uart", 5), fdt_path_offset(buf, "/uart@1000"));
}

TEST(dt_strerror_names_errors_as_libfdt_does) /* reqs: REQ-CFG-006 */
{
	/* Its own table, held in place (no relocations): the same words;
	 * but for codes newer than the host's libfdt, which it calls unknown. */
	for (int err = -FDT_ERR_MAX - 2; err <= 1; err++) {
		if (err >= -FDT_ERR_MAX && strcmp(fdt_strerror(err), "<unknown error>") == 0)
			CHECK(strncmp(dt_strerror(err), "FDT_ERR_", 8) == 0);
		else
			CHECK_STR(dt_strerror(err), fdt_strerror(err));
	}
}
