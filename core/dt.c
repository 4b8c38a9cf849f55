// SPDX-License-Identifier: Apache-2.0
/* One-pass device-tree node index; see bulkhead/dt.h for why. */

#include <string.h>

#include <libfdt.h>

#include <bulkhead/dt.h>

#define MAX_DEPTH 32

struct dt_index {
	const void *fdt; /* the tree indexed, NULL if none */
	int count;
	int offset[DT_INDEX_MAX_NODES]; /* ascending, as met in the tree */
	short parent[DT_INDEX_MAX_NODES]; /* index of the parent, -1 for / */
	uint32_t phandle[DT_INDEX_MAX_NODES]; /* 0: none */
	const char *compatible[DT_INDEX_MAX_NODES]; /* string list, or NULL */
	unsigned short compatible_len[DT_INDEX_MAX_NODES];
};

static struct dt_index idx;

/* One walk over a node's properties for the ones lookups want. */
static void record_properties(const void *fdt, int node, int i)
{
	int off;

	idx.phandle[i] = 0;
	idx.compatible[i] = NULL;
	idx.compatible_len[i] = 0;
	fdt_for_each_property_offset(off, fdt, node) {
		const char *name;
		int len;
		const void *val = fdt_getprop_by_offset(fdt, off, &name, &len);

		if (val == NULL)
			continue;
		if (strcmp(name, "compatible") == 0 && len > 0 && len < 65536) {
			idx.compatible[i] = val;
			idx.compatible_len[i] = (unsigned short)len;
		} else if ((strcmp(name, "phandle") == 0 || strcmp(name, "linux,phandle") == 0) &&
			   len == 4) {
			idx.phandle[i] = fdt32_to_cpu(*(const fdt32_t *)val);
		}
	}
}

/* Is @compatible one of the strings in the list @list of @len bytes? */
static bool list_contains(const char *list, int len, const char *compatible)
{
	size_t want = strlen(compatible) + 1;

	while (len > 0) {
		size_t n = strnlen(list, (size_t)len) + 1;

		if (n == want && memcmp(list, compatible, want) == 0)
			return true;
		list += n;
		len -= (int)n;
	}
	return false;
}

bool dt_index_build(const void *fdt)
{
	short stack[MAX_DEPTH];
	int depth = 0;
	int node = 0;

	idx.fdt = NULL;
	idx.count = 0;
	/* fdt_next_node() leaves depth negative once past the root's end. */
	while (depth >= 0) {
		if (node < 0 || depth >= MAX_DEPTH || idx.count == DT_INDEX_MAX_NODES)
			return false;
		idx.offset[idx.count] = node;
		idx.parent[idx.count] = depth == 0 ? -1 : stack[depth - 1];
		record_properties(fdt, node, idx.count);
		stack[depth] = (short)idx.count;
		idx.count++;
		node = fdt_next_node(fdt, node, &depth);
	}
	idx.fdt = fdt;
	return true;
}

