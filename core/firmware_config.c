// SPDX-License-Identifier: Apache-2.0
/*
 * Flash for firmware inside a partition (docs/partition-firmware.md; the
 * FLASH option, docs/building.md): U-Boot and EDK2 built for QEMU's virt
 * board expect flash at fixed addresses (EDK2 runs from the first bank and
 * keeps its variables in the second, U-Boot reads its environment there),
 * so a partition may have flash-like regions (`bulkhead,flash` children).
 * Where their device tree goes (`device-tree-address`) is
 * core/dt_address_config.c's.
 */

#include <libfdt.h>

#include <bulkhead/compiler.h>
#include <bulkhead/dt.h>

#include "config_internal.h"

/* Bits below a 4 KiB page (PAGE_SIZE), as an unsigned 64-bit mask: no
 * signed shift or int in the 64-bit address arithmetic. */
#define PAGE_MASK64 ((uint64_t)0xfffu)

/* One (address, size) pair of @prop: false if absent (an error saying
 * @required, if not NULL) or malformed (an error). */
static bool read_pair(struct config_ctx *c, int node, const char *prop, int ac, int sc,
		      uint64_t *base, uint64_t *size, const char *required)
{
	const fdt32_t *v = config_prop_cells(c, node, prop, (unsigned int)(ac + sc),
					     "one (address size) pair", required);

	if (v == NULL)
		return false;
	*base = fdt_read_cells(v, ac);
	*size = fdt_read_cells(v + ac, sc);
	return true;
}

static bool is_width(uint32_t w)
{
	return w == 1u || w == 2u || w == 4u;
}

/*
 * `bank-width` turns on the CFI bank on a writable region: its chips'
 * `device-width` (default: one chip as wide as the bank) and the bank's
 * `erase-block-size`, which tiles the region, at most 65536 blocks of at
 * least 256 bytes a chip (what CFI's erase-region field can say).
 */
static bool decode_cfi(struct config_ctx *c, int node, struct partition_flash *f)
{
	uint32_t bank = 0;
	uint32_t dev;
	uint32_t block = 0;

	if (!config_read_u32(c, node, "bank-width", &bank))
		return fdt_getprop(c->fdt, node, "bank-width", NULL) == NULL;
	if (!is_width(bank)) {
		config_error(c, CFG_ERR_BAD_VALUE, node, "bank-width",
			     "%u bytes: a bank is 1, 2 or 4 bytes wide", bank);
		return false;
	}
	if (!f->writable) {
		config_error(c, CFG_ERR_BAD_VALUE, node, "bank-width",
			     "a CFI flash bank takes commands: not on a read-only region");
		return false;
	}
	dev = bank;
	if (fdt_getprop(c->fdt, node, "device-width", NULL) != NULL &&
	    (!config_read_u32(c, node, "device-width", &dev) || !is_width(dev) || dev > bank)) {
		config_error(c, CFG_ERR_BAD_VALUE, node, "device-width",
			     "a chip is 1, 2 or 4 bytes wide and no wider than the bank (%u)", bank);
		return false;
	}
	if (!config_read_u32(c, node, "erase-block-size", &block)) {
		if (fdt_getprop(c->fdt, node, "erase-block-size", NULL) == NULL)
			config_error(c, CFG_ERR_MISSING_PROPERTY, node, "erase-block-size",
				     "required with bank-width: the bank's erase block in bytes");
		return false;
	}
	uint32_t chips = bank / dev;

	if (block == 0u || (block & (block - 1u)) != 0u || block < 256u * chips ||
	    block / chips > 0xffffu * 256u || (f->size % block) != 0u ||
	    f->size / block > 0x10000u) {
		config_error(c, CFG_ERR_BAD_VALUE, node, "erase-block-size",
			     "0x%x: a power of two of 256 to 16 MiB bytes a chip that divides the "
			     "region (0x%llx) into at most 65536 blocks", block,
			     (unsigned long long)f->size);
		return false;
	}
	f->cfi = (struct cfi_geometry){(uint8_t)bank, (uint8_t)dev, block};
	return true;
}

