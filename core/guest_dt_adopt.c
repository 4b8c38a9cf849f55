// SPDX-License-Identifier: Apache-2.0
/*
 * A partition's own device-tree module, adopted rather than built: copied
 * tag by tag through the sequential writer that builds partitions' trees
 * (guest_dt_writer.c), with the ramdisk's place in /chosen (which is made if
 * absent). Copying, rather than editing a copy in place, leaves libfdt's
 * read-write half (fdt_rw, 2.3 KB) out of the image; the result is packed
 * as a tree edited in place and then packed would be (but for 8 bytes: the
 * writer aligns the reservations to 16).
 */

#include <string.h>

#include <libfdt.h>

#include <bulkhead/console.h>
#include <bulkhead/dt.h>
#include <bulkhead/guest_dt.h>

#include "guest_dt_writer.h"

/* Where the copy is: how deep, whether inside /chosen (its depth) and
 * whether the ramdisk's properties still have to be written. */
struct adopt {
	const struct guest_dt_layout *layout;
	int depth;
	int chosen_depth; /* 0: not inside /chosen */
	bool initrd_due;  /* a ramdisk, not yet in the tree */
};

static bool is_initrd(const char *name)
{
	return strcmp(name, "linux,initrd-start") == 0 || strcmp(name, "linux,initrd-end") == 0;
}

static void add_initrd(struct writer *w, struct adopt *a)
{
	if (!a->initrd_due)
		return;
	prop_u64(w, "linux,initrd-start", a->layout->ramdisk_ipa);
	prop_u64(w, "linux,initrd-end", a->layout->ramdisk_ipa + a->layout->ramdisk_size);
	a->initrd_due = false;
}

/* One tag of the module at @offset; the next tag's offset, or a negative
 * libfdt error, in *@next. False at the end of the tree. */
static bool copy_tag(struct writer *w, struct adopt *a, const void *m, int offset, int *next)
{
	uint32_t tag = fdt_next_tag(m, offset, next);
	const char *name = NULL;
	int len = 0;

	/* Properties come before subnodes: /chosen's ramdisk goes after its
	 * own properties, before its first subnode or its end. */
	if (a->chosen_depth != 0 && a->depth == a->chosen_depth && tag != FDT_PROP && tag != FDT_NOP)
		add_initrd(w, a);
	switch (tag) {
	case FDT_BEGIN_NODE:
		name = fdt_get_name(m, offset, &len);
		if (name == NULL) {
			w->err = len;
			break;
		}
		begin(w, name);
		a->depth++;
		if (a->depth == 2 && strcmp(name, "chosen") == 0)
			a->chosen_depth = 2;
		break;
	case FDT_PROP: {
		const void *v = fdt_getprop_by_offset(m, offset, &name, &len);

		if (v == NULL) {
			w->err = len;
		} else if (a->depth == 0) {
			w->err = -FDT_ERR_BADSTRUCTURE; /* outside the root */
		} else {
			/* With a ramdisk, /chosen's own say of it is replaced. */
			bool replaced = a->layout->ramdisk_size != 0u && a->chosen_depth != 0 &&
					a->depth == a->chosen_depth && is_initrd(name);

			if (!replaced)
				prop(w, name, v, len);
		}
		break;
	}
	case FDT_END_NODE:
		if (a->depth == 0) {
			w->err = -FDT_ERR_BADSTRUCTURE;
			break;
		}
		if (a->depth == a->chosen_depth)
			a->chosen_depth = 0;
		if (a->depth == 1 && a->initrd_due) {
			/* The root ends with no /chosen: one of its own. */
			begin(w, "chosen");
			add_initrd(w, a);
			end(w);
		}
		end(w);
		a->depth--;
		return w->err == 0 && a->depth != 0; /* the root's end ends the copy */
	case FDT_NOP:
		break;
	default:
		/* FDT_END, or a broken tree (then *next says how). */
		if (*next < 0)
			w->err = *next;
		return false;
	}
	return w->err == 0;
}

enum bh_err guest_dt_adopt(void *buf, size_t size, const void *module, uint64_t module_size,
			   const struct partition_config *cfg, const struct guest_dt_layout *layout,
			   size_t *used)
{
	struct writer w = {buf, 0, false, false};
	struct adopt a = {layout, 0, 0, layout->ramdisk_size != 0u};
	int offset = 0;

	if (module_size < sizeof(struct fdt_header))
		w.err = -FDT_ERR_TRUNCATED;
	else
		w.err = fdt_check_header(module);
	if (w.err == 0 && fdt_totalsize(module) > module_size)
		w.err = -FDT_ERR_TRUNCATED;
	if (w.err == 0 && !dt_structure_sound(module))
		w.err = -FDT_ERR_BADSTRUCTURE;
	if (w.err == 0)
		w.err = fdt_create(buf, (int)size);
	for (int i = 0; w.err == 0 && i < fdt_num_mem_rsv(module); i++) {
		uint64_t base;
		uint64_t bytes;

		w.err = fdt_get_mem_rsv(module, i, &base, &bytes);
		if (w.err == 0)
			w.err = fdt_add_reservemap_entry(buf, base, bytes);
	}
	if (w.err == 0)
		w.err = fdt_finish_reservemap(buf);
	while (w.err == 0 && copy_tag(&w, &a, module, offset, &offset)) {
		/* copy_tag() moved offset on */
	}
	if (w.err == 0 && a.depth != 0)
		w.err = -FDT_ERR_BADSTRUCTURE;
	if (w.err == 0)
		w.err = fdt_finish(buf);
	if (w.err != 0) {
		log_printf("error: partition %s: its device-tree module: %s\n", cfg->name,
			   dt_strerror(w.err));
		return BH_ERR_INVALID;
	}
	fdt_set_boot_cpuid_phys(buf, fdt_boot_cpuid_phys(module));
	*used = fdt_totalsize(buf);
	return BH_OK;
}
