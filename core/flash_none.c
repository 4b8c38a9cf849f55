// SPDX-License-Identifier: Apache-2.0
/*
 * Flash for firmware partitions left out of the build (FLASH=n,
 * docs/building.md): replaces core/firmware_config.c and core/cfi_flash.c.
 * A partition's `bulkhead,flash` child is refused, naming the node and the
 * option, so that no firmware boots without the flash it expects (EDK2's
 * code and variables, U-Boot's environment). No partition then has flash:
 * nothing is read-only, nothing to check against RAM, no CFI bank to set
 * up (arch/arm64/vflash_none.c).
 */

#include <libfdt.h>

#include <bulkhead/cfi_flash.h>
#include <bulkhead/compiler.h>
#include <bulkhead/dt.h>

#include "config_internal.h"

void config_decode_flash(struct config_ctx *c, int node, int ac, int sc,
			 struct partition_config *pc)
{
	int sub;

	(void)ac;
	(void)sc;
	(void)pc;
	fdt_for_each_subnode(sub, c->fdt, node) {
		if (dt_node_is_compatible(c->fdt, sub, "bulkhead,flash"))
			config_error(c, CFG_ERR_NOT_BUILT, sub, "compatible",
				     "\"bulkhead,flash\": this build has no flash emulation (FLASH=n)");
	}
}

bool config_ipa_in_rom(const struct partition_config *pc, uint64_t ipa)
{
	(void)pc;
	(void)ipa;
	return false;
}

void config_validate_firmware(struct config_ctx *c)
{
	(void)c;
}

/* Never called: no partition has a flash region (flash_count 0). */
void cfi_flash_init(struct cfi_flash *c, void *store, uint64_t size, const struct cfi_geometry *geo)
{
	(void)c;
	(void)store;
	(void)size;
	(void)geo;
}