static int find(const void *fdt, int node)
{
	int lo = 0;
	int hi = idx.count - 1;

	if (idx.fdt != fdt)
		return -1;
	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;

		if (idx.offset[mid] == node)
			return mid;
		if (idx.offset[mid] < node)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

int dt_parent_offset(const void *fdt, int node)
{
	int i = find(fdt, node);

	if (i < 0)
		return fdt_parent_offset(fdt, node);
	if (idx.parent[i] < 0)
		return -FDT_ERR_NOTFOUND;
	return idx.offset[idx.parent[i]];
}

/* "name" matches "name" and "name@unit"; "name@unit" only itself. */
static bool name_matches(const void *fdt, int node, const char *name, int len)
{
	int nlen;
	const char *n = fdt_get_name(fdt, node, &nlen);

	if (n == NULL || nlen < len || memcmp(n, name, (size_t)len) != 0)
		return false;
	return nlen == len || (memchr(name, '@', (size_t)len) == NULL && n[len] == '@');
}

static int child_by_name(const void *fdt, int parent_i, const char *name, int len)
{
	for (int i = parent_i + 1; i < idx.count; i++) {
		if (idx.parent[i] == parent_i && name_matches(fdt, idx.offset[i], name, len))
			return i;
	}
	return -1;
}

/* Follow "a/b@1/c" down from index entry @cur. */
static int walk(const void *fdt, int cur, const char *p, const char *end)
{
	while (cur >= 0 && p < end) {
		while (p < end && *p == '/')
			p++;
		if (p == end)
			break;
		const char *q = memchr(p, '/', (size_t)(end - p));
		int clen = q != NULL ? (int)(q - p) : (int)(end - p);

		cur = child_by_name(fdt, cur, p, clen);
		p += clen;
	}
	return cur;
}

int dt_path_offset(const void *fdt, const char *path, int len)
{
	const char *end = path + len;
	int start = 0; /* the root */

	if (idx.fdt != fdt)
		return fdt_path_offset_namelen(fdt, path, len);
	if (len <= 0)
		return -FDT_ERR_BADPATH;
	if (path[0] != '/') {
		/* An alias, possibly followed by a path below its target. */
		const char *slash = memchr(path, '/', (size_t)len);
		int alen = slash != NULL ? (int)(slash - path) : len;
		int aliases = dt_path_offset(fdt, "/aliases", 8);
		int plen;
		const char *target = aliases < 0 ? NULL
					: fdt_getprop_namelen(fdt, aliases, path, alen, &plen);

		if (target == NULL || plen < 2 || target[0] != '/')
			return -FDT_ERR_BADPATH;
		int base = dt_path_offset(fdt, target, (int)strnlen(target, (size_t)plen));

		if (base < 0)
			return base;
		start = find(fdt, base);
		path = slash != NULL ? slash : end;
	}
	int cur = walk(fdt, start, path, end);

	return cur >= 0 ? idx.offset[cur] : -FDT_ERR_NOTFOUND;
}

int dt_node_by_compatible(const void *fdt, int from, const char *compatible)
{
	if (idx.fdt != fdt)
		return fdt_node_offset_by_compatible(fdt, from, compatible);
	for (int i = 0; i < idx.count; i++) {
		if (idx.offset[i] > from && idx.compatible[i] != NULL &&
		    list_contains(idx.compatible[i], idx.compatible_len[i], compatible))
			return idx.offset[i];
	}
	return -FDT_ERR_NOTFOUND;
}

bool dt_node_is_compatible(const void *fdt, int node, const char *compatible)
{
	int i = find(fdt, node);

	if (i < 0)
		return fdt_node_check_compatible(fdt, node, compatible) == 0;
	return idx.compatible[i] != NULL &&
	       list_contains(idx.compatible[i], idx.compatible_len[i], compatible);
}

int dt_node_by_phandle(const void *fdt, uint32_t phandle)
{
	if (idx.fdt != fdt)
		return fdt_node_offset_by_phandle(fdt, phandle);
	if (phandle == 0 || phandle == 0xffffffffu)
		return -FDT_ERR_BADPHANDLE;
	for (int i = 0; i < idx.count; i++) {
		if (idx.phandle[i] == phandle)
			return idx.offset[i];
	}
	return -FDT_ERR_NOTFOUND;
}

int dt_node_by_prop_string(const void *fdt, int from, const char *prop, const char *value)
{
	int vlen = (int)strlen(value) + 1;

	if (idx.fdt != fdt)
		return fdt_node_offset_by_prop_value(fdt, from, prop, value, vlen);
	for (int i = 0; i < idx.count; i++) {
		int len;
		const char *v;

		if (idx.offset[i] <= from)
			continue;
		v = fdt_getprop(fdt, idx.offset[i], prop, &len);
		if (v != NULL && len == vlen && memcmp(v, value, (size_t)vlen) == 0)
			return idx.offset[i];
	}
	return -FDT_ERR_NOTFOUND;
}
