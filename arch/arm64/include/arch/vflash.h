/* SPDX-License-Identifier: Apache-2.0 */
/* A partition's flash regions in stage 2; its CFI banks' traps (vflash.c). */
#ifndef ARCH_ARM64_VFLASH_H
#define ARCH_ARM64_VFLASH_H

#include <stdbool.h>
#include <stdint.h>

#include <bulkhead/error.h>

struct partition;

enum vflash_result {
	VFLASH_NOT_CFI, /* not in a CFI bank of the partition */
	VFLASH_DONE,    /* emulated: a load's value is in *value */
	VFLASH_OUTSIDE, /* in a bank, but running past its end */
};

/* Map the partition's flash regions at its build. */
enum bh_err vflash_map(struct partition *part);

/* Every CFI bank back to reading its array, mapped: at a restart. */
void vflash_reset(struct partition *part);

/* A trapped access of @size bytes at @ipa. */
enum vflash_result vflash_access(struct partition *part, uint64_t ipa, bool write,
				 uint64_t *value, unsigned int size);

#endif
