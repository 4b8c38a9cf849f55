// SPDX-License-Identifier: Apache-2.0
/* One-pass device-tree node index; see bulkhead/dt.h for why. */

#include <string.h>

#include <libfdt.h>

#include <bulkhead/arch.h>
#include <bulkhead/compiler.h>
#include <bulkhead/dt.h>

#define MAX_DEPTH 32

struct dt_index {
	const void *fdt; /* the tree indexed, NULL if none */
	int count;
	int offset[DT_INDEX_MAX_NODES]; /* ascending, as met in the tree */
	short parent[DT_INDEX_MAX_NODES]; /* index of the parent, -1 for / */
	uint32_t phandle[DT_INDEX_MAX_NODES]; /* 0: none */
	/* Byte offsets into the blob (0: absent): half the size of pointers. */
	uint32_t compatible[DT_INDEX_MAX_NODES]; /* string list */
	unsigned short compatible_len[DT_INDEX_MAX_NODES];
	uint32_t device_type[DT_INDEX_MAX_NODES];
	/* Where the node's properties start in the structure block. */
	uint32_t props[DT_INDEX_MAX_NODES];
};


/* From the page pool on first use; NULL: lookups stay on plain libfdt. */
static struct dt_index *idx;

static bool indexed(const void *fdt)
{
	return idx != NULL && idx->fdt == fdt;
}

static const char *at(uint32_t offset)
{
	return offset != 0 ? (const char *)idx->fdt + offset : NULL;
}

/* Properties already met in the node being scanned: libfdt's getprop
 * returns the first of duplicates, so the index keeps the first too. */
#define SEEN_COMPATIBLE (1u << 0)
#define SEEN_DEVICE_TYPE (1u << 1)
#define SEEN_PHANDLE (1u << 2)
#define SEEN_LINUX_PHANDLE (1u << 3)
#define PHANDLE_FROM_PHANDLE (1u << 4)

static void record_property(const void *fdt, int i, const char *name, const void *val,
			    int len, unsigned int *seen)
{
	uint32_t offset = (uint32_t)((const char *)val - (const char *)fdt);

	if (strcmp(name, "compatible") == 0) {
		if (!(*seen & SEEN_COMPATIBLE) && len > 0 && len < 65536) {
			idx->compatible[i] = offset;
			idx->compatible_len[i] = (unsigned short)len;
		}
		*seen |= SEEN_COMPATIBLE;
	} else if (strcmp(name, "phandle") == 0) {
		/* As fdt_get_phandle(): the first "phandle" if it is one cell,
		 * else the first "linux,phandle" if that is. */
		if (!(*seen & SEEN_PHANDLE) && len == 4) {
			idx->phandle[i] = fdt32_to_cpu(*(const fdt32_t *)val);
			*seen |= PHANDLE_FROM_PHANDLE;
		}
		*seen |= SEEN_PHANDLE;
	} else if (strcmp(name, "linux,phandle") == 0) {
		if (!(*seen & (SEEN_LINUX_PHANDLE | PHANDLE_FROM_PHANDLE)) && len == 4)
			idx->phandle[i] = fdt32_to_cpu(*(const fdt32_t *)val);
		*seen |= SEEN_LINUX_PHANDLE;
	} else if (strcmp(name, "device_type") == 0) {
		if (!(*seen & SEEN_DEVICE_TYPE) && len > 0 &&
		    strnlen(val, (size_t)len) + 1 == (size_t)len)
			idx->device_type[i] = offset;
		*seen |= SEEN_DEVICE_TYPE;
	} else {
		/* a property the index does not keep */
	}
}

/* Is @compatible (@want bytes with its NUL) one of the strings in the list
 * @list of @len bytes? The caller measures @compatible once per lookup. */
