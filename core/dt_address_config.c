// SPDX-License-Identifier: Apache-2.0
/*
 * Where a partition's device tree goes (`device-tree-address`,
 * docs/partition-firmware.md): U-Boot and EDK2 built for QEMU's virt board
 * read it from the start of RAM, not from x0. Apart from the flash
 * (core/firmware_config.c) because it is no optional part: a build
 * without flash still starts such firmware from RAM.
 */

#include <libfdt.h>

#include <bulkhead/compiler.h>
#include <bulkhead/dt.h>

#include "config_internal.h"

/* Bits below a 4 KiB page (PAGE_SIZE), as an unsigned 64-bit mask: no
 * signed shift or int in the 64-bit address arithmetic. */
#define PAGE_MASK64 ((uint64_t)0xfffu)

/* `device-tree-address`: a 4 KiB-aligned guest address with the DT's 64 KiB
 * inside one memory region and clear of the kernel. */
static void decode_dt_address(struct config_ctx *c, int node, int ac, struct partition_config *pc)
{
	static const char prop[] = "device-tree-address";
	uint64_t at;
	bool inside = false;

	if (!config_read_address(c, node, prop, ac, &at))
		return;

	for (unsigned int i = 0; i < pc->mem_count; i++) {
		const struct partition_mem *m = &pc->mem[i];

		if (at >= m->ipa && at - m->ipa <= m->size && m->size - (at - m->ipa) >= PARTITION_DT_MAX)
			inside = true;
	}
	if ((at & PAGE_MASK64) != 0u)
		config_error(c, CFG_ERR_UNALIGNED, node, prop, "0x%llx is not 4 KiB aligned",
			     (unsigned long long)at);
	else if (!inside)
		config_error(c, CFG_ERR_BAD_VALUE, node, prop,
			     "the device tree's %u KiB at guest 0x%llx are not inside one memory region",
			     PARTITION_DT_MAX >> 10, (unsigned long long)at);
	else if (pc->kernel.present &&
		 config_ranges_overlap(at, PARTITION_DT_MAX, pc->load_ipa, pc->kernel_mem_size))
		config_error(c, CFG_ERR_BAD_VALUE, node, prop,
			     "the device tree's %u KiB at guest 0x%llx overlap the kernel (guest 0x%llx, "
			     "%llu KiB)", PARTITION_DT_MAX >> 10, (unsigned long long)at,
			     (unsigned long long)pc->load_ipa,
			     (unsigned long long)(pc->kernel_mem_size >> 10));
	else {
		pc->dt_fixed = true;
		pc->dt_ipa = at;
	}
}

void config_decode_firmware(struct config_ctx *c, int node, int ac, struct partition_config *pc)
{
	if (pc->mem_count != 0u)
		decode_dt_address(c, node, ac, pc);
}
