// SPDX-License-Identifier: Apache-2.0
/*
 * Flash for firmware partitions left out of the build (FLASH=n,
 * docs/building.md): replaces vflash.c. The configuration refuses every
 * `bulkhead,flash` region (core/flash_none.c), so no partition has one to
 * map or reset, and no trapped access is ever in one.
 */

#include <bulkhead/compiler.h>

#include <arch/vflash.h>

enum bh_err vflash_map(struct partition *part)
{
	(void)part;
	return BH_OK;
}

void vflash_reset(struct partition *part)
{
	(void)part;
}

enum vflash_result vflash_access(struct partition *part, uint64_t ipa, bool write,
				 uint64_t *value, unsigned int size)
{
	(void)part;
	(void)ipa;
	(void)write;
	(void)value;
	(void)size;
	return VFLASH_NOT_CFI;
}