static bool list_contains(const char *list, int len, const char *compatible, size_t want)
{
	while (len > 0) {
		size_t n = strnlen(list, (size_t)len) + 1;

		if (n == want && memcmp(list, compatible, want) == 0)
			return true;
		list += n;
		len -= (int)n;
	}
	return false;
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static bool add_node(int offset, short *stack, int depth)
{
	if (depth >= MAX_DEPTH || idx->count == DT_INDEX_MAX_NODES)
		return false;
	int i = idx->count++;

	idx->offset[i] = offset;
	idx->parent[i] = depth == 0 ? -1 : stack[depth - 1];
	idx->phandle[i] = 0;
	idx->compatible[i] = 0;
	idx->compatible_len[i] = 0;
	idx->device_type[i] = 0;
	stack[depth] = (short)i;
	return true;
}

/*
 * One linear pass over the structure block, every length and offset checked
 * against the block it points into. Version 16+ trees only (what every
 * current loader produces); for any other, as for a tree larger than the
 * index, lookups stay on plain libfdt.
 */
static bool scan(const void *fdt)
{
	const uint8_t *st = (const uint8_t *)fdt + fdt_off_dt_struct(fdt);
	const char *strings = (const char *)fdt + fdt_off_dt_strings(fdt);
	uint32_t size = fdt_size_dt_struct(fdt);
	uint32_t strings_size = fdt_size_dt_strings(fdt);
	short stack[MAX_DEPTH];
	int depth = 0;
	int current = -1;
	unsigned int seen = 0;
	/* libfdt sees no property of a node after its first subnode. */
	bool props_open = false;

	if (fdt_version(fdt) < 16 || fdt_off_dt_struct(fdt) + size > fdt_totalsize(fdt) ||
	    fdt_off_dt_strings(fdt) + strings_size > fdt_totalsize(fdt))
		return false;
	for (uint32_t pos = 0; pos + 4 <= size;) {
		uint32_t tag_at = pos;
		uint32_t tag = be32(st + pos);

		pos += 4;
		switch (tag) {
		case FDT_BEGIN_NODE: {
			size_t n = strnlen((const char *)st + pos, size - pos);

			/* One root: libfdt reaches no node after the root's end
			 * (a second top-level node), so neither may the index. */
			if (depth == 0 && idx->count > 0)
				return false;
			if (n == size - pos || !add_node((int)tag_at, stack, depth))
				return false;
			current = stack[depth++];
			seen = 0;
			props_open = true;
			pos = ALIGN_UP(pos + (uint32_t)n + 1, 4u);
			idx->props[current] = pos;
			break;
		}
		case FDT_END_NODE:
			if (--depth < 0)
				return false;
			current = depth > 0 ? stack[depth - 1] : -1;
			props_open = false;
			break;
		case FDT_PROP: {
			if (size - pos < 8 || current < 0)
				return false;
			uint32_t len = be32(st + pos);
			uint32_t name = be32(st + pos + 4);

			pos += 8;
			if (len > size - pos || name >= strings_size ||
			    strnlen(strings + name, strings_size - name) == strings_size - name)
				return false;
			if (props_open)
				record_property(fdt, current, strings + name, st + pos, (int)len,
						&seen);
			pos = ALIGN_UP(pos + len, 4u);
			break;
		}
		case FDT_NOP:
			break;
		case FDT_END:
			return depth == 0 && idx->count > 0;
		default:
			return false;
		}
	}
	return false;
}

bool dt_index_build(const void *fdt)
{
	if (idx == NULL)
		idx = arch_boot_alloc(sizeof(*idx));
	if (idx == NULL)
		return false;
	idx->fdt = NULL;
	idx->count = 0;
	if (!scan(fdt)) {
		idx->count = 0; /* lookups stay on plain libfdt */
		return false;
	}
	idx->fdt = fdt;
	return true;
}

static int find(const void *fdt, int node)
{
	int lo = 0;

	if (!indexed(fdt))
		return -1;
	int hi = idx->count - 1; /* idx is NULL before the first build */
	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;

		if (idx->offset[mid] == node)
			return mid;
		if (idx->offset[mid] < node)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/*
 * The node's properties as fdt_getprop() walks them: in order, NOPs skipped,
 * up to the first subnode or the node's end. The scan checked every tag,
 * length and name offset of the block, so this walk needs no check of its
 * own; libfdt re-checks each on every step (about 100 instructions a
 * property), which made property lookups most of the boot's time.
 */
const void *dt_getprop(const void *fdt, int node, const char *name, int *lenp)
{
	int i = find(fdt, node);

	if (i < 0)
		return fdt_getprop(fdt, node, name, lenp);
	const uint8_t *st = (const uint8_t *)fdt + fdt_off_dt_struct(fdt);
	const char *strings = (const char *)fdt + fdt_off_dt_strings(fdt);
	uint32_t pos = idx->props[i];
	uint32_t tag = be32(&st[pos]);

	while (tag == (uint32_t)FDT_NOP || tag == (uint32_t)FDT_PROP) {
		if (tag == (uint32_t)FDT_PROP) {
			uint32_t len = be32(&st[pos + 4u]);

			if (strcmp(&strings[be32(&st[pos + 8u])], name) == 0) {
				if (lenp != NULL)
					*lenp = (int)len;
				return &st[pos + 12u];
			}
			pos = ALIGN_UP(pos + 12u + len, 4u);
		} else {
			pos += 4u;
		}
		tag = be32(&st[pos]);
	}
	if (lenp != NULL)
		*lenp = -FDT_ERR_NOTFOUND;
	return NULL;
}

int dt_parent_offset(const void *fdt, int node)
{
	int i = find(fdt, node);

	if (i < 0)
		return fdt_parent_offset(fdt, node);
	if (idx->parent[i] < 0)
		return -FDT_ERR_NOTFOUND;
	return idx->offset[idx->parent[i]];
}

/*
 * "name" matches "name" and "name@unit"; "name@unit" only itself. The name
 * is read straight after the node's tag: the scan checked it is there and
 * NUL-terminated inside the structure block.
 */
static bool name_matches(const void *fdt, int node, const char *name, int len)
{
	const char *n = (const char *)fdt + fdt_off_dt_struct(fdt) + node + 4;

	if (strncmp(n, name, (size_t)len) != 0)
		return false;
	return n[len] == '\0' || (memchr(name, '@', (size_t)len) == NULL && n[len] == '@');
}

static int child_by_name(const void *fdt, int parent_i, const char *name, int len)
{
	for (int i = parent_i + 1; i < idx->count; i++) {
		if (idx->parent[i] == parent_i && name_matches(fdt, idx->offset[i], name, len))
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

	if (len <= 0)
		return -FDT_ERR_BADPATH;
	if (!indexed(fdt)) {
		/* libfdt follows an alias whose value is itself an alias, and
		 * so on: two aliases naming each other recurse until the stack
		 * overflows. Only an alias to an absolute path goes through, so
		 * libfdt's recursion is one level deep (tools/stack-bound.table). */
		if (path[0] != '/') {
			const char *slash = memchr(path, '/', (size_t)len);
			const ptrdiff_t name_len = slash != NULL ? slash - path : (ptrdiff_t)len;
			const char *target = fdt_get_alias_namelen(fdt, path, (int)name_len);

			if (target == NULL || target[0] != '/')
				return -FDT_ERR_BADPATH;
		}
		return fdt_path_offset_namelen(fdt, path, len);
	}
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

	return cur >= 0 ? idx->offset[cur] : -FDT_ERR_NOTFOUND;
}

int dt_node_by_compatible(const void *fdt, int from, const char *compatible)
{
	if (!indexed(fdt))
		return fdt_node_offset_by_compatible(fdt, from, compatible);
	size_t want = strlen(compatible) + 1;

	for (int i = 0; i < idx->count; i++) {
		if (idx->offset[i] > from && idx->compatible[i] != 0 &&
		    list_contains(at(idx->compatible[i]), idx->compatible_len[i], compatible, want))
			return idx->offset[i];
	}
	return -FDT_ERR_NOTFOUND;
}

bool dt_node_is_compatible(const void *fdt, int node, const char *compatible)
{
	int i = find(fdt, node);

	if (i < 0)
		return fdt_node_check_compatible(fdt, node, compatible) == 0;
	return idx->compatible[i] != 0 &&
	       list_contains(at(idx->compatible[i]), idx->compatible_len[i], compatible,
			     strlen(compatible) + 1);
}

int dt_node_by_phandle(const void *fdt, uint32_t phandle)
{
	if (!indexed(fdt))
		return fdt_node_offset_by_phandle(fdt, phandle);
	if (phandle == 0 || phandle == 0xffffffffu)
		return -FDT_ERR_BADPHANDLE;
	for (int i = 0; i < idx->count; i++) {
		if (idx->phandle[i] == phandle)
			return idx->offset[i];
	}
	return -FDT_ERR_NOTFOUND;
}

int dt_node_by_prop_string(const void *fdt, int from, const char *prop, const char *value)
{
	int vlen = (int)strlen(value) + 1;

	if (!indexed(fdt))
		return fdt_node_offset_by_prop_value(fdt, from, prop, value, vlen);
	if (strcmp(prop, "device_type") == 0) {
		for (int i = 0; i < idx->count; i++) {
			if (idx->offset[i] > from && idx->device_type[i] != 0 &&
			    strcmp(at(idx->device_type[i]), value) == 0)
				return idx->offset[i];
		}
		return -FDT_ERR_NOTFOUND;
	}
	for (int i = 0; i < idx->count; i++) {
		int len;
		const char *v;

		if (idx->offset[i] <= from)
			continue;
		v = fdt_getprop(fdt, idx->offset[i], prop, &len);
		if (v != NULL && len == vlen && memcmp(v, value, (size_t)vlen) == 0)
			return idx->offset[i];
	}
	return -FDT_ERR_NOTFOUND;
}

int dt_node_path(const void *fdt, int node, char *buf, int len)
{
	int chain[MAX_DEPTH];
	int depth = 0;
	int p = 0;

	if (len < 2)
		return -FDT_ERR_NOSPACE;
	for (int at = node; at != 0; at = dt_parent_offset(fdt, at)) {
		if (at < 0)
			return at;
		if (depth == MAX_DEPTH)
			return -FDT_ERR_BADSTRUCTURE;
		chain[depth++] = at;
	}
	buf[p++] = '/';
	for (int i = depth - 1; i >= 0; i--) {
		int name_len;
		const char *name = fdt_get_name(fdt, chain[i], &name_len);

		if (name == NULL)
			return name_len;
		/* The name, then a '/' before the next one or the final NUL. */
		if (name_len >= len - p)
			return -FDT_ERR_NOSPACE;
		(void)memcpy(buf + p, name, (size_t)name_len);
		p += name_len;
		if (i > 0)
			buf[p++] = '/';
	}
	buf[p] = '\0';
	return 0;
}