static void decode_flash(struct config_ctx *c, int node, int ac, int sc, struct partition_config *pc)
{
	struct partition_flash *f = &pc->flash[pc->flash_count];
	uint64_t mem_size = 0;

	if (pc->flash_count == MAX_PARTITION_FLASH) {
		config_error(c, CFG_ERR_MALFORMED, node, "compatible",
			     "more than %u flash regions in one partition", MAX_PARTITION_FLASH);
		return;
	}
	*f = (struct partition_flash){.node = node};
	f->writable = fdt_getprop(c->fdt, node, "read-only", NULL) == NULL;
	if (!read_pair(c, node, "reg", ac, sc, &f->ipa, &f->size,
		       "required: the guest address and size of the region") ||
	    !read_pair(c, node, "memory", ac, sc, &f->pa, &mem_size,
		       "required: the host RAM (address size) behind the region"))
		return;
	if (f->size == 0u) {
		config_error(c, CFG_ERR_ZERO_SIZE, node, "reg", "the region is empty");
		return;
	}
	if (((f->ipa | f->size | f->pa) & PAGE_MASK64) != 0u) {
		config_error(c, CFG_ERR_UNALIGNED, node, (f->pa & PAGE_MASK64) != 0u ? "memory" : "reg",
			     "guest 0x%llx, host 0x%llx, size 0x%llx: not 4 KiB aligned",
			     (unsigned long long)f->ipa, (unsigned long long)f->pa,
			     (unsigned long long)f->size);
		return;
	}
	if (mem_size != f->size) {
		config_error(c, CFG_ERR_BAD_VALUE, node, "memory",
			     "size 0x%llx differs from the region's (reg) 0x%llx",
			     (unsigned long long)mem_size, (unsigned long long)f->size);
		return;
	}
	if (f->ipa + f->size < f->ipa || f->pa + f->size < f->pa) {
		config_error(c, CFG_ERR_MALFORMED, node, "reg", "the region wraps around");
		return;
	}
	uint64_t img;
	uint64_t img_size;

	if (read_pair(c, node, "image", ac, sc, &img, &img_size, NULL)) {
		if (img_size == 0u || img_size > f->size) {
			config_error(c, CFG_ERR_BAD_VALUE, node, "image",
				     "%llu bytes: an image must be 1 to %llu bytes (the region's size)",
				     (unsigned long long)img_size, (unsigned long long)f->size);
			return;
		}
		f->image = (struct partition_module){true, img, img_size};
	}
	if (!decode_cfi(c, node, f))
		return;
	/* Against the partition's memory, devices, virtual UART and the flash
	 * regions before it (channels, decoded later, check against it). */
	const char *what = config_guest_clash(c, pc, f->ipa, f->size, pc->mem_count,
					      pc->flash_count, 0);

	if (what != NULL)
		config_error(c, CFG_ERR_IPA_OVERLAP, node, "reg", "guest 0x%llx-0x%llx overlaps %s",
			     (unsigned long long)f->ipa, (unsigned long long)(f->ipa + f->size - 1u),
			     what);
	pc->flash_count++;
}

void config_decode_flash(struct config_ctx *c, int node, int ac, int sc,
			 struct partition_config *pc)
{
	int sub;

	if (pc->mem_count == 0u)
		return;
	fdt_for_each_subnode(sub, c->fdt, node) {
		if (dt_node_is_compatible(c->fdt, sub, "bulkhead,flash"))
			decode_flash(c, sub, ac, sc, pc);
	}
}

bool config_ipa_in_rom(const struct partition_config *pc, uint64_t ipa)
{
	for (unsigned int i = 0; i < pc->flash_count; i++) {
		const struct partition_flash *f = &pc->flash[i];

		if (!f->writable && ipa >= f->ipa && ipa - f->ipa < f->size)
			return true;
	}
	return false;
}

/* Flash regions against the machine and everything else in RAM: their
 * host RAM is theirs alone, and their images are in RAM and survive the
 * start of every partition (no partition's memory covers them). */
void config_validate_firmware(struct config_ctx *c)
{
	const struct system_config *s = c->out;

	for (unsigned int i = 0; i < s->count; i++) {
		const struct partition_config *pc = &s->part[i];

		for (unsigned int k = 0; k < pc->flash_count; k++) {
			const struct partition_flash *f = &pc->flash[k];
			const struct host_range h = {f->node, "memory", f->pa, f->size,
						     HOST_MEMORY | HOST_FLASH, MAX_CHANNELS, f,
						     CFG_ERR_MEM_OVERLAP};

			config_check_host(c, &h);
			if (!f->image.present)
				continue;
			if (!config_in_ram(c->p, f->image.pa, f->image.size))
				config_error(c, CFG_ERR_MODULE_OUTSIDE_RAM, f->node, "image",
					     "0x%llx (%llu bytes) is not in RAM",
					     (unsigned long long)f->image.pa,
					     (unsigned long long)f->image.size);
			for (unsigned int o = 0; o < s->count; o++) {
				for (unsigned int m = 0; m < s->part[o].mem_count; m++) {
					const struct partition_mem *r = &s->part[o].mem[m];

					if (config_ranges_overlap(f->image.pa, f->image.size, r->pa, r->size))
						config_error(c, CFG_ERR_MEM_OVER_MODULE, f->node, "image",
							     "0x%llx (%llu bytes) is inside the memory of '%s'",
							     (unsigned long long)f->image.pa,
							     (unsigned long long)f->image.size,
							     s->part[o].name);
				}
			}
		}
	}
}
